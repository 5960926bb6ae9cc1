//! The roster as drawn: the title line, the search line, the filters in force, then the list
//! (its columns and cells) with the record beside it, or the record alone.

use super::filter_text::filter_words;
use super::record::WIDE;
use super::record_text::{code_text, prefecture_short};
use super::RosterView;
use crate::app::Ctx;
use crate::i18n::T;
use crate::widgets::spinner;
use crate::widgets::table::{self, Column};
use crate::widgets::text::{clean, truncate, width};
use crate::widgets::title;
use ouen_shared::api::{MemberSummary, SortOrder};
use ouen_shared::roster::join_labels;
use ouen_shared::{Lang, Role};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

impl RosterView {
    /// Title, search line, filters in force, errors, the gauge, then the list with the record
    /// beside it or the record alone.
    pub(super) fn draw_view(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 4 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        self.wide = area.width >= WIDE;
        if self.wide {
            self.full = false;
        }
        // Title: count, page, order, queue, loading.
        let arrow = match self.order {
            SortOrder::Asc => "↑",
            SortOrder::Desc => "↓",
        };
        let mut spans = vec![
            Span::styled(format!("{} ", T::TabRoster.get(lang)), theme.title),
            Span::raw(format!(
                "{}{}{}  {}/{}{}  ",
                self.total,
                lang.pick("", " "),
                T::Rows.get(lang),
                self.page,
                self.pages(),
                T::PageWord.get(lang)
            )),
            Span::styled(
                format!(
                    "{}: {}{arrow}  ",
                    T::SortWord.get(lang),
                    self.sort.label().get(lang)
                ),
                theme.dim,
            ),
        ];
        if self.vetting() {
            spans.push(Span::styled(
                format!(" {} ", T::VettingQueue.get(lang)),
                theme.tab_active,
            ));
            spans.push(Span::raw(" "));
        }
        let mut body = title::draw(
            frame,
            area,
            spans,
            self.list_req.is_some()
                || self.search_due
                || self.detail_req.is_some()
                || self.decide_req.is_some()
                || self.invite_req.is_some(),
            ctx.tick,
            lang,
        );
        let take_line = |body: &mut Rect| -> Option<Rect> {
            if body.height < 3 {
                return None;
            }
            let r = Rect { height: 1, ..*body };
            body.y += 1;
            body.height -= 1;
            Some(r)
        };
        if self.searching || !self.search.is_empty() {
            if let Some(r) = take_line(&mut body) {
                let label = format!("/{}: ", T::SearchPrompt.get(lang));
                let lw = width(&label) as u16;
                frame.render_widget(Paragraph::new(Span::styled(label, theme.key)), r);
                let mut input_area = Rect {
                    x: r.x + lw,
                    width: r.width.saturating_sub(lw + 2),
                    ..r
                };
                if self.search_due {
                    frame.render_widget(
                        Paragraph::new(spinner::frame(ctx.tick)),
                        Rect {
                            x: r.x + r.width.saturating_sub(1),
                            width: 1,
                            ..r
                        },
                    );
                    input_area.width = input_area.width.saturating_sub(1);
                }
                self.search.draw(frame, input_area, self.searching, theme);
            }
        }
        let summary = filter_words(&self.filter, &self.places, false, lang);
        if !summary.is_empty() {
            if let Some(r) = take_line(&mut body) {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(
                            &format!("{}: {summary}", T::FilterPrompt.get(lang)),
                            r.width as usize,
                        ),
                        theme.dim,
                    )),
                    r,
                );
            }
        }
        if let Some(e) = &self.error {
            if let Some(r) = take_line(&mut body) {
                frame.render_widget(
                    Paragraph::new(Line::styled(truncate(e, r.width as usize), theme.error)),
                    r,
                );
            }
        }
        if self.transfer.is_some() && body.height >= 3 {
            let r = Rect {
                y: body.y + body.height - 1,
                height: 1,
                ..body
            };
            body.height -= 1;
            if let Some(t) = &self.transfer {
                t.draw(frame.buffer_mut(), r, lang, theme, ctx.tick);
            }
        }
        self.page_rows = body.height.saturating_sub(1) as usize;
        if self.full {
            self.draw_full(frame, body, ctx);
            return;
        }
        let (list_area, pane) = if self.wide {
            // The list keeps about the width it has at 80 columns; the record takes the rest.
            let pane_w = body.width.saturating_sub(78).clamp(40, 64);
            (
                Rect {
                    width: body.width - pane_w,
                    ..body
                },
                Some(Rect {
                    x: body.x + body.width - pane_w,
                    width: pane_w,
                    ..body
                }),
            )
        } else {
            (body, None)
        };
        let cols = self.columns(lang);
        let rows = self.rows(lang);
        table::render(
            frame.buffer_mut(),
            list_area,
            &cols,
            &rows,
            &mut self.state,
            !self.detail_focus,
            theme,
        );
        if rows.is_empty() && self.list_req.is_none() && list_area.height > 1 {
            frame.render_widget(
                Paragraph::new(Line::styled(T::Empty.get(lang), theme.dim)),
                Rect {
                    y: list_area.y + 1,
                    height: 1,
                    ..list_area
                },
            );
        }
        if let Some(pane) = pane {
            self.draw_pane(frame, pane, ctx);
        }
    }

    fn status_cell(&self, s: &MemberSummary, lang: Lang) -> String {
        let own_only = self.role == Role::Prefecture
            && s.memberships.len() == 1
            && s.memberships.first().map(|m| &m.prefecture_code) == self.prefecture.as_ref();
        if own_only || (s.memberships.len() == 1 && self.role == Role::City) {
            return s
                .memberships
                .first()
                .map(|m| m.status.label(lang).to_string())
                .unwrap_or_default();
        }
        s.memberships
            .iter()
            .map(|m| {
                format!(
                    "{}:{}",
                    prefecture_short(&m.prefecture_code, lang),
                    m.status.label(lang)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the list shows years of birth (roles that may see them).
    fn shows_birth_year(&self) -> bool {
        self.items.iter().any(|s| s.birth_year.is_some())
    }

    /// The list's columns: names keep their width longest, then the kana and the year of
    /// birth that tell same-name members apart; the status gets more room where several
    /// prefectures show.
    fn columns(&self, lang: Lang) -> Vec<Column> {
        let several = matches!(self.role, Role::National | Role::Admin);
        let mut cols = vec![
            Column::new(T::ColCode.get(lang), 12, 12),
            Column::new(T::ColName.get(lang), 6, 16).ranked(3),
            Column::new(T::ColKana.get(lang), 6, 16).ranked(2),
        ];
        if self.shows_birth_year() {
            cols.push(Column::new(T::ColBirthYear.get(lang), 4, 4).ranked(2));
        }
        cols.extend([
            Column::new(T::ColProfessions.get(lang), 4, 18),
            Column::new(T::ColHome.get(lang), 6, 20),
            Column::new(T::ColStatus.get(lang), if several { 12 } else { 4 }, 24).ranked(1),
            Column::new(T::ColRecheck.get(lang), 2, 6),
        ]);
        cols
    }

    fn rows(&self, lang: Lang) -> Vec<Vec<String>> {
        let birth = self.shows_birth_year();
        self.items
            .iter()
            .map(|s| {
                let recheck = s.memberships.iter().any(|m| m.recheck_needed);
                let mut row = vec![
                    code_text(s.registration_code.as_deref()),
                    clean(&s.name),
                    clean(&s.name_kana),
                ];
                if birth {
                    row.push(s.birth_year.map(|y| y.to_string()).unwrap_or_default());
                }
                row.extend([
                    join_labels(&s.professions, |p| p.label(lang), lang),
                    self.places.home_from(
                        self.prefecture.as_deref(),
                        &s.prefecture_code,
                        &s.municipality_code,
                        lang,
                    ),
                    self.status_cell(s, lang),
                    if recheck {
                        T::RecheckMark.get(lang).to_string()
                    } else {
                        String::new()
                    },
                ]);
                row
            })
            .collect()
    }
}
