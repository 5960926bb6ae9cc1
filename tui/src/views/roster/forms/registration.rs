//! An applicant's registration with the talent bank (from the login screen): the profile, a
//! password, the prefecture supported with one period, and the terms accepted.

use super::codes;
use super::profile::{profile_fields, read_profile};
use super::reader::Reader;
use crate::app::net::Call;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use crate::ui::picker::{CodeList, PickSource};
use ouen_shared::api::{Availability, RegistrationRequest, SupportOffer};
use ouen_shared::endpoints::Register;
use ouen_shared::roster::HelpWay;
use ouen_shared::Validate as _;
use ouen_shared::{FieldIssue, Problem};

/// How many licences the registration form offers.
const REGISTER_LICENCES: usize = 2;

pub(super) fn fields() -> (T, Vec<Field>) {
    let mut f = profile_fields(REGISTER_LICENCES);
    f.push(Field::secret("password", T::Password));
    f.push(
        Field::pick(
            "offers[0].prefecture_code",
            T::FilterPrefecture,
            PickSource::Prefectures,
        )
        .with_code(),
    );
    f.push(Field::date(
        "offers[0].availability[0].from",
        T::FilterAvailableFrom,
    ));
    f.push(Field::date(
        "offers[0].availability[0].to",
        T::FilterAvailableTo,
    ));
    f.push(codes(
        "offers[0].availability[0].ways",
        T::FilterWay,
        CodeList::HelpWays,
        true,
    ));
    f.push(Field::pick(
        "terms_version",
        T::AcceptTerms,
        PickSource::Cycle(CodeList::YesOnly),
    ));
    (T::RegisterTitle, f)
}

/// The registration, with the version of the terms shown when they were accepted.
pub(super) fn submission(form: &Form, terms_version: &str) -> Result<Submit, Vec<FieldIssue>> {
    let mut r = Reader::default();
    let profile = read_profile(form, &mut r, REGISTER_LICENCES);
    let from = r.required_date(form, "offers[0].availability[0].from");
    let to = r.required_date(form, "offers[0].availability[0].to");
    let ways = r.list(form, "offers[0].availability[0].ways", HelpWay::from_code);
    let agreed = form.value("terms_version") == "true";
    if !agreed {
        r.issues.push(FieldIssue::new(
            "terms_version",
            Problem::NotAllowed {
                ja: "利用規約への同意が必要です（Enter で「はい」）。",
                en: "You must accept the terms (Enter: yes).",
            },
        ));
    }
    let mut body = RegistrationRequest {
        profile,
        password: form.value("password"),
        offers: vec![SupportOffer {
            prefecture_code: form.value("offers[0].prefecture_code"),
            availability: match (from, to) {
                (Some(from), Some(to)) => vec![Availability { from, to, ways }],
                _ => Vec::new(),
            },
        }],
        terms_version: if agreed {
            terms_version.to_string()
        } else {
            String::new()
        },
    };
    body.normalize();
    r.finish_profile(&body)
        .map(|()| Submit::Send(Call::new(Register(body))))
}
