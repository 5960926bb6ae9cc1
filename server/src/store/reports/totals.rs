//! Totals from dispatches and daily reports: how a request went (asked to approved reports,
//! fill rate), and a member's dispatch history from its approved reports, by prefecture,
//! health centre and duty. Figures follow scope: an operator's history of a member counts
//! only the requests it may see.

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::dispatch::{duties_of, may_read, push_request_visibility};
use crate::store::sql::{bind_args, Sql};
use crate::store::{in_write, on_read, Store};
use chrono::{DateTime, NaiveDate, Utc};
use ouen_shared::api::{worked_minutes, DispatchHistory, RequestTotals, WorkTotal};
use ouen_shared::time::jst;
use ouen_shared::Role;
use std::collections::{BTreeMap, BTreeSet};

#[derive(sqlx::FromRow)]
struct WorkedRow {
    request_id: i64,
    prefecture_code: String,
    health_centre_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    break_minutes: i64,
    duties: String,
}

/// Days and minutes under each key, in key order.
#[derive(Default)]
struct Tally(BTreeMap<String, (BTreeSet<NaiveDate>, i64)>);

impl Tally {
    fn add(&mut self, key: &str, day: NaiveDate, minutes: i64) {
        let entry = self.0.entry(key.to_string()).or_default();
        entry.0.insert(day);
        entry.1 += minutes;
    }

    fn totals(self) -> Vec<WorkTotal> {
        self.0
            .into_iter()
            .map(|(key, (days, minutes))| WorkTotal {
                key,
                days: days.len() as i64,
                minutes,
            })
            .collect()
    }
}

fn history(member_id: i64, rows: Vec<WorkedRow>) -> DispatchHistory {
    let mut requests = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut minutes = 0;
    let (mut by_prefecture, mut by_centre, mut by_duty) =
        (Tally::default(), Tally::default(), Tally::default());
    for r in rows {
        let day = r.starts_at.with_timezone(&jst()).date_naive();
        let worked = worked_minutes(r.starts_at, r.ends_at, r.break_minutes);
        requests.insert(r.request_id);
        days.insert(day);
        minutes += worked;
        by_prefecture.add(&r.prefecture_code, day, worked);
        by_centre.add(&r.health_centre_name, day, worked);
        for duty in duties_of(&r.duties) {
            by_duty.add(duty.code(), day, worked);
        }
    }
    DispatchHistory {
        member_id,
        dispatches: requests.len() as i64,
        days: days.len() as i64,
        minutes,
        by_prefecture: by_prefecture.totals(),
        by_health_centre: by_centre.totals(),
        by_duty: by_duty.totals(),
        last_worked_on: days.last().copied(),
    }
}

impl Store {
    /// How request `id` went, in the actor's scope.
    pub async fn request_totals(&self, actor: &Actor, id: i64) -> Result<RequestTotals, ApiError> {
        may_read(actor)?;
        let row = self.request_row(actor, id).await?;
        type Counts = (i64, i64, i64, i64, i64, i64, i64);
        let (available, needed, assigned, accepted, declined, filed, approved): Counts = on_read!(self, db => sqlx::query_as(
            "SELECT \
             (SELECT COUNT(DISTINCT member_id) FROM dispatch_answers WHERE request_id = $1 AND available = 1), \
             (SELECT CAST(COALESCE(SUM(needed), 0) AS BIGINT) FROM dispatch_slots WHERE request_id = $1 AND cancelled_at IS NULL), \
             (SELECT COUNT(*) FROM dispatch_assignments WHERE request_id = $1 AND status IN ('planned', 'requested', 'accepted')), \
             (SELECT COUNT(*) FROM dispatch_assignments WHERE request_id = $1 AND status = 'accepted'), \
             (SELECT COUNT(*) FROM dispatch_assignments WHERE request_id = $1 AND status = 'declined'), \
             (SELECT COUNT(*) FROM daily_reports WHERE request_id = $1), \
             (SELECT COUNT(*) FROM daily_reports WHERE request_id = $1 AND status = 'approved')",
        ).bind(id).fetch_one(db).await?);
        let counts = row.counts();
        Ok(RequestTotals {
            request_id: id,
            asked: counts.asked,
            answered: counts.answered,
            available,
            needed,
            assigned,
            accepted,
            declined,
            reports_filed: filed,
            reports_approved: approved,
            fill_rate: if needed > 0 {
                (accepted as f64 / needed as f64).min(1.0)
            } else {
                0.0
            },
        })
    }

    /// A member's history from its approved reports. Operators see a member of their
    /// roster, counting only the requests in their scope (audited); a member sees its own.
    pub async fn dispatch_history(
        &self,
        actor: &Actor,
        member_id: Option<i64>,
    ) -> Result<DispatchHistory, ApiError> {
        let mut sql = Sql::new(
            "SELECT r.request_id, d.prefecture_code, h.name AS health_centre_name, r.starts_at, r.ends_at, r.break_minutes, r.duties \
             FROM daily_reports r JOIN dispatch_requests d ON d.id = r.request_id \
             JOIN organisations h ON h.id = d.health_centre_id \
             WHERE r.status = 'approved' AND r.member_id = ",
        );
        let member = match member_id {
            None if actor.role == Role::Member => {
                let own = self.own_member_id(actor).await?;
                sql.arg(own);
                own
            }
            Some(id) if actor.role != Role::Member => {
                may_read(actor)?;
                // The member must be in the caller's roster; 404 otherwise.
                self.visible_member_row(&actor.roster_scope(), id).await?;
                sql.arg(id).push(" AND ");
                push_request_visibility(&mut sql, actor, "d");
                id
            }
            _ => return Err(ApiError::Forbidden),
        };
        let rows: Vec<WorkedRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        if member_id.is_some() {
            let entry = NewEntry::by(actor, "member.history", "member", member);
            in_write!(self, tx => { write_audit!(tx, entry); });
        }
        Ok(history(member, rows))
    }
}
