//! The help, generated from the keymap in effect for the view in front: its own keys first,
//! then those that hold everywhere (each key listed only under what it does here), the
//! view's commands and the command line's.

use super::commands::COMMANDS;
use crate::app::{Action, Ctx, Popup, ViewCommand};
use crate::i18n::T;
use crate::keymap::{Command, Keymap, Section};
use crate::ui::centered;
use crate::widgets::text::{fit, width, wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// The view the help is about: its title, keymap section and commands.
pub type InFront = Option<(T, Option<Section>, &'static [ViewCommand])>;

/// What the view's marks mean (mark, meaning): the help's first section when there are any.
pub type Legend = Vec<(String, String)>;

pub struct Help {
    scroll: usize,
    view: InFront,
    legend: Legend,
}

/// One line of the help: a section title, or keys and what they do.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    Section(String),
    Binding(String, String),
}

/// The help's lines for a keymap, as keys act in the view in front.
pub fn lines(keymap: &Keymap, lang: Lang, view: &InFront) -> Vec<HelpLine> {
    let section = view.as_ref().and_then(|(_, s, _)| *s);
    let mut sections: Vec<Section> = section.into_iter().collect();
    sections.extend(Section::ALL.iter().filter(|s| s.everywhere()));
    if view.is_none() {
        sections = Section::ALL.to_vec();
    }
    let mut out = Vec::new();
    for section_shown in sections {
        out.push(HelpLine::Section(
            section_shown.title().get(lang).to_string(),
        ));
        let mut tabs_done = false;
        for cmd in Command::ALL.iter().filter(|c| c.section() == section_shown) {
            // Only the keys that do this here (a view's own binding hides a general one).
            let keys: Vec<String> = keymap
                .keys(*cmd)
                .iter()
                .filter(|k| keymap.resolve(k, section) == Some(*cmd))
                .map(|k| k.label())
                .collect();
            if cmd.tab_number().is_some() {
                if tabs_done {
                    continue;
                }
                tabs_done = true;
                let keys: Vec<String> = Command::ALL
                    .iter()
                    .filter(|c| c.tab_number().is_some())
                    .filter_map(|c| keymap.keys(*c).first().map(|k| k.label()))
                    .collect();
                let keys = match (keys.first(), keys.last()) {
                    (Some(a), Some(b)) if keys.len() > 1 => format!("{a}…{b}"),
                    _ => keys.join(" "),
                };
                out.push(HelpLine::Binding(
                    keys,
                    cmd.description().get(lang).to_string(),
                ));
                continue;
            }
            if keys.is_empty() && !keymap.keys(*cmd).is_empty() {
                continue; // every key of it does something else here
            }
            out.push(HelpLine::Binding(
                if keys.is_empty() {
                    "—".into()
                } else {
                    keys.join(" ")
                },
                cmd.description().get(lang).to_string(),
            ));
        }
    }
    out.push(HelpLine::Section(T::SectionCommands.get(lang).to_string()));
    if let Some((_, _, commands)) = view {
        for c in commands.iter() {
            out.push(HelpLine::Binding(
                format!(":{} {}", c.name, c.args),
                c.about.get(lang).to_string(),
            ));
        }
    }
    for c in COMMANDS {
        out.push(HelpLine::Binding(
            format!(":{}", c.usage),
            c.description.get(lang).to_string(),
        ));
    }
    out
}

/// The lines as drawn `w` columns wide: keys in a column, descriptions wrapped beside them.
pub fn layout(all: &[HelpLine], w: usize) -> Vec<(Option<String>, String, bool)> {
    const KEY_W: usize = 18;
    let desc_w = w.saturating_sub(KEY_W + 2).max(10);
    let mut out = Vec::new();
    for l in all {
        match l {
            HelpLine::Section(s) => out.push((None, s.clone(), true)),
            HelpLine::Binding(k, d) => {
                // A key column too long for its place takes a line of its own.
                let (first_key, own_line) = if width(k) > KEY_W {
                    (k.clone(), true)
                } else {
                    (fit(k, KEY_W), false)
                };
                if own_line {
                    out.push((Some(first_key.clone()), String::new(), false));
                }
                for (i, part) in wrap(d, desc_w).into_iter().enumerate() {
                    let key = if i == 0 && !own_line {
                        first_key.clone()
                    } else {
                        " ".repeat(KEY_W)
                    };
                    out.push((Some(key), part, false));
                }
            }
        }
    }
    out
}

impl Help {
    pub fn new(view: InFront) -> Help {
        Help {
            scroll: 0,
            view,
            legend: Vec::new(),
        }
    }

    /// With the marks of the view in front explained first.
    pub fn with_legend(mut self, legend: Legend) -> Help {
        self.legend = legend;
        self
    }
}

impl Popup for Help {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, _ctx: &Ctx) -> Vec<Action> {
        match (cmd, key.code) {
            (Some(Command::Down), _) => self.scroll += 1,
            (Some(Command::Up), _) => self.scroll = self.scroll.saturating_sub(1),
            (Some(Command::PageDown), _) => self.scroll += 10,
            (Some(Command::PageUp), _) => self.scroll = self.scroll.saturating_sub(10),
            (Some(Command::Top), _) => self.scroll = 0,
            (Some(Command::Bottom), _) => self.scroll = usize::MAX / 2,
            (_, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?')) => {
                return vec![Action::ClosePopup]
            }
            _ => {}
        }
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 76, area.height.saturating_sub(2).max(8));
        crate::ui::clear(frame, r);
        let mut help = Vec::new();
        if !self.legend.is_empty() {
            help.push(HelpLine::Section(
                T::SectionLegend.get(ctx.lang).to_string(),
            ));
            help.extend(
                self.legend
                    .iter()
                    .map(|(mark, meaning)| HelpLine::Binding(mark.clone(), meaning.clone())),
            );
        }
        help.extend(lines(ctx.keymap, ctx.lang, &self.view));
        let all = layout(&help, r.width.saturating_sub(4) as usize);
        let visible = r.height.saturating_sub(3) as usize;
        self.scroll = self.scroll.min(all.len().saturating_sub(visible));
        let mut text: Vec<Line> = all
            .iter()
            .skip(self.scroll)
            .take(visible)
            .map(|(key, d, section)| match key {
                _ if *section => Line::styled(d.clone(), ctx.theme.header),
                Some(k) => Line::from(vec![
                    Span::styled(format!("  {k}"), ctx.theme.key),
                    Span::raw(d.clone()),
                ]),
                None => Line::raw(d.clone()),
            })
            .collect();
        while text.len() < visible {
            text.push(Line::from(""));
        }
        text.push(Line::styled(T::HelpFooter.get(ctx.lang), ctx.theme.dim));
        frame.render_widget(
            Paragraph::new(text).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(match &self.view {
                        Some((title, _, _)) => {
                            format!("{} — {}", T::Help.get(ctx.lang), title.get(ctx.lang))
                        }
                        None => T::Help.get(ctx.lang).to_string(),
                    })
                    .border_style(ctx.theme.focus),
            ),
            r,
        );
    }
}
