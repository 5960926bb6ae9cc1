//! The endpoints of daily reports: the member's, then the requester's.

use super::{encoding_query, Download};
use super::{paged, Endpoint, Method, Payload};
use crate::api::{
    DailyReport, DailyReportDraft, DispatchHistory, HonorariumQuery, Page, ReportComment,
    ReportDue, RequestTotals,
};

/// The signed-in member's daily reports, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListMyDailyReports {
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListMyDailyReports {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/me/daily-reports";
    type Body = ();
    type Response = Page<DailyReport>;
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(self.page, self.per_page, &[])
    }
}
plain!(
    /// The member's accepted seats that ended with no report yet.
    ListReportsDue,
    Get,
    "/api/v1/me/daily-reports/due",
    Vec<ReportDue>
);
with_body!(
    /// Files a daily report for an accepted seat.
    FileDailyReport(DailyReportDraft),
    Post,
    "/api/v1/me/daily-reports",
    DailyReport
);
on_id!(
    /// Corrects the member's report (a new version), until it is approved.
    CorrectDailyReport(DailyReportDraft),
    Put,
    "/api/v1/me/daily-reports/{id}",
    DailyReport
);
/// The reports of the requests in the caller's scope, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListDailyReports {
    pub page: u32,
    pub per_page: u32,
    /// Statuses, e.g. `submitted`.
    pub status: Option<String>,
    pub request_id: Option<i64>,
}
impl Endpoint for ListDailyReports {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/daily-reports";
    type Body = ();
    type Response = Page<DailyReport>;
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(
            self.page,
            self.per_page,
            &[
                ("status", self.status.clone()),
                ("request_id", self.request_id.map(|r| r.to_string())),
            ],
        )
    }
}
/// The honorarium export of a period as CSV: one row per approved report, or the totals.
#[derive(Debug, Clone, Default)]
pub struct ExportHonoraria(pub HonorariumQuery);
impl Endpoint for ExportHonoraria {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/daily-reports/export";
    type Body = ();
    type Response = Download;
    fn query(&self) -> Vec<(&'static str, String)> {
        let q = &self.0;
        let mut query = Vec::new();
        if let Some(month) = &q.month {
            query.push(("month", month.clone()));
        }
        if let Some(year) = q.fiscal_year {
            query.push(("fiscal_year", year.to_string()));
        }
        if let Some(member) = q.member_id {
            query.push(("member_id", member.to_string()));
        }
        if let Some(sheet) = q.sheet {
            query.push(("sheet", sheet.code().to_string()));
        }
        query.push(encoding_query(q.encoding.unwrap_or_default()));
        query
    }
}
on_id!(
    /// One report with every version.
    GetDailyReport,
    Get,
    "/api/v1/daily-reports/{id}",
    DailyReport
);
on_id!(
    /// Approves a submitted report (it is locked).
    ApproveDailyReport,
    Post,
    "/api/v1/daily-reports/{id}/approve",
    DailyReport
);
on_id!(
    /// Returns a submitted report with a comment, for the member to correct.
    ReturnDailyReport(ReportComment),
    Post,
    "/api/v1/daily-reports/{id}/return",
    DailyReport
);
on_id!(
    /// Reopens an approved report with a comment, for the member to correct.
    ReopenDailyReport(ReportComment),
    Post,
    "/api/v1/daily-reports/{id}/reopen",
    DailyReport
);
on_id!(
    /// How a request went: asked, answered, seats, reports, fill rate.
    GetRequestTotals,
    Get,
    "/api/v1/dispatch-requests/{id}/totals",
    RequestTotals
);
on_id!(
    /// A member's dispatch history from its approved reports, in the caller's scope.
    GetDispatchHistory,
    Get,
    "/api/v1/members/{id}/dispatch-history",
    DispatchHistory
);
plain!(
    /// The signed-in member's own dispatch history.
    GetMyDispatchHistory,
    Get,
    "/api/v1/me/dispatch-history",
    DispatchHistory
);
