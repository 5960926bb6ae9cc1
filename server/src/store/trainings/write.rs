//! Writing a training: the admin writes national ones, a prefecture its own. A training can
//! be rewritten until it is held; editing tells nobody (publishing does, once each).

use super::{may_organise, profession_codes};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, Store};
use ouen_shared::api::{Training, TrainingDraft, TrainingSessionDraft};
use ouen_shared::text::fold;
use ouen_shared::trainings::{TrainingKind, TrainingStatus};
use ouen_shared::{FieldIssue, Problem, Role, Validate};

fn insert_session(training_id: i64, s: &TrainingSessionDraft) -> Sql {
    Sql::with(
        "INSERT INTO training_sessions (training_id, starts_at, ends_at, place, url) VALUES ($1, $2, $3, $4, $5)",
        [
            training_id.into(),
            s.starts_at.into(),
            s.ends_at.into(),
            s.place.as_str().into(),
            s.url.clone().into(),
        ],
    )
}

/// Whether a training in `status` may still be rewritten.
fn editable(status: TrainingStatus) -> bool {
    matches!(
        status,
        TrainingStatus::Draft | TrainingStatus::Published | TrainingStatus::Closed
    )
}

/// The refusal of a change a training's status does not allow, beside its status.
pub(crate) fn not_now(status: TrainingStatus) -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        "status",
        match status {
            TrainingStatus::Cancelled => Problem::NotAllowed {
                ja: "この研修は中止されています",
                en: "this training was cancelled",
            },
            TrainingStatus::Draft => Problem::NotAllowed {
                ja: "この研修はまだ公開されていません",
                en: "this training is not published yet",
            },
            _ => Problem::NotAllowed {
                ja: "この研修は実施済みのため変更できません",
                en: "this training was held and cannot change",
            },
        },
    )])
}

impl Store {
    /// Writes a draft training of the actor: national for the admin, the prefecture's own for
    /// a prefecture. Audited.
    pub async fn create_training(
        &self,
        actor: &Actor,
        mut draft: TrainingDraft,
    ) -> Result<Training, ApiError> {
        may_organise(actor)?;
        draft.normalize();
        draft.validate().map_err(ApiError::Invalid)?;
        let (kind, prefecture) = match actor.role {
            Role::Admin => (TrainingKind::National, None),
            _ => (
                TrainingKind::Prefecture,
                Some(actor.prefecture_code.clone().ok_or(ApiError::Forbidden)?),
            ),
        };
        let at = now();
        let id = in_write!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO trainings (organisation_id, kind, prefecture_code, title, title_fold, description, \
                 target_professions, min_experience_years, delivery, capacity, applications_open, applications_close, \
                 completion, certificate_scheme, honorarium, honorarium_yen, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'draft', $17, $18, $18) RETURNING id",
            )
            .bind(actor.organisation_id)
            .bind(kind.code())
            .bind(&prefecture)
            .bind(&draft.title)
            .bind(fold(&draft.title))
            .bind(&draft.description)
            .bind(profession_codes(&draft.target_professions))
            .bind(draft.min_experience_years.map(i64::from))
            .bind(draft.delivery.code())
            .bind(i64::from(draft.capacity))
            .bind(draft.applications_open)
            .bind(draft.applications_close)
            .bind(draft.completion.code())
            .bind(&draft.certificate_scheme)
            .bind(draft.honorarium.code())
            .bind(draft.honorarium_yen.map(i64::from))
            .bind(actor.account_id)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for s in &draft.sessions {
                execute!(tx, insert_session(id, s));
            }
            let entry = NewEntry::by(actor, "training.create", "training", id)
                .detail(serde_json::json!({ "sessions": draft.sessions.len(), "kind": kind.code() }));
            write_audit!(tx, entry);
            id
        });
        self.training(actor, id).await
    }

    /// Rewrites a training the actor organises, until it is held: its sessions are replaced.
    /// Nobody is told. Audited.
    pub async fn update_training(
        &self,
        actor: &Actor,
        id: i64,
        mut draft: TrainingDraft,
    ) -> Result<Training, ApiError> {
        let current = self.organised(actor, id).await?;
        if !editable(current.status()) {
            return Err(not_now(current.status()));
        }
        draft.normalize();
        draft.validate().map_err(ApiError::Invalid)?;
        let at = now();
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE trainings SET title = $1, title_fold = $2, description = $3, target_professions = $4, \
                 min_experience_years = $5, delivery = $6, capacity = $7, applications_open = $8, applications_close = $9, \
                 completion = $10, certificate_scheme = $11, honorarium = $12, honorarium_yen = $13, updated_at = $14 \
                 WHERE id = $15 AND status = $16",
                [
                    draft.title.as_str().into(),
                    fold(&draft.title).into(),
                    draft.description.as_str().into(),
                    profession_codes(&draft.target_professions).into(),
                    draft.min_experience_years.map(i64::from).into(),
                    draft.delivery.code().into(),
                    i64::from(draft.capacity).into(),
                    draft.applications_open.into(),
                    draft.applications_close.into(),
                    draft.completion.code().into(),
                    draft.certificate_scheme.as_str().into(),
                    draft.honorarium.code().into(),
                    draft.honorarium_yen.map(i64::from).into(),
                    at.into(),
                    id.into(),
                    current.status.as_str().into(),
                ],
            ));
            if changed != 1 {
                return Err(ApiError::Busy);
            }
            execute!(tx, Sql::with("DELETE FROM training_sessions WHERE training_id = $1", [id.into()]));
            for s in &draft.sessions {
                execute!(tx, insert_session(id, s));
            }
            let entry = NewEntry::by(actor, "training.update", "training", id)
                .detail(serde_json::json!({ "sessions": draft.sessions.len() }));
            write_audit!(tx, entry);
        });
        self.training(actor, id).await
    }
}
