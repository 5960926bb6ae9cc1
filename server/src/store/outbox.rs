//! The e-mail outbox: every notice to a member is also one row here, written by
//! [`notify_in_tx!`](super::inbox::notify_in_tx) in the transaction of the change that causes it,
//! so a committed change never loses its e-mail. A worker ([`crate::mail`]) claims due rows with
//! a lease, delivers them and records the outcome; a lease that runs out (its worker died) makes
//! the row claimable again, so delivery is at-least-once and a repeat carries the same
//! `Message-ID`.

use super::inbox::{Notice, Recipient};
use super::opt_out::{new_opt_out_token, not_opted_out};
use super::sql::{bind_args, execute, multi_row_inserts, Arg, Sql};
use super::{in_write, on_read, Store};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use rand::RngCore;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::Notify;

/// The outbox's shared state in a store: the worker's wake-up and the domain of new Message-IDs.
#[derive(Debug)]
pub struct OutboxSignal {
    wake: Notify,
    pending: AtomicBool,
    domain: RwLock<String>,
}

impl Default for OutboxSignal {
    fn default() -> Self {
        OutboxSignal {
            wake: Notify::new(),
            pending: AtomicBool::new(false),
            domain: RwLock::new("ouen.invalid".into()),
        }
    }
}

impl OutboxSignal {
    /// Called by `in_write!` after every commit: wakes the worker if the transaction queued mail.
    pub(crate) fn committed(&self) {
        if self.pending.swap(false, Ordering::AcqRel) {
            self.wake.notify_one();
        }
    }

    /// Marks that the transaction in progress queues mail.
    pub(crate) fn queued(&self) {
        self.pending.store(true, Ordering::Release);
    }

    /// Resolves when mail was committed since the last call.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Wakes the worker (e.g. after a retry is requested).
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    fn domain(&self) -> String {
        self.domain
            .read()
            .map(|d| d.clone())
            .unwrap_or_else(|_| "ouen.invalid".into())
    }
}

/// A `Message-ID` value that no other message has: `<outbox-{32 hex}@{domain}>`.
fn new_message_id(domain: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("<outbox-{}@{domain}>", hex::encode(bytes))
}

/// Members per token statement (two parameters each, one more for the id list).
const TOKENS_PER_STATEMENT: usize = 300;

/// Statements giving each of `member_ids` that has none (and is not anonymised) a new opt-out
/// token: `UPDATE members SET mail_opt_out_token = CASE id WHEN … THEN … END WHERE …`.
fn opt_out_token_statements(member_ids: &[i64]) -> Vec<Sql> {
    member_ids
        .chunks(TOKENS_PER_STATEMENT)
        .map(|chunk| {
            let mut sql = Sql::new("UPDATE members SET mail_opt_out_token = CASE id");
            for id in chunk {
                sql.push(" WHEN ")
                    .arg(*id)
                    .push(" THEN ")
                    .arg(new_opt_out_token());
            }
            sql.push(" END WHERE mail_opt_out_token IS NULL AND anonymised_at IS NULL AND id IN ")
                .list(chunk);
            sql
        })
        .collect()
}

/// A message claimed for delivery, with the address it goes to (resolved now).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedMail {
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    /// Attempts including this one.
    pub attempts: i64,
    /// The member's address when claimed; none when its record was anonymised (or holds none).
    pub address: Option<String>,
    /// The recipient's language (`ja` or `en`), that of the text.
    pub lang: String,
    /// The member's opt-out token when claimed (for the link in optional mail).
    pub opt_out_token: Option<String>,
    /// For a message about a dispatch request the member was asked (or one of its seats or
    /// reports there), its personal answer token (for the link to its pages).
    pub answer_token: Option<String>,
    /// For a message about a seat to report or a report, the seat (for the link to the
    /// report page).
    pub report_assignment: Option<i64>,
    /// Whether the member had opted out of optional mail when the message was claimed.
    pub opted_out: bool,
}

/// Where one message stands (for operators' tools and tests).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailState {
    pub id: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub message_id: String,
}

/// The columns of a claimed message, its recipient's address read in the same statement.
const CLAIMED: &str = "id, member_id, kind, subject, body, message_id, attempts, lang, \
    (SELECT m.email FROM members m WHERE m.id = mail_outbox.member_id AND m.anonymised_at IS NULL AND m.email <> '') AS address, \
    (SELECT m.mail_opt_out_token FROM members m WHERE m.id = mail_outbox.member_id AND m.anonymised_at IS NULL) AS opt_out_token, \
    (SELECT k.answer_token FROM dispatch_asks k WHERE k.member_id = mail_outbox.member_id AND k.request_id = (CASE mail_outbox.subject_kind \
        WHEN 'dispatch_request' THEN mail_outbox.subject_id \
        WHEN 'dispatch_assignment' THEN (SELECT a.request_id FROM dispatch_assignments a WHERE a.id = mail_outbox.subject_id) \
        WHEN 'daily_report' THEN (SELECT r.request_id FROM daily_reports r WHERE r.id = mail_outbox.subject_id) END)) AS answer_token, \
    (CASE mail_outbox.subject_kind \
        WHEN 'dispatch_assignment' THEN mail_outbox.subject_id \
        WHEN 'daily_report' THEN (SELECT r.assignment_id FROM daily_reports r WHERE r.id = mail_outbox.subject_id) END) AS report_assignment, \
    EXISTS (SELECT 1 FROM members m WHERE m.id = mail_outbox.member_id AND m.mail_opt_out_at IS NOT NULL) AS opted_out";

impl Store {
    /// The outbox's wake-up signal, shared by every clone of this store.
    pub fn outbox_signal(&self) -> Arc<OutboxSignal> {
        self.outbox.clone()
    }

    /// Sets the domain of the Message-IDs generated from now on (the sender address's domain).
    pub fn set_mail_domain(&self, domain: &str) {
        if let Ok(mut d) = self.outbox.domain.write() {
            *d = domain.to_string();
        }
    }

    /// The statements queuing `notice` as an e-mail to each of `recipients` that is a member,
    /// in its language; run them in the causing change's transaction (see `notify_in_tx!`).
    /// For a kind a member may opt out of ([`ouen_shared::NoticeKind::can_opt_out`]), members who opted out
    /// get nothing (the rows are filtered in the insert itself) and every other recipient is
    /// given its opt-out token first if it has none, so the message can carry the link.
    pub(crate) fn outbox_statements(
        &self,
        recipients: &[Recipient],
        notice: &Notice,
        at: DateTime<Utc>,
    ) -> Vec<Sql> {
        let domain = self.outbox.domain();
        let members: Vec<(i64, &Recipient)> = recipients
            .iter()
            .filter_map(|r| r.member_id.map(|member_id| (member_id, r)))
            .collect();
        let rows: Vec<Vec<Arg>> = members
            .iter()
            .map(|(member_id, r)| {
                let text = notice.text(r.lang);
                vec![
                    (*member_id).into(),
                    notice.kind.code().into(),
                    text.subject.as_str().into(),
                    text.body.as_str().into(),
                    new_message_id(&domain).into(),
                    "queued".into(),
                    at.into(),
                    notice.origin_organisation_id.into(),
                    r.lang.tag().into(),
                    at.into(),
                    notice.link.map(|l| l.kind).into(),
                    notice.link.map(|l| l.id).into(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            self.outbox.queued();
        }
        const COLUMNS: &str = "member_id, kind, subject, body, message_id, status, next_attempt_at, origin_organisation_id, lang, created_at, subject_kind, subject_id";
        if !notice.kind.can_opt_out() {
            return multi_row_inserts(
                self.kind(),
                &format!("INSERT INTO mail_outbox ({COLUMNS}) VALUES "),
                &rows,
                "",
            );
        }
        let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
        let mut statements = opt_out_token_statements(&ids);
        statements.extend(multi_row_inserts(
            self.kind(),
            &format!("INSERT INTO mail_outbox ({COLUMNS}) SELECT * FROM (VALUES "),
            &rows,
            &format!(") AS v WHERE {}", not_opted_out("v.column1")),
        ));
        statements
    }

    /// Claims up to `limit` due messages for `worker` until `lease_until`: queued ones whose
    /// time has come and sending ones whose lease ran out. Concurrent workers never claim one
    /// message twice (PostgreSQL skips locked rows; SQLite has one writer).
    pub async fn claim_mail(
        &self,
        worker: &str,
        limit: i64,
        at: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<ClaimedMail>, ApiError> {
        let lock = match self.kind() {
            super::BackendKind::Postgres => " FOR UPDATE SKIP LOCKED",
            super::BackendKind::Sqlite => "",
        };
        let text = format!(
            "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $1, leased_by = $2 \
             WHERE id IN (SELECT id FROM mail_outbox \
               WHERE (status = 'queued' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3) \
               ORDER BY id LIMIT $4{lock}) \
             RETURNING {CLAIMED}"
        );
        let mut claimed: Vec<ClaimedMail> = in_write!(self, tx => {
            sqlx::query_as(&text)
                .bind(lease_until)
                .bind(worker)
                .bind(at)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?
        });
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    /// Records a delivered message (if `worker` still holds it).
    pub async fn mail_sent(
        &self,
        id: i64,
        worker: &str,
        at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE mail_outbox SET status = 'sent', sent_at = $1, lease_until = NULL, leased_by = NULL, last_error = NULL \
                 WHERE id = $2 AND status = 'sending' AND leased_by = $3",
                [at.into(), id.into(), worker.into()],
            ));
        });
        Ok(())
    }

    /// Puts a message back in the queue after a temporary failure, due again at `next_at`.
    pub async fn mail_retry(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        next_at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE mail_outbox SET status = 'queued', next_attempt_at = $1, last_error = $2, lease_until = NULL, leased_by = NULL \
                 WHERE id = $3 AND status = 'sending' AND leased_by = $4",
                [next_at.into(), error.into(), id.into(), worker.into()],
            ));
        });
        Ok(())
    }

    /// Gives a message up; with `bounced`, the member's address is marked bouncing too.
    pub async fn mail_failed(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        bounced: bool,
        at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        in_write!(self, tx => {
            let changed = execute!(tx, Sql::with(
                "UPDATE mail_outbox SET status = 'failed', last_error = $1, lease_until = NULL, leased_by = NULL \
                 WHERE id = $2 AND status = 'sending' AND leased_by = $3",
                [error.into(), id.into(), worker.into()],
            ));
            if bounced && changed == 1 {
                execute!(tx, Sql::with(
                    "UPDATE members SET email_bouncing_at = $1 WHERE id = (SELECT member_id FROM mail_outbox WHERE id = $2)",
                    [at.into(), id.into()],
                ));
            }
        });
        Ok(())
    }

    /// The messages queued for one member, oldest first, and whether its address bounces.
    pub async fn mail_of_member(&self, member_id: i64) -> Result<(Vec<MailState>, bool), ApiError> {
        let states: Vec<MailState> = on_read!(self, db => sqlx::query_as(
            "SELECT id, status, attempts, last_error, message_id FROM mail_outbox WHERE member_id = $1 ORDER BY id",
        ).bind(member_id).fetch_all(db).await?);
        let bouncing: Option<DateTime<Utc>> = on_read!(self, db => sqlx::query_scalar(
            "SELECT email_bouncing_at FROM members WHERE id = $1",
        ).bind(member_id).fetch_optional(db).await?.flatten());
        Ok((states, bouncing.is_some()))
    }

    /// Hands messages `worker` holds back to the queue unchanged (at shutdown).
    pub async fn release_mail(&self, ids: &[i64], worker: &str) -> Result<(), ApiError> {
        for id in ids {
            in_write!(self, tx => {
                execute!(tx, Sql::with(
                    "UPDATE mail_outbox SET status = 'queued', attempts = attempts - 1, lease_until = NULL, leased_by = NULL \
                     WHERE id = $1 AND status = 'sending' AND leased_by = $2",
                    [(*id).into(), worker.into()],
                ));
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;
    use crate::store::inbox::Text;
    use crate::store::members::generate::RosterSpec;
    use crate::store::notify::notify_in_tx;
    use ouen_shared::{Lang, NoticeKind};

    async fn queue_to_every_member(store: &Store) -> Vec<i64> {
        let spec = RosterSpec {
            members: 60,
            seed: 3,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            terms_version: "2026-04".into(),
        };
        store
            .generate_roster(&Reference::load(), &spec)
            .await
            .expect("roster");
        let ids: Vec<i64> = on_read!(store, db => sqlx::query_scalar("SELECT id FROM members ORDER BY id").fetch_all(db).await.expect("ids"));
        let recipients: Vec<Recipient> = ids
            .iter()
            .map(|id| Recipient::member(*id, None, Lang::Ja))
            .collect();
        let notice = Notice {
            kind: NoticeKind::System,
            ja: Text {
                subject: "件名".into(),
                body: "本文".into(),
            },
            en: Text {
                subject: "Subject".into(),
                body: "Body".into(),
            },
            link: None,
            origin_organisation_id: None,
        };
        let store2 = store.clone();
        let written: u64 = (async move {
            let store = &store2;
            Ok::<u64, ApiError>(
                in_write!(store, tx => notify_in_tx!(store, tx, &recipients, &notice)),
            )
        })
        .await
        .expect("notify");
        assert_eq!(written, 0, "members without accounts get no inbox message");
        ids
    }

    async fn two_workers_never_share_a_message(store: Store) {
        let ids = queue_to_every_member(&store).await;
        let at = super::super::now();
        let lease = at + chrono::Duration::seconds(60);
        let (a, b) = tokio::join!(
            store.claim_mail("a", 40, at, lease),
            store.claim_mail("b", 40, at, lease)
        );
        let (a, b) = (a.expect("a"), b.expect("b"));
        let mut all: Vec<i64> = a.iter().chain(b.iter()).map(|m| m.id).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), a.len() + b.len(), "no message claimed twice");
        assert_eq!(all.len(), ids.len(), "every message claimed");
        assert!(a
            .iter()
            .all(|m| m.message_id.starts_with("<outbox-") && m.attempts == 1));
        // Nothing is due while the leases hold; once they run out, another worker takes over.
        assert!(store
            .claim_mail("c", 100, at, lease)
            .await
            .unwrap()
            .is_empty());
        let later = lease + chrono::Duration::seconds(1);
        let again = store
            .claim_mail("c", 100, later, later + chrono::Duration::seconds(60))
            .await
            .unwrap();
        assert_eq!(again.len(), ids.len());
        assert!(again.iter().all(|m| m.attempts == 2));
        // The old holder's outcome no longer counts; the new one's does.
        store.mail_sent(a[0].id, "a", later).await.unwrap();
        store.mail_sent(again[0].id, "c", later).await.unwrap();
        let sent: i64 = on_read!(store, db => sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'").fetch_one(db).await.unwrap());
        assert_eq!(sent, 1);
    }

    #[tokio::test]
    async fn claiming_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("o.db").display()))
            .await
            .expect("store");
        two_workers_never_share_a_message(store).await;
    }

    /// Runs on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server.
    #[tokio::test]
    async fn claiming_on_postgres() {
        let Some(db) = crate::store::test_db::postgres_store().await else {
            return;
        };
        two_workers_never_share_a_message(db.0.clone()).await;
        crate::store::test_db::drop_postgres(db).await;
    }

    fn notice_of(kind: NoticeKind) -> Notice {
        Notice {
            kind,
            ja: Text {
                subject: "お知らせ".into(),
                body: "本文".into(),
            },
            en: Text {
                subject: "News".into(),
                body: "Body".into(),
            },
            link: None,
            origin_organisation_id: None,
        }
    }

    /// Inbox messages and e-mails a notice of `kind` to the member (with an account) writes.
    async fn delivered(store: &Store, member: i64, account: i64, kind: NoticeKind) -> (i64, i64) {
        let recipients = [Recipient::member(member, Some(account), Lang::Ja)];
        let notice = notice_of(kind);
        let store2 = store.clone();
        (async move {
            let store = &store2;
            Ok::<u64, ApiError>(
                in_write!(store, tx => notify_in_tx!(store, tx, &recipients, &notice)),
            )
        })
        .await
        .expect("notify");
        let code = kind.code();
        on_read!(store, db => {
            let inbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox_messages WHERE account_id = $1 AND kind = $2")
                .bind(account).bind(code).fetch_one(db).await.unwrap();
            let mail: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE member_id = $1 AND kind = $2")
                .bind(member).bind(code).fetch_one(db).await.unwrap();
            (inbox, mail)
        })
    }

    async fn opted_out_members_get_no_optional_mail(store: Store) {
        let ids = queue_to_every_member(&store).await;
        let (member, other) = (ids[0], ids[1]);
        let account = store
            .create_admin_from_cli("optout", "受信者", "x".into())
            .await
            .expect("account");
        // Before opting out: the newsletter arrives, with a token issued for its link.
        assert_eq!(
            delivered(&store, member, account, NoticeKind::Newsletter).await,
            (1, 1)
        );
        let token: Option<String> = on_read!(store, db => sqlx::query_scalar("SELECT mail_opt_out_token FROM members WHERE id = $1").bind(member).fetch_one(db).await.unwrap());
        let token = token.expect("a token issued with the first optional message");
        assert!(crate::store::opt_out::is_opt_out_token(&token), "{token}");
        let none: Option<String> = on_read!(store, db => sqlx::query_scalar("SELECT mail_opt_out_token FROM members WHERE id = $1").bind(other).fetch_one(db).await.unwrap());
        assert_eq!(none, None, "members sent nothing optional get no token");
        // The next one keeps the same token.
        assert_eq!(
            delivered(&store, member, account, NoticeKind::BulkMail).await,
            (1, 1)
        );
        let again: Option<String> = on_read!(store, db => sqlx::query_scalar("SELECT mail_opt_out_token FROM members WHERE id = $1").bind(member).fetch_one(db).await.unwrap());
        assert_eq!(again.as_deref(), Some(token.as_str()));
        // A message queued before the opt-out is not sent after it.
        let at = super::super::now();
        let before = store
            .claim_mail("w", 1000, at, at + chrono::Duration::seconds(60))
            .await
            .unwrap();
        assert!(before
            .iter()
            .filter(|m| m.member_id == member)
            .all(|m| !m.opted_out));
        store
            .release_mail(&before.iter().map(|m| m.id).collect::<Vec<_>>(), "w")
            .await
            .unwrap();

        let store2 = store.clone();
        (async move {
            let store = &store2;
            in_write!(store, tx => {
                execute!(tx, Sql::with("UPDATE members SET mail_opt_out_at = $1 WHERE id = $2", [at.into(), member.into()]));
            });
            Ok::<(), ApiError>(())
        })
        .await
        .expect("opt out");
        let claimed = store
            .claim_mail("w", 1000, at, at + chrono::Duration::seconds(60))
            .await
            .unwrap();
        let mine: Vec<&ClaimedMail> = claimed.iter().filter(|m| m.member_id == member).collect();
        assert!(mine
            .iter()
            .filter(|m| m.kind != "system")
            .all(|m| m.opted_out && m.opt_out_token.as_deref() == Some(token.as_str())));
        // After opting out: neither inbox nor e-mail for optional kinds, both for the others.
        assert_eq!(
            delivered(&store, member, account, NoticeKind::Newsletter).await,
            (1, 1)
        );
        assert_eq!(
            delivered(&store, member, account, NoticeKind::BulkMail).await,
            (1, 1)
        );
        assert_eq!(
            delivered(&store, member, account, NoticeKind::DispatchRequest).await,
            (1, 1)
        );
        assert_eq!(
            delivered(&store, member, account, NoticeKind::FormalRequest).await,
            (1, 1)
        );
        assert_eq!(
            delivered(&store, member, account, NoticeKind::Training).await,
            (1, 1)
        );
        // Others still get optional mail.
        assert_eq!(
            delivered(&store, other, account, NoticeKind::Newsletter)
                .await
                .1,
            1
        );
    }

    #[tokio::test]
    async fn opt_out_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("o.db").display()))
            .await
            .expect("store");
        opted_out_members_get_no_optional_mail(store).await;
    }

    /// Runs on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server.
    #[tokio::test]
    async fn opt_out_on_postgres() {
        let Some(db) = crate::store::test_db::postgres_store().await else {
            return;
        };
        opted_out_members_get_no_optional_mail(db.0.clone()).await;
        crate::store::test_db::drop_postgres(db).await;
    }
}
