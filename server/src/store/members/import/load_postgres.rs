//! PostgreSQL: loading an import with `COPY … FROM STDIN`, [`BATCH_ROWS`] members a
//! transaction, each without waiting for its commit to reach the disk.
//!
//! `COPY` costs the server far less per row than a multi-row `INSERT` (no parameters to
//! bind, no `VALUES` list to plan), and the text is built in Rust while the server saves the
//! batch before. Membership ids are drawn from their sequence beforehand, so that the history
//! and availability rows that refer to them can be built before the transaction.

use super::batch::{Batch, Import, AVAILABILITY_COLUMNS, EVENT_COLUMNS, MEMBERSHIP_COLUMNS};
use super::BATCH_ROWS;
use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::store::members::profile::NEW_MEMBER_COLUMNS;
use crate::store::sql::Arg;
use crate::store::{now, Store};
use sqlx::PgPool;
use std::io::Write;

/// One batch as the text of its `COPY` statements: `(statement, data)` in the order the
/// foreign keys need.
struct Copies(Vec<(String, Vec<u8>)>);

impl Store {
    /// Writes every row, [`BATCH_ROWS`] members a transaction. The next batch is built while
    /// the server saves the current one.
    pub(super) async fn load_postgres(
        &self,
        pool: &PgPool,
        import: Import<'_>,
        rows: &[ImportRow],
    ) -> Result<(), ApiError> {
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
        let mut next = build(0).await?;
        let mut done = 0;
        while let Some(current) = next.take() {
            let (saved, following) =
                tokio::join!(save_copies(pool, import, &current), build(done + 1));
            saved?;
            next = following?;
            done += 1;
            self.pause_if_asked(done).await;
        }
        Ok(())
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
async fn save_copies(pool: &PgPool, import: Import<'_>, copies: &Copies) -> Result<(), ApiError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
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
