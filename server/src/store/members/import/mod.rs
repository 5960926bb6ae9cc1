//! Importing a prefecture's own professionals from CSV, all or nothing, without stalling other
//! writers.
//!
//! SQLite has one writer: a 50,000-row import in one transaction held it for tens of seconds,
//! and every login and edit waited behind it. So an import is loaded in the roster's own
//! tables in short batches, each its own transaction, and published by deleting one row:
//!
//! 1. Every row is read and checked, licences against the roster and the file, before any
//!    write (the caller parses; [`Store::import_managed_members`] checks licences).
//! 2. A short transaction reserves a block of member ids and records it in `member_imports`.
//!    Every read of the roster leaves the ids of such a block out ([`super::not_staged`]),
//!    so nothing of the import is visible while it loads.
//! 3. The rows are built in Rust ([`batch`]) and written in short transactions, the next
//!    batch built while the database saves the current one:
//!    - SQLite ([`load_sqlite`]): multi-row `INSERT`s, 250 members a transaction, the writer
//!      free between them; then the search grams of the members (some 56 each), computed in
//!      Rust ([`super::grams`]) and sorted for the whole import, 10,000 a transaction.
//!    - PostgreSQL ([`load_postgres`]): `COPY … FROM STDIN`, [`BATCH_ROWS`] members a
//!      transaction, two transactions at once, commits not waiting for the disk, and the
//!      per-row foreign-key triggers skipped where the account may (the keys hold by
//!      construction); the search grams go in with the members, as `members.search_grams`.
//! 4. One short transaction deletes the `member_imports` row and writes the audit entry: the
//!    whole import appears at once.
//!
//! On an error half-way the loaded rows are deleted (in batches again) before the answer; if
//! the server dies, the block stays invisible and the next import, or the next start, deletes
//! it once its heartbeat is older than [`ABANDONED_AFTER`]. Imports on one server run one
//! after another.
//!
//! While an import loads, SQLite's writer does not checkpoint the WAL: a connection of its own
//! does ([`checkpoints`]), in the background after each transaction and once more, awaited,
//! before the writer checkpoints again.

mod batch;
mod checkpoints;
mod load_postgres;
mod load_sqlite;
#[cfg(test)]
mod tests;

use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::members::profile::managing_prefecture;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Backend, Store};
use batch::Import;
use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Members written per transaction on PostgreSQL, and twice as many as on SQLite (whose
/// single writer another write waits for: there a transaction of 250 members, their search
/// grams written apart, takes a few tens of milliseconds on the 2-core development machine).
pub const BATCH_ROWS: usize = 500;

/// Members deleted per transaction when an import is discarded (SQLite's trigger deletes their
/// search grams one by one).
const DISCARD_ROWS: usize = 200;

/// An import whose heartbeat is older than this is taken as abandoned (its server died).
pub const ABANDONED_AFTER: Duration = Duration::minutes(2);

/// State shared by the clones of a store: imports run one at a time, and the test hook.
#[derive(Default)]
pub(crate) struct Imports {
    one_at_a_time: tokio::sync::Mutex<()>,
    pause: std::sync::Mutex<Option<Pause>>,
    /// A background checkpoint is under way (SQLite).
    checkpointing: AtomicBool,
}

struct Pause {
    after_batches: usize,
    reached: oneshot::Sender<()>,
    resume: oneshot::Receiver<()>,
}

/// A hook for tests: the next import stops after some batches are saved (nothing held) until
/// told to go on. See [`Store::pause_next_import`].
pub struct ImportPause {
    /// Completes when the batches are saved and the import waits.
    pub reached: oneshot::Receiver<()>,
    /// Send (or drop) to let the import go on.
    pub resume: oneshot::Sender<()>,
}

/// A block of reserved member ids being loaded.
struct Staged {
    import_id: i64,
    first_member_id: i64,
    last_member_id: i64,
}

impl Store {
    /// The next import pauses once `after_batches` batches (or more, where several are saved at
    /// once) are committed, so that a test can
    /// act while it is half-way. Not used by the server itself.
    pub fn pause_next_import(&self, after_batches: usize) -> ImportPause {
        let (reached_tx, reached) = oneshot::channel();
        let (resume, resume_rx) = oneshot::channel();
        if let Ok(mut slot) = self.imports.pause.lock() {
            *slot = Some(Pause {
                after_batches,
                reached: reached_tx,
                resume: resume_rx,
            });
        }
        ImportPause { reached, resume }
    }

    /// Imports a prefecture's own professionals, all or nothing: rows already read and checked
    /// by the caller are refused when a licence is on the roster or on another row, else
    /// (unless `dry_run`) loaded in short batches and published at once (see the module
    /// documentation). Answers how many were created.
    pub async fn import_managed_members(
        &self,
        actor: &Actor,
        prefecture: Option<&str>,
        rows: &[ImportRow],
        dry_run: bool,
    ) -> Result<usize, ApiError> {
        let prefecture = managing_prefecture(actor, prefecture)?;
        let imports = Arc::clone(&self.imports);
        let _one_at_a_time = imports.one_at_a_time.lock().await;
        self.discard_abandoned_imports(now()).await?;
        self.ensure_import_licences_free(rows).await?;
        if dry_run || rows.is_empty() {
            return Ok(0);
        }
        let at = now();
        let staged = self.reserve_members(rows.len(), at).await?;
        let writer_checkpoints = self.stop_writer_checkpoints().await?;
        let loaded = self.load(actor, &prefecture, rows, &staged, at).await;
        let discarded = match loaded {
            Ok(()) => Ok(()),
            Err(_) => self.discard(&staged).await,
        };
        if let Some(writer_checkpoints) = writer_checkpoints {
            // What the load wrote to the WAL is copied off the writer first: with a backlog
            // there, the writer's next commit would copy it, and every write wait for that.
            self.checkpoint_now().await;
            writer_checkpoints.restore().await?;
        }
        discarded?;
        if let Err(error) = loaded {
            // A licence registered by someone else while the import loaded is named as a
            // duplicate, as if it had been there before.
            self.ensure_import_licences_free(rows).await?;
            return Err(error);
        }
        let ids: Vec<i64> = (staged.first_member_id..=staged.last_member_id).collect();
        let entry = NewEntry::by(actor, "member.import", "member", "").detail(
            serde_json::json!({ "prefecture_code": prefecture, "count": ids.len(), "ids": ids }),
        );
        in_write!(self, tx => {
            execute!(tx, Sql::with("DELETE FROM member_imports WHERE id = $1", [staged.import_id.into()]));
            execute!(tx, self.member_events_between(staged.first_member_id, staged.last_member_id, at));
            write_audit!(tx, entry);
        });
        Ok(rows.len())
    }

    /// Deletes the rows of imports whose server stopped beating before `now - ABANDONED_AFTER`.
    pub async fn discard_abandoned_imports(&self, now: DateTime<Utc>) -> Result<usize, ApiError> {
        let abandoned: Vec<(i64, i64, i64)> = on_read!(self, db => sqlx::query_as(
            "SELECT id, first_member_id, last_member_id FROM member_imports WHERE heartbeat_at < $1")
            .bind(now - ABANDONED_AFTER)
            .fetch_all(db)
            .await?);
        for (import_id, first_member_id, last_member_id) in &abandoned {
            self.discard(&Staged {
                import_id: *import_id,
                first_member_id: *first_member_id,
                last_member_id: *last_member_id,
            })
            .await?;
        }
        Ok(abandoned.len())
    }

    /// Reserves `n` member ids above any in use or to come, in a short transaction.
    async fn reserve_members(&self, n: usize, at: DateTime<Utc>) -> Result<Staged, ApiError> {
        let n = i64::try_from(n).map_err(|e| ApiError::Internal(format!("import size: {e}")))?;
        let (import_id, first) = match &self.backend {
            Backend::Sqlite { write, .. } => {
                let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
                // AUTOINCREMENT gives max(sequence, highest id) + 1: moving the sequence past
                // the block keeps every later insert above it.
                let base: i64 = sqlx::query_scalar(
                    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'members'), 0), \
                     COALESCE((SELECT MAX(id) FROM members), 0))",
                )
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM sqlite_sequence WHERE name = 'members'")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ('members', $1)")
                    .bind(base + n)
                    .execute(&mut *tx)
                    .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO member_imports (first_member_id, last_member_id, heartbeat_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(base + 1)
                .bind(base + n)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                (id, base + 1)
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Inserts wait on the lock before drawing an id, so the block is contiguous.
                sqlx::query("LOCK TABLE members IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                let first: i64 =
                    sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('members', 'id'))")
                        .fetch_one(&mut *tx)
                        .await?;
                sqlx::query("SELECT setval(pg_get_serial_sequence('members', 'id'), $1)")
                    .bind(first + n - 1)
                    .execute(&mut *tx)
                    .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO member_imports (first_member_id, last_member_id, heartbeat_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(first)
                .bind(first + n - 1)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                (id, first)
            }
        };
        Ok(Staged {
            import_id,
            first_member_id: first,
            last_member_id: first + n - 1,
        })
    }

    /// Writes every row, [`BATCH_ROWS`] members a transaction, in the way of the backend.
    async fn load(
        &self,
        actor: &Actor,
        prefecture: &str,
        rows: &[ImportRow],
        staged: &Staged,
        at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let codes = std::sync::Mutex::default();
        let import = Import {
            kind: self.kind(),
            actor,
            prefecture,
            staged,
            at,
            codes: &codes,
        };
        match &self.backend {
            Backend::Sqlite { write, .. } => self.load_sqlite(write, import, rows).await,
            Backend::Postgres(pool) => self.load_postgres(pool, import, rows).await,
        }
    }

    /// Waits where a test asked the import to pause (see [`Store::pause_next_import`]).
    async fn pause_if_asked(&self, batches_done: usize) {
        let pause = match self.imports.pause.lock() {
            Ok(mut slot)
                if slot
                    .as_ref()
                    .is_some_and(|p| batches_done >= p.after_batches) =>
            {
                slot.take()
            }
            _ => None,
        };
        if let Some(pause) = pause {
            let _ = pause.reached.send(());
            let _ = pause.resume.await;
        }
    }

    /// Deletes what an import loaded, in batches (it stays invisible meanwhile), then its row.
    async fn discard(&self, staged: &Staged) -> Result<(), ApiError> {
        let mut from = staged.first_member_id;
        while from <= staged.last_member_id {
            let to = (from + DISCARD_ROWS as i64 - 1).min(staged.last_member_id);
            let range = |text: &str| Sql::with(text, [from.into(), to.into()]);
            let memberships = "SELECT id FROM memberships WHERE member_id BETWEEN $1 AND $2";
            let statements = [
                range(&format!(
                    "DELETE FROM membership_events WHERE membership_id IN ({memberships})"
                )),
                range(&format!(
                    "DELETE FROM availability WHERE membership_id IN ({memberships})"
                )),
                range("DELETE FROM memberships WHERE member_id BETWEEN $1 AND $2"),
                range("DELETE FROM member_licences WHERE member_id BETWEEN $1 AND $2"),
                range("DELETE FROM member_tags WHERE member_id BETWEEN $1 AND $2"),
                range("DELETE FROM members WHERE id BETWEEN $1 AND $2"),
            ];
            in_write!(self, tx => {
                for statement in &statements {
                    execute!(tx, statement);
                }
            });
            self.checkpoint_in_background();
            from = to + 1;
        }
        in_write!(self, tx => {
            execute!(tx, Sql::with("DELETE FROM member_imports WHERE id = $1", [staged.import_id.into()]));
        });
        Ok(())
    }
}
