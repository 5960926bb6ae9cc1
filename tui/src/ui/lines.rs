//! A scrollable list of lines in a popup, e.g. the rows a CSV import refused.

use super::centered;
use crate::app::{Action, Ctx, Popup};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::text::{truncate, wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Lines {
    pub title: String,
    /// Shown above the list, not scrolled.
    pub intro: Vec<String>,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl Lines {
    pub fn new(title: impl Into<String>, intro: Vec<String>, lines: Vec<String>) -> Lines {
        Lines {
            title: title.into(),
            intro,
            lines,
            scroll: 0,
        }
    }
}

impl Popup for Lines {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, _ctx: &Ctx) -> Vec<Action> {
        match (cmd, key.code) {
            (Some(Command::Down), _) => self.scroll += 1,
            (Some(Command::Up), _) => self.scroll = self.scroll.saturating_sub(1),
            (Some(Command::PageDown), _) => self.scroll += 10,
            (Some(Command::PageUp), _) => self.scroll = self.scroll.saturating_sub(10),
            (Some(Command::Top), _) => self.scroll = 0,
            (Some(Command::Bottom), _) => self.scroll = usize::MAX / 2,
            (_, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) => {
                return vec![Action::ClosePopup]
            }
            _ => {}
        }
        Vec::new()
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = 76.min(area.width);
        let inner_w = w.saturating_sub(2) as usize;
        let intro: Vec<String> = self.intro.iter().flat_map(|l| wrap(l, inner_w)).collect();
        let body: Vec<String> = self
            .lines
            .iter()
            .flat_map(|l| {
                // Continuation lines of one entry are indented under its text.
                let mut parts = wrap(l, inner_w.saturating_sub(2)).into_iter();
                let first = parts.next().unwrap_or_default();
                std::iter::once(first).chain(parts.map(|p| format!("  {p}")))
            })
            .collect();
        let wanted = intro.len() + body.len() + 4;
        let h = (wanted as u16).min(area.height.saturating_sub(2)).max(6);
        let r = centered(area, w, h);
        let mut head: Vec<Line> = intro.into_iter().map(Line::from).collect();
        head.push(Line::from(""));
        let body: Vec<Line> = body
            .into_iter()
            .map(|l| Line::styled(l, ctx.theme.error))
            .collect();
        draw_page(
            frame,
            r,
            self.title.clone(),
            head,
            &body,
            &mut self.scroll,
            ctx,
        );
    }
}

/// Draws a bordered popup at `r`: `head` (not scrolled), then the page of `body` from
/// `*scroll` (kept within the body), blank lines to the bottom and the scroll keys with the
/// position shown.
pub fn draw_page(
    frame: &mut Frame,
    r: Rect,
    title: String,
    head: Vec<Line<'static>>,
    body: &[Line<'static>],
    scroll: &mut usize,
    ctx: &Ctx,
) {
    super::clear(frame, r);
    let inner_w = r.width.saturating_sub(2) as usize;
    let inner_h = r.height.saturating_sub(2) as usize;
    let visible = inner_h.saturating_sub(head.len() + 1).max(1);
    *scroll = (*scroll).min(body.len().saturating_sub(visible));
    let mut text = head;
    text.extend(body.iter().skip(*scroll).take(visible).cloned());
    while text.len() < inner_h.saturating_sub(1) {
        text.push(Line::from(""));
    }
    let position = if body.len() > visible {
        format!(
            "  {}–{}/{}",
            *scroll + 1,
            (*scroll + visible).min(body.len()),
            body.len()
        )
    } else {
        String::new()
    };
    text.push(Line::styled(
        truncate(
            &format!("{}{position}", T::LinesFooter.get(ctx.lang)),
            inner_w,
        ),
        ctx.theme.dim,
    ));
    frame.render_widget(
        Paragraph::new(text).block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(ctx.theme.focus),
        ),
        r,
    );
}
