//! After applications close: the training moves on (closed, held, completed), the organiser
//! records attendance per session for several participants at once, and marks participants
//! done, each issued the next certificate number (修了証番号) of the training's scheme. Numbers
//! are reserved under the training's row lock in the transaction that records them, so they
//! have no gap and are never reused, however many instances issue at once. A completion joins
//! the member's training history, which the roster's "trained in" filter reads.

use super::write::not_now;
use super::{training_notice, TrainingRow};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Notice, Recipient, Text};
use crate::store::members::lifecycle::member_lang;
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use ouen_shared::api::{
    AttendanceMarks, CompleteParticipants, Completion, IssuedCertificate, Training,
    TrainingStatusChange,
};
use ouen_shared::text::fold;
use ouen_shared::time::jst;
use ouen_shared::trainings::{CertificateScheme, CompletionRule, TrainingStatus};
use ouen_shared::{FieldIssue, Lang, Problem, Validate};

/// Whether a training may move from `from` to `to`.
fn may_move(from: TrainingStatus, to: TrainingStatus) -> bool {
    use TrainingStatus::*;
    matches!(
        (from, to),
        (Published, Closed) | (Published, Held) | (Closed, Held) | (Held, Completed)
    )
}

fn unknown(field: &str) -> ApiError {
    ApiError::invalid(field, Problem::UnknownValue)
}

fn completed_notice(row: &TrainingRow, number: &str) -> Notice {
    training_notice(row, |lang| Text {
        subject: format!(
            "{}{}",
            lang.pick("【研修修了】", "[Training completed] "),
            row.title
        ),
        body: match lang {
            Lang::Ja => format!(
                "研修「{}」の修了を記録しました。\n修了証番号: {number}\n\n{}",
                row.title, row.organisation_name
            ),
            Lang::En => format!(
                "Your completion of \"{}\" is recorded.\nCertificate number: {number}\n\n{}",
                row.title, row.organisation_name
            ),
        },
    })
}

impl Store {
    /// The approved applications of training `id` among `ids`: `(application, member)`;
    /// a field error naming `application_ids` when any is not one.
    async fn approved_among(&self, id: i64, ids: &[i64]) -> Result<Vec<(i64, i64)>, ApiError> {
        let mut sql = Sql::new("SELECT id, member_id FROM training_applications WHERE status = 'approved' AND training_id = ");
        sql.arg(id)
            .push(" AND id IN ")
            .list(ids)
            .push(" ORDER BY id");
        let rows: Vec<(i64, i64)> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        if rows.len() != ids.len() {
            return Err(ApiError::invalid(
                "application_ids",
                Problem::NotAllowed {
                    ja: "受講決定者ではない申込が含まれています",
                    en: "some of these are not approved participants",
                },
            ));
        }
        Ok(rows)
    }

    /// Moves a training the actor organises on: applications closed, held, completed.
    /// Audited.
    pub async fn set_training_status(
        &self,
        actor: &Actor,
        id: i64,
        change: TrainingStatusChange,
    ) -> Result<Training, ApiError> {
        let row = self.organised(actor, id).await?;
        if !may_move(row.status(), change.status) {
            return Err(not_now(row.status()));
        }
        let at = now();
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE trainings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
                [change.status.code().into(), at.into(), id.into(), row.status.as_str().into()],
            ));
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            let entry = NewEntry::by(actor, "training.status", "training", id)
                .detail(serde_json::json!({ "from": row.status, "to": change.status.code() }));
            write_audit!(tx, entry);
        });
        self.training(actor, id).await
    }

    /// Records whether approved participants attended one session. Audited.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        id: i64,
        mut marks: AttendanceMarks,
    ) -> Result<Training, ApiError> {
        marks.normalize();
        marks.validate().map_err(ApiError::Invalid)?;
        let row = self.organised(actor, id).await?;
        if !matches!(row.status(), TrainingStatus::Closed | TrainingStatus::Held) {
            return Err(not_now(row.status()));
        }
        let sessions: Vec<i64> = on_read!(self, db => sqlx::query_scalar("SELECT id FROM training_sessions WHERE training_id = $1")
            .bind(id).fetch_all(db).await?);
        if !sessions.contains(&marks.session_id) {
            return Err(unknown("session_id"));
        }
        let participants = self.approved_among(id, &marks.application_ids).await?;
        let at = now();
        in_write!(self, tx => {
            for (application, _) in &participants {
                execute!(tx, Sql::with(
                    "INSERT INTO training_attendance (application_id, session_id, attended, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (application_id, session_id) DO UPDATE SET attended = excluded.attended, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
                    [(*application).into(), marks.session_id.into(), marks.attended.into(), at.into(), actor.account_id.into()],
                ));
            }
            let entry = NewEntry::by(actor, "training.attendance", "training", id)
                .detail(serde_json::json!({ "session": marks.session_id, "participants": participants.len(), "attended": marks.attended }));
            write_audit!(tx, entry);
        });
        self.training(actor, id).await
    }

    /// Marks approved participants done and issues each the next certificate number, in
    /// application order; every session must be recorded attended when completion asks for
    /// it. Each member is told its number. Audited.
    pub async fn complete_participants(
        &self,
        actor: &Actor,
        id: i64,
        mut done: CompleteParticipants,
    ) -> Result<Completion, ApiError> {
        done.normalize();
        done.validate().map_err(ApiError::Invalid)?;
        let row = self.organised(actor, id).await?;
        if !matches!(
            row.status(),
            TrainingStatus::Held | TrainingStatus::Completed
        ) {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "status",
                Problem::NotAllowed {
                    ja: "修了は研修の実施後に記録してください",
                    en: "record completion once the training is held",
                },
            )]));
        }
        let scheme = CertificateScheme::parse(&row.certificate_scheme)
            .map_err(|_| unknown("certificate_scheme"))?;
        let participants = self.approved_among(id, &done.application_ids).await?;
        let mut ids = Sql::new(
            "SELECT COUNT(*) FROM training_applications WHERE completed_at IS NOT NULL AND id IN ",
        );
        ids.list(&done.application_ids);
        let already: i64 = on_read!(self, db => bind_args!(sqlx::query_scalar(&ids.text), ids.args).fetch_one(db).await?);
        if already > 0 {
            return Err(ApiError::invalid(
                "application_ids",
                Problem::NotAllowed {
                    ja: "修了済みの受講者が含まれています",
                    en: "some of these have completed already",
                },
            ));
        }
        let rule =
            CompletionRule::from_code(&row.completion).unwrap_or(CompletionRule::AllSessions);
        if rule != CompletionRule::Test {
            let mut missing = Sql::new(
                "SELECT COUNT(*) FROM training_applications a JOIN training_sessions s ON s.training_id = a.training_id \
                 WHERE a.id IN ",
            );
            missing.list(&done.application_ids).push(
                " AND NOT EXISTS (SELECT 1 FROM training_attendance x WHERE x.application_id = a.id AND x.session_id = s.id AND x.attended = ",
            ).arg(true).push(")");
            let missing: i64 = on_read!(self, db => bind_args!(sqlx::query_scalar(&missing.text), missing.args).fetch_one(db).await?);
            if missing > 0 {
                return Err(ApiError::invalid(
                    "application_ids",
                    Problem::NotAllowed {
                        ja: "全日程の出席が記録されていない受講者が含まれています",
                        en: "some of these have not attended every session",
                    },
                ));
            }
        }
        let at = now();
        let today = at.with_timezone(&jst()).date_naive();
        let n = participants.len() as i64;
        let issued = in_write!(self, tx => {
            // The numbers, reserved under the training's row lock.
            let next: i64 = sqlx::query_scalar(
                "UPDATE trainings SET next_certificate = next_certificate + $1, updated_at = $2 WHERE id = $3 RETURNING next_certificate",
            )
            .bind(n)
            .bind(at)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let first = next - n;
            let mut issued = Vec::with_capacity(participants.len());
            for (i, (application, member)) in participants.iter().enumerate() {
                let seq = first + i as i64;
                let number = scheme.number(u64::try_from(seq).unwrap_or_default());
                let changed = execute!(tx, Sql::with(
                    "UPDATE training_applications SET completed_at = $1, certificate_seq = $2, certificate_number = $3 \
                     WHERE id = $4 AND status = 'approved' AND completed_at IS NULL",
                    [at.into(), seq.into(), number.as_str().into(), (*application).into()],
                ));
                if changed != 1 {
                    return Err(ApiError::Busy);
                }
                execute!(tx, Sql::with(
                    "INSERT INTO member_trainings (member_id, title, title_fold, completed_on, certificate_number, training_id) VALUES ($1, $2, $3, $4, $5, $6)",
                    [(*member).into(), row.title.as_str().into(), fold(&row.title).into(), today.into(), number.as_str().into(), id.into()],
                ));
                let who: (Option<i64>, String) = sqlx::query_as("SELECT account_id, languages FROM members WHERE id = $1")
                    .bind(*member)
                    .fetch_one(&mut *tx)
                    .await?;
                let recipients = [Recipient::member(*member, who.0, member_lang(&who.1))];
                notify_in_tx!(self, tx, &recipients, &completed_notice(&row, &number));
                issued.push(IssuedCertificate {
                    application_id: *application,
                    member_id: *member,
                    certificate_number: number,
                });
            }
            let entry = NewEntry::by(actor, "training.complete", "training", id)
                .detail(serde_json::json!({ "issued": issued.len(), "first": first }));
            write_audit!(tx, entry);
            issued
        });
        Ok(Completion { issued })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_training_only_moves_forward() {
        use TrainingStatus::*;
        assert!(may_move(Published, Closed));
        assert!(may_move(Closed, Held));
        assert!(may_move(Held, Completed));
        for (from, to) in [
            (Draft, Held),
            (Closed, Published),
            (Completed, Held),
            (Cancelled, Held),
            (Held, Closed),
        ] {
            assert!(!may_move(from, to), "{from:?} → {to:?}");
        }
    }
}
