//! Trainings (研修): the admin's national trainings and each prefecture's own ([`write`]),
//! published to their target members once each ([`publish`]).
//!
//! Who sees a training: the admin and the ministry every one; a prefecture its own in any
//! status and the national ones once published; a city the published ones of its prefecture
//! and the national ones. Every query here applies that rule in its SQL, so a training outside
//! it is absent from lists and answers 404.

pub mod applications;
pub mod completion;
pub mod payments;
pub mod publish;
pub mod write;

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::inbox::{Link, Notice, Text};
use crate::store::members::{join_codes, split_codes};
use crate::store::sql::{bind_args, fetch_page, PagedSql, Sql};
use crate::store::{on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{Page, PageQuery, Training, TrainingListQuery, TrainingSession};
use ouen_shared::trainings::{
    CompletionRule, Delivery, HonorariumRule, TrainingKind, TrainingStatus,
};
use ouen_shared::{Lang, NoticeKind, Profession, Role};

/// Whether the actor may read trainings as an operator.
pub(crate) fn may_read(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::National | Role::Admin | Role::Prefecture | Role::City => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Whether the actor organises trainings: the admin (national ones) and prefectures (their
/// own).
pub(crate) fn may_organise(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Admin | Role::Prefecture if actor.may_write() => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Appends the condition that training alias `t` is visible to the actor.
pub(crate) fn push_training_visibility(sql: &mut Sql, actor: &Actor, t: &str) {
    match (actor.role, &actor.prefecture_code) {
        (Role::National | Role::Admin, _) => {
            sql.push("TRUE");
        }
        (Role::Prefecture, Some(code)) => {
            sql.push(&format!("({t}.prefecture_code = "))
                .arg(code.as_str())
                .push(&format!(
                    " OR ({t}.kind = 'national' AND {t}.status <> 'draft'))"
                ));
        }
        (Role::City, Some(code)) => {
            sql.push(&format!(
                "({t}.status <> 'draft' AND ({t}.kind = 'national' OR {t}.prefecture_code = "
            ))
            .arg(code.as_str())
            .push("))");
        }
        _ => {
            sql.push("FALSE");
        }
    }
}

/// Whether the actor organises training `row` (and so may change it).
pub(crate) fn organises(actor: &Actor, row: &TrainingRow) -> bool {
    match actor.role {
        Role::Admin => row.kind == TrainingKind::National.code(),
        Role::Prefecture => {
            row.kind == TrainingKind::Prefecture.code()
                && row.prefecture_code.as_deref() == actor.prefecture_code.as_deref()
        }
        _ => false,
    }
}

pub(crate) const TRAINING_COLUMNS: &str = "t.id, t.organisation_id, o.name AS organisation_name, t.kind, t.prefecture_code, t.title, \
     t.description, t.target_professions, t.min_experience_years, t.delivery, t.capacity, \
     t.applications_open, t.applications_close, t.completion, t.certificate_scheme, t.honorarium, \
     t.honorarium_yen, t.status, t.published_at, t.cancelled_at, t.cancel_reason, \
     (SELECT COUNT(*) FROM training_notices n WHERE n.training_id = t.id) AS notified, \
     (SELECT COUNT(*) FROM training_applications a WHERE a.training_id = t.id AND a.status = 'applied') AS applied, \
     (SELECT COUNT(*) FROM training_applications a WHERE a.training_id = t.id AND a.status = 'approved') AS approved, \
     (SELECT COUNT(*) FROM training_applications a WHERE a.training_id = t.id AND a.status = 'waitlisted') AS waitlisted";

pub(crate) const TRAINING_FROM: &str =
    "FROM trainings t JOIN organisations o ON o.id = t.organisation_id";

/// A stored training with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TrainingRow {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub kind: String,
    pub prefecture_code: Option<String>,
    pub title: String,
    pub description: String,
    pub target_professions: String,
    pub min_experience_years: Option<i64>,
    pub delivery: String,
    pub capacity: i64,
    pub applications_open: DateTime<Utc>,
    pub applications_close: DateTime<Utc>,
    pub completion: String,
    pub certificate_scheme: String,
    pub honorarium: String,
    pub honorarium_yen: Option<i64>,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub notified: i64,
    pub applied: i64,
    pub approved: i64,
    pub waitlisted: i64,
}

impl TrainingRow {
    pub(crate) fn status(&self) -> TrainingStatus {
        TrainingStatus::from_code(&self.status).unwrap_or(TrainingStatus::Draft)
    }

    pub(crate) fn professions(&self) -> Vec<Profession> {
        split_codes(&self.target_professions, Profession::from_code)
    }

    pub(crate) fn into_training(self, sessions: Vec<TrainingSession>) -> Training {
        let to_u32 = |n: i64| u32::try_from(n).unwrap_or(0);
        Training {
            id: self.id,
            kind: TrainingKind::from_code(&self.kind).unwrap_or(TrainingKind::National),
            status: self.status(),
            target_professions: self.professions(),
            prefecture_code: self.prefecture_code,
            organisation_name: self.organisation_name,
            title: self.title,
            description: self.description,
            min_experience_years: self.min_experience_years.map(to_u32),
            delivery: Delivery::from_code(&self.delivery).unwrap_or(Delivery::OnSite),
            sessions,
            capacity: to_u32(self.capacity),
            applications_open: self.applications_open,
            applications_close: self.applications_close,
            completion: CompletionRule::from_code(&self.completion)
                .unwrap_or(CompletionRule::AllSessions),
            certificate_scheme: self.certificate_scheme,
            honorarium: HonorariumRule::from_code(&self.honorarium).unwrap_or(HonorariumRule::None),
            honorarium_yen: self.honorarium_yen.map(to_u32),
            published_at: self.published_at,
            cancelled_at: self.cancelled_at,
            cancel_reason: self.cancel_reason,
            notified: self.notified,
            applied: self.applied,
            approved: self.approved,
            waitlisted: self.waitlisted,
        }
    }
}

/// Profession codes as stored.
pub(crate) fn profession_codes(professions: &[Profession]) -> String {
    join_codes(professions, |p| p.code())
}

type SessionRow = (i64, DateTime<Utc>, DateTime<Utc>, String, Option<String>);

/// A notice about training `row` from its organiser, its text in each language from `text`.
pub(crate) fn training_notice(row: &TrainingRow, text: impl Fn(Lang) -> Text) -> Notice {
    Notice {
        kind: NoticeKind::Training,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "training",
            id: row.id,
        }),
        origin_organisation_id: Some(row.organisation_id),
    }
}

impl Store {
    /// The training row the actor organises; `NotFound` outside its scope, `Forbidden` when
    /// it only reads it.
    pub(crate) async fn organised(&self, actor: &Actor, id: i64) -> Result<TrainingRow, ApiError> {
        may_organise(actor)?;
        let row = self.training_row(actor, id).await?;
        if organises(actor, &row) {
            Ok(row)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The stored row of a training visible to the actor; `NotFound` otherwise.
    pub(crate) async fn training_row(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<TrainingRow, ApiError> {
        may_read(actor)?;
        let mut sql = Sql::new(&format!(
            "SELECT {TRAINING_COLUMNS} {TRAINING_FROM} WHERE t.id = "
        ));
        sql.arg(id).push(" AND ");
        push_training_visibility(&mut sql, actor, "t");
        let row: Option<TrainingRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    pub(crate) async fn sessions_of(
        &self,
        training_id: i64,
    ) -> Result<Vec<TrainingSession>, ApiError> {
        let rows: Vec<SessionRow> = on_read!(self, db => sqlx::query_as(
            "SELECT id, starts_at, ends_at, place, url FROM training_sessions WHERE training_id = $1 ORDER BY starts_at, id",
        ).bind(training_id).fetch_all(db).await?);
        Ok(rows
            .into_iter()
            .map(|(id, starts_at, ends_at, place, url)| TrainingSession {
                id,
                starts_at,
                ends_at,
                place,
                url,
            })
            .collect())
    }

    /// One training with its sessions and counts, in the actor's scope.
    pub async fn training(&self, actor: &Actor, id: i64) -> Result<Training, ApiError> {
        let row = self.training_row(actor, id).await?;
        let sessions = self.sessions_of(id).await?;
        Ok(row.into_training(sessions))
    }

    /// The trainings in the actor's scope, the newest first, one status or all.
    pub async fn list_trainings(
        &self,
        actor: &Actor,
        query: &TrainingListQuery,
        page: &PageQuery,
    ) -> Result<Page<Training>, ApiError> {
        may_read(actor)?;
        page.sort_column(&["id"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::new(" WHERE ");
        push_training_visibility(&mut filters, actor, "t");
        if let Some(status) = query.status {
            filters.push(" AND t.status = ").arg(status.code());
        }
        let paged = PagedSql::new(TRAINING_COLUMNS, TRAINING_FROM, filters, "t.id DESC", page);
        let (total, rows): (i64, Vec<TrainingRow>) = fetch_page!(self, paged);
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let sessions = self.sessions_of(row.id).await?;
            items.push(row.into_training(sessions));
        }
        Ok(Page {
            items,
            total,
            page: page.page(),
            per_page: page.per_page(),
        })
    }
}
