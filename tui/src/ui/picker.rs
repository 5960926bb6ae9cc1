//! Choosing a value from a list filtered as one types: prefectures (local), municipalities
//! (searched on the server, width- and kana-insensitive) or a fixed list; or several values
//! from a fixed list (Space marks, Enter takes the marked ones).

use super::centered;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, Popup};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::api::Municipality;
use ouen_shared::endpoints::ListMunicipalities;
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
    /// Municipalities, optionally inside one prefecture; only cities and special wards when
    /// `cities_only`.
    Municipalities {
        prefecture: Option<String>,
        cities_only: bool,
    },
    /// A fixed list of (value, label).
    Fixed(Vec<(String, String)>),
    /// Any number of values from a fixed list of (value, label); the field gets them
    /// comma-separated.
    Multi(Vec<(String, String)>),
    /// One code of a vocabulary (or several when `multi`), labelled in the current language.
    Codes {
        list: CodeList,
        multi: bool,
    },
    /// A few values that Enter or Space steps through in the form itself (no list opens).
    Cycle(CodeList),
}

/// The vocabularies a field can choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeList {
    Professions,
    Statuses,
    ExperienceFields,
    Languages,
    HelpWays,
    Prefectures,
    /// Not set, or yes.
    YesOnly,
    /// Not set, the prefecture's own professionals only, or applicants only.
    Managed,
    /// The duties of a dispatch request.
    Duties,
}

impl CodeList {
    /// The (code, label) pairs in display order.
    pub fn items(self, lang: ouen_shared::Lang) -> Vec<(String, String)> {
        use ouen_shared::roster::{ExperienceField, HelpWay, Language};
        use ouen_shared::{MembershipStatus, Profession};
        fn all<E: Copy>(
            items: &[E],
            code: impl Fn(E) -> &'static str,
            label: impl Fn(E) -> &'static str,
        ) -> Vec<(String, String)> {
            items
                .iter()
                .map(|e| (code(*e).to_string(), label(*e).to_string()))
                .collect()
        }
        let any = (String::new(), T::Unset.get(lang).to_string());
        match self {
            CodeList::Professions => all(Profession::ALL, |e| e.code(), |e| e.label(lang)),
            CodeList::Statuses => all(MembershipStatus::ALL, |e| e.code(), |e| e.label(lang)),
            CodeList::ExperienceFields => {
                all(ExperienceField::ALL, |e| e.code(), |e| e.label(lang))
            }
            CodeList::Languages => all(Language::ALL, |e| e.code(), |e| e.label(lang)),
            CodeList::HelpWays => all(HelpWay::ALL, |e| e.code(), |e| e.label(lang)),
            CodeList::Duties => all(
                ouen_shared::dispatch::Duty::ALL,
                |e| e.code(),
                |e| e.label(lang),
            ),
            CodeList::Prefectures => PREFECTURES
                .iter()
                .map(|p| (p.code.to_string(), p.label(lang).to_string()))
                .collect(),
            CodeList::YesOnly => vec![any, ("true".into(), T::Yes.get(lang).to_string())],
            CodeList::Managed => vec![
                any,
                ("true".into(), T::ManagedOnly.get(lang).to_string()),
                ("false".into(), T::ApplicantsOnly.get(lang).to_string()),
            ],
        }
    }

    /// The labels of comma-separated codes, joined for display.
    pub fn labels(self, codes: &str, lang: ouen_shared::Lang) -> String {
        let items = self.items(lang);
        codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                items
                    .iter()
                    .find(|(v, _)| v == c)
                    .map_or(c.to_string(), |(_, l)| l.clone())
            })
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    }
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
    pending: Option<Pending<Vec<Municipality>>>,
    error: Option<String>,
    /// The values marked in a multiple choice.
    pub marked: Vec<String>,
}

impl Picker {
    pub fn open(field: &'static str, source: PickSource, ctx: &Ctx) -> Picker {
        Picker::open_with(field, source, None, ctx)
    }

    /// Opens with the field's current value chosen (or marked, for a multiple choice).
    pub fn open_with(
        field: &'static str,
        source: PickSource,
        current: Option<&str>,
        ctx: &Ctx,
    ) -> Picker {
        let all = match &source {
            PickSource::Prefectures => PREFECTURES
                .iter()
                .map(|p| Choice {
                    value: p.code.to_string(),
                    label: p.label(ctx.lang).to_string(),
                    detail: format!("{} {}", p.code, p.kana),
                })
                .collect(),
            PickSource::Fixed(items) | PickSource::Multi(items) => items
                .iter()
                .map(|(v, l)| Choice {
                    value: v.clone(),
                    label: l.clone(),
                    detail: String::new(),
                })
                .collect(),
            PickSource::Codes { list, .. } | PickSource::Cycle(list) => list
                .items(ctx.lang)
                .into_iter()
                .map(|(value, label)| Choice {
                    detail: if *list == CodeList::Prefectures {
                        value.clone()
                    } else {
                        String::new()
                    },
                    value,
                    label,
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
            marked: Vec::new(),
        };
        p.search(ctx);
        if let Some(current) = current.filter(|c| !c.is_empty()) {
            if p.is_multi() {
                p.marked = current.split(',').map(str::to_string).collect();
            } else if let Some(i) = p.all.iter().position(|c| c.value == current) {
                p.state.selected = i;
            }
        }
        p
    }

    fn is_multi(&self) -> bool {
        matches!(
            self.source,
            PickSource::Multi(_) | PickSource::Codes { multi: true, .. }
        )
    }

    fn search(&mut self, ctx: &Ctx) {
        if let PickSource::Municipalities {
            prefecture,
            cities_only,
        } = &self.source
        {
            // A newer search replaces the older: its answer will be dropped as stale.
            self.pending = Some(ctx.net.call(ListMunicipalities {
                prefecture: prefecture.clone(),
                q: self.filter.value(),
                cities_only: *cities_only,
            }));
        }
        self.state = ListState::default();
    }

    /// The marked values in list order, with their labels joined for display.
    fn marked_choice(&self, lang: ouen_shared::Lang) -> (String, String) {
        let chosen: Vec<&Choice> = self
            .all
            .iter()
            .filter(|c| self.marked.contains(&c.value))
            .collect();
        (
            chosen
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join(","),
            chosen
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", ")),
        )
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
}

impl Popup for Picker {
    crate::popup_any!();

    fn insert_mode(&self) -> bool {
        true
    }

    fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        self.filter.paste(text);
        Vec::new()
    }

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.visible().len();
        match key.code {
            KeyCode::Esc => return vec![Action::ClosePopup],
            KeyCode::Char(' ') if self.is_multi() => {
                if let Some(c) = self.visible().get(self.state.selected) {
                    let v = c.value.clone();
                    match self.marked.iter().position(|m| *m == v) {
                        Some(i) => {
                            self.marked.remove(i);
                        }
                        None => self.marked.push(v),
                    }
                }
                self.state.step(1, len);
            }
            KeyCode::Enter if self.is_multi() => {
                if self.marked.is_empty() {
                    if let Some(c) = self.visible().get(self.state.selected) {
                        self.marked.push(c.value.clone());
                    }
                }
                let (value, label) = self.marked_choice(ctx.lang);
                return vec![
                    Action::ClosePopup,
                    Action::Picked {
                        field: self.field,
                        value,
                        label,
                    },
                ];
            }
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

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        match claim(&mut self.pending, answer)? {
            Ok(list) => {
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
            Err(e) => self.error = Some(e.message(ctx.lang)),
        }
        Some(Vec::new())
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let r = centered(area, 50, area.height.saturating_sub(2).min(20));
        super::clear(frame, r);
        let title = if self.is_multi() {
            T::PickMultiTitle
        } else {
            T::PickTitle
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title.get(ctx.lang))
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
            let multi = self.is_multi();
            let rows: Vec<Vec<String>> = self
                .visible()
                .iter()
                .map(|c| {
                    if multi {
                        let mark = if self.marked.contains(&c.value) {
                            "[x] "
                        } else {
                            "[ ] "
                        };
                        vec![format!("{mark}{}", c.label), c.detail.clone()]
                    } else {
                        vec![c.label.clone(), c.detail.clone()]
                    }
                })
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
