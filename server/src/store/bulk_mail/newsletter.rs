//! The newsletter (メールマガジン): issues drafted, previewed, and sent once to the
//! subscribers of the publishing organisation. Subscribers are the members in the publisher's
//! roster scope with an approved membership, a deliverable address and no opt-out.

use super::text::{no_recipients, Checked};
use super::{may_send, push_history_scope};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::members::audience::Audience;
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, fetch_page, PagedSql, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    IssueDraft, IssueStatus, MailPreview, MemberFilter, NewsletterIssue, Page, PageQuery,
};
use ouen_shared::validate::Problem;
use ouen_shared::{FieldIssue, Lang, NoticeKind};

const COLUMNS: &str = "n.id, n.organisation_id, n.status, n.subject, n.body, a.login AS author, \
     n.created_at, n.updated_at, n.sent_at, n.recipients";
const FROM: &str = "FROM newsletter_issues n LEFT JOIN accounts a ON a.id = n.author_account_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    organisation_id: Option<i64>,
    status: String,
    subject: String,
    body: String,
    author: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    recipients: Option<i64>,
}

impl Row {
    fn issue(self) -> Result<NewsletterIssue, ApiError> {
        Ok(NewsletterIssue {
            status: IssueStatus::from_code(&self.status).ok_or_else(|| {
                ApiError::Internal(format!("issue {} status {}", self.id, self.status))
            })?,
            id: self.id,
            organisation_id: self.organisation_id,
            subject: self.subject,
            body: self.body,
            author: self.author,
            created_at: self.created_at,
            updated_at: self.updated_at,
            sent_at: self.sent_at,
            recipients: self.recipients,
        })
    }
}

/// The filter choosing a newsletter's subscribers: approved memberships in the scope.
fn subscribers() -> MemberFilter {
    MemberFilter {
        status: Some("approved".to_string()),
        ..MemberFilter::default()
    }
}

fn already_sent() -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        "status",
        Problem::NotAllowed {
            ja: "この号は送信済みのため変更・再送信できません。",
            en: "This issue was sent already; it can no longer change or be sent again.",
        },
    )])
}

impl Store {
    async fn subscribers(&self, actor: &Actor) -> Result<Audience, ApiError> {
        self.audience(&actor.roster_scope(), &subscribers()).await
    }

    async fn issue_row(&self, actor: &Actor, id: i64) -> Result<Row, ApiError> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
        push_history_scope(&mut sql, actor, "n")?;
        sql.push(" AND n.id = ").arg(id);
        let row: Option<Row> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    /// The newsletter issues in the caller's scope, newest first, paged.
    pub async fn list_issues(
        &self,
        actor: &Actor,
        page: &PageQuery,
    ) -> Result<Page<NewsletterIssue>, ApiError> {
        page.sort_column(&["created_at"])
            .map_err(|issue| ApiError::Invalid(vec![issue]))?;
        let mut filters = Sql::default();
        push_history_scope(&mut filters, actor, "n")?;
        let paged = PagedSql::new(COLUMNS, FROM, filters, "n.created_at DESC, n.id DESC", page);
        let (total, rows): (i64, Vec<Row>) = fetch_page!(self, paged);
        let items = rows.into_iter().map(Row::issue).collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One issue in the caller's scope; `NotFound` outside it.
    pub async fn issue(&self, actor: &Actor, id: i64) -> Result<NewsletterIssue, ApiError> {
        self.issue_row(actor, id).await?.issue()
    }

    /// Drafts an issue for the caller's organisation. Audited.
    pub async fn create_issue(
        &self,
        actor: &Actor,
        draft: &IssueDraft,
    ) -> Result<NewsletterIssue, ApiError> {
        may_send(actor)?;
        let text = Checked::of(&draft.subject, &draft.body)?;
        let at = now();
        let id: i64 = in_write!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO newsletter_issues (organisation_id, author_account_id, status, subject, body, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(actor.organisation_id)
            .bind(actor.account_id)
            .bind(IssueStatus::Draft.code())
            .bind(&text.subject)
            .bind(&text.body)
            .bind(at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            write_audit!(tx, NewEntry::by(actor, "newsletter.create", "newsletter_issue", id));
            id
        });
        self.issue(actor, id).await
    }

    /// Rewrites a draft issue; `Conflict` once it was sent. Audited.
    pub async fn update_issue(
        &self,
        actor: &Actor,
        id: i64,
        draft: &IssueDraft,
    ) -> Result<NewsletterIssue, ApiError> {
        self.issue_row(actor, id).await?;
        let text = Checked::of(&draft.subject, &draft.body)?;
        let at = now();
        in_write!(self, tx => {
            let changed = sqlx::query(
                "UPDATE newsletter_issues SET subject = $1, body = $2, updated_at = $3 WHERE id = $4 AND status = $5",
            )
            .bind(&text.subject)
            .bind(&text.body)
            .bind(at)
            .bind(id)
            .bind(IssueStatus::Draft.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(already_sent());
            }
            write_audit!(tx, NewEntry::by(actor, "newsletter.update", "newsletter_issue", id));
        });
        self.issue(actor, id).await
    }

    /// How many subscribers the issue would reach, and its text as they read it.
    pub async fn preview_issue(&self, actor: &Actor, id: i64) -> Result<MailPreview, ApiError> {
        let row = self.issue_row(actor, id).await?;
        let text = Checked {
            subject: row.subject,
            body: row.body,
        };
        let audience = self.subscribers(actor).await?;
        Ok(MailPreview {
            recipients: audience.recipients.len() as i64,
            opted_out: audience.opted_out,
            body: text.rendered(Lang::Ja),
            subject: text.subject,
        })
    }

    /// Sends a draft issue to its subscribers: the state change, every notice and the audit
    /// entry commit together; a second send is `Conflict` and reaches nobody.
    pub async fn send_issue(&self, actor: &Actor, id: i64) -> Result<NewsletterIssue, ApiError> {
        let row = self.issue_row(actor, id).await?;
        if row.status != IssueStatus::Draft.code() {
            return Err(already_sent());
        }
        let audience = self.subscribers(actor).await?;
        if audience.recipients.is_empty() {
            return Err(no_recipients("subscribers"));
        }
        let at = now();
        in_write!(self, tx => {
            // Taking the draft state in the statement lets only one concurrent send through.
            let text: Option<(String, String, Option<i64>)> = sqlx::query_as(
                "UPDATE newsletter_issues SET status = $1, sent_at = $2, recipients = $3, updated_at = $4 \
                 WHERE id = $5 AND status = $6 RETURNING subject, body, organisation_id",
            )
            .bind(IssueStatus::Sent.code())
            .bind(at)
            .bind(audience.recipients.len() as i64)
            .bind(at)
            .bind(id)
            .bind(IssueStatus::Draft.code())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((subject, body, origin)) = text else {
                return Err(already_sent());
            };
            let notice = Checked { subject, body }.notice(NoticeKind::Newsletter, origin);
            let inboxes = notify_in_tx!(self, tx, &audience.recipients, &notice);
            let entry = NewEntry::by(actor, "newsletter.send", "newsletter_issue", id).detail(
                serde_json::json!({
                    "recipients": audience.recipients.len(),
                    "inboxes": inboxes,
                    "opted_out": audience.opted_out,
                    "undeliverable": audience.undeliverable,
                }),
            );
            write_audit!(tx, entry);
        });
        self.issue(actor, id).await
    }
}
