//! The utilisation tab (利活用): how the workforce is used, in the caller's scope, as a chart
//! beside a table. `h`/`l` move between members (by prefecture for the ministry, else by
//! profession), dispatch by prefecture, the series over weeks or months, and capacity ahead;
//! `p` steps the period (or the days ahead); `:export FILE [cp932]` writes the table in front
//! as CSV for Excel.

pub mod charts;
mod draw;
pub mod period;
pub mod tables;

use crate::api::files::Existing;
use crate::app::jobs::{DownloadTo, Written};
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View, ViewCommand};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::widgets::table::ListState;
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ouen_shared::api::{
    CapacityAhead, CapacityQuery, CsvEncoding, DispatchUtilisation, MemberCount, UtilisationStep,
};
use ouen_shared::endpoints::{
    ExportCapacityAhead, ExportDispatchUtilisation, ExportMemberCounts, ExportUtilisationSeries,
    GetCapacityAhead, GetDispatchUtilisation, GetMemberCounts, GetUtilisationSeries,
};
use ouen_shared::Role;
use period::{Period, CAPACITY_DAYS};
use std::path::PathBuf;

/// The tables of the tab, in the order `l` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    #[default]
    Members,
    Dispatch,
    Series,
    Capacity,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Members, Part::Dispatch, Part::Series, Part::Capacity];

    pub fn title(self) -> T {
        match self {
            Part::Members => T::UtilMembers,
            Part::Dispatch => T::UtilDispatch,
            Part::Series => T::UtilSeries,
            Part::Capacity => T::UtilCapacity,
        }
    }

    fn index(self) -> usize {
        Part::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

const EXPORT: ViewCommand = ViewCommand {
    name: "export",
    args: "FILE.csv [cp932]",
    about: T::CmdLineExportUtilisation,
    takes_path: true,
};

pub struct UtilisationView {
    pub part: Part,
    pub period: Period,
    /// A position in [`CAPACITY_DAYS`].
    pub capacity_days: usize,
    /// The day the periods count back from: today in Japan when the table in front was asked for.
    pub today: NaiveDate,
    /// The ministry and the admin see every prefecture: capacity names them.
    pub national: bool,
    pub members: Option<Vec<MemberCount>>,
    pub dispatch: Option<Vec<DispatchUtilisation>>,
    pub series: Option<Vec<UtilisationStep>>,
    pub capacity: Option<CapacityAhead>,
    list: ListState,
    page_rows: usize,
    error: Option<String>,
    members_req: Option<Pending<Vec<MemberCount>>>,
    dispatch_req: Option<Pending<Vec<DispatchUtilisation>>>,
    series_req: Option<Pending<Vec<UtilisationStep>>>,
    capacity_req: Option<Pending<CapacityAhead>>,
    export_req: Option<Pending<Written>>,
}

impl UtilisationView {
    pub fn new(role: Role) -> UtilisationView {
        UtilisationView {
            part: Part::default(),
            period: Period::Weeks12,
            capacity_days: 0,
            today: NaiveDate::default(),
            national: matches!(role, Role::National | Role::Admin),
            members: None,
            dispatch: None,
            series: None,
            capacity: None,
            list: ListState::default(),
            page_rows: 10,
            error: None,
            members_req: None,
            dispatch_req: None,
            series_req: None,
            capacity_req: None,
            export_req: None,
        }
    }

    fn capacity_query(&self) -> CapacityQuery {
        CapacityQuery {
            from: Some(self.today),
            days: CAPACITY_DAYS.get(self.capacity_days).copied(),
        }
    }

    /// Asks for the table in front.
    fn load(&mut self, ctx: &Ctx) {
        self.today = ctx.today;
        match self.part {
            Part::Members => self.members_req = Some(ctx.net.call(GetMemberCounts)),
            Part::Dispatch => {
                self.dispatch_req = Some(
                    ctx.net
                        .call(GetDispatchUtilisation(self.period.query(self.today))),
                )
            }
            Part::Series => {
                self.series_req = Some(
                    ctx.net
                        .call(GetUtilisationSeries(self.period.series(self.today))),
                )
            }
            Part::Capacity => {
                self.capacity_req = Some(ctx.net.call(GetCapacityAhead(self.capacity_query())))
            }
        }
    }

    /// Whether the table in front has been read.
    fn loaded(&self) -> bool {
        match self.part {
            Part::Members => self.members.is_some(),
            Part::Dispatch => self.dispatch.is_some(),
            Part::Series => self.series.is_some(),
            Part::Capacity => self.capacity.is_some(),
        }
    }

    fn show(&mut self, part: Part, ctx: &Ctx) {
        self.part = part;
        self.list = ListState::default();
        self.error = None;
        if !self.loaded() {
            self.load(ctx);
        }
    }

    /// The rows of the table in front.
    pub fn row_count(&self) -> usize {
        match self.part {
            Part::Members => self
                .members
                .as_ref()
                .map_or(0, |m| tables::members(m, ouen_shared::Lang::Ja).rows.len()),
            Part::Dispatch => self.dispatch.as_ref().map_or(0, Vec::len),
            Part::Series => self.series.as_ref().map_or(0, Vec::len),
            Part::Capacity => self.capacity.as_ref().map_or(0, |c| c.rows.len()),
        }
    }

    fn export(&mut self, path: PathBuf, encoding: CsvEncoding, ctx: &Ctx) {
        self.export_req = Some(match self.part {
            Part::Members => ctx.net.job(DownloadTo {
                endpoint: ExportMemberCounts { encoding },
                path,
                existing: Existing::Keep,
            }),
            Part::Dispatch => ctx.net.job(DownloadTo {
                endpoint: ExportDispatchUtilisation {
                    period: self.period.query(self.today),
                    encoding,
                },
                path,
                existing: Existing::Keep,
            }),
            Part::Series => ctx.net.job(DownloadTo {
                endpoint: ExportUtilisationSeries {
                    series: self.period.series(self.today),
                    encoding,
                },
                path,
                existing: Existing::Keep,
            }),
            Part::Capacity => ctx.net.job(DownloadTo {
                endpoint: ExportCapacityAhead {
                    capacity: self.capacity_query(),
                    encoding,
                },
                path,
                existing: Existing::Keep,
            }),
        });
    }
}

impl View for UtilisationView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        if self
            .list
            .follow(cmd, self.row_count(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        match cmd {
            Command::UtilNext | Command::UtilPrev => {
                let n = Part::ALL.len();
                let step = if cmd == Command::UtilNext { 1 } else { n - 1 };
                self.show(Part::ALL[(self.part.index() + step) % n], ctx);
            }
            Command::UtilPeriod => {
                match self.part {
                    Part::Capacity => {
                        self.capacity_days = (self.capacity_days + 1) % CAPACITY_DAYS.len();
                        self.capacity = None;
                    }
                    _ => {
                        let n = Period::ALL.len();
                        let i = Period::ALL
                            .iter()
                            .position(|p| *p == self.period)
                            .unwrap_or(0);
                        self.period = Period::ALL[(i + 1) % n];
                        self.dispatch = None;
                        self.series = None;
                    }
                }
                self.list = ListState::default();
                self.load(ctx);
            }
            Command::Refresh => self.refresh(ctx),
            _ => return None,
        }
        Some(Vec::new())
    }

    fn commands(&self) -> &'static [ViewCommand] {
        &[EXPORT]
    }

    fn command(&mut self, name: &str, args: &[&str], ctx: &Ctx) -> Option<Vec<Action>> {
        if name != EXPORT.name {
            return None;
        }
        let lang = ctx.lang;
        let encoding = match args.get(1).map(|a| a.to_ascii_lowercase()).as_deref() {
            None | Some("utf8" | "utf-8") => Some(CsvEncoding::Utf8),
            Some("cp932" | "sjis" | "shift_jis") => Some(CsvEncoding::Cp932),
            Some(_) => None,
        };
        let (Some(path), Some(encoding), None) = (args.first(), encoding, args.get(2)) else {
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
        self.export(PathBuf::from(path), encoding, ctx);
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        macro_rules! took {
            ($req:ident, $field:ident) => {
                if let Some(result) = claim(&mut self.$req, answer) {
                    match result {
                        Ok(v) => {
                            self.$field = Some(v);
                            self.error = None;
                        }
                        Err(e) => self.error = e.for_view(lang),
                    }
                    self.list.clamp(self.row_count());
                    return Some(Vec::new());
                }
            };
        }
        took!(members_req, members);
        took!(dispatch_req, dispatch);
        took!(series_req, series);
        took!(capacity_req, capacity);
        Some(match claim(&mut self.export_req, answer)? {
            Ok(w) => vec![Action::Status(format!(
                "{}: {} ({} B)",
                T::ExportDone.get(lang),
                w.path.display(),
                w.bytes
            ))],
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load(ctx);
    }

    fn is_loading(&self) -> bool {
        self.members_req.is_some()
            || self.dispatch_req.is_some()
            || self.series_req.is_some()
            || self.capacity_req.is_some()
            || self.export_req.is_some()
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Utilisation)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(T::UtilHints.get(ctx.lang).to_string())
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
