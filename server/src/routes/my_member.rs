//! A member's own record: reading and editing it, offering support, withdrawing.

use crate::auth::extract::{ApiJson, ApiPath};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{
    MailPreferencesRequest, Member, OfferRequest, UpdateProfileRequest, WithdrawalRequest,
};
use ouen_shared::validate::Checker;
use ouen_shared::ErrorBody;

/// The caller's own member record (404 for accounts that are not members).
#[utoipa::path(get, path = "/api/v1/me/member", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Member), (status = 404, body = ErrorBody)))]
pub async fn get_own_member(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(state.store.own_member(&actor).await?))
}

/// Changes the caller's own details; a changed licence asks each prefecture to re-check.
#[utoipa::path(put, path = "/api/v1/me/member", tag = "me", security(("bearer" = [])),
    request_body = UpdateProfileRequest,
    responses((status = 200, body = Member), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_own_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<UpdateProfileRequest>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(
        state
            .store
            .update_own_profile(&actor, &request.profile, &state.reference)
            .await?,
    ))
}

/// Offers support to a prefecture (a new or renewed application) or changes when and how.
#[utoipa::path(put, path = "/api/v1/me/member/offers/{prefecture_code}", tag = "me", security(("bearer" = [])),
    params(("prefecture_code" = String, Path)), request_body = OfferRequest,
    responses((status = 200, body = Member), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn offer_support(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(prefecture_code): ApiPath<String>,
    ApiJson(request): ApiJson<OfferRequest>,
) -> Result<Json<Member>, ApiError> {
    let mut c = Checker::new();
    c.prefecture("prefecture_code", &prefecture_code);
    let issues = c.finish();
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    Ok(Json(
        state
            .store
            .offer_support(&actor, &prefecture_code, &request.availability)
            .await?,
    ))
}

/// Withdraws from one prefecture, or from the bank when none is named.
#[utoipa::path(post, path = "/api/v1/me/member/withdrawal", tag = "me", security(("bearer" = [])),
    request_body = WithdrawalRequest,
    responses((status = 200, body = Member), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<WithdrawalRequest>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(
        state
            .store
            .withdraw_member(
                &actor,
                request.prefecture_code.as_deref(),
                request.reason.as_deref(),
            )
            .await?,
    ))
}

/// Opts the caller out of bulk mail and newsletters, or back in; answers the record.
#[utoipa::path(put, path = "/api/v1/me/member/mail-preferences", tag = "me", security(("bearer" = [])),
    request_body = MailPreferencesRequest,
    responses((status = 200, body = Member), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_mail_preferences(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<MailPreferencesRequest>,
) -> Result<Json<Member>, ApiError> {
    state
        .store
        .set_own_opt_out(&actor, request.mail_opt_out)
        .await?;
    Ok(Json(state.store.own_member(&actor).await?))
}
