//! A realistic year of dispatches on top of a roster (usually a generated one, see
//! [`crate::store::members::generate`]), for load tests and benchmarks of the tables that
//! count them: requests of each prefecture (weighted by its approved members) and of its
//! cities with a health centre of their own, sent to a health centre, with one to five day
//! shifts, 20 to 60 approved members asked and most answering, seats planned, asked formally
//! and mostly accepted (nobody booked twice), daily reports mostly approved, and the roster's
//! last dispatch following the approved reports. About a twelfth more requests start in the
//! next 30 days, so the capacity ahead has assignments to subtract.
//!
//! The same seed, day and roster give the same history. Rows are written with multi-row
//! `INSERT`s, ids assigned in the transaction, as the roster generator does.

mod data;
mod places;
mod plan;
mod reports;
mod rows;

use crate::error::ApiError;
use crate::reference::Reference;
use crate::scope::RequestMeta;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, on_read, BackendKind, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ouen_shared::time::{jst, start_of_jst_day};
use ouen_shared::Profession;
use plan::{Planner, PoolMember};
use rows::{Bases, Rows};
use std::collections::{BTreeMap, HashSet};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DispatchSpec {
    /// The random seed: the same seed, day and roster give the same history.
    pub seed: u64,
    /// The day the history is generated "on": it ends at midnight starting this day in Japan.
    pub today: NaiveDate,
    /// Requests whose first slot falls in the year before `today`, nationwide.
    pub requests_per_year: usize,
}

/// How many rows a generation wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratedDispatches {
    /// Requesting organisations (prefectures and cities) and the health centres they send to.
    pub requesters: usize,
    pub health_centres: usize,
    pub requests: usize,
    pub slots: usize,
    pub asks: usize,
    pub answers: usize,
    pub assignments: usize,
    pub reports: usize,
    pub report_versions: usize,
    /// Members whose last dispatch was set from their approved reports.
    pub last_dispatch_set: usize,
}

/// Requests written per transaction.
const REQUESTS_PER_TRANSACTION: usize = 250;

/// Statuses that hold a seat.
const HOLDING: &str = "('planned', 'requested', 'accepted')";

type PoolRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

impl Store {
    /// Adds a year of generated dispatches (see the module doc) and answers how many rows were
    /// written. Seats already held in the database are respected.
    pub async fn generate_dispatches(
        &self,
        reference: &Reference,
        spec: &DispatchSpec,
    ) -> Result<GeneratedDispatches, ApiError> {
        let now = start_of_jst_day(spec.today);
        let rows: Vec<PoolRow> = on_read!(self, db => sqlx::query_as(
            "SELECT ms.member_id, ms.prefecture_code, m.professions, m.account_id, \
             (SELECT MIN(e.at) FROM membership_events e WHERE e.membership_id = ms.id AND e.status = 'approved'), \
             ms.created_at FROM memberships ms JOIN members m ON m.id = ms.member_id \
             WHERE ms.status = 'approved' AND m.anonymised_at IS NULL AND m.withdrawn_at IS NULL \
             ORDER BY ms.prefecture_code, ms.member_id",
        ).fetch_all(db).await?);
        let mut pools: BTreeMap<String, Vec<PoolMember>> = BTreeMap::new();
        for (id, code, professions, account_id, approved_at, created_at) in rows {
            pools.entry(code).or_default().push(PoolMember {
                id,
                professions: professions
                    .split(',')
                    .filter_map(Profession::from_code)
                    .collect(),
                approved_at: approved_at.unwrap_or(created_at),
                account_id,
            });
        }
        for pool in pools.values_mut() {
            pool.sort_by_key(|m| (m.approved_at, m.id));
        }
        let approved: BTreeMap<String, usize> =
            pools.iter().map(|(c, p)| (c.clone(), p.len())).collect();

        // Seats already held: nobody is booked twice.
        let mut held = Sql::new(&format!(
            "SELECT member_id, starts_at, ends_at FROM dispatch_assignments WHERE status IN {HOLDING} AND ends_at > "
        ));
        held.arg(now - Duration::days(400))
            .push(" AND starts_at < ")
            .arg(now + Duration::days(40));
        let held: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = on_read!(self, db => bind_args!(sqlx::query_as(&held.text), held.args).fetch_all(db).await?);
        let mut busy = HashSet::new();
        for (member, starts, ends) in held {
            let mut day = starts.with_timezone(&jst()).date_naive();
            while start_of_jst_day(day) < ends {
                busy.insert((member, day));
                day += Duration::days(1);
            }
        }

        let places = self.generated_places(reference, &approved, now).await?;
        let mut written = GeneratedDispatches {
            requesters: places.values().map(|p| 1 + p.cities.len()).sum(),
            health_centres: places
                .values()
                .map(|p| {
                    p.prefecture.centres.len()
                        + p.cities.iter().map(|c| c.centres.len()).sum::<usize>()
                })
                .sum(),
            ..GeneratedDispatches::default()
        };
        let planned = Planner::new(spec, &pools, &places, busy).requests();

        let postgres = self.kind() == BackendKind::Postgres;
        let tables = [
            "dispatch_requests",
            "dispatch_slots",
            "dispatch_assignments",
            "daily_reports",
        ];
        for chunk in planned.chunks(REQUESTS_PER_TRANSACTION) {
            let rows = in_write!(self, tx => {
                // Ids are assigned here; on PostgreSQL the lock keeps other writers out until
                // the identity sequences are moved past them.
                if postgres {
                    sqlx::query(&format!("LOCK TABLE {} IN EXCLUSIVE MODE", tables.join(", ")))
                        .execute(&mut *tx)
                        .await?;
                }
                let mut base = [0_i64; 4];
                for (b, table) in base.iter_mut().zip(tables) {
                    *b = sqlx::query_scalar(&format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}"))
                        .fetch_one(&mut *tx)
                        .await?;
                }
                let rows = Rows::of(chunk, Bases { requests: base[0], slots: base[1], assignments: base[2], reports: base[3] });
                for statement in rows.statements(self.kind()) {
                    execute!(tx, statement);
                }
                if postgres {
                    for table in tables {
                        sqlx::query(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        ))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                rows
            });
            rows.count(&mut written);
        }
        written.last_dispatch_set = self.last_dispatch_from_reports().await?;

        // What autovacuum would do after a bulk load, at once (see the roster generator).
        if let crate::store::Backend::Postgres(pool) = &self.backend {
            sqlx::raw_sql(
                "VACUUM (ANALYZE) organisations, dispatch_requests, dispatch_slots, dispatch_asks, \
                 dispatch_answers, dispatch_assignments, daily_reports, daily_report_versions, members",
            )
            .execute(pool)
            .await?;
        }
        let entry = NewEntry::anonymous(
            &RequestMeta::default(),
            "dispatch.generate",
            "dispatch_request",
            None,
        )
        .detail(serde_json::json!({
            "requests": written.requests,
            "assignments": written.assignments,
            "reports": written.reports,
            "seed": spec.seed,
            "today": spec.today,
        }));
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(written)
    }

    /// Sets each member's last dispatch to the Japanese day of its latest approved report, as
    /// approving one does; answers how many members have one.
    async fn last_dispatch_from_reports(&self) -> Result<usize, ApiError> {
        let latest: Vec<(i64, DateTime<Utc>)> = on_read!(self, db => sqlx::query_as(
            "SELECT member_id, MAX(starts_at) FROM daily_reports WHERE status = 'approved' GROUP BY member_id",
        ).fetch_all(db).await?);
        let mut by_day: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
        for (member, at) in &latest {
            by_day
                .entry(at.with_timezone(&jst()).date_naive())
                .or_default()
                .push(*member);
        }
        in_write!(self, tx => {
            for (day, members) in &by_day {
                for ids in members.chunks(1000) {
                    let mut sql = Sql::new("UPDATE members SET last_dispatch_on = ");
                    sql.arg(*day).push(" WHERE id IN ").list(ids);
                    execute!(tx, sql);
                }
            }
        });
        Ok(latest.len())
    }
}

#[cfg(test)]
mod tests;
