//! Choosing a value from a list filtered as one types: prefectures (local), municipalities
//! (searched on the server, width- and kana-insensitive) or a fixed list.

use super::{centered, Ctx};
use crate::action::{Action, RequestId};
use crate::api::{ApiError, Reply, Request};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::prefecture::PREFECTURES;
use ouen_shared::text::folded_contains;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Where the choices come from.
#[derive(Debug, Clone, PartialEq)]
pub enum PickSource {
    Prefectures,
    /// Cities and special wards, optionally inside one prefecture.
    Municipalities {
        prefecture: Option<String>,
    },
    /// A fixed list of (value, label).
    Fixed(Vec<(String, String)>),
}

/// One choice: the value sent, the label shown, and a reading or other detail.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub detail: String,
}

pub struct Picker {
    pub field: &'static str,
    source: PickSource,
    filter: Input,
    all: Vec<Choice>,
    state: ListState,
    pending: Option<RequestId>,
    error: Option<String>,
}

impl Picker {
    pub fn open(field: &'static str, source: PickSource, ctx: &Ctx) -> Picker {
        let all = match &source {
            PickSource::Prefectures => PREFECTURES
                .iter()
                .map(|p| Choice {
                    value: p.code.to_string(),
                    label: p.label(ctx.lang).to_string(),
                    detail: format!("{} {}", p.code, p.kana),
                })
                .collect(),
            PickSource::Fixed(items) => items
                .iter()
                .map(|(v, l)| Choice {
                    value: v.clone(),
                    label: l.clone(),
                    detail: String::new(),
                })
                .collect(),
            PickSource::Municipalities { .. } => Vec::new(),
        };
        let mut p = Picker {
            field,
            source,
            filter: Input::new(false),
            all,
            state: ListState::default(),
            pending: None,
            error: None,
        };
        p.search(ctx);
        p
    }

    fn search(&mut self, ctx: &Ctx) {
        if let PickSource::Municipalities { prefecture } = &self.source {
            // A newer search replaces the older: its answer will be dropped as stale.
            self.pending = Some(ctx.net.send(Request::Municipalities {
                prefecture: prefecture.clone(),
                q: self.filter.value(),
            }));
        }
        self.state = ListState::default();
    }

    /// The choices matching the filter.
    pub fn visible(&self) -> Vec<&Choice> {
        let q = self.filter.value();
        self.all
            .iter()
            .filter(|c| {
                matches!(self.source, PickSource::Municipalities { .. })
                    || q.is_empty()
                    || folded_contains(&c.label, &q)
                    || folded_contains(&c.detail, &q)
            })
            .collect()
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        self.filter.paste(text);
    }

    pub fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.visible().len();
        match key.code {
            KeyCode::Esc => return vec![Action::ClosePopup],
            KeyCode::Enter => {
                let visible = self.visible();
                return match visible.get(self.state.selected) {
                    Some(c) => vec![
                        Action::ClosePopup,
                        Action::Picked {
                            field: self.field,
                            value: c.value.clone(),
                            label: c.label.clone(),
                        },
                    ],
                    None => Vec::new(),
                };
            }
            KeyCode::Down | KeyCode::Tab => self.state.step(1, len),
            KeyCode::Up | KeyCode::BackTab => self.state.step(-1, len),
            KeyCode::Char('n') if ctrl => self.state.step(1, len),
            KeyCode::Char('p') if ctrl => self.state.step(-1, len),
            KeyCode::PageDown => self.state.step(10, len),
            KeyCode::PageUp => self.state.step(-10, len),
            _ => {
                if cmd == Some(Command::ForceQuit) {
                    return vec![Action::ForceQuit];
                }
                let before = self.filter.value();
                self.filter.key(key);
                if self.filter.value() != before {
                    self.search(ctx);
                }
            }
        }
        Vec::new()
    }

    pub fn handle_response(
        &mut self,
        id: RequestId,
        result: &Result<Reply, ApiError>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.pending != Some(id) {
            return None;
        }
        self.pending = None;
        match result {
            Ok(Reply::Municipalities(list)) => {
                self.error = None;
                self.all = list
                    .iter()
                    .map(|m| Choice {
                        value: m.code.clone(),
                        label: clean(&m.name),
                        detail: format!("{} {}", m.code, clean(&m.kana)),
                    })
                    .collect();
                self.state.clamp(self.all.len());
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.message(ctx.lang)),
        }
        Some(Vec::new())
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 50, area.height.saturating_sub(2).min(20));
        super::clear(frame, r);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(T::PickTitle.get(ctx.lang))
            .border_style(ctx.theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        if inner.height < 3 {
            return;
        }
        let prompt = if self.pending.is_some() {
            format!("{} ", spinner::frame(ctx.tick))
        } else {
            "> ".to_string()
        };
        frame.render_widget(
            Paragraph::new(prompt),
            Rect {
                width: 2,
                height: 1,
                ..inner
            },
        );
        let input_area = Rect {
            x: inner.x + 2,
            width: inner.width.saturating_sub(2),
            height: 1,
            ..inner
        };
        let list_area = Rect {
            y: inner.y + 2,
            height: inner.height - 2,
            ..inner
        };
        if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(e.as_str(), ctx.theme.error)),
                list_area,
            );
        } else {
            let rows: Vec<Vec<String>> = self
                .visible()
                .iter()
                .map(|c| vec![c.label.clone(), c.detail.clone()])
                .collect();
            let cols = [Column::new("", 8, 24), Column::new("", 6, 30)];
            let mut st = self.state;
            table::render(
                frame.buffer_mut(),
                list_area,
                &cols,
                &rows,
                &mut st,
                true,
                ctx.theme,
            );
            self.state = st;
            if rows.is_empty() && self.pending.is_none() {
                frame.render_widget(
                    Paragraph::new(T::Empty.get(ctx.lang)).style(ctx.theme.dim),
                    list_area,
                );
            }
        }
        self.filter.draw(frame, input_area, true, ctx.theme);
    }
}
