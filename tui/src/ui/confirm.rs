//! A yes/no question.

use super::centered;
use crate::app::{Action, Ctx, Msg, Popup};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::text::wrap;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Asks a question; on yes, closes and sends its message to whoever understands it.
pub struct Confirm {
    pub question: String,
    on_yes: Option<Msg>,
}

impl Confirm {
    pub fn new(question: impl Into<String>, on_yes: impl std::any::Any + Send) -> Confirm {
        Confirm {
            question: question.into(),
            on_yes: Some(Box::new(on_yes)),
        }
    }

    /// What saying yes sends, when it is a `T`.
    pub fn on_yes<T: 'static>(&self) -> Option<&T> {
        self.on_yes.as_ref()?.downcast_ref()
    }

    /// As a popup for [`Action::PushPopup`].
    pub fn popup(question: impl Into<String>, on_yes: impl std::any::Any + Send) -> Action {
        Action::PushPopup(Box::new(Confirm::new(question, on_yes)))
    }
}

impl Popup for Confirm {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, _cmd: Option<Command>, _ctx: &Ctx) -> Vec<Action> {
        match key.code {
            KeyCode::Char('y' | 'Y') => match self.on_yes.take() {
                Some(msg) => vec![Action::ClosePopup, Action::Message(msg)],
                None => vec![Action::ClosePopup],
            },
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => vec![Action::ClosePopup],
            _ => Vec::new(),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = 56.min(area.width);
        let lines = wrap(&self.question, w.saturating_sub(4) as usize);
        let h = lines.len() as u16 + 4;
        let r = centered(area, w, h);
        super::clear(frame, r);
        let mut text: Vec<Line> = lines.into_iter().map(Line::from).collect();
        text.push(Line::from(""));
        text.push(Line::styled(T::ConfirmYesNo.get(ctx.lang), ctx.theme.key));
        frame.render_widget(
            Paragraph::new(text).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(T::ConfirmTitle.get(ctx.lang))
                    .border_style(ctx.theme.focus),
            ),
            r,
        );
    }
}
