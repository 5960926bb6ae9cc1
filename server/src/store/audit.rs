//! The append-only audit log: every change and every read of a person's record.
//!
//! Entries name people only by id (the acting account, the target): the login shown with an
//! entry is the account's current one, joined when the log is read, and details never copy a
//! person's values (names, contact details, notes, free-text reasons or searches). Erasing a
//! person's rows therefore erases them from the log too, while the entries themselves stay.

use super::sql::{bind_args, fetch_page, PagedSql, Sql};
use super::Store;
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta, Scope};
use chrono::{DateTime, Utc};
use ouen_shared::api::{AuditEntry, AuditFilter, Page, PageQuery};

/// An entry about to be written.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

impl NewEntry {
    /// An action by an authenticated actor.
    pub fn by(
        actor: &Actor,
        action: &'static str,
        target_type: &'static str,
        target_id: impl ToString,
    ) -> Self {
        NewEntry {
            at: super::now(),
            actor_id: Some(actor.account_id),
            action,
            target_type,
            target_id: Some(target_id.to_string()),
            request_id: actor.request.request_id.clone(),
            ip: actor.request.ip.clone(),
            detail: None,
        }
    }

    /// An action without an authenticated actor (a login attempt, the command line).
    pub fn anonymous(
        meta: &RequestMeta,
        action: &'static str,
        target_type: &'static str,
        target_id: Option<String>,
    ) -> Self {
        NewEntry {
            at: super::now(),
            actor_id: None,
            action,
            target_type,
            target_id,
            request_id: meta.request_id.clone(),
            ip: meta.ip.clone(),
            detail: None,
        }
    }

    /// Attaches details (a JSON value; never secrets, never a person's values: refer by id).
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail.to_string());
        self
    }

    /// Attaches the details of a list read: the filters asked for (a JSON object), with the
    /// page, the total matching and the ids answered added to it.
    pub fn listed(
        self,
        mut filters: serde_json::Value,
        page: &PageQuery,
        total: i64,
        ids: &[i64],
    ) -> Self {
        if let Some(fields) = filters.as_object_mut() {
            fields.insert("page".into(), page.page().into());
            fields.insert("total".into(), total.into());
            fields.insert("ids".into(), ids.into());
        }
        self.detail(filters)
    }
}

/// Appends an entry inside the current transaction (`$tx`).
macro_rules! write_audit {
    ($tx:expr, $entry:expr) => {{
        let entry: &$crate::store::audit::NewEntry = &$entry;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, request_id, ip, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.at)
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.target_type)
        .bind(entry.target_id.as_deref())
        .bind(entry.request_id.as_deref())
        .bind(entry.ip.as_deref())
        .bind(entry.detail.as_deref())
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use write_audit;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    /// The acting account's current login, joined.
    actor_login: Option<String>,
    action: String,
    target_type: String,
    target_id: Option<String>,
    request_id: Option<String>,
    ip: Option<String>,
    detail: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_login: r.actor_login,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            request_id: r.request_id,
            ip: r.ip,
            detail: r.detail,
        }
    }
}

impl Store {
    /// Appends one entry on its own (for actions that change nothing else, such as reads).
    pub async fn append_audit(&self, entry: NewEntry) -> Result<(), ApiError> {
        super::in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(())
    }

    /// Lists audit entries, newest first. Only national and admin read the log.
    pub async fn list_audit(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: &PageQuery,
    ) -> Result<Page<AuditEntry>, ApiError> {
        if actor.scope() != Scope::Everything {
            return Err(ApiError::Forbidden);
        }
        let order = page.order.unwrap_or(ouen_shared::api::SortOrder::Desc);
        let column = match page
            .sort_column(&["at", "action", "actor_login"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?
        {
            "actor_login" => "a.login",
            "action" => "l.action",
            _ => "l.at",
        };
        let mut filters = Sql::new(" WHERE TRUE");
        if let Some(action) = &filter.action {
            if let Some(prefix) = action.strip_suffix('.') {
                filters
                    .push(" AND l.action LIKE ")
                    .arg(format!("{}.%", ouen_shared::text::escape_like(prefix)))
                    .push(" ESCAPE '\\'");
            } else {
                filters.push(" AND l.action = ").arg(action.as_str());
            }
        }
        if let Some(actor_id) = filter.actor_id {
            filters.push(" AND l.actor_id = ").arg(actor_id);
        }
        if let Some(t) = &filter.target_type {
            filters.push(" AND l.target_type = ").arg(t.as_str());
        }
        if let Some(t) = &filter.target_id {
            filters.push(" AND l.target_id = ").arg(t.as_str());
        }
        if let Some(r) = &filter.request_id {
            filters.push(" AND l.request_id = ").arg(r.as_str());
        }
        if let Some(since) = filter.since {
            filters.push(" AND l.at >= ").arg(since);
        }
        if let Some(until) = filter.until {
            filters.push(" AND l.at < ").arg(until);
        }
        let paged = PagedSql::new(
            "l.id, l.at, l.actor_id, a.login AS actor_login, l.action, l.target_type, l.target_id, \
             l.request_id, l.ip, l.detail",
            "FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id",
            filters,
            &format!("{column} {order}, l.id {order}", order = order.sql()),
            page,
        );
        let (total, rows): (i64, Vec<AuditRow>) = fetch_page!(self, paged);
        Ok(Page::of(
            rows.into_iter().map(Into::into).collect(),
            total,
            page,
        ))
    }
}
