//! Trainings (研修) as their organisers work them: the admin's national ones and each
//! prefecture's own; the ministry and cities read them.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ouen_shared::api::{
    AttendanceMarks, CompleteParticipants, Completion, DecideApplication, HonorariumQuery,
    MyTraining, Page, PageQuery, PaymentUpdate, Training, TrainingApplication, TrainingCancel,
    TrainingDraft, TrainingListQuery, TrainingNotified, TrainingPayments, TrainingStatusChange,
};
use ouen_shared::ErrorBody;

/// The trainings in the caller's scope, newest first, one status or all.
#[utoipa::path(get, path = "/api/v1/trainings", tag = "trainings", security(("bearer" = [])),
    params(PageQuery, TrainingListQuery),
    responses((status = 200, body = Page<Training>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_trainings(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(query): ApiQuery<TrainingListQuery>,
) -> Result<Json<Page<Training>>, ApiError> {
    Ok(Json(
        state.store.list_trainings(&actor, &query, &page).await?,
    ))
}

/// The admin writes a national training, a prefecture its own (a draft until published).
/// Audited.
#[utoipa::path(post, path = "/api/v1/trainings", tag = "trainings", security(("bearer" = [])),
    request_body = TrainingDraft,
    responses((status = 201, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<TrainingDraft>,
) -> Result<(StatusCode, Json<Training>), ApiError> {
    let training = state.store.create_training(&actor, draft).await?;
    Ok((StatusCode::CREATED, Json(training)))
}

/// One training with its sessions and counts (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/trainings/{id}", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Training>, ApiError> {
    Ok(Json(state.store.training(&actor, id).await?))
}

/// Rewrites a training its organiser holds, until it is held; nobody is told. Audited.
#[utoipa::path(put, path = "/api/v1/trainings/{id}", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TrainingDraft,
    responses((status = 200, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<TrainingDraft>,
) -> Result<Json<Training>, ApiError> {
    Ok(Json(state.store.update_training(&actor, id, draft).await?))
}

/// Publishes a draft training and tells its target members (inbox and e-mail), once each.
/// Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/publish", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TrainingNotified), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingNotified>, ApiError> {
    Ok(Json(state.store.publish_training(&actor, id).await?))
}

/// Tells the members who became targets of a published training since it was published;
/// nobody is told twice. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/notify", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TrainingNotified), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn notify_training_targets(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingNotified>, ApiError> {
    Ok(Json(state.store.notify_training_targets(&actor, id).await?))
}

/// Calls a training off before it is held; its applicants are told the reason. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/cancel", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TrainingCancel,
    responses((status = 200, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(cancel): ApiJson<TrainingCancel>,
) -> Result<Json<Training>, ApiError> {
    Ok(Json(state.store.cancel_training(&actor, id, cancel).await?))
}

/// The applications to a training, for its organiser, the admin and the ministry (a read of
/// personal data, audited).
#[utoipa::path(get, path = "/api/v1/trainings/{id}/applications", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TrainingApplication>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_applications(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TrainingApplication>>, ApiError> {
    Ok(Json(state.store.training_applications(&actor, id).await?))
}

/// The organiser approves (within the capacity), waitlists or rejects (with a reason) an
/// application; the member is told. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/applications/{application_id}/decide", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path), ("application_id" = i64, Path)), request_body = DecideApplication,
    responses((status = 200, body = TrainingApplication), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, application_id)): ApiPath<(i64, i64)>,
    ApiJson(decision): ApiJson<DecideApplication>,
) -> Result<Json<TrainingApplication>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_application(&actor, id, application_id, decision)
            .await?,
    ))
}

/// The trainings the signed-in member may see, each with its own application.
#[utoipa::path(get, path = "/api/v1/me/trainings", tag = "trainings", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyTraining>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_trainings(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<MyTraining>>, ApiError> {
    Ok(Json(state.store.my_trainings(&actor).await?))
}

/// The signed-in member applies to an open training of its target (refused with the reason
/// otherwise). Audited.
#[utoipa::path(post, path = "/api/v1/me/trainings/{id}/apply", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MyTraining), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn apply_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MyTraining>, ApiError> {
    Ok(Json(state.store.apply_training(&actor, id).await?))
}

/// The signed-in member withdraws its application before applications close. Audited.
#[utoipa::path(post, path = "/api/v1/me/trainings/{id}/withdraw", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MyTraining), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_training(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MyTraining>, ApiError> {
    Ok(Json(state.store.withdraw_training(&actor, id).await?))
}

/// Moves a training on: applications closed, held, completed. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/status", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TrainingStatusChange,
    responses((status = 200, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_training_status(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<TrainingStatusChange>,
) -> Result<Json<Training>, ApiError> {
    Ok(Json(
        state.store.set_training_status(&actor, id, change).await?,
    ))
}

/// Records whether approved participants attended one session. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AttendanceMarks,
    responses((status = 200, body = Training), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_attendance(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(marks): ApiJson<AttendanceMarks>,
) -> Result<Json<Training>, ApiError> {
    Ok(Json(
        state.store.record_attendance(&actor, id, marks).await?,
    ))
}

/// Marks approved participants done, each issued the next certificate number of the
/// training's scheme (no gap, never reused); each member is told. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/completions", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CompleteParticipants,
    responses((status = 200, body = Completion), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete_participants(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(done): ApiJson<CompleteParticipants>,
) -> Result<Json<Completion>, ApiError> {
    Ok(Json(
        state.store.complete_participants(&actor, id, done).await?,
    ))
}

/// The honorarium payments of a training with their totals (its organiser, the admin and the
/// ministry; a read of personal data, audited).
#[utoipa::path(get, path = "/api/v1/trainings/{id}/payments", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TrainingPayments), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_payments(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingPayments>, ApiError> {
    Ok(Json(state.store.training_payments(&actor, id).await?))
}

/// Makes the honorarium due for every completed participant without one, from the
/// training's rule. Audited.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/payments", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TrainingPayments), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn make_payments_due(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingPayments>, ApiError> {
    Ok(Json(state.store.make_payments_due(&actor, id).await?))
}

/// Records a payment paid (method and day), waived (a note) or due again; every change is
/// kept. Audited.
#[utoipa::path(put, path = "/api/v1/trainings/{id}/payments/{payment_id}", tag = "trainings", security(("bearer" = [])),
    params(("id" = i64, Path), ("payment_id" = i64, Path)), request_body = PaymentUpdate,
    responses((status = 200, body = TrainingPayments), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_payment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, payment_id)): ApiPath<(i64, i64)>,
    ApiJson(update): ApiJson<PaymentUpdate>,
) -> Result<Json<TrainingPayments>, ApiError> {
    Ok(Json(
        state
            .store
            .update_payment(&actor, id, payment_id, update)
            .await?,
    ))
}

/// A period's training honorarium payments as CSV for accounting (`month=2026-11` or
/// `fiscal_year=2026`; UTF-8 with a byte-order mark, or `encoding=cp932`): paid ones by the
/// day paid, others by the day they were made due, then a total per status. Audited.
#[utoipa::path(get, path = "/api/v1/training-payments/export", tag = "trainings", security(("bearer" = [])),
    params(HonorariumQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_payments(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<HonorariumQuery>,
) -> Result<axum::response::Response, ApiError> {
    let encoding = query.encoding.unwrap_or_default();
    let rows = state.store.payments_export(&actor, &query).await?;
    let bytes = crate::training_payments_csv::payments(&rows, encoding)?;
    Ok(crate::csv_file::download(
        bytes,
        encoding,
        "training-payments",
    ))
}
