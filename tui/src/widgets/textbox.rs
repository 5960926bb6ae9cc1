//! A multi-line text box on `ratatui-textarea`: long lines wrap at the box's width (words, or
//! characters for Japanese), and the terminal cursor sits at the caret so an input method's
//! candidate window opens where the operator types.

use crate::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::Frame;
use ratatui_textarea::{TextArea, WrapMode};

/// A text of several lines.
pub struct TextBox {
    area: TextArea<'static>,
}

impl Default for TextBox {
    fn default() -> Self {
        let mut area = TextArea::default();
        area.set_cursor_line_style(Style::default());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        TextBox { area }
    }
}

impl TextBox {
    /// The text, lines joined with `\n`.
    pub fn value(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.area.lines().iter().all(|l| l.is_empty())
    }

    pub fn set_placeholder(&mut self, text: &str) {
        self.area.set_placeholder_text(text.to_string());
    }

    /// Feeds a key; `false` when the key is not for the box (Tab, Esc, Ctrl-s and the other
    /// keys a dialog uses), which the caller then handles. Enter starts a new line.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc => false,
            KeyCode::Char('s' | 'c' | 'p' | 'r' | 'l') if ctrl => false,
            KeyCode::Char('u') if ctrl => {
                self.area.delete_line_by_head();
                true
            }
            KeyCode::Char('z') if ctrl => {
                self.area.undo();
                true
            }
            KeyCode::Enter => {
                self.area.insert_newline();
                true
            }
            _ => {
                self.area.input(key);
                true
            }
        }
    }

    /// Inserts pasted text; CR LF and CR become line breaks, other control characters go.
    pub fn paste(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        self.area.insert_str(text);
    }

    /// Draws the box; when `focused`, with a visible caret and the terminal cursor on it.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        if focused {
            self.area
                .set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        } else {
            self.area.set_cursor_style(Style::default());
        }
        self.area.set_style(theme.tab);
        frame.render_widget(&self.area, area);
        if focused {
            let sc = self.area.screen_cursor();
            let (top, left) = self.area.scroll_offset();
            let col = sc.col.saturating_sub(left as usize) as u16;
            let row = sc.row.saturating_sub(top as usize) as u16;
            frame.set_cursor_position(Position {
                x: area.x + col.min(area.width.saturating_sub(1)),
                y: area.y + row.min(area.height.saturating_sub(1)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_breaks_the_line_and_paste_keeps_line_breaks() {
        let mut b = TextBox::default();
        for c in "一行目".chars() {
            b.key(KeyEvent::from(KeyCode::Char(c)));
        }
        assert!(b.key(KeyEvent::from(KeyCode::Enter)));
        b.paste("二行目\r\n三行目\u{1b}");
        assert_eq!(b.value(), "一行目\n二行目\n三行目");
        assert!(!b.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
        assert!(!b.key(KeyEvent::from(KeyCode::Tab)));
    }
}
