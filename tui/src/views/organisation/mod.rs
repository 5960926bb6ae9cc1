//! The organisation view: the accounts one manages (the admin issues prefecture accounts; a
//! prefecture issues accounts to its cities and special wards) and the health centres of a
//! prefecture or city.

mod forms;

pub use forms::OrgForm;

use crate::api::ApiError;
use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::confirm::Confirm;
use crate::ui::form::Form;
use crate::ui::message::Message;
use crate::widgets::input::Input;
use crate::widgets::table::{self, Column, ListState};
use crate::widgets::text::{clean, truncate};
use crate::widgets::title;
use crossterm::event::{KeyCode, KeyEvent};
use ouen_shared::api::{Account, Me, Organisation, Page, PasswordReset};
use ouen_shared::endpoints::{
    DisableAccount, EnableAccount, ListAccounts, ListOrganisations, ResetAccountPassword,
};
use ouen_shared::text::folded_contains;
use ouen_shared::time::format_jst;
use ouen_shared::{Lang, OrgKind, Role};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the operator said yes to in this view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgConfirm {
    SetDisabled { id: i64, disabled: bool },
    ResetPassword { id: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pane {
    Accounts,
    Centres,
}

pub struct OrganisationView {
    role: Role,
    org_id: i64,
    org_name: String,
    prefecture_code: Option<String>,
    panes: Vec<Pane>,
    pane: usize,
    pub accounts: Vec<Account>,
    pub centres: Vec<Organisation>,
    acc_state: ListState,
    cen_state: ListState,
    acc_req: Option<Pending<Page<Account>>>,
    cen_req: Option<Pending<Page<Organisation>>>,
    toggle_req: Option<Pending<Account>>,
    reset_req: Option<Pending<PasswordReset>>,
    error: Option<String>,
    filter: Input,
    filtering: bool,
    page_rows: usize,
}

impl OrganisationView {
    pub fn new(me: &Me) -> OrganisationView {
        let panes = match me.role {
            Role::Prefecture | Role::City => vec![Pane::Accounts, Pane::Centres],
            _ => vec![Pane::Accounts],
        };
        OrganisationView {
            role: me.role,
            org_id: me.organisation_id,
            org_name: clean(&me.organisation_name),
            prefecture_code: me.prefecture_code.clone(),
            panes,
            pane: 0,
            accounts: Vec::new(),
            centres: Vec::new(),
            acc_state: ListState::default(),
            cen_state: ListState::default(),
            acc_req: None,
            cen_req: None,
            toggle_req: None,
            reset_req: None,
            error: None,
            filter: Input::new(false),
            filtering: false,
            page_rows: 10,
        }
    }

    fn pane(&self) -> Pane {
        self.panes.get(self.pane).copied().unwrap_or(Pane::Accounts)
    }

    fn account_rows(&self, lang: ouen_shared::Lang) -> Vec<(usize, Vec<String>)> {
        let q = self.filter.value();
        self.accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    i,
                    vec![
                        clean(&a.login),
                        clean(&a.display_name),
                        a.role.label(lang).to_string(),
                        clean(&a.organisation_name),
                        if a.disabled { T::Disabled } else { T::Enabled }
                            .get(lang)
                            .to_string(),
                        format_jst(a.created_at).chars().take(10).collect(),
                    ],
                )
            })
            .filter(|(_, row)| q.is_empty() || row.iter().any(|c| folded_contains(c, &q)))
            .collect()
    }

    fn centre_rows(&self) -> Vec<(usize, Vec<String>)> {
        let q = self.filter.value();
        self.centres
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    i,
                    vec![
                        clean(&o.name),
                        clean(o.parent_name.as_deref().unwrap_or("")),
                        o.account_count.to_string(),
                    ],
                )
            })
            .filter(|(_, row)| q.is_empty() || row.iter().any(|c| folded_contains(c, &q)))
            .collect()
    }

    fn selected_account(&self, lang: ouen_shared::Lang) -> Option<&Account> {
        let rows = self.account_rows(lang);
        let (i, _) = rows.get(self.acc_state.selected)?;
        self.accounts.get(*i)
    }

    fn selected_centre(&self) -> Option<&Organisation> {
        let rows = self.centre_rows();
        let (i, _) = rows.get(self.cen_state.selected)?;
        self.centres.get(*i)
    }

    fn state_and_len(&mut self, lang: ouen_shared::Lang) -> (&mut ListState, usize) {
        match self.pane() {
            Pane::Accounts => {
                let len = self.account_rows(lang).len();
                (&mut self.acc_state, len)
            }
            Pane::Centres => {
                let len = self.centre_rows().len();
                (&mut self.cen_state, len)
            }
        }
    }

    fn may_manage(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Prefecture | Role::City)
    }

    fn new_form(&self, ctx: &Ctx) -> Vec<Action> {
        let spec = match (self.role, self.pane()) {
            (Role::Admin, Pane::Accounts) => OrgForm::NewPrefectureAccount,
            (Role::Prefecture, Pane::Accounts) => OrgForm::NewCityAccount {
                prefecture: self.prefecture_code.clone(),
            },
            (Role::Prefecture | Role::City, Pane::Centres) => {
                let mut parents = vec![(self.org_id.to_string(), self.org_name.clone())];
                for a in &self.accounts {
                    if a.role == Role::City && a.organisation_kind == OrgKind::City {
                        let p = (a.organisation_id.to_string(), clean(&a.organisation_name));
                        if !parents.contains(&p) {
                            parents.push(p);
                        }
                    }
                }
                OrgForm::NewHealthCentre { parents }
            }
            _ => return vec![Action::Error(T::NotAllowedHere.get(ctx.lang).to_string())],
        };
        vec![Action::PushPopup(Box::new(Form::new(spec)))]
    }

    fn details(&self, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let (title, lines) = match self.pane() {
            Pane::Accounts => {
                let Some(a) = self.selected_account(lang) else {
                    return Vec::new();
                };
                (
                    format!("{} — {}", T::Details.get(lang), clean(&a.login)),
                    vec![
                        format!("{}: {}", T::ColLogin.get(lang), clean(&a.login)),
                        format!("{}: {}", T::ColName.get(lang), clean(&a.display_name)),
                        format!("{}: {}", T::Role.get(lang), a.role.label(lang)),
                        format!(
                            "{}: {} ({})",
                            T::ColOrg.get(lang),
                            clean(&a.organisation_name),
                            a.organisation_kind.label(lang)
                        ),
                        format!(
                            "{}: {}",
                            T::ColStatus.get(lang),
                            if a.disabled { T::Disabled } else { T::Enabled }.get(lang)
                        ),
                        format!("{}: {}", T::ColCreated.get(lang), format_jst(a.created_at)),
                    ],
                )
            }
            Pane::Centres => {
                let Some(o) = self.selected_centre() else {
                    return Vec::new();
                };
                (
                    format!("{} — {}", T::Details.get(lang), clean(&o.name)),
                    vec![
                        format!("{}: {}", T::ColCentre.get(lang), clean(&o.name)),
                        format!(
                            "{}: {}",
                            T::ColParent.get(lang),
                            clean(o.parent_name.as_deref().unwrap_or("—"))
                        ),
                        format!("{}: {}", T::ColAccounts.get(lang), o.account_count),
                        format!("{}: {}", T::ColCreated.get(lang), format_jst(o.created_at)),
                    ],
                )
            }
        };
        vec![Action::PushPopup(Box::new(Message {
            title,
            lines,
            value: None,
        }))]
    }

    fn list_command(&mut self, cmd: Command, ctx: &Ctx) -> bool {
        let half_page = self.page_rows / 2;
        let (state, len) = self.state_and_len(ctx.lang);
        state.follow(cmd, len, half_page)
    }
}

impl View for OrganisationView {
    fn handle_key(
        &mut self,
        key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.filtering {
            match key.code {
                KeyCode::Enter => self.filtering = false,
                KeyCode::Esc => {
                    self.filtering = false;
                    self.filter.set_value("");
                }
                KeyCode::Down | KeyCode::Up => {
                    if let Some(c) = cmd {
                        self.list_command(c, ctx);
                    }
                }
                _ => {
                    self.filter.key(key);
                    self.acc_state = ListState::default();
                    self.cen_state = ListState::default();
                }
            }
            return Some(Vec::new());
        }
        let cmd = cmd?;
        if self.list_command(cmd, ctx) {
            return Some(Vec::new());
        }
        let lang = ctx.lang;
        Some(match cmd {
            Command::NextPane => {
                self.pane = (self.pane + 1) % self.panes.len().max(1);
                Vec::new()
            }
            Command::PrevPane => {
                let n = self.panes.len().max(1);
                self.pane = (self.pane + n - 1) % n;
                Vec::new()
            }
            Command::Filter => {
                self.filtering = true;
                Vec::new()
            }
            Command::Back if !self.filter.is_empty() => {
                self.filter.set_value("");
                Vec::new()
            }
            Command::Open => self.details(ctx),
            Command::Refresh => {
                self.refresh(ctx);
                Vec::new()
            }
            Command::New if self.may_manage() => self.new_form(ctx),
            Command::ToggleDisabled | Command::ResetPassword
                if self.pane() == Pane::Accounts && self.may_manage() =>
            {
                let Some(a) = self.selected_account(lang) else {
                    return Some(vec![Action::Error(T::NoSelection.get(lang).to_string())]);
                };
                let (q, tag) = if cmd == Command::ResetPassword {
                    (T::ConfirmReset, OrgConfirm::ResetPassword { id: a.id })
                } else if a.disabled {
                    (
                        T::ConfirmEnable,
                        OrgConfirm::SetDisabled {
                            id: a.id,
                            disabled: false,
                        },
                    )
                } else {
                    (
                        T::ConfirmDisable,
                        OrgConfirm::SetDisabled {
                            id: a.id,
                            disabled: true,
                        },
                    )
                };
                let question = format!(
                    "{}\n{} {}",
                    q.get(lang),
                    clean(&a.login),
                    clean(&a.display_name)
                );
                vec![Confirm::popup(question, tag)]
            }
            Command::Rename if self.pane() == Pane::Centres && self.may_manage() => {
                let Some(o) = self.selected_centre() else {
                    return Some(vec![Action::Error(T::NoSelection.get(lang).to_string())]);
                };
                let form =
                    Form::new(OrgForm::RenameCentre { id: o.id }).with_value("name", &o.name);
                vec![Action::PushPopup(Box::new(form))]
            }
            Command::New | Command::ToggleDisabled | Command::ResetPassword | Command::Rename => {
                vec![Action::Error(T::NotAllowedHere.get(lang).to_string())]
            }
            _ => return None,
        })
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<OrgConfirm>()? {
            OrgConfirm::SetDisabled { id, disabled } => {
                let id = *id;
                self.toggle_req = Some(if *disabled {
                    ctx.net.call(DisableAccount { id })
                } else {
                    ctx.net.call(EnableAccount { id })
                });
            }
            OrgConfirm::ResetPassword { id } => {
                self.reset_req = Some(ctx.net.call(ResetAccountPassword {
                    id: *id,
                    body: Default::default(),
                }));
            }
        }
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.acc_req, answer) {
            apply_list(result, &mut self.accounts, &mut self.error, lang);
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.cen_req, answer) {
            apply_list(result, &mut self.centres, &mut self.error, lang);
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.toggle_req, answer) {
            return Some(match result {
                Ok(a) => {
                    let text = format!(
                        "{} {} → {}",
                        T::Saved.get(lang),
                        clean(&a.login),
                        if a.disabled { T::Disabled } else { T::Enabled }.get(lang)
                    );
                    if let Some(slot) = self.accounts.iter_mut().find(|x| x.id == a.id) {
                        *slot = a;
                    }
                    vec![Action::Status(text)]
                }
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        if let Some(result) = claim(&mut self.reset_req, answer) {
            return Some(match result {
                Ok(pr) => vec![Action::PushPopup(Box::new(Message {
                    title: T::ResetPassword.get(lang).to_string(),
                    lines: vec![T::NewPasswordOnce.get(lang).to_string()],
                    value: pr.new_password,
                }))],
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        None
    }

    fn refresh(&mut self, ctx: &Ctx) {
        self.acc_req = Some(ctx.net.call(ListAccounts::default()));
        if self.panes.contains(&Pane::Centres) {
            self.cen_req = Some(ctx.net.call(ListOrganisations {
                kind: Some(OrgKind::HealthCentre),
            }));
        }
    }

    fn is_loading(&self) -> bool {
        self.acc_req.is_some()
            || self.cen_req.is_some()
            || self.toggle_req.is_some()
            || self.reset_req.is_some()
    }

    fn insert_mode(&self) -> bool {
        self.filtering
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Organisation)
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        if self.filtering {
            self.filter.paste(text);
        }
        Vec::new()
    }

    fn selected_value(&self) -> Option<String> {
        match self.pane() {
            Pane::Accounts => self
                .selected_account(ouen_shared::Lang::Ja)
                .map(|a| a.login.clone()),
            Pane::Centres => self.selected_centre().map(|o| o.name.clone()),
        }
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(
            match self.role {
                Role::Admin => T::OrgHintsAdmin,
                Role::Prefecture | Role::City => T::OrgHintsPref,
                _ => T::OrgHintsOther,
            }
            .get(ctx.lang)
            .to_string(),
        )
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 3 {
            return;
        }
        let lang = ctx.lang;
        let theme = ctx.theme;
        // Line 1: whose organisation, which lists, loading state.
        let mut spans = vec![
            Span::styled(
                format!("{}: {} ", T::MyOrganisation.get(lang), self.org_name),
                theme.title,
            ),
            Span::styled(format!("({})  ", self.role.label(lang)), theme.dim),
        ];
        for (i, p) in self.panes.iter().enumerate() {
            let (t, n) = match p {
                Pane::Accounts => (T::Accounts, self.accounts.len()),
                Pane::Centres => (T::HealthCentres, self.centres.len()),
            };
            let style = if i == self.pane {
                theme.tab_active
            } else {
                theme.tab
            };
            spans.push(Span::styled(format!(" {} {n} ", t.get(lang)), style));
            spans.push(Span::raw(" "));
        }
        let mut body = title::draw(frame, area, spans, self.is_loading(), ctx.tick, lang);
        // The filter line, while filtering or when a filter is set.
        if self.filtering || !self.filter.is_empty() {
            let label = format!("/{} ", T::FilterPrompt.get(lang));
            let lw = crate::widgets::text::width(&label) as u16;
            frame.render_widget(
                Paragraph::new(Span::styled(label, theme.key)),
                Rect { height: 1, ..body },
            );
            self.filter.draw(
                frame,
                Rect {
                    x: body.x + lw,
                    width: body.width.saturating_sub(lw),
                    height: 1,
                    ..body
                },
                self.filtering,
                theme,
            );
            body.y += 1;
            body.height = body.height.saturating_sub(1);
        }
        if let Some(e) = &self.error {
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(e, body.width as usize), theme.error)),
                Rect { height: 1, ..body },
            );
            body.y += 1;
            body.height = body.height.saturating_sub(1);
        }
        self.page_rows = body.height.saturating_sub(1) as usize;
        let compact = ctx.compact;
        match self.pane() {
            Pane::Accounts => {
                let mut cols = vec![
                    Column::new(T::ColLogin.get(lang), 10, 20),
                    Column::new(T::ColName.get(lang), 8, 24),
                    Column::new(T::Role.get(lang), 6, 20),
                    Column::new(T::ColOrg.get(lang), 8, 24),
                    Column::new(T::ColStatus.get(lang), 6, 8),
                    Column::new(T::ColCreated.get(lang), 10, 10),
                ];
                let mut rows: Vec<Vec<String>> = self
                    .account_rows(lang)
                    .into_iter()
                    .map(|(_, r)| r)
                    .collect();
                if compact {
                    cols.remove(5);
                    cols.remove(2);
                    for r in &mut rows {
                        r.remove(5);
                        r.remove(2);
                    }
                }
                table::render(
                    frame.buffer_mut(),
                    body,
                    &cols,
                    &rows,
                    &mut self.acc_state,
                    true,
                    theme,
                );
                if rows.is_empty() && !self.is_loading() && body.height > 1 {
                    frame.render_widget(
                        Paragraph::new(Line::styled(T::Empty.get(lang), theme.dim)),
                        Rect {
                            y: body.y + 1,
                            height: 1,
                            ..body
                        },
                    );
                }
            }
            Pane::Centres => {
                let cols = vec![
                    Column::new(T::ColCentre.get(lang), 12, 30),
                    Column::new(T::ColParent.get(lang), 8, 24),
                    Column::new(T::ColAccounts.get(lang), 6, 12),
                ];
                let rows: Vec<Vec<String>> =
                    self.centre_rows().into_iter().map(|(_, r)| r).collect();
                table::render(
                    frame.buffer_mut(),
                    body,
                    &cols,
                    &rows,
                    &mut self.cen_state,
                    true,
                    theme,
                );
                if rows.is_empty() && !self.is_loading() && body.height > 1 {
                    frame.render_widget(
                        Paragraph::new(Line::styled(T::Empty.get(lang), theme.dim)),
                        Rect {
                            y: body.y + 1,
                            height: 1,
                            ..body
                        },
                    );
                }
            }
        }
    }
}

/// Applies the answer to a list request: new items replace the old ones; on failure the last
/// items stay on screen and the error is shown, unless the offline banner or the login screen
/// already says it.
fn apply_list<T>(
    result: Result<Page<T>, ApiError>,
    items: &mut Vec<T>,
    error: &mut Option<String>,
    lang: Lang,
) {
    match result {
        Ok(page) => {
            *items = page.items;
            *error = None;
        }
        Err(ApiError::Offline(_)) => {}
        Err(e) if e.is_unauthenticated() => {}
        Err(e) => *error = Some(e.message(lang)),
    }
}
