//! Request and response bodies of the HTTP API (`/api/v1/…`).

pub mod accounts;
pub mod audit;
pub mod bulk_mail;
pub mod dispatch;
pub mod events;
pub mod inbox;
pub mod members;
pub mod organisations;
pub mod outbox;
pub mod reference;
pub mod report_form;
pub mod reports;
pub mod sessions;
pub mod shifts;
pub mod trainings;
pub mod utilisation;

use serde::{Deserialize, Serialize};

pub use accounts::*;
pub use audit::*;
pub use bulk_mail::*;
pub use dispatch::*;
pub use events::*;
pub use inbox::*;
pub use members::*;
pub use organisations::*;
pub use outbox::*;
pub use reference::*;
pub use report_form::*;
pub use reports::*;
pub use sessions::*;
pub use shifts::*;
pub use trainings::*;
pub use utilisation::*;

/// The largest page a list answers with.
pub const MAX_PER_PAGE: u32 = 500;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 50;

/// One page of a list, with the total count of matching records in the caller's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    // utoipa describes `u32` as `int32`, too small for the pages a caller may ask for.
    #[cfg_attr(feature = "openapi", schema(format = Int64))]
    pub page: u32,
    #[cfg_attr(feature = "openapi", schema(format = Int64))]
    pub per_page: u32,
}

impl<T> Page<T> {
    /// A page of `items` out of `total`, as asked for by `query`.
    pub fn of(items: Vec<T>, total: i64, query: &PageQuery) -> Self {
        Page {
            items,
            total,
            page: query.page(),
            per_page: query.per_page(),
        }
    }
}

/// The answer of `GET /healthz` when the server and its database answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    /// The backend in use: `sqlite` or `postgres`.
    pub database: String,
}

/// Direction of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

impl SortOrder {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        }
    }
}

/// Paging and sorting common to every list (`?page=2&per_page=50&sort=login&order=desc`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// 1-based page number.
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub page: Option<u32>,
    /// Records per page, 1 to 500 (default 50).
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub per_page: Option<u32>,
    /// The column to sort by; each list names the ones it allows.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

impl PageQuery {
    /// The page number, at least 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// The page size, clamped to 1..=500.
    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        i64::from(self.page() - 1) * i64::from(self.per_page())
    }

    /// Checks `sort` against the allowed columns; the first is the default.
    pub fn sort_column<'a>(&self, allowed: &[&'a str]) -> Result<&'a str, crate::FieldIssue> {
        match &self.sort {
            None => Ok(allowed[0]),
            Some(s) => allowed
                .iter()
                .find(|a| **a == s.as_str())
                .copied()
                .ok_or_else(|| crate::FieldIssue::new("sort", crate::Problem::UnknownValue)),
        }
    }
}
