//! Logging in and out, and the caller's own account.

use crate::validate::{Checker, Validate};
use crate::{FieldIssue, OrgKind, Problem, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/sessions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

impl Validate for LoginRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        if self.login.trim().is_empty() {
            c.add("login", Problem::Required);
        }
        if self.password.is_empty() {
            c.add("password", Problem::Required);
        }
        c.finish()
    }
}

/// The answer to a successful login.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionCreated {
    /// The bearer token for `Authorization: Bearer …`; shown only once.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: Me,
}

/// The caller's own account, as `GET /api/v1/me` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    /// The prefecture the organisation belongs to, if any.
    pub prefecture_code: Option<String>,
    /// When the current session ends.
    pub session_expires_at: Option<DateTime<Utc>>,
}

/// `PUT /api/v1/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl Validate for ChangePasswordRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        if self.current_password.is_empty() {
            c.add("current_password", Problem::Required);
        }
        c.password("new_password", &self.new_password);
        if !self.new_password.is_empty() && self.new_password == self.current_password {
            c.add(
                "new_password",
                Problem::NotAllowed {
                    ja: "現在と異なるパスワードにしてください。",
                    en: "Choose a password different from the current one.",
                },
            );
        }
        c.finish()
    }
}

/// How many sessions a revoke ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsRevoked {
    pub revoked: i64,
}
