//! The one message type of the client: terminal input, network answers, timers and the
//! intents components hand to the application all travel as an [`Action`].

use crate::api::{ApiError, Reply};
use crate::components::popup::{ConfirmTag, Popup};
use crossterm::event::{KeyEvent, MouseEvent};
use ouen_shared::api::{CsvEncoding, DecisionResult, Member, MemberFilter, SessionCreated};
use ouen_shared::Lang;
use std::path::PathBuf;
use std::time::Duration;

/// Tags a network request so that an answer to a request nobody waits for any more (the
/// operator moved on, or asked again) is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// What a one-shot timer started with [`Action::Later`] is for. Each carries a generation
/// number: a view ignores a timer that a newer one replaced (a debounce).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerTag {
    /// The roster's search text rested: search now.
    RosterSearch(u64),
}

/// Something that happened elsewhere (a form, the command line) for the views to take up.
#[derive(Debug, Clone)]
pub enum ViewEvent {
    /// The roster's filter panel was applied.
    Filter(Box<MemberFilter>),
    /// A member's record changed (notes, the member's own profile, availability, withdrawal).
    MemberSaved(Box<Member>),
    /// A prefecture's own professional was entered in a form.
    MemberCreated(Box<Member>),
    /// A decision on a membership was made in a form.
    Decided(Box<DecisionResult>),
    /// `:import PATH [PREFECTURE]`.
    Import {
        path: PathBuf,
        prefecture: Option<String>,
    },
    /// `:export PATH [cp932]`.
    Export {
        path: PathBuf,
        encoding: CsvEncoding,
    },
}

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
    /// Start a one-shot timer; [`Action::Timer`] arrives when it fires.
    Later {
        after: Duration,
        tag: TimerTag,
    },
    Timer(TimerTag),
    // ── from the network ──
    Response {
        id: RequestId,
        /// Whether the request only read (and may simply be repeated).
        read: bool,
        result: Result<Reply, ApiError>,
    },
    /// Bytes of a download received so far (and the total, when the server said).
    Progress {
        id: RequestId,
        done: u64,
        total: Option<u64>,
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
    /// For the views: see [`ViewEvent`].
    View(ViewEvent),
    /// A value was chosen in a picker for the form below it.
    Picked {
        field: &'static str,
        value: String,
        label: String,
    },
}
