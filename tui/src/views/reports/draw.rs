//! Drawing the reports tab: the list (the member's seats to report and reports, or the
//! requester's queue), or one report with its versions, the request's totals and the member's
//! history.

use super::{ReportsView, Row, STATUS_STEPS};
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::views::shifts::layout::slot_when;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, clean_lines, truncate, wrap};
use crate::widgets::title;
use ouen_shared::api::{DailyReport, DispatchHistory, DutyCount, RequestTotals};
use ouen_shared::dispatch::duties_label;
use ouen_shared::time::format_jst;
use ouen_shared::Lang;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Minutes as hours and minutes: `7:30`.
pub fn hours(minutes: i64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

fn counts_text(counts: &[DutyCount], lang: Lang) -> String {
    let mut counts = counts.to_vec();
    counts.sort_by_key(|c| c.duty);
    counts
        .iter()
        .map(|c| format!("{} {}", c.duty.label(lang), c.count))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// `派遣実績（承認済み日報）: 3 件  5 日  38:30`
pub fn history_line(h: &DispatchHistory, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{}: {} 件  {} 日  {}",
            T::ReportsHistory.get(lang),
            h.dispatches,
            h.days,
            hours(h.minutes)
        ),
        Lang::En => format!(
            "{}: {} dispatches  {} days  {}",
            T::ReportsHistory.get(lang),
            h.dispatches,
            h.days,
            hours(h.minutes)
        ),
    }
}

/// How a request went, on two lines (seats, then asking and reports).
pub fn totals_lines(t: &RequestTotals, lang: Lang) -> [String; 2] {
    let rate = (t.fill_rate * 100.0).round();
    match lang {
        Lang::Ja => [
            format!(
                "{}: 充足率 {rate}%  必要 {} 割当 {} 承諾 {} 辞退 {}",
                T::ReportsRequestTotals.get(lang),
                t.needed,
                t.assigned,
                t.accepted,
                t.declined
            ),
            format!(
                "  依頼 {} 回答 {} 対応可 {}  日報 {}（承認 {}）",
                t.asked, t.answered, t.available, t.reports_filed, t.reports_approved
            ),
        ],
        Lang::En => [
            format!(
                "{}: filled {rate}%  needed {} assigned {} accepted {} declined {}",
                T::ReportsRequestTotals.get(lang),
                t.needed,
                t.assigned,
                t.accepted,
                t.declined
            ),
            format!(
                "  asked {} answered {} available {}  reports {} ({} approved)",
                t.asked, t.answered, t.available, t.reports_filed, t.reports_approved
            ),
        ],
    }
}

impl ReportsView {
    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 5 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        let mut head = format!("{}  ", T::TabReports.get(lang));
        if !self.member && self.open.is_none() {
            let status = STATUS_STEPS
                .get(self.status_step)
                .copied()
                .flatten()
                .map_or(T::ReportsAll.get(lang), |s| s.label(lang));
            head = format!("{} [{status}]  ", T::SectionReports.get(lang));
        }
        if let Some(r) = &self.open {
            head = format!(
                "{} {} [{}]  ",
                T::SectionReports.get(lang),
                clean(&r.member_name),
                r.status.label(lang)
            );
        }
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
        let mut body = body;
        if self.member {
            if let Some(h) = &self.history {
                frame.render_widget(
                    Paragraph::new(Line::raw(truncate(
                        &history_line(h, lang),
                        body.width as usize,
                    ))),
                    Rect { height: 1, ..body },
                );
                body.y += 1;
                body.height = body.height.saturating_sub(1);
            }
        }
        if self.row_count() == 0 {
            if self.list_req.is_none() && self.due_req.is_none() {
                let empty = if self.member {
                    T::ReportsEmptyMine
                } else {
                    T::ReportsEmptyQueue
                };
                title::note(frame, body, empty.get(lang), theme.dim);
            }
            return;
        }
        // The member's own name would be the same on every row: its column is the requester's.
        let with_name = !self.member;
        let cells: Vec<Vec<String>> = self
            .rows()
            .map(|row| {
                let (status, when, name, title, centre, worked, version) = match row {
                    Row::Due(d) => (
                        format!("！{}", T::ReportsDue.get(lang)),
                        slot_when(d.slot_starts_at, d.slot_ends_at, false, lang),
                        String::new(),
                        &d.request_title,
                        &d.health_centre_name,
                        String::new(),
                        String::new(),
                    ),
                    Row::Report(r) => (
                        r.status.label(lang).to_string(),
                        slot_when(r.starts_at, r.ends_at, false, lang),
                        clean(&r.member_name),
                        &r.request_title,
                        &r.health_centre_name,
                        hours(r.worked_minutes),
                        r.version.to_string(),
                    ),
                };
                let mut cells = vec![status, when];
                if with_name {
                    cells.push(name);
                }
                cells.extend([clean(title), clean(centre), worked, version]);
                cells
            })
            .collect();
        let mut cols = vec![
            Column::new(T::ColStatus.get(lang), 8, 10),
            Column::new(T::DispatchColWhen.get(lang), 22, 22),
        ];
        if with_name {
            cols.push(Column::new(T::ReportsColMember.get(lang), 6, 14).ranked(3));
        }
        cols.extend([
            Column::new(T::ReportsColRequest.get(lang), 8, 40).ranked(2),
            Column::new(T::ColCentre.get(lang), 6, 20).ranked(1),
            Column::new(T::ReportsColWorked.get(lang), 5, 6),
            Column::new(T::ReportsColVersion.get(lang), 2, 3).ranked(1),
        ]);
        table::render(
            frame.buffer_mut(),
            body,
            &cols,
            &cells,
            &mut self.list,
            true,
            theme,
        );
    }

    fn draw_open(&mut self, frame: &mut Frame, body: Rect, r: &DailyReport, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let width = body.width as usize;
        let mut info = vec![
            format!(
                "{}  {}",
                clean(&r.request_title),
                clean(&r.health_centre_name)
            ),
            match lang {
                Lang::Ja => format!(
                    "枠 {}  実績 {}  休憩 {} 分  実働 {}",
                    slot_when(r.slot_starts_at, r.slot_ends_at, false, lang),
                    slot_when(r.starts_at, r.ends_at, false, lang),
                    r.break_minutes,
                    hours(r.worked_minutes)
                ),
                Lang::En => format!(
                    "Slot {}  worked {}  break {} min  {} h",
                    slot_when(r.slot_starts_at, r.slot_ends_at, false, lang),
                    slot_when(r.starts_at, r.ends_at, false, lang),
                    r.break_minutes,
                    hours(r.worked_minutes)
                ),
            },
            format!(
                "{}: {}  {}",
                T::ReportsFieldDuties.get(lang),
                duties_label(&r.duties, lang),
                counts_text(&r.counts, lang)
            ),
        ];
        if let Some(c) = &r.comment {
            info.push(format!("{}: {}", T::ReportsColComment.get(lang), clean(c)));
        }
        if let Some(t) = &self.totals {
            info.extend(totals_lines(t, lang));
        }
        if let Some(h) = &self.history {
            info.push(history_line(h, lang));
        }
        let notes: Vec<String> = wrap(&clean_lines(&r.notes), width)
            .into_iter()
            .take(3)
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
        let versions: Vec<Vec<String>> = r
            .versions
            .iter()
            .rev()
            .map(|v| {
                vec![
                    v.version.to_string(),
                    v.status.label(lang).to_string(),
                    slot_when(v.starts_at, v.ends_at, false, lang),
                    hours(ouen_shared::api::worked_minutes(
                        v.starts_at,
                        v.ends_at,
                        v.break_minutes,
                    )),
                    clean(&v.changed_by),
                    format_jst(v.changed_at),
                    v.comment.as_deref().map(clean).unwrap_or_default(),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::ReportsColVersion.get(lang), 2, 3),
            Column::new(T::ColStatus.get(lang), 6, 8),
            Column::new(T::DispatchColWhen.get(lang), 18, 22).ranked(2),
            Column::new(T::ReportsColWorked.get(lang), 5, 6).ranked(1),
            Column::new(T::ReportsColChangedBy.get(lang), 6, 14).ranked(2),
            Column::new(T::ColUpdated.get(lang), 10, 16).ranked(1),
            Column::new(T::ReportsColComment.get(lang), 0, 40),
        ];
        let mut state = ListState::default();
        table::render(
            frame.buffer_mut(),
            Rect {
                y: body.y + info_rows,
                height: body.height.saturating_sub(info_rows),
                ..body
            },
            &cols,
            &versions,
            &mut state,
            false,
            theme,
        );
    }
}
