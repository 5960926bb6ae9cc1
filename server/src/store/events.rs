//! The events of the live-update stream, as stored: one row per change a stream reports,
//! written in the transaction of the change, so an event exists iff its change committed.
//! Inbox messages become events through a trigger on `inbox_messages` (every producer's
//! messages, with their ids); member events are written by the roster's changes through
//! [`Store::member_event`]. On PostgreSQL a statement trigger on `events` also sends
//! `pg_notify('ouen_events')`, delivered to every instance's listener on commit.
//!
//! Reads are always for one listener: [`Store::events_after`] applies the listener's scope in
//! the SQL (the roster's own visibility rule for member events, the recipient for inbox
//! messages), so an event outside it is never read, let alone sent.

use super::sql::{bind_args, Sql};
use super::{on_read, Store};
use crate::error::ApiError;
use crate::scope::Actor;
use chrono::{DateTime, Utc};
use ouen_shared::api::{EventKind, StreamEvent};
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Notify;

/// The in-process wake-up: set while a transaction writes events, fired after its commit by
/// `in_write!` (the model is the outbox's signal). One flag serves all transactions: SQLite
/// has one writer, so the commit that clears it is the one that set it. On PostgreSQL a
/// concurrent commit may take another's flag (an early wake-up, no harm): `LISTEN` is what
/// wakes PostgreSQL instances, for their own commits and the others'.
#[derive(Debug, Default)]
pub struct EventSignal {
    wake: Notify,
    pending: AtomicBool,
}

impl EventSignal {
    /// Called by `in_write!` after every commit: wakes the hub if the transaction wrote events.
    pub(crate) fn committed(&self) {
        if self.pending.swap(false, Ordering::AcqRel) {
            self.wake.notify_one();
        }
    }

    /// Marks that the transaction in progress writes events.
    pub(crate) fn queued(&self) {
        self.pending.store(true, Ordering::Release);
    }

    /// Resolves when events were committed since the last call.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}

/// What is kept: the oldest and newest stored ids (none when the table is empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct EventBounds {
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    subject_kind: Option<String>,
    subject_id: Option<i64>,
}

impl Store {
    /// The in-process event wake-up shared by every clone of this store.
    pub fn event_signal(&self) -> std::sync::Arc<EventSignal> {
        self.events.clone()
    }

    /// The statement recording that member `member_id` changed (a registration arrived, a
    /// decision, a withdrawal, an edit); run it in the change's transaction.
    pub(crate) fn member_event(&self, member_id: i64, at: DateTime<Utc>) -> Sql {
        self.events.queued();
        Sql::with(
            "INSERT INTO events (kind, subject_kind, subject_id, member_id, created_at) VALUES ('member', 'member', $1, $1, $2)",
            [member_id.into(), at.into()],
        )
    }

    /// The statement recording one member event for each member with an id from `first` to
    /// `last` (an import's rows, published at once: one statement, however many rows).
    pub(crate) fn member_events_between(&self, first: i64, last: i64, at: DateTime<Utc>) -> Sql {
        self.events.queued();
        Sql::with(
            "INSERT INTO events (kind, subject_kind, subject_id, member_id, created_at) \
             SELECT 'member', 'member', m.id, m.id, $1 FROM members m WHERE m.id BETWEEN $2 AND $3",
            [at.into(), first.into(), last.into()],
        )
    }

    /// The oldest and newest event ids kept.
    pub async fn event_bounds(&self) -> Result<EventBounds, ApiError> {
        let bounds: EventBounds = on_read!(self, db => sqlx::query_as(
            "SELECT MIN(id) AS oldest, MAX(id) AS newest FROM events"
        ).fetch_one(db).await?);
        Ok(bounds)
    }

    /// The ids of events with an id above `after` or among `missing` (ids skipped earlier
    /// that may still commit), up to `limit`, in order: what the hub announces. Not scoped:
    /// it answers ids only, and each listener's read of them is.
    pub async fn new_event_ids(
        &self,
        after: i64,
        missing: &[i64],
        limit: i64,
    ) -> Result<Vec<i64>, ApiError> {
        let mut sql = Sql::new("SELECT id FROM events WHERE id > ");
        sql.arg(after);
        if !missing.is_empty() {
            sql.push(" OR id IN ").list(missing);
        }
        sql.push(" ORDER BY id LIMIT ").arg(limit);
        let ids: Vec<i64> = on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_all(db).await?);
        Ok(ids)
    }

    /// Up to `limit` events after `after` that `actor` may see, oldest first (a replay).
    pub async fn events_after(
        &self,
        actor: &Actor,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StreamEvent>, ApiError> {
        let mut sql = Sql::new("WHERE e.id > ");
        sql.arg(after);
        self.scoped_events(actor, sql, Some(limit)).await
    }

    /// Those of events `ids` that `actor` may see, oldest first.
    pub async fn events_among(
        &self,
        actor: &Actor,
        ids: &[i64],
    ) -> Result<Vec<StreamEvent>, ApiError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new("WHERE e.id IN ");
        sql.list(ids);
        self.scoped_events(actor, sql, None).await
    }

    /// The events `filter` (a `WHERE` on alias `e`) selects within `actor`'s scope: inbox
    /// events reach their recipient only; member events those who see the member in the
    /// roster ([`crate::scope::RosterScope::push_member_visibility`], the roster's own rule).
    async fn scoped_events(
        &self,
        actor: &Actor,
        filter: Sql,
        limit: Option<i64>,
    ) -> Result<Vec<StreamEvent>, ApiError> {
        let mut sql = Sql::new("SELECT e.id, e.kind, e.subject_kind, e.subject_id FROM events e ");
        sql.text.push_str(&filter.text);
        sql.args.extend(filter.args);
        sql.push(" AND ((e.kind = 'inbox_message' AND e.account_id = ")
            .arg(actor.account_id)
            .push(") OR (e.kind = 'member' AND EXISTS (SELECT 1 FROM members m WHERE m.id = e.member_id AND ");
        actor.roster_scope().push_member_visibility(&mut sql, "m");
        sql.push(")) OR (e.kind = 'dispatch' AND EXISTS (SELECT 1 FROM dispatch_requests d WHERE d.id = e.subject_id AND ");
        super::dispatch::push_request_visibility(&mut sql, actor, "d");
        sql.push("))) ORDER BY e.id");
        if let Some(limit) = limit {
            sql.push(" LIMIT ").arg(limit);
        }
        let rows: Vec<EventRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                // Only this server writes kinds; one a newer build wrote is skipped.
                let kind = match r.kind.as_str() {
                    "inbox_message" => EventKind::InboxMessage,
                    "member" => EventKind::Member,
                    "dispatch" => EventKind::Dispatch,
                    _ => return None,
                };
                Some(StreamEvent {
                    id: r.id,
                    kind,
                    subject_kind: r.subject_kind,
                    subject_id: r.subject_id,
                })
            })
            .collect())
    }

    /// Deletes events written before `cutoff`; answers how many.
    pub async fn prune_events(&self, cutoff: DateTime<Utc>) -> Result<u64, ApiError> {
        let deleted = match &self.backend {
            super::Backend::Sqlite { write, .. } => {
                sqlx::query("DELETE FROM events WHERE created_at < $1")
                    .bind(cutoff)
                    .execute(write)
                    .await?
                    .rows_affected()
            }
            super::Backend::Postgres(pool) => {
                sqlx::query("DELETE FROM events WHERE created_at < $1")
                    .bind(cutoff)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
        };
        Ok(deleted)
    }
}

impl Store {
    /// On PostgreSQL, a connection listening on `ouen_events` (none on SQLite, or when it
    /// cannot connect now: the caller tries again later and polls meanwhile).
    pub async fn event_listener(&self) -> Option<sqlx::postgres::PgListener> {
        let super::Backend::Postgres(pool) = &self.backend else {
            return None;
        };
        let connected = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
            listener.listen("ouen_events").await?;
            Ok::<_, sqlx::Error>(listener)
        };
        match connected.await {
            Ok(listener) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "cannot listen for events");
                None
            }
        }
    }
}
