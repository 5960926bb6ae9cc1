//! The member's side of dispatch: the requests it was asked (派遣要請), each answered slot
//! by slot (Space marks a slot available or not, `u` chooses the duties it can do there, `e`
//! writes a note, `s` sends; the answer
//! being written survives a failed send), the formal requests (正式依頼) accepted with `a`
//! or declined with `d` and a reason, and its own schedule ([`schedule`], the shifts tab).

mod draw;
pub mod schedule;

use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::ui::picker::PickSource;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use ouen_shared::api::{
    AnswerDraft, AskedRequest, AssignmentStatus, DeclineRequest, EventKind, MyAssignment, Page,
    SlotAnswer, StreamEvent,
};
use ouen_shared::dispatch::{duties_label, Duty};
use ouen_shared::endpoints::{
    AcceptAssignment, AnswerDispatchRequest, DeclineAssignment, GetMyDispatchRequest,
    ListMyDispatchRequests,
};
use ouen_shared::{FieldIssue, Lang, Problem, Validate};
use std::any::Any;

/// Requests asked for at once (a member is asked a few at a time).
pub const PER_PAGE: u32 = 100;

/// News for the member's dispatch view.
#[derive(Debug, Clone)]
pub enum MyDispatchMsg {
    /// Open this request (from the schedule).
    Open(i64),
    /// The note of the answer being written.
    Note(String),
    /// A formal request was accepted or declined in a form.
    Decided(Box<MyAssignment>),
    /// The duties chosen for the slot at this position of the open request.
    Duties { slot: usize, duties: Vec<Duty> },
}

/// The answer being written for the request in front: one choice per slot, and the note.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnswerInProgress {
    pub request_id: i64,
    /// Per slot, in the request's order: `None` not answered yet.
    pub available: Vec<Option<bool>>,
    /// Per slot, in the request's order: the duties it can do there when available (all the
    /// request's duties until the member narrows them).
    pub duties: Vec<Vec<Duty>>,
    pub note: String,
    /// Changed since it was last sent.
    pub dirty: bool,
}

impl AnswerInProgress {
    fn of(r: &AskedRequest) -> AnswerInProgress {
        AnswerInProgress {
            request_id: r.id,
            available: r
                .slots
                .iter()
                .map(|s| {
                    r.answer
                        .iter()
                        .find(|a| a.slot_id == s.id)
                        .map(|a| a.available)
                })
                .collect(),
            duties: r
                .slots
                .iter()
                .map(|s| {
                    r.answer
                        .iter()
                        .find(|a| a.slot_id == s.id && a.available && !a.duties.is_empty())
                        .map_or_else(|| r.duties.clone(), |a| a.duties.clone())
                })
                .collect(),
            note: r.note.clone(),
            dirty: false,
        }
    }

    /// The duties chosen for the slot at `i`.
    pub fn duties_at(&self, i: usize) -> &[Duty] {
        self.duties.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// What is sent: the live slots answered, each available one with the duties chosen for it.
    pub fn draft(&self, r: &AskedRequest) -> AnswerDraft {
        AnswerDraft {
            slots: r
                .slots
                .iter()
                .zip(&self.available)
                .enumerate()
                // A cancelled slot takes no answer.
                .filter(|(_, (s, _))| s.cancelled_at.is_none())
                .filter_map(|(i, (s, a))| {
                    a.map(|available| SlotAnswer {
                        slot_id: s.id,
                        available,
                        duties: if available {
                            self.duties_at(i).to_vec()
                        } else {
                            Vec::new()
                        },
                    })
                })
                .collect(),
            note: self.note.clone(),
        }
    }
}

/// The member's note, the duties it can do in one slot, or a decline's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberForm {
    Note,
    /// The slot at this position; `offered` are the request's duties, labelled in `lang`.
    Duties {
        slot: usize,
        offered: Vec<Duty>,
        lang: Lang,
    },
    Decline {
        assignment_id: i64,
    },
}

impl FormSpec for MemberForm {
    fn title(&self) -> T {
        match self {
            MemberForm::Note => T::MyDispatchNoteTitle,
            MemberForm::Duties { .. } => T::MyDispatchDutiesTitle,
            MemberForm::Decline { .. } => T::MyDispatchDeclineTitle,
        }
    }

    fn fields(&self) -> Vec<Field> {
        match self {
            MemberForm::Note => vec![Field::text("note", T::DispatchColNote)],
            MemberForm::Duties { offered, lang, .. } => vec![Field::pick(
                "duties",
                T::DispatchFieldDuties,
                PickSource::Multi(
                    offered
                        .iter()
                        .map(|d| (d.code().to_string(), d.label(*lang).to_string()))
                        .collect(),
                ),
            )],
            MemberForm::Decline { .. } => vec![Field::text("reason", T::DispatchFieldReason)],
        }
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        match self {
            MemberForm::Note => Ok(Submit::Local(vec![
                Action::ClosePopup,
                Action::message(MyDispatchMsg::Note(form.value("note"))),
            ])),
            MemberForm::Duties { slot, offered, .. } => {
                let value = form.value("duties");
                let duties: Vec<Duty> = offered
                    .iter()
                    .copied()
                    .filter(|d| value.split(',').any(|c| c.trim() == d.code()))
                    .collect();
                if duties.is_empty() {
                    return Err(vec![FieldIssue::new("duties", Problem::Required)]);
                }
                Ok(Submit::Local(vec![
                    Action::ClosePopup,
                    Action::message(MyDispatchMsg::Duties {
                        slot: *slot,
                        duties,
                    }),
                ]))
            }
            MemberForm::Decline { assignment_id } => {
                let mut body = DeclineRequest {
                    reason: form.value("reason"),
                };
                body.normalize();
                body.validate()?;
                Ok(Submit::Send(crate::app::net::Call::new(
                    DeclineAssignment {
                        id: *assignment_id,
                        body,
                    },
                )))
            }
        }
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::ClosePopup];
        if let Ok(a) = answer.downcast::<MyAssignment>() {
            actions.push(Action::Status(T::MyDispatchDeclined.get(lang).to_string()));
            actions.push(Action::message(MyDispatchMsg::Decided(a)));
        }
        actions
    }
}

#[derive(Default)]
pub struct MyDispatchView {
    pub items: Vec<AskedRequest>,
    list: ListState,
    /// The request in front, with the answer being written.
    pub open: Option<AskedRequest>,
    pub answer: Option<AnswerInProgress>,
    slots: ListState,
    page_rows: usize,
    error: Option<String>,
    list_req: Option<Pending<Page<AskedRequest>>>,
    open_req: Option<Pending<AskedRequest>>,
    send_req: Option<Pending<AskedRequest>>,
    accept_req: Option<Pending<MyAssignment>>,
}

impl MyDispatchView {
    pub fn new() -> MyDispatchView {
        MyDispatchView {
            page_rows: 10,
            ..MyDispatchView::default()
        }
    }

    fn load_list(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListMyDispatchRequests {
            page: 1,
            per_page: PER_PAGE,
        }));
    }

    fn load_open(&mut self, id: i64, ctx: &Ctx) {
        self.open_req = Some(ctx.net.call(GetMyDispatchRequest { id }));
    }

    /// A fresh copy of the request: the answer being written stays unless it was sent.
    fn took(&mut self, r: AskedRequest) {
        let keep = self
            .answer
            .as_ref()
            .is_some_and(|a| a.request_id == r.id && a.dirty);
        if !keep {
            self.answer = Some(AnswerInProgress::of(&r));
        }
        self.slots.clamp(r.slots.len());
        if let Some(x) = self.items.iter_mut().find(|x| x.id == r.id) {
            *x = r.clone();
        }
        self.open = Some(r);
        self.error = None;
    }

    /// The formal request of the slot under the cursor.
    fn assignment_here(&self) -> Option<&MyAssignment> {
        let r = self.open.as_ref()?;
        let slot = r.slots.get(self.slots.selected)?;
        r.assignments.iter().find(|a| a.slot_id == slot.id)
    }

    fn open_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        let r = self.open.as_ref()?;
        let id = r.id;
        let open = r.open;
        let slots = r.slots.len();
        if self.slots.follow(cmd, slots, (self.page_rows / 2).max(1)) {
            return Some(Vec::new());
        }
        let cancelled = r
            .slots
            .get(self.slots.selected)
            .is_some_and(|s| s.cancelled_at.is_some());
        Some(match cmd {
            Command::ToggleSlot | Command::AnswerDuties if cancelled => {
                vec![Action::Status(
                    T::MyDispatchSlotIsCancelled.get(lang).to_string(),
                )]
            }
            Command::Back => {
                self.open = None;
                self.load_list(ctx);
                Vec::new()
            }
            Command::ToggleSlot if open => {
                if let Some(a) = &mut self.answer {
                    if let Some(v) = a.available.get_mut(self.slots.selected) {
                        // Not answered → available → not available → available …
                        *v = Some(!v.unwrap_or(false));
                        a.dirty = true;
                    }
                }
                Vec::new()
            }
            Command::AnswerDuties if open => {
                let Some(a) = &self.answer else {
                    return Some(Vec::new());
                };
                let at = self.slots.selected;
                let chosen = a.duties_at(at);
                let codes: Vec<&str> = chosen.iter().map(|d| d.code()).collect();
                vec![Action::PushPopup(Box::new(
                    Form::new(MemberForm::Duties {
                        slot: at,
                        offered: r.duties.clone(),
                        lang,
                    })
                    .with_pick(
                        "duties",
                        &codes.join(","),
                        &duties_label(chosen, lang),
                    ),
                ))]
            }
            Command::AnswerNote if open => {
                let note = self
                    .answer
                    .as_ref()
                    .map(|a| a.note.clone())
                    .unwrap_or_default();
                vec![Action::PushPopup(Box::new(
                    Form::new(MemberForm::Note).with_value("note", &note),
                ))]
            }
            Command::SendAnswer if open => {
                let (Some(a), Some(r)) = (&self.answer, &self.open) else {
                    return Some(Vec::new());
                };
                let mut body = a.draft(r);
                body.normalize();
                self.send_req = Some(ctx.net.call(AnswerDispatchRequest { id, body }));
                Vec::new()
            }
            Command::ToggleSlot
            | Command::AnswerDuties
            | Command::AnswerNote
            | Command::SendAnswer => {
                vec![Action::Status(T::MyDispatchClosed.get(lang).to_string())]
            }
            Command::AcceptFormal | Command::DeclineFormal => match self.assignment_here() {
                Some(a)
                    if a.status == AssignmentStatus::Requested
                        || (cmd == Command::DeclineFormal
                            && a.status == AssignmentStatus::Accepted) =>
                {
                    let aid = a.id;
                    if cmd == Command::AcceptFormal {
                        self.accept_req = Some(ctx.net.call(AcceptAssignment { id: aid }));
                        Vec::new()
                    } else {
                        vec![Action::PushPopup(Box::new(Form::new(
                            MemberForm::Decline { assignment_id: aid },
                        )))]
                    }
                }
                _ => vec![Action::Status(T::MyDispatchNoFormal.get(lang).to_string())],
            },
            Command::Refresh => {
                self.load_open(id, ctx);
                Vec::new()
            }
            _ => return None,
        })
    }
}

impl View for MyDispatchView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        if self.open.is_some() {
            return self.open_key(cmd, ctx);
        }
        if self
            .list
            .follow(cmd, self.items.len(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        match cmd {
            Command::Open => {
                if let Some(r) = self.items.get(self.list.selected).cloned() {
                    self.slots = ListState::default();
                    self.took(r);
                    let id = self.open.as_ref().map(|o| o.id).unwrap_or_default();
                    self.load_open(id, ctx);
                }
                Some(Vec::new())
            }
            Command::Refresh => {
                self.load_list(ctx);
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn message(&mut self, msg: &(dyn Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<MyDispatchMsg>()? {
            MyDispatchMsg::Open(id) => {
                self.slots = ListState::default();
                self.load_open(*id, ctx);
            }
            MyDispatchMsg::Note(note) => {
                if let Some(a) = &mut self.answer {
                    a.note = note.clone();
                    a.dirty = true;
                }
            }
            MyDispatchMsg::Duties { slot, duties } => {
                if let Some(a) = &mut self.answer {
                    if let (Some(given), Some(available)) =
                        (a.duties.get_mut(*slot), a.available.get_mut(*slot))
                    {
                        *given = duties.clone();
                        // Choosing what one can do there says one can go.
                        *available = Some(true);
                        a.dirty = true;
                    }
                }
            }
            MyDispatchMsg::Decided(_) => {
                if let Some(id) = self.open.as_ref().map(|o| o.id) {
                    self.load_open(id, ctx);
                }
            }
        }
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.list_req, answer) {
            match result {
                Ok(page) => {
                    self.items = page.items;
                    self.list.clamp(self.items.len());
                    self.error = None;
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.open_req, answer) {
            match result {
                Ok(r) => self.took(r),
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.send_req, answer) {
            return Some(match result {
                Ok(r) => {
                    if let Some(a) = &mut self.answer {
                        a.dirty = false;
                    }
                    self.took(r);
                    vec![Action::Status(T::MyDispatchAnswered.get(lang).to_string())]
                }
                // The answer being written stays, to send again.
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.accept_req, answer)? {
            Ok(_) => {
                if let Some(id) = self.open.as_ref().map(|o| o.id) {
                    self.load_open(id, ctx);
                }
                vec![Action::Status(T::MyDispatchAccepted.get(lang).to_string())]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load_list(ctx);
        if let Some(id) = self.open.as_ref().map(|o| o.id) {
            self.load_open(id, ctx);
        }
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        // A member hears of requests through its inbox.
        if event.kind == EventKind::InboxMessage {
            self.refresh(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some()
            || self.open_req.is_some()
            || self.send_req.is_some()
            || self.accept_req.is_some()
    }

    fn selected_value(&self) -> Option<String> {
        match &self.open {
            Some(r) => Some(r.title.clone()),
            None => self.items.get(self.list.selected).map(|r| r.title.clone()),
        }
    }

    fn section(&self) -> Option<Section> {
        Some(Section::MyDispatch)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(
            if self.open.is_some() {
                T::MyDispatchHintsOpen
            } else {
                T::MyDispatchHints
            }
            .get(ctx.lang)
            .to_string(),
        )
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
