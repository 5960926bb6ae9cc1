//! The shift grid (シフト) of a dispatch request: the people asked × the slots, with each
//! answer, assignment and conflict, and the changes an operator makes to it: assignments by
//! hand, auto-fill and re-plan proposals, confirmation (formal requests, 正式依頼), and the
//! members' acceptances and declines.

use crate::role::labelled_enum;
use crate::validate::{Checker, Problem};
use crate::{FieldIssue, Lang, Profession, Validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// Where one person's assignment to one slot stands.
    AssignmentStatus {
        /// In the operator's plan; the member was not asked formally yet.
        Planned = "planned", "仮割当", "Planned";
        /// A formal request was sent; the member has to accept or decline.
        Requested = "requested", "正式依頼中", "Requested";
        /// The member accepted.
        Accepted = "accepted", "承諾", "Accepted";
        /// The member declined (with a reason); the seat is open again.
        Declined = "declined", "辞退", "Declined";
        /// Taken off the plan by the operator (or the request was cancelled).
        Removed = "removed", "取消", "Removed";
    }
}

impl AssignmentStatus {
    /// Whether the assignment takes a seat (planned, requested or accepted).
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Planned | AssignmentStatus::Requested | AssignmentStatus::Accepted
        )
    }
}

labelled_enum! {
    /// What a member asked said about one slot.
    SlotReply {
        /// Can work it.
        Available = "available", "可", "Available";
        /// Cannot work it.
        Unavailable = "unavailable", "不可", "Unavailable";
        /// Answered the request, but not about this slot (added later, or left out).
        NotAsked = "not_asked", "未依頼", "Not asked";
        /// Has not answered yet.
        NotAnswered = "not_answered", "未回答", "Not answered";
    }
}

labelled_enum! {
    /// A rule one assignment breaks: shown, never hidden.
    ConflictKind {
        /// Overlaps another slot of the person, here or elsewhere.
        Overlap = "overlap", "時間重複", "Overlap";
        /// Less than the minimum rest before or after another slot.
        Rest = "rest", "休息不足", "Too little rest";
        /// The person holds none of the slot's professions.
        Profession = "profession", "職種不一致", "Profession missing";
        /// The person did not say it can work the slot.
        NotAvailable = "not_available", "回答なし・不可", "Not available";
    }
}

labelled_enum! {
    /// Why seats of a slot stay empty after auto-fill or re-plan.
    UnfilledReason {
        NobodyAvailable = "nobody_available", "対応可能な人がいない", "Nobody available";
        ProfessionMissing = "profession_missing", "職種が合う人がいない", "Profession missing";
        OnlyConflicted = "only_conflicted", "他の枠と重複する人のみ", "Only people with conflicts";
    }
}

/// One conflict of a cell: the rule and, when it is another slot of this request, which
/// (`None`: a commitment elsewhere, never said what or where).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellConflict {
    pub kind: ConflictKind,
    pub other_slot_id: Option<i64>,
}

/// One person × one slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridCell {
    pub reply: SlotReply,
    /// The assignment, if any (declined and removed ones included, for the record).
    pub assignment: Option<AssignmentStatus>,
    /// Committed at an overlapping time in another request (of any prefecture).
    pub busy: bool,
    /// The rules the assignment breaks (empty for a cell without a seat).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<CellConflict>,
}

/// One slot of the grid with its seat counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridSlot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub needed: u32,
    pub professions: Vec<Profession>,
    /// Seats taken (planned, requested or accepted).
    pub assigned: u32,
    /// Of them, accepted.
    pub accepted: u32,
    /// Seats still open (0 when full or over).
    pub gap: u32,
    /// Why open seats stay open, after auto-fill or re-plan.
    pub unfilled: Option<UnfilledReason>,
}

/// One person of the grid: a member the request asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridPerson {
    pub member_id: i64,
    pub name: String,
    pub name_kana: String,
    pub professions: Vec<Profession>,
    /// One cell per slot, in the order of [`ShiftGrid::slots`].
    pub cells: Vec<GridCell>,
    /// Minutes in seats of this request.
    pub load_minutes: i64,
}

/// The grid of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftGrid {
    pub request_id: i64,
    pub status: crate::dispatch::DispatchStatus,
    /// Live slots in time order.
    pub slots: Vec<GridSlot>,
    /// People in kana order.
    pub people: Vec<GridPerson>,
    pub min_rest_hours: i64,
}

/// One change to the plan: put a member in a slot, or take it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChange {
    pub slot_id: i64,
    pub member_id: i64,
    pub assign: bool,
}

/// Changes to the plan, applied together.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChanges {
    pub changes: Vec<PlanChange>,
}

impl Validate for PlanChanges {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        if self.changes.len() > 10_000 {
            check.add("changes", Problem::TooLong { max: 10_000 });
        }
        check.finish()
    }
}

/// What confirming did: formal requests sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmResult {
    /// Assignments now formally requested.
    pub requested: i64,
    /// Members told.
    pub members: i64,
}

/// A member's assignment, as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAssignment {
    pub id: i64,
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AssignmentStatus,
    pub decline_reason: Option<String>,
}

/// Declining a formal request: the reason is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclineRequest {
    pub reason: String,
}

impl Validate for DeclineRequest {
    fn normalize(&mut self) {
        self.reason = crate::text::normalize_line_breaks(self.reason.trim());
    }
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.multiline_text("reason", &self.reason, 1, 500);
        check.finish()
    }
}

/// The mark a cell is drawn with, so the grid reads without colour (NO_COLOR): an assignment
/// first, then busy elsewhere, then the reply.
pub fn cell_mark(cell: &GridCell) -> &'static str {
    match cell.assignment {
        Some(AssignmentStatus::Accepted) => "◎",
        Some(AssignmentStatus::Requested) => "○",
        Some(AssignmentStatus::Planned) => "●",
        Some(AssignmentStatus::Declined) => "×",
        Some(AssignmentStatus::Removed) | None => {
            if cell.busy {
                "■"
            } else {
                match cell.reply {
                    SlotReply::Available => "△",
                    SlotReply::Unavailable => "－",
                    SlotReply::NotAsked => "・",
                    SlotReply::NotAnswered => "？",
                }
            }
        }
    }
}

/// Every cell mark with its meaning in `lang`, for the legend.
pub fn legend(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("◎", lang.pick("承諾済み", "accepted")),
        ("○", lang.pick("正式依頼中", "formally requested")),
        ("●", lang.pick("仮割当（未送信）", "planned, not sent")),
        (
            "×",
            lang.pick("正式依頼を辞退", "declined the formal request"),
        ),
        ("△", lang.pick("対応可", "available")),
        ("－", lang.pick("対応不可", "unavailable")),
        ("？", lang.pick("未回答", "not answered")),
        ("・", lang.pick("この枠は未依頼", "not asked for this slot")),
        (
            "■",
            lang.pick(
                "他の派遣と重複（詳細非表示）",
                "busy elsewhere (details hidden)",
            ),
        ),
        (
            "!",
            lang.pick(
                "ルール違反（重複・休息不足・職種）",
                "breaks a rule (overlap, rest, profession)",
            ),
        ),
    ]
}
