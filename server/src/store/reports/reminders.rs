//! Reminders to report: a member whose accepted seat ended some hours ago with no daily report
//! is told once (inbox and e-mail), the e-mail carrying its personal link to the report page.
//! Several instances may run it at once: each seat is marked reminded in the transaction that
//! tells its member, and skipped once marked.

use crate::error::ApiError;
use crate::store::inbox::{Link, Notice, Recipient, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, on_read, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::dispatch::format_slot;
use ouen_shared::{Lang, NoticeKind};

/// Seats reminded in one run at most (the next run takes the rest).
const BATCH: i64 = 500;

#[derive(sqlx::FromRow)]
struct DueSeat {
    assignment_id: i64,
    member_id: i64,
    account_id: Option<i64>,
    languages: String,
    title: String,
    organisation_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

fn reminder(seat: &DueSeat) -> Notice {
    let slot = format_slot(seat.starts_at, seat.ends_at);
    let text = |lang: Lang| {
        Text {
        subject: format!(
            "{}{}",
            lang.pick("【日報のお願い】", "[Daily report due] "),
            seat.title
        ),
        body: match lang {
            Lang::Ja => format!(
                "派遣要請「{}」の次の枠（日本時間）の日報がまだ提出されていません。\n{slot}\n実際の開始・終了時刻、休憩、行った業務と件数をご報告ください。",
                seat.title
            ),
            Lang::En => format!(
                "Your daily report for this slot of \"{}\" (JST) has not been filed yet.\n{slot}\nPlease report when you actually started and ended, your break, and the duties done with their counts.",
                seat.title
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::DispatchRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_assignment",
            id: seat.assignment_id,
        }),
        origin_organisation_id: Some(seat.organisation_id),
    }
}

impl Store {
    /// Reminds the members of accepted seats whose slot ended at least `after` before `now`
    /// and that have no report, each seat once. Answers how many were reminded.
    pub async fn remind_unreported(
        &self,
        now: DateTime<Utc>,
        after: Duration,
    ) -> Result<u64, ApiError> {
        let ended_by = now - after;
        let due: Vec<DueSeat> = on_read!(self, db => sqlx::query_as(
            "SELECT a.id AS assignment_id, a.member_id, m.account_id, m.languages, d.title, \
             d.organisation_id, s.starts_at, s.ends_at \
             FROM dispatch_assignments a \
             JOIN dispatch_slots s ON s.id = a.slot_id \
             JOIN dispatch_requests d ON d.id = a.request_id \
             JOIN members m ON m.id = a.member_id \
             WHERE a.status = 'accepted' AND a.report_reminded_at IS NULL \
             AND s.cancelled_at IS NULL AND s.ends_at <= $1 AND m.anonymised_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM daily_reports r WHERE r.assignment_id = a.id) \
             ORDER BY s.ends_at, a.id LIMIT $2",
        ).bind(ended_by).bind(BATCH).fetch_all(db).await?);
        let mut reminded = 0;
        for seat in &due {
            let recipient = Recipient::member(
                seat.member_id,
                seat.account_id,
                crate::store::members::lifecycle::member_lang(&seat.languages),
            );
            let notice = reminder(seat);
            reminded += in_write!(self, tx => {
                // Another instance may have reminded it meanwhile.
                let marked = execute!(tx, Sql::with(
                    "UPDATE dispatch_assignments SET report_reminded_at = $1 WHERE id = $2 AND report_reminded_at IS NULL",
                    [now.into(), seat.assignment_id.into()],
                ));
                if marked == 1 {
                    notify_in_tx!(self, tx, &[recipient], &notice);
                }
                marked
            });
        }
        Ok(reminded)
    }
}
