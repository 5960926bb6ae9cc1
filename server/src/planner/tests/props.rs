//! Random small instances: the plan keeps every hard rule (checked here, independently of the
//! planner's own rules) and fills exactly as many seats as an exhaustive search finds.

use super::super::*;
use super::at;
use ouen_shared::Profession::{self, Doctor, Nurse, PublicHealthNurse};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

const CASES: u64 = 400;
const KINDS: [Profession; 3] = [Doctor, Nurse, PublicHealthNurse];

fn some_professions(rng: &mut StdRng, most: usize) -> Vec<Profession> {
    let n = rng.gen_range(0..=most);
    let mut all = KINDS.to_vec();
    all.shuffle(rng);
    all.truncate(n);
    all
}

/// A small instance: 3–6 people, 4–8 slots over four days with overnight slots, slots placed
/// at exactly the rest or one minute less after another, busy times and fixed assignments.
fn instance(seed: u64) -> Problem {
    let mut rng = StdRng::seed_from_u64(seed);
    let min_rest = match rng.gen_range(0..10) {
        0 => Duration::zero(),
        1 => Duration::hours(2),
        _ => Duration::hours(8),
    };
    let base = at(1, 0, 0);
    let mut slots: Vec<Slot> = Vec::new();
    for id in 1..=rng.gen_range(4..=8i64) {
        let length = Duration::minutes(*[240, 480, 480, 480, 720, 90].choose(&mut rng).unwrap());
        let (starts_at, length) = match (rng.gen_range(0..10), slots.choose(&mut rng)) {
            // right after another slot's rest, or one minute short of it
            (0..=2, Some(prev)) => (
                prev.ends_at + min_rest - Duration::minutes(rng.gen_range(0..=1)),
                length,
            ),
            // an overnight slot 22:00–06:00 (UTC here; only the interval matters)
            (3..=4, _) => (
                base + Duration::hours(22 + 24 * rng.gen_range(0..3)),
                Duration::hours(8),
            ),
            _ => (
                base + Duration::minutes(30 * rng.gen_range(0..(4 * 48))),
                length,
            ),
        };
        let ends_at = starts_at + length;
        slots.push(Slot {
            id,
            request_id: rng.gen_range(1..=2),
            starts_at,
            ends_at,
            needed: rng.gen_range(1..=3),
            professions: if rng.gen_bool(0.5) {
                Vec::new()
            } else {
                some_professions(&mut rng, 2)
            },
        });
    }
    let mut people = Vec::new();
    for member_id in 100..100 + rng.gen_range(3..=6i64) {
        let mut available: Vec<i64> = slots
            .iter()
            .filter(|_| rng.gen_bool(0.6))
            .map(|s| s.id)
            .collect();
        if rng.gen_bool(0.1) && !available.is_empty() {
            available.push(available[0]);
        }
        let busy = (0..rng.gen_range(0..=1))
            .map(|_| {
                let starts_at = base + Duration::minutes(30 * rng.gen_range(0..(4 * 48)));
                Busy {
                    starts_at,
                    ends_at: starts_at + Duration::hours(rng.gen_range(1..=10)),
                }
            })
            .collect();
        let fixed = if rng.gen_bool(0.15) {
            vec![slots.choose(&mut rng).unwrap().id]
        } else {
            Vec::new()
        };
        people.push(Person {
            member_id,
            professions: some_professions(&mut rng, 2),
            available,
            busy,
            fixed,
            prior_load_minutes: rng.gen_range(0..2000),
        });
    }
    Problem {
        slots,
        people,
        min_rest,
    }
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Whether one person may work both intervals: the later one starts at least `rest` after the
/// earlier one ends.
fn apart(x: (i64, i64), y: (i64, i64), rest: i64) -> bool {
    let (first, second) = if (x.0, x.1) <= (y.0, y.1) {
        (x, y)
    } else {
        (y, x)
    };
    second.0 >= first.1 + rest
}

fn may_do(p: &Person, s: &Slot) -> bool {
    (s.professions.is_empty() || s.professions.iter().any(|k| p.professions.contains(k)))
        && p.available.contains(&s.id)
}

/// Slots `p` could be added to: said yes, qualified, clear of busy times and of its fixed slots.
fn addable(problem: &Problem, p: &Person) -> Vec<usize> {
    let rest = problem.min_rest.num_milliseconds().max(0);
    let span = |s: &Slot| (ms(s.starts_at), ms(s.ends_at));
    problem
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            may_do(p, s)
                && !p.fixed.contains(&s.id)
                && p.busy
                    .iter()
                    .all(|b| apart(span(s), (ms(b.starts_at), ms(b.ends_at)), rest))
                && problem
                    .slots
                    .iter()
                    .filter(|f| p.fixed.contains(&f.id))
                    .all(|f| apart(span(s), span(f), rest))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The most assignments that can be added, by dynamic programming over people with the seats
/// used per slot as the state (every compatible subset of every person's slots is tried).
fn optimum_added(problem: &Problem) -> usize {
    let rest = problem.min_rest.num_milliseconds().max(0);
    let n = problem.slots.len();
    let cap: Vec<u32> = problem
        .slots
        .iter()
        .map(|s| {
            let fixed = problem
                .people
                .iter()
                .filter(|p| p.fixed.contains(&s.id))
                .count() as u32;
            s.needed.saturating_sub(fixed)
        })
        .collect();
    let mut states: BTreeSet<Vec<u32>> = BTreeSet::from([vec![0; n]]);
    for p in &problem.people {
        let options = addable(problem, p);
        let mut subsets: Vec<Vec<usize>> = Vec::new();
        for mask in 0u32..(1 << options.len()) {
            let chosen: Vec<usize> = (0..options.len())
                .filter(|&k| mask >> k & 1 == 1)
                .map(|k| options[k])
                .collect();
            let ok = chosen.iter().enumerate().all(|(i, &x)| {
                chosen[i + 1..].iter().all(|&y| {
                    let (sx, sy) = (&problem.slots[x], &problem.slots[y]);
                    apart(
                        (ms(sx.starts_at), ms(sx.ends_at)),
                        (ms(sy.starts_at), ms(sy.ends_at)),
                        rest,
                    )
                })
            });
            if ok {
                subsets.push(chosen);
            }
        }
        let mut next = BTreeSet::new();
        for state in &states {
            for subset in &subsets {
                if subset.iter().all(|&s| state[s] < cap[s]) {
                    let mut grown = state.clone();
                    for &s in subset {
                        grown[s] += 1;
                    }
                    next.insert(grown);
                }
            }
        }
        states = next;
    }
    states
        .iter()
        .map(|s| s.iter().sum::<u32>() as usize)
        .max()
        .unwrap_or(0)
}

/// Panics with the broken rule if `plan` breaks one; returns the number of added assignments.
fn check(problem: &Problem, plan: &Plan) -> usize {
    let rest = problem.min_rest.num_milliseconds().max(0);
    let slot = |id: i64| {
        problem
            .slots
            .iter()
            .find(|s| s.id == id)
            .expect("known slot")
    };
    let span = |s: &Slot| (ms(s.starts_at), ms(s.ends_at));
    let mut seen = BTreeSet::new();
    for x in &plan.assignments {
        assert!(
            seen.insert((x.slot_id, x.member_id)),
            "twice in a slot: {x:?}"
        );
    }
    let mut added_per_slot: BTreeMap<i64, u32> = BTreeMap::new();
    let mut added = 0;
    for p in &problem.people {
        for f in &p.fixed {
            assert!(
                seen.contains(&(*f, p.member_id)),
                "fixed {f} of {} dropped",
                p.member_id
            );
        }
        let mine: Vec<(i64, bool)> = plan
            .assignments
            .iter()
            .filter(|x| x.member_id == p.member_id)
            .map(|x| (x.slot_id, p.fixed.contains(&x.slot_id)))
            .collect();
        for (k, &(s, fixed)) in mine.iter().enumerate() {
            if fixed {
                continue;
            }
            added += 1;
            *added_per_slot.entry(s).or_default() += 1;
            let here = slot(s);
            assert!(may_do(p, here), "{} not eligible for {s}", p.member_id);
            for b in &p.busy {
                assert!(
                    apart(span(here), (ms(b.starts_at), ms(b.ends_at)), rest),
                    "busy: {s}"
                );
            }
            for (j, &(t, _)) in mine.iter().enumerate() {
                if j != k {
                    assert!(
                        apart(span(here), span(slot(t)), rest),
                        "{} in {s} and {t}",
                        p.member_id
                    );
                }
            }
        }
    }
    assert!(plan
        .assignments
        .iter()
        .all(|x| problem.people.iter().any(|p| p.member_id == x.member_id)));
    let mut short = Vec::new();
    for s in &problem.slots {
        let count = plan
            .assignments
            .iter()
            .filter(|x| x.slot_id == s.id)
            .count() as u32;
        let fixed = problem
            .people
            .iter()
            .filter(|p| p.fixed.contains(&s.id))
            .count() as u32;
        assert!(added_per_slot.get(&s.id).copied().unwrap_or(0) <= s.needed.saturating_sub(fixed));
        if count < s.needed {
            let others: Vec<&Person> = problem
                .people
                .iter()
                .filter(|p| p.available.contains(&s.id))
                .filter(|p| !seen.contains(&(s.id, p.member_id)))
                .collect();
            let reason = if others.is_empty() {
                UnfilledReason::NobodyAvailable
            } else if others.iter().all(|p| !may_do(p, s)) {
                UnfilledReason::ProfessionMissing
            } else {
                UnfilledReason::OnlyConflicted
            };
            short.push(Unfilled {
                slot_id: s.id,
                missing: s.needed - count,
                reason,
            });
        }
    }
    short.sort_by_key(|u| u.slot_id);
    assert_eq!(plan.unfilled, short);
    added
}

#[test]
fn random_instances_keep_every_rule_and_fill_the_optimum() {
    for seed in 0..CASES {
        let problem = instance(seed);
        let plan = plan(&problem);
        let added = check(&problem, &plan);
        assert_eq!(
            added,
            optimum_added(&problem),
            "seed {seed}: {problem:#?}\n{plan:#?}"
        );
        // The order of the input does not matter.
        let mut shuffled = problem.clone();
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
        shuffled.slots.shuffle(&mut rng);
        shuffled.people.shuffle(&mut rng);
        assert_eq!(
            super::super::plan(&shuffled),
            plan,
            "seed {seed}: order changed the plan"
        );
    }
}

#[test]
fn the_checker_catches_broken_plans() {
    // The test must be able to fail: a plan with a person in two clashing slots is refused.
    let problem = Problem::new(
        vec![
            super::slot(1, at(1, 8, 0), at(1, 16, 0), 1),
            super::slot(2, at(1, 20, 0), at(2, 4, 0), 1),
        ],
        vec![super::person(10, &[1, 2])],
    );
    let broken = Plan {
        assignments: vec![
            Assignment {
                slot_id: 1,
                member_id: 10,
            },
            Assignment {
                slot_id: 2,
                member_id: 10,
            },
        ],
        unfilled: Vec::new(),
    };
    assert!(std::panic::catch_unwind(|| check(&problem, &broken)).is_err());
    assert_eq!(optimum_added(&problem), 1);
}
