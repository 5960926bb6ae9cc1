//! The roster (名簿): members found by server-side search, filters and paging; a member's
//! record beside the list on wide terminals or full screen at 80×24; the vetting queue with
//! approve, reject, suspend, reinstate and re-check; CSV import and export with a progress
//! gauge.
//!
//! Nothing is fetched all at once and filtered here: every keystroke of the search restarts a
//! short timer ([`Action::Later`]), and only when typing rests is the list asked for; a newer
//! request replaces an older one, whose answer is then dropped as stale.
//!
//! [`RosterView`] is here with its [`Component`] entry points; each concern lives in its own
//! module: `list` (search, filters, order, paging), `record` (the opened record), `vetting`
//! (decisions, notes, invitations), `professional` (a prefecture's own professional entered
//! by hand), `transfer` (CSV), `places` (municipality names), `draw`.

mod draw;
pub mod forms;
mod list;
mod places;
mod professional;
mod record;
pub mod record_text;
pub mod transfer;
mod vetting;

pub use list::{Sort, PER_PAGE, SEARCH_DEBOUNCE};
pub use record::WIDE;

use super::popup::ConfirmTag;
use super::{Component, Ctx};
use crate::action::{Action, RequestId, TimerTag, ViewEvent};
use crate::api::{ApiError, Reply};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::widgets::input::Input;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use ouen_shared::api::{Me, Member, MemberFilter, MemberSummary, SortOrder};
use ouen_shared::Role;
use places::Places;
use ratatui::layout::Rect;
use ratatui::Frame;
use record_text::code_text;
use transfer::Transfer;

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
    list_req: Option<RequestId>,
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
    detail_req: Option<RequestId>,
    /// The record fills the view (terminals narrower than [`WIDE`]).
    full: bool,
    /// Keys scroll the record beside the list.
    detail_focus: bool,
    detail_scroll: usize,
    op_req: Option<RequestId>,
    pub transfer: Option<Transfer>,
    places: Places,
    place_reqs: Vec<RequestId>,
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
            op_req: None,
            transfer: None,
            places: Places::default(),
            place_reqs: Vec::new(),
            wide: false,
            page_rows: 10,
        }
    }

    /// Prefectures and the operators decide; the ministry and cities only read.
    fn may_decide(&self) -> bool {
        matches!(self.role, Role::Prefecture | Role::Admin)
    }
}

impl Component for RosterView {
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
            Command::NextPane if self.wide && self.shown_detail().is_some() => {
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
            other => return self.record_command(other, ctx),
        })
    }

    fn confirmed(&mut self, tag: &ConfirmTag, ctx: &Ctx) -> Vec<Action> {
        self.send_confirmed(tag, ctx);
        Vec::new()
    }

    fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.list_answer(id, result, ctx) || self.places_answer(id, result) {
            return Some(Vec::new());
        }
        self.record_answer(id, result, ctx)
            .or_else(|| self.confirmed_answer(id, result, ctx))
            .or_else(|| self.transfer_answer(id, result, ctx))
    }

    fn timer(&mut self, tag: TimerTag, ctx: &Ctx) -> Vec<Action> {
        match tag {
            // A newer keystroke restarted the timer: this one is stale.
            TimerTag::RosterSearch(generation) => self.search_timer(generation, ctx),
        }
        Vec::new()
    }

    fn progress(&mut self, id: RequestId, done: u64, total: Option<u64>) -> bool {
        self.transfer_progress(id, done, total)
    }

    fn event(&mut self, event: &ViewEvent, ctx: &Ctx) -> Option<Vec<Action>> {
        match event {
            ViewEvent::Filter(f) => {
                self.filter_applied(f, ctx);
                Some(Vec::new())
            }
            ViewEvent::MemberSaved(m) => {
                self.member_changed(m);
                Some(Vec::new())
            }
            ViewEvent::MemberCreated(m) => Some(self.professional_created(m, ctx)),
            ViewEvent::Decided(r) => Some(self.decided(r, ctx)),
            ViewEvent::Import { path, prefecture } => {
                Some(self.start_import(path.clone(), prefecture.clone(), ctx))
            }
            ViewEvent::Export { path, encoding } => {
                Some(self.start_export(path.clone(), *encoding, ctx))
            }
        }
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load(ctx);
        self.reload_record(ctx);
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some()
            || self.detail_req.is_some()
            || self.op_req.is_some()
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
