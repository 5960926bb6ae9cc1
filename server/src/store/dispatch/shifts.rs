//! The shift grid of a request: loading who was asked, what each answered and where each is
//! committed (here and elsewhere), drawing the grid with its conflicts, and changing the plan
//! by hand, by auto-fill or by re-planning the open seats.

use super::requests::not_open;
use super::{may_plan, may_read, professions_of};
use crate::error::ApiError;
use crate::planner::{self, Assignment, Busy, Conflict, ConflictWith, Person, Problem};
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, on_read, Store};
use chrono::{DateTime, Duration, Utc};
use ouen_shared::api::{
    AssignmentStatus, CellConflict, ConflictKind, GridCell, GridPerson, GridSlot, PlanChanges,
    ShiftGrid, SlotReply, UnfilledReason,
};
use ouen_shared::dispatch::{format_slot, DispatchStatus};
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem as FieldProblem};
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
    fn problem(&self, fixed_statuses: &[AssignmentStatus]) -> Problem {
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

    fn is_asked(&self, member_id: i64) -> bool {
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

fn unfilled_reason(reason: planner::UnfilledReason) -> UnfilledReason {
    match reason {
        planner::UnfilledReason::NobodyAvailable => UnfilledReason::NobodyAvailable,
        planner::UnfilledReason::ProfessionMissing => UnfilledReason::ProfessionMissing,
        planner::UnfilledReason::OnlyConflicted => UnfilledReason::OnlyConflicted,
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

/// A field error naming one change of a plan.
fn bad_change(index: usize, field: &str) -> FieldIssue {
    FieldIssue::new(
        format!("changes.{index}.{field}"),
        FieldProblem::UnknownValue,
    )
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

    /// Applies hand-made changes: a member asked is put in a live slot (planned), or taken
    /// out (a planned seat is dropped; a requested or accepted one is removed and the member
    /// told). The plan may break rules: the grid flags it. Audited.
    pub async fn change_plan(
        &self,
        actor: &Actor,
        id: i64,
        changes: &PlanChanges,
        min_rest_hours: i64,
    ) -> Result<ShiftGrid, ApiError> {
        may_plan(actor)?;
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        if !loaded.status.is_open() {
            return Err(not_open(loaded.status));
        }
        let mut issues = Vec::new();
        for (i, change) in changes.changes.iter().enumerate() {
            if loaded.slot(change.slot_id).is_none() {
                issues.push(bad_change(i, "slot_id"));
            }
            if !loaded.is_asked(change.member_id) {
                issues.push(bad_change(i, "member_id"));
            }
        }
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        let at = now();
        let existing: BTreeMap<(i64, i64), AssignmentRow> = loaded
            .assignments
            .iter()
            .map(|a| ((a.slot_id, a.member_id), a.clone()))
            .collect();
        in_write!(self, tx => {
            let mut removed: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for change in &changes.changes {
                let key = (change.slot_id, change.member_id);
                let Some(slot) = loaded.slot(change.slot_id) else { continue };
                match (change.assign, existing.get(&key)) {
                    (true, None) => {
                        execute!(tx, Sql::with(
                            "INSERT INTO dispatch_assignments (slot_id, request_id, member_id, starts_at, ends_at, status, created_at) VALUES ($1, $2, $3, $4, $5, 'planned', $6)",
                            [change.slot_id.into(), id.into(), change.member_id.into(), slot.starts_at.into(), slot.ends_at.into(), at.into()],
                        ));
                    }
                    (true, Some(row)) if !row.status().holds_seat() => {
                        execute!(tx, Sql::with(
                            "UPDATE dispatch_assignments SET status = 'planned', decline_reason = NULL, decided_at = NULL, starts_at = $1, ends_at = $2 WHERE id = $3",
                            [slot.starts_at.into(), slot.ends_at.into(), row.id.into()],
                        ));
                    }
                    (false, Some(row)) if row.status() == AssignmentStatus::Planned => {
                        execute!(tx, Sql::with("DELETE FROM dispatch_assignments WHERE id = $1", [row.id.into()]));
                    }
                    (false, Some(row)) if row.status().holds_seat() => {
                        execute!(tx, Sql::with(
                            "UPDATE dispatch_assignments SET status = 'removed', decided_at = $1 WHERE id = $2",
                            [at.into(), row.id.into()],
                        ));
                        removed.entry(change.member_id).or_default().push(change.slot_id);
                    }
                    _ => {}
                }
            }
            for (member, slot_ids) in &removed {
                if let Some(recipient) = loaded.recipient(*member) {
                    let notice = removed_notice(&loaded, slot_ids);
                    notify_in_tx!(self, tx, &[recipient], &notice);
                }
            }
            if loaded.status == DispatchStatus::Sent {
                execute!(tx, Sql::with(
                    "UPDATE dispatch_requests SET status = 'planning', updated_at = $1 WHERE id = $2 AND status = 'sent'",
                    [at.into(), id.into()],
                ));
            }
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, "dispatch.plan", "dispatch_request", id)
                .detail(serde_json::json!({
                    "changes": changes.changes.iter().map(|c| [c.slot_id, c.member_id, i64::from(c.assign)]).collect::<Vec<_>>(),
                }));
            write_audit!(tx, entry);
        });
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        Ok(loaded.grid(&BTreeMap::new()))
    }

    /// Proposes seats with the planner and writes them as planned, for the operator to edit
    /// before confirming. Auto-fill (`replan` false) plans every seat not formally requested
    /// again; re-plan keeps every seat as it is and fills only the open ones. Unfilled slots
    /// say why. Audited.
    pub async fn auto_fill(
        &self,
        actor: &Actor,
        id: i64,
        replan: bool,
        min_rest_hours: i64,
    ) -> Result<ShiftGrid, ApiError> {
        may_plan(actor)?;
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        if !loaded.status.is_open() {
            return Err(not_open(loaded.status));
        }
        let kept: &[AssignmentStatus] = if replan {
            &[
                AssignmentStatus::Planned,
                AssignmentStatus::Requested,
                AssignmentStatus::Accepted,
            ]
        } else {
            &[AssignmentStatus::Requested, AssignmentStatus::Accepted]
        };
        let problem = loaded.problem(kept);
        let plan = planner::plan(&problem);
        let fixed: BTreeSet<(i64, i64)> = problem
            .people
            .iter()
            .flat_map(|p| p.fixed.iter().map(move |s| (*s, p.member_id)))
            .collect();
        let new: Vec<Assignment> = plan
            .assignments
            .iter()
            .copied()
            .filter(|a| !fixed.contains(&(a.slot_id, a.member_id)))
            .collect();
        let unfilled: BTreeMap<i64, UnfilledReason> = plan
            .unfilled
            .iter()
            .map(|u| (u.slot_id, unfilled_reason(u.reason)))
            .collect();
        let at = now();
        let existing: BTreeMap<(i64, i64), AssignmentRow> = loaded
            .assignments
            .iter()
            .map(|a| ((a.slot_id, a.member_id), a.clone()))
            .collect();
        in_write!(self, tx => {
            if !replan {
                execute!(tx, Sql::with(
                    "DELETE FROM dispatch_assignments WHERE request_id = $1 AND status = 'planned'",
                    [id.into()],
                ));
            }
            for a in &new {
                let Some(slot) = loaded.slot(a.slot_id) else { continue };
                match existing.get(&(a.slot_id, a.member_id)) {
                    Some(row) if row.status() != AssignmentStatus::Planned => {
                        execute!(tx, Sql::with(
                            "UPDATE dispatch_assignments SET status = 'planned', decline_reason = NULL, decided_at = NULL WHERE id = $1",
                            [row.id.into()],
                        ));
                    }
                    _ => {
                        execute!(tx, Sql::with(
                            "INSERT INTO dispatch_assignments (slot_id, request_id, member_id, starts_at, ends_at, status, created_at) VALUES ($1, $2, $3, $4, $5, 'planned', $6)",
                            [a.slot_id.into(), id.into(), a.member_id.into(), slot.starts_at.into(), slot.ends_at.into(), at.into()],
                        ));
                    }
                }
            }
            if loaded.status == DispatchStatus::Sent {
                execute!(tx, Sql::with(
                    "UPDATE dispatch_requests SET status = 'planning', updated_at = $1 WHERE id = $2 AND status = 'sent'",
                    [at.into(), id.into()],
                ));
            }
            execute!(tx, self.dispatch_event(id, at));
            let entry = NewEntry::by(actor, if replan { "dispatch.replan" } else { "dispatch.auto_fill" }, "dispatch_request", id)
                .detail(serde_json::json!({ "proposed": new.len(), "unfilled": plan.unfilled.len() }));
            write_audit!(tx, entry);
        });
        let loaded = self.load_plan(actor, id, min_rest_hours).await?;
        Ok(loaded.grid(&unfilled))
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

fn removed_notice(loaded: &Loaded, slot_ids: &[i64]) -> Notice {
    let lines = slot_list(loaded, slot_ids);
    let text = |lang: Lang| {
        Text {
        subject: format!("{}{}", lang.pick("【割当の取消】", "[Assignment removed] "), loaded.title),
        body: match lang {
            Lang::Ja => format!(
                "{}からの派遣要請「{}」で、次の枠の割当が取り消されました（日本時間）:\n{}\nこの枠には出勤不要です。",
                loaded.organisation_name, loaded.title, lines
            ),
            Lang::En => format!(
                "In the dispatch request \"{}\" from {}, you were taken off these slots (JST):\n{}\nYou are not expected for them.",
                loaded.title, loaded.organisation_name, lines
            ),
        },
    }
    };
    Notice {
        kind: NoticeKind::FormalRequest,
        ja: text(Lang::Ja),
        en: text(Lang::En),
        link: Some(Link {
            kind: "dispatch_request",
            id: loaded.request_id,
        }),
        origin_organisation_id: Some(loaded.organisation_id),
    }
}
