//! The help, generated from the keymap in effect: every binding with its description, and the
//! commands of the command line.

use super::{centered, Ctx};
use crate::action::Action;
use crate::commands::COMMANDS;
use crate::i18n::T;
use crate::keymap::{Command, Keymap, Section};
use crate::widgets::text::fit;
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Help {
    scroll: usize,
}

/// One line of the help: a section title, or keys and what they do.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    Section(String),
    Binding(String, String),
}

/// The help's lines for a keymap.
pub fn lines(keymap: &Keymap, lang: Lang) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for &section in Section::ALL {
        out.push(HelpLine::Section(section.title().get(lang).to_string()));
        let mut tabs_done = false;
        for cmd in Command::ALL.iter().filter(|c| c.section() == section) {
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
            let keys: Vec<String> = keymap.keys(*cmd).iter().map(|k| k.label()).collect();
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
    for c in COMMANDS {
        out.push(HelpLine::Binding(
            format!(":{}", c.usage),
            c.description.get(lang).to_string(),
        ));
    }
    out
}

impl Help {
    pub fn new() -> Help {
        Help { scroll: 0 }
    }

    pub fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>) -> Vec<Action> {
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

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 76, area.height.saturating_sub(2).max(8));
        super::clear(frame, r);
        let all = lines(ctx.keymap, ctx.lang);
        let visible = r.height.saturating_sub(3) as usize;
        self.scroll = self.scroll.min(all.len().saturating_sub(visible));
        let key_w = 18;
        let mut text: Vec<Line> = all
            .iter()
            .skip(self.scroll)
            .take(visible)
            .map(|l| match l {
                HelpLine::Section(s) => Line::styled(s.clone(), ctx.theme.header),
                HelpLine::Binding(k, d) => Line::from(vec![
                    Span::styled(format!("  {}", fit(k, key_w)), ctx.theme.key),
                    Span::raw(d.clone()),
                ]),
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
                    .title(T::Help.get(ctx.lang))
                    .border_style(ctx.theme.focus),
            ),
            r,
        );
    }
}

impl Default for Help {
    fn default() -> Self {
        Help::new()
    }
}
