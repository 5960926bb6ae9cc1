//! The soft objective: load spread fairly, continuity within a request, seats first.

use super::super::*;
use super::{at, of, person, slot};

fn minutes(problem: &Problem, plan: &Plan, member_id: i64) -> i64 {
    let prior = problem
        .people
        .iter()
        .find(|p| p.member_id == member_id)
        .unwrap();
    prior.prior_load_minutes
        + of(plan, member_id)
            .iter()
            .map(|id| {
                let s = problem.slots.iter().find(|s| s.id == *id).unwrap();
                (s.ends_at - s.starts_at).num_minutes()
            })
            .sum::<i64>()
}

/// A day shift 08:00–16:00 on each of `days` days, `needed` each.
fn days(days: u32, needed: u32) -> Vec<Slot> {
    (1..=days)
        .map(|d| slot(d as i64, at(d, 8, 0), at(d, 16, 0), needed))
        .collect()
}

#[test]
fn with_people_to_spare_the_load_is_spread() {
    let slots = days(24, 2);
    let all: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let people: Vec<Person> = (10..16).map(|id| person(id, &all)).collect();
    let problem = Problem::new(slots, people);
    let plan = plan(&problem);
    assert!(plan.unfilled.is_empty());
    let loads: Vec<i64> = (10..16).map(|id| minutes(&problem, &plan, id)).collect();
    // 48 seats of 8 hours over 6 people: 8 each; at most one slot apart.
    let spread = loads.iter().max().unwrap() - loads.iter().min().unwrap();
    assert!(spread <= 480, "loads {loads:?}");
    assert_eq!(loads.iter().sum::<i64>(), 48 * 480);
}

#[test]
fn prior_load_elsewhere_counts() {
    let slots = days(4, 1);
    let all: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let mut busy_one = person(12, &all);
    busy_one.prior_load_minutes = 5_000;
    let problem = Problem::new(slots, vec![person(10, &all), person(11, &all), busy_one]);
    let plan = plan(&problem);
    assert!(plan.unfilled.is_empty());
    assert!(of(&plan, 12).is_empty(), "{plan:?}");
    assert_eq!(of(&plan, 10).len(), 2);
}

#[test]
fn seats_come_before_fairness() {
    let slots = days(4, 1);
    let all: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let mut only = person(10, &all);
    only.prior_load_minutes = 100_000;
    let problem = Problem::new(slots, vec![only, person(11, &[1])]);
    let plan = plan(&problem);
    assert!(plan.unfilled.is_empty());
    assert_eq!(of(&plan, 10), vec![2, 3, 4]);
    assert_eq!(of(&plan, 11), vec![1]);
}

#[test]
fn a_person_is_kept_on_consecutive_days_of_the_same_request() {
    // 10 has day 1 already; 11 has 300 minutes elsewhere. Day 2 of the same request goes to
    // 10 (continuity outweighs 180 minutes of difference); of another request, to 11.
    for (request_id, expected) in [(1, 10), (2, 11)] {
        let mut slots = days(2, 1);
        slots[1].request_id = request_id;
        let mut first = person(10, &[2]);
        first.fixed = vec![1];
        let mut second = person(11, &[2]);
        second.prior_load_minutes = 300;
        let problem = Problem::new(slots, vec![first, second]);
        let plan = plan(&problem);
        let day2: Vec<i64> = plan
            .assignments
            .iter()
            .filter(|a| a.slot_id == 2)
            .map(|a| a.member_id)
            .collect();
        assert_eq!(day2, vec![expected], "request {request_id}");
    }
}

#[test]
fn the_same_input_gives_the_same_plan() {
    let slots = days(10, 3);
    let all: Vec<i64> = slots.iter().map(|s| s.id).collect();
    let people: Vec<Person> = (10..20).map(|id| person(id, &all)).collect();
    let problem = Problem::new(slots, people);
    assert_eq!(plan(&problem), plan(&problem.clone()));
}
