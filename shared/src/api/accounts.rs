//! Accounts: issuing, listing, disabling and resetting.

use crate::validate::{Checker, Validate};
use crate::{FieldIssue, OrgKind, Problem, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An account as others see it (never its password or sessions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    pub prefecture_code: Option<String>,
    pub municipality_code: Option<String>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/accounts`. Which organisation the account joins depends on its role:
/// a prefecture account names `prefecture_code`; a city account names `municipality_code`
/// (the city's organisation is created on first use); others name `organisation_id`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    pub login: String,
    pub display_name: String,
    pub role: Option<Role>,
    /// The initial password; when absent the server generates one and answers it once.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub prefecture_code: Option<String>,
    #[serde(default)]
    pub municipality_code: Option<String>,
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

impl Validate for CreateAccountRequest {
    fn normalize(&mut self) {
        use crate::normalize;
        self.login = normalize::login(&self.login);
        self.prefecture_code = self.prefecture_code.as_deref().map(normalize::code);
        self.municipality_code = self.municipality_code.as_deref().map(normalize::code);
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        c.login("login", &self.login);
        c.text("display_name", &self.display_name, 1, 100);
        if let Some(p) = &self.password {
            c.password("password", p);
        }
        match self.role {
            None => c.add("role", Problem::Required),
            Some(Role::Member) => c.add(
                "role",
                Problem::NotAllowed {
                    ja: "登録者のアカウントは登録申請から作成されます。",
                    en: "Member accounts are created by registration.",
                },
            ),
            Some(Role::Prefecture) => match &self.prefecture_code {
                None => c.add("prefecture_code", Problem::Required),
                Some(p) => c.prefecture("prefecture_code", p),
            },
            Some(Role::City) => match &self.municipality_code {
                None => c.add("municipality_code", Problem::Required),
                Some(m) => c.municipality_code("municipality_code", m),
            },
            Some(Role::Institution | Role::Partner) => {
                if self.organisation_id.is_none() {
                    c.add("organisation_id", Problem::Required);
                }
            }
            Some(Role::National | Role::Admin) => {}
        }
        c.finish()
    }
}

/// The answer to `POST /api/v1/accounts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCreated {
    pub account: Account,
    /// The generated initial password, present only when none was given. Shown once.
    pub initial_password: Option<String>,
}

/// `POST /api/v1/accounts/{id}/password`: a reset by the admin or the parent organisation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The new password; when absent the server generates one and answers it once.
    #[serde(default)]
    pub new_password: Option<String>,
}

impl Validate for ResetPasswordRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        if let Some(p) = &self.new_password {
            c.password("new_password", p);
        }
        c.finish()
    }
}

/// The answer to a password reset.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// The generated password, when none was given. Shown once.
    pub new_password: Option<String>,
}

/// Filters of `GET /api/v1/accounts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AccountFilter {
    /// Free text over login and display name (width and kana folded).
    pub q: Option<String>,
    pub role: Option<Role>,
    pub organisation_id: Option<i64>,
    pub disabled: Option<bool>,
}
