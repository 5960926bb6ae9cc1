//! The one message type of the client: terminal input, network answers, timers and the
//! intents components hand to the application all travel as an [`Action`].

use crate::api::{ApiError, Reply};
use crate::components::popup::{ConfirmTag, Popup};
use crossterm::event::{KeyEvent, MouseEvent};
use ouen_shared::api::SessionCreated;
use ouen_shared::Lang;

/// Tags a network request so that an answer to a request nobody waits for any more (the
/// operator moved on, or asked again) is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Everything that can change the state.
pub enum Action {
    // ── from the terminal ──
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize,
    // ── from timers ──
    /// The spinner advances (only sent while something loads).
    Tick,
    /// The offline back-off elapsed: probe the server again.
    Retry,
    // ── from the network ──
    Response {
        id: RequestId,
        /// Whether the request only read (and may simply be repeated).
        read: bool,
        result: Result<Reply, ApiError>,
    },
    // ── intents from components ──
    Quit,
    ForceQuit,
    SwitchTab(usize),
    NextTab,
    PrevTab,
    OpenHelp,
    OpenCommandLine,
    PushPopup(Box<Popup>),
    ClosePopup,
    Refresh,
    Status(String),
    Error(String),
    Copy(String),
    LoggedIn(Box<SessionCreated>),
    Logout,
    SetLang(Lang),
    OwnPassword,
    /// The operator said yes in a confirmation dialog.
    Confirmed(ConfirmTag),
    /// A value was chosen in a picker for the form below it.
    Picked {
        field: &'static str,
        value: String,
        label: String,
    },
}
