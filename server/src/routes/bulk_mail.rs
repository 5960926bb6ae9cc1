//! Bulk mail: members chosen with the roster's filter, previewed and sent once per key.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{BulkMail, BulkMailDraft, BulkMailRequest, MailPreview, Page, PageQuery};
use ouen_shared::ErrorBody;

/// The exact number of members a bulk mail would reach in the caller's scope, and its text.
#[utoipa::path(post, path = "/api/v1/bulk-mails/preview", tag = "bulk_mail", security(("bearer" = [])),
    request_body = BulkMailDraft,
    responses((status = 200, body = MailPreview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn preview_bulk_mail(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<BulkMailDraft>,
) -> Result<Json<MailPreview>, ApiError> {
    Ok(Json(state.store.preview_bulk_mail(&actor, &draft).await?))
}

/// Sends a bulk mail once per idempotency key; the same key again answers the first record,
/// with other content 409; 0 recipients 422. Audited.
#[utoipa::path(post, path = "/api/v1/bulk-mails", tag = "bulk_mail", security(("bearer" = [])),
    request_body = BulkMailRequest,
    responses((status = 200, body = BulkMail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_bulk_mail(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<BulkMailRequest>,
) -> Result<Json<BulkMail>, ApiError> {
    Ok(Json(state.store.send_bulk_mail(&actor, &request).await?))
}

/// The bulk mails sent in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/bulk-mails", tag = "bulk_mail", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<BulkMail>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_bulk_mails(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<BulkMail>>, ApiError> {
    Ok(Json(state.store.list_bulk_mails(&actor, &page).await?))
}

/// One bulk mail in the caller's scope (404 outside it).
#[utoipa::path(get, path = "/api/v1/bulk-mails/{id}", tag = "bulk_mail", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = BulkMail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_bulk_mail(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BulkMail>, ApiError> {
    Ok(Json(state.store.bulk_mail(&actor, id).await?))
}
