//! Reference data: prefectures and municipalities.

use serde::{Deserialize, Serialize};

/// A prefecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prefecture {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub name_en: String,
}

/// A municipality with its six-digit local-government code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Municipality {
    pub code: String,
    pub prefecture_code: String,
    pub name: String,
    pub kana: String,
    /// Whether it is a city (市) or a Tokyo special ward (区): the kinds that can run health centres.
    pub city_or_ward: bool,
}

/// Filters of `GET /api/v1/municipalities`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MunicipalityFilter {
    /// Two-digit prefecture code.
    pub prefecture: Option<String>,
    /// Free text over name and kana (width and kana folded).
    pub q: Option<String>,
    /// Only cities and special wards.
    pub city_or_ward: Option<bool>,
}
