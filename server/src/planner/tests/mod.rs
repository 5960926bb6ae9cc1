//! Unit tests of each hard rule and of the unfilled reasons; property and soft-objective tests
//! in the submodules.

mod props;
mod soft;

use super::*;
use chrono::TimeZone;
use ouen_shared::Profession::{Doctor, Nurse, PublicHealthNurse};

/// 2026-12-`day` `hour`:`minute` UTC.
pub(super) fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

pub(super) fn slot(id: i64, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, needed: u32) -> Slot {
    Slot {
        id,
        request_id: 1,
        starts_at,
        ends_at,
        needed,
        professions: Vec::new(),
    }
}

pub(super) fn person(member_id: i64, available: &[i64]) -> Person {
    Person {
        member_id,
        professions: vec![Nurse],
        available: available.to_vec(),
        busy: Vec::new(),
        fixed: Vec::new(),
        prior_load_minutes: 0,
    }
}

fn a(slot_id: i64, member_id: i64) -> Assignment {
    Assignment { slot_id, member_id }
}

fn of(plan: &Plan, member_id: i64) -> Vec<i64> {
    plan.assignments
        .iter()
        .filter(|x| x.member_id == member_id)
        .map(|x| x.slot_id)
        .collect()
}

fn reason(plan: &Plan, slot_id: i64) -> Option<(u32, UnfilledReason)> {
    plan.unfilled
        .iter()
        .find(|u| u.slot_id == slot_id)
        .map(|u| (u.missing, u.reason))
}

#[test]
fn only_slots_the_person_said_yes_to() {
    let problem = Problem::new(
        vec![
            slot(1, at(1, 0, 0), at(1, 8, 0), 1),
            slot(2, at(3, 0, 0), at(3, 8, 0), 1),
        ],
        vec![person(10, &[1]), person(11, &[])],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments, vec![a(1, 10)]);
    assert_eq!(reason(&plan, 2), Some((1, UnfilledReason::NobodyAvailable)));
}

#[test]
fn profession_must_match_when_the_slot_names_any() {
    let mut doctors = slot(1, at(1, 0, 0), at(1, 8, 0), 1);
    doctors.professions = vec![Doctor];
    let mut either = slot(2, at(3, 0, 0), at(3, 8, 0), 2);
    either.professions = vec![Doctor, Nurse];
    let anyone = slot(3, at(5, 0, 0), at(5, 8, 0), 1);
    let mut phn = person(11, &[1, 2, 3]);
    phn.professions = vec![PublicHealthNurse];
    let problem = Problem::new(
        vec![doctors, either, anyone],
        vec![person(10, &[1, 2, 3]), phn],
    );
    let plan = plan(&problem);
    assert_eq!(of(&plan, 10), vec![2]);
    // Anyone may take slot 3; the nurse already has slot 2, so it goes to the other.
    assert_eq!(of(&plan, 11), vec![3]);
    assert_eq!(
        reason(&plan, 1),
        Some((1, UnfilledReason::ProfessionMissing))
    );
    // Slot 2 has one seat left: its only other yes-sayer is a public-health nurse.
    assert_eq!(
        reason(&plan, 2),
        Some((1, UnfilledReason::ProfessionMissing))
    );
}

#[test]
fn never_two_overlapping_slots() {
    let problem = Problem::new(
        vec![
            slot(1, at(1, 8, 0), at(1, 16, 0), 1),
            slot(2, at(1, 15, 59), at(1, 20, 0), 1),
        ],
        vec![person(10, &[1, 2])],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments.len(), 1);
    assert_eq!(plan.unfilled.len(), 1);
    assert_eq!(plan.unfilled[0].reason, UnfilledReason::OnlyConflicted);
}

#[test]
fn overnight_slots_are_intervals_across_midnight() {
    let mut problem = Problem::new(
        vec![
            slot(1, at(1, 22, 0), at(2, 6, 0), 1),
            slot(2, at(2, 5, 0), at(2, 9, 0), 1),
            slot(3, at(2, 14, 0), at(2, 22, 0), 1),
        ],
        vec![person(10, &[1, 2, 3])],
    );
    problem.min_rest = Duration::zero();
    let plan_a = plan(&problem);
    // 1 and 2 overlap after midnight; 3 is after both.
    assert_eq!(of(&plan_a, 10).len(), 2);
    assert!(of(&plan_a, 10).contains(&3));
    // With 8 hours' rest, 06:00 → 14:00 is exactly enough, 09:00 → 14:00 is not.
    problem.min_rest = Duration::hours(8);
    let plan_b = plan(&problem);
    assert_eq!(of(&plan_b, 10), vec![1, 3]);
}

#[test]
fn rest_of_exactly_min_rest_is_fine_one_minute_less_is_not() {
    let day = slot(1, at(1, 8, 0), at(1, 16, 0), 1);
    let exact = slot(2, at(2, 0, 0), at(2, 8, 0), 1);
    let short = slot(3, at(1, 23, 59), at(2, 7, 59), 1);
    let yes = plan(&Problem::new(
        vec![day.clone(), exact],
        vec![person(10, &[1, 2])],
    ));
    assert_eq!(of(&yes, 10), vec![1, 2]);
    let no_problem = Problem::new(vec![day, short], vec![person(10, &[1, 3])]);
    let no = plan(&no_problem);
    assert_eq!(of(&no, 10).len(), 1);
    let both = [a(1, 10), a(3, 10)];
    assert_eq!(
        conflicts(&no_problem, &both),
        vec![
            (
                a(1, 10),
                Conflict::Rest {
                    other: ConflictWith::Slot(3),
                    gap: Duration::minutes(7 * 60 + 59)
                }
            ),
            (
                a(3, 10),
                Conflict::Rest {
                    other: ConflictWith::Slot(1),
                    gap: Duration::minutes(7 * 60 + 59)
                }
            ),
        ]
    );
}

#[test]
fn busy_elsewhere_blocks_overlap_and_rest() {
    let slots = vec![
        slot(1, at(1, 8, 0), at(1, 16, 0), 1),
        slot(2, at(3, 8, 0), at(3, 16, 0), 1),
        slot(3, at(5, 8, 0), at(5, 16, 0), 1),
    ];
    let mut p = person(10, &[1, 2, 3]);
    p.busy = vec![
        // overlaps slot 1
        Busy {
            starts_at: at(1, 12, 0),
            ends_at: at(1, 13, 0),
        },
        // ends 7 h 59 min before slot 2
        Busy {
            starts_at: at(2, 20, 0),
            ends_at: at(3, 0, 1),
        },
        // ends exactly 8 h before slot 3
        Busy {
            starts_at: at(4, 20, 0),
            ends_at: at(5, 0, 0),
        },
    ];
    let problem = Problem::new(slots, vec![p]);
    let plan = plan(&problem);
    assert_eq!(of(&plan, 10), vec![3]);
    assert_eq!(reason(&plan, 1), Some((1, UnfilledReason::OnlyConflicted)));
    assert_eq!(reason(&plan, 2), Some((1, UnfilledReason::OnlyConflicted)));
    let found = conflicts(&problem, &[a(1, 10), a(2, 10), a(3, 10)]);
    assert_eq!(
        found,
        vec![
            (
                a(1, 10),
                Conflict::Overlap {
                    other: ConflictWith::Busy
                }
            ),
            (
                a(2, 10),
                Conflict::Rest {
                    other: ConflictWith::Busy,
                    gap: Duration::minutes(7 * 60 + 59)
                }
            ),
        ]
    );
}

#[test]
fn fixed_assignments_are_kept_even_when_they_break_rules_and_nothing_joins_their_conflicts() {
    let mut doctors = slot(1, at(1, 8, 0), at(1, 16, 0), 1);
    doctors.professions = vec![Doctor];
    let overlapping = slot(2, at(1, 12, 0), at(1, 20, 0), 1);
    let too_close = slot(3, at(1, 23, 0), at(2, 7, 0), 1);
    let later = slot(4, at(3, 8, 0), at(3, 16, 0), 1);
    let mut nurse = person(10, &[3, 4]);
    nurse.fixed = vec![1, 2];
    let problem = Problem::new(
        vec![doctors, overlapping, too_close, later],
        vec![nurse, person(11, &[1, 2])],
    );
    let plan = plan(&problem);
    assert_eq!(of(&plan, 10), vec![1, 2, 4]);
    // 11 said yes to 1 and 2, but their seats are taken by the fixed assignments.
    assert!(of(&plan, 11).is_empty());
    assert_eq!(reason(&plan, 3), Some((1, UnfilledReason::OnlyConflicted)));
    let found = conflicts(&problem, &plan.assignments);
    assert!(found.contains(&(a(1, 10), Conflict::NotAvailable)));
    assert!(found.contains(&(a(1, 10), Conflict::Profession)));
    assert!(found.contains(&(
        a(1, 10),
        Conflict::Overlap {
            other: ConflictWith::Slot(2)
        }
    )));
    assert!(found.contains(&(
        a(2, 10),
        Conflict::Overlap {
            other: ConflictWith::Slot(1)
        }
    )));
    assert!(found.iter().all(|(x, _)| x.slot_id != 4));
}

#[test]
fn at_most_needed_and_a_person_at_most_once_per_slot() {
    let problem = Problem::new(
        vec![slot(1, at(1, 8, 0), at(1, 16, 0), 2)],
        vec![
            person(10, &[1, 1, 1]),
            person(11, &[1]),
            person(12, &[1, 1]),
        ],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments, vec![a(1, 10), a(1, 11)]);
    assert!(plan.unfilled.is_empty());
    let one = plan_of(
        vec![slot(1, at(1, 8, 0), at(1, 16, 0), 3)],
        vec![person(10, &[1, 1])],
    );
    assert_eq!(one.assignments, vec![a(1, 10)]);
    assert_eq!(reason(&one, 1), Some((2, UnfilledReason::NobodyAvailable)));
}

fn plan_of(slots: Vec<Slot>, people: Vec<Person>) -> Plan {
    plan(&Problem::new(slots, people))
}

#[test]
fn the_person_with_other_options_is_left_for_them() {
    // 10 can do 1 or 2 (they clash), 11 only 2: 10 must end up in 1 and 11 in 2.
    let problem = Problem::new(
        vec![
            slot(1, at(1, 8, 0), at(1, 16, 0), 1),
            slot(2, at(1, 10, 0), at(1, 18, 0), 1),
        ],
        vec![person(10, &[1, 2]), person(11, &[2])],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments, vec![a(1, 10), a(2, 11)]);
}

#[test]
fn conflicts_of_a_clean_plan_are_empty_and_unknown_people_are_flagged() {
    let problem = Problem::new(
        vec![
            slot(1, at(1, 8, 0), at(1, 16, 0), 1),
            slot(2, at(2, 8, 0), at(2, 16, 0), 1),
        ],
        vec![person(10, &[1, 2])],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments.len(), 2);
    assert!(conflicts(&problem, &plan.assignments).is_empty());
    assert_eq!(
        conflicts(&problem, &[a(1, 99)]),
        vec![(a(1, 99), Conflict::NotAvailable)]
    );
    // The same person twice in one slot overlaps itself.
    assert_eq!(
        conflicts(&problem, &[a(1, 10), a(1, 10)]),
        vec![
            (
                a(1, 10),
                Conflict::Overlap {
                    other: ConflictWith::Slot(1)
                }
            ),
            (
                a(1, 10),
                Conflict::Overlap {
                    other: ConflictWith::Slot(1)
                }
            ),
        ]
    );
}

#[test]
fn fixed_beyond_needed_are_all_kept_and_nobody_is_added() {
    let mut first = person(10, &[1]);
    first.fixed = vec![1];
    let mut second = person(11, &[]);
    second.fixed = vec![1, 1];
    let problem = Problem::new(
        vec![slot(1, at(1, 8, 0), at(1, 16, 0), 1)],
        vec![first, second, person(12, &[1])],
    );
    let plan = plan(&problem);
    assert_eq!(plan.assignments, vec![a(1, 10), a(1, 11)]);
    assert!(plan.unfilled.is_empty());
}
