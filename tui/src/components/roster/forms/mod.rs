//! The roster's forms, one module per thing they edit: the filter panel, a decision's reason
//! and the notes, the member's profile and availability, the registration, and a prefecture's
//! own professional. Fields are
//! named as the API names them, so the server's field errors land under the right field.

mod availability;
mod filter;
mod professional;
mod profile;
mod reader;
mod registration;
mod vetting;

pub use availability::{offer_form, MAX_PERIODS};
pub use filter::filter_form;
pub use professional::professional_form;
pub use profile::{profile_form, MAX_LICENCES};
pub use reader::{parse_date, BadDate};

use crate::components::form::{Field, Form, Purpose, Submit};
use crate::components::picker::{CodeList, PickSource};
use crate::i18n::T;
use ouen_shared::FieldIssue;

/// Whether a purpose is one of these forms (they use the compact one-line layout).
pub fn is_roster(purpose: &Purpose) -> bool {
    matches!(
        purpose,
        Purpose::RosterFilter { .. }
            | Purpose::Decide { .. }
            | Purpose::EditNotes { .. }
            | Purpose::EditProfile { .. }
            | Purpose::Offer { .. }
            | Purpose::Register { .. }
            | Purpose::NewProfessional { .. }
    )
}

fn codes(key: &'static str, label: T, list: CodeList, multi: bool) -> Field {
    Field::pick(key, label, PickSource::Codes { list, multi })
}

/// The title and fields of a roster form.
pub fn fields(purpose: &Purpose) -> (T, Vec<Field>) {
    match purpose {
        Purpose::RosterFilter { prefecture } => filter::fields(prefecture),
        Purpose::Decide { decision, .. } => vetting::reason_fields(*decision),
        Purpose::EditNotes { .. } => vetting::notes_fields(),
        Purpose::EditProfile { licences } => {
            (T::EditProfileTitle, profile::profile_fields(*licences))
        }
        Purpose::Register { .. } => registration::fields(),
        Purpose::Offer { periods } => availability::fields(*periods),
        Purpose::NewProfessional { managing } => professional::fields(managing.as_deref()),
        _ => (T::Details, Vec::new()),
    }
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

/// What a roster form does when submitted; `None` for other forms.
pub fn submission(form: &Form) -> Option<Result<Submit, Vec<FieldIssue>>> {
    Some(match &form.purpose {
        Purpose::RosterFilter { .. } => filter::submission(form),
        Purpose::Decide {
            id,
            prefecture,
            decision,
        } => vetting::decision_submission(form, *id, prefecture, *decision),
        Purpose::EditNotes { id } => vetting::notes_submission(form, *id),
        Purpose::EditProfile { licences } => profile::submission(form, *licences),
        Purpose::Register { terms_version, .. } => registration::submission(form, terms_version),
        Purpose::Offer { periods } => availability::submission(form, *periods),
        Purpose::NewProfessional { managing } => {
            professional::submission(form, managing.as_deref())
        }
        _ => return None,
    })
}
