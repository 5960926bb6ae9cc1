//! Drawing the dispatch view: the list of requests, or one request with its counts, its
//! targets, its slots and the members asked with their answers.

use super::DispatchView;
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::views::roster::filter_text::filter_words;
use crate::views::roster::places::Places;
use crate::views::shifts::layout::slot_when;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, truncate};
use crate::widgets::title;
use ouen_shared::api::{DispatchRequest, MemberFilter};
use ouen_shared::dispatch::duties_described;
use ouen_shared::time::{format_jst, jst};
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// `12/03–12/05` for a request's first and last day.
pub fn period(
    first: Option<chrono::DateTime<chrono::Utc>>,
    last: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    match (first, last) {
        (Some(s), Some(e)) => format!(
            "{}–{}",
            s.with_timezone(&jst()).format("%m/%d"),
            e.with_timezone(&jst()).format("%m/%d")
        ),
        _ => "—".into(),
    }
}

/// The targets' filter in the roster's own words; every approved member when none is set.
fn filter_summary(f: &MemberFilter, lang: Lang) -> String {
    let words = filter_words(f, &Places::default(), false, lang);
    if words.is_empty() {
        T::DispatchAllApproved.get(lang).to_string()
    } else {
        words
    }
}

impl DispatchView {
    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 5 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        let head = match &self.open {
            Some(r) => format!(
                "{} {} [{}]  ",
                T::TabDispatch.get(lang),
                clean(&r.title),
                r.status.label(lang)
            ),
            None => {
                let mut h = format!("{} ", T::TabDispatch.get(lang));
                if let Some(s) = self.status {
                    h.push_str(&format!("[{}] ", s.label(lang)));
                }
                h.push_str(&format!("{}{}  ", self.total, T::Rows.get(lang)));
                h
            }
        };
        let body = title::draw(
            frame,
            area,
            vec![Span::styled(head, theme.title)],
            self.is_loading(),
            ctx.tick,
            lang,
        );
        let body = title::error_line(frame, body, self.error.as_deref(), theme.error);
        self.page_rows = body.height as usize;
        // Moved out while drawn (the asks' cursor is borrowed beside it), never copied.
        match self.open.take() {
            Some(r) => {
                self.draw_open(frame, body, &r, ctx);
                self.open = Some(r);
            }
            None => self.draw_list(frame, body, ctx),
        }
    }

    fn draw_list(&mut self, frame: &mut Frame, body: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        if self.items.is_empty() {
            if self.list_req.is_none() {
                title::note(frame, body, T::DispatchEmpty.get(lang), ctx.theme.dim);
            }
            return;
        }
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| {
                vec![
                    r.status.label(lang).to_string(),
                    clean(&r.title),
                    clean(&r.health_centre_name),
                    period(r.first_starts_at, r.last_ends_at),
                    format!("{}/{}", r.slots, r.needed),
                    format!("{}/{}", r.counts.answered, r.counts.asked),
                    format_jst(r.answer_deadline),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::ColStatus.get(lang), 4, 12),
            Column::new(T::DispatchColTitle.get(lang), 10, 50).ranked(3),
            Column::new(T::ColCentre.get(lang), 6, 20).ranked(1),
            Column::new(T::DispatchColPeriod.get(lang), 11, 11).ranked(2),
            Column::new(T::DispatchColSlots.get(lang), 5, 9),
            Column::new(T::DispatchColAnswered.get(lang), 5, 9).ranked(2),
            Column::new(T::DispatchColDeadline.get(lang), 10, 16),
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

    fn draw_open(&mut self, frame: &mut Frame, body: Rect, r: &DispatchRequest, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let width = body.width as usize;
        let live: Vec<_> = r
            .slots
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .collect();
        let first = live.iter().map(|s| s.starts_at).min();
        let last = live.iter().map(|s| s.ends_at).max();
        let duties = clean(&duties_described(&r.duties, &r.other_duty, lang));
        let silent = r.counts.asked - r.counts.answered;
        let targets = match &self.targets {
            Some(t) if t.request_id == r.id => {
                let mut s = format!(
                    "{}: {}",
                    T::DispatchTargets.get(lang),
                    filter_summary(&t.filter, lang)
                );
                if let Some(c) = t.count {
                    s.push_str(&match lang {
                        Lang::Ja => format!(
                            "  該当 {} 人（未依頼 {} 人・依頼済み {} 人）",
                            c.matched, c.new, c.already_asked
                        ),
                        Lang::En => format!(
                            "  {} match ({} new, {} already asked)",
                            c.matched, c.new, c.already_asked
                        ),
                    });
                }
                s
            }
            _ => T::DispatchTargetsHint.get(lang).to_string(),
        };
        let info = [
            format!(
                "{}  {}  {} {}",
                clean(&r.health_centre_name),
                period(first, last),
                T::DispatchColDeadline.get(lang),
                format_jst(r.answer_deadline)
            ),
            duties,
            match lang {
                Lang::Ja => format!(
                    "依頼 {} 人  回答 {} 人  未回答 {silent} 人  催促 {} 回",
                    r.counts.asked, r.counts.answered, r.counts.reminder_round
                ),
                Lang::En => format!(
                    "asked {}  answered {}  silent {silent}  reminders {}",
                    r.counts.asked, r.counts.answered, r.counts.reminder_round
                ),
            },
            targets,
        ];
        let info_rows = if ctx.compact { 3 } else { 4 };
        let lines: Vec<Line> = info
            .iter()
            .take(info_rows)
            .map(|l| Line::raw(truncate(l, width)))
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: info_rows as u16,
                ..body
            },
        );
        let rest = Rect {
            y: body.y + info_rows as u16,
            height: body.height.saturating_sub(info_rows as u16),
            ..body
        };
        let slot_rows = (live.len() as u16 + 1).min((rest.height / 3).max(2));
        let slots: Vec<Vec<String>> = live
            .iter()
            .map(|s| {
                let when = slot_when(s.starts_at, s.ends_at, false, lang);
                let need: Vec<&str> = s.professions.iter().map(|p| p.label(lang)).collect();
                vec![
                    when,
                    s.needed.to_string(),
                    s.available.to_string(),
                    need.join(lang.pick("・", ", ")),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::DispatchColWhen.get(lang), 18, 22).ranked(3),
            Column::new(T::ShiftsNeeded.get(lang), 4, 6),
            Column::new(T::DispatchColAvailable.get(lang), 4, 6),
            Column::new(T::DispatchFieldProfessions.get(lang), 4, 40),
        ];
        let mut slot_state = ListState::default();
        table::render(
            frame.buffer_mut(),
            Rect {
                height: slot_rows,
                ..rest
            },
            &cols,
            &slots,
            &mut slot_state,
            false,
            theme,
        );
        let asks_area = Rect {
            y: rest.y + slot_rows,
            height: rest.height.saturating_sub(slot_rows),
            ..rest
        };
        if self.asks.is_empty() {
            title::note(
                frame,
                asks_area,
                T::DispatchNobodyAsked.get(lang),
                theme.dim,
            );
            return;
        }
        let rows: Vec<Vec<String>> = self
            .asks
            .iter()
            .map(|a| {
                let available = a.answer.iter().filter(|s| s.available).count();
                let professions: Vec<&str> = a.professions.iter().map(|p| p.label(lang)).collect();
                vec![
                    clean(&a.name),
                    professions.join(lang.pick("・", ", ")),
                    match a.answered_at {
                        Some(t) => format_jst(t),
                        None => T::DispatchNotAnswered.get(lang).to_string(),
                    },
                    if a.answered_at.is_some() {
                        format!("{available}/{}", live.len())
                    } else {
                        String::new()
                    },
                    clean(&a.note),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::ColName.get(lang), 8, 16).ranked(3),
            Column::new(T::ColProfessions.get(lang), 6, 20),
            Column::new(T::DispatchColAnsweredAt.get(lang), 6, 16).ranked(2),
            Column::new(T::DispatchColAvailable.get(lang), 4, 7).ranked(2),
            Column::new(T::DispatchColNote.get(lang), 4, 60),
        ];
        table::render(
            frame.buffer_mut(),
            asks_area,
            &cols,
            &rows,
            &mut self.asks_state,
            true,
            theme,
        );
    }
}
