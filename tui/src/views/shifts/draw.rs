//! Drawing the shift grid: the title with the seat totals, the day / start / seats headers,
//! the frozen name column, one mark per cell, and two lines about the cell under the cursor.
//! Only what is in view is drawn, so a month of 300 people costs what a screenful costs.

use super::layout::{self, HEADER_ROWS, NAME_W, SLOT_W};
use super::{OpenGrid, ShiftsView};
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::theme::Theme;
use crate::widgets::table::{self, Column};
use crate::widgets::text::{clean, fit, truncate};
use crate::widgets::title;
use ouen_shared::api::{cell_mark, AssignmentStatus, GridCell, SlotReply};
use ouen_shared::dispatch::format_slot;
use ouen_shared::time::jst;
use ouen_shared::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

impl ShiftsView {
    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 6 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        let head = match &self.open {
            Some(g) => {
                let (needed, assigned, gap) = g.totals();
                format!(
                    "{} {} [{}]  {} {needed} {} {assigned} {} {gap}  {}{}  ",
                    T::TabShifts.get(lang),
                    clean(&g.title),
                    g.grid.status.label(lang),
                    T::ShiftsNeeded.get(lang),
                    T::ShiftsAssigned.get(lang),
                    T::ShiftsGap.get(lang),
                    g.grid.people.len(),
                    T::ShiftsPeople.get(lang),
                )
            }
            None => format!("{}  ", T::TabShifts.get(lang)),
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
        if self.open.is_none() {
            self.draw_chooser(frame, body, ctx);
            return;
        }
        let details = if ctx.compact { 1 } else { 2 };
        let grid_area = Rect {
            height: body.height.saturating_sub(details),
            ..body
        };
        let rows = (grid_area.height as usize).saturating_sub(HEADER_ROWS);
        let cols = layout::visible_slots(grid_area.width as usize);
        self.visible = (rows.max(1), cols.max(1));
        self.cursor.scroll_into_view(rows, cols);
        let cursor = self.cursor;
        if let Some(g) = &self.open {
            if g.grid.people.is_empty() || g.grid.slots.is_empty() {
                title::note(frame, body, T::ShiftsNobodyAsked.get(lang), theme.dim);
                return;
            }
            draw_grid(frame.buffer_mut(), grid_area, g, &cursor, theme, lang);
            let info = Rect {
                y: grid_area.y + grid_area.height,
                height: details,
                ..body
            };
            let mut lines = cell_lines(g, &cursor, lang);
            if self.searching {
                lines.insert(0, format!("/{}", self.search.value()));
            }
            let text: Vec<Line> = lines
                .into_iter()
                .take(details as usize)
                .map(|l| Line::raw(truncate(&l, info.width as usize)))
                .collect();
            frame.render_widget(Paragraph::new(text), info);
        }
    }

    fn draw_chooser(&mut self, frame: &mut Frame, body: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        if self.requests.is_empty() {
            if self.list_req.is_none() {
                title::note(frame, body, T::ShiftsNoRequests.get(lang), ctx.theme.dim);
            }
            return;
        }
        self.visible.0 = body.height as usize;
        let rows: Vec<Vec<String>> = self
            .requests
            .iter()
            .map(|r| {
                vec![
                    r.status.label(lang).to_string(),
                    clean(&r.title),
                    clean(&r.health_centre_name),
                    match (r.first_starts_at, r.last_ends_at) {
                        (Some(s), Some(e)) => format!(
                            "{}–{}",
                            s.with_timezone(&jst()).format("%m/%d"),
                            e.with_timezone(&jst()).format("%m/%d")
                        ),
                        _ => String::new(),
                    },
                    format!("{}/{}", r.counts.answered, r.counts.asked),
                ]
            })
            .collect();
        let cols = [
            Column::new(T::ColStatus.get(lang), 6, 12),
            Column::new(T::DispatchColTitle.get(lang), 10, 60).ranked(2),
            Column::new(T::ColCentre.get(lang), 6, 20),
            Column::new(T::DispatchColPeriod.get(lang), 11, 11),
            Column::new(T::DispatchColAnswered.get(lang), 5, 9),
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

/// The style of a cell's mark (colour only repeats what the mark says).
fn mark_style(cell: &GridCell, theme: &Theme) -> Style {
    match cell.assignment {
        Some(AssignmentStatus::Accepted) => theme.ok,
        Some(AssignmentStatus::Requested) => theme.key,
        Some(AssignmentStatus::Planned) => theme.title,
        Some(AssignmentStatus::Declined) => theme.error,
        Some(AssignmentStatus::Removed) | None if cell.busy => theme.dim,
        _ => match cell.reply {
            SlotReply::Available => Style::new(),
            _ => theme.dim,
        },
    }
}

/// The headers, the names and the cells in view.
pub fn draw_grid(
    buf: &mut Buffer,
    area: Rect,
    g: &OpenGrid,
    cursor: &layout::Cursor,
    theme: &Theme,
    lang: Lang,
) {
    let cols = layout::visible_slots(area.width as usize);
    let rows = (area.height as usize).saturating_sub(HEADER_ROWS);
    let slots = g.grid.slots.len();
    let last = (cursor.left + cols).min(slots);
    let x0 = area.x + NAME_W as u16 + 1;
    let y_day = area.y;
    let y_time = area.y + 1;
    let y_seats = area.y + 2;
    buf.set_stringn(
        area.x,
        y_seats,
        fit(T::ShiftsSeatsRow.get(lang), NAME_W),
        NAME_W,
        theme.dim,
    );
    for (n, i) in (cursor.left..last).enumerate() {
        let x = x0 + (n * SLOT_W) as u16;
        let slot = &g.grid.slots[i];
        let day = &g.days[i];
        let first_of_day = i == 0 || g.days[i - 1].date != day.date;
        let first_shown = n == 0;
        if first_of_day || first_shown {
            // The day's label spans its slots in view.
            let span = (i..last)
                .take_while(|j| g.days[*j].date == day.date)
                .count();
            let with_month = first_shown || chrono::Datelike::day(&day.date) == 1;
            let label = fit(&day.label(with_month, lang), span * SLOT_W - 1);
            let style = if day.off { theme.error } else { theme.header };
            buf.set_stringn(x, y_day, label, span * SLOT_W - 1, style);
        }
        let start = slot.starts_at.with_timezone(&jst()).format("%H:%M");
        let overnight = layout::slot_date(slot.ends_at - chrono::Duration::seconds(1)) != day.date;
        let time = format!("{start}{}", if overnight { "~" } else { " " });
        let style = if i == cursor.col {
            theme.selected
        } else {
            theme.header
        };
        buf.set_stringn(x, y_time, fit(&time, SLOT_W), SLOT_W, style);
        let seats = format!("{}/{}", slot.assigned, slot.needed);
        let style = if slot.gap > 0 { theme.error } else { theme.ok };
        buf.set_stringn(x, y_seats, fit(&seats, SLOT_W), SLOT_W, style);
    }
    for (n, p) in g.grid.people.iter().enumerate().skip(cursor.top).take(rows) {
        let y = area.y + (HEADER_ROWS + n - cursor.top) as u16;
        let name_style = if n == cursor.row {
            theme.selected
        } else {
            Style::new()
        };
        buf.set_stringn(area.x, y, fit(&clean(&p.name), NAME_W), NAME_W, name_style);
        for (k, i) in (cursor.left..last).enumerate() {
            let Some(cell) = p.cells.get(i) else {
                continue;
            };
            let x = x0 + (k * SLOT_W) as u16;
            let here = n == cursor.row && i == cursor.col;
            let mark_style = if here {
                theme.selected
            } else {
                mark_style(cell, theme)
            };
            let flag = if cell.conflicts.is_empty() { " " } else { "!" };
            buf.set_stringn(x, y, "  ", 2, mark_style);
            buf.set_stringn(x + 2, y, fit(cell_mark(cell), 2), 2, mark_style);
            let flag_style = if here {
                theme.selected
            } else if cell.conflicts.is_empty() {
                Style::new()
            } else {
                theme.error
            };
            buf.set_stringn(x + 4, y, flag, 1, flag_style);
            buf.set_stringn(
                x + 5,
                y,
                " ",
                1,
                if here { theme.selected } else { Style::new() },
            );
        }
    }
}

/// What the cell under the cursor says: the person and the cell, then the slot.
pub fn cell_lines(g: &OpenGrid, cursor: &layout::Cursor, lang: Lang) -> Vec<String> {
    let (Some(p), Some(slot)) = (g.grid.people.get(cursor.row), g.grid.slots.get(cursor.col))
    else {
        return Vec::new();
    };
    let Some(cell) = p.cells.get(cursor.col) else {
        return Vec::new();
    };
    let sep = lang.pick("・", ", ");
    let professions: Vec<&str> = p.professions.iter().map(|x| x.label(lang)).collect();
    let mut state = vec![format!("{} {}", cell_mark(cell), cell.reply.label(lang))];
    if let Some(a) = cell.assignment {
        state.push(a.label(lang).to_string());
    }
    if cell.busy {
        state.push(T::ShiftsBusyElsewhere.get(lang).to_string());
    }
    for c in &cell.conflicts {
        state.push(format!("!{}", c.kind.label(lang)));
    }
    let person = format!(
        "{}（{}） {}  {}  {} {:.1}h",
        clean(&p.name),
        clean(&p.name_kana),
        professions.join(sep),
        state.join(" "),
        T::ShiftsLoad.get(lang),
        p.load_minutes as f64 / 60.0,
    );
    let day = &g.days[cursor.col];
    let mut about = format!(
        "{} {}",
        format_slot(slot.starts_at, slot.ends_at),
        layout::weekday_label(chrono::Datelike::weekday(&day.date), lang)
    );
    if let Some(h) = day.holiday {
        about.push_str(&format!(" {h}"));
    }
    about.push_str(&format!(
        "  {} {} {} {} {} {} {} {}",
        T::ShiftsNeeded.get(lang),
        slot.needed,
        T::ShiftsAssigned.get(lang),
        slot.assigned,
        T::ShiftsAccepted.get(lang),
        slot.accepted,
        T::ShiftsGap.get(lang),
        slot.gap,
    ));
    if let Some(r) = slot.unfilled {
        about.push_str(&format!(" ({})", r.label(lang)));
    }
    if !slot.professions.is_empty() {
        let need: Vec<&str> = slot.professions.iter().map(|x| x.label(lang)).collect();
        about.push_str(&format!("  {}", need.join(sep)));
    }
    vec![person, about]
}
