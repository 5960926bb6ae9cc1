//! A message, with an optional value to copy (e.g. a password shown once).

use super::centered;
use crate::app::{Action, Ctx, Popup};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::text::wrap;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
    /// Shown highlighted; `y` copies it.
    pub value: Option<String>,
}

impl Popup for Message {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, _ctx: &Ctx) -> Vec<Action> {
        if cmd == Some(Command::Copy) {
            if let Some(v) = &self.value {
                return vec![Action::Copy(v.clone())];
            }
        }
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => vec![Action::ClosePopup],
            _ => Vec::new(),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = 60.min(area.width);
        let inner = w.saturating_sub(4) as usize;
        let mut text: Vec<Line> = Vec::new();
        for l in &self.lines {
            text.extend(wrap(l, inner).into_iter().map(Line::from));
        }
        if let Some(v) = &self.value {
            text.push(Line::from(""));
            text.push(Line::styled(format!("  {v}"), ctx.theme.title));
        }
        text.push(Line::from(""));
        text.push(Line::styled(
            format!("Enter/Esc: {}", T::Close.get(ctx.lang)),
            ctx.theme.key,
        ));
        let h = text.len() as u16 + 2;
        let r = centered(area, w, h);
        super::clear(frame, r);
        frame.render_widget(
            Paragraph::new(text).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(self.title.as_str())
                    .border_style(ctx.theme.focus),
            ),
            r,
        );
    }
}
