//! SQLite: loading an import with multi-row `INSERT`s on the single writer,
//! [`ROWS_PER_TRANSACTION`] members a transaction, then the search grams sorted for the whole import.

use super::batch::{Batch, Import, AVAILABILITY_COLUMNS, EVENT_COLUMNS, MEMBERSHIP_COLUMNS};
use super::BATCH_ROWS;

/// Members written per transaction: half a [`BATCH_ROWS`], so that another write waits for
/// the single writer a few tens of milliseconds at most even when other work loads the cores.
const ROWS_PER_TRANSACTION: usize = BATCH_ROWS / 2;
use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::store::members::grams::Gram;
use crate::store::members::profile::NEW_MEMBER_COLUMNS;
use crate::store::sql::{bind_owned_args, multi_row_inserts_owned, Arg, Sql};
use crate::store::{now, BackendKind, Store};
use std::collections::HashMap;
use std::sync::Arc;

/// Search grams written per transaction, sorted (some 56 a member): about 10 ms of the
/// writer.
const GRAMS_PER_TRANSACTION: usize = 10_000;

impl Store {
    /// Writes every row, [`ROWS_PER_TRANSACTION`] members a transaction, then their search grams. The
    /// next batch is built (codes drawn, values made) while the writer saves the current one.
    pub(super) async fn load_sqlite(
        &self,
        write: &sqlx::SqlitePool,
        import: Import<'_>,
        rows: &[ImportRow],
    ) -> Result<(), ApiError> {
        let mut grams: Vec<(Gram, i64)> = Vec::new();
        let chunks: Vec<&[ImportRow]> = rows.chunks(ROWS_PER_TRANSACTION).collect();
        let chunks = &chunks;
        let build = |batch: usize| async move {
            let Some(chunk) = chunks.get(batch) else {
                return Ok(None);
            };
            let first_id = import.staged.first_member_id + (batch * ROWS_PER_TRANSACTION) as i64;
            import.batch(self, chunk, first_id).await.map(Some)
        };
        let mut next = build(0).await?;
        let mut done = 0;
        while let Some(mut batch) = next.take() {
            grams.append(&mut batch.grams);
            let (saved, following) = tokio::join!(
                self.save_sqlite_batch(write, import, batch),
                build(done + 1)
            );
            saved?;
            next = following?;
            done += 1;
            self.checkpoint_in_background();
            self.pause_if_asked(done).await;
            // Let writers queued behind this batch go first.
            tokio::task::yield_now().await;
        }
        self.load_search_grams(write, import, grams).await
    }

    /// One batch in one transaction of the writer.
    async fn save_sqlite_batch(
        &self,
        write: &sqlx::SqlitePool,
        import: Import<'_>,
        mut batch: Batch<'_>,
    ) -> Result<(), ApiError> {
        let kind = BackendKind::Sqlite;
        let mut statements = multi_row_inserts_owned(
            kind,
            &format!("INSERT INTO members (id, {NEW_MEMBER_COLUMNS}) VALUES "),
            std::mem::take(&mut batch.members),
            "",
        );
        statements.extend(multi_row_inserts_owned(
            kind,
            "INSERT INTO member_licences (member_id, profession, number, licensed_on) VALUES ",
            std::mem::take(&mut batch.licences),
            "",
        ));
        statements.extend(multi_row_inserts_owned(
            kind,
            "INSERT INTO member_tags (member_id, kind, code) VALUES ",
            std::mem::take(&mut batch.tags),
            "",
        ));
        let membership_inserts = multi_row_inserts_owned(
            kind,
            &format!("INSERT INTO memberships ({MEMBERSHIP_COLUMNS}) VALUES "),
            std::mem::take(&mut batch.memberships),
            " RETURNING id, member_id",
        );
        let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
        execute_all(&mut tx, statements).await?;
        let mut membership_of: HashMap<i64, i64> = HashMap::with_capacity(batch.rows.len());
        for Sql { text, args } in membership_inserts {
            let ids: Vec<(i64, i64)> = bind_owned_args!(sqlx::query_as(&text), args)
                .fetch_all(&mut *tx)
                .await?;
            membership_of.extend(ids.into_iter().map(|(ms, m)| (m, ms)));
        }
        let (events, availability) =
            import.history(&batch, |member_id| membership_of.get(&member_id).copied())?;
        let mut later = multi_row_inserts_owned(
            kind,
            &format!("INSERT INTO membership_events ({EVENT_COLUMNS}) VALUES "),
            events,
            "",
        );
        later.extend(multi_row_inserts_owned(
            kind,
            &format!("INSERT INTO availability ({AVAILABILITY_COLUMNS}) VALUES "),
            availability,
            "",
        ));
        later.push(Sql::with(
            "UPDATE member_imports SET heartbeat_at = $1 WHERE id = $2",
            [now().into(), import.staged.import_id.into()],
        ));
        execute_all(&mut tx, later).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the search grams of the loaded members (which the insert trigger leaves to the
    /// import), sorted for the whole import, [`GRAMS_PER_TRANSACTION`] a transaction. Sorted,
    /// each transaction walks the index once in order, and the entries of one gram for the
    /// whole import land together, on the same few pages; member by member (or batch by
    /// batch) every gram's page is written again for each member holding it. The statements
    /// of the next transaction are built while the writer runs the current one.
    async fn load_search_grams(
        &self,
        write: &sqlx::SqlitePool,
        import: Import<'_>,
        grams: Vec<(Gram, i64)>,
    ) -> Result<(), ApiError> {
        let grams = tokio::task::spawn_blocking(move || {
            let mut grams = grams;
            grams.sort_unstable();
            grams
        })
        .await
        .map_err(|e| ApiError::Internal(format!("import: {e}")))?;
        fn statements(chunk: &[(Gram, i64)]) -> Vec<Sql> {
            let entries: Vec<Vec<Arg>> = chunk
                .iter()
                .map(|(gram, id)| vec![gram.to_string().into(), (*id).into()])
                .collect();
            multi_row_inserts_owned(
                BackendKind::Sqlite,
                "INSERT INTO member_search_grams (gram, member_id) VALUES ",
                entries,
                "",
            )
        }
        // Built on a thread of their own: this task's polls drive the writer's statements.
        let grams = Arc::new(grams);
        let build = |start: usize| {
            let grams = Arc::clone(&grams);
            tokio::task::spawn_blocking(move || {
                let end = (start + GRAMS_PER_TRANSACTION).min(grams.len());
                statements(&grams[start..end])
            })
        };
        let mut next = (!grams.is_empty()).then(|| build(0));
        let mut start = 0;
        while let Some(current) = next.take() {
            let current = current
                .await
                .map_err(|e| ApiError::Internal(format!("import: {e}")))?;
            start += GRAMS_PER_TRANSACTION;
            next = (start < grams.len()).then(|| build(start));
            let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
            execute_all(&mut tx, current).await?;
            sqlx::query("UPDATE member_imports SET heartbeat_at = $1 WHERE id = $2")
                .bind(now())
                .bind(import.staged.import_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            self.checkpoint_in_background();
            tokio::task::yield_now().await;
        }
        Ok(())
    }
}

/// Runs `statements` in `tx`, their arguments moved into the queries.
async fn execute_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    statements: Vec<Sql>,
) -> Result<(), ApiError> {
    for Sql { text, args } in statements {
        bind_owned_args!(sqlx::query(&text), args)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
