//! SQLite: the WAL is checkpointed off the writer while an import loads.
//!
//! SQLite runs a checkpoint inside whichever commit crosses the threshold (1000 pages), on
//! the single writer connection; an import crosses it every few batches, and every other
//! writer waited the 100–200 ms the copy took. So while an import loads, the writer does not
//! checkpoint, and a connection of its own does in the background after each transaction.

use crate::error::ApiError;
use crate::store::{Backend, Store};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// SQLite's own WAL checkpoint threshold, in pages, which the writer keeps outside imports.
pub(super) const DEFAULT_CHECKPOINT_PAGES: i64 = 1000;

/// The writer's checkpoint threshold while an import loads (see
/// [`Store::stop_writer_checkpoints`]). Dropped without [`WriterCheckpoints::restore`] (the
/// import's future dropped half-way: a client gone, the request timeout), it restores the
/// threshold in a task of its own.
pub(super) struct WriterCheckpoints {
    write: sqlx::SqlitePool,
    pages: i64,
    restored: bool,
}

impl WriterCheckpoints {
    fn statement(&self) -> String {
        format!("PRAGMA wal_autocheckpoint = {}", self.pages)
    }

    pub(super) async fn restore(mut self) -> Result<(), ApiError> {
        sqlx::query(&self.statement()).execute(&self.write).await?;
        self.restored = true;
        Ok(())
    }
}

impl Drop for WriterCheckpoints {
    fn drop(&mut self) {
        if self.restored {
            return;
        }
        let (write, statement) = (self.write.clone(), self.statement());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = sqlx::query(&statement).execute(&write).await {
                    tracing::warn!(%error, "restoring the WAL checkpoint threshold");
                }
            });
        }
    }
}

impl Store {
    /// SQLite: stops the writer from checkpointing the WAL until the answer is restored or
    /// dropped. Meanwhile [`Store::checkpoint_in_background`] does it on a connection of its
    /// own, which writers do not wait for.
    pub(super) async fn stop_writer_checkpoints(
        &self,
    ) -> Result<Option<WriterCheckpoints>, ApiError> {
        let Backend::Sqlite { write, .. } = &self.backend else {
            return Ok(None);
        };
        let mut writer = write.acquire().await?;
        let pages: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut *writer)
            .await?;
        sqlx::query("PRAGMA wal_autocheckpoint = 0")
            .execute(&mut *writer)
            .await?;
        Ok(Some(WriterCheckpoints {
            write: write.clone(),
            // 0 would be what an import left that never restored it; the server sets no other.
            pages: if pages > 0 {
                pages
            } else {
                DEFAULT_CHECKPOINT_PAGES
            },
            restored: false,
        }))
    }

    /// SQLite: copies the WAL into the database on the checkpoint connection (after any copy
    /// under way), and waits for it. Writers go on meanwhile.
    pub(super) async fn checkpoint_now(&self) {
        let Backend::Sqlite { checkpoint, .. } = &self.backend else {
            return;
        };
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(checkpoint)
            .await
        {
            tracing::warn!(%error, "WAL checkpoint");
        }
    }

    /// SQLite: copies the WAL into the database on the checkpoint connection, in the
    /// background, unless a copy is already under way. A passive checkpoint takes no lock that
    /// readers or the writer wait for; it copies what no reader still needs.
    pub(super) fn checkpoint_in_background(&self) {
        let Backend::Sqlite { checkpoint, .. } = &self.backend else {
            return;
        };
        if self.imports.checkpointing.swap(true, Ordering::AcqRel) {
            return;
        }
        let pool = checkpoint.clone();
        let imports = Arc::clone(&self.imports);
        tokio::spawn(async move {
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::warn!(%error, "WAL checkpoint");
            }
            imports.checkpointing.store(false, Ordering::Release);
        });
    }
}
