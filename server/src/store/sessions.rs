//! Sessions: opaque bearer tokens stored only as hashes, with expiry, logout and revoke-all.

use super::audit::{write_audit, NewEntry};
use super::{in_write, on_read, Store};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use chrono::{DateTime, Utc};
use ouen_shared::{OrgKind, Role};

#[derive(sqlx::FromRow)]
struct ActorRow {
    account_id: i64,
    login: String,
    display_name: String,
    role: String,
    organisation_id: i64,
    organisation_name: String,
    organisation_kind: String,
    prefecture_code: Option<String>,
    expires_at: DateTime<Utc>,
}

/// What the login flow needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginCandidate {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub disabled: bool,
}

impl Store {
    /// Turns a session token hash into the actor it belongs to, if the session is live and the
    /// account enabled. This is the one read that happens before a scope exists.
    pub async fn actor_for_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        request: RequestMeta,
    ) -> Result<Option<Actor>, ApiError> {
        let row: Option<ActorRow> = on_read!(self, db => {
            sqlx::query_as(
                "SELECT a.id AS account_id, a.login, a.display_name, a.role, a.organisation_id, \
                        o.name AS organisation_name, o.kind AS organisation_kind, o.prefecture_code, s.expires_at \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN organisations o ON o.id = a.organisation_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(db)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        let role = Role::from_code(&row.role)
            .ok_or_else(|| ApiError::Internal(format!("unknown role {}", row.role)))?;
        let organisation_kind = OrgKind::from_code(&row.organisation_kind).ok_or_else(|| {
            ApiError::Internal(format!(
                "unknown organisation kind {}",
                row.organisation_kind
            ))
        })?;
        Ok(Some(Actor {
            account_id: row.account_id,
            login: row.login,
            display_name: row.display_name,
            role,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            organisation_kind,
            prefecture_code: row.prefecture_code,
            session_token_hash: token_hash.to_string(),
            session_expires_at: row.expires_at,
            request,
        }))
    }

    /// The account a login names (logins are case-insensitive and stored in lower case).
    pub async fn login_candidate(&self, login: &str) -> Result<Option<LoginCandidate>, ApiError> {
        let login = ouen_shared::validate::normalize_login(login);
        let row = on_read!(self, db => {
            sqlx::query_as::<_, LoginCandidate>(
                "SELECT id, login, password_hash, (disabled_at IS NOT NULL) AS disabled FROM accounts WHERE login = $1",
            )
            .bind(login.as_str())
            .fetch_optional(db)
            .await?
        });
        Ok(row)
    }

    /// Starts a session; also drops the account's expired sessions.
    pub async fn create_session(
        &self,
        account: &LoginCandidate,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        meta: &RequestMeta,
    ) -> Result<(), ApiError> {
        let now = super::now();
        let mut entry = NewEntry::anonymous(
            meta,
            "session.create",
            "account",
            Some(account.id.to_string()),
        );
        entry.actor_id = Some(account.id);
        in_write!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND expires_at <= $2")
                .bind(account.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(account.id)
                .bind(now)
                .bind(expires_at)
                .bind(meta.ip.as_deref())
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, entry);
        });
        Ok(())
    }

    /// Ends the actor's current session (logout).
    pub async fn end_session(&self, actor: &Actor) -> Result<(), ApiError> {
        let entry = NewEntry::by(actor, "session.delete", "account", actor.account_id);
        in_write!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(actor.session_token_hash.as_str())
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, entry);
        });
        Ok(())
    }

    /// Ends every session of the actor's account, the current one included.
    pub async fn revoke_all_sessions(&self, actor: &Actor) -> Result<i64, ApiError> {
        let revoked = in_write!(self, tx => {
            let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(actor.account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
            let entry = NewEntry::by(actor, "session.revoke_all", "account", actor.account_id)
                .detail(serde_json::json!({ "revoked": done }));
            write_audit!(tx, entry);
            done
        });
        Ok(revoked)
    }

    /// Records a login attempt that did not succeed (wrong password, unknown login, throttled).
    /// The typed login is not kept: an attempt on an existing account names the account by id
    /// (so its login is resolved when the log is read, and erased with the account); the
    /// caller passes the account it already looked up.
    pub async fn audit_login_attempt(
        &self,
        meta: &RequestMeta,
        action: &'static str,
        account_id: Option<i64>,
    ) -> Result<(), ApiError> {
        let entry =
            NewEntry::anonymous(meta, action, "account", account_id.map(|id| id.to_string()))
                .detail(serde_json::json!({ "known_login": account_id.is_some() }));
        self.append_audit(entry).await
    }
}
