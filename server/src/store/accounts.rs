//! Accounts, read and changed within the caller's scope.

use super::audit::{write_audit, NewEntry};
use super::sql::{bind_args, fetch_page, PagedSql, Sql};
use super::{in_write, on_read, Store};
use crate::error::ApiError;
use crate::policy;
use crate::scope::{Actor, RequestMeta, Scope};
use chrono::{DateTime, Utc};
use ouen_shared::api::{Account, AccountFilter, Page, PageQuery};
use ouen_shared::text::{escape_like, fold};
use ouen_shared::{OrgKind, Problem, Role};

const COLUMNS: &str = "a.id, a.login, a.display_name, a.role, a.organisation_id, o.name AS organisation_name, \
     o.kind AS organisation_kind, o.prefecture_code, o.municipality_code, (a.disabled_at IS NOT NULL) AS disabled, a.created_at";
const FROM: &str = "FROM accounts a JOIN organisations o ON o.id = a.organisation_id";

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    login: String,
    display_name: String,
    role: String,
    organisation_id: i64,
    organisation_name: String,
    organisation_kind: String,
    prefecture_code: Option<String>,
    municipality_code: Option<String>,
    disabled: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<AccountRow> for Account {
    type Error = ApiError;
    fn try_from(r: AccountRow) -> Result<Self, ApiError> {
        Ok(Account {
            id: r.id,
            login: r.login,
            display_name: r.display_name,
            role: Role::from_code(&r.role)
                .ok_or_else(|| ApiError::Internal(format!("unknown role {}", r.role)))?,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            organisation_kind: OrgKind::from_code(&r.organisation_kind).ok_or_else(|| {
                ApiError::Internal(format!("unknown kind {}", r.organisation_kind))
            })?,
            prefecture_code: r.prefecture_code,
            municipality_code: r.municipality_code,
            disabled: r.disabled,
            created_at: r.created_at,
        })
    }
}

/// Where a new account goes.
#[derive(Debug, Clone)]
pub enum AccountHome {
    /// The ministry's or the association's own organisation.
    Seeded(&'static str),
    /// A prefecture, by its two-digit code.
    Prefecture(String),
    /// A city or special ward, by its local-government code; its organisation is created on
    /// first use under its prefecture.
    City {
        municipality_code: String,
        name: String,
    },
    /// An existing institution or partner.
    Organisation(i64),
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub home: AccountHome,
}

impl Store {
    /// Lists the accounts the actor can see.
    pub async fn list_accounts(
        &self,
        actor: &Actor,
        filter: &AccountFilter,
        page: &PageQuery,
    ) -> Result<Page<Account>, ApiError> {
        let column = match page
            .sort_column(&[
                "login",
                "display_name",
                "role",
                "organisation",
                "created_at",
            ])
            .map_err(|i| ApiError::Invalid(vec![i]))?
        {
            "login" => "a.login",
            "display_name" => "a.search_fold",
            "role" => "a.role",
            "organisation" => "o.name_fold",
            _ => "a.created_at",
        };
        let mut filters = Sql::new(" WHERE ");
        actor.push_account_visibility(&mut filters, "a", "o");
        if let Some(q) = filter.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
            filters
                .push(" AND a.search_fold LIKE ")
                .arg(format!("%{}%", escape_like(&q)))
                .push(" ESCAPE '\\'");
        }
        if let Some(role) = filter.role {
            filters.push(" AND a.role = ").arg(role.code());
        }
        if let Some(org) = filter.organisation_id {
            filters.push(" AND a.organisation_id = ").arg(org);
        }
        match filter.disabled {
            Some(true) => filters.push(" AND a.disabled_at IS NOT NULL"),
            Some(false) => filters.push(" AND a.disabled_at IS NULL"),
            None => &mut filters,
        };
        let order = page.order.unwrap_or_default().sql();
        let paged = PagedSql::new(
            COLUMNS,
            FROM,
            filters,
            &format!("{column} {order}, a.id {order}"),
            page,
        );
        let (total, rows): (i64, Vec<AccountRow>) = fetch_page!(self, paged);
        let items = rows
            .into_iter()
            .map(Account::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One account, or `NotFound` when it does not exist or is outside the actor's scope.
    pub async fn get_account(&self, actor: &Actor, id: i64) -> Result<Account, ApiError> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} {FROM} WHERE a.id = "));
        sql.arg(id).push(" AND ");
        actor.push_account_visibility(&mut sql, "a", "o");
        let row: Option<AccountRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)?.try_into()
    }

    /// Reads one account as a record of a person: audited.
    pub async fn read_account(&self, actor: &Actor, id: i64) -> Result<Account, ApiError> {
        let account = self.get_account(actor, id).await?;
        self.append_audit(NewEntry::by(actor, "account.read", "account", id))
            .await?;
        Ok(account)
    }

    /// Issues an account where the actor may: its level, role and home are checked against the
    /// actor's scope inside the same transaction that writes it.
    pub async fn create_account(
        &self,
        actor: &Actor,
        new: NewAccount,
    ) -> Result<Account, ApiError> {
        if !policy::may_issue(actor.role, new.role) {
            return Err(ApiError::Forbidden);
        }
        let outside = |field: &str| ApiError::invalid(field, Problem::OutsideScope);
        match (&new.home, actor.scope()) {
            (_, Scope::Everything) => {}
            (AccountHome::Prefecture(code), Scope::Prefecture(own)) if *code == own => {}
            (AccountHome::Prefecture(_), _) => return Err(outside("prefecture_code")),
            (
                AccountHome::City {
                    municipality_code, ..
                },
                Scope::Prefecture(own),
            ) if municipality_code.starts_with(&own) => {}
            (
                AccountHome::City {
                    municipality_code, ..
                },
                Scope::City { organisation_id },
            ) => {
                let own = self.get_organisation(actor, organisation_id).await?;
                if own.municipality_code.as_deref() != Some(municipality_code.as_str()) {
                    return Err(outside("municipality_code"));
                }
            }
            (AccountHome::City { .. }, _) => return Err(outside("municipality_code")),
            (AccountHome::Seeded(_) | AccountHome::Organisation(_), _) => {
                return Err(ApiError::Forbidden)
            }
        }
        let id = self
            .insert_account(&new, Some(actor), &actor.request)
            .await?;
        self.get_account(actor, id).await
    }

    /// Creates an admin account from the command line (no actor yet: this is how the first one
    /// comes to be).
    pub async fn create_admin_from_cli(
        &self,
        login: &str,
        display_name: &str,
        password_hash: String,
    ) -> Result<i64, ApiError> {
        let new = NewAccount {
            login: login.to_string(),
            display_name: display_name.to_string(),
            role: Role::Admin,
            password_hash,
            home: AccountHome::Seeded("admin"),
        };
        let meta = RequestMeta {
            request_id: None,
            ip: Some("cli".into()),
        };
        self.insert_account(&new, None, &meta).await
    }

    async fn insert_account(
        &self,
        new: &NewAccount,
        actor: Option<&Actor>,
        meta: &RequestMeta,
    ) -> Result<i64, ApiError> {
        let login = ouen_shared::validate::normalize_login(&new.login);
        let display_name = new.display_name.trim().to_string();
        let search = fold(&format!("{login} {display_name}"));
        let at = super::now();
        let id = in_write!(self, tx => {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE login = $1")
                .bind(login.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(ApiError::taken("login"));
            }
            let organisation_id: i64 = match &new.home {
                AccountHome::Seeded(key) => {
                    sqlx::query_scalar("SELECT id FROM organisations WHERE seed_key = $1").bind(*key).fetch_one(&mut *tx).await?
                }
                AccountHome::Prefecture(code) => sqlx::query_scalar("SELECT id FROM organisations WHERE seed_key = $1")
                    .bind(format!("pref:{code}"))
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| ApiError::invalid("prefecture_code", Problem::UnknownPrefecture))?,
                AccountHome::City { municipality_code, name } => {
                    let prefecture = &municipality_code[..2];
                    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE municipality_code = $1")
                        .bind(municipality_code.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                    match existing {
                        Some(id) => id,
                        None => {
                            let parent: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE seed_key = $1")
                                .bind(format!("pref:{prefecture}"))
                                .fetch_one(&mut *tx)
                                .await?;
                            let id: i64 = sqlx::query_scalar(
                                "INSERT INTO organisations (kind, name, name_fold, prefecture_code, municipality_code, parent_id, created_at) \
                                 VALUES ('city', $1, $2, $3, $4, $5, $6) RETURNING id",
                            )
                            .bind(name.as_str())
                            .bind(fold(name))
                            .bind(prefecture)
                            .bind(municipality_code.as_str())
                            .bind(parent)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await?;
                            let mut entry = NewEntry::anonymous(meta, "organisation.create", "organisation", Some(id.to_string()))
                                .detail(serde_json::json!({ "kind": "city", "name": name, "municipality_code": municipality_code }));
                            entry.actor_id = actor.map(|a| a.account_id);
                            write_audit!(tx, entry);
                            id
                        }
                    }
                }
                AccountHome::Organisation(id) => {
                    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
                        .bind(*id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if kind.as_deref() != Some(new.role.org_kind().code()) {
                        return Err(ApiError::invalid("organisation_id", Problem::UnknownValue));
                    }
                    *id
                }
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(login.as_str())
            .bind(display_name.as_str())
            .bind(search.as_str())
            .bind(new.role.code())
            .bind(organisation_id)
            .bind(new.password_hash.as_str())
            .bind(at)
            .bind(actor.map(|a| a.account_id))
            .fetch_one(&mut *tx)
            .await?;
            let mut entry = NewEntry::anonymous(meta, "account.create", "account", Some(id.to_string())).detail(
                serde_json::json!({
                    "role": new.role.code(),
                    "organisation_id": organisation_id,
                    "via": if actor.is_some() { "api" } else { "command_line" },
                }),
            );
            entry.actor_id = actor.map(|a| a.account_id);
            write_audit!(tx, entry);
            id
        });
        Ok(id)
    }

    /// Disables or re-enables an account the actor manages; disabling ends its sessions.
    pub async fn set_account_disabled(
        &self,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> Result<Account, ApiError> {
        let target = self.get_account(actor, id).await?;
        if !policy::may_manage_account(actor, &target) {
            return Err(ApiError::Forbidden);
        }
        let at = super::now();
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        in_write!(self, tx => {
            if disabled {
                sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *tx).await?;
            } else {
                sqlx::query("UPDATE accounts SET disabled_at = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
            }
            write_audit!(tx, NewEntry::by(actor, action, "account", id));
        });
        self.get_account(actor, id).await
    }

    /// Sets a new password for an account the actor manages and ends its sessions.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
        password_hash: String,
    ) -> Result<(), ApiError> {
        let target = self.get_account(actor, id).await?;
        if !policy::may_manage_account(actor, &target) {
            return Err(ApiError::Forbidden);
        }
        self.write_password(
            id,
            password_hash,
            None,
            NewEntry::by(actor, "account.password_reset", "account", id),
        )
        .await
    }

    /// The password hash of the actor's own account (to check the current password).
    pub async fn own_password_hash(&self, actor: &Actor) -> Result<String, ApiError> {
        let hash: String = on_read!(self, db => {
            sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1").bind(actor.account_id).fetch_one(db).await?
        });
        Ok(hash)
    }

    /// Changes the actor's own password; every other session of the account ends.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: String,
    ) -> Result<(), ApiError> {
        let entry = NewEntry::by(
            actor,
            "account.password_change",
            "account",
            actor.account_id,
        );
        self.write_password(
            actor.account_id,
            password_hash,
            Some(actor.session_token_hash.as_str()),
            entry,
        )
        .await
    }

    async fn write_password(
        &self,
        id: i64,
        password_hash: String,
        keep_session: Option<&str>,
        entry: NewEntry,
    ) -> Result<(), ApiError> {
        let at = super::now();
        in_write!(self, tx => {
            sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash.as_str())
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
                .bind(id)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, entry);
        });
        Ok(())
    }
}
