//! The roster (名簿): members found by server-side search, filters and paging; a member's
//! record beside the list on wide terminals or full screen at 80×24; the vetting queue with
//! approve, reject, suspend, reinstate and re-check; CSV import and export with a progress
//! gauge.
//!
//! Nothing is fetched all at once and filtered here: every keystroke of the search restarts a
//! short timer ([`Action::Later`]), and only when typing rests is the list asked for; a newer
//! request replaces an older one, whose answer is then dropped as stale.

pub mod detail;
pub mod forms;
pub mod transfer;

use super::confirm::Confirm;
use super::form::{Form, Purpose};
use super::lines::Lines;
use super::message::Message;
use super::popup::{ConfirmTag, Popup};
use super::{Component, Ctx};
use crate::action::{Action, RequestId, TimerTag, ViewEvent};
use crate::api::{ApiError, Reply, Request};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, truncate, width};
use crossterm::event::{KeyCode, KeyEvent};
use detail::{code_text, member_lines, prefecture_name, prefecture_short, summary_lines, Places};
use ouen_shared::api::{
    CsvEncoding, Decision, DecisionResult, Me, Member, MemberFilter, MemberSummary,
    MembershipBrief, SortOrder,
};
use ouen_shared::roster::join_labels;
use ouen_shared::{Lang, MembershipStatus, Role};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::path::PathBuf;
use std::time::Duration;
use transfer::{ImportStep, Kind, Transfer};

/// Rows asked for per page.
pub const PER_PAGE: u32 = 50;
/// How long typing must rest before the search is sent.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);
/// From this width the record is shown beside the list.
pub const WIDE: u16 = 110;

/// The orders the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Kana,
    Name,
    Code,
    Experience,
    Updated,
    LastDispatch,
}

impl Sort {
    pub const ALL: &'static [Sort] = &[
        Sort::Kana,
        Sort::Name,
        Sort::Code,
        Sort::Experience,
        Sort::Updated,
        Sort::LastDispatch,
    ];

    /// The API's name of the order.
    pub fn code(self) -> &'static str {
        match self {
            Sort::Kana => "kana",
            Sort::Name => "name",
            Sort::Code => "code",
            Sort::Experience => "experience",
            Sort::Updated => "updated_at",
            Sort::LastDispatch => "last_dispatch",
        }
    }

    fn label(self) -> T {
        match self {
            Sort::Kana => T::ColKana,
            Sort::Name => T::ColName,
            Sort::Code => T::ColCode,
            Sort::Experience => T::FieldExperienceYears,
            Sort::Updated => T::ColUpdated,
            Sort::LastDispatch => T::ColLastDispatch,
        }
    }

    /// Names and codes read best ascending; numbers and dates newest or largest first.
    fn natural(self) -> SortOrder {
        match self {
            Sort::Kana | Sort::Name | Sort::Code => SortOrder::Asc,
            _ => SortOrder::Desc,
        }
    }

    fn next(self) -> Sort {
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Sort::ALL[(i + 1) % Sort::ALL.len()]
    }
}

/// A membership as far as a decision needs it.
struct Standing {
    prefecture: String,
    status: MembershipStatus,
    recheck: bool,
}

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

    fn pages(&self) -> u32 {
        let n = u32::try_from(self.total.max(0)).unwrap_or(u32::MAX);
        n.div_ceil(PER_PAGE).max(1)
    }

    /// Asks for the current page.
    fn load(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.send(Request::Members {
            filter: self.filter.clone(),
            page: self.page,
            per_page: PER_PAGE,
            sort: self.sort.code(),
            order: self.order,
        }));
    }

    /// Back to the first page of a changed filter or order.
    fn reload(&mut self, ctx: &Ctx) {
        self.page = 1;
        self.state = ListState::default();
        self.load(ctx);
    }

    /// The search text changed: (re)start the timer.
    fn search_changed(&mut self) -> Vec<Action> {
        self.search_gen += 1;
        self.search_due = true;
        vec![Action::Later {
            after: SEARCH_DEBOUNCE,
            tag: TimerTag::RosterSearch(self.search_gen),
        }]
    }

    /// Searches for the text typed now.
    fn search_now(&mut self, ctx: &Ctx) {
        self.search_due = false;
        let q = self.search.value();
        let q = q.trim();
        self.filter.q = (!q.is_empty()).then(|| q.to_string());
        self.reload(ctx);
    }

    pub fn selected(&self) -> Option<&MemberSummary> {
        self.items.get(self.state.selected)
    }

    /// The record on screen: the one opened full screen or focused beside the list, else the
    /// selected row's when it was opened.
    fn shown_detail(&self) -> Option<&Member> {
        let d = self.detail.as_ref()?;
        if self.full || self.detail_focus {
            return Some(d);
        }
        (self.selected().map(|s| s.id) == Some(d.id)).then_some(d)
    }

    fn open(&mut self, ctx: &Ctx) {
        let Some(id) = self.selected().map(|s| s.id) else {
            return;
        };
        if !self.wide {
            self.full = true;
        }
        self.detail_scroll = 0;
        if self.detail.as_ref().map(|d| d.id) != Some(id) {
            self.detail = None;
        }
        self.detail_req = Some(ctx.net.send(Request::Member { id }));
    }

    /// The member a decision is about, with the memberships the caller sees.
    fn subject(&self) -> Option<(i64, String, Vec<Standing>)> {
        if let Some(d) = self.shown_detail() {
            return Some((
                d.id,
                clean(&d.name),
                d.memberships
                    .iter()
                    .map(|m| Standing {
                        prefecture: m.prefecture_code.clone(),
                        status: m.status,
                        recheck: m.recheck_needed,
                    })
                    .collect(),
            ));
        }
        let s = self.selected()?;
        Some((
            s.id,
            clean(&s.name),
            s.memberships
                .iter()
                .map(|m| Standing {
                    prefecture: m.prefecture_code.clone(),
                    status: m.status,
                    recheck: m.recheck_needed,
                })
                .collect(),
        ))
    }

    /// Which membership a decision applies to: a prefecture's own; for the operators, the
    /// filtered prefecture's or else the first one the decision fits.
    fn membership_for(&self, standings: &[Standing], decision: Decision) -> Result<String, T> {
        let fits = |s: &Standing| match decision {
            Decision::Approve | Decision::Reject => s.status == MembershipStatus::Applied,
            Decision::Suspend => s.status == MembershipStatus::Approved,
            Decision::Reinstate => s.status == MembershipStatus::Suspended,
            Decision::ConfirmRecheck => s.recheck,
            Decision::Withdraw => s.status != MembershipStatus::Withdrawn,
        };
        let own = |s: &&Standing| match (&self.role, &self.prefecture) {
            (Role::Prefecture, Some(p)) => &s.prefecture == p,
            _ => true,
        };
        let filtered = self
            .filter
            .prefecture
            .as_deref()
            .filter(|p| !p.contains(','));
        let mut candidates: Vec<&Standing> = standings.iter().filter(own).collect();
        if let Some(p) = filtered {
            candidates.sort_by_key(|s| s.prefecture != p);
        }
        candidates
            .into_iter()
            .find(|s| fits(s))
            .map(|s| s.prefecture.clone())
            .ok_or(match decision {
                Decision::Approve | Decision::Reject => T::NoApplication,
                Decision::Suspend => T::NotApproved,
                Decision::Reinstate => T::NotSuspended,
                Decision::ConfirmRecheck => T::NoRecheck,
                Decision::Withdraw => T::AlreadyWithdrawn,
            })
    }

    fn decide(&self, decision: Decision, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        if !self.may_decide() {
            return vec![Action::Error(T::NotAllowedHere.get(lang).to_string())];
        }
        let Some((id, name, standings)) = self.subject() else {
            return vec![Action::Error(T::NoSelection.get(lang).to_string())];
        };
        let prefecture = match self.membership_for(&standings, decision) {
            Ok(p) => p,
            Err(t) => return vec![Action::Error(format!("{name}: {}", t.get(lang)))],
        };
        let pref = prefecture_name(&prefecture, lang);
        let popup = if decision.needs_reason() {
            Popup::Form(
                Form::new(Purpose::Decide {
                    id,
                    prefecture,
                    decision,
                })
                .with_subject(&format!("{name} / {pref}")),
            )
        } else {
            let question = match decision {
                Decision::Approve => T::ConfirmApprove,
                Decision::Reinstate => T::ConfirmReinstate,
                _ => T::ConfirmRecheckDone,
            };
            Popup::Confirm(Confirm::new(
                format!("{}\n{name} / {pref}", question.get(lang)),
                ConfirmTag::Decide {
                    id,
                    prefecture,
                    decision,
                },
            ))
        };
        vec![Action::PushPopup(Box::new(popup))]
    }

    /// Takes a decision's answer: the record and the row change at once, the list is asked
    /// for again (the member may have left the filter), and an issued code is shown.
    fn decided(&mut self, r: &DecisionResult, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let m = &r.member;
        self.member_changed(m);
        self.load(ctx);
        let name = clean(&m.name);
        match &r.issued_registration_code {
            Some(code) => vec![Action::PushPopup(Box::new(Popup::Message(Message {
                title: T::CodeIssuedTitle.get(lang).to_string(),
                lines: vec![
                    format!("{name}（{}）", clean(&m.name_kana)),
                    T::CodeIssued.get(lang).to_string(),
                ],
                value: Some(code_text(Some(code))),
            })))],
            None => {
                let states: Vec<String> = m
                    .memberships
                    .iter()
                    .map(|ms| {
                        format!(
                            "{} {}",
                            prefecture_name(&ms.prefecture_code, lang),
                            ms.status.label(lang)
                        )
                    })
                    .collect();
                vec![Action::Status(format!(
                    "{} {name}: {}",
                    T::Saved.get(lang),
                    states.join(", ")
                ))]
            }
        }
    }

    /// A member's record changed: the open record and the row follow.
    fn member_changed(&mut self, m: &Member) {
        if self.detail.as_ref().is_some_and(|d| d.id == m.id) {
            self.detail = Some(m.clone());
        }
        if let Some(row) = self.items.iter_mut().find(|s| s.id == m.id) {
            row.registration_code = m.registration_code.clone();
            row.name = m.name.clone();
            row.name_kana = m.name_kana.clone();
            row.memberships = m
                .memberships
                .iter()
                .map(|ms| MembershipBrief {
                    prefecture_code: ms.prefecture_code.clone(),
                    status: ms.status,
                    managed: ms.managed,
                    recheck_needed: ms.recheck_needed,
                })
                .collect();
        }
    }

    /// `v`: the applications waiting for the caller's own prefecture, or back to the list.
    fn toggle_vetting(&mut self, ctx: &Ctx) {
        match self.before_vetting.take() {
            Some(before) => self.filter = before,
            None => {
                self.before_vetting = Some(self.filter.clone());
                self.filter = MemberFilter {
                    status: Some(MembershipStatus::Applied.code().to_string()),
                    prefecture: match self.role {
                        Role::Prefecture => self.prefecture.clone(),
                        _ => None,
                    },
                    ..Default::default()
                };
                self.search.set_value("");
            }
        }
        self.search
            .set_value(self.filter.q.as_deref().unwrap_or(""));
        self.reload(ctx);
    }

    fn vetting(&self) -> bool {
        self.before_vetting.is_some()
    }

    fn start_import(
        &mut self,
        path: PathBuf,
        prefecture: Option<String>,
        ctx: &Ctx,
    ) -> Vec<Action> {
        let lang = ctx.lang;
        if !self.may_decide() {
            return vec![Action::Error(T::NotAllowedHere.get(lang).to_string())];
        }
        if self.transfer.is_some() {
            return vec![Action::Error(T::TransferBusy.get(lang).to_string())];
        }
        let req = ctx.net.send(Request::ReadFile { path: path.clone() });
        self.transfer = Some(Transfer {
            kind: Kind::Import {
                step: ImportStep::Reading,
                prefecture,
                csv: None,
                rows: 0,
            },
            path,
            req,
            done: 0,
            total: None,
        });
        Vec::new()
    }

    fn start_export(&mut self, path: PathBuf, encoding: CsvEncoding, ctx: &Ctx) -> Vec<Action> {
        if self.transfer.is_some() {
            return vec![Action::Error(T::TransferBusy.get(ctx.lang).to_string())];
        }
        let req = ctx.net.send(Request::Export {
            filter: self.filter.clone(),
            encoding,
            path: path.clone(),
        });
        self.transfer = Some(Transfer {
            kind: Kind::Export,
            path,
            req,
            done: 0,
            total: None,
        });
        Vec::new()
    }

    /// The answer to the current step of an import or export.
    fn transfer_answer(&mut self, result: &Result<Reply, ApiError>, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let Some(t) = self.transfer.as_mut() else {
            return Vec::new();
        };
        let path = t.path.display().to_string();
        match (result, &mut t.kind) {
            (
                Ok(Reply::File(csv)),
                Kind::Import {
                    step, prefecture, ..
                },
            ) => {
                *step = ImportStep::Checking;
                let prefecture = prefecture.clone();
                let csv = csv.clone();
                t.req = ctx.net.send(Request::Import {
                    csv: csv.clone(),
                    prefecture,
                    dry_run: true,
                });
                if let Kind::Import { csv: slot, .. } = &mut t.kind {
                    *slot = Some(csv);
                }
                Vec::new()
            }
            (
                Ok(Reply::Imported(report)),
                Kind::Import {
                    step,
                    prefecture,
                    csv,
                    rows,
                },
            ) if report.dry_run => {
                *step = ImportStep::Saving;
                *rows = report.rows;
                let Some(csv) = csv.clone() else {
                    self.transfer = None;
                    return Vec::new();
                };
                t.req = ctx.net.send(Request::Import {
                    csv,
                    prefecture: prefecture.clone(),
                    dry_run: false,
                });
                Vec::new()
            }
            (Ok(Reply::Imported(report)), Kind::Import { .. }) => {
                self.transfer = None;
                self.reload(ctx);
                vec![Action::Status(format!(
                    "{}: {} {} / {} {}",
                    T::ImportDone.get(lang),
                    report.created,
                    T::Rows.get(lang),
                    report.rows,
                    path
                ))]
            }
            (Ok(Reply::Exported { path, bytes }), Kind::Export) => {
                let text = format!(
                    "{}: {} ({})",
                    T::ExportDone.get(lang),
                    path.display(),
                    transfer::human_bytes(*bytes)
                );
                self.transfer = None;
                vec![Action::Status(text)]
            }
            (Ok(_), _) => {
                self.transfer = None;
                Vec::new()
            }
            (Err(ApiError::Server(body)), kind) if !body.fields.is_empty() => {
                let (title, nothing) = match kind {
                    Kind::Import { .. } => (T::ImportRefused, T::ImportNothingSaved),
                    Kind::Export => (T::ExportRefused, T::ExportNothingWritten),
                };
                let mut intro = vec![clean(&body.message), nothing.get(lang).to_string()];
                intro.push(format!("{}: {path}", T::File.get(lang)));
                if let Some(id) = &body.request_id {
                    intro.push(format!("request id: {id}"));
                }
                self.transfer = None;
                vec![Action::PushPopup(Box::new(Popup::Lines(Lines::new(
                    title.get(lang),
                    intro,
                    transfer::error_lines(body, lang),
                ))))]
            }
            (Err(e), _) => {
                self.transfer = None;
                vec![Action::Error(e.message(lang))]
            }
        }
    }

    /// Names for the home municipalities on the page, one reference list per prefecture.
    fn ask_places(&mut self, ctx: &Ctx) {
        let mut wanted: Vec<String> = self
            .items
            .iter()
            .map(|s| s.prefecture_code.clone())
            .collect();
        wanted.sort();
        wanted.dedup();
        for p in wanted {
            if !self.places.asked.contains(&p) {
                self.places.asked.push(p.clone());
                self.place_reqs.push(ctx.net.send(Request::Municipalities {
                    prefecture: Some(p),
                    q: String::new(),
                    cities_only: false,
                }));
            }
        }
    }

    fn status_cell(&self, s: &MemberSummary, lang: Lang) -> String {
        let own_only = self.role == Role::Prefecture
            && s.memberships.len() == 1
            && s.memberships.first().map(|m| &m.prefecture_code) == self.prefecture.as_ref();
        if own_only || (s.memberships.len() == 1 && self.role == Role::City) {
            return s
                .memberships
                .first()
                .map(|m| m.status.label(lang).to_string())
                .unwrap_or_default();
        }
        s.memberships
            .iter()
            .map(|m| {
                format!(
                    "{}:{}",
                    prefecture_short(&m.prefecture_code, lang),
                    m.status.label(lang)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The list's columns; the status gets more room where several prefectures show.
    fn columns(&self, lang: Lang) -> Vec<Column> {
        let several = matches!(self.role, Role::National | Role::Admin);
        vec![
            Column::new(T::ColCode.get(lang), 12, 12),
            Column::new(T::ColName.get(lang), 6, 14),
            Column::new(T::ColKana.get(lang), 6, 16),
            Column::new(T::ColProfessions.get(lang), 4, 18),
            Column::new(T::ColHome.get(lang), 6, 20),
            Column::new(T::ColStatus.get(lang), if several { 12 } else { 4 }, 24),
            Column::new(T::ColRecheck.get(lang), 2, 6),
        ]
    }

    fn rows(&self, lang: Lang) -> Vec<Vec<String>> {
        self.items
            .iter()
            .map(|s| {
                let recheck = s.memberships.iter().any(|m| m.recheck_needed);
                vec![
                    code_text(s.registration_code.as_deref()),
                    clean(&s.name),
                    clean(&s.name_kana),
                    join_labels(&s.professions, |p| p.label(lang), lang),
                    self.places.home_from(
                        self.prefecture.as_deref(),
                        &s.prefecture_code,
                        &s.municipality_code,
                        lang,
                    ),
                    self.status_cell(s, lang),
                    if recheck {
                        T::RecheckMark.get(lang).to_string()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect()
    }

    /// `職種=看護師 状態=審査中 …` for the filters in force (the search text has its own line).
    fn filter_summary(&self, lang: Lang) -> String {
        use super::picker::CodeList;
        let f = &self.filter;
        let mut parts = Vec::new();
        let mut put = |label: T, value: String| {
            parts.push(format!("{}={value}", label.get(lang)));
        };
        if let Some(v) = &f.profession {
            put(T::ColProfessions, CodeList::Professions.labels(v, lang));
        }
        if let Some(v) = &f.prefecture {
            put(T::FilterPrefecture, CodeList::Prefectures.labels(v, lang));
        }
        if let Some(v) = &f.municipality {
            put(
                T::FilterMunicipality,
                self.places.name(v).unwrap_or(v).to_string(),
            );
        }
        if let Some(v) = &f.status {
            put(T::ColStatus, CodeList::Statuses.labels(v, lang));
        }
        if let Some(v) = &f.experience {
            put(
                T::FieldExperienceFields,
                CodeList::ExperienceFields.labels(v, lang),
            );
        }
        if let Some(v) = &f.language {
            put(T::FieldLanguages, CodeList::Languages.labels(v, lang));
        }
        match (f.available_from, f.available_to) {
            (Some(a), Some(b)) => put(T::Availability, format!("{a}〜{b}")),
            (Some(a), None) | (None, Some(a)) => put(T::Availability, a.to_string()),
            (None, None) => {}
        }
        if let Some(w) = f.way {
            put(T::FilterWay, w.label(lang).to_string());
        }
        if let Some(t) = &f.training {
            put(T::FilterTraining, clean(t));
        }
        if let Some(d) = f.dispatched_since {
            put(T::FilterDispatchedSince, d.to_string());
        }
        if f.never_dispatched == Some(true) {
            parts.push(T::FilterNeverDispatched.get(lang).to_string());
        }
        if f.recheck == Some(true) {
            parts.push(T::FilterRecheck.get(lang).to_string());
        }
        match f.managed {
            Some(true) => parts.push(T::ManagedOnly.get(lang).to_string()),
            Some(false) => parts.push(T::ApplicantsOnly.get(lang).to_string()),
            None => {}
        }
        parts.join("  ")
    }

    fn list_key(&mut self, cmd: Command) -> bool {
        let len = self.items.len();
        let half = (self.page_rows / 2).max(1) as isize;
        match cmd {
            Command::Down => self.state.step(1, len),
            Command::Up => self.state.step(-1, len),
            Command::Top => self.state.selected = 0,
            Command::Bottom => self.state.selected = len.saturating_sub(1),
            Command::PageDown => self.state.step(half, len),
            Command::PageUp => self.state.step(-half, len),
            _ => return false,
        }
        true
    }

    fn scroll_key(&mut self, cmd: Command) -> bool {
        let half = (self.page_rows / 2).max(1);
        match cmd {
            Command::Down => self.detail_scroll += 1,
            Command::Up => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Command::PageDown => self.detail_scroll += half,
            Command::PageUp => self.detail_scroll = self.detail_scroll.saturating_sub(half),
            Command::Top => self.detail_scroll = 0,
            Command::Bottom => self.detail_scroll = usize::MAX / 2,
            _ => return false,
        }
        true
    }

    fn search_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        match key.code {
            KeyCode::Enter => {
                self.searching = false;
                if self.search_due {
                    self.search_now(ctx);
                }
                Vec::new()
            }
            KeyCode::Esc => {
                self.searching = false;
                let had = self.filter.q.is_some() || self.search_due;
                self.search.set_value("");
                if had {
                    self.search_now(ctx);
                }
                Vec::new()
            }
            KeyCode::Down | KeyCode::Up => {
                if let Some(c) = cmd {
                    self.list_key(c);
                }
                Vec::new()
            }
            _ => {
                let before = self.search.value();
                self.search.key(key);
                if self.search.value() != before {
                    self.search_changed()
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// The roster's own commands (the same in the list and on an open record).
    fn roster_command(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        Some(match cmd {
            Command::Approve => self.decide(Decision::Approve, ctx),
            Command::Reject => self.decide(Decision::Reject, ctx),
            Command::Suspend => self.decide(Decision::Suspend, ctx),
            Command::Reinstate => self.decide(Decision::Reinstate, ctx),
            Command::ConfirmRecheck => self.decide(Decision::ConfirmRecheck, ctx),
            Command::WithdrawMember => self.decide(Decision::Withdraw, ctx),
            Command::EditNotes => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]);
                }
                match self.shown_detail() {
                    Some(d) => {
                        let form = Form::new(Purpose::EditNotes { id: d.id })
                            .with_value("notes", &d.notes)
                            .with_subject(&clean(&d.name));
                        vec![Action::PushPopup(Box::new(Popup::Form(form)))]
                    }
                    None => vec![Action::Error(T::OpenFirst.get(lang).to_string())],
                }
            }
            Command::Invite => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]);
                }
                match self.shown_detail() {
                    Some(d) if d.login.is_none() => {
                        vec![Action::PushPopup(Box::new(Popup::Confirm(Confirm::new(
                            format!("{}\n{}", T::ConfirmInvite.get(lang), clean(&d.name)),
                            ConfirmTag::Invite { id: d.id },
                        ))))]
                    }
                    Some(_) => vec![Action::Error(T::HasAccount.get(lang).to_string())],
                    None => vec![Action::Error(T::OpenFirst.get(lang).to_string())],
                }
            }
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            _ => return None,
        })
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
        if self.full || self.detail_focus {
            if self.scroll_key(cmd) {
                return Some(Vec::new());
            }
            if matches!(cmd, Command::Back | Command::PrevPane) {
                self.full = false;
                self.detail_focus = false;
                return Some(Vec::new());
            }
            return self.roster_command(cmd, ctx);
        }
        if self.list_key(cmd) {
            return Some(Vec::new());
        }
        let lang = ctx.lang;
        Some(match cmd {
            Command::Open => {
                self.open(ctx);
                Vec::new()
            }
            Command::NextPane if self.wide && self.shown_detail().is_some() => {
                self.detail_focus = true;
                Vec::new()
            }
            Command::Filter => {
                self.searching = true;
                Vec::new()
            }
            Command::Back if !self.search.is_empty() => {
                self.search.set_value("");
                self.search_now(ctx);
                Vec::new()
            }
            Command::FilterPanel => {
                let own = match self.role {
                    Role::Prefecture | Role::City => self.prefecture.clone(),
                    _ => None,
                };
                let form = forms::filter_form(&self.filter, own, lang);
                vec![Action::PushPopup(Box::new(Popup::Form(form)))]
            }
            Command::ClearFilter => {
                self.filter = MemberFilter::default();
                self.before_vetting = None;
                self.search.set_value("");
                self.reload(ctx);
                Vec::new()
            }
            Command::VettingQueue => {
                if !self.may_decide() {
                    return Some(vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]);
                }
                self.toggle_vetting(ctx);
                Vec::new()
            }
            Command::NextPage => {
                if self.page < self.pages() {
                    self.page += 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::PrevPage => {
                if self.page > 1 {
                    self.page -= 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::SortNext => {
                self.sort = self.sort.next();
                self.order = self.sort.natural();
                self.reload(ctx);
                Vec::new()
            }
            Command::SortReverse => {
                self.order = match self.order {
                    SortOrder::Asc => SortOrder::Desc,
                    SortOrder::Desc => SortOrder::Asc,
                };
                self.reload(ctx);
                Vec::new()
            }
            other => return self.roster_command(other, ctx),
        })
    }

    fn confirmed(&mut self, tag: &ConfirmTag, ctx: &Ctx) -> Vec<Action> {
        match tag {
            ConfirmTag::Decide {
                id,
                prefecture,
                decision,
            } => {
                self.op_req = Some(ctx.net.send(Request::Decide {
                    id: *id,
                    prefecture: prefecture.clone(),
                    body: ouen_shared::api::DecisionRequest {
                        decision: *decision,
                        reason: None,
                    },
                }));
            }
            ConfirmTag::Invite { id } => {
                self.op_req = Some(ctx.net.send(Request::Invite { id: *id }));
            }
            _ => {}
        }
        Vec::new()
    }

    fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if self.list_req == Some(id) {
            self.list_req = None;
            match result {
                Ok(Reply::Members(page)) => {
                    self.items = page.items.clone();
                    self.total = page.total;
                    self.page = page.page.max(1);
                    self.state.clamp(self.items.len());
                    self.error = None;
                    self.ask_places(ctx);
                }
                Ok(_) => {}
                Err(ApiError::Offline(_)) => {}
                Err(e) if e.is_unauthenticated() => {}
                Err(e) => self.error = Some(e.message(lang)),
            }
            return Some(Vec::new());
        }
        if let Some(i) = self.place_reqs.iter().position(|r| *r == id) {
            self.place_reqs.remove(i);
            if let Ok(Reply::Municipalities(list)) = result {
                self.places.learn(list);
            }
            return Some(Vec::new());
        }
        if self.detail_req == Some(id) {
            self.detail_req = None;
            return Some(match result {
                Ok(Reply::Member(m)) => {
                    self.detail = Some((**m).clone());
                    Vec::new()
                }
                Ok(_) => Vec::new(),
                Err(e) => {
                    self.full = false;
                    vec![Action::Error(e.message(lang))]
                }
            });
        }
        if self.op_req == Some(id) {
            self.op_req = None;
            return Some(match result {
                Ok(Reply::Decided(r)) => self.decided(r, ctx),
                Ok(Reply::Invitation(inv)) => {
                    vec![Action::PushPopup(Box::new(Popup::Message(Message {
                        title: T::InvitationTitle.get(lang).to_string(),
                        lines: vec![
                            T::InvitationOnce.get(lang).to_string(),
                            format!(
                                "{}: {}",
                                T::Expires.get(lang),
                                ouen_shared::time::format_jst(inv.expires_at)
                            ),
                        ],
                        value: Some(inv.token.clone()),
                    })))]
                }
                Ok(_) => Vec::new(),
                Err(e) => vec![Action::Error(e.message(lang))],
            });
        }
        if self.transfer.as_ref().is_some_and(|t| t.req == id) {
            return Some(self.transfer_answer(result, ctx));
        }
        None
    }

    fn timer(&mut self, tag: TimerTag, ctx: &Ctx) -> Vec<Action> {
        match tag {
            TimerTag::RosterSearch(generation) => {
                // A newer keystroke restarted the timer: this one is stale.
                if generation == self.search_gen && self.search_due {
                    self.search_now(ctx);
                }
            }
        }
        Vec::new()
    }

    fn progress(&mut self, id: RequestId, done: u64, total: Option<u64>) -> bool {
        match self.transfer.as_mut() {
            Some(t) if t.req == id => {
                t.done = done;
                t.total = total;
                true
            }
            _ => false,
        }
    }

    fn event(&mut self, event: &ViewEvent, ctx: &Ctx) -> Option<Vec<Action>> {
        match event {
            ViewEvent::Filter(f) => {
                let q = self.filter.q.take();
                self.filter = (**f).clone();
                self.filter.q = q;
                self.before_vetting = None;
                self.reload(ctx);
                Some(Vec::new())
            }
            ViewEvent::MemberSaved(m) => {
                self.member_changed(m);
                Some(Vec::new())
            }
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
        if let (true, Some(d)) = (self.full || self.detail_focus, &self.detail) {
            self.detail_req = Some(ctx.net.send(Request::Member { id: d.id }));
        }
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
        let t = if self.full || self.detail_focus {
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
        if area.height < 4 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        self.wide = area.width >= WIDE;
        if self.wide {
            self.full = false;
        }
        // Title: count, page, order, queue, loading.
        let arrow = match self.order {
            SortOrder::Asc => "↑",
            SortOrder::Desc => "↓",
        };
        let mut spans = vec![
            Span::styled(format!("{} ", T::TabRoster.get(lang)), theme.title),
            Span::raw(format!(
                "{}{}{}  {}/{}{}  ",
                self.total,
                lang.pick("", " "),
                T::Rows.get(lang),
                self.page,
                self.pages(),
                T::PageWord.get(lang)
            )),
            Span::styled(
                format!(
                    "{}: {}{arrow}  ",
                    T::SortWord.get(lang),
                    self.sort.label().get(lang)
                ),
                theme.dim,
            ),
        ];
        if self.vetting() {
            spans.push(Span::styled(
                format!(" {} ", T::VettingQueue.get(lang)),
                theme.tab_active,
            ));
            spans.push(Span::raw(" "));
        }
        if self.list_req.is_some()
            || self.search_due
            || self.detail_req.is_some()
            || self.op_req.is_some()
        {
            spans.push(Span::raw(format!(
                "{} {}",
                spinner::frame(ctx.tick),
                T::Loading.get(lang)
            )));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect { height: 1, ..area },
        );
        let mut body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        let take_line = |body: &mut Rect| -> Option<Rect> {
            if body.height < 3 {
                return None;
            }
            let r = Rect { height: 1, ..*body };
            body.y += 1;
            body.height -= 1;
            Some(r)
        };
        if self.searching || !self.search.is_empty() {
            if let Some(r) = take_line(&mut body) {
                let label = format!("/{}: ", T::SearchPrompt.get(lang));
                let lw = width(&label) as u16;
                frame.render_widget(Paragraph::new(Span::styled(label, theme.key)), r);
                let mut input_area = Rect {
                    x: r.x + lw,
                    width: r.width.saturating_sub(lw + 2),
                    ..r
                };
                if self.search_due {
                    frame.render_widget(
                        Paragraph::new(spinner::frame(ctx.tick)),
                        Rect {
                            x: r.x + r.width.saturating_sub(1),
                            width: 1,
                            ..r
                        },
                    );
                    input_area.width = input_area.width.saturating_sub(1);
                }
                self.search.draw(frame, input_area, self.searching, theme);
            }
        }
        let summary = self.filter_summary(lang);
        if !summary.is_empty() {
            if let Some(r) = take_line(&mut body) {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(
                            &format!("{}: {summary}", T::FilterPrompt.get(lang)),
                            r.width as usize,
                        ),
                        theme.dim,
                    )),
                    r,
                );
            }
        }
        if let Some(e) = &self.error {
            if let Some(r) = take_line(&mut body) {
                frame.render_widget(
                    Paragraph::new(Line::styled(truncate(e, r.width as usize), theme.error)),
                    r,
                );
            }
        }
        if self.transfer.is_some() && body.height >= 3 {
            let r = Rect {
                y: body.y + body.height - 1,
                height: 1,
                ..body
            };
            body.height -= 1;
            if let Some(t) = &self.transfer {
                t.draw(frame.buffer_mut(), r, lang, theme, ctx.tick);
            }
        }
        self.page_rows = body.height.saturating_sub(1) as usize;
        if self.full {
            self.draw_full(frame, body, ctx);
            return;
        }
        let (list_area, pane) = if self.wide {
            // The list keeps about the width it has at 80 columns; the record takes the rest.
            let pane_w = body.width.saturating_sub(78).clamp(40, 64);
            (
                Rect {
                    width: body.width - pane_w,
                    ..body
                },
                Some(Rect {
                    x: body.x + body.width - pane_w,
                    width: pane_w,
                    ..body
                }),
            )
        } else {
            (body, None)
        };
        let cols = self.columns(lang);
        let rows = self.rows(lang);
        table::render(
            frame.buffer_mut(),
            list_area,
            &cols,
            &rows,
            &mut self.state,
            !self.detail_focus,
            theme,
        );
        if rows.is_empty() && self.list_req.is_none() && list_area.height > 1 {
            frame.render_widget(
                Paragraph::new(Line::styled(T::Empty.get(lang), theme.dim)),
                Rect {
                    y: list_area.y + 1,
                    height: 1,
                    ..list_area
                },
            );
        }
        if let Some(pane) = pane {
            self.draw_pane(frame, pane, ctx);
        }
    }
}

impl RosterView {
    /// The record beside the list: the opened record, or what the row tells.
    fn draw_pane(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let theme = ctx.theme;
        let buf = frame.buffer_mut();
        let border = if self.detail_focus {
            theme.focus
        } else {
            theme.dim
        };
        for y in area.y..area.y + area.height {
            buf.set_string(area.x, y, "│", border);
        }
        let inner = Rect {
            x: area.x + 2,
            width: area.width.saturating_sub(3),
            ..area
        };
        let w = inner.width as usize;
        let lines = match (self.shown_detail(), self.selected()) {
            (Some(d), _) => member_lines(d, ctx.lang, theme, w),
            (None, Some(s)) => {
                let mut l = summary_lines(s, &self.places, ctx.lang, theme, w);
                if self.detail_req.is_some() {
                    l.push(Line::from(format!(
                        "{} {}",
                        spinner::frame(ctx.tick),
                        T::Loading.get(ctx.lang)
                    )));
                }
                l
            }
            (None, None) => Vec::new(),
        };
        self.detail_scroll = self
            .detail_scroll
            .min(lines.len().saturating_sub(inner.height as usize));
        frame.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .skip(self.detail_scroll)
                    .collect::<Vec<_>>(),
            ),
            inner,
        );
    }

    /// The record filling the view (80×24).
    fn draw_full(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let title = match (&self.detail, self.selected()) {
            (Some(d), _) => format!("{} — {}", T::Details.get(lang), clean(&d.name)),
            (None, Some(s)) => format!("{} — {}", T::Details.get(lang), clean(&s.name)),
            (None, None) => T::Details.get(lang).to_string(),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(truncate(&title, area.width as usize / 2), theme.header),
                Span::styled(format!("  {}", T::BackToList.get(lang)), theme.dim),
            ])),
            Rect { height: 1, ..area },
        );
        let inner = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        let lines = match &self.detail {
            Some(d) => member_lines(d, lang, theme, inner.width as usize),
            None => vec![Line::from(format!(
                "{} {}",
                spinner::frame(ctx.tick),
                T::Loading.get(lang)
            ))],
        };
        self.detail_scroll = self
            .detail_scroll
            .min(lines.len().saturating_sub(inner.height as usize));
        frame.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .skip(self.detail_scroll)
                    .collect::<Vec<_>>(),
            ),
            inner,
        );
    }
}
