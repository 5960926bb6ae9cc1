//! The newsletter: issues drafted, previewed and sent once to the subscribers.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{IssueDraft, MailPreview, NewsletterIssue, Page, PageQuery};
use ouen_shared::ErrorBody;

/// The issues in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/newsletter/issues", tag = "newsletter", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<NewsletterIssue>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_issues(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<NewsletterIssue>>, ApiError> {
    Ok(Json(state.store.list_issues(&actor, &page).await?))
}

/// Drafts an issue of the caller's organisation's newsletter. Audited.
#[utoipa::path(post, path = "/api/v1/newsletter/issues", tag = "newsletter", security(("bearer" = [])),
    request_body = IssueDraft,
    responses((status = 200, body = NewsletterIssue), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<IssueDraft>,
) -> Result<Json<NewsletterIssue>, ApiError> {
    Ok(Json(state.store.create_issue(&actor, &draft).await?))
}

/// One issue in the caller's scope (404 outside it).
#[utoipa::path(get, path = "/api/v1/newsletter/issues/{id}", tag = "newsletter", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = NewsletterIssue), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<NewsletterIssue>, ApiError> {
    Ok(Json(state.store.issue(&actor, id).await?))
}

/// Rewrites a draft (409 once sent). Audited.
#[utoipa::path(put, path = "/api/v1/newsletter/issues/{id}", tag = "newsletter", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = IssueDraft,
    responses((status = 200, body = NewsletterIssue), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<IssueDraft>,
) -> Result<Json<NewsletterIssue>, ApiError> {
    Ok(Json(state.store.update_issue(&actor, id, &draft).await?))
}

/// How many subscribers the issue would reach, and its text.
#[utoipa::path(get, path = "/api/v1/newsletter/issues/{id}/preview", tag = "newsletter", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MailPreview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn preview_issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MailPreview>, ApiError> {
    Ok(Json(state.store.preview_issue(&actor, id).await?))
}

/// Sends a draft to its subscribers; a second send 409 and reaches nobody. Audited.
#[utoipa::path(post, path = "/api/v1/newsletter/issues/{id}/send", tag = "newsletter", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = NewsletterIssue), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_issue(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<NewsletterIssue>, ApiError> {
    Ok(Json(state.store.send_issue(&actor, id).await?))
}
