//! The send history: the bulk mails sent in the caller's scope, newest first, a page at a
//! time (date in JST, subject, count, author); Enter reads one from the server and shows it
//! with its filter in words.

use super::error_line;
use super::text::MailText;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, Popup};
use crate::i18n::{self, T};
use crate::keymap::Command;
use crate::ui::centered;
use crate::views::roster::filter_text::filter_words;
use crate::views::roster::places::Places;
use crate::widgets::spinner;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, truncate};
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::api::{BulkMail, Page};
use ouen_shared::endpoints::{GetBulkMail, ListBulkMails};
use ouen_shared::time::format_jst;
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Mails asked for per page.
pub const PER_PAGE: u32 = 50;

pub struct MailHistory {
    pub items: Vec<BulkMail>,
    pub total: i64,
    page: u32,
    state: ListState,
    list_req: Option<Pending<Page<BulkMail>>>,
    open_req: Option<Pending<BulkMail>>,
    pub error: Option<String>,
    /// Municipality names the roster knows, for the filters in words.
    places: Places,
    page_rows: usize,
}

impl MailHistory {
    /// The history, its first page asked for at once.
    pub(in crate::views::roster) fn open(places: Places, ctx: &Ctx) -> MailHistory {
        let mut h = MailHistory {
            items: Vec::new(),
            total: 0,
            page: 1,
            state: ListState::default(),
            list_req: None,
            open_req: None,
            error: None,
            places,
            page_rows: 10,
        };
        h.load(ctx);
        h
    }

    fn load(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListBulkMails {
            page: self.page,
            per_page: PER_PAGE,
        }));
    }

    fn pages(&self) -> u32 {
        let n = u32::try_from(self.total.max(0)).unwrap_or(u32::MAX);
        n.div_ceil(PER_PAGE).max(1)
    }

    /// The filter of a mail in words (everyone when it has none).
    fn to_words(&self, m: &BulkMail, lang: Lang) -> String {
        let words = filter_words(&m.filter, &self.places, true, lang);
        format!(
            "{}: {}",
            T::MailFilterWord.get(lang),
            if words.is_empty() {
                T::MailEveryone.get(lang).to_string()
            } else {
                words
            }
        )
    }
}

impl Popup for MailHistory {
    crate::popup_any!();

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        if key.code == KeyCode::Esc || key.code == KeyCode::Char('q') {
            return vec![Action::ClosePopup];
        }
        let Some(cmd) = cmd else {
            return Vec::new();
        };
        if self
            .state
            .follow(cmd, self.items.len(), (self.page_rows / 2).max(1))
        {
            return Vec::new();
        }
        match cmd {
            Command::Open => {
                if let Some(m) = self.items.get(self.state.selected) {
                    self.open_req = Some(ctx.net.call(GetBulkMail { id: m.id }));
                }
            }
            Command::Refresh => self.load(ctx),
            Command::NextPage | Command::InboxNextPage if self.page < self.pages() => {
                self.page += 1;
                self.state = ListState::default();
                self.load(ctx);
            }
            Command::PrevPage | Command::InboxPrevPage if self.page > 1 => {
                self.page -= 1;
                self.state = ListState::default();
                self.load(ctx);
            }
            Command::Help => return vec![Action::OpenHelp],
            Command::CommandLine => return vec![Action::OpenCommandLine],
            _ => {}
        }
        Vec::new()
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.list_req, answer) {
            match result {
                Ok(page) => {
                    self.items = page.items;
                    self.total = page.total;
                    self.page = page.page.max(1);
                    self.state.clamp(self.items.len());
                    self.error = None;
                }
                Err(e) if e.is_unauthenticated() => {}
                Err(e) => self.error = Some(error_line(&e, lang)),
            }
            return Some(Vec::new());
        }
        Some(match claim(&mut self.open_req, answer)? {
            Ok(m) => {
                let to = self.to_words(&m, lang);
                vec![Action::PushPopup(Box::new(MailText::sent(&m, &to, lang)))]
            }
            Err(e) => {
                self.error = Some(e.message(lang));
                Vec::new()
            }
        })
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some() || self.open_req.is_some()
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let r = centered(area, 78, area.height);
        crate::ui::clear(frame, r);
        let mut title = format!(
            " {}  {}{}{}  {}/{}{} ",
            T::MailHistoryTitle.get(lang),
            self.total,
            lang.pick("", " "),
            T::Rows.get(lang),
            self.page,
            self.pages(),
            T::PageWord.get(lang)
        );
        if self.is_loading() {
            title.push_str(spinner::frame(ctx.tick));
            title.push(' ');
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 3 {
            return;
        }
        let w = inner.width as usize;
        let mut list = Rect {
            height: inner.height - 1,
            ..inner
        };
        if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(e, w), theme.error)),
                Rect { height: 1, ..list },
            );
            list.y += 1;
            list.height = list.height.saturating_sub(1);
        }
        self.page_rows = list.height.saturating_sub(1) as usize;
        let cols = vec![
            Column::new(T::ColSentAt.get(lang), 16, 16),
            Column::new(T::MailSubject.get(lang), 10, 60).ranked(1),
            Column::new(T::ColRecipients.get(lang), 7, 9).ranked(3),
            Column::new(T::ColAuthor.get(lang), 8, 16).ranked(2),
        ];
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|m| {
                vec![
                    format_jst(m.sent_at),
                    clean(&m.subject),
                    i18n::members(lang, m.recipients),
                    m.author.as_deref().map(clean).unwrap_or_default(),
                ]
            })
            .collect();
        table::render(
            frame.buffer_mut(),
            list,
            &cols,
            &rows,
            &mut self.state,
            true,
            theme,
        );
        if rows.is_empty() && self.list_req.is_none() && self.error.is_none() && list.height > 1 {
            frame.render_widget(
                Paragraph::new(Line::styled(T::MailHistoryEmpty.get(lang), theme.dim)),
                Rect {
                    y: list.y + 1,
                    height: 1,
                    ..list
                },
            );
        }
        frame.render_widget(
            Paragraph::new(Line::styled(
                truncate(T::MailHistoryHint.get(lang), w),
                theme.dim,
            )),
            Rect {
                y: inner.y + inner.height - 1,
                height: 1,
                ..inner
            },
        );
    }
}
