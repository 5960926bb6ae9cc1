//! Changing a request's plan: by hand (a member put in a slot or taken out, told when it was
//! formally asked), by auto-fill (every seat not formally requested planned again) or by
//! re-planning the open seats only. Every change answers the grid and is audited.

use super::may_plan;
use super::requests::not_open;
use super::shifts::{slot_list, AssignmentRow, Loaded};
use crate::error::ApiError;
use crate::planner::{self, Assignment};
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::inbox::{Link, Notice, Text};
use crate::store::notify::notify_in_tx;
use crate::store::sql::{bind_args, execute, Sql};
use crate::store::{in_write, now, Store};
use ouen_shared::api::{AssignmentStatus, PlanChanges, ShiftGrid, UnfilledReason};
use ouen_shared::dispatch::DispatchStatus;
use ouen_shared::{FieldIssue, Lang, NoticeKind, Problem as FieldProblem};
use std::collections::{BTreeMap, BTreeSet};

fn unfilled_reason(reason: planner::UnfilledReason) -> UnfilledReason {
    match reason {
        planner::UnfilledReason::NobodyAvailable => UnfilledReason::NobodyAvailable,
        planner::UnfilledReason::ProfessionMissing => UnfilledReason::ProfessionMissing,
        planner::UnfilledReason::OnlyConflicted => UnfilledReason::OnlyConflicted,
    }
}

/// A field error naming one change of a plan.
fn bad_change(index: usize, field: &str) -> FieldIssue {
    FieldIssue::new(
        format!("changes.{index}.{field}"),
        FieldProblem::UnknownValue,
    )
}

impl Store {
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
