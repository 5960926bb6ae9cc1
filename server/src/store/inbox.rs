//! The inbox: messages to one account. It is the one path by which a feature tells an account
//! something: a producer builds a [`Notice`] and delivers it with [`notify_in_tx!`](super::notify::notify_in_tx) inside the
//! transaction of the change that causes it, so the change and its messages commit together or
//! not at all. Each recipient gets the text in its language.
//!
//! A message is readable by its recipient only: every query here is limited to the caller's
//! account, so another account's message is absent from lists and counts and answers 404.

use super::audit::{write_audit, NewEntry};
use super::sql::{bind_args, execute, fetch_page, multi_row_inserts, Arg, PagedSql, Sql};
use super::{in_write, now, on_read, Store};
use crate::error::ApiError;
use crate::scope::Actor;
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    InboxFilter, InboxMessage, Page, PageQuery, ReadAllResult, SortOrder, UnreadCount,
};
use ouen_shared::{Lang, NoticeKind};

/// A message's title and text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// The record a message is about, so the client can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// The kind of record, e.g. `member`.
    pub kind: &'static str,
    pub id: i64,
}

/// Something to tell one or more accounts, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub ja: Text,
    pub en: Text,
    pub link: Option<Link>,
    /// The organisation whose action causes the notice: its operators see the resulting
    /// e-mails in the outbox view. `None` for the system itself.
    pub origin_organisation_id: Option<i64>,
}

impl Notice {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// Someone to tell, with the language it reads: an account (its inbox), a member (its e-mail
/// address, resolved when the message is delivered), or a member with an account (both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    /// The account whose inbox receives the message; none for a member without an account.
    pub account_id: Option<i64>,
    /// The member whose e-mail address receives the message; none for an operator account.
    pub member_id: Option<i64>,
    pub lang: Lang,
}

impl Recipient {
    /// An operator account: its inbox only.
    pub fn account(account_id: i64, lang: Lang) -> Self {
        Recipient {
            account_id: Some(account_id),
            member_id: None,
            lang,
        }
    }

    /// A member: its inbox if it has an account, and its e-mail address.
    pub fn member(member_id: i64, account_id: Option<i64>, lang: Lang) -> Self {
        Recipient {
            account_id,
            member_id: Some(member_id),
            lang,
        }
    }
}

const COLUMNS: &str =
    "i.id, i.kind, i.subject, i.body, i.subject_kind, i.subject_id, i.read_at, i.created_at";

#[derive(sqlx::FromRow)]
struct InboxRow {
    id: i64,
    kind: String,
    subject: String,
    body: String,
    subject_kind: Option<String>,
    subject_id: Option<i64>,
    read_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<InboxRow> for InboxMessage {
    fn from(r: InboxRow) -> Self {
        InboxMessage {
            id: r.id,
            // Only this server writes kinds; one a newer build wrote reads as a system message.
            kind: NoticeKind::from_code(&r.kind).unwrap_or(NoticeKind::System),
            subject: r.subject,
            body: r.body,
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            read_at: r.read_at,
            created_at: r.created_at,
        }
    }
}

impl Store {
    /// The statements writing `notice` to the inbox of each of `recipients` that has an account
    /// at `at` (nothing for nobody), except members who opted out of its kind;
    /// run them in the causing change's transaction, e.g. through [`notify_in_tx!`].
    pub(crate) fn notice_statements(
        &self,
        recipients: &[Recipient],
        notice: &Notice,
        at: DateTime<Utc>,
    ) -> Vec<Sql> {
        let optional = notice.kind.can_opt_out();
        let rows: Vec<Vec<Arg>> = recipients
            .iter()
            .filter_map(|r| r.account_id.map(|account_id| (account_id, r)))
            .map(|(account_id, r)| {
                let text = notice.text(r.lang);
                let mut row: Vec<Arg> = vec![
                    account_id.into(),
                    notice.kind.code().into(),
                    text.subject.as_str().into(),
                    text.body.as_str().into(),
                    notice.link.map(|l| l.kind).into(),
                    notice.link.map(|l| l.id).into(),
                    at.into(),
                ];
                if optional {
                    row.push(r.member_id.into());
                }
                row
            })
            .collect();
        const HEAD: &str = "INSERT INTO inbox_messages (account_id, kind, subject, body, subject_kind, subject_id, created_at)";
        if !optional {
            return multi_row_inserts(self.kind(), &format!("{HEAD} VALUES "), &rows, "");
        }
        // A member who opted out of optional mail gets it in neither its inbox nor its
        // mailbox; the member's id rides along as an eighth value for the filter only.
        multi_row_inserts(
            self.kind(),
            &format!(
                "{HEAD} SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7 FROM (VALUES "
            ),
            &rows,
            &format!(") AS v WHERE {}", super::opt_out::not_opted_out("v.column8")),
        )
    }

    /// The caller's messages, newest first (or oldest first with `order=asc`), filtered and
    /// paged. The read is audited with the ids answered.
    pub async fn list_inbox(
        &self,
        actor: &Actor,
        filter: &InboxFilter,
        page: &PageQuery,
    ) -> Result<Page<InboxMessage>, ApiError> {
        page.sort_column(&["created_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let order = page.order.unwrap_or(SortOrder::Desc).sql();
        let mut filters = Sql::default();
        push_own_messages(&mut filters, actor, filter.kind, filter.unread);
        let paged = PagedSql::new(
            COLUMNS,
            "FROM inbox_messages i",
            filters,
            &format!("i.created_at {order}, i.id {order}"),
            page,
        );
        let (total, rows): (i64, Vec<InboxRow>) = fetch_page!(self, paged);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let entry = NewEntry::by(actor, "inbox.list", "account", actor.account_id).listed(
            serde_json::json!({ "kind": filter.kind, "unread": filter.unread }),
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

    /// How many of the caller's messages are unread (a number only, so not audited).
    pub async fn unread_count(&self, actor: &Actor) -> Result<UnreadCount, ApiError> {
        let sql = count_unread(actor.account_id);
        let unread: i64 = on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_one(db).await?);
        Ok(UnreadCount { unread })
    }

    /// Marks one of the caller's messages read (a message already read keeps its first time);
    /// `NotFound` for any id that is not the caller's.
    pub async fn mark_read(&self, actor: &Actor, id: i64) -> Result<InboxMessage, ApiError> {
        let at = now();
        let row: InboxRow = in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE inbox_messages SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL",
                [at.into(), id.into(), actor.account_id.into()],
            ));
            let row: Option<InboxRow> = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM inbox_messages i WHERE i.id = $1 AND i.account_id = $2"
            ))
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Err(ApiError::NotFound);
            };
            let entry = NewEntry::by(actor, "inbox.read", "inbox_message", id)
                .detail(serde_json::json!({ "changed": changed == 1 }));
            write_audit!(tx, entry);
            row
        });
        Ok(row.into())
    }

    /// Marks every unread message of the caller's read, or those of `kind`.
    pub async fn mark_all_read(
        &self,
        actor: &Actor,
        kind: Option<NoticeKind>,
    ) -> Result<ReadAllResult, ApiError> {
        let at = now();
        let mut update = Sql::new("UPDATE inbox_messages SET read_at = ");
        update
            .arg(at)
            .push(" WHERE id IN (SELECT i.id FROM inbox_messages i");
        push_own_messages(&mut update, actor, kind, Some(true));
        update.push(")");
        let count = count_unread(actor.account_id);
        let result = in_write!(self, tx => {
            let marked = execute!(tx, update);
            let unread: i64 = bind_args!(sqlx::query_scalar(&count.text), count.args)
                .fetch_one(&mut *tx)
                .await?;
            let marked = i64::try_from(marked).unwrap_or(i64::MAX);
            let entry = NewEntry::by(actor, "inbox.read_all", "account", actor.account_id)
                .detail(serde_json::json!({ "kind": kind, "marked": marked }));
            write_audit!(tx, entry);
            ReadAllResult { marked, unread }
        });
        Ok(result)
    }
}

/// Appends ` WHERE …` limiting alias `i` to the caller's own messages (its scope: nothing else
/// is ever readable), of `kind` and unread (`Some(true)`) or read (`Some(false)`) when asked.
fn push_own_messages(sql: &mut Sql, actor: &Actor, kind: Option<NoticeKind>, unread: Option<bool>) {
    sql.push(" WHERE i.account_id = ").arg(actor.account_id);
    if let Some(kind) = kind {
        sql.push(" AND i.kind = ").arg(kind.code());
    }
    match unread {
        Some(true) => {
            sql.push(" AND i.read_at IS NULL");
        }
        Some(false) => {
            sql.push(" AND i.read_at IS NOT NULL");
        }
        None => {}
    }
}

/// The unread messages of one account.
fn count_unread(account_id: i64) -> Sql {
    Sql::with(
        "SELECT COUNT(*) FROM inbox_messages i WHERE i.account_id = $1 AND i.read_at IS NULL",
        [account_id.into()],
    )
}
