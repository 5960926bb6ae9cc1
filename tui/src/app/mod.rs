//! What views and dialogs know of the application: the [`Action`]s they hand it, the [`Ctx`]
//! they are lent, the [`View`] and [`Popup`] traits they implement, and the [`net`] that runs
//! their calls. Nothing here knows any particular view: a view's own messages, timers and
//! confirmations travel as an opaque [`Msg`] that only the view's own type downcasts.

pub mod jobs;
pub mod net;

use crate::i18n::T;
use crate::keymap::{Command, Keymap, Section};
use crate::theme::Theme;
use crossterm::event::{KeyEvent, MouseEvent};
use net::{Answer, Net, RequestId};
use ouen_shared::api::{Me, SessionCreated, StreamEvent};
use ouen_shared::{Lang, Role};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;
use std::time::Duration;

/// A message only its own type's receiver understands: a view's timers, confirmations and
/// news for the other views. Receivers downcast what they know and ignore the rest.
pub type Msg = Box<dyn Any + Send>;

/// Everything that can change the state.
pub enum Action {
    // ── from the terminal ──
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize,
    /// Draw the whole screen anew (Ctrl-l).
    Redraw,
    // ── from timers ──
    /// The spinner advances (only sent while something loads).
    Tick,
    /// The offline back-off elapsed: probe the server again.
    Retry,
    /// Start a one-shot timer; `msg` arrives as [`Action::Message`] when it fires.
    Later {
        after: Duration,
        msg: Msg,
    },
    // ── from the network ──
    Answer(Answer),
    Progress {
        id: RequestId,
        done: u64,
        total: Option<u64>,
    },
    // ── intents ──
    Quit,
    ForceQuit,
    SwitchTab(usize),
    /// Brings the tab of this `:command` to the front (a view showing another's record).
    ShowTab(&'static str),
    NextTab,
    PrevTab,
    OpenHelp,
    OpenCommandLine,
    PushPopup(Box<dyn Popup>),
    ClosePopup,
    Refresh,
    Status(String),
    Error(String),
    Copy(String),
    LoggedIn(Box<SessionCreated>),
    Logout,
    SetLang(Lang),
    OwnPassword,
    /// For whoever understands it (see [`Msg`]).
    Message(Msg),
    /// From the live-update stream.
    Live(LiveNews),
    /// A value was chosen in a picker for the form below it.
    Picked {
        field: &'static str,
        value: String,
        label: String,
    },
}

/// What the live-update stream's task (`crate::live`) reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveNews {
    /// The stream is open.
    Up,
    /// The stream is down; the task tries again by itself.
    Down,
    /// The server has no stream (404) or refused the session (401): the task ended.
    Stopped {
        unauthenticated: bool,
    },
    Event(StreamEvent),
}

impl Action {
    /// A message for the views.
    pub fn message(msg: impl Any + Send) -> Action {
        Action::Message(Box::new(msg))
    }
}

/// What a view or dialog may look at while it works.
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
    /// Today in Japan, by the application's clock.
    pub today: chrono::NaiveDate,
}

/// A `:command` a view understands, for completion and the help.
pub struct ViewCommand {
    pub name: &'static str,
    /// What follows the name, e.g. `FILE [cp932]`.
    pub args: &'static str,
    pub about: T,
    /// Its first argument is a file path (completed from the disk).
    pub takes_path: bool,
}

/// A tab's view.
pub trait View {
    /// A key in the view. `cmd` is what the keymap says the key means in normal mode.
    /// `None` leaves the key to the application (tab switching, help, quitting…).
    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx)
        -> Option<Vec<Action>>;

    /// An answer from the server; `None` when the call is not this view's (or stale).
    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>>;

    /// (Re)loads the view's data; the last data stays on screen meanwhile.
    fn refresh(&mut self, ctx: &Ctx);

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);

    /// Whether a call of the view is in flight.
    fn is_loading(&self) -> bool;

    /// A message (see [`Msg`]); `None` when it is not this view's.
    fn message(&mut self, _msg: &(dyn Any + Send), _ctx: &Ctx) -> Option<Vec<Action>> {
        None
    }

    /// Something changed on the server (an event of the live-update stream, never `resync`,
    /// which reloads every view): re-read what the view shows of it, if anything.
    fn live_event(&mut self, _event: &ouen_shared::api::StreamEvent, _ctx: &Ctx) -> Vec<Action> {
        Vec::new()
    }

    /// A `:command` of [`View::commands`]; `None` when the view has no such command.
    fn command(&mut self, _name: &str, _args: &[&str], _ctx: &Ctx) -> Option<Vec<Action>> {
        None
    }

    /// The `:commands` this view understands.
    fn commands(&self) -> &'static [ViewCommand] {
        &[]
    }

    /// Whether keys go into a text field (insert mode).
    fn insert_mode(&self) -> bool {
        false
    }

    /// A short count the tab bar shows beside the tab's title (e.g. unread messages).
    fn badge(&self) -> Option<String> {
        None
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

    /// What the marks the view draws mean (mark, meaning), shown first in its help.
    fn legend(&self, _lang: Lang) -> Vec<(String, String)> {
        Vec::new()
    }

    /// The keymap section whose bindings win in this view when a key has several.
    fn section(&self) -> Option<Section> {
        None
    }

    /// Progress of a download this view started; `false` when the call is not its own.
    fn progress(&mut self, _id: RequestId, _done: u64, _total: Option<u64>) -> bool {
        false
    }
}

/// A dialog on the popup stack. Popups are modal: the topmost gets every key.
pub trait Popup: Any + Send {
    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action>;

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);

    /// An answer to a call the dialog made; `None` when it is not its own.
    fn answer(&mut self, _answer: &mut Answer, _ctx: &Ctx) -> Option<Vec<Action>> {
        None
    }

    fn insert_mode(&self) -> bool {
        false
    }

    fn has_unsaved_input(&self) -> bool {
        false
    }

    fn is_loading(&self) -> bool {
        false
    }

    /// Pasted text (bracketed paste); what it leads to (e.g. a timer).
    fn paste(&mut self, _text: &str) -> Vec<Action> {
        Vec::new()
    }

    /// The server answers again after a lost connection (a message saying it cannot be
    /// reached is out of date).
    fn reconnected(&mut self, _lang: Lang) {}

    /// A value chosen in a picker opened from this dialog.
    fn picked(&mut self, _field: &'static str, _value: String, _label: String) {}

    /// A message (see [`Msg`]: the dialog's own timers and confirmations); `None` when it is
    /// not this dialog's.
    fn message(&mut self, _msg: &(dyn Any + Send), _ctx: &Ctx) -> Option<Vec<Action>> {
        None
    }

    /// For tests and the application to look at a dialog's own type.
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// Implements [`Popup::as_any`].
#[macro_export]
macro_rules! popup_any {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}

/// A tab of the registry: the roles that see it and how its view is built.
pub struct TabSpec {
    /// The `:command` that opens it (and the name in the help).
    pub command: &'static str,
    /// Short aliases for the command line.
    pub aliases: &'static [&'static str],
    pub title: T,
    /// Which roles see it.
    pub visible_to: fn(Role) -> bool,
    pub build: fn(&Me) -> Box<dyn View>,
}

/// What the application is given of the views: the tabs, and the dialogs it opens for
/// them (the registration form, from the login screen).
pub struct Registry {
    /// Every tab, in display order.
    pub tabs: &'static [TabSpec],
    /// Tabs the product will have that this client does not have yet.
    pub planned: &'static [(&'static str, T)],
    pub registration_form: fn(&ouen_shared::api::RegistrationTerms, Lang) -> Box<dyn Popup>,
}

impl Registry {
    /// The tabs an account sees.
    pub fn for_role(&self, role: Role) -> Vec<&'static TabSpec> {
        self.tabs.iter().filter(|t| (t.visible_to)(role)).collect()
    }
}
