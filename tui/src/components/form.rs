//! Forms: text fields on `ratatui-textarea`, fields chosen from lists, early checks from the
//! schema crate, the server's field errors shown under each field, and input that survives a
//! failed request or a lost connection.

use super::message::Message;
use super::picker::{PickSource, Picker};
use super::popup::{ConfirmTag, Popup};
use super::{centered, confirm::Confirm, Ctx};
use crate::action::{Action, RequestId};
use crate::api::{ApiError, Reply, Request};
use crate::i18n::T;
use crate::keymap::Command;
use crate::widgets::input::Input;
use crate::widgets::spinner;
use crate::widgets::text::{clean, truncate, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen_shared::api::{
    ChangePasswordRequest, CreateAccountRequest, CreateOrganisationRequest,
    UpdateOrganisationRequest,
};
use ouen_shared::{FieldIssue, OrgKind, Role, Validate};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::collections::BTreeMap;

/// What the form does when submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// The admin issues a prefecture account.
    NewPrefectureAccount,
    /// A prefecture issues an account to a city or special ward inside it.
    NewCityAccount {
        prefecture: Option<String>,
    },
    /// A prefecture or city registers a health centre; (organisation id, name) it may belong to.
    NewHealthCentre {
        parents: Vec<(String, String)>,
    },
    RenameCentre {
        id: i64,
    },
    OwnPassword,
}

/// One field.
pub struct Field {
    /// The request field it fills (matches the server's field errors).
    pub key: &'static str,
    pub label: T,
    pub input: Input,
    /// Chosen from a list instead of typed.
    pub pick: Option<PickSource>,
    /// The chosen (value, label).
    pub picked: Option<(String, String)>,
}

impl Field {
    fn text(key: &'static str, label: T) -> Field {
        Field {
            key,
            label,
            input: Input::new(false),
            pick: None,
            picked: None,
        }
    }
    fn secret(key: &'static str, label: T) -> Field {
        Field {
            input: Input::new(true),
            ..Field::text(key, label)
        }
    }
    fn pick(key: &'static str, label: T, source: PickSource) -> Field {
        Field {
            pick: Some(source),
            ..Field::text(key, label)
        }
    }
}

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
                    ),
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
                        },
                    ),
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
        };
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
        }
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

    fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| match &f.picked {
                Some((v, _)) => v.clone(),
                None => f.input.value(),
            })
            .unwrap_or_default()
    }

    fn optional(&self, key: &str) -> Option<String> {
        Some(self.value(key)).filter(|v| !v.is_empty())
    }

    /// The request the form describes, or the problems found before sending.
    pub fn request(&self) -> Result<Request, Vec<FieldIssue>> {
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
        }
    }

    fn submit(&mut self, ctx: &Ctx) {
        if self.pending.is_some() {
            return;
        }
        self.errors.clear();
        self.general = None;
        match self.request() {
            Ok(req) => self.pending = Some(ctx.net.send(req)),
            Err(issues) => {
                for i in issues {
                    self.errors
                        .entry(i.field.clone())
                        .or_insert_with(|| i.problem.message(ctx.lang));
                }
                self.general = Some(T::FormFixFields.get(ctx.lang).to_string());
                self.focus_first_error();
            }
        }
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
        let mut picker = Picker::open(field.key, source.clone(), ctx);
        if let Some(c) = first {
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
            self.submit(ctx);
            return Vec::new();
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
                    self.submit(ctx);
                } else {
                    self.focus += 1;
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
            Ok(_) => vec![Action::ClosePopup, Action::Refresh],
            Err(ApiError::Offline(_)) => {
                self.general = Some(T::FormKeptOffline.get(lang).to_string());
                Vec::new()
            }
            Err(ApiError::Server(body)) => {
                for f in &body.fields {
                    // `password` of a reset and of a new account share the same field.
                    self.errors
                        .entry(f.field.clone())
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

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let per_field: u16 = 3;
        let h = 2 + per_field * self.fields.len() as u16 + 4;
        let r = centered(area, 74, h);
        super::clear(frame, r);
        let title = if self.pending.is_some() {
            format!(
                " {} {} {} ",
                self.title.get(ctx.lang),
                spinner::frame(ctx.tick),
                T::Saving.get(ctx.lang)
            )
        } else {
            format!(" {} ", self.title.get(ctx.lang))
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(ctx.theme.focus);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let w = inner.width as usize;
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        let mut cursor_field = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if y + 2 > bottom {
                break;
            }
            let focused = i == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let label_style = if focused {
                ctx.theme.focus
            } else {
                ctx.theme.title
            };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(marker, label_style),
                    Span::styled(f.label.get(ctx.lang), label_style),
                ])),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            let input_area = Rect {
                x: inner.x + 4,
                y: y + 1,
                width: inner.width.saturating_sub(5),
                height: 1,
            };
            if f.pick.is_some() {
                let text = match &f.picked {
                    Some((v, l)) if f.key == "parent_id" => l.clone() + &format!(" (#{v})"),
                    Some((v, l)) => format!("{l} ({v})"),
                    None => T::PickHint.get(ctx.lang).to_string(),
                };
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
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        truncate(&format!("    ✗ {e}"), w),
                        ctx.theme.error,
                    )),
                    Rect {
                        y: y + 2,
                        height: 1,
                        ..inner
                    },
                );
            }
            y += per_field;
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
        if let Some(g) = general {
            for line in wrap(&g, w).into_iter().take(2) {
                if y + 1 >= bottom {
                    break;
                }
                frame.render_widget(
                    Paragraph::new(Line::styled(line, ctx.theme.error)),
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
                    truncate(T::FormHint.get(ctx.lang), w),
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
