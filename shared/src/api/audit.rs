//! The audit log: every change and every read of a person's record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One audit entry. Entries are only ever appended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The acting account; absent for anonymous actions such as failed logins.
    pub actor_id: Option<i64>,
    /// The acting account's current login, looked up when the log is read (an anonymised
    /// member's shows as `anonymised-<member id>`).
    pub actor_login: Option<String>,
    /// What happened, e.g. `account.create`, `session.login_failed`.
    pub action: String,
    /// What it happened to, e.g. `account`.
    pub target_type: String,
    pub target_id: Option<String>,
    /// The request id, matching the server's logs.
    pub request_id: Option<String>,
    /// The client address, when known.
    pub ip: Option<String>,
    /// Details as JSON text: never passwords or tokens, and never a person's values (people
    /// are named by id).
    pub detail: Option<String>,
}

/// Filters of `GET /api/v1/audit`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// Exact action, or a prefix ending in `.` (e.g. `session.`).
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}
