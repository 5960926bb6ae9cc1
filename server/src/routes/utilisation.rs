//! Utilisation tables (利活用状況) for the ministry, prefectures and cities, each counted in
//! the caller's scope.

use crate::auth::extract::ApiQuery;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use ouen_shared::api::{
    CapacityAhead, CapacityQuery, DispatchUtilisation, ExportQuery, MemberCount, PeriodQuery,
    SeriesQuery, UtilisationStep,
};
use ouen_shared::ErrorBody;

/// Members by prefecture, profession and membership status (a member with two professions
/// counts under each), in the caller's roster scope.
#[utoipa::path(get, path = "/api/v1/utilisation/members", tag = "utilisation", security(("bearer" = [])),
    responses((status = 200, body = Vec<MemberCount>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn member_counts(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<MemberCount>>, ApiError> {
    Ok(Json(state.store.member_counts(&actor).await?))
}

/// How each prefecture's requests went from `from` to `to` (JST days, both included, at most
/// two years): requests, members asked and answering, seats needed, held and accepted, and
/// the member-days and minutes of approved reports. Only the requests the caller may see.
#[utoipa::path(get, path = "/api/v1/utilisation/dispatch", tag = "utilisation", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, body = Vec<DispatchUtilisation>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dispatch_utilisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(period): ApiQuery<PeriodQuery>,
) -> Result<Json<Vec<DispatchUtilisation>>, ApiError> {
    Ok(Json(
        state.store.dispatch_utilisation(&actor, &period).await?,
    ))
}

/// The member table as CSV: UTF-8 with a byte-order mark, or `encoding=cp932`.
#[utoipa::path(get, path = "/api/v1/utilisation/members/export", tag = "utilisation", security(("bearer" = [])),
    params(ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_member_counts(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(options): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let encoding = options.encoding.unwrap_or_default();
    let rows = state.store.member_counts(&actor).await?;
    let bytes = crate::utilisation_csv::members(&rows, encoding)?;
    Ok(crate::csv_file::download(
        bytes,
        encoding,
        "utilisation-members",
    ))
}

/// The dispatch table of a period as CSV: UTF-8 with a byte-order mark, or `encoding=cp932`.
#[utoipa::path(get, path = "/api/v1/utilisation/dispatch/export", tag = "utilisation", security(("bearer" = [])),
    params(PeriodQuery, ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_dispatch_utilisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(period): ApiQuery<PeriodQuery>,
    ApiQuery(options): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let encoding = options.encoding.unwrap_or_default();
    let rows = state.store.dispatch_utilisation(&actor, &period).await?;
    let bytes = crate::utilisation_csv::dispatch(&rows, encoding)?;
    Ok(crate::csv_file::download(
        bytes,
        encoding,
        "utilisation-dispatch",
    ))
}

/// The period cut into weeks (from Monday, the default) or months: registrations and
/// approvals, requests sent, members asked and answering with the median time to answer,
/// seats needed, held and accepted, and the member-days and minutes of approved work.
#[utoipa::path(get, path = "/api/v1/utilisation/series", tag = "utilisation", security(("bearer" = [])),
    params(SeriesQuery),
    responses((status = 200, body = Vec<UtilisationStep>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn series(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<SeriesQuery>,
) -> Result<Json<Vec<UtilisationStep>>, ApiError> {
    Ok(Json(state.store.utilisation_series(&actor, &query).await?))
}

/// The series as CSV: UTF-8 with a byte-order mark, or `encoding=cp932`.
#[utoipa::path(get, path = "/api/v1/utilisation/series/export", tag = "utilisation", security(("bearer" = [])),
    params(SeriesQuery, ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_series(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<SeriesQuery>,
    ApiQuery(options): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let encoding = options.encoding.unwrap_or_default();
    let steps = state.store.utilisation_series(&actor, &query).await?;
    let bytes = crate::utilisation_csv::series(&steps, encoding)?;
    Ok(crate::csv_file::download(
        bytes,
        encoding,
        "utilisation-series",
    ))
}

/// Capacity ahead: for each of the `days` days from `from` (today in Japan when absent; 14
/// days when not told, at most 60), the approved members available by prefecture, profession
/// and way of helping, those already assigned that day, and the difference.
#[utoipa::path(get, path = "/api/v1/utilisation/capacity", tag = "utilisation", security(("bearer" = [])),
    params(CapacityQuery),
    responses((status = 200, body = CapacityAhead), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn capacity(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<CapacityQuery>,
) -> Result<Json<CapacityAhead>, ApiError> {
    Ok(Json(state.store.capacity_ahead(&actor, &query).await?))
}

/// Capacity ahead as CSV, a row per day, prefecture, profession and way of helping: UTF-8
/// with a byte-order mark, or `encoding=cp932`.
#[utoipa::path(get, path = "/api/v1/utilisation/capacity/export", tag = "utilisation", security(("bearer" = [])),
    params(CapacityQuery, ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_capacity(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<CapacityQuery>,
    ApiQuery(options): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let encoding = options.encoding.unwrap_or_default();
    let capacity = state.store.capacity_ahead(&actor, &query).await?;
    let bytes = crate::utilisation_csv::capacity(&capacity, encoding)?;
    Ok(crate::csv_file::download(
        bytes,
        encoding,
        "utilisation-capacity",
    ))
}
