//! Drawing the frame: header with tabs, offline banner, the active view, popups, the login
//! screen and the status or command line.

use super::App;
use crate::app::Ctx;
use crate::i18n::T;
use crate::widgets::text::{clean, truncate, width};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

impl App {
    /// Draws everything.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let lang = self.lang;
        self.too_small = area.width < 60 || area.height < 16;
        if self.too_small {
            let msg = crate::widgets::text::wrap(T::TooSmall.get(lang), area.width.max(1) as usize);
            let y = area.height.saturating_sub(msg.len() as u16) / 2;
            for (i, l) in msg.iter().enumerate() {
                let r = Rect {
                    y: area.y + y + i as u16,
                    height: 1,
                    ..area
                };
                if r.y < area.y + area.height {
                    frame.render_widget(Paragraph::new(l.as_str()).style(self.theme.error), r);
                }
            }
            return;
        }
        let compact = area.width < 80 || area.height < 24;
        self.draw_header(frame, Rect { height: 1, ..area });
        let mut body = Rect {
            y: area.y + 1,
            height: area.height - 2,
            ..area
        };
        if let Some(o) = &self.offline {
            // The time of the next attempt is true however long the screen stays as it is.
            let at = o.next_at.with_timezone(&ouen_shared::time::jst());
            let text = format!(
                " ⚠ {} ({} {})",
                T::Offline.get(lang),
                T::OfflineNextTry.get(lang),
                at.format("%H:%M:%S")
            );
            frame.render_widget(
                Paragraph::new(truncate(&text, area.width as usize)).style(self.theme.warn_banner),
                Rect { height: 1, ..body },
            );
            body.y += 1;
            body.height -= 1;
        }
        let ctx = Ctx {
            lang,
            theme: &self.theme,
            net: &self.net,
            keymap: &self.keymap,
            me: self.me.as_ref(),
            tick: self.tick,
            compact,
            today: (self.clock)()
                .with_timezone(&ouen_shared::time::jst())
                .date_naive(),
        };
        if let Some((_, c)) = self.tabs.get_mut(self.active) {
            c.draw(frame, body, &ctx);
        } else if self.me_req.is_some() {
            frame.render_widget(
                Paragraph::new(format!(
                    "{} {}",
                    crate::widgets::spinner::frame(self.tick),
                    T::Loading.get(lang)
                )),
                body,
            );
        }
        let over_login = self.login.is_some() && self.me.is_none();
        if !over_login {
            for p in &mut self.popups {
                p.draw(frame, body, &ctx);
            }
        }
        if let Some(l) = &mut self.login {
            l.covered = over_login && !self.popups.is_empty();
            l.draw(frame, body, &ctx);
        }
        if over_login {
            for p in &mut self.popups {
                p.draw(frame, body, &ctx);
            }
        }
        let status_area = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        self.draw_status(frame, status_area);
    }

    /// The header's left part: the name, the demo banner and the tabs, shorter at each
    /// `level` so that who is signed in stays in sight on a narrow terminal: from 1 the
    /// product is named in a word and the tabs closer together, from 2 the tabs behind are
    /// numbers (and badges) alone.
    fn header_spans(&self, level: u8) -> Vec<Span<'static>> {
        let lang = self.lang;
        let name = if level == 0 {
            T::AppName.get(lang)
        } else {
            "ouen"
        };
        let mut spans = vec![Span::styled(format!(" {name} "), self.theme.title)];
        if self.demo {
            spans.push(Span::styled(
                format!("[{}] ", T::DemoBanner.get(lang)),
                self.theme.key,
            ));
        }
        for (i, (spec, view)) in self.tabs.iter().enumerate() {
            let active = i == self.active;
            let style = if active {
                self.theme.tab_active
            } else {
                self.theme.tab
            };
            let title = if active || level < 2 {
                format!(" {}", spec.title.get(lang))
            } else {
                String::new()
            };
            // From level 1 the tabs are a space apart rather than two.
            let end = if level == 0 { " " } else { "" };
            spans.push(Span::styled(
                match view.badge() {
                    Some(b) => format!(" {}{title} ({b}){end}", i + 1),
                    None => format!(" {}{title}{end}", i + 1),
                },
                style,
            ));
        }
        spans
    }

    fn draw_header(&self, frame: &mut Frame, area: Rect) {
        let (full, login) = match &self.me {
            Some(me) => (
                format!("{} {} ", clean(&me.organisation_name), clean(&me.login)),
                format!("{} ", clean(&me.login)),
            ),
            None => (String::new(), String::new()),
        };
        let left_width = |spans: &[Span]| spans.iter().map(|s| width(&s.content)).sum::<usize>();
        let total = area.width as usize;
        // The fullest header that keeps who is signed in in sight (the organisation and the
        // login, then the login alone, before the tabs lose their names); else the tabs alone.
        let levels: Vec<Vec<Span>> = (0..3).map(|level| self.header_spans(level)).collect();
        let tries = [(0, &full), (1, &full), (1, &login), (2, &full), (2, &login)];
        let (mut spans, right) = tries
            .iter()
            .find(|(level, right)| left_width(&levels[*level]) + width(right) < total)
            .map(|(level, right)| (levels[*level].clone(), (*right).clone()))
            .unwrap_or_else(|| (levels[2].clone(), String::new()));
        let left: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let spare = total.saturating_sub(width(&left));
        if width(&right) < spare {
            spans.push(Span::raw(" ".repeat(spare - width(&right))));
            spans.push(Span::styled(right, self.theme.dim));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_status(&mut self, frame: &mut Frame, area: Rect) {
        let lang = self.lang;
        if let Some(cl) = &mut self.cmdline {
            frame.render_widget(Paragraph::new(Span::styled(":", self.theme.key)), area);
            let input_area = Rect {
                x: area.x + 1,
                width: area.width.saturating_sub(1),
                ..area
            };
            let typed = width(&cl.input.value()) as u16;
            if cl.completions.len() > 1 {
                let hint = format!("   [{}]", cl.completions.join(" "));
                let x = input_area.x + typed + 2;
                if x < area.x + area.width {
                    frame.render_widget(
                        Paragraph::new(Span::styled(hint, self.theme.dim)),
                        Rect {
                            x,
                            width: area.x + area.width - x,
                            ..area
                        },
                    );
                }
            }
            cl.input.draw(
                frame,
                Rect {
                    width: (typed + 2).min(input_area.width),
                    ..input_area
                },
                true,
                &self.theme,
            );
            return;
        }
        let mode = if self.insert_mode() {
            T::ModeInsert
        } else {
            T::ModeNormal
        };
        let mut spans = vec![Span::styled(
            format!("[{}] ", mode.get(lang)),
            self.theme.key,
        )];
        if self.live_down && self.me.is_some() {
            spans[0].content = format!("[{}] {} ", mode.get(lang), T::LiveDown.get(lang)).into();
        }
        let ctx = self.ctx();
        match &self.status {
            Some((s, true)) => spans.push(Span::styled(s.clone(), self.theme.error)),
            Some((s, false)) => spans.push(Span::styled(s.clone(), self.theme.ok)),
            None => {
                let hint = if self.login.is_some() && self.popups.is_empty() {
                    T::LoginHint.get(lang).to_string()
                } else if self.insert_mode() {
                    T::HintsInsert.get(lang).to_string()
                } else {
                    match self.popups.last() {
                        Some(_) => T::HintsNormal.get(lang).to_string(),
                        None => self
                            .tabs
                            .get(self.active)
                            .and_then(|(_, c)| c.hints(&ctx))
                            .map(|h| format!("{h}  ?:{}", T::Help.get(lang)))
                            .unwrap_or_else(|| T::HintsNormal.get(lang).to_string()),
                    }
                };
                spans.push(Span::styled(hint, self.theme.dim));
            }
        }
        let line: String = spans.iter().map(|s| s.content.as_ref()).collect();
        if width(&line) > area.width as usize {
            let first = spans.first().cloned();
            let rest: String = spans.iter().skip(1).map(|s| s.content.as_ref()).collect();
            let style = spans.get(1).map(|s| s.style).unwrap_or_default();
            let fw = first.as_ref().map_or(0, |f| width(&f.content));
            spans = first.into_iter().collect();
            spans.push(Span::styled(
                truncate(&rest, (area.width as usize).saturating_sub(fw)),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
