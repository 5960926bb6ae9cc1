//! The hard rules: time relations, qualification, what each person may still take, and the
//! conflicts of a given set of assignments.

use super::{Assignment, Conflict, ConflictWith, Person, Problem, Slot};
use chrono::Duration;
use ouen_shared::Profession;
use std::collections::BTreeMap;

/// Japan has one time zone and no daylight saving: days for continuity are counted in it.
const JST_OFFSET_MS: i64 = 9 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// How two intervals stand to each other under a rest rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    Overlap,
    /// Disjoint but closer than the rest; the gap in milliseconds.
    Rest(i64),
}

/// The relation of half-open intervals `a` and `b` (milliseconds) under `rest`, if they clash.
pub(super) fn relation(a: (i64, i64), b: (i64, i64), rest: i64) -> Option<Relation> {
    if a.0 < b.1 && b.0 < a.1 {
        return Some(Relation::Overlap);
    }
    let gap = if a.1 <= b.0 { b.0 - a.1 } else { a.0 - b.1 };
    (gap < rest).then_some(Relation::Rest(gap))
}

/// Whether half-open intervals `a` and `b` clash: they overlap or are closer than `rest`.
/// The same as overlap of the intervals padded by `rest` at their ends.
#[inline]
pub(super) fn clash(a: (i64, i64), b: (i64, i64), rest: i64) -> bool {
    a.0 < b.1.saturating_add(rest) && b.0 < a.1.saturating_add(rest)
}

/// Whether someone holding `held` may work a slot asking for `wanted` (empty: anyone).
pub(super) fn qualifies(wanted: &[Profession], held: &[Profession]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| held.contains(w))
}

fn span(slot: &Slot) -> (i64, i64) {
    (
        slot.starts_at.timestamp_millis(),
        slot.ends_at.timestamp_millis(),
    )
}

fn rest_ms(problem: &Problem) -> i64 {
    problem.min_rest.num_milliseconds().max(0)
}

/// A slot in the planner's own terms (times in milliseconds).
#[derive(Debug, Clone)]
pub(super) struct PSlot {
    pub id: i64,
    pub request_id: i64,
    pub span: (i64, i64),
    /// The day of the start in Japan time, for continuity.
    pub day: i64,
    pub minutes: i64,
    pub needed: u32,
    /// Seats left after the fixed assignments.
    pub seats: u32,
    /// Fixed assignments in the slot.
    pub fixed: u32,
    /// People who may be added (person indices, ascending).
    pub candidates: Vec<usize>,
    /// People who said yes, with whether they qualify (for unfilled reasons).
    pub said_yes: Vec<(usize, bool)>,
    /// Slots that clash with this one (indices, ascending).
    pub neighbours: Vec<usize>,
}

/// A person in the planner's own terms.
#[derive(Debug, Clone)]
pub(super) struct PPerson {
    pub member_id: i64,
    pub prior: i64,
    /// Fixed slots (indices, ascending, known slots only).
    pub fixed: Vec<usize>,
    /// Slots the person may be added to (indices, ascending).
    pub options: Vec<usize>,
}

/// The problem with ids resolved to indices, slots and people in id order, and every person's
/// options worked out once.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub slots: Vec<PSlot>,
    pub people: Vec<PPerson>,
    pub rest: i64,
}

impl Prepared {
    pub fn new(problem: &Problem) -> Self {
        let rest = rest_ms(problem);
        let mut source: Vec<&Slot> = problem.slots.iter().collect();
        source.sort_by_key(|s| s.id);
        source.dedup_by_key(|s| s.id);
        let mut slots: Vec<PSlot> = source
            .iter()
            .map(|s| {
                let span = span(s);
                PSlot {
                    id: s.id,
                    request_id: s.request_id,
                    span,
                    day: (span.0 + JST_OFFSET_MS).div_euclid(DAY_MS),
                    minutes: ((span.1 - span.0) / 60_000).max(0),
                    needed: s.needed,
                    seats: 0,
                    fixed: 0,
                    candidates: Vec::new(),
                    said_yes: Vec::new(),
                    neighbours: Vec::new(),
                }
            })
            .collect();
        let index: Vec<(i64, usize)> = slots.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let find = |id: i64| {
            index
                .binary_search_by_key(&id, |&(id, _)| id)
                .ok()
                .map(|k| index[k].1)
        };

        let mut source_people: Vec<&Person> = problem.people.iter().collect();
        source_people.sort_by_key(|p| p.member_id);
        source_people.dedup_by_key(|p| p.member_id);
        let mut people = Vec::with_capacity(source_people.len());
        for (pi, person) in source_people.iter().enumerate() {
            let mut fixed: Vec<usize> = person.fixed.iter().filter_map(|&id| find(id)).collect();
            fixed.sort_unstable();
            fixed.dedup();
            for &f in &fixed {
                slots[f].fixed += 1;
            }
            let mut yes: Vec<usize> = person.available.iter().filter_map(|&id| find(id)).collect();
            yes.sort_unstable();
            yes.dedup();
            let busy: Vec<(i64, i64)> = person
                .busy
                .iter()
                .map(|b| (b.starts_at.timestamp_millis(), b.ends_at.timestamp_millis()))
                .collect();
            let mut options = Vec::new();
            for &s in &yes {
                let slot = source[s];
                let qualified = qualifies(&slot.professions, &person.professions);
                if fixed.binary_search(&s).is_err() {
                    slots[s].said_yes.push((pi, qualified));
                }
                let sp = slots[s].span;
                if qualified
                    && fixed.binary_search(&s).is_err()
                    && !busy.iter().any(|&b| clash(sp, b, rest))
                    && !fixed.iter().any(|&f| clash(sp, slots[f].span, rest))
                {
                    options.push(s);
                }
            }
            people.push(PPerson {
                member_id: person.member_id,
                prior: person.prior_load_minutes,
                fixed,
                options,
            });
        }
        for slot in &mut slots {
            slot.seats = slot.needed.saturating_sub(slot.fixed);
        }
        for (pi, person) in people.iter_mut().enumerate() {
            person.options.retain(|&s| slots[s].seats > 0);
            for &s in &person.options {
                slots[s].candidates.push(pi);
            }
        }
        // Clashing pairs by a sweep over start times.
        let mut by_start: Vec<usize> = (0..slots.len()).collect();
        by_start.sort_by_key(|&i| (slots[i].span.0, i));
        for (k, &a) in by_start.iter().enumerate() {
            for &b in &by_start[k + 1..] {
                if slots[b].span.0 >= slots[a].span.1.saturating_add(rest) {
                    // Later starts are further still, unless `a` is inverted (end before start).
                    if slots[a].span.1 >= slots[a].span.0 {
                        break;
                    }
                }
                if clash(slots[a].span, slots[b].span, rest) {
                    slots[a].neighbours.push(b);
                    slots[b].neighbours.push(a);
                }
            }
        }
        for slot in &mut slots {
            slot.neighbours.sort_unstable();
        }
        Prepared {
            slots,
            people,
            rest,
        }
    }

    /// Whether slots `a` and `b` clash for whoever works both.
    #[inline]
    pub fn clash(&self, a: usize, b: usize) -> bool {
        a == b || clash(self.slots[a].span, self.slots[b].span, self.rest)
    }
}

/// Conflicts of each person's assignments in `assignments`, for flagging in a grid: a hand-made
/// plan may break rules, and every broken rule is reported, never hidden. Each clashing pair is
/// reported from both sides; busy times elsewhere are reported as [`ConflictWith::Busy`] only.
/// Assignments to slots not in the problem are skipped.
pub fn conflicts(problem: &Problem, assignments: &[Assignment]) -> Vec<(Assignment, Conflict)> {
    let rest = rest_ms(problem);
    let slots: BTreeMap<i64, &Slot> = problem.slots.iter().map(|s| (s.id, s)).collect();
    let people: BTreeMap<i64, &Person> = problem.people.iter().map(|p| (p.member_id, p)).collect();
    let mut by_member: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, a) in assignments.iter().enumerate() {
        if slots.contains_key(&a.slot_id) {
            by_member.entry(a.member_id).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, a) in assignments.iter().enumerate() {
        let Some(slot) = slots.get(&a.slot_id) else {
            continue;
        };
        let person = people.get(&a.member_id);
        if !person.is_some_and(|p| p.available.contains(&a.slot_id)) {
            out.push((*a, Conflict::NotAvailable));
        }
        if !qualifies(
            &slot.professions,
            person.map_or(&[][..], |p| &p.professions),
        ) {
            out.push((*a, Conflict::Profession));
        }
        let here = span(slot);
        let mut push = |other: ConflictWith, rel: Relation| {
            out.push((
                *a,
                match rel {
                    Relation::Overlap => Conflict::Overlap { other },
                    Relation::Rest(gap) => Conflict::Rest {
                        other,
                        gap: Duration::milliseconds(gap),
                    },
                },
            ))
        };
        for &j in &by_member[&a.member_id] {
            if j == i {
                continue;
            }
            let other = slots[&assignments[j].slot_id];
            if let Some(rel) = relation(here, span(other), rest) {
                push(ConflictWith::Slot(other.id), rel);
            }
        }
        for b in person.map_or(&[][..], |p| &p.busy) {
            let there = (b.starts_at.timestamp_millis(), b.ends_at.timestamp_millis());
            if let Some(rel) = relation(here, there, rest) {
                push(ConflictWith::Busy, rel);
            }
        }
    }
    out
}
