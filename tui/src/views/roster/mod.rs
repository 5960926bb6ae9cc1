//! The roster (名簿): members found by server-side search, filters and paging; a member's
//! record beside the list on wide terminals or full screen at 80×24; the vetting queue with
//! approve, reject, suspend, reinstate and re-check; CSV import and export with a progress
//! gauge.
//!
//! Nothing is fetched all at once and filtered here: every keystroke of the search restarts a
//! short timer (`Action::Later`), and only when typing rests is the list asked for; a newer
//! request replaces an older one, whose answer is then dropped as stale.
//!
//! [`RosterView`] is here with its [`Component`] entry points; each concern lives in its own
//! module: `list` (search, filters, order, paging), `record` (the opened record), `vetting`
//! (decisions, notes, invitations), `professional` (a prefecture's own professional entered
//! by hand), `transfer` (CSV), `places` (municipality names), `filter_text` (a filter in
//! words), `mail` (bulk mail to the current filter, and the send history), `draw`.

mod draw;
pub mod filter_text;
pub mod forms;
mod list;
pub mod mail;
pub mod places;
mod professional;
mod record;
pub mod record_text;
pub mod transfer;
mod vetting;

pub use list::{Sort, PER_PAGE, SEARCH_DEBOUNCE};
pub use record::WIDE;

use crate::api::files::Existing;
use crate::app::net::{Answer, Pending, RequestId};
use crate::app::{Action, Ctx, View, ViewCommand};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::widgets::input::Input;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use ouen_shared::api::{
    CsvEncoding, DecisionResult, Invitation, Me, Member, MemberFilter, MemberSummary, Municipality,
    Page, SortOrder,
};
use ouen_shared::Role;
use places::Places;
use ratatui::layout::Rect;
use ratatui::Frame;
use record_text::code_text;
use std::path::PathBuf;
use transfer::Transfer;

/// News for the roster (and the member's own view) from its forms and timers.
#[derive(Debug, Clone)]
pub enum RosterMsg {
    /// The filter panel was applied.
    Filter(Box<MemberFilter>),
    /// A member's record changed (notes, the member's own profile, availability, withdrawal).
    MemberSaved(Box<Member>),
    /// A prefecture's own professional was entered in a form.
    MemberCreated(Box<Member>),
    /// A decision on a membership was made in a form.
    Decided(Box<DecisionResult>),
    /// The search text rested; only the newest generation searches.
    SearchRested(u64),
    /// Another view (the inbox) asks for this member's record to be shown.
    OpenMember(i64),
}

/// What the operator said yes to in the roster.
#[derive(Debug, Clone, PartialEq)]
pub enum RosterConfirm {
    /// A decision that needs no reason (approve, reinstate, confirm a re-check).
    Decide {
        id: i64,
        prefecture: String,
        decision: ouen_shared::api::Decision,
    },
    /// Issue a one-time invitation to a prefecture's own professional.
    Invite { id: i64 },
    /// Export over a file that exists.
    Overwrite {
        path: PathBuf,
        encoding: CsvEncoding,
    },
}

const IMPORT: ViewCommand = ViewCommand {
    name: "import",
    args: "FILE.csv [PREF]",
    about: T::CmdLineImport,
    takes_path: true,
};
const EXPORT: ViewCommand = ViewCommand {
    name: "export",
    args: "FILE.csv [cp932]",
    about: T::CmdLineExport,
    takes_path: true,
};

/// The roster's `:` commands.
pub const COMMANDS: &[ViewCommand] = &[IMPORT, EXPORT];

/// The roster's `:` commands for the roles that may send bulk mail.
pub const COMMANDS_WITH_MAIL: &[ViewCommand] = &[
    IMPORT,
    EXPORT,
    ViewCommand {
        name: "mail",
        args: "",
        about: T::CmdLineMail,
        takes_path: false,
    },
    ViewCommand {
        name: "mail-history",
        args: "",
        about: T::CmdLineMailHistory,
        takes_path: false,
    },
];

pub struct RosterView {
    role: Role,
    /// The caller's own prefecture (prefecture and city accounts).
    prefecture: Option<String>,
    /// The filter in force; `q` is the search text.
    pub filter: MemberFilter,
    /// The filter before the vetting queue was shown, to go back to.
    before_vetting: Option<MemberFilter>,
    sort: Sort,
    order: SortOrder,
    page: u32,
    pub items: Vec<MemberSummary>,
    pub total: i64,
    state: ListState,
    list_req: Option<Pending<Page<MemberSummary>>>,
    /// A member to select once the list shows it (a professional just entered).
    select_when_listed: Option<i64>,
    error: Option<String>,
    search: Input,
    searching: bool,
    /// Bumped on every change of the search text; only the newest timer searches.
    search_gen: u64,
    search_due: bool,
    /// The record last opened, and the request for it.
    pub detail: Option<Member>,
    detail_req: Option<Pending<Member>>,
    /// The record fills the view (terminals narrower than [`WIDE`]).
    full: bool,
    /// Keys scroll the record beside the list.
    detail_focus: bool,
    detail_scroll: usize,
    decide_req: Option<Pending<DecisionResult>>,
    invite_req: Option<Pending<Invitation>>,
    pub transfer: Option<Transfer>,
    places: Places,
    place_reqs: Vec<Pending<Vec<Municipality>>>,
    /// As last drawn.
    wide: bool,
    page_rows: usize,
}

impl RosterView {
    pub fn new(me: &Me) -> RosterView {
        RosterView {
            role: me.role,
            prefecture: me.prefecture_code.clone(),
            filter: MemberFilter::default(),
            before_vetting: None,
            sort: Sort::Kana,
            order: SortOrder::Asc,
            page: 1,
            items: Vec::new(),
            total: 0,
            state: ListState::default(),
            list_req: None,
            select_when_listed: None,
            error: None,
            search: Input::new(false),
            searching: false,
            search_gen: 0,
            search_due: false,
            detail: None,
            detail_req: None,
            full: false,
            detail_focus: false,
            detail_scroll: 0,
            decide_req: None,
            invite_req: None,
            transfer: None,
            places: Places::default(),
            place_reqs: Vec::new(),
            wide: false,
            page_rows: 10,
        }
    }

    /// The bulk-mail form for the filter in force (the search text included).
    fn open_mail(&self, ctx: &Ctx) -> Vec<Action> {
        if !mail::may_send(self.role) {
            return vec![Action::Error(T::NotAllowedHere.get(ctx.lang).to_string())];
        }
        let words = filter_text::filter_words(&self.filter, &self.places, true, ctx.lang);
        let form = mail::MailForm::open(self.filter.clone(), words, ctx);
        vec![Action::PushPopup(Box::new(form))]
    }

    /// The bulk mails sent.
    fn open_mail_history(&self, ctx: &Ctx) -> Vec<Action> {
        if !mail::may_send(self.role) {
            return vec![Action::Error(T::NotAllowedHere.get(ctx.lang).to_string())];
        }
        let history = mail::MailHistory::open(self.places.clone(), ctx);
        vec![Action::PushPopup(Box::new(history))]
    }

    /// Prefectures and the operators decide; the ministry and cities only read.
    fn may_decide(&self) -> bool {
        matches!(self.role, Role::Prefecture | Role::Admin)
    }
}

impl View for RosterView {
    fn handle_key(
        &mut self,
        key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.searching {
            return Some(self.search_key(key, cmd, ctx));
        }
        let cmd = cmd?;
        if self.record_in_front() {
            if self.record_key(cmd) {
                return Some(Vec::new());
            }
            return self.record_command(cmd, ctx);
        }
        if self.list_key(cmd) {
            return Some(Vec::new());
        }
        if let Some(actions) = self.list_command(cmd, ctx) {
            return Some(actions);
        }
        Some(match cmd {
            Command::Open => {
                self.open(ctx);
                Vec::new()
            }
            // Tab or l: the record beside the list takes the keys (opened first if need be).
            Command::NextPane | Command::NextTab if self.wide && self.selected().is_some() => {
                if self.shown_detail().is_none() {
                    self.open(ctx);
                }
                self.detail_focus = true;
                Vec::new()
            }
            Command::VettingQueue => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(
                        T::NotAllowedHere.get(ctx.lang).to_string(),
                    )]);
                }
                self.toggle_vetting(ctx);
                Vec::new()
            }
            Command::BulkMail => self.open_mail(ctx),
            Command::MailHistory => self.open_mail_history(ctx),
            other => return self.record_command(other, ctx),
        })
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        if self.list_answer(answer, ctx) || self.places_answer(answer) {
            return Some(Vec::new());
        }
        self.record_answer(answer, ctx)
            .or_else(|| self.confirmed_answer(answer, ctx))
            .or_else(|| self.transfer_answer(answer, ctx))
    }

    fn progress(&mut self, id: RequestId, done: u64, total: Option<u64>) -> bool {
        self.transfer_progress(id, done, total)
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        if let Some(confirmed) = msg.downcast_ref::<RosterConfirm>() {
            return Some(match confirmed {
                RosterConfirm::Overwrite { path, encoding } => {
                    self.start_export(path.clone(), *encoding, Existing::Replace, ctx)
                }
                other => {
                    self.send_confirmed(other, ctx);
                    Vec::new()
                }
            });
        }
        Some(match msg.downcast_ref::<RosterMsg>()? {
            RosterMsg::Filter(f) => {
                self.filter_applied(f, ctx);
                Vec::new()
            }
            RosterMsg::MemberSaved(m) => {
                self.member_changed(m);
                Vec::new()
            }
            RosterMsg::MemberCreated(m) => self.professional_created(m, ctx),
            RosterMsg::Decided(r) => self.decided(r, ctx),
            // A newer keystroke restarted the timer: an older one is stale.
            RosterMsg::SearchRested(generation) => {
                self.search_timer(*generation, ctx);
                Vec::new()
            }
            RosterMsg::OpenMember(id) => {
                self.open_id(*id, ctx);
                Vec::new()
            }
        })
    }

    fn commands(&self) -> &'static [ViewCommand] {
        if mail::may_send(self.role) {
            COMMANDS_WITH_MAIL
        } else {
            COMMANDS
        }
    }

    fn command(&mut self, name: &str, args: &[&str], ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        let usage = |c: &ViewCommand| {
            vec![Action::Error(format!(
                "{}: :{} {}",
                T::Usage.get(lang),
                c.name,
                c.args
            ))]
        };
        Some(match name {
            "import" => match args {
                [path] | [path, _] => {
                    self.start_import(PathBuf::from(path), args.get(1).map(|p| p.to_string()), ctx)
                }
                _ => usage(&IMPORT),
            },
            "export" => {
                let encoding = match args.get(1).map(|e| e.to_ascii_lowercase()).as_deref() {
                    None | Some("utf8" | "utf-8") => Some(CsvEncoding::Utf8),
                    Some("cp932" | "sjis" | "shift_jis") => Some(CsvEncoding::Cp932),
                    Some(_) => None,
                };
                match (args.first(), encoding, args.len()) {
                    (Some(path), Some(encoding), 1 | 2) => {
                        self.start_export(PathBuf::from(path), encoding, Existing::Keep, ctx)
                    }
                    _ => usage(&EXPORT),
                }
            }
            "mail" if mail::may_send(self.role) => self.open_mail(ctx),
            "mail-history" if mail::may_send(self.role) => self.open_mail_history(ctx),
            _ => return None,
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load(ctx);
        self.reload_record(ctx);
    }

    /// A member changed: the page shown (the list or the vetting queue) is read again, and
    /// the record in front when it is that member's.
    fn live_event(&mut self, event: &ouen_shared::api::StreamEvent, ctx: &Ctx) -> Vec<Action> {
        if event.kind != ouen_shared::api::EventKind::Member {
            return Vec::new();
        }
        self.load(ctx);
        if self.detail.as_ref().map(|d| d.id) == event.subject_id {
            self.reload_record(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some()
            || self.detail_req.is_some()
            || self.decide_req.is_some()
            || self.invite_req.is_some()
            || self.search_due
            || self.transfer.is_some()
    }

    fn insert_mode(&self) -> bool {
        self.searching
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        if !self.searching {
            return Vec::new();
        }
        self.search.paste(text);
        self.search_changed()
    }

    fn selected_value(&self) -> Option<String> {
        let s = self.selected()?;
        Some(match &s.registration_code {
            Some(c) => code_text(Some(c)),
            None => s.name.clone(),
        })
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Roster)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        let t = if self.record_in_front() {
            if self.may_decide() {
                T::RosterHintsDetailDecide
            } else {
                T::RosterHintsDetail
            }
        } else if self.may_decide() {
            T::RosterHintsDecide
        } else {
            T::RosterHintsRead
        };
        Some(t.get(ctx.lang).to_string())
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
