//! Drawing a form: its fields, the server's field errors under each, and its notes.

use super::{Field, Form};
use crate::app::Ctx;
use crate::i18n::T;
use crate::ui::centered;
use crate::ui::picker::PickSource;
use crate::widgets::spinner;
use crate::widgets::text::{truncate, wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

impl Form {
    /// How a list field's choice is shown.
    fn picked_text(f: &Field, lang: ouen_shared::Lang) -> String {
        match &f.picked {
            Some((v, l)) if f.key == "parent_id" => l.clone() + &format!(" (#{v})"),
            Some((v, l)) if f.show_code && !v.is_empty() => format!("{l} ({v})"),
            Some((_, l)) => l.clone(),
            None if matches!(f.pick, Some(PickSource::Cycle(_))) => T::Unset.get(lang).to_string(),
            None => T::PickHint.get(lang).to_string(),
        }
    }

    pub(super) fn draw_form(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let per_field: u16 = if self.inline { 2 } else { 3 };
        let h = 2 + per_field * self.fields.len() as u16 + 4;
        let r = centered(area, 74, h);
        crate::ui::clear(frame, r);
        let mut name = self.title.get(lang).to_string();
        if let Some(s) = &self.subject {
            name = format!("{name} — {s}");
        }
        let title = if self.pending.is_some() {
            format!(
                " {name} {} {} ",
                spinner::frame(ctx.tick),
                T::Saving.get(lang)
            )
        } else {
            format!(" {name} ")
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(ctx.theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let w = inner.width as usize;
        let bottom = inner.y + inner.height;
        // Fields take what the general message (two lines) and the hint leave.
        let visible = (inner.height.saturating_sub(4) / per_field).max(1) as usize;
        if self.focus < self.scroll {
            self.scroll = self.focus;
        } else if self.focus >= self.scroll + visible {
            self.scroll = self.focus + 1 - visible;
        }
        self.scroll = self.scroll.min(self.fields.len().saturating_sub(visible));
        let label_w = if self.inline {
            self.fields
                .iter()
                .map(|f| crate::widgets::text::width(&f.label_text(lang)))
                .max()
                .unwrap_or(0)
                .min(22) as u16
                + 1
        } else {
            0
        };
        let mut y = inner.y;
        let mut cursor_field = None;
        let scroll = self.scroll;
        let more_below = scroll + visible < self.fields.len();
        for (i, f) in self
            .fields
            .iter_mut()
            .enumerate()
            .skip(scroll)
            .take(visible)
        {
            if y + per_field - 1 > bottom {
                break;
            }
            let focused = i == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let label_style = if focused {
                ctx.theme.focus
            } else {
                ctx.theme.title
            };
            let label = f.label_text(lang);
            let label = if self.inline {
                crate::widgets::text::fit(&label, label_w as usize)
            } else {
                label
            };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(marker, label_style),
                    Span::styled(label, label_style),
                ])),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            let input_area = if self.inline {
                Rect {
                    x: inner.x + 2 + label_w,
                    y,
                    width: inner.width.saturating_sub(3 + label_w),
                    height: 1,
                }
            } else {
                Rect {
                    x: inner.x + 4,
                    y: y + 1,
                    width: inner.width.saturating_sub(5),
                    height: 1,
                }
            };
            if f.pick.is_some() {
                let text = Self::picked_text(f, lang);
                let style = if f.picked.is_some() {
                    ratatui::style::Style::new()
                } else {
                    ctx.theme.dim
                };
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(&format!("▸ {text}"), input_area.width as usize),
                        style,
                    )),
                    input_area,
                );
            } else if focused && self.insert {
                cursor_field = Some((i, input_area));
            } else {
                f.input.draw(frame, input_area, false, ctx.theme);
            }
            if let Some(e) = self.errors.get(f.key) {
                let indent = if self.inline { 2 + label_w as usize } else { 4 };
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(&format!("{}✗ {e}", " ".repeat(indent)), w),
                        ctx.theme.error,
                    )),
                    Rect {
                        y: y + per_field - 1,
                        height: 1,
                        ..inner
                    },
                );
            }
            y += per_field;
        }
        // More fields above or below: a mark at the right edge.
        if scroll > 0 {
            frame.render_widget(
                Paragraph::new(Line::styled("▲", ctx.theme.key)),
                Rect {
                    x: inner.x + inner.width.saturating_sub(1),
                    y: inner.y,
                    width: 1,
                    height: 1,
                },
            );
        }
        if more_below && y > inner.y {
            frame.render_widget(
                Paragraph::new(Line::styled("▼", ctx.theme.key)),
                Rect {
                    x: inner.x + inner.width.saturating_sub(1),
                    y: y - 1,
                    width: 1,
                    height: 1,
                },
            );
        }
        // Errors for fields the form does not show (e.g. from the server).
        let unknown: Vec<&String> = self
            .errors
            .iter()
            .filter(|(k, _)| !self.fields.iter().any(|f| f.key == k.as_str()))
            .map(|(_, v)| v)
            .collect();
        let general = match (&self.general, unknown.first()) {
            (Some(g), Some(u)) => Some(format!("{g} {u}")),
            (Some(g), None) => Some(g.clone()),
            (None, Some(u)) => Some((*u).clone()),
            (None, None) => None,
        };
        let general = general
            .map(|g| (g, ctx.theme.error))
            .or_else(|| self.note.clone().map(|n| (n, ctx.theme.dim)));
        if let Some((g, style)) = general {
            for line in wrap(&g, w).into_iter().take(2) {
                if y + 1 >= bottom {
                    break;
                }
                frame.render_widget(
                    Paragraph::new(Line::styled(line, style)),
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
                y += 1;
            }
        }
        if bottom > inner.y {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    truncate(T::FormHint.get(lang), w),
                    ctx.theme.dim,
                )),
                Rect {
                    y: bottom - 1,
                    height: 1,
                    ..inner
                },
            );
        }
        if let Some((i, a)) = cursor_field {
            if let Some(f) = self.fields.get_mut(i) {
                f.input.draw(frame, a, true, ctx.theme);
            }
        }
    }
}
