//! A member files a daily report for a seat it accepted, and corrects it until it is
//! approved. Each is checked field by field (the draft's own rules, the request's duties, the
//! slot's day, work not done yet, no overlap with the member's other reports) and nothing is
//! saved when one fails. Every version is kept.

use super::{count_codes, ReportRow, REPORT_COLUMNS, REPORT_FROM};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::dispatch::{duties_of, duty_codes};
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{DailyReport, DailyReportDraft, ReportDue, ReportStatus};
use ouen_shared::{FieldIssue, Problem, Role, Validate};

#[derive(sqlx::FromRow)]
struct SeatRow {
    request_id: i64,
    status: String,
    slot_starts_at: DateTime<Utc>,
    duties: String,
}

/// The version row of a report as it stands after a change.
pub(crate) fn version_row(
    report_id: i64,
    version: i64,
    status: ReportStatus,
    draft: &DailyReportDraft,
    comment: Option<&str>,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> Sql {
    Sql::with(
        "INSERT INTO daily_report_versions (report_id, version, status, starts_at, ends_at, break_minutes, duties, counts, notes, comment, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        [
            report_id.into(),
            version.into(),
            status.code().into(),
            draft.starts_at.into(),
            draft.ends_at.into(),
            draft.break_minutes.into(),
            duty_codes(&draft.duties).into(),
            count_codes(&draft.counts).into(),
            draft.notes.as_str().into(),
            comment.into(),
            by.into(),
            at.into(),
        ],
    )
}

/// Who files or corrects a report: the member signed in, or the member of a personal link
/// (no account behind it; the version's author is then the report's member).
#[derive(Clone, Copy)]
pub enum Reporter<'a> {
    Member(&'a Actor),
    Link { member: i64, meta: &'a RequestMeta },
}

impl Reporter<'_> {
    fn account(&self) -> Option<i64> {
        match self {
            Reporter::Member(actor) => Some(actor.account_id),
            Reporter::Link { .. } => None,
        }
    }

    fn entry(&self, action: &'static str, report: i64, detail: serde_json::Value) -> NewEntry {
        match self {
            Reporter::Member(actor) => {
                NewEntry::by(actor, action, "daily_report", report).detail(detail)
            }
            Reporter::Link { member, meta } => {
                NewEntry::anonymous(meta, action, "daily_report", Some(report.to_string())).detail(
                    serde_json::json!({ "member": member, "via": "link", "change": detail }),
                )
            }
        }
    }
}

impl Store {
    /// The member a reporter reports as: the signed-in member's own record (members only).
    async fn reporter_member(&self, reporter: Reporter<'_>) -> Result<i64, ApiError> {
        match reporter {
            Reporter::Member(actor) => self.reporting_member(actor).await,
            Reporter::Link { member, .. } => Ok(member),
        }
    }

    /// The checks every filing and correction shares; the seat's request when they pass.
    async fn checked_report(
        &self,
        member: i64,
        draft: &mut DailyReportDraft,
        report_id: Option<i64>,
    ) -> Result<i64, ApiError> {
        draft.normalize();
        let mut issues = draft.problems();
        let seat: Option<SeatRow> = on_read!(self, db => sqlx::query_as(
            "SELECT a.request_id, a.status, s.starts_at AS slot_starts_at, d.duties \
             FROM dispatch_assignments a JOIN dispatch_slots s ON s.id = a.slot_id \
             JOIN dispatch_requests d ON d.id = a.request_id \
             WHERE a.id = $1 AND a.member_id = $2 AND s.cancelled_at IS NULL",
        ).bind(draft.assignment_id).bind(member).fetch_optional(db).await?);
        // Someone else's seat reads as no seat at all.
        let Some(seat) = seat.filter(|s| s.status == "accepted") else {
            issues.insert(
                0,
                FieldIssue::new(
                    "assignment_id",
                    Problem::NotAllowed {
                        ja: "承諾した枠についてのみ日報を提出できます",
                        en: "a daily report is only for a slot you accepted",
                    },
                ),
            );
            return Err(ApiError::Invalid(issues));
        };
        let offered = duties_of(&seat.duties);
        for (j, duty) in draft.duties.iter().enumerate() {
            if !offered.contains(duty) {
                issues.push(FieldIssue::new(
                    format!("duties.{j}"),
                    Problem::UnknownValue,
                ));
            }
        }
        for issue in draft.timing_problems(now(), seat.slot_starts_at) {
            if !issues.iter().any(|i| i.field == issue.field) {
                issues.push(issue);
            }
        }
        if issues.is_empty() {
            let overlapping: i64 = on_read!(self, db => sqlx::query_scalar(
                "SELECT COUNT(*) FROM daily_reports WHERE member_id = $1 AND id <> $2 AND starts_at < $3 AND ends_at > $4",
            ).bind(member).bind(report_id.unwrap_or(0)).bind(draft.ends_at).bind(draft.starts_at).fetch_one(db).await?);
            if overlapping > 0 {
                issues.push(FieldIssue::new(
                    "starts_at",
                    Problem::NotAllowed {
                        ja: "別の日報と時間が重なっています",
                        en: "this overlaps another of your daily reports",
                    },
                ));
            }
        }
        if issues.is_empty() {
            Ok(seat.request_id)
        } else {
            Err(ApiError::Invalid(issues))
        }
    }

    /// The caller's own member id, for members only.
    async fn reporting_member(&self, actor: &Actor) -> Result<i64, ApiError> {
        if actor.role != Role::Member || !actor.may_write() {
            return Err(ApiError::Forbidden);
        }
        self.own_member_id(actor).await
    }

    /// Files the member's report of an accepted seat (one per seat; 409 when it exists).
    /// Audited; the request's operators see it live.
    pub async fn file_daily_report(
        &self,
        reporter: Reporter<'_>,
        mut draft: DailyReportDraft,
    ) -> Result<DailyReport, ApiError> {
        let member = self.reporter_member(reporter).await?;
        let filed: i64 = on_read!(self, db => sqlx::query_scalar(
            "SELECT COUNT(*) FROM daily_reports WHERE assignment_id = $1 AND member_id = $2",
        ).bind(draft.assignment_id).bind(member).fetch_one(db).await?);
        if filed > 0 {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "assignment_id",
                Problem::NotAllowed {
                    ja: "この枠の日報は提出済みです。修正してください",
                    en: "this slot's report was filed already: correct it instead",
                },
            )]));
        }
        let request_id = self.checked_report(member, &mut draft, None).await?;
        let at = now();
        let id = in_write!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO daily_reports (assignment_id, request_id, member_id, starts_at, ends_at, break_minutes, duties, counts, notes, status, version, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', 1, $10) RETURNING id",
            )
            .bind(draft.assignment_id)
            .bind(request_id)
            .bind(member)
            .bind(draft.starts_at)
            .bind(draft.ends_at)
            .bind(draft.break_minutes)
            .bind(duty_codes(&draft.duties))
            .bind(count_codes(&draft.counts))
            .bind(&draft.notes)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            execute!(tx, version_row(id, 1, ReportStatus::Submitted, &draft, None, reporter.account(), at));
            execute!(tx, self.dispatch_event(request_id, at));
            let entry = reporter.entry("report.file", id, serde_json::json!({ "assignment": draft.assignment_id }));
            write_audit!(tx, entry);
            id
        });
        self.member_report(member, id).await
    }

    /// Corrects the member's report, submitted or returned, as a new version (submitted
    /// again). An approved report is locked (409) until its approver reopens it. Audited.
    pub async fn correct_daily_report(
        &self,
        reporter: Reporter<'_>,
        id: i64,
        mut draft: DailyReportDraft,
    ) -> Result<DailyReport, ApiError> {
        let member = self.reporter_member(reporter).await?;
        let current = self.member_report(member, id).await?;
        if current.status == ReportStatus::Approved {
            return Err(locked());
        }
        if draft.assignment_id != current.assignment_id {
            return Err(ApiError::Invalid(vec![FieldIssue::new(
                "assignment_id",
                Problem::NotAllowed {
                    ja: "日報の枠は変えられません",
                    en: "a report stays with its slot",
                },
            )]));
        }
        let request_id = self.checked_report(member, &mut draft, Some(id)).await?;
        let at = now();
        let version = current.version + 1;
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE daily_reports SET starts_at = $1, ends_at = $2, break_minutes = $3, duties = $4, counts = $5, notes = $6, status = 'submitted', version = $7, submitted_at = $8, decided_at = NULL \
                 WHERE id = $9 AND version = $10 AND status IN ('submitted', 'returned')",
                [draft.starts_at.into(), draft.ends_at.into(), draft.break_minutes.into(), duty_codes(&draft.duties).into(), count_codes(&draft.counts).into(), draft.notes.as_str().into(), version.into(), at.into(), id.into(), current.version.into()],
            ));
            // Someone approved or changed it meanwhile.
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            execute!(tx, version_row(id, version, ReportStatus::Submitted, &draft, None, reporter.account(), at));
            execute!(tx, self.dispatch_event(request_id, at));
            let entry = reporter.entry("report.correct", id, serde_json::json!({ "version": version }));
            write_audit!(tx, entry);
        });
        self.member_report(member, id).await
    }

    /// Seat `assignment` of the personal link's member and request, accepted and live; the
    /// same `NotFound` for any other.
    pub async fn seat_of_link(
        &self,
        (request_id, member_id): (i64, i64),
        assignment: i64,
    ) -> Result<ReportDue, ApiError> {
        let row: Option<super::DueRow> = on_read!(self, db => sqlx::query_as(
            "SELECT a.id, a.request_id, d.title, h.name, s.starts_at, s.ends_at, d.duties \
             FROM dispatch_assignments a JOIN dispatch_slots s ON s.id = a.slot_id \
             JOIN dispatch_requests d ON d.id = a.request_id JOIN organisations h ON h.id = d.health_centre_id \
             WHERE a.id = $1 AND a.member_id = $2 AND a.request_id = $3 AND a.status = 'accepted' AND s.cancelled_at IS NULL",
        ).bind(assignment).bind(member_id).bind(request_id).fetch_optional(db).await?);
        let (assignment_id, request_id, request_title, health_centre_name, starts, ends, duties) =
            row.ok_or(ApiError::NotFound)?;
        Ok(ReportDue {
            assignment_id,
            request_id,
            request_title,
            health_centre_name,
            slot_starts_at: starts,
            slot_ends_at: ends,
            duties: duties_of(&duties),
        })
    }

    /// The member's report of seat `assignment`, if it filed one.
    pub async fn report_of_seat(
        &self,
        member: i64,
        assignment: i64,
    ) -> Result<Option<DailyReport>, ApiError> {
        let row: Option<ReportRow> = on_read!(self, db => sqlx::query_as(&format!(
            "SELECT {REPORT_COLUMNS} {REPORT_FROM} WHERE r.assignment_id = $1 AND r.member_id = $2"
        )).bind(assignment).bind(member).fetch_optional(db).await?);
        Ok(row.map(ReportRow::report))
    }

    /// The member's own report `id`; `NotFound` for anyone else's.
    async fn member_report(&self, member: i64, id: i64) -> Result<DailyReport, ApiError> {
        let row: Option<ReportRow> = on_read!(self, db => sqlx::query_as(&format!(
            "SELECT {REPORT_COLUMNS} {REPORT_FROM} WHERE r.id = $1 AND r.member_id = $2"
        )).bind(id).bind(member).fetch_optional(db).await?);
        row.map(ReportRow::report).ok_or(ApiError::NotFound)
    }
}

/// The answer to a change of an approved report.
pub(crate) fn locked() -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        "status",
        Problem::NotAllowed {
            ja: "承認済みの日報は変更できません（承認者が差し戻すと修正できます）",
            en: "an approved report is locked (its approver can reopen it)",
        },
    )])
}
