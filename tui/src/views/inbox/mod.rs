//! The inbox (通知): the caller's messages, newest first, a page at a time; filters by unread
//! and by kind; a message opened full screen (which marks it read); everything marked read
//! after a confirmation; and a jump to the record a message concerns. The view also holds the
//! unread count the tab bar shows as a badge.

mod draw;

use crate::api::ApiError;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::confirm::Confirm;
use crate::views::roster::RosterMsg;
use crate::widgets::table::ListState;
use crossterm::event::KeyEvent;
use ouen_shared::api::{EventKind, StreamEvent};
use ouen_shared::api::{InboxFilter, InboxMessage, Page, ReadAllResult, UnreadCount};
use ouen_shared::endpoints::{CountUnread, ListInbox, MarkAllRead, MarkRead};
use ouen_shared::NoticeKind;

/// Messages asked for per page.
pub const PER_PAGE: u32 = 50;

/// The operator said yes to marking every message read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadAllConfirmed;

#[derive(Default)]
pub struct InboxView {
    /// The filter in force.
    pub filter: InboxFilter,
    page: u32,
    pub items: Vec<InboxMessage>,
    pub total: i64,
    state: ListState,
    /// The unread messages of every kind, for the badge (unknown until the server said).
    pub unread: Option<i64>,
    /// The message opened full screen.
    pub open: Option<InboxMessage>,
    scroll: usize,
    page_rows: usize,
    error: Option<String>,
    list_req: Option<Pending<Page<InboxMessage>>>,
    unread_req: Option<Pending<UnreadCount>>,
    read_req: Option<Pending<InboxMessage>>,
    all_req: Option<Pending<ReadAllResult>>,
}

impl InboxView {
    pub fn new() -> InboxView {
        InboxView {
            page: 1,
            page_rows: 10,
            ..InboxView::default()
        }
    }

    fn selected(&self) -> Option<&InboxMessage> {
        self.items.get(self.state.selected)
    }

    fn pages(&self) -> u32 {
        let n = u32::try_from(self.total.max(0)).unwrap_or(u32::MAX);
        n.div_ceil(PER_PAGE).max(1)
    }

    fn load(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListInbox {
            filter: self.filter.clone(),
            page: self.page,
            per_page: PER_PAGE,
        }));
    }

    fn count(&mut self, ctx: &Ctx) {
        self.unread_req = Some(ctx.net.call(CountUnread));
    }

    /// Back to the first page of a changed filter.
    fn reload(&mut self, ctx: &Ctx) {
        self.page = 1;
        self.state = ListState::default();
        self.load(ctx);
    }

    /// Opens the selected message; an unread one is marked read on the server.
    fn open_selected(&mut self, ctx: &Ctx) {
        let Some(m) = self.selected().cloned() else {
            return;
        };
        if m.read_at.is_none() {
            self.read_req = Some(ctx.net.call(MarkRead { id: m.id }));
        }
        self.scroll = 0;
        self.open = Some(m);
    }

    /// The message in front: the opened one, else the selected row.
    fn current(&self) -> Option<&InboxMessage> {
        self.open.as_ref().or_else(|| self.selected())
    }

    /// Where the message's record is shown, or a quiet word when this client has no view of it.
    fn go_to_record(&self, lang: ouen_shared::Lang) -> Vec<Action> {
        let Some(m) = self.current() else {
            return vec![Action::Error(T::NoSelection.get(lang).to_string())];
        };
        match (m.subject_kind.as_deref(), m.subject_id) {
            (Some("member"), Some(id)) => vec![
                Action::ShowTab("roster"),
                Action::message(RosterMsg::OpenMember(id)),
            ],
            (None, _) | (_, None) => vec![Action::Status(T::InboxNoRecord.get(lang).to_string())],
            _ => vec![Action::Status(T::InboxRecordNotShown.get(lang).to_string())],
        }
    }

    fn next_kind(&self) -> Option<NoticeKind> {
        let all = NoticeKind::ALL;
        match self.filter.kind {
            None => all.first().copied(),
            Some(k) => {
                let i = all.iter().position(|x| *x == k).unwrap_or(0);
                all.get(i + 1).copied()
            }
        }
    }

    fn took(&mut self, m: InboxMessage) {
        if let Some(x) = self.items.iter_mut().find(|x| x.id == m.id) {
            *x = m.clone();
        }
        if self.open.as_ref().is_some_and(|o| o.id == m.id) {
            self.open = Some(m);
        }
    }
}

impl View for InboxView {
    fn handle_key(
        &mut self,
        _key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        let cmd = cmd?;
        let lang = ctx.lang;
        let len = self.items.len();
        let half = (self.page_rows / 2).max(1);
        if self.open.is_some() {
            match cmd {
                Command::Down => self.scroll += 1,
                Command::Up => self.scroll = self.scroll.saturating_sub(1),
                Command::PageDown => self.scroll += half,
                Command::PageUp => self.scroll = self.scroll.saturating_sub(half),
                Command::Top => self.scroll = 0,
                Command::Back | Command::Open => self.open = None,
                _ => {}
            }
            if matches!(
                cmd,
                Command::Down
                    | Command::Up
                    | Command::PageDown
                    | Command::PageUp
                    | Command::Top
                    | Command::Back
                    | Command::Open
            ) {
                return Some(Vec::new());
            }
        }
        if self.state.follow(cmd, len, half) {
            return Some(Vec::new());
        }
        Some(match cmd {
            Command::Open => {
                self.open_selected(ctx);
                Vec::new()
            }
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            // `/`: all messages → only unread → only read → all.
            Command::Filter => {
                self.filter.unread = match self.filter.unread {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                self.reload(ctx);
                Vec::new()
            }
            Command::InboxKind => {
                self.filter.kind = self.next_kind();
                self.reload(ctx);
                Vec::new()
            }
            Command::Back if self.filter.kind.is_some() || self.filter.unread.is_some() => {
                self.filter = InboxFilter::default();
                self.reload(ctx);
                Vec::new()
            }
            Command::InboxNextPage => {
                if self.page < self.pages() {
                    self.page += 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::InboxPrevPage => {
                if self.page > 1 {
                    self.page -= 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::MarkAllRead => {
                if self.unread == Some(0) {
                    vec![Action::Status(T::InboxNothingUnread.get(lang).to_string())]
                } else {
                    vec![Confirm::popup(
                        T::ConfirmReadAll.get(lang),
                        ReadAllConfirmed,
                    )]
                }
            }
            Command::GoToRecord => self.go_to_record(lang),
            _ => return None,
        })
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        msg.downcast_ref::<ReadAllConfirmed>()?;
        self.all_req = Some(ctx.net.call(MarkAllRead::default()));
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.list_req, answer) {
            match result {
                Ok(page) => {
                    self.items = page.items;
                    self.total = page.total;
                    self.state.clamp(self.items.len());
                    self.error = None;
                }
                Err(ApiError::Offline(_)) => {}
                Err(e) if e.is_unauthenticated() => {}
                Err(e) => self.error = Some(e.message(lang)),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.unread_req, answer) {
            if let Ok(c) = result {
                self.unread = Some(c.unread);
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.read_req, answer) {
            return Some(match result {
                Ok(m) => {
                    self.took(m);
                    self.count(ctx);
                    Vec::new()
                }
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.all_req, answer)? {
            Ok(r) => {
                self.unread = Some(r.unread);
                self.load(ctx);
                vec![Action::Status(format!(
                    "{} ({})",
                    T::InboxMarkedRead.get(lang),
                    r.marked
                ))]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.load(ctx);
        self.count(ctx);
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        if event.kind == EventKind::InboxMessage {
            self.refresh(ctx);
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some() || self.read_req.is_some() || self.all_req.is_some()
    }

    fn badge(&self) -> Option<String> {
        self.unread.filter(|n| *n > 0).map(|n| n.to_string())
    }

    fn selected_value(&self) -> Option<String> {
        self.current().map(|m| m.subject.clone())
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Inbox)
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        let t = if self.open.is_some() {
            T::InboxHintsOpen
        } else {
            T::InboxHints
        };
        Some(t.get(ctx.lang).to_string())
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
