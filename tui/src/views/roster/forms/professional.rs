//! A prefecture's own professional, entered by the prefecture (or by the admin for one): the
//! profile, one optional period of availability, and notes. No account, no password: the
//! server issues the registration code and the professional may claim an account later.

use super::availability::{read_periods, PERIOD_KEYS};
use super::codes;
use super::profile::{profile_fields, read_profile};
use super::reader::Reader;
use super::RosterForm;
use crate::app::net::Call;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use crate::ui::picker::{CodeList, PickSource};
use ouen_shared::api::CreateMemberRequest;
use ouen_shared::endpoints::CreateMember;
use ouen_shared::Validate as _;
use ouen_shared::{FieldIssue, Lang, Problem};

/// How many licences the form offers.
const LICENCES: usize = 2;

/// The managing prefecture (the admin only), the profile, a period and the notes.
pub(super) fn fields(managing: Option<&str>) -> (T, Vec<Field>) {
    let mut f = Vec::new();
    if managing.is_none() {
        f.push(
            Field::pick(
                "prefecture_code",
                T::FieldManagingPrefecture,
                PickSource::Prefectures,
            )
            .with_code(),
        );
    }
    f.extend(profile_fields(LICENCES));
    let [from, to, ways] = PERIOD_KEYS[0];
    f.push(Field::date(from, T::FilterAvailableFrom));
    f.push(Field::date(to, T::FilterAvailableTo));
    f.push(codes(ways, T::FilterWay, CodeList::HelpWays, true));
    f.push(Field::text("notes", T::SectionNotes));
    (T::NewProfessionalTitle, f)
}

/// The request; a prefecture account leaves the managing prefecture out (its own is used).
pub(super) fn submission(form: &Form, managing: Option<&str>) -> Result<Submit, Vec<FieldIssue>> {
    let mut r = Reader::default();
    let profile = read_profile(form, &mut r, LICENCES);
    let availability = read_periods(form, &mut r, 1);
    let prefecture_code = match managing {
        Some(_) => None,
        None => {
            let p = form.optional("prefecture_code");
            if p.is_none() {
                r.issues
                    .push(FieldIssue::new("prefecture_code", Problem::Required));
            }
            p
        }
    };
    let mut body = CreateMemberRequest {
        profile,
        prefecture_code,
        availability,
        notes: form.value("notes").trim().to_string(),
    };
    body.normalize();
    r.finish_profile(&body)
        .map(|()| Submit::Send(Call::new(CreateMember(body))))
}

/// The empty form; a prefecture's own prefecture is the home prefecture to start from.
pub fn professional_form(managing: Option<String>, lang: Lang) -> Form {
    let own = managing
        .as_deref()
        .and_then(ouen_shared::prefecture::prefecture);
    let mut form = Form::new(RosterForm::NewProfessional { managing })
        .with_note(T::NewProfessionalNote.get(lang));
    if let Some(p) = own {
        form = form
            .with_pick("profile.prefecture_code", p.code, p.label(lang))
            .with_subject(p.label(lang));
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ouen_shared::roster::{HelpWay, Language};
    use ouen_shared::Profession;

    fn filled(form: Form) -> Form {
        let mut form = form
            .with_value("profile.name", " 比嘉 翔 ")
            .with_value("profile.name_kana", "ひが しょう")
            .with_value("profile.birth_date", "1985/7/20")
            .with_value("profile.street", "")
            .with_value("profile.licences[0].number", "PHN-4412")
            .with_value("profile.licences[0].licensed_on", "20080401")
            .with_value("profile.experience_years", "15")
            .with_value("notes", "  夜間可 ");
        for (key, value, label) in [
            ("profile.prefecture_code", "13", "東京都"),
            ("profile.municipality_code", "132012", "八王子市"),
            (
                "profile.licences[0].profession",
                "public_health_nurse",
                "保健師",
            ),
            ("profile.languages", "ja,en", "日本語、英語"),
        ] {
            form = form.with_pick(key, value, label);
        }
        form
    }

    fn request(form: &Form) -> CreateMemberRequest {
        match form.submission() {
            Ok(Submit::Send(call)) => match call.get::<CreateMember>() {
                Some(c) => c.0.clone(),
                None => panic!("a new member"),
            },
            Err(issues) => panic!("problems: {issues:?}"),
            _ => panic!("a request"),
        }
    }

    #[test]
    fn a_prefecture_s_professional_is_its_own() {
        let form = filled(professional_form(Some("13".into()), Lang::Ja));
        let body = request(&form);
        assert_eq!(
            body.prefecture_code, None,
            "the server uses the caller's own"
        );
        assert_eq!(body.profile.name, "比嘉 翔");
        assert_eq!(
            body.profile.birth_date,
            NaiveDate::from_ymd_opt(1985, 7, 20)
        );
        assert_eq!(
            (body.profile.email.as_str(), body.profile.phone.as_str()),
            ("", "")
        );
        assert_eq!(body.profile.municipality_code, "132012");
        assert_eq!(body.profile.licences.len(), 1);
        assert_eq!(
            body.profile.licences[0].profession,
            Profession::PublicHealthNurse
        );
        assert_eq!(
            body.profile.languages,
            vec![Language::Japanese, Language::English]
        );
        assert_eq!(body.profile.experience_years, 15);
        assert!(body.availability.is_empty(), "no period typed: none sent");
        assert_eq!(body.notes, "夜間可");
    }

    #[test]
    fn the_admin_names_the_managing_prefecture() {
        let form = filled(professional_form(None, Lang::Ja));
        let Err(issues) = form.submission() else {
            panic!("the managing prefecture is missing");
        };
        assert_eq!(
            issues.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(),
            vec!["prefecture_code"]
        );
        let form = form
            .with_pick("prefecture_code", "47", "沖縄県")
            .with_value("availability[0].from", "2026-06-01")
            .with_value("availability[0].to", "2026-09-30")
            .with_pick("availability[0].ways", "on_site,remote", "現地派遣、在宅");
        let body = request(&form);
        assert_eq!(body.prefecture_code.as_deref(), Some("47"));
        assert_eq!(body.availability.len(), 1);
        assert_eq!(
            body.availability[0].ways,
            vec![HelpWay::OnSite, HelpWay::Remote]
        );
    }

    #[test]
    fn a_half_typed_period_is_named_on_its_fields() {
        let form = filled(professional_form(Some("13".into()), Lang::Ja))
            .with_value("availability[0].from", "2026-06-01");
        let Err(issues) = form.submission() else {
            panic!("the period is incomplete");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["availability[0].to", "availability[0].ways"]);
    }
}
