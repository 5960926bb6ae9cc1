//! The caller's own account.

use crate::auth::extract::ApiJson;
use crate::auth::password;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use crate::store::audit::NewEntry;
use crate::store::throttle::Reservation;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ouen_shared::api::{ChangePasswordRequest, Me};
use ouen_shared::{ErrorBody, Problem};

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn get_me(actor: Actor) -> Json<Me> {
    Json(super::sessions::me_of(&actor))
}

/// Changes the caller's own password; other sessions of the account end.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    // The current password is a secret worth guessing: attempts are counted before the check,
    // like logins, and every wrong one is audited.
    let key = format!("password:{}", actor.account_id);
    let rules = state.config.security.login_rules();
    if let Reservation::Refused {
        retry_after_seconds,
    } = state
        .store
        .reserve_attempts(&[(key.clone(), rules)], crate::store::now())
        .await?
    {
        state
            .store
            .append_audit(NewEntry::by(
                &actor,
                "account.password_change_throttled",
                "account",
                actor.account_id,
            ))
            .await?;
        return Err(ApiError::Throttled {
            retry_after_seconds,
        });
    }
    let stored = state.store.own_password_hash(&actor).await?;
    let matches = match password::verify(request.current_password, Some(stored)).await {
        Ok(matches) => matches,
        Err(error) => {
            state.store.release_attempt(&key).await?;
            return Err(error);
        }
    };
    if !matches {
        state
            .store
            .append_audit(NewEntry::by(
                &actor,
                "account.password_change_failed",
                "account",
                actor.account_id,
            ))
            .await?;
        return Err(ApiError::invalid(
            "current_password",
            Problem::NotAllowed {
                ja: "現在のパスワードが違います。",
                en: "The current password is wrong.",
            },
        ));
    }
    state.store.clear_attempts(&key).await?;
    let hash = password::hash(request.new_password).await?;
    state.store.change_own_password(&actor, hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
