//! Dispatch requests (派遣要請), the requesting side: the requests in scope, filtered by
//! status; a request opened with its slots and the members asked, whose answers arrive live;
//! a request written or edited (times to the minute, slots in bulk); the targets chosen with
//! the roster's own filters and counted before anything is sent; sending, with a
//! confirmation naming how many are asked; reminding the silent ones; cancelling; and a jump
//! to the request's shift grid. A member sees the requests it was asked instead
//! ([`crate::views::my_dispatch`]).

pub mod draw;
pub mod forms;

use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::confirm::Confirm;
use crate::views::shifts::ShiftsMsg;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use ouen_shared::api::{
    AskedMember, DispatchRequest, DispatchSummary, EventKind, Me, MemberFilter, Organisation, Page,
    ReminderResult, ReminderRound, SendResult, StreamEvent, TargetCount, TargetQuery,
};
use ouen_shared::dispatch::DispatchStatus;
use ouen_shared::endpoints::{
    CountDispatchTargets, GetDispatchRequest, ListAsks, ListDispatchRequests, ListOrganisations,
    RemindSilent, SendDispatchRequest,
};
use ouen_shared::{Lang, OrgKind};

/// Requests asked for per page.
pub const PER_PAGE: u32 = 100;
/// Members asked shown with an opened request.
pub const ASKS_PER_PAGE: u32 = 200;

/// News for the dispatch view from its forms and confirmations.
#[derive(Debug, Clone)]
pub enum DispatchMsg {
    /// A request was written or edited.
    Saved(Box<DispatchRequest>),
    /// The targets were chosen: count them.
    Targets { id: i64, filter: Box<MemberFilter> },
    /// Said yes to asking the targets not asked yet.
    SendYes { id: i64 },
    /// Said yes to reminding the silent members, in this round.
    RemindYes { id: i64, round: i64 },
}

/// The targets chosen for the request in front, and how many they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    pub request_id: i64,
    pub filter: MemberFilter,
    pub count: Option<TargetCount>,
}

pub struct DispatchView {
    /// The caller's prefecture (for the target filter's municipalities).
    prefecture: Option<String>,
    /// The caller's organisation: a request goes to one of its own health centres.
    organisation_id: i64,
    pub items: Vec<DispatchSummary>,
    pub total: i64,
    list: ListState,
    /// Only requests in this status (`f` steps through them).
    pub status: Option<DispatchStatus>,
    /// The request opened, with the members it asked.
    pub open: Option<DispatchRequest>,
    pub asks: Vec<AskedMember>,
    pub asks_total: i64,
    asks_state: ListState,
    pub targets: Option<Targets>,
    /// The health centres a request may go to: (id, name).
    centres: Vec<(String, String)>,
    /// Rows the last draw showed (for paging).
    page_rows: usize,
    error: Option<String>,
    list_req: Option<Pending<Page<DispatchSummary>>>,
    open_req: Option<Pending<DispatchRequest>>,
    asks_req: Option<Pending<Page<AskedMember>>>,
    count_req: Option<Pending<TargetCount>>,
    send_req: Option<Pending<SendResult>>,
    remind_req: Option<Pending<ReminderResult>>,
    centres_req: Option<Pending<Page<Organisation>>>,
}

impl DispatchView {
    pub fn new(me: &Me) -> DispatchView {
        DispatchView {
            prefecture: me.prefecture_code.clone(),
            organisation_id: me.organisation_id,
            items: Vec::new(),
            total: 0,
            list: ListState::default(),
            status: None,
            open: None,
            asks: Vec::new(),
            asks_total: 0,
            asks_state: ListState::default(),
            targets: None,
            centres: Vec::new(),
            page_rows: 10,
            error: None,
            list_req: None,
            open_req: None,
            asks_req: None,
            count_req: None,
            send_req: None,
            remind_req: None,
            centres_req: None,
        }
    }

    fn load_list(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListDispatchRequests {
            page: 1,
            per_page: PER_PAGE,
            status: self.status.map(|s| s.code().to_string()),
            q: None,
        }));
    }

    fn load_open(&mut self, id: i64, ctx: &Ctx) {
        self.open_req = Some(ctx.net.call(GetDispatchRequest { id }));
        self.asks_req = Some(ctx.net.call(ListAsks {
            id,
            page: 1,
            per_page: ASKS_PER_PAGE,
            answered: None,
        }));
    }

    fn count_targets(&mut self, ctx: &Ctx) {
        if let Some(t) = &self.targets {
            self.count_req = Some(ctx.net.call(CountDispatchTargets {
                id: t.request_id,
                body: TargetQuery {
                    filter: t.filter.clone(),
                },
            }));
        }
    }

    fn next_status(&self) -> Option<DispatchStatus> {
        let all = DispatchStatus::ALL;
        match self.status {
            None => all.first().copied(),
            Some(s) => {
                let i = all.iter().position(|x| *x == s).unwrap_or(0);
                all.get(i + 1).copied()
            }
        }
    }

    /// The targets of the request in front (a new filter for another request).
    fn targets_of(&self, id: i64) -> MemberFilter {
        match &self.targets {
            Some(t) if t.request_id == id => t.filter.clone(),
            _ => MemberFilter::default(),
        }
    }

    fn list_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if self
            .list
            .follow(cmd, self.items.len(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        let selected = self.items.get(self.list.selected);
        Some(match cmd {
            Command::Open => {
                if let Some(id) = selected.map(|s| s.id) {
                    self.asks_state = ListState::default();
                    self.load_open(id, ctx);
                }
                Vec::new()
            }
            Command::NewDispatch => {
                if self.centres.is_empty() {
                    vec![Action::Error(T::DispatchNoCentres.get(lang).to_string())]
                } else {
                    vec![Action::PushPopup(Box::new(forms::new_form(
                        self.centres.clone(),
                    )))]
                }
            }
            Command::DispatchStatusFilter => {
                self.status = self.next_status();
                self.list = ListState::default();
                self.load_list(ctx);
                Vec::new()
            }
            Command::Back if self.status.is_some() => {
                self.status = None;
                self.load_list(ctx);
                Vec::new()
            }
            Command::OpenGrid => match selected {
                Some(s) => grid_of(s.id, &s.title),
                None => vec![Action::Error(T::NoSelection.get(lang).to_string())],
            },
            Command::EditDispatch
            | Command::DispatchTargets
            | Command::SendDispatch
            | Command::RemindSilent
            | Command::CancelDispatch => {
                vec![Action::Status(T::DispatchOpenFirst.get(lang).to_string())]
            }
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            _ => return None,
        })
    }

    fn open_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        let r = self.open.as_ref()?;
        let id = r.id;
        if self
            .asks_state
            .follow(cmd, self.asks.len(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        let open = r.status.is_open();
        Some(match cmd {
            Command::Back => {
                self.open = None;
                self.load_list(ctx);
                Vec::new()
            }
            Command::EditDispatch if open => vec![Action::PushPopup(Box::new(forms::edit_form(
                r,
                self.centres.clone(),
                lang,
            )))],
            Command::DispatchTargets if open => vec![Action::PushPopup(Box::new(
                forms::targets_form(id, &self.targets_of(id), self.prefecture.clone(), lang),
            ))],
            Command::SendDispatch if open => match &self.targets {
                Some(Targets {
                    request_id,
                    count: Some(c),
                    ..
                }) if *request_id == id => {
                    if c.new == 0 {
                        vec![Action::Status(T::DispatchNobodyNew.get(lang).to_string())]
                    } else {
                        let question = match lang {
                            Lang::Ja => format!(
                                "該当 {} 人のうち、まだ依頼していない {} 人に派遣要請を送ります。よろしいですか？",
                                c.matched, c.new
                            ),
                            Lang::En => format!(
                                "Send the request to the {} of {} matching members not asked yet?",
                                c.new, c.matched
                            ),
                        };
                        vec![Confirm::popup(question, DispatchMsg::SendYes { id })]
                    }
                }
                _ => vec![Action::Status(
                    T::DispatchChooseTargets.get(lang).to_string(),
                )],
            },
            Command::RemindSilent if open => {
                let silent = r.counts.asked - r.counts.answered;
                if silent <= 0 {
                    vec![Action::Status(
                        T::DispatchNobodySilent.get(lang).to_string(),
                    )]
                } else {
                    let round = r.counts.reminder_round + 1;
                    let question = match lang {
                        Lang::Ja => format!("未回答の {silent} 人に回答を催促します（{round} 回目）。よろしいですか？"),
                        Lang::En => format!("Remind the {silent} members who have not answered (round {round})?"),
                    };
                    vec![Confirm::popup(
                        question,
                        DispatchMsg::RemindYes { id, round },
                    )]
                }
            }
            Command::CancelDispatch if open => {
                vec![Action::PushPopup(Box::new(forms::cancel_form(r)))]
            }
            Command::EditDispatch
            | Command::DispatchTargets
            | Command::SendDispatch
            | Command::RemindSilent
            | Command::CancelDispatch => {
                vec![Action::Status(T::DispatchClosed.get(lang).to_string())]
            }
            Command::OpenGrid => grid_of(id, &r.title),
            Command::Refresh => {
                self.load_open(id, ctx);
                Vec::new()
            }
            _ => return None,
        })
    }
}

/// Brings the shift grid of a request to the front.
fn grid_of(id: i64, title: &str) -> Vec<Action> {
    vec![
        Action::ShowTab("shifts"),
        Action::message(ShiftsMsg::Open {
            id,
            title: title.to_string(),
        }),
    ]
}

impl View for DispatchView {
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
        self.list_key(cmd, ctx)
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<DispatchMsg>()? {
            DispatchMsg::Saved(r) => {
                // A new request opens, so its targets can be chosen next.
                self.load_open(r.id, ctx);
            }
            DispatchMsg::Targets { id, filter } => {
                self.targets = Some(Targets {
                    request_id: *id,
                    filter: (**filter).clone(),
                    count: None,
                });
                self.count_targets(ctx);
            }
            DispatchMsg::SendYes { id } => {
                let filter = self.targets_of(*id);
                self.send_req = Some(ctx.net.call(SendDispatchRequest {
                    id: *id,
                    body: TargetQuery { filter },
                }));
            }
            DispatchMsg::RemindYes { id, round } => {
                self.remind_req = Some(ctx.net.call(RemindSilent {
                    id: *id,
                    body: ReminderRound { round: *round },
                }));
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
                    self.total = page.total;
                    self.list.clamp(self.items.len());
                    self.error = None;
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.open_req, answer) {
            match result {
                Ok(r) => {
                    self.open = Some(r);
                    self.error = None;
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.asks_req, answer) {
            if let Ok(page) = result {
                self.asks = page.items;
                self.asks_total = page.total;
                self.asks_state.clamp(self.asks.len());
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.centres_req, answer) {
            if let Ok(page) = result {
                // The caller sees its cities' centres too, but sends only to its own.
                let own = self.organisation_id;
                self.centres = page
                    .items
                    .into_iter()
                    .filter(|o| o.parent_id == Some(own))
                    .map(|o| (o.id.to_string(), o.name))
                    .collect();
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.count_req, answer) {
            return Some(match result {
                Ok(c) => {
                    if let Some(t) = &mut self.targets {
                        t.count = Some(c);
                    }
                    Vec::new()
                }
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        if let Some(result) = claim(&mut self.send_req, answer) {
            return Some(match result {
                Ok(r) => {
                    if let Some(id) = self.open.as_ref().map(|o| o.id) {
                        self.load_open(id, ctx);
                        self.count_targets(ctx);
                    }
                    vec![Action::Status(match lang {
                        Lang::Ja => format!(
                            "{} 人に派遣要請を送りました（依頼済み 計 {} 人）。",
                            r.asked_now, r.asked
                        ),
                        Lang::En => {
                            format!("Asked {} members ({} asked in all).", r.asked_now, r.asked)
                        }
                    })]
                }
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.remind_req, answer)? {
            Ok(r) => {
                if let Some(id) = self.open.as_ref().map(|o| o.id) {
                    self.load_open(id, ctx);
                }
                vec![Action::Status(match lang {
                    Lang::Ja => format!("{} 人に催促しました（{} 回目）。", r.reminded, r.round),
                    Lang::En => format!("Reminded {} members (round {}).", r.reminded, r.round),
                })]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load_list(ctx);
        if let Some(id) = self.open.as_ref().map(|o| o.id) {
            self.load_open(id, ctx);
        }
        self.centres_req = Some(ctx.net.call(ListOrganisations {
            kind: Some(OrgKind::HealthCentre),
        }));
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        if event.kind != EventKind::Dispatch {
            return Vec::new();
        }
        // Answers arrive: the request in front and its members asked are read again.
        match self.open.as_ref().map(|o| o.id) {
            Some(id) if event.subject_id == Some(id) => self.load_open(id, ctx),
            // Another request: the list is read again on the way back to it.
            Some(_) => {}
            None => self.load_list(ctx),
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some()
            || self.open_req.is_some()
            || self.count_req.is_some()
            || self.send_req.is_some()
            || self.remind_req.is_some()
    }

    fn selected_value(&self) -> Option<String> {
        match &self.open {
            Some(_) => self
                .asks
                .get(self.asks_state.selected)
                .map(|a| a.name.clone()),
            None => self.items.get(self.list.selected).map(|s| s.title.clone()),
        }
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Dispatch)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(
            if self.open.is_some() {
                T::DispatchHintsOpen
            } else {
                T::DispatchHints
            }
            .get(ctx.lang)
            .to_string(),
        )
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
