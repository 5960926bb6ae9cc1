//! The shift grid of a request: loading who was asked, what each answered and where each is
//! committed (here and elsewhere), and drawing the grid with its conflicts. Changing the plan
//! is in [`super::planning`].

use super::{may_read, professions_of};
use crate::error::ApiError;
use crate::planner::{self, Assignment, Busy, Conflict, ConflictWith, Person, Problem};
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::{in_write, on_read, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::api::{
    AssignmentStatus, CellConflict, ConflictKind, GridCell, GridPerson, GridSlot, ShiftGrid,
    SlotReply, UnfilledReason,
};
use ouen_shared::dispatch::{format_slot, DispatchStatus};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(sqlx::FromRow, Clone)]
pub(crate) struct LiveSlot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub needed: i64,
    pub professions: String,
}

#[derive(sqlx::FromRow)]
struct AskedRow {
    id: i64,
    name: String,
    name_kana: String,
    professions: String,
    languages: String,
    account_id: Option<i64>,
    answered_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow, Clone)]
pub(crate) struct AssignmentRow {
    pub id: i64,
    pub slot_id: i64,
    pub member_id: i64,
    pub status: String,
}

impl AssignmentRow {
    pub(crate) fn status(&self) -> AssignmentStatus {
        AssignmentStatus::from_code(&self.status).unwrap_or(AssignmentStatus::Removed)
    }
}

/// Everything the grid and the planner read of one request, loaded together.
pub(crate) struct Loaded {
    pub request_id: i64,
    pub status: DispatchStatus,
    pub organisation_id: i64,
    pub title: String,
    pub organisation_name: String,
    pub answer_deadline: DateTime<Utc>,
    pub slots: Vec<LiveSlot>,
    people: Vec<AskedRow>,
    /// Member → its answer for each live slot, in the order of `slots`.
    replies: HashMap<i64, Vec<Option<bool>>>,
    pub assignments: Vec<AssignmentRow>,
    /// Member → commitments in other requests (any prefecture).
    busy: BTreeMap<i64, Vec<Busy>>,
    pub min_rest: Duration,
}

impl Loaded {
    /// The planner's view: every asked member, with its yes answers (less the seats it has
    /// declined since: a decline outweighs the answer), its commitments elsewhere and, as
    /// fixed, the seats it holds here.
    pub(super) fn problem(&self, fixed_statuses: &[AssignmentStatus]) -> Problem {
        let declined: BTreeSet<(i64, i64)> = self
            .assignments
            .iter()
            .filter(|a| a.status() == AssignmentStatus::Declined)
            .map(|a| (a.slot_id, a.member_id))
            .collect();
        let slots = self
            .slots
            .iter()
            .map(|s| planner::Slot {
                id: s.id,
                request_id: self.request_id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                needed: u32::try_from(s.needed).unwrap_or(0),
                professions: professions_of(&s.professions),
            })
            .collect();
        let people = self
            .people
            .iter()
            .map(|p| {
                let busy = self.busy.get(&p.id).cloned().unwrap_or_default();
                Person {
                    member_id: p.id,
                    professions: professions_of(&p.professions),
                    available: self
                        .slots
                        .iter()
                        .zip(self.answers_of(p.id))
                        .filter(|(s, reply)| {
                            *reply == Some(true) && !declined.contains(&(s.id, p.id))
                        })
                        .map(|(s, _)| s.id)
                        .collect(),
                    prior_load_minutes: busy
                        .iter()
                        .map(|b| (b.ends_at - b.starts_at).num_minutes())
                        .sum(),
                    busy,
                    fixed: self
                        .assignments
                        .iter()
                        .filter(|a| a.member_id == p.id && fixed_statuses.contains(&a.status()))
                        .map(|a| a.slot_id)
                        .collect(),
                }
            })
            .collect();
        Problem {
            slots,
            people,
            min_rest: self.min_rest,
        }
    }

    fn seats(&self) -> Vec<Assignment> {
        self.assignments
            .iter()
            .filter(|a| a.status().holds_seat())
            .map(|a| Assignment {
                slot_id: a.slot_id,
                member_id: a.member_id,
            })
            .collect()
    }

    /// A member's answer for each live slot, in order; `None` where it gave none.
    fn answers_of(&self, member_id: i64) -> impl Iterator<Item = Option<bool>> + '_ {
        let given = self
            .replies
            .get(&member_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        (0..self.slots.len()).map(move |i| given.get(i).copied().flatten())
    }

    pub(super) fn is_asked(&self, member_id: i64) -> bool {
        self.people.iter().any(|p| p.id == member_id)
    }

    pub(crate) fn recipient(&self, member_id: i64) -> Option<crate::store::inbox::Recipient> {
        self.people.iter().find(|p| p.id == member_id).map(|p| {
            crate::store::inbox::Recipient::member(
                p.id,
                p.account_id,
                crate::store::members::lifecycle::member_lang(&p.languages),
            )
        })
    }

    /// The members a change of slot `slot_id` affects: those holding a seat in it (planned
    /// or formally asked) and those who said they could do it.
    pub(crate) fn affected_by(&self, slot_id: i64) -> Vec<crate::store::inbox::Recipient> {
        let Some(position) = self.slots.iter().position(|s| s.id == slot_id) else {
            return Vec::new();
        };
        self.people
            .iter()
            .filter(|p| {
                let said_yes = self
                    .replies
                    .get(&p.id)
                    .and_then(|given| given.get(position).copied().flatten())
                    == Some(true);
                said_yes
                    || self.assignments.iter().any(|a| {
                        a.slot_id == slot_id && a.member_id == p.id && a.status().holds_seat()
                    })
            })
            .filter_map(|p| self.recipient(p.id))
            .collect()
    }

    pub(crate) fn slot(&self, slot_id: i64) -> Option<&LiveSlot> {
        self.slots.iter().find(|s| s.id == slot_id)
    }

    /// The grid, with `unfilled` reasons when a proposal was just made.
    pub(crate) fn grid(&self, unfilled: &BTreeMap<i64, UnfilledReason>) -> ShiftGrid {
        let problem = self.problem(&[]);
        let seats = self.seats();
        let mut flagged: BTreeMap<(i64, i64), Vec<CellConflict>> = BTreeMap::new();
        for (a, conflict) in planner::conflicts(&problem, &seats) {
            flagged
                .entry((a.slot_id, a.member_id))
                .or_default()
                .push(cell_conflict(&conflict));
        }
        let by_cell: BTreeMap<(i64, i64), AssignmentStatus> = self
            .assignments
            .iter()
            .map(|a| ((a.slot_id, a.member_id), a.status()))
            .collect();
        let slots = self
            .slots
            .iter()
            .map(|s| {
                let holding = |status: &AssignmentStatus| status.holds_seat();
                let assigned = by_cell
                    .iter()
                    .filter(|((slot, _), st)| *slot == s.id && holding(st))
                    .count() as u32;
                let accepted = by_cell
                    .iter()
                    .filter(|((slot, _), st)| *slot == s.id && **st == AssignmentStatus::Accepted)
                    .count() as u32;
                let needed = u32::try_from(s.needed).unwrap_or(0);
                GridSlot {
                    id: s.id,
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    needed,
                    professions: professions_of(&s.professions),
                    assigned,
                    accepted,
                    gap: needed.saturating_sub(assigned),
                    unfilled: unfilled.get(&s.id).copied().filter(|_| assigned < needed),
                }
            })
            .collect();
        let people = self
            .people
            .iter()
            .map(|p| {
                let busy = self.busy.get(&p.id).map(Vec::as_slice).unwrap_or_default();
                let cells = self
                    .slots
                    .iter()
                    .zip(self.answers_of(p.id))
                    .map(|(s, reply)| GridCell {
                        reply: match reply {
                            Some(true) => SlotReply::Available,
                            Some(false) => SlotReply::Unavailable,
                            None if p.answered_at.is_some() => SlotReply::NotAsked,
                            None => SlotReply::NotAnswered,
                        },
                        assignment: by_cell.get(&(s.id, p.id)).copied(),
                        busy: busy
                            .iter()
                            .any(|b| b.starts_at < s.ends_at && s.starts_at < b.ends_at),
                        conflicts: flagged.remove(&(s.id, p.id)).unwrap_or_default(),
                    })
                    .collect();
                let load_minutes = self
                    .slots
                    .iter()
                    .filter(|s| by_cell.get(&(s.id, p.id)).is_some_and(|st| st.holds_seat()))
                    .map(|s| (s.ends_at - s.starts_at).num_minutes())
                    .sum();
                GridPerson {
                    member_id: p.id,
                    name: p.name.clone(),
                    name_kana: p.name_kana.clone(),
                    professions: professions_of(&p.professions),
                    cells,
                    load_minutes,
                }
            })
            .collect();
        ShiftGrid {
            request_id: self.request_id,
            status: self.status,
            slots,
            people,
            min_rest_hours: self.min_rest.num_hours(),
        }
    }
}

fn cell_conflict(conflict: &Conflict) -> CellConflict {
    let other = |with: &ConflictWith| match with {
        ConflictWith::Slot(id) => Some(*id),
        ConflictWith::Busy => None,
    };
    match conflict {
        Conflict::Overlap { other: with } => CellConflict {
            kind: ConflictKind::Overlap,
            other_slot_id: other(with),
        },
        Conflict::Rest { other: with, .. } => CellConflict {
            kind: ConflictKind::Rest,
            other_slot_id: other(with),
        },
        Conflict::Profession => CellConflict {
            kind: ConflictKind::Profession,
            other_slot_id: None,
        },
        Conflict::NotAvailable => CellConflict {
            kind: ConflictKind::NotAvailable,
            other_slot_id: None,
        },
    }
}

/// The ids of a comma-separated list as the database joined them.
fn id_list(list: Option<&str>) -> Result<Vec<i64>, ApiError> {
    list.unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| {
            id.parse::<i64>()
                .map_err(|e| ApiError::Internal(format!("slot id {id}: {e}")))
        })
        .collect()
}

impl Store {
    /// Loads what the grid of request `id` shows, in the actor's scope.
    pub(crate) async fn load_plan(
        &self,
        actor: &Actor,
        id: i64,
        min_rest_hours: i64,
    ) -> Result<Loaded, ApiError> {
        let row = self.request_row(actor, id).await?;
        let slots: Vec<LiveSlot> = on_read!(self, db => sqlx::query_as(
            "SELECT id, starts_at, ends_at, needed, professions FROM dispatch_slots WHERE request_id = $1 AND cancelled_at IS NULL ORDER BY starts_at, id",
        ).bind(id).fetch_all(db).await?);
        let people: Vec<AskedRow> = on_read!(self, db => sqlx::query_as(
            "SELECT m.id, m.name, m.name_kana, m.professions, m.languages, m.account_id, k.answered_at \
             FROM dispatch_asks k JOIN members m ON m.id = k.member_id \
             WHERE k.request_id = $1 AND m.anonymised_at IS NULL ORDER BY m.kana_fold, m.id",
        ).bind(id).fetch_all(db).await?);
        // Two rows per person, its yes slots and its no slots as lists: a month's grid holds
        // tens of thousands of answers, and each row fetched costs far more than its bytes.
        // `dispatch_answers_by_person` holds the columns in this order.
        let answered: Vec<(i64, i64, Option<String>)> = on_read!(self, db => sqlx::query_as(
            "SELECT member_id, available, string_agg(CAST(slot_id AS TEXT), ',') \
             FROM dispatch_answers WHERE request_id = $1 GROUP BY member_id, available",
        ).bind(id).fetch_all(db).await?);
        let position: HashMap<i64, usize> =
            slots.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let mut replies: HashMap<i64, Vec<Option<bool>>> = HashMap::new();
        for (member, available, list) in answered {
            let given = replies
                .entry(member)
                .or_insert_with(|| vec![None; slots.len()]);
            for slot in id_list(list.as_deref())? {
                // A cancelled slot's answers stay in the table but not in the grid.
                if let Some(&i) = position.get(&slot) {
                    given[i] = Some(available != 0);
                }
            }
        }
        let assignments: Vec<AssignmentRow> = on_read!(self, db => sqlx::query_as(
            "SELECT id, slot_id, member_id, status FROM dispatch_assignments WHERE request_id = $1 ORDER BY slot_id, member_id",
        ).bind(id).fetch_all(db).await?);
        let rest = Duration::hours(min_rest_hours.max(0));
        let mut busy: BTreeMap<i64, Vec<Busy>> = BTreeMap::new();
        if let (Some(first), Some(last)) = (
            slots.iter().map(|s| s.starts_at).min(),
            slots.iter().map(|s| s.ends_at).max(),
        ) {
            // Commitments elsewhere near this request's time: only when, never what or where.
            let rows: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = on_read!(self, db => sqlx::query_as(
                "SELECT a.member_id, a.starts_at, a.ends_at FROM dispatch_assignments a \
                 JOIN dispatch_asks k ON k.member_id = a.member_id AND k.request_id = $1 \
                 WHERE a.request_id <> $1 AND a.status IN ('planned', 'requested', 'accepted') \
                 AND a.starts_at < $2 AND a.ends_at > $3",
            ).bind(id).bind(last + rest).bind(first - rest).fetch_all(db).await?);
            for (member, starts_at, ends_at) in rows {
                busy.entry(member)
                    .or_default()
                    .push(Busy { starts_at, ends_at });
            }
        }
        Ok(Loaded {
            request_id: id,
            status: row.status(),
            organisation_id: row.organisation_id,
            title: row.title.clone(),
            organisation_name: row.organisation_name.clone(),
            answer_deadline: row.answer_deadline,
            slots,
            people,
            replies,
            assignments,
            busy,
            min_rest: rest,
        })
    }

    /// The grid of a request: people asked × live slots. Names are personal data: audited.
    pub async fn shift_grid(
        &self,
        actor: &Actor,
        id: i64,
        min_rest_hours: i64,
    ) -> Result<ShiftGrid, ApiError> {
        may_read(actor)?;
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        let grid = loaded.grid(&BTreeMap::new());
        let ids: Vec<i64> = grid.people.iter().map(|p| p.member_id).collect();
        let entry = NewEntry::by(actor, "dispatch.grid", "dispatch_request", id)
            .detail(serde_json::json!({ "ids": ids }));
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(grid)
    }
}

/// Slots as lines of a message.
pub(crate) fn slot_list(loaded: &Loaded, slot_ids: &[i64]) -> String {
    slot_ids
        .iter()
        .filter_map(|id| loaded.slot(*id))
        .map(|s| format!("・{}", format_slot(s.starts_at, s.ends_at)))
        .collect::<Vec<_>>()
        .join("\n")
}
