//! The opened record: read from the server on Enter, shown beside the list from [`WIDE`]
//! columns or filling the view below, scrolled with the list keys.

use super::record_text::{member_lines, summary_lines};
use super::RosterView;
use crate::app::net::{claim, Answer};
use crate::app::{Action, Ctx};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::spinner;
use crate::widgets::text::{clean, truncate};
use ouen_shared::api::{Member, MembershipBrief};
use ouen_shared::endpoints::GetMember;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// From this width the record is shown beside the list.
pub const WIDE: u16 = 110;

impl RosterView {
    /// The record on screen: the one opened full screen or focused beside the list, else the
    /// selected row's when it was opened.
    pub(super) fn shown_detail(&self) -> Option<&Member> {
        let d = self.detail.as_ref()?;
        if self.full || self.detail_focus {
            return Some(d);
        }
        (self.selected().map(|s| s.id) == Some(d.id)).then_some(d)
    }

    /// Whether the record takes the keys (full screen, or focused beside the list).
    pub(super) fn record_in_front(&self) -> bool {
        self.full || self.detail_focus
    }

    pub(super) fn open(&mut self, ctx: &Ctx) {
        let Some(id) = self.selected().map(|s| s.id) else {
            return;
        };
        if !self.wide {
            self.full = true;
        }
        self.detail_scroll = 0;
        if self.detail.as_ref().map(|d| d.id) != Some(id) {
            self.detail = None;
        }
        self.detail_req = Some(ctx.net.call(GetMember { id }));
    }

    /// Shows the record of member `id` in front, whether or not the list shows it.
    pub(super) fn open_id(&mut self, id: i64, ctx: &Ctx) {
        if self.wide {
            self.detail_focus = true;
        } else {
            self.full = true;
        }
        self.detail_scroll = 0;
        if self.detail.as_ref().map(|d| d.id) != Some(id) {
            self.detail = None;
        }
        self.detail_req = Some(ctx.net.call(GetMember { id }));
    }

    /// Asks for the record in front again.
    pub(super) fn reload_record(&mut self, ctx: &Ctx) {
        if let (true, Some(d)) = (self.record_in_front(), &self.detail) {
            self.detail_req = Some(ctx.net.call(GetMember { id: d.id }));
        }
    }

    /// Takes the answer for the record; `None` when the request is not the current one.
    pub(super) fn record_answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        Some(match claim(&mut self.detail_req, answer)? {
            Ok(m) => {
                self.detail = Some(m);
                Vec::new()
            }
            Err(e) => {
                self.full = false;
                vec![Action::Error(e.message(ctx.lang))]
            }
        })
    }

    /// A key while the record is in front: scrolling, and back to the list.
    pub(super) fn record_key(&mut self, cmd: Command) -> bool {
        let half = (self.page_rows / 2).max(1);
        match cmd {
            Command::Down => self.detail_scroll += 1,
            Command::Up => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Command::PageDown => self.detail_scroll += half,
            Command::PageUp => self.detail_scroll = self.detail_scroll.saturating_sub(half),
            Command::Top => self.detail_scroll = 0,
            Command::Bottom => self.detail_scroll = usize::MAX / 2,
            Command::Back | Command::PrevPane => {
                self.full = false;
                self.detail_focus = false;
            }
            _ => return false,
        }
        true
    }

    /// A member's record changed: the open record and the row follow.
    pub(super) fn member_changed(&mut self, m: &Member) {
        if self.detail.as_ref().is_some_and(|d| d.id == m.id) {
            self.detail = Some(m.clone());
        }
        if let Some(row) = self.items.iter_mut().find(|s| s.id == m.id) {
            row.registration_code = m.registration_code.clone();
            row.name = m.name.clone();
            row.name_kana = m.name_kana.clone();
            row.memberships = m
                .memberships
                .iter()
                .map(|ms| MembershipBrief {
                    prefecture_code: ms.prefecture_code.clone(),
                    status: ms.status,
                    managed: ms.managed,
                    recheck_needed: ms.recheck_needed,
                })
                .collect();
        }
    }

    /// The record beside the list: the opened record, or what the row tells.
    pub(super) fn draw_pane(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let theme = ctx.theme;
        let buf = frame.buffer_mut();
        let border = if self.detail_focus {
            theme.focus
        } else {
            theme.dim
        };
        for y in area.y..area.y + area.height {
            buf.set_string(area.x, y, "│", border);
        }
        let inner = Rect {
            x: area.x + 2,
            width: area.width.saturating_sub(3),
            ..area
        };
        let w = inner.width as usize;
        let lines = match (self.shown_detail(), self.selected()) {
            (Some(d), _) => member_lines(d, ctx.lang, theme, w),
            (None, Some(s)) => {
                let mut l = summary_lines(s, &self.places, ctx.lang, theme, w);
                if self.detail_req.is_some() {
                    l.push(Line::from(format!(
                        "{} {}",
                        spinner::frame(ctx.tick),
                        T::Loading.get(ctx.lang)
                    )));
                }
                l
            }
            (None, None) => Vec::new(),
        };
        self.detail_scroll = self
            .detail_scroll
            .min(lines.len().saturating_sub(inner.height as usize));
        frame.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .skip(self.detail_scroll)
                    .collect::<Vec<_>>(),
            ),
            inner,
        );
    }

    /// The record filling the view (80×24).
    pub(super) fn draw_full(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let title = match (&self.detail, self.selected()) {
            (Some(d), _) => format!("{} — {}", T::Details.get(lang), clean(&d.name)),
            (None, Some(s)) => format!("{} — {}", T::Details.get(lang), clean(&s.name)),
            (None, None) => T::Details.get(lang).to_string(),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(truncate(&title, area.width as usize / 2), theme.header),
                Span::styled(format!("  {}", T::BackToList.get(lang)), theme.dim),
            ])),
            Rect { height: 1, ..area },
        );
        let inner = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        let lines = match &self.detail {
            Some(d) => member_lines(d, lang, theme, inner.width as usize),
            None => vec![Line::from(format!(
                "{} {}",
                spinner::frame(ctx.tick),
                T::Loading.get(lang)
            ))],
        };
        self.detail_scroll = self
            .detail_scroll
            .min(lines.len().saturating_sub(inner.height as usize));
        frame.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .skip(self.detail_scroll)
                    .collect::<Vec<_>>(),
            ),
            inner,
        );
    }
}
