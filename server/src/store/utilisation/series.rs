//! Utilisation over time: the period cut into weeks or months, each step counting the
//! registrations and approvals of the roster in scope, and the requests, asks, answers,
//! seats and approved work of the requests in scope.
//!
//! Counting is done by the database, each row placed in its step by a `CASE` over the steps'
//! ends (portable, and one scan per table); only the figures that need the rows themselves
//! (the median time to answer, member-days and minutes) read them.

use super::may_read_utilisation;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::dispatch::push_request_visibility;
use crate::store::sql::{bind_args, Sql};
use crate::store::{on_read, Store};
use chrono::{DateTime, NaiveDate, Utc};
use ouen_shared::api::{worked_minutes, Interval, SeriesQuery, UtilisationStep};
use ouen_shared::time::{jst, start_of_jst_day};
use std::collections::BTreeSet;

/// The steps of a series as instants: where the period starts, and where each step ends.
struct Steps {
    from: DateTime<Utc>,
    ends: Vec<DateTime<Utc>>,
}

impl Steps {
    /// The index of the step holding `at`, if it is in the period.
    fn of(&self, at: DateTime<Utc>) -> Option<usize> {
        if at < self.from {
            return None;
        }
        let i = self.ends.partition_point(|end| *end <= at);
        (i < self.ends.len()).then_some(i)
    }

    fn until(&self) -> DateTime<Utc> {
        self.ends.last().copied().unwrap_or(self.from)
    }

    /// `SELECT <step of column>, <aggregates> FROM <from_where>` limited to the period; the
    /// caller appends its conditions and then [`Steps::grouped`].
    fn select(&self, column: &str, aggregates: &str, from_where: &str) -> Sql {
        let mut sql = Sql::new("SELECT CAST(CASE");
        for (i, end) in self.ends.iter().enumerate() {
            sql.push(&format!(" WHEN {column} < "))
                .arg(*end)
                .push(&format!(" THEN {i}"));
        }
        sql.push(&format!(
            " END AS BIGINT), {aggregates} FROM {from_where} AND {column} >= "
        ))
        .arg(self.from)
        .push(&format!(" AND {column} < "))
        .arg(self.until());
        sql
    }

    fn grouped(sql: &mut Sql) {
        sql.push(" GROUP BY 1");
    }
}

/// The step at `index`, if the database answered one in range.
fn step(steps: &mut [UtilisationStep], index: i64) -> Option<&mut UtilisationStep> {
    usize::try_from(index).ok().and_then(|i| steps.get_mut(i))
}

/// The median of `values` (the lower of the two middle ones for an even count).
fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

impl Store {
    /// The series of the period, a step per week (from Monday) or month, in the caller's scope.
    pub async fn utilisation_series(
        &self,
        actor: &Actor,
        query: &SeriesQuery,
    ) -> Result<Vec<UtilisationStep>, ApiError> {
        may_read_utilisation(actor)?;
        let (first, next) = query.period().days().map_err(ApiError::Invalid)?;
        let days = query.interval.unwrap_or(Interval::Week).steps(first, next);
        let steps = Steps {
            from: start_of_jst_day(first),
            ends: days.iter().map(|(_, end)| start_of_jst_day(*end)).collect(),
        };
        let mut out: Vec<UtilisationStep> = days
            .iter()
            .map(|(start, end)| UtilisationStep::empty(*start, end.pred_opt().unwrap_or(*end)))
            .collect();
        let roster = actor.roster_scope();

        // Memberships registered, and approvals decided, of members not erased.
        let mut registered = steps.select(
            "ms.created_at",
            "COUNT(*)",
            "memberships ms JOIN members m ON m.id = ms.member_id WHERE m.anonymised_at IS NULL",
        );
        roster.push_membership_conditions(&mut registered, "ms");
        Steps::grouped(&mut registered);
        let mut approved = steps.select(
            "e.at",
            "COUNT(*)",
            "membership_events e JOIN memberships ms ON ms.id = e.membership_id \
             JOIN members m ON m.id = ms.member_id WHERE m.anonymised_at IS NULL AND e.status = 'approved'",
        );
        roster.push_membership_conditions(&mut approved, "ms");
        Steps::grouped(&mut approved);

        // Requests sent, and the seats of live slots starting in each step.
        let mut sent = steps.select("d.sent_at", "COUNT(*)", "dispatch_requests d WHERE TRUE");
        sent.push(" AND ");
        push_request_visibility(&mut sent, actor, "d");
        Steps::grouped(&mut sent);
        let mut seats = steps.select(
            "s.starts_at",
            "CAST(COALESCE(SUM(s.needed), 0) AS BIGINT), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_assignments a WHERE a.slot_id = s.id AND a.status IN ('planned', 'requested', 'accepted'))), 0) AS BIGINT), \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM dispatch_assignments a WHERE a.slot_id = s.id AND a.status = 'accepted')), 0) AS BIGINT)",
            "dispatch_slots s JOIN dispatch_requests d ON d.id = s.request_id \
             WHERE d.status <> 'draft' AND s.cancelled_at IS NULL",
        );
        seats.push(" AND ");
        push_request_visibility(&mut seats, actor, "d");
        Steps::grouped(&mut seats);

        // Asks, by when they were sent (the answer time needs the rows).
        let mut asks = Sql::new(
            "SELECT k.asked_at, k.answered_at FROM dispatch_asks k \
             JOIN dispatch_requests d ON d.id = k.request_id WHERE k.asked_at >= ",
        );
        asks.arg(steps.from)
            .push(" AND k.asked_at < ")
            .arg(steps.until())
            .push(" AND ");
        push_request_visibility(&mut asks, actor, "d");

        // Approved reports worked in the period.
        let mut work = Sql::new(
            "SELECT r.member_id, r.starts_at, r.ends_at, r.break_minutes FROM daily_reports r \
             JOIN dispatch_requests d ON d.id = r.request_id WHERE r.status = 'approved' AND r.starts_at >= ",
        );
        work.arg(steps.from)
            .push(" AND r.starts_at < ")
            .arg(steps.until())
            .push(" AND ");
        push_request_visibility(&mut work, actor, "d");

        type Count = (i64, i64);
        type Seats = (i64, i64, i64, i64);
        type Asked = (DateTime<Utc>, Option<DateTime<Utc>>);
        type Worked = (i64, DateTime<Utc>, DateTime<Utc>, i64);
        type Figures = (
            Vec<Count>,
            Vec<Count>,
            Vec<Count>,
            Vec<Seats>,
            Vec<Asked>,
            Vec<Worked>,
        );
        let (registered, approved, sent, seats, asks, work): Figures = on_read!(self, db => (
            bind_args!(sqlx::query_as(&registered.text), registered.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&approved.text), approved.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&sent.text), sent.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&seats.text), seats.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&asks.text), asks.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&work.text), work.args).fetch_all(db).await?,
        ));

        for (i, n) in registered {
            if let Some(s) = step(&mut out, i) {
                s.registrations = n;
            }
        }
        for (i, n) in approved {
            if let Some(s) = step(&mut out, i) {
                s.approvals = n;
            }
        }
        for (i, n) in sent {
            if let Some(s) = step(&mut out, i) {
                s.requests_sent = n;
            }
        }
        for (i, needed, assigned, accepted) in seats {
            if let Some(s) = step(&mut out, i) {
                (s.seats_needed, s.seats_assigned, s.seats_accepted) = (needed, assigned, accepted);
            }
        }
        let mut answer_minutes: Vec<Vec<i64>> = vec![Vec::new(); out.len()];
        for (asked_at, answered_at) in asks {
            let Some(i) = steps.of(asked_at) else {
                continue;
            };
            out[i].asked += 1;
            if let Some(answered_at) = answered_at {
                out[i].answered += 1;
                answer_minutes[i].push((answered_at - asked_at).num_minutes().max(0));
            }
        }
        for (s, minutes) in out.iter_mut().zip(answer_minutes.iter_mut()) {
            s.median_answer_minutes = median(minutes);
        }
        let mut member_days: Vec<BTreeSet<(i64, NaiveDate)>> = vec![BTreeSet::new(); out.len()];
        for (member, starts, ends, break_minutes) in work {
            let Some(i) = steps.of(starts) else { continue };
            out[i].minutes_worked += worked_minutes(starts, ends, break_minutes);
            member_days[i].insert((member, starts.with_timezone(&jst()).date_naive()));
        }
        for (s, days) in out.iter_mut().zip(member_days) {
            s.days_worked = days.len() as i64;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_lower_middle_and_none_of_nothing() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30]), Some(30));
        assert_eq!(median(&mut [90, 10, 30]), Some(30));
        assert_eq!(median(&mut [40, 10, 30, 20]), Some(20));
    }

    #[test]
    fn an_instant_falls_in_the_step_whose_end_is_after_it() {
        let at = |h: i64| DateTime::<Utc>::from_timestamp(h * 3600, 0).unwrap();
        let steps = Steps {
            from: at(0),
            ends: vec![at(10), at(20)],
        };
        assert_eq!(steps.of(at(0)), Some(0));
        assert_eq!(steps.of(at(10)), Some(1));
        assert_eq!(steps.of(at(20)), None);
        assert_eq!(
            steps.of(DateTime::<Utc>::from_timestamp(-1, 0).unwrap()),
            None
        );
    }
}
