//! Organisations: prefectures, cities, health centres, institutions, partners.

use crate::auth::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ouen_shared::api::{
    CreateOrganisationRequest, Organisation, OrganisationFilter, Page, PageQuery,
    UpdateOrganisationRequest,
};
use ouen_shared::ErrorBody;

/// Organisations in the caller's scope.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", security(("bearer" = [])),
    params(PageQuery, OrganisationFilter), responses((status = 200, body = Page<Organisation>), (status = 401, body = ErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filter): ApiQuery<OrganisationFilter>,
) -> Result<Json<Page<Organisation>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_organisations(&actor, &filter, &page)
            .await?,
    ))
}

/// Creates a health centre (prefecture or city), or an institution or partner (admin).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", security(("bearer" = [])),
    request_body = CreateOrganisationRequest,
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<CreateOrganisationRequest>,
) -> Result<(StatusCode, Json<Organisation>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_organisation(&actor, &request).await?),
    ))
}

/// One organisation in the caller's scope (404 outside it).
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Organisation), (status = 404, body = ErrorBody)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(state.store.get_organisation(&actor, id).await?))
}

/// Renames a health centre, institution or partner.
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateOrganisationRequest,
    responses((status = 200, body = Organisation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<UpdateOrganisationRequest>,
) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(
        state
            .store
            .rename_organisation(&actor, id, &request.name)
            .await?,
    ))
}
