//! The title line at the top of a view: its spans, then the spinner while something loads.

use super::spinner;
use crate::i18n::T;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws `spans` (with the spinner when `loading`) on the first line of `area` and answers
/// the rest of the area, below it.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    mut spans: Vec<Span<'static>>,
    loading: bool,
    tick: u64,
    lang: ouen_shared::Lang,
) -> Rect {
    if loading {
        spans.push(Span::raw(format!(
            "{} {}",
            spinner::frame(tick),
            T::Loading.get(lang)
        )));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect { height: 1, ..area },
    );
    Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// Draws `error`, if any, on the first line of `body` (below a title) and answers what is
/// left under it.
pub fn error_line(
    frame: &mut Frame,
    body: Rect,
    error: Option<&str>,
    style: ratatui::style::Style,
) -> Rect {
    let Some(e) = error else {
        return body;
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            crate::widgets::text::truncate(e, body.width as usize),
            style,
        )),
        Rect { height: 1, ..body },
    );
    Rect {
        y: body.y + 1,
        height: body.height.saturating_sub(1),
        ..body
    }
}

/// A quiet line at the top of `area` (an empty list, nothing to show yet).
pub fn note(frame: &mut Frame, area: Rect, text: &str, style: ratatui::style::Style) {
    frame.render_widget(
        Paragraph::new(Line::styled(text.to_string(), style)),
        Rect {
            height: area.height.min(1),
            ..area
        },
    );
}
