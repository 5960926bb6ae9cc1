//! Exact seat maximisation of small components by branch and bound.

use super::fill::State;
use super::EXACT_MAX_PAIRS;

/// Search nodes per component before the search gives up and keeps the best found so far.
const NODE_BUDGET: u64 = 2_000_000;

/// Re-plans every small component exactly when its heuristic seat count may be below optimal.
pub(super) fn improve(state: &mut State<'_>) {
    let p = state.p;
    // Components of the person–slot option graph (a person's options lie in one component).
    let n = p.slots.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for person in &p.people {
        if let Some((&first, rest)) = person.options.split_first() {
            for &s in rest {
                let (a, b) = (root(&mut parent, first), root(&mut parent, s));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut pairs_of: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for &s in &state.order {
        let r = root(&mut parent, s);
        for &q in &p.slots[s].candidates {
            pairs_of[r].push((s, q));
        }
    }
    for pairs in pairs_of {
        if pairs.is_empty() || pairs.len() > EXACT_MAX_PAIRS {
            continue;
        }
        let current: usize = slots_of(&pairs).map(|s| state.members[s].len()).sum();
        let cap: usize = slots_of(&pairs)
            .map(|s| (p.slots[s].seats as usize).min(p.slots[s].candidates.len()))
            .sum();
        if current >= cap {
            continue;
        }
        let mut search = Search::new(state, pairs, current);
        search.run(0, 0);
        let Search {
            pairs, best_choice, ..
        } = search;
        if let Some(chosen) = best_choice {
            for s in slots_of(&pairs).collect::<Vec<_>>() {
                for q in state.members[s].clone() {
                    state.unassign(q, s);
                }
            }
            for (k, &(s, q)) in pairs.iter().enumerate() {
                if chosen[k] {
                    state.assign(q, s);
                }
            }
        }
    }
}

/// The distinct slots of pairs grouped by slot.
fn slots_of(pairs: &[(usize, usize)]) -> impl Iterator<Item = usize> + '_ {
    pairs
        .iter()
        .enumerate()
        .filter(|&(k, &(s, _))| k == 0 || pairs[k - 1].0 != s)
        .map(|(_, &(s, _))| s)
}

struct Search<'s, 'a> {
    state: &'s State<'a>,
    /// (slot, person) options, grouped by slot in earliest-end order.
    pairs: Vec<(usize, usize)>,
    seats: Vec<u32>,
    taken: Vec<Vec<usize>>,
    chosen: Vec<bool>,
    best: usize,
    best_choice: Option<Vec<bool>>,
    nodes: u64,
    /// Per person, the last slot of the greedy independent set in the bound.
    last: Vec<Option<usize>>,
}

impl<'s, 'a> Search<'s, 'a> {
    fn new(state: &'s State<'a>, pairs: Vec<(usize, usize)>, best: usize) -> Self {
        let p = state.p;
        Search {
            state,
            seats: p.slots.iter().map(|s| s.seats).collect(),
            taken: vec![Vec::new(); p.people.len()],
            chosen: vec![false; pairs.len()],
            last: vec![None; p.people.len()],
            pairs,
            best,
            best_choice: None,
            nodes: 0,
        }
    }

    fn compatible(&self, q: usize, s: usize) -> bool {
        self.taken[q].iter().all(|&t| !self.state.p.clash(t, s))
    }

    /// An upper bound on what pairs `from..` can still add: the smaller of the open seats
    /// compatible people could take, and the sum of each person's largest independent set of
    /// its compatible remaining options (greedy by end time, exact on an interval graph).
    fn bound(&mut self, from: usize) -> usize {
        let mut by_slots = 0;
        let mut by_people = 0;
        let mut k = from;
        while k < self.pairs.len() {
            let s = self.pairs[k].0;
            let mut able = 0;
            while k < self.pairs.len() && self.pairs[k].0 == s {
                let q = self.pairs[k].1;
                if self.compatible(q, s) {
                    able += 1;
                    if self.last[q].is_none_or(|t| !self.state.p.clash(t, s)) {
                        self.last[q] = Some(s);
                        by_people += 1;
                    }
                }
                k += 1;
            }
            by_slots += able.min(self.seats[s] as usize);
        }
        for &(_, q) in &self.pairs[from..] {
            self.last[q] = None;
        }
        by_slots.min(by_people)
    }

    fn run(&mut self, k: usize, filled: usize) {
        self.nodes += 1;
        if filled > self.best {
            self.best = filled;
            self.best_choice = Some(self.chosen.clone());
        }
        if k == self.pairs.len() || self.nodes > NODE_BUDGET {
            return;
        }
        if filled + self.bound(k) <= self.best {
            return;
        }
        let (s, q) = self.pairs[k];
        if self.seats[s] > 0 && self.compatible(q, s) {
            self.seats[s] -= 1;
            self.taken[q].push(s);
            self.chosen[k] = true;
            self.run(k + 1, filled + 1);
            self.chosen[k] = false;
            self.taken[q].pop();
            self.seats[s] += 1;
        }
        self.run(k + 1, filled);
    }
}
