//! Utilisation tables (利活用状況), each read with the caller's scope in its query: members by
//! prefecture, profession and status (the roster's scope: a prefecture its own memberships, a
//! city its prefecture's approved members), and how each prefecture's requests went in a
//! period (the requests' scope: a prefecture its own, a city its own requests). Trainings
//! join these tables once they are recorded.

mod capacity;
mod series;

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::dispatch::{may_read, push_request_visibility};
use crate::store::sql::{bind_args, Sql};
use crate::store::{on_read, Store};
use chrono::{NaiveDate, Utc};
use ouen_shared::api::{DispatchUtilisation, MemberCount, PeriodQuery};
use ouen_shared::time::{jst, start_of_jst_day};
use ouen_shared::{MembershipStatus, Profession, Role};
use std::collections::{BTreeMap, BTreeSet};

/// Who may read utilisation: operators of prefectures, cities, the ministry and the admin.
fn may_read_utilisation(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::National | Role::Admin | Role::Prefecture | Role::City => may_read(actor),
        _ => Err(ApiError::Forbidden),
    }
}

/// The row of prefecture `code`, added empty when it has none yet.
fn entry<'a>(
    rows: &'a mut BTreeMap<String, DispatchUtilisation>,
    code: &str,
) -> &'a mut DispatchUtilisation {
    rows.entry(code.to_string())
        .or_insert_with(|| DispatchUtilisation {
            prefecture_code: code.to_string(),
            requests: 0,
            asked: 0,
            answered: 0,
            seats_needed: 0,
            seats_assigned: 0,
            seats_accepted: 0,
            days_worked: 0,
            minutes_worked: 0,
        })
}

impl Store {
    /// Members by prefecture, profession and status, in the caller's roster scope.
    pub async fn member_counts(&self, actor: &Actor) -> Result<Vec<MemberCount>, ApiError> {
        may_read_utilisation(actor)?;
        let mut sql = Sql::new(
            "SELECT ms.prefecture_code, l.profession, ms.status, COUNT(DISTINCT ms.member_id) \
             FROM memberships ms JOIN member_licences l ON l.member_id = ms.member_id \
             JOIN members m ON m.id = ms.member_id WHERE m.anonymised_at IS NULL",
        );
        actor
            .roster_scope()
            .push_membership_conditions(&mut sql, "ms");
        sql.push(" GROUP BY ms.prefecture_code, l.profession, ms.status ORDER BY ms.prefecture_code, l.profession, ms.status");
        let rows: Vec<(String, String, String, i64)> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        Ok(rows
            .into_iter()
            .filter_map(|(prefecture_code, profession, status, members)| {
                Some(MemberCount {
                    prefecture_code,
                    profession: Profession::from_code(&profession)?,
                    status: MembershipStatus::from_code(&status)?,
                    members,
                })
            })
            .collect())
    }

    /// How each prefecture's requests went in the period, in the caller's request scope:
    /// only prefectures with a request in the period have a row.
    pub async fn dispatch_utilisation(
        &self,
        actor: &Actor,
        period: &PeriodQuery,
    ) -> Result<Vec<DispatchUtilisation>, ApiError> {
        may_read_utilisation(actor)?;
        let (first, next) = period.days().map_err(ApiError::Invalid)?;
        let (from, until) = (start_of_jst_day(first), start_of_jst_day(next));
        // The requests in scope with a live slot starting in the period.
        let requests = |columns: &str, tail: &str| {
            let mut sql = Sql::new(&format!(
                "SELECT d.prefecture_code, {columns} FROM dispatch_requests d {tail} \
                 WHERE d.status <> 'draft' AND EXISTS (SELECT 1 FROM dispatch_slots x WHERE x.request_id = d.id \
                 AND x.cancelled_at IS NULL AND x.starts_at >= "
            ));
            sql.arg(from)
                .push(" AND x.starts_at < ")
                .arg(until)
                .push(") AND ");
            push_request_visibility(&mut sql, actor, "d");
            sql
        };
        let mut heads = requests(
            "COUNT(*), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_asks k WHERE k.request_id = d.id)), 0) AS BIGINT), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_asks k WHERE k.request_id = d.id AND k.answered_at IS NOT NULL)), 0) AS BIGINT)",
            "",
        );
        heads.push(" GROUP BY d.prefecture_code");
        let heads: Vec<(String, i64, i64, i64)> = on_read!(self, db => bind_args!(sqlx::query_as(&heads.text), heads.args).fetch_all(db).await?);
        // Seats of the live slots in the period.
        let mut seats = requests(
            "CAST(COALESCE(SUM(s.needed), 0) AS BIGINT), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_assignments a WHERE a.slot_id = s.id AND a.status IN ('planned', 'requested', 'accepted'))), 0) AS BIGINT), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_assignments a WHERE a.slot_id = s.id AND a.status = 'accepted')), 0) AS BIGINT)",
            "JOIN dispatch_slots s ON s.request_id = d.id",
        );
        seats
            .push(" AND s.cancelled_at IS NULL AND s.starts_at >= ")
            .arg(from)
            .push(" AND s.starts_at < ")
            .arg(until)
            .push(" GROUP BY d.prefecture_code");
        let seats: Vec<(String, i64, i64, i64)> = on_read!(self, db => bind_args!(sqlx::query_as(&seats.text), seats.args).fetch_all(db).await?);
        // Approved reports worked in the period (whatever the request's other slots).
        let mut work = Sql::new(
            "SELECT d.prefecture_code, r.member_id, r.starts_at, r.ends_at, r.break_minutes \
             FROM daily_reports r JOIN dispatch_requests d ON d.id = r.request_id \
             WHERE r.status = 'approved' AND r.starts_at >= ",
        );
        work.arg(from)
            .push(" AND r.starts_at < ")
            .arg(until)
            .push(" AND ");
        push_request_visibility(&mut work, actor, "d");
        type Worked = (
            String,
            i64,
            chrono::DateTime<Utc>,
            chrono::DateTime<Utc>,
            i64,
        );
        let work: Vec<Worked> = on_read!(self, db => bind_args!(sqlx::query_as(&work.text), work.args).fetch_all(db).await?);

        let mut rows: BTreeMap<String, DispatchUtilisation> = BTreeMap::new();
        for (code, requests, asked, answered) in heads {
            let r = entry(&mut rows, &code);
            (r.requests, r.asked, r.answered) = (requests, asked, answered);
        }
        for (code, needed, assigned, accepted) in seats {
            let r = entry(&mut rows, &code);
            (r.seats_needed, r.seats_assigned, r.seats_accepted) = (needed, assigned, accepted);
        }
        let mut days: BTreeMap<String, BTreeSet<(i64, NaiveDate)>> = BTreeMap::new();
        for (code, member, starts, ends, break_minutes) in work {
            entry(&mut rows, &code).minutes_worked +=
                ouen_shared::api::worked_minutes(starts, ends, break_minutes);
            days.entry(code)
                .or_default()
                .insert((member, starts.with_timezone(&jst()).date_naive()));
        }
        for (code, set) in days {
            entry(&mut rows, &code).days_worked = set.len() as i64;
        }
        Ok(rows.into_values().collect())
    }
}
