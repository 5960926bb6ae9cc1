//! A one-line text input on `ratatui-textarea`, with the terminal cursor placed at the caret so
//! an input method's candidate window opens where the operator types.

use crate::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::Frame;
use ratatui_textarea::TextArea;

/// A single-line input.
pub struct Input {
    area: TextArea<'static>,
    secret: bool,
}

impl Default for Input {
    fn default() -> Self {
        Input::new(false)
    }
}

impl Input {
    pub fn new(secret: bool) -> Input {
        let mut area = TextArea::default();
        area.set_cursor_line_style(Style::default());
        if secret {
            area.set_mask_char('•');
        }
        Input { area, secret }
    }

    pub fn with_value(value: &str, secret: bool) -> Input {
        let mut i = Input::new(secret);
        i.set_value(value);
        i
    }

    /// The text (always one line).
    pub fn value(&self) -> String {
        self.area.lines().join("")
    }

    pub fn is_empty(&self) -> bool {
        self.area.lines().iter().all(|l| l.is_empty())
    }

    pub fn set_value(&mut self, value: &str) {
        let mut area = TextArea::new(vec![single_line(value)]);
        area.set_cursor_line_style(Style::default());
        if self.secret {
            area.set_mask_char('•');
        }
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.area = area;
    }

    pub fn set_placeholder(&mut self, text: &str) {
        self.area.set_placeholder_text(text.to_string());
    }

    /// Feeds a key; `false` when the key is not for the input (Enter, Tab, Esc, arrows up and
    /// down), which the caller then handles.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc => false,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => false,
            KeyCode::Char('m' | 'j' | 's' | 'c') if ctrl => false,
            _ => {
                self.area.input(key);
                true
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.area.insert_str(single_line(text));
    }

    /// Draws the input; when `focused`, with a visible caret and the terminal cursor on it.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let area = Rect { height: 1, ..area };
        if focused {
            self.area
                .set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
            self.area
                .set_style(Style::default().add_modifier(Modifier::UNDERLINED));
        } else {
            self.area.set_cursor_style(Style::default());
            self.area.set_style(theme.tab);
        }
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

fn single_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect()
}
