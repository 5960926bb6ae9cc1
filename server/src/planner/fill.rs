//! Auto-fill: the greedy start, augmenting chains, the soft-objective moves and the result.

use super::rules::Prepared;
use super::{Assignment, Plan, Unfilled, UnfilledReason};

/// For choosing among people: a same-request shift on an adjacent day counts as this many
/// minutes less load.
pub(super) const CONTINUITY_MINUTES: i64 = 240;

/// The weight of one continuity pair in the soft objective `Σ load² − weight × pairs`
/// (minutes²): for an 8-hour slot it matches [`CONTINUITY_MINUTES`] of load difference.
pub(super) const CONTINUITY_WEIGHT: i128 = 2 * 480 * CONTINUITY_MINUTES as i128;

/// At most this many sweeps of soft-objective moves (each strictly improves it, so it also ends
/// without the cap; the cap bounds the time).
const BALANCE_PASSES: usize = 40;

/// Ejection chains are at most this long.
const CHAIN_DEPTH: usize = 256;

/// A plan being built: the added (non-fixed) assignments on top of the prepared problem.
pub(super) struct State<'a> {
    pub p: &'a Prepared,
    /// Added slots of each person (fixed ones excluded).
    pub added: Vec<Vec<usize>>,
    /// Added people of each slot.
    pub members: Vec<Vec<usize>>,
    /// Minutes of each person: prior load, fixed and added slots.
    pub load: Vec<i64>,
    /// Slots in earliest-end order.
    pub order: Vec<usize>,
    /// Position of each slot in `order`.
    pub position: Vec<usize>,
    visited: Vec<u32>,
    stamp: u32,
}

impl<'a> State<'a> {
    pub fn new(p: &'a Prepared) -> Self {
        let load = p
            .people
            .iter()
            .map(|person| {
                person.prior
                    + person
                        .fixed
                        .iter()
                        .map(|&f| p.slots[f].minutes)
                        .sum::<i64>()
            })
            .collect();
        let mut order: Vec<usize> = (0..p.slots.len()).collect();
        order.sort_by_key(|&s| (p.slots[s].span.1, p.slots[s].span.0, s));
        let mut position = vec![0; order.len()];
        for (k, &s) in order.iter().enumerate() {
            position[s] = k;
        }
        State {
            p,
            added: vec![Vec::new(); p.people.len()],
            members: vec![Vec::new(); p.slots.len()],
            load,
            order,
            position,
            visited: vec![0; p.slots.len()],
            stamp: 0,
        }
    }

    /// Seats of `s` still empty.
    pub fn open(&self, s: usize) -> u32 {
        self.p.slots[s].seats - self.members[s].len() as u32
    }

    /// Whether `person` (a candidate of `s`) can be added to `s` as things stand.
    pub fn free_for(&self, person: usize, s: usize) -> bool {
        self.added[person].iter().all(|&t| !self.p.clash(t, s))
    }

    pub fn assign(&mut self, person: usize, s: usize) {
        self.added[person].push(s);
        self.members[s].push(person);
        self.load[person] += self.p.slots[s].minutes;
    }

    pub fn unassign(&mut self, person: usize, s: usize) {
        self.added[person].retain(|&t| t != s);
        self.members[s].retain(|&q| q != person);
        self.load[person] -= self.p.slots[s].minutes;
    }

    /// Other slots of `person` (fixed or added) in the same request on an adjacent day.
    fn continuity(&self, person: usize, s: usize) -> i64 {
        let slot = &self.p.slots[s];
        self.p.people[person]
            .fixed
            .iter()
            .chain(&self.added[person])
            .filter(|&&t| {
                t != s
                    && self.p.slots[t].request_id == slot.request_id
                    && (self.p.slots[t].day - slot.day).abs() == 1
            })
            .count() as i64
    }

    /// Load for choosing who takes `s`, continuity counted as less load.
    fn weighed_load(&self, person: usize, s: usize) -> i64 {
        self.load[person] - CONTINUITY_MINUTES * self.continuity(person, s)
    }

    /// The free candidate of `s` to add first, if any.
    fn best_free(&self, s: usize) -> Option<usize> {
        self.p.slots[s]
            .candidates
            .iter()
            .copied()
            .filter(|&q| !self.members[s].contains(&q) && self.free_for(q, s))
            .min_by_key(|&q| (self.weighed_load(q, s), q))
    }

    /// Slots in earliest-end order, each seat to the free candidate that gives up the fewest of
    /// its own later options, then the least loaded (continuity counted), then by id.
    pub fn greedy(&mut self) {
        for k in 0..self.order.len() {
            let s = self.order[k];
            let mut ranked: Vec<(usize, i64, usize)> = self.p.slots[s]
                .candidates
                .iter()
                .copied()
                .filter(|&q| self.free_for(q, s))
                .map(|q| {
                    let options = &self.p.people[q].options;
                    let lost = self.p.slots[s]
                        .neighbours
                        .iter()
                        .filter(|&&t| {
                            self.position[t] > k
                                && self.open(t) > 0
                                && options.binary_search(&t).is_ok()
                        })
                        .count();
                    (lost, self.weighed_load(q, s), q)
                })
                .collect();
            ranked.sort_unstable();
            let take = self.open(s) as usize;
            for &(_, _, q) in ranked.iter().take(take) {
                self.assign(q, s);
            }
        }
    }

    /// Fills missing seats by ejection chains until a sweep finds none.
    pub fn augment(&mut self) {
        loop {
            let mut progress = false;
            for k in 0..self.order.len() {
                let s = self.order[k];
                while self.open(s) > 0 {
                    self.stamp += 1;
                    self.visited[s] = self.stamp;
                    if !self.chain(s, 0) {
                        break;
                    }
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
    }

    /// Adds someone to `s`: a free candidate, or one blocked by a single added slot that it
    /// leaves for `s` when that slot can in turn be refilled. On failure nothing has changed.
    fn chain(&mut self, s: usize, depth: usize) -> bool {
        if let Some(q) = self.best_free(s) {
            self.assign(q, s);
            return true;
        }
        if depth >= CHAIN_DEPTH {
            return false;
        }
        let candidates = self.p.slots[s].candidates.clone();
        for q in candidates {
            if self.members[s].contains(&q) {
                continue;
            }
            let mut blockers = self.added[q]
                .iter()
                .copied()
                .filter(|&t| self.p.clash(t, s));
            let (Some(t), None) = (blockers.next(), blockers.next()) else {
                continue;
            };
            if self.visited[t] == self.stamp {
                continue;
            }
            self.visited[t] = self.stamp;
            self.unassign(q, t);
            self.assign(q, s);
            if self.chain(t, depth + 1) {
                return true;
            }
            self.unassign(q, s);
            self.assign(q, t);
        }
        if depth == 0 {
            return self.double_chain(s);
        }
        false
    }

    /// Like [`State::chain`] for a candidate blocked by exactly two added slots: it moves to
    /// `s` when both slots it leaves can be refilled; otherwise everything is put back.
    fn double_chain(&mut self, s: usize) -> bool {
        let candidates = self.p.slots[s].candidates.clone();
        for q in candidates {
            if self.members[s].contains(&q) {
                continue;
            }
            let mut blockers = self.added[q]
                .iter()
                .copied()
                .filter(|&t| self.p.clash(t, s));
            let (Some(t1), Some(t2), None) = (blockers.next(), blockers.next(), blockers.next())
            else {
                continue;
            };
            if self.visited[t1] == self.stamp || self.visited[t2] == self.stamp {
                continue;
            }
            let saved = (self.added.clone(), self.members.clone(), self.load.clone());
            self.visited[t1] = self.stamp;
            self.visited[t2] = self.stamp;
            self.unassign(q, t1);
            self.unassign(q, t2);
            self.assign(q, s);
            if self.chain(t1, 1) && self.chain(t2, 1) {
                return true;
            }
            (self.added, self.members, self.load) = saved;
        }
        false
    }

    /// Fills any seat a free candidate can take.
    pub fn fill_free(&mut self) {
        for k in 0..self.order.len() {
            let s = self.order[k];
            while self.open(s) > 0 {
                let Some(q) = self.best_free(s) else { break };
                self.assign(q, s);
            }
        }
    }

    /// Hands seats from one person to another while that lowers
    /// `Σ load² − CONTINUITY_WEIGHT × continuity pairs`; the seat count stays.
    pub fn balance(&mut self) {
        for _ in 0..BALANCE_PASSES {
            let mut moved = false;
            for k in 0..self.order.len() {
                let s = self.order[k];
                let d = self.p.slots[s].minutes as i128;
                let holders = self.members[s].clone();
                for p in holders {
                    let lp = self.load[p] as i128;
                    let cp = self.continuity(p, s) as i128;
                    let mut best: Option<(i128, usize)> = None;
                    for &q in &self.p.slots[s].candidates {
                        if q == p || self.members[s].contains(&q) || !self.free_for(q, s) {
                            continue;
                        }
                        let lq = self.load[q] as i128;
                        let cq = self.continuity(q, s) as i128;
                        // (lp−d)² − lp² + (lq+d)² − lq² = 2d(lq + d − lp)
                        let delta = 2 * d * (lq + d - lp) - CONTINUITY_WEIGHT * (cq - cp);
                        if delta < 0 && best.is_none_or(|(b, _)| delta < b) {
                            best = Some((delta, q));
                        }
                    }
                    if let Some((_, q)) = best {
                        self.unassign(p, s);
                        self.assign(q, s);
                        moved = true;
                    }
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// The plan: fixed and added assignments, and the slots left short with the reason.
    pub fn into_plan(self) -> Plan {
        let p = self.p;
        let mut assignments = Vec::new();
        for person in &p.people {
            for &f in &person.fixed {
                assignments.push(Assignment {
                    slot_id: p.slots[f].id,
                    member_id: person.member_id,
                });
            }
        }
        for (s, members) in self.members.iter().enumerate() {
            for &q in members {
                assignments.push(Assignment {
                    slot_id: p.slots[s].id,
                    member_id: p.people[q].member_id,
                });
            }
        }
        assignments.sort_unstable();
        let mut unfilled = Vec::new();
        for (s, slot) in p.slots.iter().enumerate() {
            let missing = slot.seats - self.members[s].len() as u32;
            if missing == 0 {
                continue;
            }
            let others: Vec<bool> = slot
                .said_yes
                .iter()
                .filter(|(q, _)| !self.members[s].contains(q))
                .map(|&(_, qualified)| qualified)
                .collect();
            let reason = if others.is_empty() {
                UnfilledReason::NobodyAvailable
            } else if !others.contains(&true) {
                UnfilledReason::ProfessionMissing
            } else {
                UnfilledReason::OnlyConflicted
            };
            unfilled.push(Unfilled {
                slot_id: slot.id,
                missing,
                reason,
            });
        }
        Plan {
            assignments,
            unfilled,
        }
    }
}
