//! Daily reports (日報): reading them. A member reads its own reports and the accepted seats
//! still to report; the requester (the request's prefecture or city, national and admin
//! reading) reads the reports of its requests, one with every version. Writing is in
//! [`filing`] (the member) and [`review`] (the requester).

pub mod filing;
pub mod honoraria;
pub mod reminders;
pub mod review;
pub mod totals;

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::dispatch::{duties_of, may_read, push_request_visibility};
use crate::store::sql::{bind_args, fetch_page, PagedSql, Sql};
use crate::store::{in_write, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    worked_minutes, DailyReport, DutyCount, Page, PageQuery, ReportDue, ReportFilter, ReportStatus,
    ReportVersion,
};
use ouen_shared::dispatch::Duty;
use ouen_shared::{FieldIssue, Problem, Role};

/// `duty:n` pairs as stored.
pub(crate) fn count_codes(counts: &[DutyCount]) -> String {
    counts
        .iter()
        .map(|c| format!("{}:{}", c.duty.code(), c.count))
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn counts_of(text: &str) -> Vec<DutyCount> {
    text.split(',')
        .filter_map(|pair| {
            let (duty, n) = pair.split_once(':')?;
            Some(DutyCount {
                duty: Duty::from_code(duty)?,
                count: n.parse().ok()?,
            })
        })
        .collect()
}

fn status_of(code: &str) -> ReportStatus {
    // Only this server writes statuses; an unknown one reads as returned (to be looked at).
    ReportStatus::from_code(code).unwrap_or(ReportStatus::Returned)
}

pub(crate) const REPORT_COLUMNS: &str = "r.id, r.assignment_id, r.request_id, d.title AS request_title, \
    h.name AS health_centre_name, r.member_id, m.name AS member_name, s.starts_at AS slot_starts_at, \
    s.ends_at AS slot_ends_at, r.starts_at, r.ends_at, r.break_minutes, r.duties, r.counts, r.notes, \
    r.status, r.version, r.comment, r.submitted_at, r.decided_at, d.organisation_id, \
    d.duties AS request_duties";
pub(crate) const REPORT_FROM: &str = "FROM daily_reports r \
    JOIN dispatch_requests d ON d.id = r.request_id \
    JOIN organisations h ON h.id = d.health_centre_id \
    JOIN members m ON m.id = r.member_id \
    JOIN dispatch_assignments a ON a.id = r.assignment_id \
    JOIN dispatch_slots s ON s.id = a.slot_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    pub id: i64,
    pub assignment_id: i64,
    pub request_id: i64,
    pub request_title: String,
    pub health_centre_name: String,
    pub member_id: i64,
    pub member_name: String,
    pub slot_starts_at: DateTime<Utc>,
    pub slot_ends_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: i64,
    pub duties: String,
    pub counts: String,
    pub notes: String,
    pub status: String,
    pub version: i64,
    pub comment: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub organisation_id: i64,
    pub request_duties: String,
}

impl ReportRow {
    pub(crate) fn status(&self) -> ReportStatus {
        status_of(&self.status)
    }

    pub(crate) fn report(self) -> DailyReport {
        let status = self.status();
        DailyReport {
            id: self.id,
            assignment_id: self.assignment_id,
            request_id: self.request_id,
            request_title: self.request_title,
            health_centre_name: self.health_centre_name,
            member_id: self.member_id,
            member_name: self.member_name,
            slot_starts_at: self.slot_starts_at,
            slot_ends_at: self.slot_ends_at,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            break_minutes: self.break_minutes,
            worked_minutes: worked_minutes(self.starts_at, self.ends_at, self.break_minutes),
            duties: duties_of(&self.duties),
            request_duties: duties_of(&self.request_duties),
            counts: counts_of(&self.counts),
            notes: self.notes,
            status,
            version: self.version,
            comment: self.comment,
            submitted_at: self.submitted_at,
            decided_at: self.decided_at,
            versions: Vec::new(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    status: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    break_minutes: i64,
    duties: String,
    counts: String,
    notes: String,
    comment: Option<String>,
    changed_by: String,
    changed_at: DateTime<Utc>,
}

/// An accepted seat to report: (assignment, request, title, centre, starts, ends, duties).
pub(crate) type DueRow = (
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
);

/// Who reads a report: its member, or an operator in the request's scope.
pub(crate) enum Reader {
    Member(i64),
    Operator,
}

impl Store {
    /// Who `actor` is to reports: a member (its own only) or an operator who may read them.
    pub(crate) async fn report_reader(&self, actor: &Actor) -> Result<Reader, ApiError> {
        if actor.role == Role::Member {
            return Ok(Reader::Member(self.own_member_id(actor).await?));
        }
        may_read(actor)?;
        Ok(Reader::Operator)
    }

    /// One report as `actor` may see it; `NotFound` outside its reach.
    pub(crate) async fn report_row(&self, actor: &Actor, id: i64) -> Result<ReportRow, ApiError> {
        let mut sql = Sql::new(&format!(
            "SELECT {REPORT_COLUMNS} {REPORT_FROM} WHERE r.id = "
        ));
        sql.arg(id).push(" AND ");
        match self.report_reader(actor).await? {
            Reader::Member(member) => {
                sql.push("r.member_id = ").arg(member);
            }
            Reader::Operator => push_request_visibility(&mut sql, actor, "d"),
        }
        let row: Option<ReportRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    /// One report with every version, oldest first. An operator's read is audited.
    pub async fn daily_report(&self, actor: &Actor, id: i64) -> Result<DailyReport, ApiError> {
        let row = self.report_row(actor, id).await?;
        if actor.role != Role::Member {
            let entry = NewEntry::by(actor, "report.read", "daily_report", id)
                .detail(serde_json::json!({ "member": row.member_id }));
            in_write!(self, tx => { write_audit!(tx, entry); });
        }
        self.with_versions(row).await
    }

    /// A report as read, with every version, oldest first.
    pub(crate) async fn with_versions(&self, row: ReportRow) -> Result<DailyReport, ApiError> {
        let id = row.id;
        let versions: Vec<VersionRow> = on_read!(self, db => sqlx::query_as(
            "SELECT v.version, v.status, v.starts_at, v.ends_at, v.break_minutes, v.duties, v.counts, v.notes, v.comment, \
             COALESCE(c.display_name, m.name) AS changed_by, v.changed_at \
             FROM daily_report_versions v LEFT JOIN accounts c ON c.id = v.changed_by \
             JOIN daily_reports r ON r.id = v.report_id JOIN members m ON m.id = r.member_id \
             WHERE v.report_id = $1 ORDER BY v.version",
        ).bind(id).fetch_all(db).await?);
        let mut report = row.report();
        report.versions = versions
            .into_iter()
            .map(|v| ReportVersion {
                version: v.version,
                status: status_of(&v.status),
                starts_at: v.starts_at,
                ends_at: v.ends_at,
                break_minutes: v.break_minutes,
                duties: duties_of(&v.duties),
                counts: counts_of(&v.counts),
                notes: v.notes,
                comment: v.comment,
                changed_by: v.changed_by,
                changed_at: v.changed_at,
            })
            .collect();
        Ok(report)
    }

    /// The signed-in member's own reports, newest first (members only).
    pub async fn list_my_daily_reports(
        &self,
        actor: &Actor,
        page: &PageQuery,
    ) -> Result<Page<DailyReport>, ApiError> {
        if actor.role != Role::Member {
            return Err(ApiError::Forbidden);
        }
        let reader = self.report_reader(actor).await?;
        self.reports_page(actor, reader, &ReportFilter::default(), page)
            .await
    }

    /// The reports of the requests in an operator's scope, newest first, filtered by status
    /// and request. Audited (names).
    pub async fn list_daily_reports(
        &self,
        actor: &Actor,
        filter: &ReportFilter,
        page: &PageQuery,
    ) -> Result<Page<DailyReport>, ApiError> {
        if actor.role == Role::Member {
            return Err(ApiError::Forbidden);
        }
        let reader = self.report_reader(actor).await?;
        self.reports_page(actor, reader, filter, page).await
    }

    async fn reports_page(
        &self,
        actor: &Actor,
        reader: Reader,
        filter: &ReportFilter,
        page: &PageQuery,
    ) -> Result<Page<DailyReport>, ApiError> {
        page.sort_column(&["starts_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::new(" WHERE ");
        match reader {
            Reader::Member(member) => {
                filters.push("r.member_id = ").arg(member);
            }
            Reader::Operator => push_request_visibility(&mut filters, actor, "d"),
        }
        if let Some(statuses) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
            let mut codes = Vec::new();
            for code in statuses.split(',').map(str::trim) {
                match ReportStatus::from_code(code) {
                    Some(status) => codes.push(status.code()),
                    None => {
                        return Err(ApiError::Invalid(vec![FieldIssue::new(
                            "status",
                            Problem::UnknownValue,
                        )]))
                    }
                }
            }
            filters.push(" AND r.status IN ").list(&codes);
        }
        if let Some(request) = filter.request_id {
            filters.push(" AND r.request_id = ").arg(request);
        }
        let paged = PagedSql::new(
            REPORT_COLUMNS,
            REPORT_FROM,
            filters,
            "r.starts_at DESC, r.id DESC",
            page,
        );
        let (total, rows): (i64, Vec<ReportRow>) = fetch_page!(self, paged);
        let reports: Vec<DailyReport> = rows.into_iter().map(ReportRow::report).collect();
        if matches!(reader, Reader::Operator) && !reports.is_empty() {
            let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
            let entry = NewEntry::by(actor, "report.list", "daily_report", 0)
                .detail(serde_json::json!({ "ids": ids }));
            in_write!(self, tx => { write_audit!(tx, entry); });
        }
        Ok(Page::of(reports, total, page))
    }

    /// The member's accepted seats whose slot has ended with no report, oldest first.
    pub async fn reports_due(&self, actor: &Actor) -> Result<Vec<ReportDue>, ApiError> {
        if actor.role != Role::Member {
            return Err(ApiError::Forbidden);
        }
        let member = self.own_member_id(actor).await?;
        let rows: Vec<DueRow> = on_read!(self, db => sqlx::query_as(
            "SELECT a.id, a.request_id, d.title, h.name, s.starts_at, s.ends_at, d.duties \
             FROM dispatch_assignments a JOIN dispatch_slots s ON s.id = a.slot_id \
             JOIN dispatch_requests d ON d.id = a.request_id JOIN organisations h ON h.id = d.health_centre_id \
             WHERE a.member_id = $1 AND a.status = 'accepted' AND s.cancelled_at IS NULL AND s.ends_at <= $2 \
             AND NOT EXISTS (SELECT 1 FROM daily_reports r WHERE r.assignment_id = a.id) \
             ORDER BY s.starts_at, a.id",
        ).bind(member).bind(crate::store::now()).fetch_all(db).await?);
        Ok(rows
            .into_iter()
            .map(
                |(assignment_id, request_id, title, centre, starts, ends, duties)| ReportDue {
                    assignment_id,
                    request_id,
                    request_title: title,
                    health_centre_name: centre,
                    slot_starts_at: starts,
                    slot_ends_at: ends,
                    duties: duties_of(&duties),
                },
            )
            .collect())
    }
}
