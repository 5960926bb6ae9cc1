//! Reading the audit log (national and admin).

use crate::auth::extract::ApiQuery;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{AuditEntry, AuditFilter, Page, PageQuery};
use ouen_shared::ErrorBody;

/// Audit entries, newest first. Append-only: there is no route that changes them.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(PageQuery, AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ErrorBody)))]
pub async fn list_audit(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<Json<Page<AuditEntry>>, ApiError> {
    Ok(Json(state.store.list_audit(&actor, &filter, &page).await?))
}
