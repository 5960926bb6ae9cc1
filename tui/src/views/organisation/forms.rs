//! The organisation view's forms: a prefecture account (the admin), a city account (a
//! prefecture), a health centre and its new name.

use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::ui::message::Message;
use crate::ui::picker::PickSource;
use crate::widgets::text::clean;
use ouen_shared::api::{
    AccountCreated, CreateAccountRequest, CreateOrganisationRequest, Organisation,
    UpdateOrganisationRequest,
};
use ouen_shared::endpoints::{CreateAccount, CreateOrganisation, RenameOrganisation};
use ouen_shared::{FieldIssue, Lang, OrgKind, Role, Validate};
use std::any::Any;

/// What an organisation form does.
#[derive(Debug, Clone, PartialEq)]
pub enum OrgForm {
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
}

/// Normalised and checked as the server will, then sent.
fn checked<R: Validate>(mut r: R, call: impl FnOnce(R) -> Call) -> Result<Submit, Vec<FieldIssue>> {
    r.normalize();
    r.validate().map(|()| Submit::Send(call(r)))
}

impl FormSpec for OrgForm {
    fn title(&self) -> T {
        match self {
            OrgForm::NewPrefectureAccount => T::NewPrefectureAccount,
            OrgForm::NewCityAccount { .. } => T::NewCityAccount,
            OrgForm::NewHealthCentre { .. } => T::NewHealthCentre,
            OrgForm::RenameCentre { .. } => T::RenameHealthCentre,
        }
    }

    fn fields(&self) -> Vec<Field> {
        match self {
            OrgForm::NewPrefectureAccount => vec![
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
            OrgForm::NewCityAccount { prefecture } => vec![
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
            OrgForm::NewHealthCentre { parents } => {
                let mut parent = Field::pick(
                    "parent_id",
                    T::FieldParent,
                    PickSource::Fixed(parents.clone()),
                );
                parent.picked = parents.first().cloned();
                vec![Field::text("name", T::FieldCentreName), parent]
            }
            OrgForm::RenameCentre { .. } => vec![Field::text("name", T::FieldCentreName)],
        }
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        let trimmed = |key: &str| form.value(key).trim().to_string();
        match self {
            OrgForm::NewPrefectureAccount => checked(
                CreateAccountRequest {
                    login: trimmed("login"),
                    display_name: trimmed("display_name"),
                    role: Some(Role::Prefecture),
                    password: form.optional("password"),
                    prefecture_code: form.optional("prefecture_code"),
                    ..Default::default()
                },
                |r| Call::new(CreateAccount(r)),
            ),
            OrgForm::NewCityAccount { .. } => checked(
                CreateAccountRequest {
                    login: trimmed("login"),
                    display_name: trimmed("display_name"),
                    role: Some(Role::City),
                    password: form.optional("password"),
                    municipality_code: form.optional("municipality_code"),
                    ..Default::default()
                },
                |r| Call::new(CreateAccount(r)),
            ),
            OrgForm::NewHealthCentre { .. } => checked(
                CreateOrganisationRequest {
                    kind: Some(OrgKind::HealthCentre),
                    name: trimmed("name"),
                    parent_id: form.value("parent_id").parse().ok(),
                    ..Default::default()
                },
                |r| Call::new(CreateOrganisation(r)),
            ),
            OrgForm::RenameCentre { id } => {
                let id = *id;
                checked(
                    UpdateOrganisationRequest {
                        name: trimmed("name"),
                    },
                    move |body| Call::new(RenameOrganisation { id, body }),
                )
            }
        }
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        if let Some(created) = answer.downcast_ref::<AccountCreated>() {
            return account_created(created, lang);
        }
        match answer.downcast_ref::<Organisation>() {
            Some(o) => vec![
                Action::ClosePopup,
                Action::Refresh,
                Action::Status(format!("{} {}", T::Saved.get(lang), clean(&o.name))),
            ],
            None => vec![Action::ClosePopup, Action::Refresh],
        }
    }
}

/// A new account, with its initial password shown once when the server made one.
fn account_created(created: &AccountCreated, lang: Lang) -> Vec<Action> {
    let a = &created.account;
    let mut actions = vec![
        Action::ClosePopup,
        Action::Refresh,
        Action::Status(format!("{} {}", T::Created.get(lang), clean(&a.login))),
    ];
    if let Some(pw) = &created.initial_password {
        actions.push(Action::PushPopup(Box::new(Message {
            title: T::Created.get(lang).to_string(),
            lines: vec![
                format!("{}: {}", T::LoginId.get(lang), clean(&a.login)),
                format!("{}: {}", T::ColName.get(lang), clean(&a.display_name)),
                format!("{}: {}", T::ColOrg.get(lang), clean(&a.organisation_name)),
                String::new(),
                T::InitialPasswordOnce.get(lang).to_string(),
            ],
            value: Some(pw.clone()),
        })));
    }
    actions
}
