//! Honorarium payments (謝金) of a training's completed participants: made due from the
//! training's rule (an amount a participant, or a session attended), then paid (with the
//! method and day) or waived (with a note), every change kept; totals per training, and an
//! export of a period's payments for accounting.

use super::write::not_now;
use super::{organises, TrainingRow};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, NaiveDate, Utc};
use ouen_shared::api::{
    HonorariumQuery, PaymentChange, PaymentUpdate, TrainingPayment, TrainingPayments,
};
use ouen_shared::time::start_of_jst_day;
use ouen_shared::trainings::{HonorariumRule, PaymentMethod, PaymentStatus, TrainingStatus};
use ouen_shared::{FieldIssue, Problem, Role, Validate};

type PaymentRow = (
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<NaiveDate>,
    String,
);

const PAYMENT_COLUMNS: &str =
    "p.id, p.training_id, p.application_id, a.member_id, m.name, m.registration_code, \
     a.certificate_number, p.amount_yen, p.status, p.method, p.paid_on, p.note";
const PAYMENT_FROM: &str =
    "FROM training_payments p JOIN training_applications a ON a.id = p.application_id \
     JOIN members m ON m.id = a.member_id";

type EventRow = (
    i64,
    DateTime<Utc>,
    String,
    i64,
    Option<String>,
    Option<NaiveDate>,
    String,
    Option<String>,
);

fn payment(row: PaymentRow, history: Vec<PaymentChange>) -> TrainingPayment {
    let (
        id,
        training_id,
        application_id,
        member_id,
        member_name,
        registration_code,
        certificate_number,
        amount_yen,
        status,
        method,
        paid_on,
        note,
    ) = row;
    TrainingPayment {
        id,
        training_id,
        application_id,
        member_id,
        member_name,
        registration_code,
        certificate_number,
        amount_yen,
        status: PaymentStatus::from_code(&status).unwrap_or(PaymentStatus::Due),
        method: method.as_deref().and_then(PaymentMethod::from_code),
        paid_on,
        note,
        history,
    }
}

/// Who may read a training's payments: its organiser, the admin and the ministry.
fn may_read_payments(actor: &Actor, row: &TrainingRow) -> Result<(), ApiError> {
    if organises(actor, row) || matches!(actor.role, Role::Admin | Role::National) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The statement recording a payment as it now stands.
fn event(payment: i64, at: DateTime<Utc>, actor: &Actor) -> Sql {
    Sql::with(
        "INSERT INTO training_payment_events (payment_id, at, status, amount_yen, method, paid_on, note, changed_by) \
         SELECT id, $1, status, amount_yen, method, paid_on, note, $2 FROM training_payments WHERE id = $3",
        [at.into(), actor.account_id.into(), payment.into()],
    )
}

impl Store {
    async fn payments_of(&self, training: i64) -> Result<TrainingPayments, ApiError> {
        let (rows, events): (Vec<PaymentRow>, Vec<EventRow>) = on_read!(self, db => (
            sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} {PAYMENT_FROM} WHERE p.training_id = $1 ORDER BY a.certificate_seq, p.id"))
                .bind(training).fetch_all(db).await?,
            sqlx::query_as(
                "SELECT e.payment_id, e.at, e.status, e.amount_yen, e.method, e.paid_on, e.note, ac.display_name \
                 FROM training_payment_events e JOIN training_payments p ON p.id = e.payment_id \
                 LEFT JOIN accounts ac ON ac.id = e.changed_by WHERE p.training_id = $1 ORDER BY e.at",
            ).bind(training).fetch_all(db).await?,
        ));
        let mut out = TrainingPayments {
            payments: Vec::with_capacity(rows.len()),
            due_yen: 0,
            paid_yen: 0,
            waived_yen: 0,
        };
        for row in rows {
            let id = row.0;
            let history = events
                .iter()
                .filter(|e| e.0 == id)
                .map(
                    |(_, at, status, amount_yen, method, paid_on, note, by)| PaymentChange {
                        at: *at,
                        status: PaymentStatus::from_code(status).unwrap_or(PaymentStatus::Due),
                        amount_yen: *amount_yen,
                        method: method.as_deref().and_then(PaymentMethod::from_code),
                        paid_on: *paid_on,
                        note: note.clone(),
                        changed_by: by.clone(),
                    },
                )
                .collect();
            let p = payment(row, history);
            match p.status {
                PaymentStatus::Due => out.due_yen += p.amount_yen,
                PaymentStatus::Paid => out.paid_yen += p.amount_yen,
                PaymentStatus::Waived => out.waived_yen += p.amount_yen,
            }
            out.payments.push(p);
        }
        Ok(out)
    }

    /// The payments of a training with their totals, for its organiser, the admin and the
    /// ministry. A read of personal data: audited.
    pub async fn training_payments(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<TrainingPayments, ApiError> {
        let row = self.training_row(actor, id).await?;
        may_read_payments(actor, &row)?;
        let payments = self.payments_of(id).await?;
        in_write!(self, tx => {
            let entry = NewEntry::by(actor, "training.payments.read", "training", id)
                .detail(serde_json::json!({ "payments": payments.payments.len() }));
            write_audit!(tx, entry);
        });
        Ok(payments)
    }

    /// Makes the honorarium due for every completed participant that has none yet, from the
    /// training's rule. Audited.
    pub async fn make_payments_due(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<TrainingPayments, ApiError> {
        let row = self.organised(actor, id).await?;
        if !matches!(
            row.status(),
            TrainingStatus::Held | TrainingStatus::Completed
        ) {
            return Err(not_now(row.status()));
        }
        let rule = HonorariumRule::from_code(&row.honorarium).unwrap_or(HonorariumRule::None);
        let yen = row.honorarium_yen.unwrap_or(0);
        if rule == HonorariumRule::None || yen <= 0 {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "honorarium",
                Problem::NotAllowed {
                    ja: "この研修には謝金がありません",
                    en: "this training pays no honorarium",
                },
            )]));
        }
        let at = now();
        in_write!(self, tx => {
            let owed: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT a.id, (SELECT COUNT(*) FROM training_attendance x WHERE x.application_id = a.id AND x.attended = $1) \
                 FROM training_applications a WHERE a.training_id = $2 AND a.completed_at IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM training_payments p WHERE p.application_id = a.id) ORDER BY a.id",
            )
            .bind(true)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            for (application, sessions) in &owed {
                let amount = match rule {
                    HonorariumRule::PerSession => yen * sessions,
                    _ => yen,
                };
                let payment: i64 = sqlx::query_scalar(
                    "INSERT INTO training_payments (application_id, training_id, amount_yen, status, note, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'due', '', $4, $4) RETURNING id",
                )
                .bind(*application)
                .bind(id)
                .bind(amount)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                execute!(tx, event(payment, at, actor));
            }
            let entry = NewEntry::by(actor, "training.payments.due", "training", id)
                .detail(serde_json::json!({ "made_due": owed.len() }));
            write_audit!(tx, entry);
        });
        self.payments_of(id).await
    }

    /// Records a payment paid, waived or due again (and its amount); the change is kept.
    /// Audited.
    pub async fn update_payment(
        &self,
        actor: &Actor,
        id: i64,
        payment_id: i64,
        mut update: PaymentUpdate,
    ) -> Result<TrainingPayments, ApiError> {
        update.normalize();
        update.validate().map_err(ApiError::Invalid)?;
        self.organised(actor, id).await?;
        let at = now();
        let (method, paid_on) = match update.status {
            PaymentStatus::Paid => (update.method.map(|m| m.code()), update.paid_on),
            _ => (None, None),
        };
        in_write!(self, tx => {
            let mut sql = Sql::new("UPDATE training_payments SET status = ");
            sql.arg(update.status.code())
                .push(", method = ").arg(method)
                .push(", paid_on = ").arg(paid_on)
                .push(", note = ").arg(update.note.as_str())
                .push(", updated_at = ").arg(at);
            if let Some(yen) = update.amount_yen {
                sql.push(", amount_yen = ").arg(i64::from(yen));
            }
            sql.push(" WHERE id = ").arg(payment_id).push(" AND training_id = ").arg(id);
            if execute!(tx, sql) != 1 {
                return Err(ApiError::NotFound);
            }
            execute!(tx, event(payment_id, at, actor));
            let entry = NewEntry::by(actor, "training.payment", "training", id)
                .detail(serde_json::json!({ "payment": payment_id, "status": update.status.code() }));
            write_audit!(tx, entry);
        });
        self.payments_of(id).await
    }

    /// The payments of a period for accounting, with their training's title: paid ones by
    /// the day paid, others by the day they were made due. The ministry and the admin read
    /// every training's, a prefecture its own. Audited.
    pub async fn payments_export(
        &self,
        actor: &Actor,
        query: &HonorariumQuery,
    ) -> Result<Vec<(String, TrainingPayment)>, ApiError> {
        let (first, next) = query.period().map_err(ApiError::Invalid)?;
        let mut sql = Sql::new(&format!(
            "SELECT t.title, {PAYMENT_COLUMNS} {PAYMENT_FROM} JOIN trainings t ON t.id = p.training_id WHERE "
        ));
        match (actor.role, &actor.prefecture_code) {
            (Role::Admin | Role::National, _) => {
                sql.push("TRUE");
            }
            (Role::Prefecture, Some(code)) => {
                sql.push("t.kind = 'prefecture' AND t.prefecture_code = ")
                    .arg(code.as_str());
            }
            _ => return Err(ApiError::Forbidden),
        }
        sql.push(" AND ((p.status = 'paid' AND p.paid_on >= ")
            .arg(first)
            .push(" AND p.paid_on < ")
            .arg(next)
            .push(") OR (p.status <> 'paid' AND p.created_at >= ")
            .arg(start_of_jst_day(first))
            .push(" AND p.created_at < ")
            .arg(start_of_jst_day(next))
            .push("))");
        if let Some(member) = query.member_id {
            sql.push(" AND a.member_id = ").arg(member);
        }
        sql.push(" ORDER BY t.id, a.certificate_seq, p.id");
        type ExportRow = (
            String,
            i64,
            i64,
            i64,
            i64,
            String,
            Option<String>,
            Option<String>,
            i64,
            String,
            Option<String>,
            Option<NaiveDate>,
            String,
        );
        let rows: Vec<ExportRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        in_write!(self, tx => {
            let entry = NewEntry::by(actor, "training.payments.export", "training_payments", format!("{first}..{next}"))
                .detail(serde_json::json!({ "rows": rows.len(), "from": first, "until": next }));
            write_audit!(tx, entry);
        });
        Ok(rows
            .into_iter()
            .map(|(title, a, b, c, d, e, f, g, h, i, j, k, l)| {
                (
                    title,
                    payment((a, b, c, d, e, f, g, h, i, j, k, l), Vec::new()),
                )
            })
            .collect())
    }
}
