//! Liveness and readiness.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::Health;

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, description = "The server and its database answer", body = Health), (status = 503, body = ouen_shared::ErrorBody)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    if state.store.ping().await {
        Ok(Json(Health {
            status: "ok".into(),
            database: format!("{:?}", state.store.kind()).to_lowercase(),
        }))
    } else {
        Err(ApiError::Unavailable("ping failed".into()))
    }
}
