//! The bulk-mail form as drawn: to whom (the filter in words) and how many, the subject, the
//! body, problems under their fields, a notice line and the keys.

use super::form::{Focus, MailForm};
use crate::app::Ctx;
use crate::i18n::{self, T};
use crate::ui::centered;
use crate::widgets::spinner;
use crate::widgets::text::{truncate, width, wrap};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

impl MailForm {
    pub(super) fn draw_form(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let r = centered(area, 78, area.height.min(22));
        crate::ui::clear(frame, r);
        let mut title = format!(" {} ", T::MailTitle.get(lang));
        if self.sending() {
            title = format!(
                " {} {} {} ",
                T::MailTitle.get(lang),
                spinner::frame(ctx.tick),
                T::Saving.get(lang)
            );
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 8 || inner.width < 20 {
            return;
        }
        let w = inner.width as usize;
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        let line = |frame: &mut Frame, y: u16, l: Line| {
            frame.render_widget(
                Paragraph::new(l),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
        };
        // To whom: the filter in words, on at most two lines.
        let to = self.to_words(lang);
        let label = format!("{}: ", T::MailTo.get(lang));
        let lw = width(&label);
        for (i, part) in wrap(&to, w.saturating_sub(lw))
            .into_iter()
            .take(2)
            .enumerate()
        {
            let head = if i == 0 {
                label.clone()
            } else {
                " ".repeat(lw)
            };
            line(
                frame,
                y,
                Line::from(vec![Span::styled(head, theme.title), Span::raw(part)]),
            );
            y += 1;
        }
        // How many.
        let count = match (self.count(), self.counting()) {
            (Some((n, out)), busy) => {
                let mut s = i18n::mail_recipients(lang, n, out);
                if busy {
                    s = format!("{s} {}", spinner::frame(ctx.tick));
                }
                let style = if n == 0 { theme.error } else { theme.ok };
                Line::styled(s, style)
            }
            (None, true) => Line::styled(
                format!("{} {}", spinner::frame(ctx.tick), T::MailCounting.get(lang)),
                theme.dim,
            ),
            (None, false) => Line::styled("—", theme.dim),
        };
        line(frame, y, count);
        y += 2;
        // The subject, on one line.
        let marker = |f: Focus| if self.focus == f { "▶ " } else { "  " };
        let style = |f: Focus| {
            if self.focus == f {
                theme.focus
            } else {
                theme.title
            }
        };
        let subject_label = format!("{}{} ", marker(Focus::Subject), T::MailSubject.get(lang));
        let slw = width(&subject_label) as u16;
        line(frame, y, Line::styled(subject_label, style(Focus::Subject)));
        let subject_area = Rect {
            x: inner.x + slw,
            y,
            width: inner.width.saturating_sub(slw + 1),
            height: 1,
        };
        let error_line = |frame: &mut Frame, y: u16, key: &str| {
            if let Some(e) = self.errors.get(key) {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(&format!("    ✗ {e}"), w),
                        theme.error,
                    )),
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
            }
        };
        error_line(frame, y + 1, "subject");
        y += 2;
        // The body takes what the lines below leave.
        line(
            frame,
            y,
            Line::styled(
                format!("{}{}", marker(Focus::Body), T::MailBody.get(lang)),
                style(Focus::Body),
            ),
        );
        y += 1;
        let below = 4; // the body's problem, the notice (two lines), the keys
        let body_area = Rect {
            x: inner.x + 2,
            y,
            width: inner.width.saturating_sub(3),
            height: bottom.saturating_sub(y + below).max(1),
        };
        y = body_area.y + body_area.height;
        error_line(frame, y, "body");
        y += 1;
        // A problem, or a note; with none, why nothing can be sent to nobody.
        let others: Vec<&String> = self
            .errors
            .iter()
            .filter(|(k, _)| k.as_str() != "subject" && k.as_str() != "body")
            .map(|(_, v)| v)
            .collect();
        let notice = match (&self.notice, others.first()) {
            (Some(n), Some(o)) => Some((format!("{} {o}", n.text), n.error)),
            (Some(n), None) => Some((n.text.clone(), n.error)),
            (None, Some(o)) => Some(((*o).clone(), true)),
            (None, None) if self.count().is_some_and(|(n, _)| n == 0) => {
                Some((T::MailNoRecipients.get(lang).to_string(), true))
            }
            (None, None) => None,
        };
        if let Some((text, error)) = notice {
            let s: Style = if error { theme.error } else { theme.dim };
            for l in wrap(&text, w).into_iter().take(2) {
                if y + 1 >= bottom {
                    break;
                }
                line(frame, y, Line::styled(l, s));
                y += 1;
            }
        }
        line(
            frame,
            bottom - 1,
            Line::styled(
                truncate(
                    if self.count().is_some_and(|(n, _)| n == 0) {
                        T::MailHintNoSend.get(lang)
                    } else {
                        T::MailHint.get(lang)
                    },
                    w,
                ),
                theme.dim,
            ),
        );
        // The field in front last, so the terminal cursor is at its caret.
        match self.focus {
            Focus::Subject => {
                self.body.draw(frame, body_area, false, theme);
                self.subject.draw(frame, subject_area, true, theme);
            }
            Focus::Body => {
                self.subject.draw(frame, subject_area, false, theme);
                self.body.draw(frame, body_area, true, theme);
            }
        }
    }
}
