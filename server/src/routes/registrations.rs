//! Registration without an account: the terms in force, applying, and claiming an account
//! with a prefecture's invitation. Throttled per client address.

use crate::auth::extract::ApiJson;
use crate::auth::password;
use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::members::RegistrationRules;
use crate::store::throttle::{Reservation, ThrottleRules};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use ouen_shared::api::{ClaimRequest, Registered, RegistrationRequest, RegistrationTerms};
use ouen_shared::ErrorBody;

/// The member terms of use applicants must accept.
#[utoipa::path(get, path = "/api/v1/registration-terms", tag = "registration",
    responses((status = 200, body = RegistrationTerms)))]
pub async fn registration_terms(State(state): State<AppState>) -> Json<RegistrationTerms> {
    Json(RegistrationTerms {
        version: state.config.roster.terms_version.clone(),
        url: state.config.roster.terms_url.clone(),
    })
}

/// Counts one registration attempt from the caller's address; 429 once over the hourly limit.
async fn throttle(state: &AppState, meta: &RequestMeta) -> Result<(), ApiError> {
    let Some(ip) = &meta.ip else {
        return Ok(());
    };
    let key = format!("register:{ip}");
    let rules = ThrottleRules {
        max_attempts: state.config.roster.registrations_per_address_per_hour,
        window: Duration::hours(1),
        lockout: Duration::hours(1),
    };
    match state
        .store
        .reserve_attempts(&[(key, rules)], crate::store::now())
        .await?
    {
        Reservation::Granted => Ok(()),
        Reservation::Refused {
            retry_after_seconds,
        } => Err(ApiError::Throttled {
            retry_after_seconds,
        }),
    }
}

fn rules(state: &AppState) -> RegistrationRules {
    RegistrationRules {
        terms_version: state.config.roster.terms_version.clone(),
    }
}

/// What registration and claiming share: the throttle, the terms in force, and the password
/// hash (computed off the async threads).
async fn admit(
    state: &AppState,
    meta: &RequestMeta,
    terms_version: &str,
    password: &str,
) -> Result<String, ApiError> {
    throttle(state, meta).await?;
    rules(state).check_terms("terms_version", terms_version)?;
    password::hash(password.to_string()).await
}

/// Applies to the roster of one or more prefectures, creating a member account whose login is
/// the e-mail address.
#[utoipa::path(post, path = "/api/v1/registrations", tag = "registration", request_body = RegistrationRequest,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let hash = admit(&state, &meta, &request.terms_version, &request.password).await?;
    let registered = state
        .store
        .register_member(&meta, &request, &hash, &rules(&state), &state.reference)
        .await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// A prefecture's own professional claims a member account with its invitation token.
#[utoipa::path(post, path = "/api/v1/registrations/claim", tag = "registration", request_body = ClaimRequest,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(request): ApiJson<ClaimRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let hash = admit(&state, &meta, &request.terms_version, &request.password).await?;
    let registered = state
        .store
        .claim_member(&meta, &request, &hash, &rules(&state))
        .await?;
    Ok((StatusCode::CREATED, Json(registered)))
}
