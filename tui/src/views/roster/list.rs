//! The list: the search typed (sent once typing rests), filters, order and paging, and the
//! requests for one page at a time.

use super::{forms, RosterMsg, RosterView};
use crate::api::ApiError;
use crate::app::net::{claim, Answer};
use crate::app::{Action, Ctx};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::table::ListState;
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::api::{MemberFilter, MemberSummary, SortOrder};
use ouen_shared::endpoints::ListMembers;
use ouen_shared::Role;
use std::time::Duration;

/// Rows asked for per page.
pub const PER_PAGE: u32 = 50;
/// How long typing must rest before the search is sent.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The orders the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Kana,
    Name,
    Code,
    Experience,
    Updated,
    LastDispatch,
}

impl Sort {
    pub const ALL: &'static [Sort] = &[
        Sort::Kana,
        Sort::Name,
        Sort::Code,
        Sort::Experience,
        Sort::Updated,
        Sort::LastDispatch,
    ];

    /// The API's name of the order.
    pub fn code(self) -> &'static str {
        match self {
            Sort::Kana => "kana",
            Sort::Name => "name",
            Sort::Code => "code",
            Sort::Experience => "experience",
            Sort::Updated => "updated_at",
            Sort::LastDispatch => "last_dispatch",
        }
    }

    pub(super) fn label(self) -> T {
        match self {
            Sort::Kana => T::ColKana,
            Sort::Name => T::ColName,
            Sort::Code => T::ColCode,
            Sort::Experience => T::FieldExperienceYears,
            Sort::Updated => T::ColUpdated,
            Sort::LastDispatch => T::ColLastDispatch,
        }
    }

    /// Names and codes read best ascending; numbers and dates newest or largest first.
    fn natural(self) -> SortOrder {
        match self {
            Sort::Kana | Sort::Name | Sort::Code => SortOrder::Asc,
            _ => SortOrder::Desc,
        }
    }

    fn next(self) -> Sort {
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Sort::ALL[(i + 1) % Sort::ALL.len()]
    }
}

impl RosterView {
    pub(super) fn pages(&self) -> u32 {
        let n = u32::try_from(self.total.max(0)).unwrap_or(u32::MAX);
        n.div_ceil(PER_PAGE).max(1)
    }

    /// Asks for the current page.
    pub(super) fn load(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListMembers {
            filter: self.filter.clone(),
            page: self.page,
            per_page: PER_PAGE,
            sort: self.sort.code(),
            order: self.order,
        }));
    }

    /// Back to the first page of a changed filter or order.
    pub(super) fn reload(&mut self, ctx: &Ctx) {
        self.page = 1;
        self.state = ListState::default();
        self.load(ctx);
    }

    /// The search text changed: (re)start the timer.
    pub(super) fn search_changed(&mut self) -> Vec<Action> {
        self.search_gen += 1;
        self.search_due = true;
        vec![Action::Later {
            after: SEARCH_DEBOUNCE,
            msg: Box::new(RosterMsg::SearchRested(self.search_gen)),
        }]
    }

    /// Searches for the text typed now.
    fn search_now(&mut self, ctx: &Ctx) {
        self.search_due = false;
        let q = self.search.value();
        let q = q.trim();
        self.filter.q = (!q.is_empty()).then(|| q.to_string());
        self.reload(ctx);
    }

    /// A search timer fired; only the newest one searches.
    pub(super) fn search_timer(&mut self, generation: u64, ctx: &Ctx) {
        if generation == self.search_gen && self.search_due {
            self.search_now(ctx);
        }
    }

    pub fn selected(&self) -> Option<&MemberSummary> {
        self.items.get(self.state.selected)
    }

    /// Takes the answer for a page; `false` when the request is not the current one.
    pub(super) fn list_answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> bool {
        let Some(result) = claim(&mut self.list_req, answer) else {
            return false;
        };
        match result {
            Ok(page) => {
                self.items = page.items;
                self.total = page.total;
                self.page = page.page.max(1);
                self.state.clamp(self.items.len());
                if let Some(id) = self.select_when_listed.take() {
                    if let Some(i) = self.items.iter().position(|s| s.id == id) {
                        self.state.selected = i;
                    }
                }
                self.error = None;
                self.ask_places(ctx);
            }
            Err(ApiError::Offline(_)) => {}
            Err(e) if e.is_unauthenticated() => {}
            Err(e) => self.error = Some(e.message(ctx.lang)),
        }
        true
    }

    /// Moves the selection.
    pub(super) fn list_key(&mut self, cmd: Command) -> bool {
        self.state.follow(cmd, self.items.len(), self.page_rows / 2)
    }

    /// A key while the search line takes the keys.
    pub(super) fn search_key(
        &mut self,
        key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Vec<Action> {
        match key.code {
            KeyCode::Enter => {
                self.searching = false;
                if self.search_due {
                    self.search_now(ctx);
                }
                Vec::new()
            }
            KeyCode::Esc => {
                self.searching = false;
                let had = self.filter.q.is_some() || self.search_due;
                self.search.set_value("");
                if had {
                    self.search_now(ctx);
                }
                Vec::new()
            }
            KeyCode::Down | KeyCode::Up => {
                if let Some(c) = cmd {
                    self.list_key(c);
                }
                Vec::new()
            }
            _ => {
                let before = self.search.value();
                self.search.key(key);
                if self.search.value() != before {
                    self.search_changed()
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// Search, filters, order and paging; `None` for other commands.
    pub(super) fn list_command(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        Some(match cmd {
            Command::Filter => {
                self.searching = true;
                Vec::new()
            }
            Command::Back if !self.search.is_empty() => {
                self.search.set_value("");
                self.search_now(ctx);
                Vec::new()
            }
            Command::FilterPanel => {
                let own = match self.role {
                    Role::Prefecture | Role::City => self.prefecture.clone(),
                    _ => None,
                };
                let form = forms::filter_form(&self.filter, own, lang);
                vec![Action::PushPopup(Box::new(form))]
            }
            Command::ClearFilter => {
                self.filter = MemberFilter::default();
                self.before_vetting = None;
                self.search.set_value("");
                self.reload(ctx);
                Vec::new()
            }
            Command::NextPage => {
                if self.page < self.pages() {
                    self.page += 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::PrevPage => {
                if self.page > 1 {
                    self.page -= 1;
                    self.state = ListState::default();
                    self.load(ctx);
                }
                Vec::new()
            }
            Command::SortNext => {
                self.sort = self.sort.next();
                self.order = self.sort.natural();
                self.reload(ctx);
                Vec::new()
            }
            Command::SortReverse => {
                self.order = match self.order {
                    SortOrder::Asc => SortOrder::Desc,
                    SortOrder::Desc => SortOrder::Asc,
                };
                self.reload(ctx);
                Vec::new()
            }
            _ => return None,
        })
    }

    /// The filter panel was applied (the search text stays).
    pub(super) fn filter_applied(&mut self, f: &MemberFilter, ctx: &Ctx) {
        let q = self.filter.q.take();
        self.filter = f.clone();
        self.filter.q = q;
        self.before_vetting = None;
        self.reload(ctx);
    }
}
