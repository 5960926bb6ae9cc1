//! Registration without an account: an applicant becomes a member account with a record and
//! one application per prefecture it offers to support.

use super::lifecycle::{membership_statements, NewMembership};
use super::profile::{detail_statements, municipality_name, NewMember};
use crate::error::ApiError;
use crate::reference::Reference;
use crate::scope::RequestMeta;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, fetch_scalar, Sql};
use crate::store::{in_write, now, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{Registered, RegistrationRequest};
use ouen_shared::text::fold;
use ouen_shared::validate::normalize_login;
use ouen_shared::{MembershipStatus, Problem, Role};

/// What the installation requires of registrations.
#[derive(Debug, Clone)]
pub struct RegistrationRules {
    /// The version of the member terms of use in force.
    pub terms_version: String,
}

impl RegistrationRules {
    /// Checks that the applicant accepted the terms in force.
    pub fn check_terms(&self, field: &str, accepted: &str) -> Result<(), ApiError> {
        if accepted.trim() == self.terms_version {
            Ok(())
        } else {
            Err(ApiError::invalid(
                field,
                Problem::NotAllowed {
                    ja: "現在の会員規約に同意してください（規約の版が古いか、誤っています）。",
                    en: "Accept the member terms of use in force (the version is outdated or wrong).",
                },
            ))
        }
    }
}

/// `INSERT` of a member account (in the members' organisation) returning its id.
pub(super) fn member_account_insert(
    login: &str,
    display_name: &str,
    password_hash: &str,
    at: DateTime<Utc>,
) -> Sql {
    Sql::with(
        "INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at) \
         VALUES ($1, $2, $3, $4, (SELECT id FROM organisations WHERE seed_key = 'members'), $5, $6, $6) RETURNING id",
        [
            login.into(),
            display_name.into(),
            fold(&format!("{login} {display_name}")).into(),
            Role::Member.code().into(),
            password_hash.into(),
            at.into(),
        ],
    )
}

impl Store {
    /// Registers an applicant (already validated; `password_hash` computed by the caller).
    pub async fn register_member(
        &self,
        meta: &RequestMeta,
        request: &RegistrationRequest,
        password_hash: &str,
        rules: &RegistrationRules,
        reference: &Reference,
    ) -> Result<Registered, ApiError> {
        rules.check_terms("terms_version", &request.terms_version)?;
        let municipality_name =
            municipality_name(reference, &request.profile, "profile.municipality_code")?;
        self.ensure_licences_free(None, &request.profile.licences, "profile.")
            .await?;
        let login = normalize_login(&request.profile.email);
        let at = now();
        let member_id = in_write!(self, tx => {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE login = $1")
                .bind(login.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(ApiError::taken("profile.email"));
            }
            let account_id: i64 = fetch_scalar!(tx, member_account_insert(&login, request.profile.name.trim(), password_hash, at));
            let new = NewMember {
                account_id: Some(account_id),
                managed_by: None,
                profile: &request.profile,
                municipality_name,
                notes: String::new(),
                terms: Some((request.terms_version.trim().to_string(), at)),
                registration_code: None,
                at,
            };
            let member_id: i64 = fetch_scalar!(tx, new.insert());
            for statement in detail_statements(member_id, &request.profile) {
                execute!(tx, statement);
            }
            for offer in &request.offers {
                let membership = NewMembership {
                    member_id,
                    prefecture_code: offer.prefecture_code.clone(),
                    status: MembershipStatus::Applied,
                    managed: false,
                    availability: offer.availability.clone(),
                    actor_id: Some(account_id),
                    reason: None,
                    at,
                };
                let membership_id: i64 = fetch_scalar!(tx, membership.insert());
                for statement in membership_statements(membership_id, &membership) {
                    execute!(tx, statement);
                }
            }
            let entry = NewEntry::anonymous(meta, "member.register", "member", Some(member_id.to_string()))
                .detail(serde_json::json!({
                    "account_id": account_id,
                    "prefectures": request.offers.iter().map(|o| o.prefecture_code.as_str()).collect::<Vec<_>>(),
                    "terms_version": request.terms_version.trim(),
                }));
            execute!(tx, self.member_event(member_id, at));
            write_audit!(tx, entry);
            member_id
        });
        Ok(Registered {
            member_id,
            login,
            applied_to: request
                .offers
                .iter()
                .map(|o| o.prefecture_code.clone())
                .collect(),
        })
    }
}
