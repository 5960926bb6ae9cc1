//! The member's own schedule (the shifts tab of a member): every slot it was formally asked
//! for, in time order, with where and what stands; Enter opens the request in the dispatch
//! tab to accept or decline.

use super::{MyDispatchMsg, PER_PAGE};
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::views::shifts::layout::slot_when;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::clean;
use crate::widgets::title;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ouen_shared::api::{AskedRequest, AssignmentStatus, EventKind, Page, StreamEvent};
use ouen_shared::endpoints::ListMyDispatchRequests;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::Frame;

/// One line of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub request_id: i64,
    pub title: String,
    pub health_centre_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AssignmentStatus,
}

/// The formal requests of every request asked, in time order (those taken off left out).
pub fn shifts_of(requests: &[AskedRequest]) -> Vec<Shift> {
    let mut out: Vec<Shift> = requests
        .iter()
        .flat_map(|r| {
            r.assignments
                .iter()
                .filter(|a| a.status != AssignmentStatus::Removed)
                .map(|a| Shift {
                    request_id: r.id,
                    title: r.title.clone(),
                    health_centre_name: r.health_centre_name.clone(),
                    starts_at: a.starts_at,
                    ends_at: a.ends_at,
                    status: a.status,
                })
        })
        .collect();
    out.sort_by_key(|s| (s.starts_at, s.request_id));
    out
}

#[derive(Default)]
pub struct MyScheduleView {
    pub shifts: Vec<Shift>,
    list: ListState,
    page_rows: usize,
    error: Option<String>,
    req: Option<Pending<Page<AskedRequest>>>,
}

impl MyScheduleView {
    pub fn new() -> MyScheduleView {
        MyScheduleView {
            page_rows: 10,
            ..MyScheduleView::default()
        }
    }
}

impl View for MyScheduleView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        if self
            .list
            .follow(cmd, self.shifts.len(), (self.page_rows / 2).max(1))
        {
            return Some(Vec::new());
        }
        match cmd {
            Command::Open => Some(match self.shifts.get(self.list.selected) {
                Some(s) => vec![
                    Action::ShowTab("dispatch"),
                    Action::message(MyDispatchMsg::Open(s.request_id)),
                ],
                None => Vec::new(),
            }),
            Command::Refresh => {
                self.refresh(ctx);
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        match claim(&mut self.req, answer)? {
            Ok(page) => {
                self.shifts = shifts_of(&page.items);
                self.list.clamp(self.shifts.len());
                self.error = None;
            }
            Err(e) => self.error = e.for_view(ctx.lang),
        }
        Some(Vec::new())
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.req = Some(ctx.net.call(ListMyDispatchRequests {
            page: 1,
            per_page: PER_PAGE,
        }));
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        if event.kind == EventKind::InboxMessage {
            self.refresh(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.req.is_some()
    }

    fn section(&self) -> Option<Section> {
        Some(Section::MyDispatch)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(T::MyScheduleHints.get(ctx.lang).to_string())
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 4 {
            return;
        }
        let lang = ctx.lang;
        let head = format!(
            "{} {}{}  ",
            T::MyScheduleTitle.get(lang),
            self.shifts.len(),
            T::Rows.get(lang)
        );
        let body = title::draw(
            frame,
            area,
            vec![Span::styled(head, ctx.theme.title)],
            self.is_loading(),
            ctx.tick,
            lang,
        );
        let body = title::error_line(frame, body, self.error.as_deref(), ctx.theme.error);
        self.page_rows = body.height as usize;
        if self.shifts.is_empty() {
            if self.req.is_none() {
                title::note(frame, body, T::MyScheduleEmpty.get(lang), ctx.theme.dim);
            }
            return;
        }
        let rows: Vec<Vec<String>> = self
            .shifts
            .iter()
            .map(|s| {
                let when = slot_when(s.starts_at, s.ends_at, true, lang);
                vec![
                    when,
                    s.status.label(lang).to_string(),
                    clean(&s.title),
                    clean(&s.health_centre_name),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::DispatchColWhen.get(lang), 18, 30).ranked(3),
            Column::new(T::ColStatus.get(lang), 4, 10).ranked(2),
            Column::new(T::DispatchColTitle.get(lang), 10, 50).ranked(1),
            Column::new(T::ColCentre.get(lang), 6, 20),
        ];
        table::render(
            frame.buffer_mut(),
            body,
            &cols,
            &rows,
            &mut self.list,
            true,
            ctx.theme,
        );
    }
}
