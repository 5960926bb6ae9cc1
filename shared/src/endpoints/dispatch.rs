//! The endpoints of dispatch requests: the requesting side's, then the member's.

use super::{paged, Endpoint, Method, Payload};
use crate::api::{
    AnswerDraft, AskedMember, AskedRequest, CancelRequest, DispatchDraft, DispatchRequest,
    DispatchSummary, Page, ReminderResult, ReminderRound, SendResult, TargetCount, TargetQuery,
};
use crate::api::{ConfirmResult, DeclineRequest, MyAssignment, PlanChanges, ShiftGrid, SlotChange};

/// The requests in the caller's scope, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListDispatchRequests {
    pub page: u32,
    pub per_page: u32,
    /// Statuses, e.g. `sent,planning`.
    pub status: Option<String>,
    pub q: Option<String>,
}
impl Endpoint for ListDispatchRequests {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/dispatch-requests";
    type Body = ();
    type Response = Page<DispatchSummary>;
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(
            self.page,
            self.per_page,
            &[("status", self.status.clone()), ("q", self.q.clone())],
        )
    }
}
with_body!(
    /// Writes a draft request.
    CreateDispatchRequest(DispatchDraft),
    Post,
    "/api/v1/dispatch-requests",
    DispatchRequest
);
on_id!(
    /// One request with its slots and counts.
    GetDispatchRequest,
    Get,
    "/api/v1/dispatch-requests/{id}",
    DispatchRequest
);
on_id!(
    /// Rewrites an open request (the members asked are told).
    UpdateDispatchRequest(DispatchDraft),
    Put,
    "/api/v1/dispatch-requests/{id}",
    DispatchRequest
);
on_id!(
    /// How many members a filter matches for the request, and how many a send would ask.
    CountDispatchTargets(TargetQuery),
    Post,
    "/api/v1/dispatch-requests/{id}/targets",
    TargetCount
);
on_id!(
    /// Asks every match not asked yet.
    SendDispatchRequest(TargetQuery),
    Post,
    "/api/v1/dispatch-requests/{id}/send",
    SendResult
);
/// The members a request asked, with their answers.
#[derive(Debug, Clone, Default)]
pub struct ListAsks {
    pub id: i64,
    pub page: u32,
    pub per_page: u32,
    /// `Some(false)`: only those who have not answered.
    pub answered: Option<bool>,
}
impl Endpoint for ListAsks {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/dispatch-requests/{id}/asks";
    type Body = ();
    type Response = Page<AskedMember>;
    fn path(&self) -> String {
        Self::ROUTE.replace("{id}", &self.id.to_string())
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(
            self.page,
            self.per_page,
            &[("answered", self.answered.map(|a| a.to_string()))],
        )
    }
}
on_id!(
    /// Reminds the silent members, once per round.
    RemindSilent(ReminderRound),
    Post,
    "/api/v1/dispatch-requests/{id}/reminders",
    ReminderResult
);
on_id!(
    /// Calls the request off.
    CancelDispatchRequest(CancelRequest),
    Post,
    "/api/v1/dispatch-requests/{id}/cancel",
    DispatchRequest
);
/// The requests the signed-in member was asked.
#[derive(Debug, Clone, Default)]
pub struct ListMyDispatchRequests {
    pub page: u32,
    pub per_page: u32,
}
impl Endpoint for ListMyDispatchRequests {
    const METHOD: Method = Method::Get;
    const ROUTE: &'static str = "/api/v1/me/dispatch-requests";
    type Body = ();
    type Response = Page<AskedRequest>;
    fn query(&self) -> Vec<(&'static str, String)> {
        paged(self.page, self.per_page, &[])
    }
}
on_id!(
    /// One request the member was asked, with its answer.
    GetMyDispatchRequest,
    Get,
    "/api/v1/me/dispatch-requests/{id}",
    AskedRequest
);
on_id!(
    /// The member's answer, per slot.
    AnswerDispatchRequest(AnswerDraft),
    Put,
    "/api/v1/me/dispatch-requests/{id}/answer",
    AskedRequest
);

on_id!(
    /// The shift grid of a request.
    GetShiftGrid,
    Get,
    "/api/v1/dispatch-requests/{id}/grid",
    ShiftGrid
);
on_id!(
    /// Moves or resizes one slot of an open request (its seats move with it; the members it
    /// affects are told); answers the request's grid.
    MoveDispatchSlot(SlotChange),
    Put,
    "/api/v1/dispatch-slots/{id}",
    ShiftGrid
);
on_id!(
    /// Cancels one slot of an open request (its seats are freed; the members it affects are
    /// told, with the reason); answers the request's grid.
    CancelDispatchSlot(CancelRequest),
    Post,
    "/api/v1/dispatch-slots/{id}/cancel",
    ShiftGrid
);
on_id!(
    /// Hand changes to the plan.
    ChangePlan(PlanChanges),
    Post,
    "/api/v1/dispatch-requests/{id}/assignments",
    ShiftGrid
);
on_id!(
    /// Plans every seat not formally requested.
    AutoFill,
    Post,
    "/api/v1/dispatch-requests/{id}/auto-fill",
    ShiftGrid
);
on_id!(
    /// Fills the open seats, keeping the rest.
    Replan,
    Post,
    "/api/v1/dispatch-requests/{id}/replan",
    ShiftGrid
);
on_id!(
    /// Sends the formal requests of the plan.
    ConfirmShifts,
    Post,
    "/api/v1/dispatch-requests/{id}/confirm",
    ConfirmResult
);
on_id!(
    /// The member accepts a formal request.
    AcceptAssignment,
    Post,
    "/api/v1/me/assignments/{id}/accept",
    MyAssignment
);
on_id!(
    /// The member declines a formal request, with a reason.
    DeclineAssignment(DeclineRequest),
    Post,
    "/api/v1/me/assignments/{id}/decline",
    MyAssignment
);
