//! Logging in and out.

use crate::auth::extract::ApiJson;
use crate::auth::{password, token};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use crate::state::AppState;
use crate::store::throttle::Reservation;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use ouen_shared::api::{LoginRequest, Me, SessionCreated, SessionsRevoked};
use ouen_shared::ErrorBody;

/// Logs in. Repeated failures for one login or one address answer 429 for a while.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = LoginRequest,
    responses((status = 201, body = SessionCreated), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_session(
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<(StatusCode, Json<SessionCreated>), ApiError> {
    let security = &state.config.security;
    let now = crate::store::now();
    let login_key = format!(
        "login:{}",
        ouen_shared::validate::normalize_login(&request.login)
    );
    let mut keys = vec![(login_key.clone(), security.login_rules())];
    let address_key = meta.ip.as_ref().map(|ip| format!("ip:{ip}"));
    if let Some(key) = &address_key {
        keys.push((key.clone(), security.address_rules()));
    }
    // Counted before the password is checked, so parallel guesses cannot outrun the limit.
    if let Reservation::Refused {
        retry_after_seconds,
    } = state.store.reserve_attempts(&keys, now).await?
    {
        let tried = state.store.login_candidate(&request.login).await?;
        state
            .store
            .audit_login_attempt(&meta, "session.login_throttled", tried.map(|c| c.id))
            .await?;
        return Err(ApiError::Throttled {
            retry_after_seconds,
        });
    }
    let candidate = state.store.login_candidate(&request.login).await?;
    let stored = candidate.as_ref().map(|c| c.password_hash.clone());
    let password_ok = match password::verify(request.password, stored).await {
        Ok(ok) => ok,
        Err(error) => {
            // Not checked (the server was busy): the attempt does not count.
            for (key, _) in &keys {
                state.store.release_attempt(key).await?;
            }
            return Err(error);
        }
    };
    let candidate = match candidate {
        Some(c) if password_ok && !c.disabled => c,
        other => {
            let id = other.map(|c| c.id);
            state
                .store
                .audit_login_attempt(&meta, "session.login_failed", id)
                .await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    state.store.clear_attempts(&login_key).await?;
    if let Some(key) = &address_key {
        state.store.release_attempt(key).await?;
    }
    let token = token::generate();
    let expires_at = now + Duration::minutes(security.session_ttl_minutes);
    state
        .store
        .create_session(&candidate, &token::hash(&token), expires_at, &meta)
        .await?;
    let actor = state
        .store
        .actor_for_session(&token::hash(&token), now, meta)
        .await?
        .ok_or_else(|| ApiError::Internal("new session not found".into()))?;
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            token,
            expires_at,
            account: me_of(&actor),
        }),
    ))
}

/// Logs out: ends the current session.
#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "sessions", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn delete_current_session(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<StatusCode, ApiError> {
    state.store.end_session(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the caller's account, on every device.
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "sessions", security(("bearer" = [])),
    responses((status = 200, body = SessionsRevoked), (status = 401, body = ErrorBody)))]
pub async fn revoke_all_sessions(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<SessionsRevoked>, ApiError> {
    let revoked = state.store.revoke_all_sessions(&actor).await?;
    Ok(Json(SessionsRevoked { revoked }))
}

/// The caller's own account as the API shows it.
pub fn me_of(actor: &Actor) -> Me {
    Me {
        id: actor.account_id,
        login: actor.login.clone(),
        display_name: actor.display_name.clone(),
        role: actor.role,
        organisation_id: actor.organisation_id,
        organisation_name: actor.organisation_name.clone(),
        organisation_kind: actor.organisation_kind,
        prefecture_code: actor.prefecture_code.clone(),
        session_expires_at: Some(actor.session_expires_at),
    }
}
