//! Drawing the member's requests: the list, or one request with a line per slot saying the
//! answer being written and the formal request, if any.

use super::MyDispatchView;
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::views::dispatch::draw::period;
use crate::views::shifts::layout::slot_when;
use crate::widgets::table::{self, Column};
use crate::widgets::text::{clean, clean_lines, truncate, wrap};
use crate::widgets::title;
use ouen_shared::api::{AskedRequest, AssignmentStatus};
use ouen_shared::dispatch::{duties_described, duties_label};
use ouen_shared::time::format_jst;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

impl MyDispatchView {
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
            None => format!("{}  ", T::TabDispatch.get(lang)),
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
        // Moved out while drawn (its slots' cursor is borrowed beside it), never copied.
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
        let theme = ctx.theme;
        if self.items.is_empty() {
            if self.list_req.is_none() {
                title::note(frame, body, T::MyDispatchEmpty.get(lang), theme.dim);
            }
            return;
        }
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| {
                // The period of the slots still held (a cancelled one is listed, not counted).
                let live = || r.slots.iter().filter(|s| s.cancelled_at.is_none());
                let first = live().map(|s| s.starts_at).min();
                let last = live().map(|s| s.ends_at).max();
                let waiting = r
                    .assignments
                    .iter()
                    .filter(|a| a.status == AssignmentStatus::Requested)
                    .count();
                vec![
                    if waiting > 0 {
                        format!("{} {waiting}", T::MyDispatchFormalWaiting.get(lang))
                    } else if r.answered_at.is_some() {
                        T::MyDispatchAnsweredShort.get(lang).to_string()
                    } else if r.open {
                        T::DispatchNotAnswered.get(lang).to_string()
                    } else {
                        r.status.label(lang).to_string()
                    },
                    clean(&r.title),
                    clean(&r.health_centre_name),
                    period(first, last),
                    format_jst(r.answer_deadline),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::ColStatus.get(lang), 6, 14),
            Column::new(T::DispatchColTitle.get(lang), 10, 50).ranked(3),
            Column::new(T::ColCentre.get(lang), 6, 20).ranked(1),
            Column::new(T::DispatchColPeriod.get(lang), 11, 11).ranked(2),
            Column::new(T::DispatchColDeadline.get(lang), 10, 16),
        ];
        table::render(
            frame.buffer_mut(),
            body,
            &cols,
            &rows,
            &mut self.list,
            true,
            theme,
        );
    }

    fn draw_open(&mut self, frame: &mut Frame, body: Rect, r: &AskedRequest, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let width = body.width as usize;
        let mut info = vec![
            format!(
                "{}（{}）  {} {}",
                clean(&r.health_centre_name),
                clean(&r.organisation_name),
                T::DispatchColDeadline.get(lang),
                format_jst(r.answer_deadline)
            ),
            duties_described(&r.duties, &r.other_duty, lang),
        ];
        let note = self
            .answer
            .as_ref()
            .map(|a| a.note.clone())
            .unwrap_or_default();
        if !note.is_empty() {
            info.push(format!(
                "{}: {}",
                T::DispatchColNote.get(lang),
                clean(&note)
            ));
        }
        if self.answer.as_ref().is_some_and(|a| a.dirty) {
            info.push(T::MyDispatchUnsent.get(lang).to_string());
        }
        let notes: Vec<String> = wrap(&clean_lines(&r.notes), width)
            .into_iter()
            .take(2)
            .collect();
        info.extend(notes);
        let info_rows = info.len().min((body.height as usize).saturating_sub(3)) as u16;
        frame.render_widget(
            Paragraph::new(
                info.iter()
                    .take(info_rows as usize)
                    .map(|l| Line::raw(truncate(l, width)))
                    .collect::<Vec<_>>(),
            ),
            Rect {
                height: info_rows,
                ..body
            },
        );
        let rows: Vec<Vec<String>> = r
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let when = slot_when(s.starts_at, s.ends_at, false, lang);
                let choice = self
                    .answer
                    .as_ref()
                    .and_then(|a| a.available.get(i).copied().flatten());
                let duties = match (&self.answer, choice) {
                    (Some(a), Some(true)) if s.cancelled_at.is_none() => {
                        duties_label(a.duties_at(i), lang)
                    }
                    _ => String::new(),
                };
                let formal = r
                    .assignments
                    .iter()
                    .find(|a| a.slot_id == s.id)
                    .map(|a| a.status.label(lang).to_string())
                    .unwrap_or_default();
                let cancelled = s.cancelled_at.is_some();
                vec![
                    when,
                    match choice {
                        _ if cancelled => String::new(),
                        Some(true) => format!("△ {}", T::MyDispatchAvailable.get(lang)),
                        Some(false) => format!("－ {}", T::MyDispatchUnavailable.get(lang)),
                        None => format!("？ {}", T::DispatchNotAnswered.get(lang)),
                    },
                    duties,
                    formal,
                    if s.cancelled_at.is_some() {
                        T::MyDispatchSlotCancelled.get(lang).to_string()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let cols = [
            Column::new(T::DispatchColWhen.get(lang), 18, 22).ranked(3),
            Column::new(T::MyDispatchColAnswer.get(lang), 8, 12).ranked(2),
            Column::new(T::DispatchFieldDuties.get(lang), 6, 40).ranked(1),
            Column::new(T::MyDispatchColFormal.get(lang), 6, 12).ranked(2),
            Column::new("", 0, 10),
        ];
        table::render(
            frame.buffer_mut(),
            Rect {
                y: body.y + info_rows,
                height: body.height.saturating_sub(info_rows),
                ..body
            },
            &cols,
            &rows,
            &mut self.slots,
            true,
            theme,
        );
    }
}
