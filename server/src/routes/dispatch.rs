//! Dispatch requests (派遣要請) as the requesting prefecture or city works them: write, list,
//! count and send to roster matches, read the answers, remind the silent, cancel.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ouen_shared::api::{
    AskedFilter, AskedMember, CancelRequest, DispatchDraft, DispatchFilter, DispatchRequest,
    DispatchSummary, Page, PageQuery, ReminderResult, ReminderRound, SendResult, TargetCount,
    TargetQuery,
};
use ouen_shared::ErrorBody;

/// The requests in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/dispatch-requests", tag = "dispatch", security(("bearer" = [])),
    params(PageQuery, DispatchFilter),
    responses((status = 200, body = Page<DispatchSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_dispatch_requests(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<DispatchFilter>,
) -> Result<Json<Page<DispatchSummary>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_dispatch_requests(&actor, &filter, &page)
            .await?,
    ))
}

/// A prefecture or city writes a request (a draft until sent). Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests", tag = "dispatch", security(("bearer" = [])),
    request_body = DispatchDraft,
    responses((status = 201, body = DispatchRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<DispatchDraft>,
) -> Result<(StatusCode, Json<DispatchRequest>), ApiError> {
    let request = state.store.create_dispatch_request(&actor, draft).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// One request with its slots and counts (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/dispatch-requests/{id}", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DispatchRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DispatchRequest>, ApiError> {
    Ok(Json(state.store.dispatch_request(&actor, id).await?))
}

/// Rewrites an open request; the members asked are told. Audited.
#[utoipa::path(put, path = "/api/v1/dispatch-requests/{id}", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DispatchDraft,
    responses((status = 200, body = DispatchRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<DispatchDraft>,
) -> Result<Json<DispatchRequest>, ApiError> {
    Ok(Json(
        state
            .store
            .update_dispatch_request(&actor, id, draft)
            .await?,
    ))
}

/// How many approved members of the request's prefecture a roster filter matches, and how
/// many of them a send would ask now.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/targets", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TargetQuery,
    responses((status = 200, body = TargetCount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn count_targets(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(query): ApiJson<TargetQuery>,
) -> Result<Json<TargetCount>, ApiError> {
    Ok(Json(
        state
            .store
            .count_dispatch_targets(&actor, id, &query)
            .await?,
    ))
}

/// Asks every matching member not asked yet (inbox and e-mail with a personal answer link),
/// in one transaction; sending again asks nobody twice. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/send", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TargetQuery,
    responses((status = 200, body = SendResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(query): ApiJson<TargetQuery>,
) -> Result<Json<SendResult>, ApiError> {
    Ok(Json(
        state
            .store
            .send_dispatch_request(&actor, id, &query)
            .await?,
    ))
}

/// The members asked with their answers (`answered=false`: who has not answered). Audited.
#[utoipa::path(get, path = "/api/v1/dispatch-requests/{id}/asks", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery, AskedFilter),
    responses((status = 200, body = Page<AskedMember>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_asks(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<AskedFilter>,
) -> Result<Json<Page<AskedMember>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_asked_members(&actor, id, &filter, &page)
            .await?,
    ))
}

/// Reminds those who have not answered, once per round. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/reminders", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReminderRound,
    responses((status = 200, body = ReminderResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(round): ApiJson<ReminderRound>,
) -> Result<Json<ReminderResult>, ApiError> {
    Ok(Json(
        state
            .store
            .remind_dispatch_request(&actor, id, round)
            .await?,
    ))
}

/// Calls a request off; everyone asked is told with the reason. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/cancel", tag = "dispatch", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CancelRequest,
    responses((status = 200, body = DispatchRequest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel_dispatch_request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(cancel): ApiJson<CancelRequest>,
) -> Result<Json<DispatchRequest>, ApiError> {
    Ok(Json(
        state
            .store
            .cancel_dispatch_request(&actor, id, cancel)
            .await?,
    ))
}
