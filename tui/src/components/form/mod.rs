//! Forms: text fields on `ratatui-textarea`, fields chosen from lists, early checks from the
//! schema crate, the server's field errors shown under each field, and input that survives a
//! failed request or a lost connection.

mod draw;
mod field;

pub use field::{Field, Purpose, Submit};

use super::message::Message;
use super::picker::{PickSource, Picker};
use super::popup::{ConfirmTag, Popup};
use super::{confirm::Confirm, Ctx};
use crate::action::{Action, RequestId, ViewEvent};
use crate::api::{ApiError, Reply, Request};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::api::{
    ChangePasswordRequest, CreateAccountRequest, CreateOrganisationRequest,
    UpdateOrganisationRequest,
};
use ouen_shared::{FieldIssue, OrgKind, Role, Validate};
use std::collections::BTreeMap;

pub struct Form {
    pub title: T,
    pub purpose: Purpose,
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
}

impl Form {
    pub fn new(purpose: Purpose) -> Form {
        use Purpose::*;
        let (title, fields) = match &purpose {
            NewPrefectureAccount => (
                T::NewPrefectureAccount,
                vec![
                    Field::pick(
                        "prefecture_code",
                        T::FieldPrefecture,
                        PickSource::Prefectures,
                    )
                    .with_code(),
                    Field::text("login", T::LoginId),
                    Field::text("display_name", T::FieldDisplayName),
                    Field::secret("password", T::FieldPasswordOptional),
                ],
            ),
            NewCityAccount { prefecture } => (
                T::NewCityAccount,
                vec![
                    Field::pick(
                        "municipality_code",
                        T::FieldMunicipality,
                        PickSource::Municipalities {
                            prefecture: prefecture.clone(),
                            cities_only: true,
                        },
                    )
                    .with_code(),
                    Field::text("login", T::LoginId),
                    Field::text("display_name", T::FieldDisplayName),
                    Field::secret("password", T::FieldPasswordOptional),
                ],
            ),
            NewHealthCentre { parents } => {
                let mut parent = Field::pick(
                    "parent_id",
                    T::FieldParent,
                    PickSource::Fixed(parents.clone()),
                );
                parent.picked = parents.first().cloned();
                (
                    T::NewHealthCentre,
                    vec![Field::text("name", T::FieldCentreName), parent],
                )
            }
            RenameCentre { .. } => (
                T::RenameHealthCentre,
                vec![Field::text("name", T::FieldCentreName)],
            ),
            OwnPassword => (
                T::ChangeOwnPassword,
                vec![
                    Field::secret("current_password", T::FieldCurrentPassword),
                    Field::secret("new_password", T::FieldNewPassword),
                ],
            ),
            other => super::roster::forms::fields(other),
        };
        let inline = super::roster::forms::is_roster(&purpose);
        Form {
            title,
            purpose,
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

    pub fn insert_mode(&self) -> bool {
        self.insert
    }

    pub fn has_unsaved_input(&self) -> bool {
        self.dirty
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            if f.pick.is_none() {
                f.input.paste(text);
                self.dirty = true;
            }
        }
    }

    /// A value chosen in a picker opened from this form.
    pub fn picked(&mut self, field: &str, value: String, label: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == field) {
            f.picked = Some((value, label));
            self.errors.remove(field);
            self.dirty = true;
        }
        if self.focus + 1 < self.fields.len() {
            self.focus += 1;
        }
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
        if let Some(s) = super::roster::forms::submission(self) {
            return s;
        }
        self.request().map(|r| Submit::Send(Box::new(r)))
    }

    /// The request the form describes, or the problems found before sending.
    fn request(&self) -> Result<Request, Vec<FieldIssue>> {
        fn check<R: Validate>(
            r: R,
            wrap: impl FnOnce(R) -> Request,
        ) -> Result<Request, Vec<FieldIssue>> {
            r.validate().map(|()| wrap(r))
        }
        match &self.purpose {
            Purpose::NewPrefectureAccount => check(
                CreateAccountRequest {
                    login: self.value("login").trim().to_string(),
                    display_name: self.value("display_name").trim().to_string(),
                    role: Some(Role::Prefecture),
                    password: self.optional("password"),
                    prefecture_code: self.optional("prefecture_code"),
                    ..Default::default()
                },
                Request::CreateAccount,
            ),
            Purpose::NewCityAccount { .. } => check(
                CreateAccountRequest {
                    login: self.value("login").trim().to_string(),
                    display_name: self.value("display_name").trim().to_string(),
                    role: Some(Role::City),
                    password: self.optional("password"),
                    municipality_code: self.optional("municipality_code"),
                    ..Default::default()
                },
                Request::CreateAccount,
            ),
            Purpose::NewHealthCentre { .. } => check(
                CreateOrganisationRequest {
                    kind: Some(OrgKind::HealthCentre),
                    name: self.value("name").trim().to_string(),
                    parent_id: self.value("parent_id").parse().ok(),
                    ..Default::default()
                },
                Request::CreateOrganisation,
            ),
            Purpose::RenameCentre { id } => {
                let id = *id;
                check(
                    UpdateOrganisationRequest {
                        name: self.value("name").trim().to_string(),
                    },
                    move |r| Request::RenameOrganisation { id, name: r.name },
                )
            }
            Purpose::OwnPassword => check(
                ChangePasswordRequest {
                    current_password: self.value("current_password"),
                    new_password: self.value("new_password"),
                },
                Request::ChangeOwnPassword,
            ),
            // Built by the roster's forms.
            _ => Err(Vec::new()),
        }
    }

    fn submit(&mut self, ctx: &Ctx) -> Vec<Action> {
        if self.pending.is_some() {
            return Vec::new();
        }
        self.errors.clear();
        self.general = None;
        match self.submission() {
            Ok(Submit::Send(req)) => self.pending = Some(ctx.net.send(*req)),
            Ok(Submit::Local(actions)) => return actions,
            Err(issues) => {
                for i in issues {
                    self.errors
                        .entry(super::roster::forms::nearest_field(&i.field))
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
        vec![Action::PushPopup(Box::new(Popup::Picker(picker)))]
    }

    fn close(&self, ctx: &Ctx) -> Vec<Action> {
        if self.dirty {
            vec![Action::PushPopup(Box::new(Popup::Confirm(Confirm::new(
                T::ConfirmCloseUnsaved.get(ctx.lang),
                ConfirmTag::CloseFormDiscard,
            ))))]
        } else {
            vec![Action::ClosePopup]
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, cmd: Option<Command>, ctx: &Ctx) -> Vec<Action> {
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
        let lang = ctx.lang;
        Some(match result {
            Ok(Reply::AccountCreated(ac)) => {
                let a = &ac.account;
                let mut actions = vec![
                    Action::ClosePopup,
                    Action::Refresh,
                    Action::Status(format!("{} {}", T::Created.get(lang), clean(&a.login))),
                ];
                if let Some(pw) = &ac.initial_password {
                    actions.push(Action::PushPopup(Box::new(Popup::Message(Message {
                        title: T::Created.get(lang).to_string(),
                        lines: vec![
                            format!("{}: {}", T::LoginId.get(lang), clean(&a.login)),
                            format!("{}: {}", T::ColName.get(lang), clean(&a.display_name)),
                            format!("{}: {}", T::ColOrg.get(lang), clean(&a.organisation_name)),
                            String::new(),
                            T::InitialPasswordOnce.get(lang).to_string(),
                        ],
                        value: Some(pw.clone()),
                    }))));
                }
                actions
            }
            Ok(Reply::Organisation(o)) => vec![
                Action::ClosePopup,
                Action::Refresh,
                Action::Status(format!("{} {}", T::Saved.get(lang), clean(&o.name))),
            ],
            Ok(Reply::Done) => vec![
                Action::ClosePopup,
                Action::Status(T::PasswordChanged.get(lang).to_string()),
            ],
            Ok(Reply::Member(m)) if matches!(self.purpose, Purpose::NewProfessional { .. }) => {
                vec![
                    Action::ClosePopup,
                    Action::View(ViewEvent::MemberCreated(m.clone())),
                ]
            }
            Ok(Reply::Member(m)) => vec![
                Action::ClosePopup,
                Action::View(ViewEvent::MemberSaved(m.clone())),
                Action::Status(T::Saved.get(lang).to_string()),
            ],
            Ok(Reply::Decided(d)) => vec![
                Action::ClosePopup,
                Action::View(ViewEvent::Decided(d.clone())),
            ],
            Ok(Reply::Registered(r)) => {
                let to: Vec<String> = r
                    .applied_to
                    .iter()
                    .map(|p| super::roster::record_text::prefecture_name(p, lang))
                    .collect();
                vec![
                    Action::ClosePopup,
                    Action::PushPopup(Box::new(Popup::Message(Message {
                        title: T::RegisteredTitle.get(lang).to_string(),
                        lines: vec![
                            format!("{}: {}", T::FilterPrefecture.get(lang), to.join(", ")),
                            T::RegisteredNext.get(lang).to_string(),
                            String::new(),
                            T::LoginId.get(lang).to_string(),
                        ],
                        value: Some(clean(&r.login)),
                    }))),
                ]
            }
            Ok(_) => vec![Action::ClosePopup, Action::Refresh],
            Err(ApiError::Offline(_)) => {
                self.general = Some(T::FormKeptOffline.get(lang).to_string());
                Vec::new()
            }
            Err(ApiError::Server(body)) => {
                for f in &body.fields {
                    // `password` of a reset and of a new account share the same field.
                    self.errors
                        .entry(super::roster::forms::nearest_field(&f.field))
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
