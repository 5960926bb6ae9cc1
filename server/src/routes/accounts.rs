//! Issuing and managing accounts.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::password;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use crate::store::accounts::{AccountHome, NewAccount};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ouen_shared::api::{
    Account, AccountCreated, AccountFilter, CreateAccountRequest, Page, PageQuery, PasswordReset,
    ResetPasswordRequest,
};
use ouen_shared::{ErrorBody, Problem, Role};

/// Accounts in the caller's scope.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])), params(PageQuery, AccountFilter),
    responses((status = 200, body = Page<Account>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<AccountFilter>,
) -> Result<Json<Page<Account>>, ApiError> {
    Ok(Json(
        state.store.list_accounts(&actor, &filter, &page).await?,
    ))
}

/// Issues an account: the admin issues prefecture (and other) accounts; a prefecture issues
/// accounts for itself and for cities and special wards inside it; a city for itself.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])), request_body = CreateAccountRequest,
    responses((status = 201, body = AccountCreated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<CreateAccountRequest>,
) -> Result<(StatusCode, Json<AccountCreated>), ApiError> {
    let role = request
        .role
        .ok_or_else(|| ApiError::invalid("role", Problem::Required))?;
    let home = match role {
        Role::Admin => AccountHome::Seeded("admin"),
        Role::National => AccountHome::Seeded("national"),
        Role::Prefecture => {
            AccountHome::Prefecture(request.prefecture_code.clone().unwrap_or_default())
        }
        Role::City => {
            let code = request.municipality_code.clone().unwrap_or_default();
            let municipality = state.reference.municipality(&code).ok_or_else(|| {
                ApiError::invalid("municipality_code", Problem::UnknownMunicipality)
            })?;
            if !municipality.city_or_ward {
                return Err(ApiError::invalid(
                    "municipality_code",
                    Problem::NotAllowed {
                        ja: "保健所を設置できるのは市と特別区です。",
                        en: "Only cities and special wards run health centres.",
                    },
                ));
            }
            AccountHome::City {
                municipality_code: code,
                name: municipality.name.clone(),
            }
        }
        Role::Institution | Role::Partner => {
            AccountHome::Organisation(request.organisation_id.unwrap_or_default())
        }
        Role::Member => return Err(ApiError::Forbidden),
    };
    let (plain, initial_password) = match request.password {
        Some(p) => (p, None),
        None => {
            let generated = password::generate();
            (generated.clone(), Some(generated))
        }
    };
    let new = NewAccount {
        login: request.login,
        display_name: request.display_name,
        role,
        password_hash: password::hash(plain).await?,
        home,
    };
    let account = state.store.create_account(&actor, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(AccountCreated {
            account,
            initial_password,
        }),
    ))
}

/// One account in the caller's scope (404 outside it). The read is audited.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Account), (status = 404, body = ErrorBody)))]
pub async fn get_account(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(state.store.read_account(&actor, id).await?))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Account), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn disable_account(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(
        state.store.set_account_disabled(&actor, id, true).await?,
    ))
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Account), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn enable_account(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(
        state.store.set_account_disabled(&actor, id, false).await?,
    ))
}

/// Resets the password of an account the caller manages and ends its sessions.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/password", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ResetPasswordRequest,
    responses((status = 200, body = PasswordReset), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<ResetPasswordRequest>,
) -> Result<Json<PasswordReset>, ApiError> {
    let (plain, shown) = match request.new_password {
        Some(p) => (p, None),
        None => {
            let generated = password::generate();
            (generated.clone(), Some(generated))
        }
    };
    let hash = password::hash(plain).await?;
    state.store.reset_password(&actor, id, hash).await?;
    Ok(Json(PasswordReset {
        new_password: shown,
    }))
}
