//! Views and dialogs. Each owns its state, handles its keys and draws itself; it talks to the
//! rest of the program only through [`Action`]s and the [`Ctx`] it is handed.

pub mod confirm;
pub mod form;
pub mod help;
pub mod lines;
pub mod login;
pub mod message;
pub mod organisation;
pub mod picker;
pub mod popup;
pub mod profile;
pub mod roster;

use crate::action::{Action, RequestId, TimerTag, ViewEvent};
use crate::api::{ApiError, Net, Reply};
use crate::keymap::{Command, Keymap, Section};
use crate::theme::Theme;
use crossterm::event::KeyEvent;
use ouen_shared::api::Me;
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::Frame;

/// What a component may look at while it works.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub net: &'a Net,
    pub keymap: &'a Keymap,
    pub me: Option<&'a Me>,
    /// Advances while something loads (for spinners).
    pub tick: u64,
    /// Narrow or short terminal: draw less.
    pub compact: bool,
}

/// A tab's view.
pub trait Component {
    /// A key in the view. `cmd` is what the keymap says the key means in normal mode.
    /// `None` leaves the key to the application (tab switching, help, quitting…).
    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx)
        -> Option<Vec<Action>>;

    /// An answer from the server; `None` when the request is not this view's (or stale).
    fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>>;

    /// A confirmation the operator gave in a dialog this view opened.
    fn confirmed(&mut self, _tag: &popup::ConfirmTag, _ctx: &Ctx) -> Vec<Action> {
        Vec::new()
    }

    /// (Re)loads the view's data; the last data stays on screen meanwhile.
    fn refresh(&mut self, ctx: &Ctx);

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);

    /// Whether a request of the view is in flight.
    fn is_loading(&self) -> bool;

    /// Whether keys go into a text field (insert mode).
    fn insert_mode(&self) -> bool {
        false
    }

    /// Pasted text (bracketed paste); what it leads to (e.g. a search timer).
    fn paste(&mut self, _text: &str) -> Vec<Action> {
        Vec::new()
    }

    /// The value `y` copies.
    fn selected_value(&self) -> Option<String> {
        None
    }

    /// Key hints for the status line.
    fn hints(&self, _ctx: &Ctx) -> Option<String> {
        None
    }

    /// The keymap section whose bindings win in this view when a key has several.
    fn section(&self) -> Option<Section> {
        None
    }

    /// A timer this view started with [`Action::Later`] fired.
    fn timer(&mut self, _tag: TimerTag, _ctx: &Ctx) -> Vec<Action> {
        Vec::new()
    }

    /// Progress of a download this view started; `false` when the request is not its own.
    fn progress(&mut self, _id: RequestId, _done: u64, _total: Option<u64>) -> bool {
        false
    }

    /// An event for the views; `None` when this view has nothing to do with it.
    fn event(&mut self, _event: &ViewEvent, _ctx: &Ctx) -> Option<Vec<Action>> {
        None
    }
}

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
