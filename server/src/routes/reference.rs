//! Public reference data: prefectures and municipalities.

use crate::auth::extract::ApiQuery;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ouen_shared::api::{Municipality, MunicipalityFilter, Prefecture};
use ouen_shared::prefecture::PREFECTURES;
use ouen_shared::{ErrorBody, Problem};

/// The 47 prefectures.
#[utoipa::path(get, path = "/api/v1/prefectures", tag = "reference", responses((status = 200, body = Vec<Prefecture>)))]
pub async fn list_prefectures() -> Json<Vec<Prefecture>> {
    Json(
        PREFECTURES
            .iter()
            .map(|p| Prefecture {
                code: p.code.into(),
                name: p.name.into(),
                kana: p.kana.into(),
                name_en: p.name_en.into(),
            })
            .collect(),
    )
}

/// Municipalities, filtered by prefecture and folded free text.
#[utoipa::path(get, path = "/api/v1/municipalities", tag = "reference", params(MunicipalityFilter),
    responses((status = 200, body = Vec<Municipality>), (status = 422, body = ErrorBody)))]
pub async fn list_municipalities(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<MunicipalityFilter>,
) -> Result<Json<Vec<Municipality>>, ApiError> {
    if let Some(p) = &filter.prefecture {
        if ouen_shared::prefecture::prefecture(p).is_none() {
            return Err(ApiError::invalid("prefecture", Problem::UnknownPrefecture));
        }
    }
    Ok(Json(state.reference.search(
        filter.prefecture.as_deref(),
        filter.q.as_deref(),
        filter.city_or_ward,
    )))
}
