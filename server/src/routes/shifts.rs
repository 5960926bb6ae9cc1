//! The shift grid of a dispatch request and its planning: hand changes, auto-fill, re-plan,
//! confirmation (formal requests), and the member's acceptance or decline.

use crate::auth::extract::{ApiJson, ApiPath};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{
    CancelRequest, ConfirmResult, DeclineRequest, MyAssignment, PlanChanges, ShiftGrid, SlotChange,
};
use ouen_shared::ErrorBody;

/// The grid: people asked × live slots, with answers, seats, busy-elsewhere and conflicts.
#[utoipa::path(get, path = "/api/v1/dispatch-requests/{id}/grid", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_grid(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(state.store.shift_grid(&actor, id, rest).await?))
}

/// Puts members asked into slots or takes them out, by hand; answers the grid. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/assignments", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PlanChanges,
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_plan(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(changes): ApiJson<PlanChanges>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(
        state.store.change_plan(&actor, id, &changes, rest).await?,
    ))
}

/// Moves or resizes one slot of an open request: its seats move with it (refused when that
/// would commit someone twice at one time), and the members it affects are told. Answers
/// the request's grid. Audited.
#[utoipa::path(put, path = "/api/v1/dispatch-slots/{id}", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SlotChange,
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_slot(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<SlotChange>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(state.store.move_slot(&actor, id, change, rest).await?))
}

/// Cancels one slot of an open request: its seats are freed and the members it affects are
/// told, with the reason. Answers the request's grid. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-slots/{id}/cancel", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CancelRequest,
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel_slot(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(cancel): ApiJson<CancelRequest>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(
        state.store.cancel_slot(&actor, id, cancel, rest).await?,
    ))
}

/// Auto-fill: plans every seat not formally requested again (availability, professions,
/// overlaps and rest respected, load spread); answers the grid with why seats stay open.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/auto-fill", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn auto_fill(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(state.store.auto_fill(&actor, id, false, rest).await?))
}

/// Re-plan: keeps every seat and proposes people for the open ones (after a decline, say).
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/replan", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftGrid), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn replan(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ShiftGrid>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(state.store.auto_fill(&actor, id, true, rest).await?))
}

/// Confirms the plan: every planned member gets a formal request (inbox and e-mail with its
/// link); 409 when it would commit someone twice at one time. Audited.
#[utoipa::path(post, path = "/api/v1/dispatch-requests/{id}/confirm", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ConfirmResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConfirmResult>, ApiError> {
    let rest = state.config.dispatch.min_rest_hours;
    Ok(Json(state.store.confirm_shifts(&actor, id, rest).await?))
}

/// The member accepts one of its formal requests. Audited.
#[utoipa::path(post, path = "/api/v1/me/assignments/{id}/accept", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MyAssignment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept_assignment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MyAssignment>, ApiError> {
    Ok(Json(state.store.decide_as_member(&actor, id, None).await?))
}

/// The member declines one of its formal requests (or an accepted one), with a reason; the
/// seat opens again. Audited.
#[utoipa::path(post, path = "/api/v1/me/assignments/{id}/decline", tag = "shifts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DeclineRequest,
    responses((status = 200, body = MyAssignment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline_assignment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decline): ApiJson<DeclineRequest>,
) -> Result<Json<MyAssignment>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_as_member(&actor, id, Some(decline))
            .await?,
    ))
}
