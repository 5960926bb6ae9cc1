//! Publishing a training to its target members, once each: the approved members (of the
//! organising prefecture for its own training, of any prefecture for a national one) holding
//! a target profession, with the experience asked for. Publishing again or editing tells
//! nobody twice; members who became targets later are told with one more call. Calling a
//! training off tells its applicants.

use super::write::not_now;
use super::{training_notice, TrainingRow};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Notice, Recipient, Text};
use crate::store::members::lifecycle::member_lang;
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{TrainingCancel, TrainingNotified, TrainingSession};
use ouen_shared::time::format_jst;
use ouen_shared::trainings::{Delivery, TrainingKind, TrainingStatus};
use ouen_shared::{FieldIssue, Lang, Problem, Validate};

/// Members read back per statement when turning notices into recipients.
const RECIPIENT_CHUNK: usize = 500;

/// `INSERT … RETURNING member_id`: a notice row for every target member not told yet.
fn new_notices(row: &TrainingRow, at: DateTime<Utc>) -> Sql {
    let mut sql =
        Sql::new("INSERT INTO training_notices (training_id, member_id, notified_at) SELECT ");
    sql.arg(row.id).push(", m.id, ").arg(at).push(
        " FROM members m WHERE m.anonymised_at IS NULL AND m.withdrawn_at IS NULL \
         AND EXISTS (SELECT 1 FROM memberships ms WHERE ms.member_id = m.id AND ms.status = 'approved'",
    );
    if row.kind == TrainingKind::Prefecture.code() {
        sql.push(" AND ms.prefecture_code = ")
            .arg(row.prefecture_code.clone().unwrap_or_default());
    }
    sql.push(") AND EXISTS (SELECT 1 FROM member_licences l WHERE l.member_id = m.id AND l.profession IN ");
    let codes: Vec<&str> = row.professions().iter().map(|p| p.code()).collect();
    if codes.is_empty() {
        sql.push("('')");
    } else {
        sql.list(&codes);
    }
    sql.push(")");
    if let Some(years) = row.min_experience_years {
        sql.push(" AND m.experience_years >= ").arg(years);
    }
    sql.push(" ON CONFLICT DO NOTHING RETURNING member_id");
    sql
}

fn session_lines(sessions: &[TrainingSession], lang: Lang) -> String {
    sessions
        .iter()
        .map(|s| {
            let end = format_jst(s.ends_at);
            let end = end
                .split_once(' ')
                .map_or(end.clone(), |(_, t)| t.to_string());
            let place = match (&s.url, s.place.is_empty()) {
                (_, false) => s.place.clone(),
                (Some(url), true) => url.clone(),
                (None, true) => String::new(),
            };
            format!(
                "{}{}–{end} {place}",
                lang.pick("・", "- "),
                format_jst(s.starts_at)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn published_notice(row: &TrainingRow, sessions: &[TrainingSession]) -> Notice {
    let delivery = Delivery::from_code(&row.delivery).unwrap_or(Delivery::OnSite);
    let text = |lang: Lang| {
        Text {
        subject: format!(
            "{}{}",
            lang.pick("【研修のご案内】", "[Training] "),
            row.title
        ),
        body: match lang {
            Lang::Ja => format!(
                "{}より研修のご案内です。\n\n研修名: {}\n形式: {}\n日程:\n{}\n申込期間: {} 〜 {}\n定員: {}名\n\n{}\n\nお申し込みは ouen の研修の画面からどうぞ。",
                row.organisation_name,
                row.title,
                delivery.label(lang),
                session_lines(sessions, lang),
                format_jst(row.applications_open),
                format_jst(row.applications_close),
                row.capacity,
                row.description,
            ),
            Lang::En => format!(
                "{} invites you to a training.\n\nTraining: {}\nDelivery: {}\nSessions:\n{}\nApplications: {} to {} (JST)\nPlaces: {}\n\n{}\n\nApply on the trainings screen of ouen.",
                row.organisation_name,
                row.title,
                delivery.label(lang),
                session_lines(sessions, lang),
                format_jst(row.applications_open),
                format_jst(row.applications_close),
                row.capacity,
                row.description,
            ),
        },
    }
    };
    training_notice(row, text)
}

fn cancelled_notice(row: &TrainingRow, reason: &str) -> Notice {
    training_notice(row, |lang: Lang| Text {
        subject: format!(
            "{}{}",
            lang.pick("【研修中止】", "[Training cancelled] "),
            row.title
        ),
        body: match lang {
            Lang::Ja => format!(
                "お申し込みいただいた研修「{}」は中止になりました。\n\n理由: {reason}\n\n{}",
                row.title, row.organisation_name
            ),
            Lang::En => format!(
                "The training \"{}\" you applied for was called off.\n\nReason: {reason}\n\n{}",
                row.title, row.organisation_name
            ),
        },
    })
}

/// Turns member ids into recipients (their account and language), inside the transaction.
macro_rules! recipients_of {
    ($tx:expr, $ids:expr) => {{
        let mut recipients: Vec<Recipient> = Vec::new();
        for chunk in $ids.chunks(RECIPIENT_CHUNK) {
            let mut sql = Sql::new("SELECT id, account_id, languages FROM members WHERE id IN ");
            sql.list(chunk).push(" ORDER BY id");
            let rows: Vec<(i64, Option<i64>, String)> =
                bind_args!(sqlx::query_as(&sql.text), sql.args)
                    .fetch_all(&mut *$tx)
                    .await?;
            recipients.extend(rows.into_iter().map(|(member, account, languages)| {
                Recipient::member(member, account, member_lang(&languages))
            }));
        }
        recipients
    }};
}

/// Tells the target members of `$row` not told yet, with `$notice`, inside transaction `$tx`
/// of the change that causes it; answers how many were told. Concurrent calls (on several
/// instances) tell each member once: the notice rows' key decides who tells whom.
macro_rules! tell_targets {
    ($store:expr, $tx:expr, $row:expr, $notice:expr, $at:expr) => {{
        let insert = new_notices($row, $at);
        let ids: Vec<i64> = bind_args!(sqlx::query_scalar(&insert.text), insert.args)
            .fetch_all(&mut *$tx)
            .await?;
        let recipients = recipients_of!($tx, ids);
        notify_in_tx!($store, $tx, &recipients, $notice);
        ids.len() as i64
    }};
}

impl Store {
    /// Publishes a draft training the actor organises and tells its target members. Audited.
    pub async fn publish_training(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<TrainingNotified, ApiError> {
        let row = self.organised(actor, id).await?;
        if row.status() != TrainingStatus::Draft {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "status",
                Problem::NotAllowed {
                    ja: "公開できるのは下書きの研修だけです",
                    en: "only a draft training can be published",
                },
            )]));
        }
        let at = now();
        if row.applications_close <= at {
            return Err(ApiError::invalid(
                "applications_close",
                Problem::NotAllowed {
                    ja: "申込締切が過ぎています。日程を直してから公開してください",
                    en: "applications have closed: change the dates, then publish",
                },
            ));
        }
        let notice = published_notice(&row, &self.sessions_of(id).await?);
        let told = in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE trainings SET status = 'published', published_at = $1, updated_at = $1 WHERE id = $2 AND status = 'draft'",
                [at.into(), id.into()],
            ));
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            let told = tell_targets!(self, tx, &row, &notice, at);
            let entry = NewEntry::by(actor, "training.publish", "training", id)
                .detail(serde_json::json!({ "told": told }));
            write_audit!(tx, entry);
            told
        });
        Ok(TrainingNotified {
            training: self.training(actor, id).await?,
            notified: told,
        })
    }

    /// Tells the members who became targets of a published training since it was published
    /// (newly approved, say); those told already are not told again. Audited.
    pub async fn notify_training_targets(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<TrainingNotified, ApiError> {
        let row = self.organised(actor, id).await?;
        if row.status() != TrainingStatus::Published {
            return Err(not_now(row.status()));
        }
        let notice = published_notice(&row, &self.sessions_of(id).await?);
        let at = now();
        let told = in_write!(self, tx => {
            let told = tell_targets!(self, tx, &row, &notice, at);
            let entry = NewEntry::by(actor, "training.notify", "training", id)
                .detail(serde_json::json!({ "told": told }));
            write_audit!(tx, entry);
            told
        });
        Ok(TrainingNotified {
            training: self.training(actor, id).await?,
            notified: told,
        })
    }

    /// Calls off a training the actor organises, before it is held; its applicants are told
    /// with the reason. Audited.
    pub async fn cancel_training(
        &self,
        actor: &Actor,
        id: i64,
        mut cancel: TrainingCancel,
    ) -> Result<ouen_shared::api::Training, ApiError> {
        cancel.normalize();
        cancel.validate().map_err(ApiError::Invalid)?;
        let row = self.organised(actor, id).await?;
        if !matches!(
            row.status(),
            TrainingStatus::Draft | TrainingStatus::Published | TrainingStatus::Closed
        ) {
            return Err(not_now(row.status()));
        }
        let notice = cancelled_notice(&row, &cancel.reason);
        let at = now();
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE trainings SET status = 'cancelled', cancelled_at = $1, cancel_reason = $2, updated_at = $1 WHERE id = $3 AND status = $4",
                [at.into(), cancel.reason.as_str().into(), id.into(), row.status.as_str().into()],
            ));
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT member_id FROM training_applications WHERE training_id = $1 AND status IN ('applied', 'approved', 'waitlisted') ORDER BY member_id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let recipients = recipients_of!(tx, ids);
            let told = notify_in_tx!(self, tx, &recipients, &notice);
            let entry = NewEntry::by(actor, "training.cancel", "training", id)
                .detail(serde_json::json!({ "told": told }));
            write_audit!(tx, entry);
        });
        self.training(actor, id).await
    }
}
