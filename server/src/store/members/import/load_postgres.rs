//! PostgreSQL: loading an import with `COPY … FROM STDIN`, [`BATCH_ROWS`] members a
//! transaction, each without waiting for its commit to reach the disk.
//!
//! `COPY` costs the server far less per row than a multi-row `INSERT` (no parameters to
//! bind, no `VALUES` list to plan), and the text is built in Rust while the server saves the
//! batch before. Membership ids are drawn from their sequence beforehand, so that the history
//! and availability rows that refer to them can be built before the transaction.
//!
//! **Foreign keys.** Each child row costs the server a foreign-key check (a query and a row
//! lock on the parent: nine a member, a quarter of the server's work with `COPY`). When the
//! database account may (a superuser, or `GRANT SET ON PARAMETER session_replication_role`),
//! a load transaction sets `session_replication_role = replica`, which skips the triggers of
//! its own inserts, those checks included; the keys hold by construction instead:
//!
//! - licences, tags and memberships refer to members, and history and availability to
//!   memberships, inserted by the same transaction (the rows of a batch are its own). No other
//!   transaction sees them before the commit, so none can delete them in between; afterwards
//!   a delete of a member or membership is checked as always, by the deleting session.
//! - history rows refer to the operator's account: the transaction takes on it the lock that
//!   the checks would (`FOR KEY SHARE`), once, and fails if it is gone.
//!
//! The only other trigger on these tables fills `members.search_grams` when an insert does
//! not give it; the import gives it. Unique indexes (licences, registration codes) are not
//! triggers and are checked as before. Without the privilege the checks run row by row.

use super::batch::{Batch, Import, AVAILABILITY_COLUMNS, EVENT_COLUMNS, MEMBERSHIP_COLUMNS};
use super::BATCH_ROWS;
use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::store::members::profile::NEW_MEMBER_COLUMNS;
use crate::store::sql::Arg;
use crate::store::{now, Store};
use sqlx::PgPool;
use std::io::Write;

/// Batches saved at once, each by a connection of its own: PostgreSQL locks rows, not the
/// table, so their transactions do not wait for each other (nor do other writers wait for
/// them), and the server works on one core for each.
const LOADERS: usize = 2;

/// One batch as the text of its `COPY` statements: `(statement, data)` in the order the
/// foreign keys need.
struct Copies(Vec<(String, Vec<u8>)>);

impl Store {
    /// Writes every row, [`BATCH_ROWS`] members a transaction, [`LOADERS`] transactions at
    /// once. The next batches are built while the server saves the current ones.
    pub(super) async fn load_postgres(
        &self,
        pool: &PgPool,
        import: Import<'_>,
        rows: &[ImportRow],
    ) -> Result<(), ApiError> {
        let skip_row_checks = may_skip_row_checks(pool).await;
        let chunks: Vec<&[ImportRow]> = rows.chunks(BATCH_ROWS).collect();
        let chunks = &chunks;
        let build = |batch: usize| async move {
            let Some(chunk) = chunks.get(batch) else {
                return Ok(None);
            };
            let first_id = import.staged.first_member_id + (batch * BATCH_ROWS) as i64;
            let built = import.batch(self, chunk, first_id).await?;
            copies(pool, import, &built).await.map(Some)
        };
        // LOADERS batches at a time, each in a transaction of its own on its own connection.
        let group = |group: usize| async move {
            let mut copies = Vec::with_capacity(LOADERS);
            for batch in group * LOADERS..(group + 1) * LOADERS {
                copies.extend(build(batch).await?);
            }
            Ok::<_, ApiError>(copies)
        };
        let mut next = group(0).await?;
        let (mut groups, mut done) = (0, 0);
        while !next.is_empty() {
            let current = std::mem::take(&mut next);
            let saves = futures_util::future::join_all(
                current
                    .iter()
                    .map(|copies| save_copies(pool, import, copies, skip_row_checks)),
            );
            let (saved, following) = tokio::join!(saves, group(groups + 1));
            saved.into_iter().collect::<Result<Vec<()>, ApiError>>()?;
            next = following?;
            groups += 1;
            done += current.len();
            self.pause_if_asked(done).await;
        }
        Ok(())
    }
}

/// Whether this database account may set `session_replication_role` (see the module
/// documentation): `has_parameter_privilege` from PostgreSQL 15, superusers before.
async fn may_skip_row_checks(pool: &PgPool) -> bool {
    let granted: Result<bool, _> =
        sqlx::query_scalar("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            .fetch_one(pool)
            .await;
    match granted {
        Ok(granted) => granted,
        Err(_) => sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            .fetch_one(pool)
            .await
            .unwrap_or(false),
    }
}

/// The `COPY` statements of `batch`, with membership ids drawn from their sequence.
async fn copies(pool: &PgPool, import: Import<'_>, batch: &Batch<'_>) -> Result<Copies, ApiError> {
    let membership_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('memberships', 'id')) FROM generate_series(1, $1)",
    )
    .bind(i64::try_from(batch.rows.len()).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    let memberships: Vec<Vec<Arg>> = batch
        .memberships
        .iter()
        .zip(&membership_ids)
        .map(|(row, id)| {
            let mut values = Vec::with_capacity(row.len() + 1);
            values.push(Arg::from(*id));
            values.extend(row.iter().cloned());
            values
        })
        .collect();
    let (events, availability) = import.history(batch, |member_id| {
        usize::try_from(member_id - batch.first_id)
            .ok()
            .and_then(|i| membership_ids.get(i).copied())
    })?;
    let mut out = Vec::with_capacity(6);
    let tables: [(String, &[Vec<Arg>]); 6] = [
        (
            format!("COPY members (id, {NEW_MEMBER_COLUMNS}, search_grams) FROM STDIN"),
            &batch.members,
        ),
        (
            "COPY member_licences (member_id, profession, number, licensed_on) FROM STDIN".into(),
            &batch.licences,
        ),
        (
            "COPY member_tags (member_id, kind, code) FROM STDIN".into(),
            &batch.tags,
        ),
        (
            format!("COPY memberships (id, {MEMBERSHIP_COLUMNS}) FROM STDIN"),
            &memberships,
        ),
        (
            format!("COPY membership_events ({EVENT_COLUMNS}) FROM STDIN"),
            &events,
        ),
        (
            format!("COPY availability ({AVAILABILITY_COLUMNS}) FROM STDIN"),
            &availability,
        ),
    ];
    for (statement, rows) in tables {
        if !rows.is_empty() {
            out.push((statement, copy_text(rows)));
        }
        tokio::task::yield_now().await;
    }
    Ok(Copies(out))
}

/// One batch in one transaction. The commit does not wait for the disk
/// (`synchronous_commit = off`): a crash can lose the last batches, which the heartbeat
/// already covers (the import is abandoned, deleted, and nothing of it was visible). The
/// transaction that publishes the import waits for the disk as every other does.
/// With `skip_row_checks`, the foreign keys hold by construction (see the module
/// documentation) and the account of the history rows is locked once.
async fn save_copies(
    pool: &PgPool,
    import: Import<'_>,
    copies: &Copies,
    skip_row_checks: bool,
) -> Result<(), ApiError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    if skip_row_checks {
        sqlx::query("SET LOCAL session_replication_role = replica")
            .execute(&mut *tx)
            .await?;
        let account: Option<i64> =
            sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1 FOR KEY SHARE")
                .bind(import.actor.account_id)
                .fetch_optional(&mut *tx)
                .await?;
        if account.is_none() {
            return Err(ApiError::Internal(format!(
                "import: account {} is gone",
                import.actor.account_id
            )));
        }
    }
    for (statement, data) in &copies.0 {
        let mut copy = tx.copy_in_raw(statement).await?;
        copy.send(data.as_slice()).await?;
        copy.finish().await?;
    }
    sqlx::query("UPDATE member_imports SET heartbeat_at = $1 WHERE id = $2")
        .bind(now())
        .bind(import.staged.import_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// `rows` in `COPY`'s text format: a line a row, values between tabs, `\N` for NULL,
/// backslashes and line breaks escaped.
fn copy_text(rows: &[Vec<Arg>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 64);
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            copy_value(&mut out, value);
        }
        out.push(b'\n');
    }
    out
}

fn copy_value(out: &mut Vec<u8>, value: &Arg) {
    // Writing to a Vec does not fail.
    let _ = match value {
        Arg::Int(v) | Arg::OptInt(Some(v)) => write!(out, "{v}"),
        Arg::Text(v) | Arg::OptText(Some(v)) => {
            copy_escaped(out, v);
            Ok(())
        }
        Arg::Bool(v) => {
            out.push(if *v { b't' } else { b'f' });
            Ok(())
        }
        Arg::Time(v) | Arg::OptTime(Some(v)) => {
            write!(out, "{}", v.format("%Y-%m-%d %H:%M:%S%.6f+00"))
        }
        Arg::Date(v) | Arg::OptDate(Some(v)) => write!(out, "{}", v.format("%Y-%m-%d")),
        Arg::OptText(None) | Arg::OptInt(None) | Arg::OptDate(None) | Arg::OptTime(None) => {
            out.extend_from_slice(b"\\N");
            Ok(())
        }
    };
}

fn copy_escaped(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn copy_text_escapes_what_the_format_reads_specially() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 2, 9, 5, 1)
            .single()
            .expect("time");
        let rows = vec![vec![
            Arg::Int(7),
            Arg::Text("a\tb\\c\r\nd".into()),
            Arg::Bool(true),
            Arg::OptText(None),
            Arg::Time(at),
            Arg::Date(NaiveDate::from_ymd_opt(1980, 4, 1).expect("date")),
            Arg::OptInt(Some(3)),
        ]];
        assert_eq!(
            String::from_utf8(copy_text(&rows)).expect("UTF-8"),
            "7\ta\\tb\\\\c\\r\\nd\tt\t\\N\t2026-12-02 09:05:01.000000+00\t1980-04-01\t3\n"
        );
    }
}
