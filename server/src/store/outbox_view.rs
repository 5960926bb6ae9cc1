//! The outbox as operators see it: the admin every message, a prefecture the messages its own
//! actions caused (`origin_organisation_id`), nobody else. Addresses are always masked.

use super::audit::{write_audit, NewEntry};
use super::sql::{bind_args, execute, fetch_page, PagedSql, Sql};
use super::{in_write, now, on_read, Store};
use crate::error::ApiError;
use crate::scope::Actor;
use chrono::{DateTime, Utc};
use ouen_shared::api::{OutboxCounts, OutboxFilter, OutboxMessage, OutboxStatus, Page, PageQuery};
use ouen_shared::{NoticeKind, Role};

const COLUMNS: &str = "o.id, o.member_id, m.email, o.kind, o.subject, o.status, o.attempts, \
                       o.last_error, o.created_at, o.next_attempt_at, o.sent_at";
const FROM: &str = "FROM mail_outbox o JOIN members m ON m.id = o.member_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    member_id: i64,
    email: String,
    kind: String,
    subject: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    next_attempt_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

/// `h***@example.jp`: the first character of the local part and the domain.
fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None if email.is_empty() => String::new(),
        None => "***".into(),
    }
}

impl From<Row> for OutboxMessage {
    fn from(r: Row) -> Self {
        OutboxMessage {
            id: r.id,
            member_id: r.member_id,
            recipient: mask(&r.email),
            kind: NoticeKind::from_code(&r.kind).unwrap_or(NoticeKind::System),
            subject: r.subject,
            status: OutboxStatus::from_code(&r.status).unwrap_or(OutboxStatus::Failed),
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
        }
    }
}

/// Appends ` WHERE …` limiting alias `o` to the caller's scope; `Forbidden` for a role that
/// sees no outbox.
fn push_scope(sql: &mut Sql, actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Admin => {
            sql.push(" WHERE 1 = 1");
        }
        Role::Prefecture => {
            sql.push(" WHERE o.origin_organisation_id = ")
                .arg(actor.organisation_id);
        }
        _ => return Err(ApiError::Forbidden),
    }
    Ok(())
}

impl Store {
    /// The outbox in the caller's scope, newest first, filtered and paged; the read is audited
    /// with the ids answered.
    pub async fn list_outbox(
        &self,
        actor: &Actor,
        filter: &OutboxFilter,
        page: &PageQuery,
    ) -> Result<Page<OutboxMessage>, ApiError> {
        page.sort_column(&["created_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::default();
        push_scope(&mut filters, actor)?;
        if let Some(status) = filter.status {
            filters.push(" AND o.status = ").arg(status.code());
        }
        if let Some(kind) = filter.kind {
            filters.push(" AND o.kind = ").arg(kind.code());
        }
        let paged = PagedSql::new(COLUMNS, FROM, filters, "o.created_at DESC, o.id DESC", page);
        let (total, rows): (i64, Vec<Row>) = fetch_page!(self, paged);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let entry = NewEntry::by(actor, "outbox.list", "outbox", actor.organisation_id).listed(
            serde_json::json!({ "status": filter.status, "kind": filter.kind }),
            page,
            total,
            &ids,
        );
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(Page::of(
            rows.into_iter().map(Into::into).collect(),
            total,
            page,
        ))
    }

    /// Messages in each state in the caller's scope (numbers only, so not audited).
    pub async fn outbox_counts(&self, actor: &Actor) -> Result<OutboxCounts, ApiError> {
        let mut sql = Sql::new("SELECT o.status, COUNT(*) FROM mail_outbox o");
        push_scope(&mut sql, actor)?;
        sql.push(" GROUP BY o.status");
        let rows: Vec<(String, i64)> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        let of = |s: &str| {
            rows.iter()
                .find(|(k, _)| k == s)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        Ok(OutboxCounts {
            queued: of("queued"),
            sending: of("sending"),
            sent: of("sent"),
            failed: of("failed"),
        })
    }

    /// Queues a failed message again, due now; `NotFound` outside the caller's scope,
    /// `Conflict` when it has not failed. Audited.
    pub async fn retry_mail(&self, actor: &Actor, id: i64) -> Result<OutboxMessage, ApiError> {
        if !actor.may_write() {
            return Err(ApiError::Forbidden);
        }
        let at = now();
        let mut select = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
        push_scope(&mut select, actor)?;
        select.push(" AND o.id = ").arg(id);
        let row: Row = in_write!(self, tx => {
            let found: Option<Row> = bind_args!(sqlx::query_as(&select.text), select.args)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(found) = found else {
                return Err(ApiError::NotFound);
            };
            if found.status != "failed" {
                return Err(not_failed());
            }
            execute!(tx, Sql::with(
                "UPDATE mail_outbox SET status = 'queued', next_attempt_at = $1, attempts = 0 WHERE id = $2 AND status = 'failed'",
                [at.into(), id.into()],
            ));
            let entry = NewEntry::by(actor, "outbox.retry", "outbox_message", id)
                .detail(serde_json::json!({ "attempts": found.attempts, "last_error": found.last_error }));
            write_audit!(tx, entry);
            Row { status: "queued".into(), attempts: 0, next_attempt_at: at, ..found }
        });
        self.outbox.poke();
        Ok(row.into())
    }
}

fn not_failed() -> ApiError {
    ApiError::Conflict(vec![ouen_shared::FieldIssue::new(
        "status",
        ouen_shared::validate::Problem::NotAllowed {
            ja: "送信に失敗したメールだけを再送できます。",
            en: "Only a message that failed can be sent again.",
        },
    )])
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_masked() {
        assert_eq!(super::mask("hanako@example.jp"), "h***@example.jp");
        assert_eq!(super::mask(""), "");
        assert_eq!(super::mask("odd"), "***");
    }
}
