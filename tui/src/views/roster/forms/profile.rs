//! The profile: a person's details with licence slots, as the member edits its own record
//! (and as the registration and a prefecture's own professional reuse them).

use super::codes;
use super::reader::Reader;
use super::RosterForm;
use crate::app::net::Call;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use crate::ui::picker::{CodeList, PickSource};
use ouen_shared::api::{Licence, Member, Profile, UpdateProfileRequest};
use ouen_shared::endpoints::UpdateMyProfile;
use ouen_shared::roster::{ExperienceField, Language};
use ouen_shared::Validate as _;
use ouen_shared::{FieldIssue, Lang, Problem, Profession};

/// Licence slots of the profile form, named as `Profile::check` names them.
macro_rules! licence_keys {
    ($($i:literal)+) => {
        [$([
            concat!("profile.licences[", $i, "].profession"),
            concat!("profile.licences[", $i, "].number"),
            concat!("profile.licences[", $i, "].licensed_on"),
        ],)+]
    };
}
pub(super) const LICENCE_KEYS: [[&str; 3]; 13] = licence_keys!(0 1 2 3 4 5 6 7 8 9 10 11 12);

/// The most licence slots the profile form offers (the API allows 13).
pub const MAX_LICENCES: usize = LICENCE_KEYS.len();

/// The profile's fields, named as `Profile::check` names them, with `licences` slots.
pub(super) fn profile_fields(licences: usize) -> Vec<Field> {
    let mut f = vec![
        Field::text("profile.name", T::ColName),
        Field::text("profile.name_kana", T::ColKana),
        Field::date("profile.birth_date", T::FieldBirthDate),
        Field::text("profile.email", T::FieldEmail),
        Field::text("profile.phone", T::FieldPhone),
        Field::pick(
            "profile.prefecture_code",
            T::FieldHomePrefecture,
            PickSource::Prefectures,
        )
        .with_code(),
        Field::pick(
            "profile.municipality_code",
            T::FilterMunicipality,
            PickSource::Municipalities {
                prefecture: None,
                cities_only: false,
            },
        )
        .with_code()
        .following("profile.prefecture_code"),
        Field::text("profile.street", T::FieldStreet),
    ];
    for (i, [profession, number, on]) in LICENCE_KEYS.iter().take(licences).enumerate() {
        let n = i + 1;
        f.push(
            codes(profession, T::ColProfessions, CodeList::Professions, false)
                .numbered(T::GroupLicence, n),
        );
        f.push(Field::text(number, T::LicenceNo).numbered(T::GroupLicence, n));
        f.push(Field::date(on, T::FieldLicensedOn).numbered(T::GroupLicence, n));
    }
    f.push(Field::text(
        "profile.experience_years",
        T::FieldExperienceYears,
    ));
    f.push(codes(
        "profile.experience_fields",
        T::FieldExperienceFields,
        CodeList::ExperienceFields,
        true,
    ));
    f.push(codes(
        "profile.languages",
        T::FieldLanguages,
        CodeList::Languages,
        true,
    ));
    f
}

/// The profile typed into a form with `licences` slots (empty slots are skipped).
pub(super) fn read_profile(form: &Form, r: &mut Reader, licences: usize) -> Profile {
    let trimmed = |key: &str| form.value(key).trim().to_string();
    let mut list = Vec::new();
    for [profession, number, on] in LICENCE_KEYS.iter().take(licences) {
        if [profession, number, on]
            .iter()
            .all(|k| form.value(k).trim().is_empty())
        {
            continue;
        }
        let p = Profession::from_code(&form.value(profession));
        if p.is_none() {
            r.issues
                .push(FieldIssue::new(*profession, Problem::Required));
        }
        let d = r.required_date(form, on);
        if let (Some(profession), Some(licensed_on)) = (p, d) {
            list.push(Licence {
                profession,
                number: form.value(number).trim().to_string(),
                licensed_on,
            });
        }
    }
    // Full-width digits (１５) read as the number they are.
    let years = ouen_shared::normalize::number(&form.value("profile.experience_years"));
    let experience_years = match years.as_str() {
        "" => 0,
        y => y.parse::<u16>().unwrap_or_else(|_| {
            r.issues.push(FieldIssue::new(
                "profile.experience_years",
                Problem::Format {
                    ja: "数字（例: 15）",
                    en: "a number, e.g. 15",
                },
            ));
            0
        }),
    };
    Profile {
        name: trimmed("profile.name"),
        name_kana: trimmed("profile.name_kana"),
        birth_date: r.date(form, "profile.birth_date"),
        email: trimmed("profile.email"),
        phone: trimmed("profile.phone"),
        prefecture_code: form.value("profile.prefecture_code"),
        municipality_code: form.value("profile.municipality_code"),
        street: trimmed("profile.street"),
        licences: list,
        experience_years,
        experience_fields: r.list(
            form,
            "profile.experience_fields",
            ExperienceField::from_code,
        ),
        languages: r.list(form, "profile.languages", Language::from_code),
    }
}

/// The member's own profile, sent whole.
pub(super) fn submission(form: &Form, licences: usize) -> Result<Submit, Vec<FieldIssue>> {
    let mut r = Reader::default();
    let profile = read_profile(form, &mut r, licences);
    let mut body = UpdateProfileRequest { profile };
    body.normalize();
    r.finish_profile(&body)
        .map(|()| Submit::Send(Call::new(UpdateMyProfile(body))))
}

/// The member's profile form, filled in with the record (one empty licence slot to add one).
pub fn profile_form(m: &Member, lang: Lang) -> Form {
    let slots = (m.licences.len() + 1).min(MAX_LICENCES);
    let mut form = Form::new(RosterForm::EditProfile { licences: slots })
        .with_value("profile.name", &m.name)
        .with_value("profile.name_kana", &m.name_kana)
        .with_value(
            "profile.birth_date",
            &m.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        )
        .with_value("profile.email", &m.email)
        .with_value("profile.phone", &m.phone)
        .with_value("profile.street", m.street.as_deref().unwrap_or(""))
        .with_value("profile.experience_years", &m.experience_years.to_string());
    if let Some(p) = ouen_shared::prefecture::prefecture(&m.prefecture_code) {
        form = form.with_pick("profile.prefecture_code", p.code, p.label(lang));
    }
    form = form.with_pick(
        "profile.municipality_code",
        &m.municipality_code,
        &m.municipality_name,
    );
    for (l, [profession, number, on]) in m.licences.iter().zip(LICENCE_KEYS.iter()) {
        form = form
            .with_pick(profession, l.profession.code(), l.profession.label(lang))
            .with_value(number, &l.number)
            .with_value(on, &l.licensed_on.to_string());
    }
    let fields: Vec<&str> = m.experience_fields.iter().map(|f| f.code()).collect();
    if !fields.is_empty() {
        let v = fields.join(",");
        form = form.with_pick(
            "profile.experience_fields",
            &v,
            &CodeList::ExperienceFields.labels(&v, lang),
        );
    }
    let langs: Vec<&str> = m.languages.iter().map(|f| f.code()).collect();
    if !langs.is_empty() {
        let v = langs.join(",");
        form = form.with_pick(
            "profile.languages",
            &v,
            &CodeList::Languages.labels(&v, lang),
        );
    }
    form
}
