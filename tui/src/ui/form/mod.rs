//! Forms: text fields on `ratatui-textarea`, fields chosen from lists, early checks from the
//! schema crate, the server's field errors shown under each field, and input that survives a
//! failed request or a lost connection. What a form is for comes from its [`FormSpec`].

mod draw;
mod field;
mod spec;

pub use field::Field;
pub use spec::{FormSpec, Submit};

use super::confirm::Confirm;
use super::picker::{PickSource, Picker};
use crate::api::ApiError;
use crate::app::net::{Answer, RequestId};
use crate::app::{Action, Ctx, Popup};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::FieldIssue;
use std::collections::BTreeMap;

/// Said yes to closing a form with unsaved input: the application closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscardForm;

pub struct Form {
    pub title: T,
    pub spec: Box<dyn FormSpec>,
    pub fields: Vec<Field>,
    pub focus: usize,
    insert: bool,
    pub errors: BTreeMap<String, String>,
    pub general: Option<String>,
    pending: Option<RequestId>,
    dirty: bool,
    /// Label and value on one line, two lines a field (long forms).
    inline: bool,
    /// Whom or what the form is about, shown in its title.
    subject: Option<String>,
    /// A line shown above the key hint while there is no error to show.
    note: Option<String>,
    /// The first field shown when the form is taller than the screen.
    scroll: usize,
    /// `general` says the server could not be reached.
    offline: bool,
}

impl Form {
    pub fn new(spec: impl FormSpec) -> Form {
        let title = spec.title();
        let fields = spec.fields();
        let inline = spec.inline();
        Form {
            title,
            spec: Box::new(spec),
            fields,
            focus: 0,
            insert: true,
            errors: BTreeMap::new(),
            general: None,
            pending: None,
            dirty: false,
            inline,
            subject: None,
            note: None,
            scroll: 0,
            offline: false,
        }
    }

    /// A line of information shown above the key hint (e.g. where the terms are published).
    pub fn with_note(mut self, note: &str) -> Form {
        self.note = Some(clean(note));
        self
    }

    /// Names whom or what the form is about in its title.
    pub fn with_subject(mut self, subject: &str) -> Form {
        self.subject = Some(clean(subject));
        self
    }

    /// Starts with a chosen value in a list field.
    pub fn with_pick(mut self, key: &str, value: &str, label: &str) -> Form {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.picked = Some((value.to_string(), label.to_string()));
        }
        self
    }

    /// Starts on this field.
    pub fn focus_on(mut self, key: &str) -> Form {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus = i;
        }
        self
    }

    /// Starts with a value in a field (e.g. the current name when renaming).
    pub fn with_value(mut self, key: &str, value: &str) -> Form {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.input.set_value(value);
        }
        self
    }

    /// The value of a field: the chosen code of a list field, else the text typed.
    pub fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| match &f.picked {
                Some((v, _)) => v.clone(),
                None => f.input.value(),
            })
            .unwrap_or_default()
    }

    pub fn optional(&self, key: &str) -> Option<String> {
        Some(self.value(key)).filter(|v| !v.is_empty())
    }

    /// What submitting the form does, or the problems found before sending.
    pub fn submission(&self) -> Result<Submit, Vec<FieldIssue>> {
        self.spec.submit(self)
    }

    /// The spec of the form, when it is an `S`.
    pub fn spec<S: FormSpec>(&self) -> Option<&S> {
        (self.spec.as_ref() as &dyn std::any::Any).downcast_ref()
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Action> {
        if self.pending.is_some() {
            return Vec::new();
        }
        self.errors.clear();
        self.general = None;
        match self.submission() {
            Ok(Submit::Send(call)) => self.pending = call.start(ctx.net),
            Ok(Submit::Local(actions)) => return actions,
            Err(issues) => {
                for i in issues {
                    self.errors
                        .entry(self.spec.field_for(&i.field))
                        .or_insert_with(|| i.problem.message(ctx.lang));
                }
                self.general = Some(T::FormFixFields.get(ctx.lang).to_string());
                self.focus_first_error();
            }
        }
        Vec::new()
    }

    fn focus_first_error(&mut self) {
        if let Some(i) = self
            .fields
            .iter()
            .position(|f| self.errors.contains_key(f.key))
        {
            self.focus = i;
        }
    }

    fn open_picker(&self, ctx: &Ctx, first: Option<char>) -> Vec<Action> {
        let Some(field) = self.fields.get(self.focus) else {
            return Vec::new();
        };
        let Some(source) = &field.pick else {
            return Vec::new();
        };
        let mut source = source.clone();
        if let (Some(from), PickSource::Municipalities { prefecture, .. }) =
            (field.follows, &mut source)
        {
            *prefecture = self.optional(from);
        }
        let current = field.picked.as_ref().map(|(v, _)| v.as_str());
        let mut picker = Picker::open_with(field.key, source, current, ctx);
        if let Some(c) = first.filter(|c| *c != ' ') {
            picker.handle_key(KeyEvent::from(KeyCode::Char(c)), None, ctx);
        }
        vec![Action::PushPopup(Box::new(picker))]
    }

    fn close(&self, ctx: &Ctx) -> Vec<Action> {
        if self.dirty {
            vec![Confirm::popup(
                T::ConfirmCloseUnsaved.get(ctx.lang),
                DiscardForm,
            )]
        } else {
            vec![Action::ClosePopup]
        }
    }
}

impl Popup for Form {
    crate::popup_any!();

    fn insert_mode(&self) -> bool {
        self.insert
    }

    fn has_unsaved_input(&self) -> bool {
        self.dirty
    }

    fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    fn reconnected(&mut self, lang: ouen_shared::Lang) {
        if std::mem::take(&mut self.offline) {
            self.general = Some(T::FormBackOnline.get(lang).to_string());
        }
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        if let Some(f) = self.fields.get_mut(self.focus) {
            if f.pick.is_none() {
                f.input.paste(text);
                self.dirty = true;
            }
        }
        Vec::new()
    }

    /// A value chosen in a picker opened from this form; the focus stays on its field.
    fn picked(&mut self, field: &'static str, value: String, label: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == field) {
            f.picked = Some((value, label));
            self.errors.remove(field);
            self.dirty = true;
        }
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_form(frame, area, ctx);
    }

    fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
        let n = self.fields.len();
        if cmd == Some(Command::Submit) {
            return self.submit(ctx);
        }
        match key.code {
            KeyCode::Tab | KeyCode::Down => {
                self.focus = (self.focus + 1) % n.max(1);
                return Vec::new();
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = (self.focus + n.max(1) - 1) % n.max(1);
                return Vec::new();
            }
            _ => {}
        }
        let on_pick = self
            .fields
            .get(self.focus)
            .is_some_and(|f| f.pick.is_some());
        if let Some(f) = self.fields.get_mut(self.focus) {
            if let Some(PickSource::Cycle(list)) = &f.pick {
                // A few values: Enter or Space steps to the next, no list opens.
                if matches!(key.code, KeyCode::Enter | KeyCode::Char(' ')) {
                    let items = list.items(ctx.lang);
                    let now = f.picked.as_ref().map_or("", |(v, _)| v.as_str());
                    let i = items
                        .iter()
                        .position(|(v, _)| v == now)
                        .map_or(0, |i| i + 1);
                    f.picked = items.get(i % items.len().max(1)).cloned();
                    self.dirty = true;
                    self.errors.remove(f.key);
                    return Vec::new();
                }
                if self.insert && matches!(key.code, KeyCode::Char(_)) {
                    return Vec::new();
                }
            }
        }
        if !self.insert {
            return match (cmd, key.code) {
                (Some(Command::Down), _) => {
                    self.focus = (self.focus + 1) % n.max(1);
                    Vec::new()
                }
                (Some(Command::Up), _) => {
                    self.focus = (self.focus + n.max(1) - 1) % n.max(1);
                    Vec::new()
                }
                (_, KeyCode::Enter) if on_pick => self.open_picker(ctx, None),
                (_, KeyCode::Enter | KeyCode::Char('i' | 'a')) => {
                    self.insert = true;
                    Vec::new()
                }
                (Some(Command::Back), _) | (_, KeyCode::Esc) => self.close(ctx),
                (Some(Command::Quit), _) => vec![Action::Quit],
                (Some(Command::Help), _) => vec![Action::OpenHelp],
                (Some(Command::CommandLine), _) => vec![Action::OpenCommandLine],
                _ => Vec::new(),
            };
        }
        match key.code {
            // Nothing typed yet: one Esc closes the form.
            KeyCode::Esc if !self.dirty => vec![Action::ClosePopup],
            KeyCode::Esc => {
                self.insert = false;
                Vec::new()
            }
            KeyCode::Enter if on_pick => self.open_picker(ctx, None),
            KeyCode::Enter => {
                if self.focus + 1 >= n {
                    return self.submit(ctx);
                }
                self.focus += 1;
                Vec::new()
            }
            KeyCode::Backspace | KeyCode::Delete if on_pick => {
                // Clears a chosen value.
                if let Some(f) = self.fields.get_mut(self.focus) {
                    if f.picked.take().is_some() {
                        self.dirty = true;
                    }
                }
                Vec::new()
            }
            KeyCode::Char(c)
                if on_pick
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.open_picker(ctx, Some(c))
            }
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    if f.pick.is_none() {
                        let before = f.input.value();
                        f.input.key(key);
                        if f.input.value() != before {
                            self.dirty = true;
                            self.errors.remove(f.key);
                        }
                    }
                }
                Vec::new()
            }
        }
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        if self.pending != Some(answer.id) {
            return None;
        }
        self.pending = None;
        let lang = ctx.lang;
        Some(match answer.take_any()? {
            Ok(value) => self.spec.done(value, lang),
            Err(ApiError::Offline(_)) => {
                self.offline = true;
                self.general = Some(T::FormKeptOffline.get(lang).to_string());
                Vec::new()
            }
            Err(ApiError::Server(body)) => {
                for f in &body.fields {
                    // `password` of a reset and of a new account share the same field.
                    self.errors
                        .entry(self.spec.field_for(&f.field))
                        .or_insert_with(|| clean(&f.message));
                }
                self.general = Some(clean(&body.message));
                self.focus_first_error();
                self.insert = true;
                Vec::new()
            }
            Err(e) => {
                self.general = Some(e.message(lang));
                Vec::new()
            }
        })
    }
}
