//! The data store: one API over SQLite (default, embedded) and PostgreSQL (production).
//!
//! Each method's SQL is written once in portable form (`$1` parameters, `RETURNING`,
//! `ON CONFLICT`) and compiled against both drivers by [`on_read`] and [`in_write`], so the two
//! backends cannot drift apart. Every method that reads or changes domain data takes the
//! caller's [`Actor`](crate::scope::Actor) and applies its scope in the SQL itself.

pub mod accounts;
pub mod audit;
pub mod bulk_mail;
pub mod dispatch;
pub mod events;
pub mod inbox;
pub mod members;
pub mod notify;
pub mod opt_out;
pub mod organisations;
pub mod outbox;
pub mod outbox_view;
pub mod reports;
pub mod seed;
pub mod sessions;
pub(crate) mod sql;
#[cfg(test)]
pub(crate) mod test_db;
pub mod throttle;
pub mod trainings;
pub mod utilisation;

use crate::error::ApiError;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Backend {
    /// Readers share a pool; every write goes through a single connection, in `BEGIN IMMEDIATE`
    /// transactions, so concurrent writers queue instead of failing with `SQLITE_BUSY`.
    /// `checkpoint` is one more connection, opened when first used, that copies the WAL into
    /// the database while an import keeps the writer busy (see [`members::import`]).
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        checkpoint: SqlitePool,
    },
    Postgres(PgPool),
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// Imports of this process: one at a time (see [`members::import`]).
    pub(crate) imports: std::sync::Arc<members::import::Imports>,
    /// The e-mail outbox's wake-up signal (see [`outbox`]).
    pub(crate) outbox: std::sync::Arc<outbox::OutboxSignal>,
    /// The live-update stream's in-process wake-up (see [`events`]).
    pub(crate) events: std::sync::Arc<events::EventSignal>,
}

/// Runs `$body` with `$db` bound to a pool of whichever backend is in use.
macro_rules! on_read {
    ($store:expr, $db:ident => $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite { read: $db, .. } => $body,
            $crate::store::Backend::Postgres($db) => $body,
        }
    };
}
pub(crate) use on_read;

/// Runs `$body` inside a write transaction bound to `$tx`; commits when the body finishes and
/// rolls back when it returns early with an error.
macro_rules! in_write {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite { write, .. } => {
                let mut $tx = write.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                $store.outbox.committed();
                $store.events.committed();
                out
            }
            $crate::store::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                $store.outbox.committed();
                $store.events.committed();
                out
            }
        }
    };
}
pub(crate) use in_write;

/// The current instant at the precision both databases keep (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating a SQLite file if needed,
    /// runs the migrations and seeds the reference organisations.
    pub async fn connect(url: &str) -> Result<Store, ApiError> {
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| ApiError::config(format!("database URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            // The writer's page cache: 64 MiB instead of 2, so that a bulk load (the search grams
            // of an import) finds the index pages it walks in memory. Its statement journals
            // (kept by every multi-row insert of a transaction) stay in memory too.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(
                    options
                        .clone()
                        .pragma("cache_size", "-65536")
                        .pragma("temp_store", "memory"),
                )
                .await?;
            // Migrate through the writer before readers open, so they see the schema.
            sqlx::migrate!("migrations/sqlite").run(&write).await?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options.clone().read_only(true))
                .await?;
            let checkpoint = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_lazy_with(options);
            Backend::Sqlite {
                read,
                write,
                checkpoint,
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| ApiError::config(format!("database URL: {e}")))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            // sqlx takes an advisory lock, so instances starting together migrate once.
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Backend::Postgres(pool)
        } else {
            return Err(ApiError::config(format!(
                "database URL must start with sqlite: or postgres: (got {})",
                url.split(':').next().unwrap_or("")
            )));
        };
        let store = Store {
            backend,
            imports: Default::default(),
            outbox: Default::default(),
            events: Default::default(),
        };
        seed::seed_reference_organisations(&store).await?;
        // What an import left when its server died is invisible; delete it once abandoned.
        store.discard_abandoned_imports(now()).await?;
        Ok(store)
    }

    /// Which backend this store uses.
    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite { .. } => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        let result: Result<i64, sqlx::Error> = on_read!(self, db => sqlx::query_scalar("SELECT CAST(1 AS BIGINT)").fetch_one(db).await);
        result.is_ok()
    }

    /// Closes every connection (used at shutdown).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite {
                read,
                write,
                checkpoint,
            } => {
                read.close().await;
                write.close().await;
                checkpoint.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}
