//! The application: the tabs of the registry, the popup stack, the login screen, the command
//! line, and its one `update` function that every [`Action`] goes through.

/// A [`Ctx`] borrowing the fields of the application one by one, so a component can be
/// borrowed mutably beside it.
macro_rules! ctx {
    ($s:ident) => {
        $crate::app::Ctx {
            lang: $s.lang,
            theme: &$s.theme,
            net: &$s.net,
            keymap: &$s.keymap,
            me: $s.me.as_ref(),
            tick: $s.tick,
            compact: false,
            today: ($s.clock)()
                .with_timezone(&ouen_shared::time::jst())
                .date_naive(),
        }
    };
}

mod answers;
mod cmdline;
pub mod commands;
mod draw;
pub mod help;
pub mod login;
mod password;
mod run;

pub use run::run;

use crate::api::Client;
use crate::app::net::{Net, NetEvent, Pending};
use crate::app::{Action, Ctx, Msg, Popup, Registry, TabSpec, View};
use crate::i18n::T;
use crate::keymap::{Command, Keymap};
use crate::session;
use crate::theme::Theme;
use crate::ui::confirm::Confirm;
use crate::ui::form::{DiscardForm, Form};
use crate::ui::lines::Lines;
use crate::widgets::input::Input;
use crate::widgets::text::clean;
use commands::History;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};
use help::Help;
use login::Login;
use ouen_shared::api::{Health, Me};
use ouen_shared::endpoints::{GetMe, Logout, Ping};
use ouen_shared::Lang;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Said yes to quitting although a form has unsaved input.
struct QuitDiscard;

/// A network whose answers arrive as actions on `tx`.
pub fn network(client: Client, tx: UnboundedSender<Action>) -> Net {
    Net::new(client, move |event| {
        let _ = tx.send(match event {
            NetEvent::Answer(a) => Action::Answer(a),
            NetEvent::Progress { id, done, total } => Action::Progress { id, done, total },
        });
    })
}

/// How the client starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// Show the login screen (with a login name filled in).
    Login { login: String },
    /// A token is set on the client: fetch the account and open the tabs.
    Resume,
}

/// Settings the application starts with.
pub struct Options {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Show the DEMO mark and never write the session file.
    pub demo: bool,
    pub warnings: Vec<String>,
    pub start: Start,
    /// The views and the dialogs the application opens for them.
    pub registry: &'static Registry,
    /// The time now (tests fix it).
    pub clock: fn() -> chrono::DateTime<chrono::Utc>,
}

struct Offline {
    attempt: u32,
    /// When the next probe is sent.
    next_at: chrono::DateTime<chrono::Utc>,
}

impl Offline {
    /// The wait before the next probe: doubling from one second, at most thirty.
    fn delay(&self) -> Duration {
        Duration::from_secs((1u64 << self.attempt.min(5)).min(30))
    }
}

struct CommandLine {
    input: Input,
    completions: Vec<String>,
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub net: Net,
    tx: Option<UnboundedSender<Action>>,
    pub me: Option<Me>,
    pub login: Option<Login>,
    tabs: Vec<(&'static TabSpec, Box<dyn View>)>,
    registry: &'static Registry,
    pub active: usize,
    pub popups: Vec<Box<dyn Popup>>,
    cmdline: Option<CommandLine>,
    history: History,
    status: Option<(String, bool)>,
    offline: Option<Offline>,
    ping: Option<Pending<Health>>,
    me_req: Option<Pending<Me>>,
    pub tick: u64,
    pub quit: bool,
    /// Text to put on the clipboard with OSC 52 (written by the terminal loop).
    pub copy: Option<String>,
    demo: bool,
    queue: VecDeque<Action>,
    /// Timers asked for while there is no event loop (tests fire them by hand).
    pub timers: Vec<(Duration, Msg)>,
    /// The whole screen is drawn anew next time (Ctrl-l).
    pub redraw: bool,
    /// The terminal was too small at the last draw: the views are not shown, and get no key.
    too_small: bool,
    clock: fn() -> chrono::DateTime<chrono::Utc>,
    /// The live-update stream's task while signed in.
    live: Option<crate::live::Subscription>,
    /// The stream is down (its task reconnects by itself).
    pub live_down: bool,
}

impl App {
    pub fn new(opts: Options, net: Net, tx: Option<UnboundedSender<Action>>) -> App {
        let status = if opts.warnings.is_empty() {
            None
        } else {
            let more = match opts.warnings.len() {
                1 => String::new(),
                n => format!(" (+{})", n - 1),
            };
            Some((
                format!(
                    "{}: {}{more}",
                    T::ConfigWarnings.get(opts.lang),
                    opts.warnings.first().map_or("", String::as_str)
                ),
                true,
            ))
        };
        net.client.set_lang(opts.lang);
        let mut app = App {
            lang: opts.lang,
            theme: opts.theme,
            keymap: opts.keymap,
            net,
            tx,
            me: None,
            login: None,
            tabs: Vec::new(),
            registry: opts.registry,
            active: 0,
            popups: Vec::new(),
            cmdline: None,
            history: History::default(),
            status,
            offline: None,
            ping: None,
            me_req: None,
            tick: 0,
            quit: false,
            copy: None,
            demo: opts.demo,
            queue: VecDeque::new(),
            timers: Vec::new(),
            redraw: false,
            too_small: false,
            clock: opts.clock,
            live: None,
            live_down: false,
        };
        match opts.start {
            Start::Login { login } => {
                app.login = Some(Login::new(&app.net.client.base(), &login, false));
            }
            Start::Resume => app.me_req = Some(app.net.call(GetMe)),
        }
        if !opts.warnings.is_empty() {
            // Every warning, readable before anything else (the status line has room for one).
            app.popups.push(Box::new(Lines::new(
                T::ConfigWarnings.get(app.lang),
                vec![T::ConfigWarningsIntro.get(app.lang).to_string()],
                opts.warnings.clone(),
            )));
        }
        app
    }

    fn ctx(&self) -> Ctx<'_> {
        ctx!(self)
    }

    /// Where actions for this application are sent.
    pub fn sender(&self) -> Option<UnboundedSender<Action>> {
        self.tx.clone()
    }

    /// Whether something is loading (the spinner ticks only then).
    pub fn is_loading(&self) -> bool {
        self.me_req.is_some()
            || self.login.as_ref().is_some_and(Login::is_loading)
            || self.popups.iter().any(|p| p.is_loading())
            || self.tabs.iter().any(|(_, c)| c.is_loading())
    }

    /// Dialogs opened from the login screen itself (registration) sit above it; those of the
    /// views stay below it when a session expires.
    fn popups_over_login(&self) -> bool {
        self.login.is_some() && self.me.is_none() && !self.popups.is_empty()
    }

    /// Whether keys go into a text field.
    pub fn insert_mode(&self) -> bool {
        if self.popups_over_login() {
            return self.cmdline.is_some() || self.popups.last().is_some_and(|p| p.insert_mode());
        }
        self.cmdline.is_some()
            || self.login.is_some()
            || match self.popups.last() {
                Some(p) => p.insert_mode(),
                None => self
                    .tabs
                    .get(self.active)
                    .is_some_and(|(_, c)| c.insert_mode()),
            }
    }

    pub fn has_unsaved_input(&self) -> bool {
        self.popups.iter().any(|p| p.has_unsaved_input())
    }

    /// The titles of the tabs shown.
    pub fn tab_titles(&self) -> Vec<&'static str> {
        self.tabs
            .iter()
            .map(|(s, _)| s.title.get(self.lang))
            .collect()
    }

    /// Handles one action and everything it leads to.
    pub fn update(&mut self, action: Action) {
        self.queue.push_back(action);
        while let Some(a) = self.queue.pop_front() {
            self.apply(a);
        }
    }

    fn push_all(&mut self, actions: Vec<Action>) {
        self.queue.extend(actions);
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Paste(text) => self.on_paste(&text),
            Action::Mouse(m) => {
                let code = match m.kind {
                    MouseEventKind::ScrollDown => KeyCode::Down,
                    MouseEventKind::ScrollUp => KeyCode::Up,
                    _ => return,
                };
                self.on_key(KeyEvent::from(code));
            }
            Action::Resize => {}
            Action::Redraw => self.redraw = true,
            Action::Tick => self.tick = self.tick.wrapping_add(1),
            Action::Retry => {
                if self.offline.is_some() {
                    self.ping = Some(self.net.call(Ping));
                }
            }
            Action::Later { after, msg } => match &self.tx {
                Some(tx) => crate::event::timer(tx, after, Action::Message(msg)),
                None => self.timers.push((after, msg)),
            },
            Action::Answer(answer) => self.on_answer(answer),
            Action::Progress { id, done, total } => {
                for (_, c) in &mut self.tabs {
                    if c.progress(id, done, total) {
                        break;
                    }
                }
            }
            Action::Message(msg) => self.on_message(msg),
            Action::Live(news) => self.on_live(news),
            Action::Quit => {
                if self.has_unsaved_input() {
                    self.popups.push(Box::new(Confirm::new(
                        T::ConfirmQuitUnsaved.get(self.lang),
                        QuitDiscard,
                    )));
                } else {
                    self.quit = true;
                }
            }
            Action::ForceQuit => self.quit = true,
            Action::SwitchTab(i) => {
                if i < self.tabs.len() {
                    self.active = i;
                }
            }
            Action::ShowTab(command) => {
                match self.tabs.iter().position(|(s, _)| s.command == command) {
                    Some(i) => self.active = i,
                    None => {
                        self.status =
                            Some((T::InboxRecordNotShown.get(self.lang).to_string(), false))
                    }
                }
            }
            Action::NextTab => {
                if !self.tabs.is_empty() {
                    self.active = (self.active + 1) % self.tabs.len();
                }
            }
            Action::PrevTab => {
                if !self.tabs.is_empty() {
                    self.active = (self.active + self.tabs.len() - 1) % self.tabs.len();
                }
            }
            Action::OpenHelp => {
                let view = self
                    .tabs
                    .get(self.active)
                    .map(|(spec, v)| (spec.title, v.section(), v.commands()));
                let legend = self
                    .tabs
                    .get(self.active)
                    .map(|(_, v)| v.legend(self.lang))
                    .unwrap_or_default();
                self.popups
                    .push(Box::new(Help::new(view).with_legend(legend)));
            }
            Action::OpenCommandLine => {
                self.cmdline = Some(CommandLine {
                    input: Input::new(false),
                    completions: Vec::new(),
                })
            }
            Action::PushPopup(p) => self.popups.push(p),
            Action::ClosePopup => {
                self.popups.pop();
            }
            Action::Refresh => self.refresh_active(),
            Action::Status(s) => self.status = Some((s, false)),
            Action::Error(s) => self.status = Some((s, true)),
            Action::Copy(s) => {
                self.status = Some((T::Copied.get(self.lang).to_string(), false));
                self.copy = Some(s);
            }
            Action::LoggedIn(s) => self.on_logged_in(&s),
            Action::Logout => self.logout(),
            Action::SetLang(l) => {
                self.lang = l;
                self.net.client.set_lang(l);
                self.status = None;
            }
            Action::OwnPassword => {
                if self.me.is_some() {
                    self.popups.push(Box::new(Form::new(password::OwnPassword)));
                }
            }
            Action::Picked {
                field,
                value,
                label,
            } => {
                if let Some(p) = self.popups.last_mut() {
                    p.picked(field, value, label);
                }
            }
        }
    }

    /// The application's own messages first; the rest go to the dialogs (topmost first), then
    /// to every view, until one takes it.
    fn on_message(&mut self, msg: Msg) {
        if msg.is::<QuitDiscard>() {
            self.quit = true;
            return;
        }
        if msg.is::<DiscardForm>() {
            self.popups.pop();
            return;
        }
        let ctx = ctx!(self);
        for p in self.popups.iter_mut().rev() {
            if let Some(actions) = p.message(msg.as_ref(), &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        for (_, c) in &mut self.tabs {
            if let Some(actions) = c.message(msg.as_ref(), &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
    }

    /// News of the live-update stream: its state for the status line, and events for the
    /// views (`resync` reloads them all).
    fn on_live(&mut self, news: crate::live::LiveNews) {
        use crate::live::LiveNews;
        use ouen_shared::api::EventKind;
        match news {
            LiveNews::Up => self.live_down = false,
            LiveNews::Down => self.live_down = true,
            // An older server without the stream, or a session the next call finds expired
            // (and returns to the login screen as every call does): nothing to show.
            LiveNews::Stopped { .. } => {
                self.live = None;
                self.live_down = false;
            }
            LiveNews::Event(e) if e.kind == EventKind::Resync => self.refresh_all(),
            LiveNews::Event(e) => {
                let ctx = ctx!(self);
                for (_, c) in &mut self.tabs {
                    let actions = c.live_event(&e, &ctx);
                    self.queue.extend(actions);
                }
            }
        }
    }

    /// Starts the live-update stream once signed in (with an event loop to report to).
    fn subscribe(&mut self) {
        if self.live.is_none() {
            if let Some(tx) = &self.tx {
                self.live = crate::live::subscribe(self.net.client.clone(), tx.clone());
            }
        }
    }

    fn refresh_active(&mut self) {
        let Some((_, c)) = self.tabs.get_mut(self.active) else {
            return;
        };
        let ctx = ctx!(self);
        c.refresh(&ctx);
    }

    fn refresh_all(&mut self) {
        let ctx = ctx!(self);
        for (_, c) in &mut self.tabs {
            c.refresh(&ctx);
        }
    }

    fn open_tabs(&mut self, me: Me) {
        let same = self.me.as_ref().is_some_and(|m| m.id == me.id) && !self.tabs.is_empty();
        if !same {
            self.tabs = self
                .registry
                .for_role(me.role)
                .into_iter()
                .map(|spec| (spec, (spec.build)(&me)))
                .collect();
            self.active = 0;
        }
        self.me = Some(me);
        self.refresh_all();
        self.subscribe();
    }

    fn on_logged_in(&mut self, s: &ouen_shared::api::SessionCreated) {
        self.net.client.set_token(Some(s.token.clone()));
        if !self.demo {
            let saved = session::Saved {
                server: self.net.client.base(),
                token: s.token.clone(),
                login: s.account.login.clone(),
            };
            if let Err(e) = session::save(&saved) {
                self.status = Some((e.to_string(), true));
            }
        }
        self.login = None;
        self.open_tabs(s.account.clone());
        if self.status.as_ref().is_none_or(|(_, err)| !err) {
            self.status = Some((
                format!(
                    "{} {} ({})",
                    clean(&s.account.display_name),
                    clean(&s.account.organisation_name),
                    s.account.role.label(self.lang)
                ),
                false,
            ));
        }
    }

    fn logout(&mut self) {
        if self.net.client.token().is_some() {
            // Best effort: the token is forgotten here whatever the server says.
            let _ = self.net.call(Logout);
        }
        self.net.client.set_token(None);
        self.live = None;
        self.live_down = false;
        if !self.demo {
            if let Err(e) = session::clear() {
                self.status = Some((e.to_string(), true));
            }
        }
        let login = self
            .me
            .as_ref()
            .map(|m| m.login.clone())
            .unwrap_or_default();
        self.me = None;
        self.tabs.clear();
        self.popups.clear();
        self.login = Some(Login::new(&self.net.client.base(), &login, false));
        self.status = Some((T::LoggedOut.get(self.lang).to_string(), false));
    }

    fn go_offline(&mut self) {
        let attempt = self.offline.as_ref().map_or(0, |o| o.attempt + 1);
        let mut offline = Offline {
            attempt,
            next_at: (self.clock)(),
        };
        offline.next_at += offline.delay();
        if let Some(tx) = &self.tx {
            crate::event::timer(tx, offline.delay(), Action::Retry);
        }
        self.offline = Some(offline);
    }

    fn on_paste(&mut self, text: &str) {
        let over_login = self.popups_over_login();
        if let Some(c) = &mut self.cmdline {
            c.input.paste(text);
        } else if let (true, Some(p)) = (over_login, self.popups.last_mut()) {
            let actions = p.paste(text);
            self.queue.extend(actions);
        } else if let Some(l) = &mut self.login {
            l.paste(text);
        } else if let Some(p) = self.popups.last_mut() {
            let actions = p.paste(text);
            self.queue.extend(actions);
        } else if let Some((_, c)) = self.tabs.get_mut(self.active) {
            let actions = c.paste(text);
            self.queue.extend(actions);
        }
    }

    fn on_key(&mut self, key: KeyEvent) {
        // A key bound in several sections means what the view in front says it means.
        let section = if self.popups.is_empty() && self.login.is_none() && self.cmdline.is_none() {
            self.tabs.get(self.active).and_then(|(_, c)| c.section())
        } else {
            None
        };
        let mut cmd = self.keymap.lookup_in(&key, section);
        if cmd == Some(Command::ForceQuit) {
            self.quit = true;
            return;
        }
        if key.code == KeyCode::Char('l') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.redraw = true;
            return;
        }
        if self.too_small {
            // Nothing is shown but the request to enlarge the terminal: no key may act unseen.
            if cmd == Some(Command::Quit) && self.cmdline.is_none() && !self.insert_mode() {
                self.queue.push_back(Action::Quit);
            }
            return;
        }
        // In insert mode a plain character is text, never a command.
        let plain = matches!(key.code, KeyCode::Char(_))
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.insert_mode() && plain {
            cmd = None;
        }
        self.status = None;
        if self.cmdline.is_some() {
            self.on_cmdline_key(key);
            return;
        }
        if self.login.is_some() && !self.popups_over_login() {
            let ctx = ctx!(self);
            if let Some(l) = &mut self.login {
                let actions = l.handle_key(key, &ctx);
                self.queue.extend(actions);
            }
            return;
        }
        let ctx = ctx!(self);
        if let Some(p) = self.popups.last_mut() {
            let actions = p.handle_key(key, cmd, &ctx);
            self.queue.extend(actions);
            return;
        }
        if let Some((_, c)) = self.tabs.get_mut(self.active) {
            if let Some(actions) = c.handle_key(key, cmd, &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        let Some(cmd) = cmd else { return };
        if let Some(n) = cmd.tab_number() {
            if n <= self.tabs.len() {
                self.active = n - 1;
            } else {
                self.status = Some((self.no_such_tab(n), true));
            }
            return;
        }
        let action = match cmd {
            Command::Quit => Action::Quit,
            Command::NextTab => Action::NextTab,
            Command::PrevTab => Action::PrevTab,
            Command::Help => Action::OpenHelp,
            Command::CommandLine => Action::OpenCommandLine,
            Command::Refresh => Action::Refresh,
            Command::OwnPassword => Action::OwnPassword,
            Command::Copy => {
                match self
                    .tabs
                    .get(self.active)
                    .and_then(|(_, c)| c.selected_value())
                {
                    Some(v) => Action::Copy(v),
                    None => Action::Error(T::NothingToCopy.get(self.lang).to_string()),
                }
            }
            _ => return,
        };
        self.queue.push_back(action);
    }
}
