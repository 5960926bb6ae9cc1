//! Daily reports (日報): the member files and corrects its own; the requesting prefecture or
//! city reads, approves, returns or reopens the reports of its requests.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use crate::store::reports::filing::Reporter;
use crate::store::reports::review::Decision;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use ouen_shared::api::{
    DailyReport, DailyReportDraft, DispatchHistory, HonorariumQuery, HonorariumSheet, Page,
    PageQuery, ReportComment, ReportDue, ReportFilter, RequestTotals,
};
use ouen_shared::ErrorBody;

/// The signed-in member's reports, newest first.
#[utoipa::path(get, path = "/api/v1/me/daily-reports", tag = "reports", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<DailyReport>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_my_reports(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<DailyReport>>, ApiError> {
    Ok(Json(
        state.store.list_my_daily_reports(&actor, &page).await?,
    ))
}

/// The member's accepted seats that ended with no report yet, oldest first.
#[utoipa::path(get, path = "/api/v1/me/daily-reports/due", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReportDue>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn reports_due(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ReportDue>>, ApiError> {
    Ok(Json(state.store.reports_due(&actor).await?))
}

/// Files a report for a seat the member accepted, checked field by field. Audited.
#[utoipa::path(post, path = "/api/v1/me/daily-reports", tag = "reports", security(("bearer" = [])),
    request_body = DailyReportDraft,
    responses((status = 201, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn file_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<DailyReportDraft>,
) -> Result<(StatusCode, Json<DailyReport>), ApiError> {
    let report = state
        .store
        .file_daily_report(Reporter::Member(&actor), draft)
        .await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// Corrects the member's report as a new version; an approved one is locked (409). Audited.
#[utoipa::path(put, path = "/api/v1/me/daily-reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DailyReportDraft,
    responses((status = 200, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<DailyReportDraft>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(
        state
            .store
            .correct_daily_report(Reporter::Member(&actor), id, draft)
            .await?,
    ))
}

/// The reports of the requests in the caller's scope, newest first. Audited (names).
#[utoipa::path(get, path = "/api/v1/daily-reports", tag = "reports", security(("bearer" = [])),
    params(PageQuery, ReportFilter),
    responses((status = 200, body = Page<DailyReport>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_reports(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<ReportFilter>,
) -> Result<Json<Page<DailyReport>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_daily_reports(&actor, &filter, &page)
            .await?,
    ))
}

/// The honorarium export of the approved reports of a period (`month=2026-11` or
/// `fiscal_year=2026`, from April), in the caller's scope: one row per report, or
/// `sheet=totals` for one row per member and the grand total; UTF-8 with a byte-order mark,
/// or `encoding=cp932`. Audited.
#[utoipa::path(get, path = "/api/v1/daily-reports/export", tag = "reports", security(("bearer" = [])),
    params(HonorariumQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_honoraria(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<HonorariumQuery>,
) -> Result<Response, ApiError> {
    let encoding = query.encoding.unwrap_or_default();
    let sheet = query.sheet.unwrap_or(HonorariumSheet::Reports);
    let rows = state.store.honorarium_rows(&actor, &query).await?;
    let bytes = crate::honoraria_csv::render(&rows, sheet, encoding)?;
    let stem = match sheet {
        HonorariumSheet::Reports => "honoraria",
        HonorariumSheet::Totals => "honoraria-totals",
    };
    Ok(crate::csv_file::download(bytes, encoding, stem))
}

/// One report with every version (404 outside the caller's reach). Audited.
#[utoipa::path(get, path = "/api/v1/daily-reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(state.store.daily_report(&actor, id).await?))
}

/// Approves a submitted report: it is locked. Audited.
#[utoipa::path(post, path = "/api/v1/daily-reports/{id}/approve", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_daily_report(&actor, id, Decision::Approve)
            .await?,
    ))
}

/// Returns a submitted report with a comment; the member is told. Audited.
#[utoipa::path(post, path = "/api/v1/daily-reports/{id}/return", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReportComment,
    responses((status = 200, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(comment): ApiJson<ReportComment>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_daily_report(&actor, id, Decision::Return(comment))
            .await?,
    ))
}

/// Reopens an approved report with a comment, for the member to correct; recorded. Audited.
#[utoipa::path(post, path = "/api/v1/daily-reports/{id}/reopen", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReportComment,
    responses((status = 200, body = DailyReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reopen_report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(comment): ApiJson<ReportComment>,
) -> Result<Json<DailyReport>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_daily_report(&actor, id, Decision::Reopen(comment))
            .await?,
    ))
}

/// How a request went: asked, answered, available, seats needed, assigned, accepted and
/// declined, reports filed and approved, fill rate (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/dispatch-requests/{id}/totals", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = RequestTotals), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn request_totals(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RequestTotals>, ApiError> {
    Ok(Json(state.store.request_totals(&actor, id).await?))
}

/// A member's dispatch history from its approved reports, counting only the requests in
/// the caller's scope (404 for a member outside its roster). Audited.
#[utoipa::path(get, path = "/api/v1/members/{id}/dispatch-history", tag = "reports", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DispatchHistory), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn member_history(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DispatchHistory>, ApiError> {
    Ok(Json(state.store.dispatch_history(&actor, Some(id)).await?))
}

/// The signed-in member's own dispatch history.
#[utoipa::path(get, path = "/api/v1/me/dispatch-history", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = DispatchHistory), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_history(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<DispatchHistory>, ApiError> {
    Ok(Json(state.store.dispatch_history(&actor, None).await?))
}
