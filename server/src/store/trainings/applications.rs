//! Applications to a training: a member of its target applies (or withdraws before the
//! close); a member outside it is refused with the reason; the organiser approves within the
//! capacity, waitlists, or rejects with a reason, and the member is told each decision.

use super::write::not_now;
use super::{organises, training_notice, TrainingRow, TRAINING_COLUMNS, TRAINING_FROM};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Notice, Recipient, Text};
use crate::store::members::lifecycle::member_lang;
use crate::store::members::split_codes;
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    ApplicationDecision, DecideApplication, MyApplication, MyTraining, TrainingApplication,
};
use ouen_shared::trainings::{ApplicationStatus, TrainingKind, TrainingStatus};
use ouen_shared::{FieldIssue, Lang, Problem, Profession, Role, Validate};

/// Appends the condition that training alias `t` is visible to member `member`: published
/// (or later) and national or of a prefecture that approved it, or one it applied to.
fn push_member_visibility(sql: &mut Sql, member: i64, t: &str) {
    sql.push(&format!(
        "(({t}.status IN ('published', 'closed', 'held', 'completed') AND ({t}.kind = 'national' OR EXISTS \
         (SELECT 1 FROM memberships vm WHERE vm.member_id = "
    ))
    .arg(member)
    .push(&format!(
        " AND vm.status = 'approved' AND vm.prefecture_code = {t}.prefecture_code))) \
         OR EXISTS (SELECT 1 FROM training_applications va WHERE va.training_id = {t}.id AND va.member_id = "
    ))
    .arg(member)
    .push("))");
}

/// What a member brings to a training's target.
struct Applicant {
    id: i64,
    professions: Vec<Profession>,
    experience_years: i64,
    approved_in: Vec<String>,
}

impl Applicant {
    /// Why the member is outside the training's target, if it is.
    fn outside(&self, row: &TrainingRow) -> Option<Problem> {
        let in_prefecture = match row.kind.as_str() {
            k if k == TrainingKind::National.code() => !self.approved_in.is_empty(),
            _ => row
                .prefecture_code
                .as_ref()
                .is_some_and(|p| self.approved_in.contains(p)),
        };
        if !in_prefecture {
            return Some(Problem::NotAllowed {
                ja: "承認済みの登録者だけが申し込めます",
                en: "only approved members can apply",
            });
        }
        if !row
            .professions()
            .iter()
            .any(|p| self.professions.contains(p))
        {
            return Some(Problem::NotAllowed {
                ja: "この研修の対象職種ではありません",
                en: "your profession is not one this training is for",
            });
        }
        if row
            .min_experience_years
            .is_some_and(|min| self.experience_years < min)
        {
            return Some(Problem::NotAllowed {
                ja: "この研修に必要な経験年数に達していません",
                en: "this training asks for more years of experience",
            });
        }
        None
    }
}

type ApplicationRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
);

const APPLICATION_COLUMNS: &str =
    "a.id, a.training_id, a.member_id, m.name, m.name_kana, m.professions, a.status, \
     a.reason, a.applied_at, a.decided_at, a.completed_at, a.certificate_number";

fn application(
    (
        id,
        training_id,
        member_id,
        name,
        kana,
        professions,
        status,
        reason,
        applied_at,
        decided_at,
        completed_at,
        certificate_number,
    ): ApplicationRow,
) -> TrainingApplication {
    TrainingApplication {
        id,
        training_id,
        member_id,
        member_name: name,
        member_name_kana: kana,
        professions: split_codes(&professions, Profession::from_code),
        status: ApplicationStatus::from_code(&status).unwrap_or(ApplicationStatus::Applied),
        reason,
        applied_at,
        decided_at,
        completed_at,
        certificate_number,
    }
}

fn decision_notice(row: &TrainingRow, status: ApplicationStatus, reason: Option<&str>) -> Notice {
    let text = |lang: Lang| {
        let (tag, line) = match status {
            ApplicationStatus::Approved => (
                lang.pick("【研修受講決定】", "[Training: approved] "),
                lang.pick(
                    "受講が決まりました。日程をご確認ください。",
                    "You have a place. Please check the sessions.",
                ),
            ),
            ApplicationStatus::Waitlisted => (
                lang.pick("【研修補欠】", "[Training: waitlisted] "),
                lang.pick(
                    "補欠として登録しました。席が空きしだいお知らせします。",
                    "You are on the waiting list; we will tell you if a place frees up.",
                ),
            ),
            _ => (
                lang.pick("【研修見送り】", "[Training: not this time] "),
                lang.pick(
                    "今回は受講を見送らせていただきます。",
                    "We cannot offer you a place this time.",
                ),
            ),
        };
        let reason = reason
            .map(|r| format!("\n{}{r}", lang.pick("理由: ", "Reason: ")))
            .unwrap_or_default();
        Text {
            subject: format!("{tag}{}", row.title),
            body: format!(
                "{}\n\n{line}{reason}\n\n{}",
                row.title, row.organisation_name
            ),
        }
    };
    training_notice(row, text)
}

fn conflict(field: &str, ja: &'static str, en: &'static str) -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(field, Problem::NotAllowed { ja, en })])
}

impl Store {
    /// The member behind a member account, with what its target depends on.
    async fn applicant(&self, actor: &Actor) -> Result<Applicant, ApiError> {
        if actor.role != Role::Member {
            return Err(ApiError::Forbidden);
        }
        let id = self.own_member_id(actor).await?;
        let (experience_years, licences, approved_in): (i64, Vec<String>, Vec<String>) = on_read!(self, db => (
            sqlx::query_scalar("SELECT experience_years FROM members WHERE id = $1").bind(id).fetch_one(db).await?,
            sqlx::query_scalar("SELECT profession FROM member_licences WHERE member_id = $1").bind(id).fetch_all(db).await?,
            sqlx::query_scalar("SELECT prefecture_code FROM memberships WHERE member_id = $1 AND status = 'approved'").bind(id).fetch_all(db).await?,
        ));
        Ok(Applicant {
            id,
            professions: licences
                .iter()
                .filter_map(|p| Profession::from_code(p))
                .collect(),
            experience_years,
            approved_in,
        })
    }

    /// A training as member `member` may see it; `NotFound` otherwise.
    async fn member_training_row(&self, member: i64, id: i64) -> Result<TrainingRow, ApiError> {
        let mut sql = Sql::new(&format!(
            "SELECT {TRAINING_COLUMNS} {TRAINING_FROM} WHERE t.id = "
        ));
        sql.arg(id).push(" AND ");
        push_member_visibility(&mut sql, member, "t");
        let row: Option<TrainingRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    async fn my_application(
        &self,
        member: i64,
        training: i64,
    ) -> Result<Option<TrainingApplication>, ApiError> {
        let mut sql = Sql::new(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM training_applications a JOIN members m ON m.id = a.member_id WHERE a.training_id = "
        ));
        sql.arg(training).push(" AND a.member_id = ").arg(member);
        let row: Option<ApplicationRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        Ok(row.map(application))
    }

    async fn my_training(&self, who: &Applicant, row: TrainingRow) -> Result<MyTraining, ApiError> {
        let eligible = who.outside(&row).is_none();
        let mine = self.my_application(who.id, row.id).await?;
        let sessions = self.sessions_of(row.id).await?;
        Ok(MyTraining {
            training: row.into_training(sessions),
            eligible,
            application: mine.map(|a| MyApplication {
                id: a.id,
                status: a.status,
                reason: a.reason,
                applied_at: a.applied_at,
                completed_at: a.completed_at,
                certificate_number: a.certificate_number,
            }),
        })
    }

    /// The trainings the signed-in member may see, newest first, each with its own
    /// application.
    pub async fn my_trainings(&self, actor: &Actor) -> Result<Vec<MyTraining>, ApiError> {
        let who = self.applicant(actor).await?;
        let mut sql = Sql::new(&format!("SELECT {TRAINING_COLUMNS} {TRAINING_FROM} WHERE "));
        push_member_visibility(&mut sql, who.id, "t");
        sql.push(" ORDER BY t.id DESC LIMIT 200");
        let rows: Vec<TrainingRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.my_training(&who, row).await?);
        }
        Ok(out)
    }

    /// The signed-in member applies to an open training of its target; outside it, or
    /// outside the application period, it is refused with the reason. Audited.
    pub async fn apply_training(&self, actor: &Actor, id: i64) -> Result<MyTraining, ApiError> {
        let who = self.applicant(actor).await?;
        let row = self.member_training_row(who.id, id).await?;
        let at = now();
        if row.status() != TrainingStatus::Published
            || at < row.applications_open
            || at >= row.applications_close
        {
            return Err(conflict(
                "applications_close",
                "申込期間ではありません",
                "applications are not open",
            ));
        }
        if let Some(problem) = who.outside(&row) {
            return Err(ApiError::Conflict(vec![FieldIssue::new(
                "target_professions",
                problem,
            )]));
        }
        in_write!(self, tx => {
            let existing: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, status FROM training_applications WHERE training_id = $1 AND member_id = $2",
            )
            .bind(id)
            .bind(who.id)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some((application, status)) if status == ApplicationStatus::Withdrawn.code() => {
                    execute!(tx, Sql::with(
                        "UPDATE training_applications SET status = 'applied', reason = NULL, applied_at = $1, decided_at = NULL, decided_by = NULL WHERE id = $2",
                        [at.into(), application.into()],
                    ));
                }
                Some(_) => {
                    return Err(conflict("status", "すでに申し込んでいます", "you have applied already"));
                }
                None => {
                    execute!(tx, Sql::with(
                        "INSERT INTO training_applications (training_id, member_id, status, applied_at) VALUES ($1, $2, 'applied', $3)",
                        [id.into(), who.id.into(), at.into()],
                    ));
                }
            }
            let entry = NewEntry::by(actor, "training.apply", "training", id);
            write_audit!(tx, entry);
        });
        let row = self.member_training_row(who.id, id).await?;
        self.my_training(&who, row).await
    }

    /// The signed-in member withdraws its application before applications close. Audited.
    pub async fn withdraw_training(&self, actor: &Actor, id: i64) -> Result<MyTraining, ApiError> {
        let who = self.applicant(actor).await?;
        let row = self.member_training_row(who.id, id).await?;
        let at = now();
        if at >= row.applications_close
            || !matches!(
                row.status(),
                TrainingStatus::Published | TrainingStatus::Closed
            )
        {
            return Err(conflict(
                "applications_close",
                "申込締切後は辞退できません。主催者にご連絡ください",
                "applications have closed: please tell the organiser",
            ));
        }
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE training_applications SET status = 'withdrawn', decided_at = $1 WHERE training_id = $2 AND member_id = $3 AND status IN ('applied', 'approved', 'waitlisted')",
                [at.into(), id.into(), who.id.into()],
            ));
            if changed != 1 {
                return Err(conflict("status", "申し込んでいません", "you have not applied"));
            }
            let entry = NewEntry::by(actor, "training.withdraw", "training", id);
            write_audit!(tx, entry);
        });
        self.my_training(&who, row).await
    }

    /// The applications to a training, for its organiser, the admin and the ministry, in the
    /// order they came. A read of personal data: audited.
    pub async fn training_applications(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<TrainingApplication>, ApiError> {
        let row = self.training_row(actor, id).await?;
        if !(organises(actor, &row) || matches!(actor.role, Role::Admin | Role::National)) {
            return Err(ApiError::Forbidden);
        }
        let rows: Vec<ApplicationRow> = on_read!(self, db => sqlx::query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM training_applications a JOIN members m ON m.id = a.member_id \
             WHERE a.training_id = $1 ORDER BY a.applied_at, a.id"
        )).bind(id).fetch_all(db).await?);
        in_write!(self, tx => {
            let entry = NewEntry::by(actor, "training.applications.read", "training", id)
                .detail(serde_json::json!({ "applications": rows.len() }));
            write_audit!(tx, entry);
        });
        Ok(rows.into_iter().map(application).collect())
    }

    /// The organiser approves (within the capacity), waitlists or rejects (with a reason) an
    /// application; the member is told. Approvals are counted under the training's row lock,
    /// so instances deciding at once never pass the capacity. Audited.
    pub async fn decide_application(
        &self,
        actor: &Actor,
        training: i64,
        application_id: i64,
        mut decision: DecideApplication,
    ) -> Result<TrainingApplication, ApiError> {
        decision.normalize();
        decision.validate().map_err(ApiError::Invalid)?;
        let row = self.organised(actor, training).await?;
        if !matches!(
            row.status(),
            TrainingStatus::Published | TrainingStatus::Closed
        ) {
            return Err(not_now(row.status()));
        }
        let status = match decision.decision {
            ApplicationDecision::Approve => ApplicationStatus::Approved,
            ApplicationDecision::Waitlist => ApplicationStatus::Waitlisted,
            ApplicationDecision::Reject => ApplicationStatus::Rejected,
        };
        let notice = decision_notice(&row, status, decision.reason.as_deref());
        let at = now();
        in_write!(self, tx => {
            // The training's row, locked first: approvals are counted one decision at a time.
            execute!(tx, Sql::with("UPDATE trainings SET updated_at = $1 WHERE id = $2", [at.into(), training.into()]));
            let current: Option<(i64, String, Option<i64>, String)> = sqlx::query_as(
                "SELECT a.member_id, a.status, m.account_id, m.languages FROM training_applications a \
                 JOIN members m ON m.id = a.member_id WHERE a.id = $1 AND a.training_id = $2",
            )
            .bind(application_id)
            .bind(training)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((member, was, account, languages)) = current else {
                return Err(ApiError::NotFound);
            };
            if was == ApplicationStatus::Withdrawn.code() {
                return Err(conflict("status", "辞退した申込は決定できません", "a withdrawn application cannot be decided"));
            }
            if status == ApplicationStatus::Approved && was != ApplicationStatus::Approved.code() {
                let approved: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM training_applications WHERE training_id = $1 AND status = 'approved'",
                )
                .bind(training)
                .fetch_one(&mut *tx)
                .await?;
                if approved >= row.capacity {
                    return Err(conflict("capacity", "定員に達しています（辞退者が出れば補欠から繰り上げられます）", "the training is full (promote from the waiting list when a place frees up)"));
                }
            }
            execute!(tx, Sql::with(
                "UPDATE training_applications SET status = $1, reason = $2, decided_at = $3, decided_by = $4 WHERE id = $5",
                [status.code().into(), decision.reason.clone().into(), at.into(), actor.account_id.into(), application_id.into()],
            ));
            let recipients = [Recipient::member(member, account, member_lang(&languages))];
            notify_in_tx!(self, tx, &recipients, &notice);
            let entry = NewEntry::by(actor, "training.decide", "training", training)
                .detail(serde_json::json!({ "application": application_id, "member": member, "status": status.code() }));
            write_audit!(tx, entry);
        });
        let rows: Vec<ApplicationRow> = on_read!(self, db => sqlx::query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM training_applications a JOIN members m ON m.id = a.member_id WHERE a.id = $1"
        )).bind(application_id).fetch_all(db).await?);
        rows.into_iter()
            .next()
            .map(application)
            .ok_or(ApiError::NotFound)
    }
}
