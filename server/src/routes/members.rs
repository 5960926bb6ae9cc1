//! The roster: search, records, vetting decisions, a prefecture's own professionals, CSV import
//! and export.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::roster_csv::{export, import};
use crate::scope::Actor;
use crate::state::AppState;
use crate::store::members::managing_prefecture;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use ouen_shared::api::{
    CreateMemberRequest, DecisionRequest, DecisionResult, ExportQuery, ImportQuery, ImportReport,
    Invitation, Member, MemberFilter, MemberSummary, Page, PageQuery, UpdateMemberNotesRequest,
};
use ouen_shared::ErrorBody;

/// Members in the caller's scope, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/members", tag = "roster", security(("bearer" = [])),
    params(PageQuery, MemberFilter),
    responses((status = 200, body = Page<MemberSummary>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_members(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<MemberFilter>,
) -> Result<Json<Page<MemberSummary>>, ApiError> {
    Ok(Json(
        state.store.list_members(&actor, &filter, &page).await?,
    ))
}

/// A prefecture enters a professional it manages itself (the admin names the prefecture).
#[utoipa::path(post, path = "/api/v1/members", tag = "roster", security(("bearer" = [])),
    request_body = CreateMemberRequest,
    responses((status = 201, body = Member), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<CreateMemberRequest>,
) -> Result<(StatusCode, Json<Member>), ApiError> {
    let member = state
        .store
        .create_managed_member(&actor, &request, &state.reference)
        .await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// One member's record (404 outside the caller's scope; cities get no birth date or street).
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Member), (status = 404, body = ErrorBody)))]
pub async fn get_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(state.store.get_member(&actor, id).await?))
}

/// Replaces the notes on a member (prefecture or admin).
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateMemberNotesRequest,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<UpdateMemberNotesRequest>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(
        state
            .store
            .update_member_notes(&actor, id, &request.notes)
            .await?,
    ))
}

/// Approves, rejects, suspends, reinstates or withdraws a membership, or confirms a licence
/// re-check. Approval issues the member's registration code if it has none.
#[utoipa::path(post, path = "/api/v1/members/{id}/memberships/{prefecture_code}", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path), ("prefecture_code" = String, Path)), request_body = DecisionRequest,
    responses((status = 200, body = DecisionResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, prefecture_code)): ApiPath<(i64, String)>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionResult>, ApiError> {
    Ok(Json(
        state
            .store
            .decide_membership(
                &actor,
                id,
                &prefecture_code,
                request.decision,
                request.reason.as_deref(),
            )
            .await?,
    ))
}

/// Issues a one-time token with which a prefecture's own professional claims an account.
#[utoipa::path(post, path = "/api/v1/members/{id}/invitation", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = Invitation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.store.invite_member(&actor, id).await?),
    ))
}

/// The members matching the filter as CSV: UTF-8 with a byte-order mark, or CP932
/// (`encoding=cp932`), which names the first record and character it cannot write.
#[utoipa::path(get, path = "/api/v1/members/export", tag = "roster", security(("bearer" = [])),
    params(MemberFilter, ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = ErrorBody)))]
pub async fn export_members(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(filter): ApiQuery<MemberFilter>,
    ApiQuery(options): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let encoding = options.encoding.unwrap_or_default();
    let rows = state.store.export_members(&actor, &filter).await?;
    let bytes = export::render(&rows, encoding)?;
    Ok(crate::csv_file::download(bytes, encoding, "roster"))
}

/// Imports a prefecture's own professionals from CSV (UTF-8 or CP932), all or nothing. Every
/// problem is named `rows.<line>.<column>`. `dry_run=true` checks without saving.
#[utoipa::path(post, path = "/api/v1/members/import", tag = "roster", security(("bearer" = [])),
    params(ImportQuery), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_members(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(options): ApiQuery<ImportQuery>,
    body: Body,
) -> Result<Json<ImportReport>, ApiError> {
    // Refuse callers who may not import before reading a large body.
    managing_prefecture(&actor, options.prefecture.as_deref())?;
    let bytes = axum::body::to_bytes(body, state.config.roster.import_limit_bytes)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    let text = import::decode(&bytes)?;
    let reference = state.reference.clone();
    let rows = tokio::task::spawn_blocking(move || import::parse(&text, &reference))
        .await
        .map_err(|e| ApiError::Internal(format!("import: {e}")))??;
    let dry_run = options.dry_run.unwrap_or(false);
    let created = state
        .store
        .import_managed_members(&actor, options.prefecture.as_deref(), &rows, dry_run)
        .await?;
    Ok(Json(ImportReport {
        created,
        rows: rows.len(),
        dry_run,
    }))
}
