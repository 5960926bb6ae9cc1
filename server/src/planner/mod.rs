//! Shift auto-fill: who works which slot of a surge request.
//!
//! Pure functions over plain data: no database and no HTTP, so the store and the routes can
//! call [`plan`] and [`conflicts`] with whatever they loaded.
//!
//! # Rules
//!
//! Hard rules, never broken by [`plan`]: a person only works a slot it said it can do
//! ([`Person::available`]), holding one of the slot's professions when the slot names any; never
//! two slots that overlap (half-open intervals, so an overnight slot is just an interval across
//! midnight); never less than [`Problem::min_rest`] between the end of one slot and the start of
//! another, nor between a slot and a [`Busy`] time elsewhere (a gap of exactly `min_rest` is
//! fine); at most [`Slot::needed`] people in a slot and a person at most once in it.
//! [`Person::fixed`] assignments are kept as they are, even when they break a rule, and `plan`
//! adds nothing that conflicts with them.
//!
//! The objective is, first, the most filled seats; then, among plans with as many seats, the
//! load is spread (minutes in this plan plus [`Person::prior_load_minutes`], less loaded people
//! first) and a person is kept on consecutive days of the same request. The output depends only
//! on the input's content: people and slots are taken in id order and every tie is broken by ids.
//!
//! # Algorithm, and why
//!
//! The rest rule is an overlap rule on intervals padded by `min_rest`, so the slots one person
//! works form an independent set of an interval graph, and the slots a person may take no longer
//! depend on the person once availability, profession, busy times and fixed assignments have
//! removed what it cannot do. With many people, eligibility and capacities the problem is
//! NP-hard, and a plain bipartite matching or max-flow is not exact (a person is not limited to
//! one slot, and "one slot per group of mutually conflicting slots" is only a relaxation when
//! the conflicts chain across days, as 22:00–06:00 and the next 08:00–16:00 do). So:
//!
//! 1. **Greedy** (`fill`): slots by end time (earliest-deadline order, which is optimal for a
//!    single person); each seat goes to the eligible, free person who loses the fewest of its
//!    own later options by taking it, then the least loaded, then continuity, then id.
//! 2. **Augmenting chains** (`fill`): for each missing seat, a depth-first ejection chain as in
//!    Kuhn's matching algorithm: a person blocked by exactly one of its assignments moves to the
//!    empty seat and the seat it left is refilled the same way, until a free person is found;
//!    at the top of a chain, a person blocked by two assignments may also move when both seats
//!    it leaves are refilled.
//! 3. **Exact search** (`exact`): the people and slots split into independent components (a
//!    person's options lie in one component); a component with at most
//!    [`EXACT_MAX_PAIRS`] person–slot options that the greedy may not have solved is searched by
//!    branch and bound (bounds: seats still open that compatible people could take, and each
//!    person's largest independent set of remaining options), with a node budget. Small
//!    instances are therefore filled exactly; large ones keep the heuristic result, which the
//!    benchmark compares with an upper bound.
//! 4. **Soft objective** (`fill`): with the seat count fixed, a seat is handed from one person
//!    to another when that lowers `Σ load² − CONTINUITY_WEIGHT × continuity pairs` (strictly,
//!    so it ends); a final pass fills any seat a move freed a person for.

mod exact;
mod fill;
mod rules;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, Utc};
use ouen_shared::Profession;
use serde::{Deserialize, Serialize};

pub use rules::conflicts;

/// The rest between two slots of one person when nothing else is said.
pub const DEFAULT_MIN_REST_HOURS: i64 = 8;

/// Components with at most this many person–slot options are searched exactly.
pub const EXACT_MAX_PAIRS: usize = 96;

/// A time to be staffed in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Unique among the problem's slots.
    pub id: i64,
    /// The request the slot belongs to (continuity is kept within one request).
    pub request_id: i64,
    /// Start, inclusive.
    pub starts_at: DateTime<Utc>,
    /// End, exclusive; after `starts_at` (an overnight slot simply ends the next day).
    pub ends_at: DateTime<Utc>,
    /// How many people the slot needs.
    pub needed: u32,
    /// Any one of these qualifies; empty means anyone.
    pub professions: Vec<Profession>,
}

/// Someone who may be planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The member's id, unique among the problem's people.
    pub member_id: i64,
    /// The professions the member holds.
    pub professions: Vec<Profession>,
    /// Slot ids the person said it can do.
    pub available: Vec<i64>,
    /// Commitments elsewhere: other requests or prefectures.
    pub busy: Vec<Busy>,
    /// Slot ids already assigned in this plan and kept (hand-assigned or accepted).
    pub fixed: Vec<i64>,
    /// Work already planned elsewhere, for fairness.
    pub prior_load_minutes: i64,
}

/// A time a person is committed elsewhere; what and where is never said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// Start, inclusive.
    pub starts_at: DateTime<Utc>,
    /// End, exclusive.
    pub ends_at: DateTime<Utc>,
}

/// The input of [`plan`] and [`conflicts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The slots to fill.
    pub slots: Vec<Slot>,
    /// The people who may fill them.
    pub people: Vec<Person>,
    /// The least time between two slots (or a slot and a busy time) of one person; a negative
    /// value counts as zero.
    pub min_rest: Duration,
}

impl Problem {
    /// A problem with the default rest of [`DEFAULT_MIN_REST_HOURS`].
    pub fn new(slots: Vec<Slot>, people: Vec<Person>) -> Self {
        Problem {
            slots,
            people,
            min_rest: Duration::hours(DEFAULT_MIN_REST_HOURS),
        }
    }
}

/// The result of [`plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Every assignment, fixed ones included, ordered by slot id then member id.
    pub assignments: Vec<Assignment>,
    /// Slots with seats left empty, by slot id.
    pub unfilled: Vec<Unfilled>,
}

/// One person in one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Assignment {
    /// The slot.
    pub slot_id: i64,
    /// The person.
    pub member_id: i64,
}

/// A slot with empty seats, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unfilled {
    /// The slot.
    pub slot_id: i64,
    /// How many seats are empty.
    pub missing: u32,
    /// Why nobody else could be placed.
    pub reason: UnfilledReason,
}

/// Why a slot's seats stay empty, judged over the people not already in the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnfilledReason {
    /// Nobody (else) said yes to this slot.
    NobodyAvailable,
    /// Those who said yes lack the slot's professions.
    ProfessionMissing,
    /// Qualified yes-sayers are all taken by overlaps or rest with other assignments or busy
    /// times.
    OnlyConflicted,
}

/// What is wrong with one assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The slot overlaps another assignment of the person or a busy time.
    Overlap {
        /// What it overlaps.
        other: ConflictWith,
    },
    /// Less than the minimum rest between the slot and another assignment or a busy time.
    Rest {
        /// What is too close.
        other: ConflictWith,
        /// The rest there is.
        gap: Duration,
    },
    /// The person holds none of the slot's professions.
    Profession,
    /// The person did not say it can do the slot (or is not among the problem's people).
    NotAvailable,
}

/// The other side of a [`Conflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictWith {
    /// Another slot of this problem.
    Slot(i64),
    /// A commitment elsewhere: never says what or where.
    Busy,
}

/// Plans the problem: the kept fixed assignments plus as many more as the hard rules allow,
/// spread fairly; see the module documentation.
pub fn plan(problem: &Problem) -> Plan {
    let prepared = rules::Prepared::new(problem);
    let mut state = fill::State::new(&prepared);
    state.greedy();
    state.augment();
    exact::improve(&mut state);
    state.balance();
    state.fill_free();
    state.balance();
    state.into_plan()
}
