//! A member's side of dispatch: the requests it was asked, and its answers.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{AnswerDraft, AskedRequest, Page, PageQuery};
use ouen_shared::ErrorBody;

/// The requests the signed-in member was asked, newest first, with its answers.
#[utoipa::path(get, path = "/api/v1/me/dispatch-requests", tag = "dispatch", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<AskedRequest>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_my_dispatch_requests(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<AskedRequest>>, ApiError> {
    Ok(Json(state.store.my_dispatch_requests(&actor, &page).await?))
}

/// One request the member was asked (404 for any other).
#[utoipa::path(get, path = "/api/v1/me/dispatch-requests/{id}", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AskedRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_my_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AskedRequest>, ApiError> {
    Ok(Json(state.store.my_dispatch_request(&actor, id).await?))
}

/// Answers per slot (replacing an earlier answer) until the deadline. Audited.
#[utoipa::path(put, path = "/api/v1/me/dispatch-requests/{id}/answer", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerDraft,
    responses((status = 200, body = AskedRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer_my_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<AnswerDraft>,
) -> Result<Json<AskedRequest>, ApiError> {
    Ok(Json(state.store.answer_as_member(&actor, id, draft).await?))
}
