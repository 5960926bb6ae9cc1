//! Capacity ahead (what a prefecture has the day a wave starts): for each of the next days,
//! the approved members available by prefecture, profession and way of helping, less those
//! already assigned that day.
//!
//! Most members are counted by the database, grouped by their availability periods; the few
//! that need a look of their own (periods overlapping each other, an answer offering a slot,
//! an assignment in the window) are read member by member, so nobody counts twice.

use super::may_read_utilisation;
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::dispatch::push_request_visibility;
use crate::store::sql::{bind_args, Sql};
use crate::store::{on_read, Store};
use chrono::{DateTime, Days, NaiveDate, Utc};
use ouen_shared::api::{CapacityAhead, CapacityQuery, CapacityRow};
use ouen_shared::time::{jst, start_of_jst_day, today_jst};
use ouen_shared::{HelpWay, Profession};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A prefecture, profession and way of helping.
type Cell = (String, Profession, HelpWay);

/// The window's days: the first, how many, and the instants they span.
struct Window {
    first: NaiveDate,
    days: usize,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

impl Window {
    fn last(&self) -> NaiveDate {
        self.first + Days::new(self.days as u64 - 1)
    }

    /// The window's day indices a period `from`..=`to` covers.
    fn covered(&self, from: NaiveDate, to: NaiveDate) -> std::ops::Range<usize> {
        let start = (from - self.first).num_days().max(0) as usize;
        let end = ((to - self.first).num_days() + 1).clamp(0, self.days as i64) as usize;
        start..end.max(start)
    }

    /// The index of the JST day of `at`, if it is in the window.
    fn day_of(&self, at: DateTime<Utc>) -> Option<usize> {
        let day = at.with_timezone(&jst()).date_naive();
        let i = (day - self.first).num_days();
        (0..self.days as i64).contains(&i).then_some(i as usize)
    }
}

/// The ways a period's flags name.
fn ways(on_site: bool, remote: bool, phone: bool) -> impl Iterator<Item = HelpWay> {
    [
        (on_site, HelpWay::OnSite),
        (remote, HelpWay::Remote),
        (phone, HelpWay::Phone),
    ]
    .into_iter()
    .filter_map(|(flag, way)| flag.then_some(way))
}

/// The condition that availability row `av` overlaps another period of its membership within
/// the window.
fn push_overlap(sql: &mut Sql, window: &Window) {
    sql.push(
        "EXISTS (SELECT 1 FROM availability o WHERE o.membership_id = av.membership_id \
         AND o.id <> av.id AND o.from_date <= av.to_date AND av.from_date <= o.to_date AND o.from_date <= ",
    )
    .arg(window.last())
    .push(" AND o.to_date >= ")
    .arg(window.first)
    .push(")");
}

/// The availability rows of approved memberships in the caller's roster, overlapping the
/// window: `SELECT <columns>[, <overlaps another period>] FROM …`, conditions to follow.
fn availability(actor: &Actor, window: &Window, columns: &str, overlap_flag: bool) -> Sql {
    let mut sql = Sql::new("SELECT ");
    sql.push(columns);
    if overlap_flag {
        sql.push(", ");
        push_overlap(&mut sql, window);
    }
    sql.push(
        " FROM availability av JOIN memberships ms ON ms.id = av.membership_id \
         JOIN member_licences l ON l.member_id = ms.member_id JOIN members m ON m.id = ms.member_id \
         WHERE ms.status = 'approved' AND m.anonymised_at IS NULL AND av.from_date <= ",
    )
    .arg(window.last())
    .push(" AND av.to_date >= ")
    .arg(window.first);
    actor
        .roster_scope()
        .push_membership_conditions(&mut sql, "ms");
    sql
}

/// The available answers and live assignments in the window, of requests the caller sees.
fn answers_and_assignments(actor: &Actor, window: &Window) -> (Sql, Sql) {
    let mut answers = Sql::new(
        "SELECT n.member_id, d.prefecture_code, l.profession, s.starts_at FROM dispatch_answers n \
         JOIN dispatch_slots s ON s.id = n.slot_id JOIN dispatch_requests d ON d.id = n.request_id \
         JOIN memberships ms ON ms.member_id = n.member_id AND ms.prefecture_code = d.prefecture_code \
         JOIN member_licences l ON l.member_id = n.member_id JOIN members m ON m.id = n.member_id \
         WHERE n.available <> 0 AND s.cancelled_at IS NULL AND d.status <> 'cancelled' \
         AND ms.status = 'approved' AND m.anonymised_at IS NULL AND s.starts_at >= ",
    );
    answers
        .arg(window.from)
        .push(" AND s.starts_at < ")
        .arg(window.until);
    actor
        .roster_scope()
        .push_membership_conditions(&mut answers, "ms");
    answers.push(" AND ");
    push_request_visibility(&mut answers, actor, "d");

    let mut assigned = Sql::new(
        "SELECT a.member_id, a.starts_at FROM dispatch_assignments a \
         JOIN dispatch_slots s ON s.id = a.slot_id JOIN dispatch_requests d ON d.id = a.request_id \
         WHERE a.status IN ('planned', 'requested', 'accepted') AND s.cancelled_at IS NULL AND a.starts_at >= ",
    );
    assigned
        .arg(window.from)
        .push(" AND a.starts_at < ")
        .arg(window.until)
        .push(" AND ");
    push_request_visibility(&mut assigned, actor, "d");
    (answers, assigned)
}

/// Counts per cell and day, as they are built.
#[derive(Default)]
struct Tally {
    cells: BTreeMap<Cell, (Vec<i64>, Vec<i64>)>,
    days: usize,
}

impl Tally {
    fn cell(&mut self, cell: Cell) -> &mut (Vec<i64>, Vec<i64>) {
        let days = self.days;
        self.cells
            .entry(cell)
            .or_insert_with(|| (vec![0; days], vec![0; days]))
    }

    fn rows(self) -> Vec<CapacityRow> {
        self.cells
            .into_iter()
            .filter(|(_, (available, _))| available.iter().any(|n| *n > 0))
            .map(
                |((prefecture_code, profession, way), (available, assigned))| {
                    let free = available
                        .iter()
                        .zip(&assigned)
                        .map(|(a, b)| (a - b).max(0))
                        .collect();
                    CapacityRow {
                        prefecture_code,
                        profession,
                        way,
                        available,
                        assigned,
                        free,
                    }
                },
            )
            .collect()
    }
}

impl Store {
    /// Capacity ahead in the caller's scope: approved members of the roster it sees, and the
    /// answers and assignments of the requests it sees.
    pub async fn capacity_ahead(
        &self,
        actor: &Actor,
        query: &CapacityQuery,
    ) -> Result<CapacityAhead, ApiError> {
        may_read_utilisation(actor)?;
        let (first, days) = query.window(today_jst()).map_err(ApiError::Invalid)?;
        let window = Window {
            first,
            days: days as usize,
            from: start_of_jst_day(first),
            until: start_of_jst_day(first + Days::new(u64::from(days))),
        };

        // Members whose periods do not overlap each other, counted by the database.
        let mut grouped = availability(
            actor,
            &window,
            "ms.prefecture_code, l.profession, av.from_date, av.to_date, av.on_site, av.remote, av.phone, COUNT(*)",
            false,
        );
        grouped.push(" AND NOT ");
        push_overlap(&mut grouped, &window);
        grouped.push(
            " GROUP BY ms.prefecture_code, l.profession, av.from_date, av.to_date, av.on_site, av.remote, av.phone",
        );
        // The periods of the members that need a look of their own.
        let mut own = availability(
            actor,
            &window,
            "ms.member_id, ms.prefecture_code, l.profession, av.from_date, av.to_date, av.on_site, av.remote, av.phone",
            true,
        );
        own.push(" AND (");
        push_overlap(&mut own, &window);
        own.push(
            " OR ms.member_id IN (SELECT n.member_id FROM dispatch_answers n JOIN dispatch_slots s ON s.id = n.slot_id \
             WHERE n.available <> 0 AND s.starts_at >= ",
        )
        .arg(window.from)
        .push(" AND s.starts_at < ")
        .arg(window.until)
        .push(
            ") OR ms.member_id IN (SELECT a.member_id FROM dispatch_assignments a \
             WHERE a.status IN ('planned', 'requested', 'accepted') AND a.starts_at >= ",
        )
        .arg(window.from)
        .push(" AND a.starts_at < ")
        .arg(window.until)
        .push("))");
        let (answers, assigned) = answers_and_assignments(actor, &window);

        type Grouped = (String, String, NaiveDate, NaiveDate, bool, bool, bool, i64);
        type Own = (
            i64,
            String,
            String,
            NaiveDate,
            NaiveDate,
            bool,
            bool,
            bool,
            bool,
        );
        type Answer = (i64, String, String, DateTime<Utc>);
        type Assigned = (i64, DateTime<Utc>);
        let (grouped, own, answers, assigned): (
            Vec<Grouped>,
            Vec<Own>,
            Vec<Answer>,
            Vec<Assigned>,
        ) = on_read!(self, db => (
            bind_args!(sqlx::query_as(&grouped.text), grouped.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&own.text), own.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&answers.text), answers.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&assigned.text), assigned.args).fetch_all(db).await?,
        ));

        let mut tally = Tally {
            days: window.days,
            ..Tally::default()
        };
        for (code, profession, from, to, on_site, remote, phone, members) in grouped {
            let Some(profession) = Profession::from_code(&profession) else {
                continue;
            };
            for way in ways(on_site, remote, phone) {
                let (available, _) = tally.cell((code.clone(), profession, way));
                for day in window.covered(from, to) {
                    available[day] += members;
                }
            }
        }
        // Each member's cells per day; those of overlapping periods are counted here.
        let mut seen: HashMap<i64, Vec<BTreeSet<Cell>>> = HashMap::new();
        for (member, code, profession, from, to, on_site, remote, phone, overlapping) in own {
            let Some(profession) = Profession::from_code(&profession) else {
                continue;
            };
            let days = seen
                .entry(member)
                .or_insert_with(|| vec![BTreeSet::new(); window.days]);
            for way in ways(on_site, remote, phone) {
                let cell = (code.clone(), profession, way);
                for day in window.covered(from, to) {
                    if days[day].insert(cell.clone()) && overlapping {
                        tally.cell(cell.clone()).0[day] += 1;
                    }
                }
            }
        }
        // An answer offering a slot makes a member available on site that day.
        for (member, code, profession, starts_at) in answers {
            let (Some(profession), Some(day)) =
                (Profession::from_code(&profession), window.day_of(starts_at))
            else {
                continue;
            };
            let cell = (code, profession, HelpWay::OnSite);
            let days = seen
                .entry(member)
                .or_insert_with(|| vec![BTreeSet::new(); window.days]);
            if days[day].insert(cell.clone()) {
                tally.cell(cell).0[day] += 1;
            }
        }
        // An assignment takes the member out of every cell it counts in that day.
        let busy: BTreeSet<(i64, usize)> = assigned
            .into_iter()
            .filter_map(|(member, starts_at)| Some((member, window.day_of(starts_at)?)))
            .collect();
        for (member, day) in busy {
            let Some(cells) = seen.get(&member).map(|days| days[day].clone()) else {
                continue;
            };
            for cell in cells {
                tally.cell(cell).1[day] += 1;
            }
        }
        Ok(CapacityAhead {
            from: first,
            days,
            rows: tally.rows(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window() -> Window {
        let first = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        Window {
            first,
            days: 14,
            from: start_of_jst_day(first),
            until: start_of_jst_day(first + Days::new(14)),
        }
    }

    #[test]
    fn a_period_covers_the_days_of_the_window_it_overlaps() {
        let w = window();
        let d = |m, dd| NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
        assert_eq!(w.covered(d(11, 1), d(12, 31)), 0..14);
        assert_eq!(w.covered(d(12, 8), d(12, 9)), 1..3);
        assert_eq!(w.covered(d(12, 20), d(12, 31)), 13..14);
        assert_eq!(w.covered(d(12, 21), d(12, 31)), 14..14);
        assert_eq!(w.covered(d(11, 1), d(12, 6)), 0..0);
    }

    #[test]
    fn an_instant_is_placed_on_its_japanese_day() {
        let w = window();
        // 23:30 UTC on 6 December is 08:30 on 7 December in Japan.
        let at = DateTime::parse_from_rfc3339("2026-12-06T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(w.day_of(at), Some(0));
        assert_eq!(w.day_of(w.until), None);
        assert_eq!(w.day_of(w.from - chrono::Duration::minutes(1)), None);
    }
}
