//! Drawing the inbox: the title with the filter and page, the list, or one message opened.

use super::InboxView;
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::widgets::table::{self, Column};
use crate::widgets::text::{clean, clean_lines, truncate, wrap};
use crate::widgets::title;
use ouen_shared::time::format_jst;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

impl InboxView {
    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 4 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        let mut head = format!("{} ", T::TabInbox.get(lang));
        if let Some(n) = self.unread {
            head.push_str(&format!("{} {n}  ", T::InboxUnread.get(lang)));
        }
        let mut filters = Vec::new();
        match self.filter.unread {
            Some(true) => filters.push(T::InboxOnlyUnread.get(lang).to_string()),
            Some(false) => filters.push(T::InboxOnlyRead.get(lang).to_string()),
            None => {}
        }
        if let Some(k) = self.filter.kind {
            filters.push(k.label(lang).to_string());
        }
        if !filters.is_empty() {
            head.push_str(&format!("[{}]  ", filters.join(" / ")));
        }
        head.push_str(&format!(
            "{} {}/{} ({})  ",
            T::InboxPage.get(lang),
            self.page,
            self.pages(),
            self.total
        ));
        let spans = vec![Span::styled(head, theme.title)];
        let body = title::draw(frame, area, spans, self.is_loading(), ctx.tick, lang);
        let body = title::error_line(frame, body, self.error.as_deref(), theme.error);
        self.page_rows = body.height as usize;
        if let Some(m) = &self.open {
            let width = body.width as usize;
            let mut lines = vec![
                Line::styled(truncate(&clean(&m.subject), width), theme.title),
                Line::styled(
                    truncate(
                        &format!("{}  {}", m.kind.label(lang), format_jst(m.created_at)),
                        width,
                    ),
                    theme.dim,
                ),
                Line::raw(""),
            ];
            lines.extend(
                wrap(&clean_lines(&m.body), width)
                    .into_iter()
                    .map(Line::raw),
            );
            self.scroll = self
                .scroll
                .min(lines.len().saturating_sub(body.height as usize));
            frame.render_widget(
                Paragraph::new(lines.into_iter().skip(self.scroll).collect::<Vec<_>>()),
                body,
            );
            return;
        }
        if self.items.is_empty() {
            if self.list_req.is_none() {
                title::note(frame, body, T::InboxEmpty.get(lang), theme.dim);
            }
            return;
        }
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|m| {
                vec![
                    if m.read_at.is_none() { "●" } else { " " }.to_string(),
                    m.kind.label(lang).to_string(),
                    clean(&m.subject),
                    format_jst(m.created_at),
                ]
            })
            .collect();
        let cols = [
            Column::new("", 1, 1),
            Column::new(T::InboxColKind.get(lang), 6, 14),
            Column::new(T::InboxColSubject.get(lang), 10, 200),
            Column::new(T::ColCreated.get(lang), 16, 16),
        ];
        table::render(
            frame.buffer_mut(),
            body,
            &cols,
            &rows,
            &mut self.state,
            true,
            theme,
        );
    }
}
