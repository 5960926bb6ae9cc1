//! Inviting a prefecture's own professional to claim a member account, and the claim.

use super::registration::{member_account_insert, RegistrationRules};
use crate::auth::token;
use crate::error::ApiError;
use crate::policy::{roster_keeper, RosterKeeper};
use crate::scope::{Actor, RequestMeta};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, fetch_scalar, Sql};
use crate::store::{in_write, now, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::api::{ClaimRequest, Invitation, Registered};
use ouen_shared::validate::normalize_login;
use ouen_shared::Problem;

/// How long an invitation can be used.
pub const INVITATION_DAYS: i64 = 14;

impl Store {
    /// Issues a one-time claim token for a managed professional without an account. Earlier
    /// unused invitations of the same professional stop working.
    pub async fn invite_member(
        &self,
        actor: &Actor,
        member_id: i64,
    ) -> Result<Invitation, ApiError> {
        let scope = actor.roster_scope();
        let row = self.visible_member_row(&scope, member_id).await?;
        // The admin any professional; a prefecture those it manages.
        let may = roster_keeper(actor).is_some_and(|k| {
            k == RosterKeeper::Operators || row.managed_by.as_deref().is_some_and(|m| k.keeps(m))
        });
        if !may {
            return Err(ApiError::Forbidden);
        }
        if row.account_id.is_some() || row.managed_by.is_none() || row.anonymised_at.is_some() {
            return Err(ApiError::Conflict(vec![ouen_shared::FieldIssue::new(
                "member",
                Problem::NotAllowed {
                    ja: "この登録者は既にアカウントを持っているか、招待の対象外です。",
                    en: "This member already has an account or cannot be invited.",
                },
            )]));
        }
        let secret = token::generate();
        let at = now();
        let expires_at = at + Duration::days(INVITATION_DAYS);
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE member_invitations SET used_at = $1 WHERE member_id = $2 AND used_at IS NULL",
                [at.into(), member_id.into()],
            ));
            execute!(tx, Sql::with(
                "INSERT INTO member_invitations (token_hash, member_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                [token::hash(&secret).into(), member_id.into(), actor.account_id.into(), at.into(), expires_at.into()],
            ));
            let entry = NewEntry::by(actor, "member.invite", "member", member_id)
                .detail(serde_json::json!({ "expires_at": expires_at }));
            write_audit!(tx, entry);
        });
        Ok(Invitation {
            token: secret,
            expires_at,
        })
    }

    /// A professional claims its account with an invitation token.
    pub async fn claim_member(
        &self,
        meta: &RequestMeta,
        request: &ClaimRequest,
        password_hash: &str,
        rules: &RegistrationRules,
    ) -> Result<Registered, ApiError> {
        rules.check_terms("terms_version", &request.terms_version)?;
        let login = normalize_login(&request.email);
        let at = now();
        let hash = token::hash(request.token.trim());
        let member_id = in_write!(self, tx => {
            let invitation: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
                "SELECT i.member_id, i.expires_at FROM member_invitations i JOIN members m ON m.id = i.member_id \
                 WHERE i.token_hash = $1 AND i.used_at IS NULL AND m.account_id IS NULL AND m.anonymised_at IS NULL")
                .bind(hash.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let member_id = match invitation {
                Some((member_id, expires_at)) if expires_at > at => member_id,
                _ => {
                    return Err(ApiError::invalid("token", Problem::NotAllowed {
                        ja: "招待コードが無効か期限切れです。都道府県に再発行を依頼してください。",
                        en: "The invitation is invalid or has expired; ask the prefecture for a new one.",
                    }));
                }
            };
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE login = $1")
                .bind(login.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(ApiError::taken("email"));
            }
            let name: String = sqlx::query_scalar("SELECT name FROM members WHERE id = $1").bind(member_id).fetch_one(&mut *tx).await?;
            let account_id: i64 = fetch_scalar!(tx, member_account_insert(&login, &name, password_hash, at));
            execute!(tx, Sql::with(
                "UPDATE members SET account_id = $1, email = $2, email_bouncing_at = CASE WHEN email = $2 THEN email_bouncing_at ELSE NULL END, terms_version = $3, terms_accepted_at = $4, updated_at = $4 WHERE id = $5",
                [account_id.into(), request.email.trim().into(), request.terms_version.trim().into(), at.into(), member_id.into()],
            ));
            execute!(tx, Sql::with("UPDATE member_invitations SET used_at = $1 WHERE token_hash = $2", [at.into(), hash.as_str().into()]));
            execute!(tx, self.member_event(member_id, at));
            let entry = NewEntry::anonymous(meta, "member.claim", "member", Some(member_id.to_string()))
                .detail(serde_json::json!({ "account_id": account_id }));
            write_audit!(tx, entry);
            member_id
        });
        let applied_to: Vec<String> = crate::store::on_read!(self, db => sqlx::query_scalar(
            "SELECT prefecture_code FROM memberships WHERE member_id = $1 ORDER BY prefecture_code")
            .bind(member_id).fetch_all(db).await?);
        Ok(Registered {
            member_id,
            login,
            applied_to,
        })
    }
}
