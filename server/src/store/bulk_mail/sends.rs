//! Bulk mails: a preview, a send (once per idempotency key), and the history.

use super::text::{no_recipients, Checked};
use super::{may_send, push_history_scope};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, fetch_page, PagedSql, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{BulkMail, BulkMailDraft, BulkMailRequest, MailPreview, Page, PageQuery};
use ouen_shared::validate::Problem;
use ouen_shared::{FieldIssue, Lang, NoticeKind};

const COLUMNS: &str = "b.id, b.subject, b.body, b.filter, b.recipients, a.login AS author, \
     b.organisation_id, b.sent_at";
const FROM: &str = "FROM bulk_mails b LEFT JOIN accounts a ON a.id = b.author_account_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    subject: String,
    body: String,
    filter: String,
    recipients: i64,
    author: Option<String>,
    organisation_id: Option<i64>,
    sent_at: DateTime<Utc>,
}

impl Row {
    fn record(self) -> Result<BulkMail, ApiError> {
        Ok(BulkMail {
            filter: serde_json::from_str(&self.filter)
                .map_err(|e| ApiError::Internal(format!("bulk mail {} filter: {e}", self.id)))?,
            id: self.id,
            subject: self.subject,
            body: self.body,
            recipients: self.recipients,
            author: self.author,
            organisation_id: self.organisation_id,
            sent_at: self.sent_at,
        })
    }
}

/// Checks an idempotency key: 16 to 100 visible characters.
fn checked_key(key: &str) -> Result<&str, ApiError> {
    let chars = key.chars().count();
    let problem = if chars < 16 {
        Some(Problem::TooShort { min: 16 })
    } else if chars > 100 {
        Some(Problem::TooLong { max: 100 })
    } else {
        key.chars()
            .find(|c| c.is_control() || c.is_whitespace())
            .map(|character| Problem::ControlCharacter { character })
    };
    match problem {
        Some(problem) => Err(ApiError::Invalid(vec![FieldIssue::new(
            "idempotency_key",
            problem,
        )])),
        None => Ok(key),
    }
}

fn key_reused() -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        "idempotency_key",
        Problem::NotAllowed {
            ja: "この冪等キーは別の内容の送信で使用済みです。",
            en: "This idempotency key was already used for a different send.",
        },
    )])
}

/// What one attempt at a send came to.
enum Attempt {
    Sent(i64),
    /// The key was used already (by this send or a concurrent one).
    Existing(Row),
    /// A concurrent send with this key committed first: read it.
    Raced,
}

impl Store {
    /// How many members the draft would reach in the caller's scope, and the message as sent.
    pub async fn preview_bulk_mail(
        &self,
        actor: &Actor,
        draft: &BulkMailDraft,
    ) -> Result<MailPreview, ApiError> {
        may_send(actor)?;
        let text = Checked::of(&draft.subject, &draft.body)?;
        let audience = self.audience(&actor.roster_scope(), &draft.filter).await?;
        Ok(MailPreview {
            recipients: audience.recipients.len() as i64,
            opted_out: audience.opted_out,
            body: text.rendered(Lang::Ja),
            subject: text.subject,
        })
    }

    /// Sends a bulk mail to the members the filter matches in the caller's scope, once per
    /// (author, idempotency key): the record, every inbox entry and queued e-mail and the audit
    /// entry commit together. The same key again answers the first record; with other content
    /// `Conflict`; no recipient is a field error on `filter` and records nothing.
    pub async fn send_bulk_mail(
        &self,
        actor: &Actor,
        request: &BulkMailRequest,
    ) -> Result<BulkMail, ApiError> {
        may_send(actor)?;
        let key = checked_key(&request.idempotency_key)?;
        let text = Checked::of(&request.draft.subject, &request.draft.body)?;
        let filter = serde_json::to_string(&request.draft.filter)
            .map_err(|e| ApiError::Internal(format!("filter: {e}")))?;
        let same = |row: &Row| {
            row.filter == filter && row.subject == text.subject && row.body == text.body
        };
        let mut select = Sql::new(&format!(
            "SELECT {COLUMNS} {FROM} WHERE b.author_account_id = "
        ));
        select
            .arg(actor.account_id)
            .push(" AND b.idempotency_key = ")
            .arg(key);
        for _ in 0..2 {
            let audience = self
                .audience(&actor.roster_scope(), &request.draft.filter)
                .await?;
            let at = now();
            let origin = Some(actor.organisation_id);
            let attempt = in_write!(self, tx => {
                let args = select.args.clone();
                let existing: Option<Row> = bind_args!(sqlx::query_as(&select.text), args)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = existing {
                    Attempt::Existing(row)
                } else if audience.recipients.is_empty() {
                    return Err(no_recipients("filter"));
                } else {
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO bulk_mails (author_account_id, organisation_id, idempotency_key, filter, subject, body, recipients, sent_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (author_account_id, idempotency_key) DO NOTHING RETURNING id",
                    )
                    .bind(actor.account_id)
                    .bind(origin)
                    .bind(key)
                    .bind(&filter)
                    .bind(&text.subject)
                    .bind(&text.body)
                    .bind(audience.recipients.len() as i64)
                    .bind(at)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match id {
                        None => Attempt::Raced,
                        Some(id) => {
                            let notice = text.notice(NoticeKind::BulkMail, origin);
                            let inboxes = notify_in_tx!(self, tx, &audience.recipients, &notice);
                            let entry = NewEntry::by(actor, "bulk_mail.send", "bulk_mail", id)
                                .detail(serde_json::json!({
                                    "recipients": audience.recipients.len(),
                                    "inboxes": inboxes,
                                    "opted_out": audience.opted_out,
                                    "undeliverable": audience.undeliverable,
                                    "ids": audience.recipients.iter().filter_map(|r| r.member_id).collect::<Vec<_>>(),
                                }));
                            write_audit!(tx, entry);
                            Attempt::Sent(id)
                        }
                    }
                }
            });
            match attempt {
                Attempt::Sent(id) => return self.bulk_mail(actor, id).await,
                Attempt::Existing(row) if same(&row) => return row.record(),
                Attempt::Existing(_) => return Err(key_reused()),
                Attempt::Raced => continue,
            }
        }
        Err(ApiError::Busy)
    }

    /// The bulk mails sent in the caller's scope, newest first, paged.
    pub async fn list_bulk_mails(
        &self,
        actor: &Actor,
        page: &PageQuery,
    ) -> Result<Page<BulkMail>, ApiError> {
        page.sort_column(&["sent_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::default();
        push_history_scope(&mut filters, actor, "b")?;
        let paged = PagedSql::new(COLUMNS, FROM, filters, "b.sent_at DESC, b.id DESC", page);
        let (total, rows): (i64, Vec<Row>) = fetch_page!(self, paged);
        let items = rows
            .into_iter()
            .map(Row::record)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One bulk mail in the caller's scope; `NotFound` outside it.
    pub async fn bulk_mail(&self, actor: &Actor, id: i64) -> Result<BulkMail, ApiError> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
        push_history_scope(&mut sql, actor, "b")?;
        sql.push(" AND b.id = ").arg(id);
        let row: Option<Row> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)?.record()
    }
}
