//! The e-mail outbox for operators: what was sent, what failed and why, and sending a failed
//! message again. The admin sees every message, a prefecture those its own actions caused.

use crate::auth::extract::{ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{OutboxCounts, OutboxFilter, OutboxMessage, Page, PageQuery};
use ouen_shared::ErrorBody;

/// The outbox in the caller's scope, newest first, filtered by state and kind, paged; the
/// address is masked. The read is audited.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", security(("bearer" = [])),
    params(PageQuery, OutboxFilter),
    responses((status = 200, body = Page<OutboxMessage>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<OutboxFilter>,
) -> Result<Json<Page<OutboxMessage>>, ApiError> {
    Ok(Json(state.store.list_outbox(&actor, &filter, &page).await?))
}

/// Messages in each state, in the caller's scope.
#[utoipa::path(get, path = "/api/v1/outbox/counts", tag = "outbox", security(("bearer" = [])),
    responses((status = 200, body = OutboxCounts), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn outbox_counts(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<OutboxCounts>, ApiError> {
    Ok(Json(state.store.outbox_counts(&actor).await?))
}

/// Queues a failed message again, due at once (its attempts start over). 404 outside the
/// caller's scope, 409 when the message has not failed. Audited.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = OutboxMessage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_mail(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OutboxMessage>, ApiError> {
    Ok(Json(state.store.retry_mail(&actor, id).await?))
}
