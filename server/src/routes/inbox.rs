//! The caller's inbox: messages from the features that need to tell an account something.
//! Every account has one; a message is readable by its recipient only.

use crate::auth::extract::{ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{
    InboxFilter, InboxMessage, Page, PageQuery, ReadAllQuery, ReadAllResult, UnreadCount,
};
use ouen_shared::ErrorBody;

/// The caller's messages, newest first (`order=asc` for oldest first), filtered by kind and
/// by read state, paged. The read is audited.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox", security(("bearer" = [])),
    params(PageQuery, InboxFilter),
    responses((status = 200, body = Page<InboxMessage>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_inbox(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<InboxFilter>,
) -> Result<Json<Page<InboxMessage>>, ApiError> {
    Ok(Json(state.store.list_inbox(&actor, &filter, &page).await?))
}

/// How many of the caller's messages are unread.
#[utoipa::path(get, path = "/api/v1/inbox/unread", tag = "inbox", security(("bearer" = [])),
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)))]
pub async fn unread_count(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<UnreadCount>, ApiError> {
    Ok(Json(state.store.unread_count(&actor).await?))
}

/// Marks one of the caller's messages read (again: it keeps the first time); 404 for a
/// message that is not the caller's.
#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "inbox", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = InboxMessage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InboxMessage>, ApiError> {
    Ok(Json(state.store.mark_read(&actor, id).await?))
}

/// Marks every unread message of the caller's read, or only those of `kind`. Repeating it
/// changes nothing more.
#[utoipa::path(post, path = "/api/v1/inbox/read-all", tag = "inbox", security(("bearer" = [])),
    params(ReadAllQuery),
    responses((status = 200, body = ReadAllResult), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_all_read(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ReadAllQuery>,
) -> Result<Json<ReadAllResult>, ApiError> {
    Ok(Json(state.store.mark_all_read(&actor, query.kind).await?))
}
