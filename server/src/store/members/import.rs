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
//! 3. The rows go in with multi-row `INSERT`s, [`BATCH_ROWS`] members a transaction, and the
//!    writer is free between batches (a few tens of milliseconds each). On SQLite the search
//!    grams of the members (some 56 each, most of the work) follow, computed in Rust
//!    ([`super::grams`]) and sorted for the whole import, [`GRAMS_PER_TRANSACTION`] a
//!    transaction; on PostgreSQL they go in with the members, as the `search_grams` column.
//! 4. One short transaction deletes the `member_imports` row and writes the audit entry: the
//!    whole import appears at once.
//!
//! On an error half-way the loaded rows are deleted (in batches again) before the answer; if
//! the server dies, the block stays invisible and the next import, or the next start, deletes
//! it once its heartbeat is older than [`ABANDONED_AFTER`]. The same path runs on PostgreSQL,
//! where it keeps transactions short as well. Imports on one server run one after another.
//!
//! While an import loads, SQLite's writer does not checkpoint the WAL: a connection of its own
//! does, in the background after each transaction (see [`Store::stop_writer_checkpoints`]).

use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::members::grams::{search_grams, search_grams_lines, Gram};
use crate::store::members::lifecycle::NewMembership;
use crate::store::members::profile::{
    detail_rows, managing_prefecture, NewMember, NEW_MEMBER_COLUMNS,
};
use crate::store::sql::{bind_args, execute, multi_row_inserts, multi_row_inserts_with, Arg, Sql};
use crate::store::{in_write, now, on_read, Backend, BackendKind, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::{HelpWay, MembershipStatus};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;

/// Members written per transaction: a few tens of milliseconds of SQLite's writer on the
/// 2-core development machine (their search grams are written apart), so another write waits
/// at most about that long.
pub const BATCH_ROWS: usize = 500;

/// Members deleted per transaction when an import is discarded (SQLite's trigger deletes their
/// search grams one by one).
const DISCARD_ROWS: usize = 200;

/// Search grams written per transaction on SQLite, sorted (some 56 a member): about 20 ms of
/// the writer.
const GRAMS_PER_TRANSACTION: usize = 20_000;

/// SQLite's own WAL checkpoint threshold, in pages, which the writer keeps outside imports.
const DEFAULT_CHECKPOINT_PAGES: i64 = 1000;

/// The writer's checkpoint threshold while an import loads (see
/// [`Store::stop_writer_checkpoints`]). Dropped without [`WriterCheckpoints::restore`] (the
/// import's future dropped half-way: a client gone, the request timeout), it restores the
/// threshold in a task of its own.
struct WriterCheckpoints {
    write: sqlx::SqlitePool,
    pages: i64,
    restored: bool,
}

impl WriterCheckpoints {
    fn statement(&self) -> String {
        format!("PRAGMA wal_autocheckpoint = {}", self.pages)
    }

    async fn restore(mut self) -> Result<(), ApiError> {
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
    /// The next import pauses after `after_batches` batches are committed, so that a test can
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
            writer_checkpoints.restore().await?;
            self.checkpoint_in_background();
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

    /// SQLite: stops the writer from checkpointing the WAL until the answer is restored or
    /// dropped. A checkpoint runs inside the commit that crosses the threshold (1000 pages); an
    /// import crosses it every few batches, and every other writer waited the 100–200 ms the
    /// copy took. Meanwhile [`Store::checkpoint_in_background`] does it on a connection of its
    /// own, which writers do not wait for.
    async fn stop_writer_checkpoints(&self) -> Result<Option<WriterCheckpoints>, ApiError> {
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

    /// SQLite: copies the WAL into the database on the checkpoint connection, in the
    /// background, unless a copy is already under way. A passive checkpoint takes no lock that
    /// readers or the writer wait for; it copies what no reader still needs.
    fn checkpoint_in_background(&self) {
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

    /// Writes every row, [`BATCH_ROWS`] members a transaction.
    async fn load(
        &self,
        actor: &Actor,
        prefecture: &str,
        rows: &[ImportRow],
        staged: &Staged,
        at: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let kind = self.kind();
        // SQLite: the search grams of every member, written sorted once all are loaded.
        let mut grams: Vec<(Gram, i64)> = Vec::new();
        let (members_head, search_grams_value) = match kind {
            BackendKind::Sqlite => (
                format!("INSERT INTO members (id, {NEW_MEMBER_COLUMNS}) VALUES "),
                "{}",
            ),
            BackendKind::Postgres => (
                format!("INSERT INTO members (id, {NEW_MEMBER_COLUMNS}, search_grams) VALUES "),
                "string_to_array({}, chr(10))",
            ),
        };
        for (batch, chunk) in rows.chunks(BATCH_ROWS).enumerate() {
            let first_id = staged.first_member_id + (batch * BATCH_ROWS) as i64;
            let codes = self.free_registration_codes(chunk.len()).await?;
            let mut members = Vec::with_capacity(chunk.len());
            let mut licences = Vec::new();
            let mut tags = Vec::new();
            let mut memberships = Vec::with_capacity(chunk.len());
            for (i, (row, code)) in chunk.iter().zip(codes).enumerate() {
                let id = first_id + i as i64;
                let new = NewMember {
                    account_id: None,
                    managed_by: Some(prefecture.to_string()),
                    profile: &row.request.profile,
                    municipality_name: row.municipality_name.clone(),
                    notes: row.request.notes.clone(),
                    terms: None,
                    registration_code: Some(code),
                    at,
                };
                let search_fold = new.search_fold();
                let mut values = vec![Arg::from(id)];
                match kind {
                    BackendKind::Sqlite => {
                        grams.extend(search_grams(&search_fold).into_iter().map(|g| (g, id)));
                        values.extend(new.values_with(search_fold));
                    }
                    BackendKind::Postgres => {
                        let lines = search_grams_lines(&search_fold);
                        values.extend(new.values_with(search_fold));
                        values.push(lines.into());
                    }
                }
                members.push(values);
                let (l, t) = detail_rows(id, &row.request.profile);
                licences.extend(l);
                tags.extend(t);
                memberships.push(vec![
                    id.into(),
                    prefecture.into(),
                    MembershipStatus::Approved.code().into(),
                    true.into(),
                    false.into(),
                    at.into(),
                    at.into(),
                ]);
            }
            let mut statements =
                multi_row_inserts_with(kind, &members_head, &members, "", search_grams_value);
            statements.extend(multi_row_inserts(
                kind,
                "INSERT INTO member_licences (member_id, profession, number, licensed_on) VALUES ",
                &licences,
                "",
            ));
            statements.extend(multi_row_inserts(
                kind,
                "INSERT INTO member_tags (member_id, kind, code) VALUES ",
                &tags,
                "",
            ));
            let membership_inserts = multi_row_inserts(
                kind,
                "INSERT INTO memberships (member_id, prefecture_code, status, managed, recheck_needed, created_at, updated_at) VALUES ",
                &memberships,
                " RETURNING id, member_id",
            );
            let heartbeat = Sql::with(
                "UPDATE member_imports SET heartbeat_at = $1 WHERE id = $2",
                [now().into(), staged.import_id.into()],
            );
            in_write!(self, tx => {
                for statement in &statements {
                    execute!(tx, statement);
                }
                let mut membership_of: HashMap<i64, i64> = HashMap::with_capacity(chunk.len());
                for statement in &membership_inserts {
                    let ids: Vec<(i64, i64)> = bind_args!(sqlx::query_as(&statement.text), statement.args)
                        .fetch_all(&mut *tx)
                        .await?;
                    membership_of.extend(ids.into_iter().map(|(ms, m)| (m, ms)));
                }
                let mut events = Vec::with_capacity(chunk.len());
                let mut availability = Vec::new();
                for (i, row) in chunk.iter().enumerate() {
                    let member_id = first_id + i as i64;
                    let membership_id = *membership_of.get(&member_id).ok_or_else(|| {
                        ApiError::Internal(format!("import: no membership for member {member_id}"))
                    })?;
                    let membership = NewMembership {
                        member_id,
                        prefecture_code: prefecture.to_string(),
                        status: MembershipStatus::Approved,
                        managed: true,
                        availability: row.request.availability.clone(),
                        actor_id: Some(actor.account_id),
                        reason: None,
                        at,
                    };
                    events.push(vec![
                        membership_id.into(),
                        at.into(),
                        membership.status.code().into(),
                        membership.reason.clone().into(),
                        membership.actor_id.into(),
                    ]);
                    for a in &membership.availability {
                        availability.push(vec![
                            membership_id.into(),
                            a.from.into(),
                            a.to.into(),
                            a.ways.contains(&HelpWay::OnSite).into(),
                            a.ways.contains(&HelpWay::Remote).into(),
                            a.ways.contains(&HelpWay::Phone).into(),
                        ]);
                    }
                }
                let mut later = multi_row_inserts(
                    kind,
                    "INSERT INTO membership_events (membership_id, at, status, reason, actor_id) VALUES ",
                    &events,
                    "",
                );
                later.extend(multi_row_inserts(
                    kind,
                    "INSERT INTO availability (membership_id, from_date, to_date, on_site, remote, phone) VALUES ",
                    &availability,
                    "",
                ));
                for statement in &later {
                    execute!(tx, statement);
                }
                execute!(tx, heartbeat);
            });
            self.checkpoint_in_background();
            self.pause_if_asked(batch + 1).await;
            // Let writers queued behind this batch go first.
            tokio::task::yield_now().await;
        }
        self.load_search_grams(staged, grams).await
    }

    /// SQLite: writes the search grams of the loaded members (which the insert trigger leaves
    /// to the import), sorted for the whole import, [`GRAMS_PER_TRANSACTION`] a transaction.
    /// Sorted, each transaction walks the index once in order, and the entries of one gram
    /// for the whole import land together, on the same few pages; member by member (or batch
    /// by batch) every gram's page is written again for each member holding it.
    async fn load_search_grams(
        &self,
        staged: &Staged,
        grams: Vec<(Gram, i64)>,
    ) -> Result<(), ApiError> {
        let Backend::Sqlite { write, .. } = &self.backend else {
            return Ok(());
        };
        let grams = tokio::task::spawn_blocking(move || {
            let mut grams = grams;
            grams.sort_unstable();
            grams
        })
        .await
        .map_err(|e| ApiError::Internal(format!("import: {e}")))?;
        for chunk in grams.chunks(GRAMS_PER_TRANSACTION) {
            let entries: Vec<Vec<Arg>> = chunk
                .iter()
                .map(|(gram, id)| vec![gram.to_string().into(), (*id).into()])
                .collect();
            let statements = multi_row_inserts(
                BackendKind::Sqlite,
                "INSERT INTO member_search_grams (gram, member_id) VALUES ",
                &entries,
                "",
            );
            let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
            for statement in &statements {
                execute!(tx, statement);
            }
            sqlx::query("UPDATE member_imports SET heartbeat_at = $1 WHERE id = $2")
                .bind(now())
                .bind(staged.import_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            self.checkpoint_in_background();
            tokio::task::yield_now().await;
        }
        Ok(())
    }

    /// Waits where a test asked the import to pause (see [`Store::pause_next_import`]).
    async fn pause_if_asked(&self, batches_done: usize) {
        let pause = match self.imports.pause.lock() {
            Ok(mut slot)
                if slot
                    .as_ref()
                    .is_some_and(|p| p.after_batches == batches_done) =>
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

    /// `n` registration codes, none on record nor repeated. A code taken by an approval in
    /// the meantime fails the batch on the unique index, and with it the import.
    async fn free_registration_codes(&self, n: usize) -> Result<Vec<String>, ApiError> {
        let mut codes: Vec<String> = Vec::with_capacity(n);
        let mut seen = HashSet::new();
        while codes.len() < n {
            let drawn: Vec<String> = (0..n - codes.len())
                .map(|_| {
                    ouen_shared::RegistrationCode::from_seed(rand::random::<u64>())
                        .digits()
                        .to_string()
                })
                .filter(|c| seen.insert(c.clone()))
                .collect();
            if drawn.is_empty() {
                continue;
            }
            let mut sql =
                Sql::new("SELECT registration_code FROM members WHERE registration_code IN ");
            sql.list(&drawn);
            let taken: HashSet<String> = on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_all(db).await?)
                .into_iter()
                .collect();
            codes.extend(drawn.into_iter().filter(|c| !taken.contains(c)));
        }
        Ok(codes)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;
    use ouen_shared::Role;

    /// An operator of 東京都 whose account exists (history rows refer to it).
    async fn tokyo(store: &Store) -> Actor {
        let account_id = store
            .create_admin_from_cli("import-test", "test", "not-a-hash".into())
            .await
            .expect("account");
        Actor {
            account_id,
            login: "import-test".into(),
            display_name: "test".into(),
            role: Role::Prefecture,
            organisation_id: 1,
            organisation_name: "test".into(),
            organisation_kind: Role::Prefecture.org_kind(),
            prefecture_code: Some("13".into()),
            session_token_hash: String::new(),
            session_expires_at: Utc::now(),
            request: crate::scope::RequestMeta::default(),
        }
    }

    async fn count(store: &Store, sql: &str) -> i64 {
        on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.expect(sql))
    }

    /// The grams of a member as the index holds them, in byte order.
    async fn indexed_grams(store: &Store, member_id: i64) -> Vec<String> {
        match &store.backend {
            Backend::Sqlite { read, .. } => sqlx::query_scalar(
                "SELECT gram FROM member_search_grams WHERE member_id = $1 ORDER BY CAST(gram AS BLOB)",
            )
            .bind(member_id)
            .fetch_all(read)
            .await
            .expect("grams"),
            Backend::Postgres(pool) => {
                sqlx::query_scalar("SELECT search_grams FROM members WHERE id = $1")
                    .bind(member_id)
                    .fetch_one(pool)
                    .await
                    .expect("grams")
            }
        }
    }

    /// A copy of member `id` written as any other insert writes it; answers the copy's id.
    async fn copy_member(store: &Store, id: i64) -> Result<i64, ApiError> {
        let copy: i64 = in_write!(store, tx => sqlx::query_scalar(
            "INSERT INTO members (name, name_kana, kana_fold, email, phone, prefecture_code, \
             municipality_code, municipality_name, street, professions, experience_years, \
             experience_fields, languages, notes, search_fold, created_at, updated_at) \
             SELECT name, name_kana, kana_fold, email, phone, prefecture_code, municipality_code, \
             municipality_name, street, professions, experience_years, experience_fields, \
             languages, notes, search_fold, created_at, updated_at FROM members WHERE id = $1 \
             RETURNING id")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?);
        Ok(copy)
    }

    /// Imported members get the grams that the database computes for the same search text
    /// (SQLite's trigger, PostgreSQL's `member_search_grams`), so searches find them alike.
    async fn imported_grams_are_those_the_database_computes(store: Store) {
        let reference = Reference::load();
        let mut text = String::from(
            "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日,備考\n",
        );
        let notes = [
            "",
            "夜勤可",
            "\"都の潜在看護職\r\n夜勤可\r\n\r\n英語可\"",
            "aaa bbb ａａａ",
            "𠮷野家の①②とﬁとß、İstanbul",
            "ｱｲｳｴｵ ｶﾞｷﾞ ヴ",
            "\"a\"\"b\\c%_'\"",
            "1\n",
        ];
        for (i, note) in notes.iter().enumerate() {
            text.push_str(&format!(
                "髙橋 𠮷子{i},たかはし よしこ,1980/4/1,13,131016,看護師,G{i},2002/5/1,{note}\n"
            ));
        }
        let rows = crate::roster_csv::import::parse(&text, &reference).expect("rows");
        let operator = tokyo(&store).await;
        store
            .import_managed_members(&operator, None, &rows, false)
            .await
            .expect("import");
        let imported: Vec<i64> = on_read!(store, db => sqlx::query_scalar::<_, i64>(
            "SELECT id FROM members ORDER BY id").fetch_all(db).await.expect("ids"));
        assert_eq!(imported.len(), notes.len());
        for id in imported {
            let copy = copy_member(&store, id).await.expect("copy");
            let grams = indexed_grams(&store, id).await;
            assert!(grams.len() > 20, "{grams:?}");
            assert_eq!(grams, indexed_grams(&store, copy).await, "member {id}");
        }
    }

    #[tokio::test]
    async fn imported_grams_are_those_the_database_computes_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("g.db").display());
        let store = Store::connect(&url).await.expect("store");
        imported_grams_are_those_the_database_computes(store).await;
    }

    #[tokio::test]
    async fn imported_grams_are_those_the_database_computes_on_postgres() {
        let Some(db) = crate::store::test_db::postgres_store().await else {
            return;
        };
        imported_grams_are_those_the_database_computes(db.0.clone()).await;
        crate::store::test_db::drop_postgres(db).await;
    }

    async fn writer_checkpoint_pages(store: &Store) -> i64 {
        let Backend::Sqlite { write, .. } = &store.backend else {
            panic!("SQLite only");
        };
        sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(write)
            .await
            .expect("pragma")
    }

    /// An import whose future is dropped half-way (a client gone, the request timeout) does
    /// not leave SQLite's writer without checkpoints: after the next import it has SQLite's
    /// threshold again.
    #[tokio::test]
    async fn a_dropped_import_leaves_the_writer_checkpointing() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("w.db").display());
        let store = Store::connect(&url).await.expect("store");
        let reference = Reference::load();
        let file = |licence: &str| {
            let mut text = String::from(
                "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日\n",
            );
            for i in 0..(BATCH_ROWS + 10) {
                text.push_str(&format!(
                    "山田 {i},やまだ,1980/4/1,13,131016,看護師,{licence}{i},2002/5/1\n"
                ));
            }
            crate::roster_csv::import::parse(&text, &reference).expect("rows")
        };
        let operator = tokyo(&store).await;
        assert_eq!(
            writer_checkpoint_pages(&store).await,
            DEFAULT_CHECKPOINT_PAGES
        );
        let pause = store.pause_next_import(1);
        let dropped = tokio::spawn({
            let (store, operator, rows) = (store.clone(), operator.clone(), file("A"));
            async move {
                let _ = store
                    .import_managed_members(&operator, None, &rows, false)
                    .await;
            }
        });
        pause.reached.await.expect("paused after a batch");
        assert_eq!(writer_checkpoint_pages(&store).await, 0, "while it loads");
        dropped.abort();
        assert!(dropped.await.expect_err("dropped").is_cancelled());
        store
            .import_managed_members(&operator, None, &file("B"), false)
            .await
            .expect("the next import");
        assert_eq!(
            writer_checkpoint_pages(&store).await,
            DEFAULT_CHECKPOINT_PAGES
        );
        drop(pause.resume);
    }

    /// A server that dies half-way leaves its batches invisible; once the heartbeat is old,
    /// they are deleted and their licences are free again.
    #[tokio::test]
    async fn an_abandoned_import_is_invisible_and_then_deleted() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("a.db").display());
        let store = Store::connect(&url).await.expect("store");
        let reference = Reference::load();
        let mut text = String::from(
            "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日\n",
        );
        for i in 0..(BATCH_ROWS + 10) {
            text.push_str(&format!(
                "山田 {i},やまだ,1980/4/1,13,131016,看護師,A{i},2002/5/1\n"
            ));
        }
        let rows = crate::roster_csv::import::parse(&text, &reference).expect("rows");
        let operator = tokyo(&store).await;
        let at = now();
        let staged = store
            .reserve_members(rows.len(), at)
            .await
            .expect("reserve");
        // Loaded but never published: the server "died" here.
        store
            .load(&operator, "13", &rows, &staged, at)
            .await
            .expect("load");
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM members").await,
            rows.len() as i64
        );
        let listed = store
            .list_members(&operator, &Default::default(), &Default::default())
            .await
            .expect("list");
        assert_eq!(listed.total, 0, "nothing of it is visible");
        store.close().await;

        let store = Store::connect(&url).await.expect("restart");
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM member_imports").await,
            1,
            "still beating"
        );
        let later = now() + ABANDONED_AFTER + Duration::seconds(1);
        assert_eq!(
            store
                .discard_abandoned_imports(later)
                .await
                .expect("discard"),
            1
        );
        for table in [
            "members",
            "memberships",
            "member_licences",
            "membership_events",
            "member_search_grams",
            "member_imports",
        ] {
            assert_eq!(
                count(&store, &format!("SELECT COUNT(*) FROM {table}")).await,
                0,
                "{table}"
            );
        }
        let created = store
            .import_managed_members(&operator, None, &rows, false)
            .await
            .expect("the same file imports");
        assert_eq!(created, rows.len());
    }
}
