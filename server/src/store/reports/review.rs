//! The requester reviews daily reports: approves a submitted one (it is locked), returns it
//! with a comment for the member to correct, or reopens an approved one with a comment.
//! The member is told of a return or a reopening; every decision is a version and audited.

use super::filing::version_row;
use super::{counts_of, ReportRow};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::dispatch::{duties_of, may_plan};
use crate::store::inbox::{Link, Notice, Recipient, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{DailyReport, DailyReportDraft, ReportComment, ReportStatus};
use ouen_shared::dispatch::format_slot;
use ouen_shared::time::jst;
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem, Validate};

/// What the requester decides about a report.
pub enum Decision {
    Approve,
    Return(ReportComment),
    Reopen(ReportComment),
}

impl Decision {
    fn comment(&self) -> Option<&str> {
        match self {
            Decision::Approve => None,
            Decision::Return(c) | Decision::Reopen(c) => Some(c.comment.as_str()),
        }
    }
}

impl Store {
    /// Approves, returns or reopens report `id` of a request in the actor's scope. Approving
    /// and returning take a submitted report; reopening an approved one. Audited.
    pub async fn decide_daily_report(
        &self,
        actor: &Actor,
        id: i64,
        mut decision: Decision,
    ) -> Result<DailyReport, ApiError> {
        may_plan(actor)?;
        if let Decision::Return(c) | Decision::Reopen(c) = &mut decision {
            c.normalize();
            c.validate().map_err(ApiError::Invalid)?;
        }
        let row = self.report_row(actor, id).await?;
        let (from, to, action) = match decision {
            Decision::Approve => (
                ReportStatus::Submitted,
                ReportStatus::Approved,
                "report.approve",
            ),
            Decision::Return(_) => (
                ReportStatus::Submitted,
                ReportStatus::Returned,
                "report.return",
            ),
            Decision::Reopen(_) => (
                ReportStatus::Approved,
                ReportStatus::Returned,
                "report.reopen",
            ),
        };
        if row.status() != from {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "status",
                match from {
                    ReportStatus::Approved => Problem::NotAllowed {
                        ja: "承認済みの日報だけを差し戻せます",
                        en: "only an approved report can be reopened",
                    },
                    _ => Problem::NotAllowed {
                        ja: "提出済みの日報だけを承認・差し戻しできます",
                        en: "only a submitted report can be approved or returned",
                    },
                },
            )]));
        }
        let recipient = self.report_member(row.member_id).await?;
        let comment = decision.comment().map(str::to_string);
        let at = now();
        let version = row.version + 1;
        let as_filed = DailyReportDraft {
            assignment_id: row.assignment_id,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            break_minutes: row.break_minutes,
            duties: duties_of(&row.duties),
            counts: counts_of(&row.counts),
            notes: row.notes.clone(),
        };
        let request_id = row.request_id;
        // The roster's last dispatch is the latest approved report's day (JST).
        let last_dispatch = if from == ReportStatus::Approved || to == ReportStatus::Approved {
            let others: Option<DateTime<Utc>> = on_read!(self, db => sqlx::query_scalar(
                "SELECT MAX(starts_at) FROM daily_reports WHERE member_id = $1 AND status = 'approved' AND id <> $2",
            ).bind(row.member_id).bind(id).fetch_one(db).await?);
            let latest = if to == ReportStatus::Approved {
                others.max(Some(row.starts_at))
            } else {
                others
            };
            Some(latest.map(|at| at.with_timezone(&jst()).date_naive()))
        } else {
            None
        };
        in_write!(self, tx => {
            if let Some(day) = last_dispatch {
                execute!(tx, Sql::with(
                    "UPDATE members SET last_dispatch_on = $1 WHERE id = $2",
                    [day.into(), row.member_id.into()],
                ));
            }
            let changed = execute!(tx, Sql::with(
                "UPDATE daily_reports SET status = $1, version = $2, comment = COALESCE($3, comment), decided_at = $4 WHERE id = $5 AND version = $6",
                [to.code().into(), version.into(), comment.clone().into(), at.into(), id.into(), row.version.into()],
            ));
            // The member corrected it, or another operator decided, meanwhile.
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            execute!(tx, version_row(id, version, to, &as_filed, comment.as_deref(), Some(actor.account_id), at));
            if let (Some(comment), Some(recipient)) = (&comment, &recipient) {
                let notice = returned_notice(&row, comment);
                notify_in_tx!(self, tx, std::slice::from_ref(recipient), &notice);
            }
            execute!(tx, self.dispatch_event(request_id, at));
            let entry = NewEntry::by(actor, action, "daily_report", id)
                .detail(serde_json::json!({ "version": version, "comment": comment }));
            write_audit!(tx, entry);
        });
        // The decision is audited already; its answer is not another read.
        let decided = self.report_row(actor, id).await?;
        self.with_versions(decided).await
    }

    /// The member a report belongs to, as a recipient (none once its record is erased).
    async fn report_member(&self, member_id: i64) -> Result<Option<Recipient>, ApiError> {
        let row: Option<(Option<i64>, String)> = on_read!(self, db => sqlx::query_as(
            "SELECT account_id, languages FROM members WHERE id = $1 AND anonymised_at IS NULL",
        ).bind(member_id).fetch_optional(db).await?);
        Ok(row.map(|(account, languages)| {
            Recipient::member(
                member_id,
                account,
                crate::store::members::lifecycle::member_lang(&languages),
            )
        }))
    }
}

fn returned_notice(row: &ReportRow, comment: &str) -> Notice {
    let slot = format_slot(row.slot_starts_at, row.slot_ends_at);
    let text = |lang: Lang| {
        Text {
        subject: format!(
            "{}{}",
            lang.pick("【日報の差戻し】", "[Daily report returned] "),
            row.request_title
        ),
        body: match lang {
            Lang::Ja => format!(
                "派遣要請「{}」の次の枠の日報が差し戻されました（日本時間）。\n{slot}\nコメント: {comment}\n内容を確認して修正し、もう一度提出してください。",
                row.request_title
            ),
            Lang::En => format!(
                "Your daily report for this slot of \"{}\" was returned (JST).\n{slot}\nComment: {comment}\nPlease correct it and file it again.",
                row.request_title
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::DispatchRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "daily_report",
            id: row.id,
        }),
        origin_organisation_id: Some(row.organisation_id),
    }
}
