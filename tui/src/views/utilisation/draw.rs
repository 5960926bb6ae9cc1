//! Drawing the utilisation tab: the parts named on the title line (the one in front in
//! brackets) with the period, then the chart and table of the part in front. The series
//! shows its sparklines above the table when the terminal is tall enough.

use super::period::CAPACITY_DAYS;
use super::tables::{self, Table};
use super::{Part, UtilisationView};
use crate::app::{Ctx, View};
use crate::i18n::T;
use crate::widgets::table;
use crate::widgets::text::fit;
use crate::widgets::title;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The height below which the series is a table alone.
const SPARKLINES_FROM_HEIGHT: u16 = 14;

impl UtilisationView {
    /// The title line's text: every part, the one in front in brackets, then its period.
    pub fn heading(&self, lang: ouen_shared::Lang) -> String {
        let parts: Vec<String> = Part::ALL
            .iter()
            .map(|p| {
                let name = p.title().get(lang);
                if *p == self.part {
                    format!("[{name}]")
                } else {
                    name.to_string()
                }
            })
            .collect();
        let when = match self.part {
            Part::Members => lang.pick("現在", "now").to_string(),
            Part::Capacity => {
                let days = CAPACITY_DAYS.get(self.capacity_days).copied().unwrap_or(14);
                format!(
                    "{} {}{}",
                    self.today.format("%m/%d~"),
                    days,
                    lang.pick("日", " days")
                )
            }
            Part::Dispatch | Part::Series => {
                let (from, to) = self.period.days(self.today);
                format!(
                    "{} {}–{}",
                    self.period.label(lang),
                    from.format("%m/%d"),
                    to.format("%m/%d")
                )
            }
        };
        format!(
            "{} {}  ({when})  ",
            T::TabUtilisation.get(lang),
            parts.join(" ")
        )
    }

    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = ctx.theme;
        let body = title::draw(
            frame,
            area,
            vec![Span::styled(self.heading(lang), theme.title)],
            self.is_loading(),
            ctx.tick,
            lang,
        );
        let mut body = title::error_line(frame, body, self.error.as_deref(), theme.error);
        let table: Option<Table> = match self.part {
            Part::Members => self.members.as_ref().map(|m| tables::members(m, lang)),
            Part::Dispatch => self.dispatch.as_ref().map(|d| tables::dispatch(d, lang)),
            Part::Series => self.series.as_ref().map(|steps| {
                if body.height >= SPARKLINES_FROM_HEIGHT {
                    let lines = tables::series_lines(steps, lang);
                    let label_width = 10;
                    for (i, (label, spark, total)) in lines.iter().enumerate() {
                        let text = format!("{} {} {}", fit(label, label_width), spark, total);
                        frame.render_widget(
                            Paragraph::new(Line::raw(fit(&text, body.width as usize))),
                            Rect {
                                y: body.y + i as u16,
                                height: 1,
                                ..body
                            },
                        );
                    }
                    let used = lines.len() as u16 + 1;
                    body.y += used;
                    body.height = body.height.saturating_sub(used);
                }
                tables::series(steps, lang)
            }),
            Part::Capacity => self
                .capacity
                .as_ref()
                .map(|c| tables::capacity(c, self.national, lang)),
        };
        let Some(table) = table else {
            return;
        };
        if table.rows.is_empty() {
            title::note(frame, body, T::UtilEmpty.get(lang), theme.dim);
            return;
        }
        self.page_rows = body.height.saturating_sub(1) as usize;
        let (columns, rows) = table.laid_out(body.width as usize);
        table::render(
            frame.buffer_mut(),
            body,
            &columns,
            &rows,
            &mut self.list,
            true,
            theme,
        );
    }
}
