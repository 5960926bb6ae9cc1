//! The application state and its one `update` function: every [`Action`] goes through here.

mod draw;

use crate::action::{Action, RequestId, TimerTag, ViewEvent};
use crate::api::{ApiError, Net, Reply, Request};
use crate::commands;
use crate::components::form::{Form, Purpose};
use crate::components::help::Help;
use crate::components::login::Login;
use crate::components::popup::{ConfirmTag, Popup};
use crate::components::{confirm::Confirm, Component, Ctx};
use crate::i18n::T;
use crate::keymap::{Command, Keymap};
use crate::session;
use crate::tabs::{self, TabSpec};
use crate::theme::Theme;
use crate::widgets::input::Input;
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};
use ouen_shared::api::Me;
use ouen_shared::Lang;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

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
}

struct Offline {
    attempt: u32,
}

struct CommandLine {
    input: Input,
    completions: Vec<String>,
}

/// A [`Ctx`] borrowing the fields of the application one by one, so a component can be
/// borrowed mutably beside it.
macro_rules! ctx {
    ($s:ident) => {
        Ctx {
            lang: $s.lang,
            theme: &$s.theme,
            net: &$s.net,
            keymap: &$s.keymap,
            me: $s.me.as_ref(),
            tick: $s.tick,
            compact: false,
        }
    };
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub net: Net,
    tx: Option<UnboundedSender<Action>>,
    pub me: Option<Me>,
    pub login: Option<Login>,
    tabs: Vec<(&'static TabSpec, Box<dyn Component>)>,
    pub active: usize,
    pub popups: Vec<Popup>,
    cmdline: Option<CommandLine>,
    status: Option<(String, bool)>,
    offline: Option<Offline>,
    ping: Option<RequestId>,
    me_req: Option<RequestId>,
    pub tick: u64,
    pub quit: bool,
    /// Text to put on the clipboard with OSC 52 (written by the terminal loop).
    pub copy: Option<String>,
    demo: bool,
    queue: VecDeque<Action>,
    /// Timers asked for while there is no event loop (tests fire them by hand).
    pub timers: Vec<(Duration, TimerTag)>,
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
            active: 0,
            popups: Vec::new(),
            cmdline: None,
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
        };
        match opts.start {
            Start::Login { login } => {
                app.login = Some(Login::new(&app.net.client.base(), &login, false));
            }
            Start::Resume => app.me_req = Some(app.net.send(Request::Me)),
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
            || self.popups.iter().any(Popup::is_loading)
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
            return self.cmdline.is_some() || self.popups.last().is_some_and(Popup::insert_mode);
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
        self.popups.iter().any(Popup::has_unsaved_input)
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
            Action::Tick => self.tick = self.tick.wrapping_add(1),
            Action::Retry => {
                if self.offline.is_some() {
                    self.ping = Some(self.net.send(Request::Ping));
                }
            }
            Action::Later { after, tag } => match &self.tx {
                Some(tx) => crate::event::timer(tx, after, Action::Timer(tag)),
                None => self.timers.push((after, tag)),
            },
            Action::Timer(tag) => {
                let ctx = ctx!(self);
                for (_, c) in &mut self.tabs {
                    let actions = c.timer(tag, &ctx);
                    self.queue.extend(actions);
                }
            }
            Action::Response { id, read, result } => self.on_response(id, read, result),
            Action::Progress { id, done, total } => {
                for (_, c) in &mut self.tabs {
                    if c.progress(id, done, total) {
                        break;
                    }
                }
            }
            Action::View(event) => self.on_view_event(event),
            Action::Quit => {
                if self.has_unsaved_input() {
                    self.popups.push(Popup::Confirm(Confirm::new(
                        T::ConfirmQuitUnsaved.get(self.lang),
                        ConfirmTag::QuitDiscard,
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
            Action::OpenHelp => self.popups.push(Popup::Help(Help::new())),
            Action::OpenCommandLine => {
                self.cmdline = Some(CommandLine {
                    input: Input::new(false),
                    completions: Vec::new(),
                })
            }
            Action::PushPopup(p) => self.popups.push(*p),
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
                    self.popups
                        .push(Popup::Form(Form::new(Purpose::OwnPassword)));
                }
            }
            Action::Confirmed(tag) => match tag {
                ConfirmTag::QuitDiscard => self.quit = true,
                ConfirmTag::CloseFormDiscard => {
                    self.popups.pop();
                }
                other => {
                    let ctx = ctx!(self);
                    if let Some((_, c)) = self.tabs.get_mut(self.active) {
                        let actions = c.confirmed(&other, &ctx);
                        self.queue.extend(actions);
                    }
                }
            },
            Action::Picked {
                field,
                value,
                label,
            } => {
                if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    f.picked(field, value, label);
                }
            }
        }
    }

    fn on_view_event(&mut self, event: ViewEvent) {
        let ctx = ctx!(self);
        let mut handled = false;
        for (_, c) in &mut self.tabs {
            if let Some(actions) = c.event(&event, &ctx) {
                self.queue.extend(actions);
                handled = true;
            }
        }
        if !handled && matches!(event, ViewEvent::Import { .. } | ViewEvent::Export { .. }) {
            self.status = Some((T::NotAllowedHere.get(self.lang).to_string(), true));
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
            self.tabs = tabs::for_role(me.role)
                .into_iter()
                .map(|spec| (spec, (spec.build)(&me)))
                .collect();
            self.active = 0;
        }
        self.me = Some(me);
        self.refresh_all();
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
            let _ = self.net.send(Request::Logout);
        }
        self.net.client.set_token(None);
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
        self.offline = Some(Offline { attempt });
        let delay = Duration::from_secs((1u64 << attempt.min(5)).min(30));
        if let Some(tx) = &self.tx {
            crate::event::timer(tx, delay, Action::Retry);
        }
    }

    fn on_response(&mut self, id: RequestId, _read: bool, result: Result<Reply, ApiError>) {
        if self.ping == Some(id) {
            self.ping = None;
            match result {
                Ok(_) => {
                    self.offline = None;
                    self.status = Some((T::BackOnline.get(self.lang).to_string(), false));
                    if self.me_req.is_some() || (self.me.is_none() && self.login.is_none()) {
                        self.me_req = Some(self.net.send(Request::Me));
                    } else {
                        self.refresh_all();
                    }
                }
                Err(_) => self.go_offline(),
            }
            return;
        }
        match &result {
            Err(ApiError::Offline(_)) => {
                if self.offline.is_none() {
                    self.go_offline();
                }
            }
            Ok(_) => self.offline = None,
            Err(_) => {}
        }
        if self.me_req == Some(id) {
            match result {
                Ok(Reply::Me(me)) => {
                    self.me_req = None;
                    self.open_tabs(*me);
                }
                Err(ApiError::Offline(_)) => {} // asked again when the server is back
                Err(e) => {
                    self.me_req = None;
                    let msg = e.message(self.lang);
                    let mut login = Login::new(&self.net.client.base(), "", false);
                    if !e.is_unauthenticated() {
                        login.error = Some(msg);
                    }
                    self.login = Some(login);
                }
                Ok(_) => self.me_req = None,
            }
            return;
        }
        let in_login = self.login.is_some();
        if let Some(login) = &mut self.login {
            let ctx = ctx!(self);
            if let Some(actions) = login.handle_response(id, &result, &ctx) {
                self.push_all(actions);
                return;
            }
        }
        if !in_login
            && result
                .as_ref()
                .err()
                .is_some_and(ApiError::is_unauthenticated)
        {
            // The session ended: log in again on top of the views, which stay as they are.
            let login = self
                .me
                .as_ref()
                .map(|m| m.login.clone())
                .unwrap_or_default();
            self.login = Some(Login::new(&self.net.client.base(), &login, true));
        }
        let ctx = ctx!(self);
        for p in self.popups.iter_mut().rev() {
            if let Some(actions) = p.handle_response(id, &result, &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        for (_, c) in &mut self.tabs {
            if let Some(actions) = c.handle_response(id, &result, &ctx) {
                self.queue.extend(actions);
                return;
            }
        }
        // Nobody waits for it any more: a stale answer, dropped.
    }

    fn on_paste(&mut self, text: &str) {
        let over_login = self.popups_over_login();
        if let Some(c) = &mut self.cmdline {
            c.input.paste(text);
        } else if let (true, Some(p)) = (over_login, self.popups.last_mut()) {
            p.paste(text);
        } else if let Some(l) = &mut self.login {
            l.paste(text);
        } else if let Some(p) = self.popups.last_mut() {
            p.paste(text);
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

    fn on_cmdline_key(&mut self, key: KeyEvent) {
        let tabs: Vec<&TabSpec> = self.tabs.iter().map(|(s, _)| *s).collect();
        let Some(cl) = &mut self.cmdline else { return };
        match key.code {
            KeyCode::Esc => self.cmdline = None,
            KeyCode::Enter => {
                let text = cl.input.value();
                self.cmdline = None;
                match commands::run(&text, &tabs, self.lang) {
                    Ok(actions) => self.queue.extend(actions),
                    Err(msg) => self.status = Some((msg, true)),
                }
            }
            KeyCode::Tab => {
                let options = commands::complete(&cl.input.value(), &tabs);
                if let Some(p) = commands::common_prefix(&options) {
                    let done = options.len() == 1;
                    cl.input.set_value(&if done { format!("{p} ") } else { p });
                }
                cl.completions = options;
            }
            KeyCode::Backspace if cl.input.is_empty() => self.cmdline = None,
            _ => {
                cl.input.key(key);
                cl.completions = commands::complete(&cl.input.value(), &tabs);
            }
        }
    }
}
