//! A yes/no question.

use super::popup::ConfirmTag;
use super::{centered, Ctx};
use crate::action::Action;
use crate::i18n::T;
use crate::widgets::text::wrap;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Confirm {
    pub question: String,
    pub tag: ConfirmTag,
}

impl Confirm {
    pub fn new(question: impl Into<String>, tag: ConfirmTag) -> Confirm {
        Confirm {
            question: question.into(),
            tag,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Action> {
        match key.code {
            KeyCode::Char('y' | 'Y') => {
                vec![Action::ClosePopup, Action::Confirmed(self.tag.clone())]
            }
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => vec![Action::ClosePopup],
            _ => Vec::new(),
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
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
