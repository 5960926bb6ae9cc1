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
    ///
    /// Editing keys are those of a shell's line editor: Ctrl-a and Ctrl-e go to the start and
    /// the end, Ctrl-u deletes to the start, Ctrl-k to the end, Ctrl-w the word before the
    /// caret, Ctrl-y puts back what was deleted; Ctrl-z undoes and Ctrl-r redoes.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc => false,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => false,
            KeyCode::Char('m' | 'j' | 's' | 'c') if ctrl => false,
            // The text area's own Ctrl-u is undo; here it is the line editor's.
            KeyCode::Char('u') if ctrl && !alt => {
                self.area.delete_line_by_head();
                true
            }
            KeyCode::Char('z') if ctrl && !alt => {
                self.area.undo();
                true
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(text: &str) -> Input {
        let mut input = Input::default();
        for c in text.chars() {
            assert!(input.key(key(KeyCode::Char(c))));
        }
        input
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_of_the_line_and_ctrl_z_undoes_it() {
        let mut input = typed("山田 花子");
        assert!(input.key(ctrl('u')));
        assert_eq!(input.value(), "");
        assert!(input.key(ctrl('z')));
        assert_eq!(input.value(), "山田 花子");

        let mut input = Input::with_value("abc def", false);
        for _ in 0..3 {
            input.key(key(KeyCode::Left));
        }
        input.key(ctrl('u'));
        assert_eq!(input.value(), "def");
        input.key(key(KeyCode::Char('x')));
        assert_eq!(input.value(), "xdef", "the caret is at the start");
        input.key(ctrl('z'));
        input.key(ctrl('z'));
        assert_eq!(input.value(), "abc def");
    }

    #[test]
    fn ctrl_z_undoes_typing() {
        let mut input = typed("ab");
        input.key(ctrl('z'));
        assert_eq!(input.value(), "a");
        input.key(ctrl('r'));
        assert_eq!(input.value(), "ab");
    }

    #[test]
    fn line_editor_keys() {
        let mut input = Input::with_value("aaa bbb ccc", false);
        input.key(ctrl('w'));
        assert_eq!(input.value(), "aaa bbb ");
        input.key(ctrl('w'));
        assert_eq!(input.value(), "aaa ");

        let mut input = Input::with_value("abcdef", false);
        input.key(ctrl('a'));
        input.key(key(KeyCode::Char('>')));
        assert_eq!(input.value(), ">abcdef");
        input.key(key(KeyCode::Right));
        input.key(ctrl('k'));
        assert_eq!(input.value(), ">a");
        input.key(ctrl('y'));
        assert_eq!(
            input.value(),
            ">abcdef",
            "Ctrl-y puts back what Ctrl-k deleted"
        );
        input.key(ctrl('a'));
        input.key(ctrl('e'));
        input.key(key(KeyCode::Char('<')));
        assert_eq!(input.value(), ">abcdef<");
    }

    #[test]
    fn keys_for_the_form_are_left_to_it() {
        let mut input = typed("x");
        assert!(!input.key(key(KeyCode::Enter)));
        assert!(!input.key(ctrl('s')));
        assert_eq!(input.value(), "x");
    }
}
