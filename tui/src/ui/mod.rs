//! Dialogs every view uses: forms, pickers, confirmations, messages and long text. Each is a
//! [`crate::app::Popup`]; none knows which view opened it.

pub mod confirm;
pub mod form;
pub mod lines;
pub mod message;
pub mod picker;

use ratatui::layout::Rect;
use ratatui::Frame;

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `r` for a popup. A full-width character just left of `r` would have its right half
/// under the popup's border, which terminals draw as garbage: it is blanked too.
pub fn clear(frame: &mut Frame, r: Rect) {
    frame.render_widget(ratatui::widgets::Clear, r);
    if r.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in r.y..r.y.saturating_add(r.height) {
        if let Some(cell) = buf.cell_mut((r.x - 1, y)) {
            if crate::widgets::text::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}
