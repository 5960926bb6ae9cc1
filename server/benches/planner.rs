//! Shift auto-fill at the size of a month of a large request: 300 people, 31 days of three
//! slots (08:00–16:00, 16:00–24:00 and 22:00–06:00 Japan time, so the night slot overlaps the
//! evening one and crosses midnight), 2–8 people per slot, mixed professions, about 60 % of the
//! people answering and each of those available on about half the slots, some busy elsewhere,
//! some slots already hand-assigned. Times `planner::plan` (and `planner::conflicts` over its
//! result) on the same generated problem.
//!
//! ```sh
//! cargo bench -p ouen-server --bench planner
//! ```
//!
//! `OUEN_BENCH_PEOPLE` (default 300), `OUEN_BENCH_DAYS` (default 31) and
//! `OUEN_BENCH_ITERATIONS` (default 50) change the size of the run.

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use ouen_server::planner::{
    conflicts, plan, Assignment, Busy, Conflict, ConflictWith, Person, Problem, Slot,
};
use ouen_shared::Profession::{self, Doctor, Nurse, Pharmacist, PublicHealthNurse};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

const WARM_UP: usize = 3;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn problem(people: usize, days: u32) -> Problem {
    let mut rng = StdRng::seed_from_u64(20_261_202);
    let jst = FixedOffset::east_opt(9 * 3600).unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut slots = Vec::new();
    for day in 0..days {
        let date = first + Duration::days(day as i64);
        for (k, (start, hours)) in [(8, 8), (16, 8), (22, 8)].into_iter().enumerate() {
            let starts_at = jst
                .from_local_datetime(&date.and_hms_opt(start, 0, 0).unwrap())
                .unwrap()
                .with_timezone(&Utc);
            let professions: Vec<Profession> = match rng.gen_range(0..10) {
                0..=3 => Vec::new(),
                4..=6 => vec![Nurse, PublicHealthNurse],
                7..=8 => vec![Doctor],
                _ => vec![Pharmacist],
            };
            slots.push(Slot {
                id: (day * 3 + k as u32 + 1) as i64,
                request_id: 1 + (k as i64 % 2),
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                needed: rng.gen_range(2..=8),
                professions,
            });
        }
    }
    let start = slots[0].starts_at;
    let mut persons = Vec::new();
    for i in 0..people {
        let professions = match rng.gen_range(0..20) {
            0..=9 => vec![Nurse],
            10..=13 => vec![PublicHealthNurse, Nurse],
            14..=16 => vec![Doctor],
            _ => vec![Pharmacist],
        };
        let answers = rng.gen_bool(0.6);
        let available: Vec<i64> = if answers {
            slots
                .iter()
                .filter(|_| rng.gen_bool(0.5))
                .map(|s| s.id)
                .collect()
        } else {
            Vec::new()
        };
        let busy = if rng.gen_bool(0.1) {
            (0..rng.gen_range(1..=4))
                .map(|_| {
                    let starts_at = start + Duration::hours(rng.gen_range(0..24 * days as i64));
                    Busy {
                        starts_at,
                        ends_at: starts_at + Duration::hours(8),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let fixed = if answers && rng.gen_bool(0.05) && !available.is_empty() {
            vec![available[rng.gen_range(0..available.len())]]
        } else {
            Vec::new()
        };
        persons.push(Person {
            member_id: 1_000 + i as i64,
            professions,
            available,
            busy,
            fixed,
            prior_load_minutes: rng.gen_range(0..2_400),
        });
    }
    Problem::new(slots, persons)
}

/// Whether one person may not work both: they overlap or are less than `rest` apart.
fn clash(a: (i64, i64), b: (i64, i64), rest: i64) -> bool {
    a.0 < b.1 + rest && b.0 < a.1 + rest
}

/// An upper bound on the filled seats, the smaller of: each slot holds at most its needed
/// and its people who may take it (fixed there, or qualified yes-sayers clear of busy times and
/// of their fixed slots); and each person works at most its fixed slots plus the largest set of
/// such slots that are pairwise apart (greedy by end time, exact for intervals).
fn upper_bound(problem: &Problem) -> u32 {
    let rest = problem.min_rest.num_milliseconds();
    let span = |s: &Slot| (s.starts_at.timestamp_millis(), s.ends_at.timestamp_millis());
    let may = |p: &Person, s: &Slot| {
        p.available.contains(&s.id)
            && !p.fixed.contains(&s.id)
            && (s.professions.is_empty() || s.professions.iter().any(|k| p.professions.contains(k)))
            && p.busy.iter().all(|b| {
                !clash(
                    span(s),
                    (b.starts_at.timestamp_millis(), b.ends_at.timestamp_millis()),
                    rest,
                )
            })
            && problem
                .slots
                .iter()
                .filter(|f| p.fixed.contains(&f.id))
                .all(|f| !clash(span(s), span(f), rest))
    };
    let by_slots: u32 = problem
        .slots
        .iter()
        .map(|s| {
            let able = problem
                .people
                .iter()
                .filter(|p| p.fixed.contains(&s.id) || may(p, s))
                .count();
            (able as u32).min(s.needed)
        })
        .sum();
    let by_people: u32 = problem
        .people
        .iter()
        .map(|p| {
            let mut mine: Vec<&Slot> = problem.slots.iter().filter(|s| may(p, s)).collect();
            mine.sort_by_key(|s| (s.ends_at, s.starts_at));
            let mut last: Option<&Slot> = None;
            let mut count = p.fixed.len() as u32;
            for s in mine {
                if last.is_none_or(|l| !clash(span(l), span(s), rest)) {
                    count += 1;
                    last = Some(s);
                }
            }
            count
        })
        .sum();
    by_slots.min(by_people)
}

fn summary(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    let p99 = times[(times.len() * 99).div_ceil(100).max(1) - 1];
    println!(
        "{label:<10} {n} runs: min {min:.1} ms, median {median:.1} ms, p99 {p99:.1} ms",
        n = times.len(),
        min = times[0],
        median = times[times.len() / 2],
    );
}

fn main() {
    let people = env("OUEN_BENCH_PEOPLE", 300);
    let days = env("OUEN_BENCH_DAYS", 31) as u32;
    let iterations = env("OUEN_BENCH_ITERATIONS", 50).max(1);
    let problem = problem(people, days);
    let seats: u32 = problem.slots.iter().map(|s| s.needed).sum();
    let options: usize = problem
        .slots
        .iter()
        .map(|s| {
            problem
                .people
                .iter()
                .filter(|p| p.available.contains(&s.id))
                .filter(|p| {
                    s.professions.is_empty()
                        || s.professions.iter().any(|k| p.professions.contains(k))
                })
                .count()
        })
        .sum();
    let bound = upper_bound(&problem);
    println!(
        "{people} people, {} slots over {days} days, {seats} seats, {options} qualified yes-answers",
        problem.slots.len()
    );

    let mut times = Vec::new();
    let mut result = None;
    for i in 0..WARM_UP + iterations {
        let started = Instant::now();
        let planned = plan(&problem);
        let elapsed = started.elapsed().as_secs_f64() * 1e3;
        if i >= WARM_UP {
            times.push(elapsed);
        }
        if let Some(previous) = &result {
            assert_eq!(previous, &planned, "the plan changed between runs");
        }
        result = Some(planned);
    }
    let planned = result.expect("planned");
    summary("plan", times);

    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        found = conflicts(&problem, &planned.assignments).len();
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    summary("conflicts", times);

    let flagged = conflicts(&problem, &planned.assignments);
    let fixed = |a: &Assignment| {
        problem
            .people
            .iter()
            .any(|p| p.member_id == a.member_id && p.fixed.contains(&a.slot_id))
    };
    let by_plan = flagged
        .iter()
        .filter(|(a, c)| {
            !fixed(a)
                && !matches!(c, Conflict::Overlap { other: ConflictWith::Slot(id) }
                    | Conflict::Rest { other: ConflictWith::Slot(id), .. }
                    if fixed(&Assignment { slot_id: *id, member_id: a.member_id }))
        })
        .count();
    assert_eq!(by_plan, 0, "the plan broke a rule: {flagged:?}");
    let missing: u32 = planned.unfilled.iter().map(|u| u.missing).sum();
    println!(
        "filled {} of {seats} seats (upper bound {bound}), {} slots short; {found} conflicts flagged, all of hand-assigned slots",
        seats - missing,
        planned.unfilled.len()
    );
    let mut loads: Vec<i64> = problem
        .people
        .iter()
        .filter(|p| !p.available.is_empty())
        .map(|p| {
            let mine = planned
                .assignments
                .iter()
                .filter(|a| a.member_id == p.member_id);
            p.prior_load_minutes
                + mine
                    .map(|a| {
                        let s = problem.slots.iter().find(|s| s.id == a.slot_id).unwrap();
                        (s.ends_at - s.starts_at).num_minutes()
                    })
                    .sum::<i64>()
        })
        .collect();
    loads.sort_unstable();
    println!(
        "load of the {} people who answered (prior + planned, hours): min {:.1}, median {:.1}, max {:.1}",
        loads.len(),
        loads[0] as f64 / 60.0,
        loads[loads.len() / 2] as f64 / 60.0,
        loads[loads.len() - 1] as f64 / 60.0,
    );
}
