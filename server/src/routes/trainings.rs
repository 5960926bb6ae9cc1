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
    Page, PageQuery, Training, TrainingCancel, TrainingDraft, TrainingListQuery, TrainingNotified,
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
