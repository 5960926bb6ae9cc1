//! The reports tab (集計). A member sees the seats it worked that still want a daily report,
//! then its own reports, and files or corrects one with `e` (a returned report shows the
//! comment it came back with); above them, its dispatch history from approved reports. A
//! requester sees the reports of its requests, submitted ones first (`f` steps through the
//! statuses), approves one with `a`, returns it with a comment (`R`) or reopens an approved
//! one (`o`); a report opened with Enter shows every version, the request's totals and the
//! member's history.

pub mod draw;
pub mod forms;

use crate::api::files::Existing;
use crate::app::jobs::{DownloadTo, Written};
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View, ViewCommand};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::form::Form;
use crate::views::shifts::layout::slot_when;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use forms::{CommentForm, ReportForm};
use ouen_shared::api::{
    CsvEncoding, DailyReport, DispatchHistory, EventKind, HonorariumQuery, HonorariumSheet, Page,
    ReportDue, ReportStatus, RequestTotals, StreamEvent,
};
use ouen_shared::endpoints::{
    ApproveDailyReport, ExportHonoraria, GetDailyReport, GetDispatchHistory, GetMyDispatchHistory,
    GetRequestTotals, ListDailyReports, ListMyDailyReports, ListReportsDue,
};
use ouen_shared::{Lang, Role};
use std::any::Any;

/// Reports asked for at once.
pub const PER_PAGE: u32 = 200;

/// The requester's status filter, stepped through with `f`: submitted first (the queue).
pub const STATUS_STEPS: &[Option<ReportStatus>] = &[
    Some(ReportStatus::Submitted),
    Some(ReportStatus::Returned),
    Some(ReportStatus::Approved),
    None,
];

const EXPORT: ViewCommand = ViewCommand {
    name: "export",
    args: "FILE.csv PERIOD [totals] [cp932]",
    about: T::CmdLineExportHonoraria,
    takes_path: true,
};

/// The requester's `:` commands.
pub const COMMANDS: &[ViewCommand] = &[EXPORT];

/// What `:export` is asked for: the period (`2026-11`, or `fy2026` for the fiscal year
/// from April), then `totals` and `cp932` in any order. `None` when it cannot be read.
pub fn export_query(args: &[&str]) -> Option<HonorariumQuery> {
    let (period, rest) = args.split_first()?;
    let mut query = HonorariumQuery::default();
    let period = ouen_shared::normalize::number(period).to_ascii_lowercase();
    match period.strip_prefix("fy") {
        Some(year) => query.fiscal_year = Some(year.parse().ok()?),
        None => query.month = Some(period),
    }
    for word in rest {
        match word.to_ascii_lowercase().as_str() {
            "totals" => query.sheet = Some(HonorariumSheet::Totals),
            "cp932" | "sjis" | "shift_jis" => query.encoding = Some(CsvEncoding::Cp932),
            "utf8" | "utf-8" => query.encoding = Some(CsvEncoding::Utf8),
            _ => return None,
        }
    }
    Some(query)
}

/// News for the reports view.
#[derive(Debug, Clone)]
pub enum ReportsMsg {
    /// A report was filed, corrected, returned or reopened in a form.
    Changed(Box<DailyReport>),
}

/// One row of the list: a seat still to report (the member's), or a report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row<'a> {
    Due(&'a ReportDue),
    Report(&'a DailyReport),
}

#[derive(Default)]
pub struct ReportsView {
    /// The member's own reports (else the requester's queue).
    pub member: bool,
    pub due: Vec<ReportDue>,
    pub reports: Vec<DailyReport>,
    list: ListState,
    /// The requester's filter: a position in [`STATUS_STEPS`].
    pub status_step: usize,
    /// The report in front, with its versions.
    pub open: Option<DailyReport>,
    pub totals: Option<RequestTotals>,
    pub history: Option<DispatchHistory>,
    page_rows: usize,
    error: Option<String>,
    due_req: Option<Pending<Vec<ReportDue>>>,
    list_req: Option<Pending<Page<DailyReport>>>,
    open_req: Option<Pending<DailyReport>>,
    totals_req: Option<Pending<RequestTotals>>,
    history_req: Option<Pending<DispatchHistory>>,
    approve_req: Option<Pending<DailyReport>>,
    export_req: Option<Pending<Written>>,
}

impl ReportsView {
    pub fn new(role: Role) -> ReportsView {
        ReportsView {
            member: role == Role::Member,
            page_rows: 10,
            ..ReportsView::default()
        }
    }

    /// The rows of the list: the seats to report first, then the reports.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.due
            .iter()
            .map(Row::Due)
            .chain(self.reports.iter().map(Row::Report))
    }

    pub(super) fn row_count(&self) -> usize {
        self.due.len() + self.reports.len()
    }

    fn selected(&self) -> Option<Row<'_>> {
        self.rows().nth(self.list.selected)
    }

    fn load_list(&mut self, ctx: &Ctx) {
        if self.member {
            self.due_req = Some(ctx.net.call(ListReportsDue));
            self.list_req = Some(ctx.net.call(ListMyDailyReports {
                page: 1,
                per_page: PER_PAGE,
            }));
            self.history_req = Some(ctx.net.call(GetMyDispatchHistory));
        } else {
            self.list_req = Some(
                ctx.net.call(ListDailyReports {
                    page: 1,
                    per_page: PER_PAGE,
                    status: STATUS_STEPS
                        .get(self.status_step)
                        .copied()
                        .flatten()
                        .map(|s| s.code().to_string()),
                    request_id: None,
                }),
            );
        }
    }

    fn load_open(&mut self, r: &DailyReport, ctx: &Ctx) {
        self.open_req = Some(ctx.net.call(GetDailyReport { id: r.id }));
        if !self.member {
            self.totals_req = Some(ctx.net.call(GetRequestTotals { id: r.request_id }));
            self.history_req = Some(ctx.net.call(GetDispatchHistory { id: r.member_id }));
        }
    }

    /// A report changed (here or in a form): the list and the one in front are read again.
    fn took(&mut self, r: DailyReport, ctx: &Ctx) {
        if self.open.as_ref().is_some_and(|o| o.id == r.id) {
            self.load_open(&r, ctx);
        }
        self.load_list(ctx);
    }

    /// The report the keys act on: the one in front, else the selected row's.
    fn report_here(&self) -> Option<DailyReport> {
        match &self.open {
            Some(r) => Some(r.clone()),
            None => match self.selected()? {
                Row::Report(r) => Some(r.clone()),
                Row::Due(_) => None,
            },
        }
    }

    /// What a form is about: the slot and the request, and for a requester whose report.
    fn subject(&self, r: &DailyReport, lang: Lang) -> String {
        let when = slot_when(r.slot_starts_at, r.slot_ends_at, false, lang);
        if self.member {
            format!("{when} {}", r.request_title)
        } else {
            format!("{} {when} {}", r.member_name, r.request_title)
        }
    }

    fn member_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        Some(match cmd {
            Command::FileReport | Command::Open if self.open.is_none() => match self.selected() {
                Some(Row::Due(due)) => {
                    let due = due.clone();
                    let subject = format!(
                        "{} {}",
                        slot_when(due.slot_starts_at, due.slot_ends_at, false, lang),
                        due.request_title
                    );
                    vec![Action::PushPopup(Box::new(ReportForm::filing(
                        &due, &subject, lang,
                    )))]
                }
                Some(Row::Report(r)) if cmd == Command::Open => {
                    let r = r.clone();
                    self.load_open(&r, ctx);
                    self.open = Some(r);
                    Vec::new()
                }
                Some(Row::Report(r)) => self.correct(r, lang),
                None => Vec::new(),
            },
            Command::FileReport => match self.open.clone() {
                Some(r) => self.correct(&r, lang),
                None => Vec::new(),
            },
            _ => return None,
        })
    }

    fn correct(&self, r: &DailyReport, lang: Lang) -> Vec<Action> {
        if r.status == ReportStatus::Approved {
            return vec![Action::Status(T::ReportsLocked.get(lang).to_string())];
        }
        vec![Action::PushPopup(Box::new(ReportForm::correcting(
            r,
            &self.subject(r, lang),
            lang,
        )))]
    }

    fn review_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        Some(match cmd {
            Command::Open if self.open.is_none() => {
                if let Some(r) = self.report_here() {
                    self.open = Some(r.clone());
                    self.load_open(&r, ctx);
                }
                Vec::new()
            }
            Command::ReportStatusFilter if self.open.is_none() => {
                self.status_step = (self.status_step + 1) % STATUS_STEPS.len();
                self.list = ListState::default();
                self.load_list(ctx);
                Vec::new()
            }
            Command::ApproveReport | Command::ReturnReport => match self.report_here() {
                Some(r) if r.status == ReportStatus::Submitted => {
                    if cmd == Command::ApproveReport {
                        self.approve_req = Some(ctx.net.call(ApproveDailyReport { id: r.id }));
                        Vec::new()
                    } else {
                        vec![Action::PushPopup(Box::new(
                            Form::new(CommentForm::Return { id: r.id })
                                .with_subject(&self.subject(&r, lang)),
                        ))]
                    }
                }
                Some(_) => vec![Action::Status(T::ReportsNotSubmitted.get(lang).to_string())],
                None => vec![Action::Error(T::NoSelection.get(lang).to_string())],
            },
            Command::ReopenReport => match self.report_here() {
                Some(r) if r.status == ReportStatus::Approved => {
                    vec![Action::PushPopup(Box::new(
                        Form::new(CommentForm::Reopen { id: r.id })
                            .with_subject(&self.subject(&r, lang)),
                    ))]
                }
                Some(_) => vec![Action::Status(T::ReportsNotApproved.get(lang).to_string())],
                None => vec![Action::Error(T::NoSelection.get(lang).to_string())],
            },
            _ => return None,
        })
    }
}

impl View for ReportsView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        if self.open.is_none()
            && self
                .list
                .follow(cmd, self.row_count(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        match cmd {
            Command::Back if self.open.is_some() => {
                self.open = None;
                self.totals = None;
                if !self.member {
                    self.history = None;
                }
                return Some(Vec::new());
            }
            Command::Refresh => {
                self.refresh(ctx);
                return Some(Vec::new());
            }
            _ => {}
        }
        if self.member {
            self.member_key(cmd, ctx)
        } else {
            self.review_key(cmd, ctx)
        }
    }

    fn commands(&self) -> &'static [ViewCommand] {
        if self.member {
            &[]
        } else {
            COMMANDS
        }
    }

    fn command(&mut self, name: &str, args: &[&str], ctx: &Ctx) -> Option<Vec<Action>> {
        if self.member || name != "export" {
            return None;
        }
        let lang = ctx.lang;
        let query = match args.split_first() {
            Some((_, rest)) => export_query(rest),
            None => None,
        };
        let (Some(path), Some(query)) = (args.first(), query) else {
            return Some(vec![Action::Error(format!(
                "{}: :{} {}",
                T::Usage.get(lang),
                EXPORT.name,
                EXPORT.args
            ))]);
        };
        if self.export_req.is_some() {
            return Some(vec![Action::Error(T::TransferBusy.get(lang).to_string())]);
        }
        self.export_req = Some(ctx.net.job(DownloadTo {
            endpoint: ExportHonoraria(query),
            path: std::path::PathBuf::from(path),
            existing: Existing::Keep,
        }));
        Some(Vec::new())
    }

    fn message(&mut self, msg: &(dyn Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<ReportsMsg>()? {
            ReportsMsg::Changed(r) => self.took((**r).clone(), ctx),
        }
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.due_req, answer) {
            match result {
                Ok(due) => {
                    self.due = due;
                    self.list.clamp(self.row_count());
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.list_req, answer) {
            match result {
                Ok(page) => {
                    self.reports = page.items;
                    self.list.clamp(self.row_count());
                    self.error = None;
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.open_req, answer) {
            match result {
                Ok(r) if self.open.as_ref().is_some_and(|o| o.id == r.id) => self.open = Some(r),
                Ok(_) => {}
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.totals_req, answer) {
            self.totals = result.ok();
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.history_req, answer) {
            self.history = result.ok();
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.export_req, answer) {
            return Some(match result {
                Ok(w) => vec![Action::Status(format!(
                    "{}: {} ({} B)",
                    T::ExportDone.get(lang),
                    w.path.display(),
                    w.bytes
                ))],
                // A file already there is kept; a period the server cannot read is named.
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.approve_req, answer)? {
            Ok(r) => {
                self.took(r, ctx);
                vec![Action::Status(T::ReportsApproved.get(lang).to_string())]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load_list(ctx);
        if let Some(r) = self.open.clone() {
            self.load_open(&r, ctx);
        }
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        // A member hears of decisions through its inbox; a requester of filings through
        // the dispatch events of its requests.
        let wanted = if self.member {
            EventKind::InboxMessage
        } else {
            EventKind::Dispatch
        };
        if event.kind == wanted && self.list_req.is_none() {
            self.refresh(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.due_req.is_some()
            || self.list_req.is_some()
            || self.open_req.is_some()
            || self.approve_req.is_some()
            || self.export_req.is_some()
    }

    fn selected_value(&self) -> Option<String> {
        match self
            .open
            .as_ref()
            .map(Row::Report)
            .or_else(|| self.selected())?
        {
            Row::Due(d) => Some(d.request_title.clone()),
            Row::Report(r) => Some(r.request_title.clone()),
        }
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Reports)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(
            match (self.member, self.open.is_some()) {
                (true, false) => T::ReportsHints,
                (true, true) => T::ReportsHintsOpen,
                (false, false) => T::ReportsHintsReview,
                (false, true) => T::ReportsHintsOpenReview,
            }
            .get(ctx.lang)
            .to_string(),
        )
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
