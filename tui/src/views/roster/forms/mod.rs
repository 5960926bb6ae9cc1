//! The roster's forms, one module per thing they edit: the filter panel, a decision's reason
//! and the notes, the member's profile and availability, the registration, and a prefecture's
//! own professional. Fields are
//! named as the API names them, so the server's field errors land under the right field.

mod availability;
pub mod filter;
mod professional;
mod profile;
pub mod reader;
mod registration;
mod vetting;

pub use availability::{offer_form, MAX_PERIODS};
pub use filter::filter_form;
pub use professional::professional_form;
pub use profile::{profile_form, MAX_LICENCES};
pub use reader::{parse_date, BadDate};

use super::record_text::prefecture_name;
use super::RosterMsg;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::ui::message::Message;
use crate::ui::picker::{CodeList, PickSource};
use crate::widgets::text::clean;
use ouen_shared::api::{Decision, DecisionResult, Member, Registered, RegistrationTerms};
use ouen_shared::{FieldIssue, Lang};
use std::any::Any;

/// What a roster form does.
#[derive(Debug, Clone, PartialEq)]
pub enum RosterForm {
    /// The filter panel: applied in the client, nothing is sent.
    RosterFilter {
        /// The caller's prefecture, which the municipality list starts from.
        prefecture: Option<String>,
    },
    /// A decision that needs a reason (reject, suspend, withdraw).
    Decide {
        id: i64,
        prefecture: String,
        decision: Decision,
    },
    EditNotes {
        id: i64,
    },
    /// A member edits its own profile, with this many licence slots.
    EditProfile {
        licences: usize,
    },
    /// A member offers to help a prefecture, with this many periods.
    Offer {
        periods: usize,
    },
    /// A prefecture enters a professional it manages itself; `managing` is its own prefecture,
    /// `None` for the admin, who chooses one.
    NewProfessional {
        managing: Option<String>,
    },
    /// An applicant registers with the talent bank (from the login screen).
    Register {
        terms_version: String,
        terms_url: String,
    },
}

fn codes(key: &'static str, label: T, list: CodeList, multi: bool) -> Field {
    Field::pick(key, label, PickSource::Codes { list, multi })
}

impl FormSpec for RosterForm {
    fn title(&self) -> T {
        self.layout().0
    }

    fn fields(&self) -> Vec<Field> {
        self.layout().1
    }

    fn inline(&self) -> bool {
        true
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        match self {
            RosterForm::RosterFilter { .. } => filter::submission(form),
            RosterForm::Decide {
                id,
                prefecture,
                decision,
            } => vetting::decision_submission(form, *id, prefecture, *decision),
            RosterForm::EditNotes { id } => vetting::notes_submission(form, *id),
            RosterForm::EditProfile { licences } => profile::submission(form, *licences),
            RosterForm::Register { terms_version, .. } => {
                registration::submission(form, terms_version)
            }
            RosterForm::Offer { periods } => availability::submission(form, *periods),
            RosterForm::NewProfessional { managing } => {
                professional::submission(form, managing.as_deref())
            }
        }
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let answer = match answer.downcast::<Member>() {
            Ok(m) if matches!(self, RosterForm::NewProfessional { .. }) => {
                return vec![
                    Action::ClosePopup,
                    Action::message(RosterMsg::MemberCreated(m)),
                ]
            }
            Ok(m) => {
                return vec![
                    Action::ClosePopup,
                    Action::message(RosterMsg::MemberSaved(m)),
                    Action::Status(T::Saved.get(lang).to_string()),
                ]
            }
            Err(other) => other,
        };
        let answer = match answer.downcast::<DecisionResult>() {
            Ok(d) => return vec![Action::ClosePopup, Action::message(RosterMsg::Decided(d))],
            Err(other) => other,
        };
        match answer.downcast::<Registered>() {
            Ok(r) => registered(&r, lang),
            Err(_) => vec![Action::ClosePopup, Action::Refresh],
        }
    }

    fn field_for(&self, field: &str) -> String {
        nearest_field(field)
    }
}

impl RosterForm {
    /// The title and fields.
    fn layout(&self) -> (T, Vec<Field>) {
        match self {
            RosterForm::RosterFilter { prefecture } => filter::fields(prefecture),
            RosterForm::Decide { decision, .. } => vetting::reason_fields(*decision),
            RosterForm::EditNotes { .. } => vetting::notes_fields(),
            RosterForm::EditProfile { licences } => {
                (T::EditProfileTitle, profile::profile_fields(*licences))
            }
            RosterForm::Register { .. } => registration::fields(),
            RosterForm::Offer { periods } => availability::fields(*periods),
            RosterForm::NewProfessional { managing } => professional::fields(managing.as_deref()),
        }
    }
}

/// The applicant is registered: where it applied, and its login to keep.
fn registered(r: &Registered, lang: Lang) -> Vec<Action> {
    let to: Vec<String> = r
        .applied_to
        .iter()
        .map(|p| prefecture_name(p, lang))
        .collect();
    vec![
        Action::ClosePopup,
        Action::PushPopup(Box::new(Message {
            title: T::RegisteredTitle.get(lang).to_string(),
            lines: vec![
                format!("{}: {}", T::FilterPrefecture.get(lang), to.join(", ")),
                T::RegisteredNext.get(lang).to_string(),
                String::new(),
                T::LoginId.get(lang).to_string(),
            ],
            value: Some(clean(&r.login)),
        })),
    ]
}

/// The registration form for the terms in force (opened from the login screen).
pub fn registration_form(terms: &RegistrationTerms, lang: Lang) -> Form {
    Form::new(RosterForm::Register {
        terms_version: terms.version.clone(),
        terms_url: terms.url.clone(),
    })
    .with_subject(&format!("{} {}", T::Terms.get(lang), terms.version))
    .with_note(&format!("{}: {}", T::Terms.get(lang), terms.url))
}

/// Where a problem named for a whole list is shown: beside the list's first field.
pub fn nearest_field(field: &str) -> String {
    match field {
        "profile.licences" => profile::LICENCE_KEYS[0][0],
        "offers" | "offers[0].availability" => "offers[0].availability[0].from",
        "availability" => availability::PERIOD_KEYS[0][0],
        other => other,
    }
    .to_string()
}
