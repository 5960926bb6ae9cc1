//! The roster's forms: the filter panel, decisions that need a reason, notes, and the
//! member's own profile and availability. Fields are named as the API names them, so the
//! server's field errors land under the right field.

use crate::action::{Action, ViewEvent};
use crate::api::Request;
use crate::components::form::{Field, Form, Purpose, Submit};
use crate::components::picker::{CodeList, PickSource};
use crate::i18n::T;
use chrono::NaiveDate;
use ouen_shared::api::{
    Availability, Decision, DecisionRequest, Licence, Member, MemberFilter, OfferRequest, Profile,
    RegistrationRequest, SupportOffer, UpdateMemberNotesRequest, UpdateProfileRequest,
};
use ouen_shared::roster::{ExperienceField, HelpWay, Language};
use ouen_shared::{FieldIssue, Lang, Problem, Profession, Validate};

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
const LICENCE_KEYS: [[&str; 3]; 13] = licence_keys!(0 1 2 3 4 5 6 7 8 9 10 11 12);

/// Period slots of the availability form, named as `OfferRequest` names them.
macro_rules! period_keys {
    ($($i:literal)+) => {
        [$([
            concat!("availability[", $i, "].from"),
            concat!("availability[", $i, "].to"),
            concat!("availability[", $i, "].ways"),
        ],)+]
    };
}
const PERIOD_KEYS: [[&str; 3]; 5] = period_keys!(0 1 2 3 4);

/// The most licence slots the profile form offers (the API allows 13).
pub const MAX_LICENCES: usize = LICENCE_KEYS.len();
/// The most periods the availability form offers.
pub const MAX_PERIODS: usize = PERIOD_KEYS.len();

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
    )
}

fn codes(key: &'static str, label: T, list: CodeList, multi: bool) -> Field {
    Field::pick(key, label, PickSource::Codes { list, multi })
}

/// The title and fields of a roster form.
pub fn fields(purpose: &Purpose) -> (T, Vec<Field>) {
    match purpose {
        Purpose::RosterFilter { prefecture } => (
            T::FilterPanelTitle,
            vec![
                codes("profession", T::ColProfessions, CodeList::Professions, true),
                codes(
                    "prefecture",
                    T::FilterPrefecture,
                    CodeList::Prefectures,
                    true,
                ),
                Field::pick(
                    "municipality",
                    T::FilterMunicipality,
                    PickSource::Municipalities {
                        prefecture: prefecture.clone(),
                        cities_only: false,
                    },
                )
                .with_code(),
                codes("status", T::ColStatus, CodeList::Statuses, true),
                codes(
                    "experience",
                    T::FieldExperienceFields,
                    CodeList::ExperienceFields,
                    true,
                ),
                codes("language", T::FieldLanguages, CodeList::Languages, true),
                Field::date("available_from", T::FilterAvailableFrom),
                Field::date("available_to", T::FilterAvailableTo),
                codes("way", T::FilterWay, CodeList::HelpWays, false),
                Field::text("training", T::FilterTraining),
                Field::date("dispatched_since", T::FilterDispatchedSince),
                Field::pick(
                    "never_dispatched",
                    T::FilterNeverDispatched,
                    PickSource::Cycle(CodeList::YesOnly),
                ),
                Field::pick(
                    "recheck",
                    T::FilterRecheck,
                    PickSource::Cycle(CodeList::YesOnly),
                ),
                Field::pick(
                    "managed",
                    T::FilterManaged,
                    PickSource::Cycle(CodeList::Managed),
                ),
            ],
        ),
        Purpose::Decide { decision, .. } => (
            match decision {
                Decision::Reject => T::RejectTitle,
                Decision::Suspend => T::SuspendTitle,
                _ => T::WithdrawMemberTitle,
            },
            vec![Field::text("reason", T::Reason)],
        ),
        Purpose::EditNotes { .. } => (
            T::EditNotesTitle,
            vec![Field::text("notes", T::SectionNotes)],
        ),
        Purpose::EditProfile { licences } => (T::EditProfileTitle, profile_fields(*licences)),
        Purpose::Register { .. } => {
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
        Purpose::Offer { periods } => {
            let mut f = vec![Field::pick(
                "prefecture_code",
                T::FieldPrefecture,
                PickSource::Prefectures,
            )
            .with_code()];
            for (i, [from, to, ways]) in PERIOD_KEYS.iter().take(*periods).enumerate() {
                let n = i + 1;
                f.push(Field::date(from, T::FieldPeriodFrom).numbered(T::GroupPeriod, n));
                f.push(Field::date(to, T::FieldPeriodTo).numbered(T::GroupPeriod, n));
                f.push(
                    codes(ways, T::FilterWay, CodeList::HelpWays, true).numbered(T::GroupPeriod, n),
                );
            }
            (T::OfferTitle, f)
        }
        _ => (T::Details, Vec::new()),
    }
}

/// A date that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadDate;

/// Where a problem named for a whole list is shown: beside the list's first field.
pub fn nearest_field(field: &str) -> String {
    match field {
        "profile.licences" => LICENCE_KEYS[0][0],
        "offers" | "offers[0].availability" => "offers[0].availability[0].from",
        "availability" => PERIOD_KEYS[0][0],
        other => other,
    }
    .to_string()
}

/// How many licences the registration form offers.
const REGISTER_LICENCES: usize = 2;

/// The profile's fields, named as `Profile::check` names them, with `licences` slots.
fn profile_fields(licences: usize) -> Vec<Field> {
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

/// Reads a date as typed: `2026-05-01`, `2026/5/1`, `20260501`, in either width. `Ok(None)`
/// when empty.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, BadDate> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '／' | '.' | '．' | '－' | '‐' | '−' => '-',
            _ => c,
        })
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&t, "%Y%m%d")
            .map(Some)
            .map_err(|_| BadDate);
    }
    let parts: Vec<u32> = t
        .split('-')
        .map(|p| p.parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| BadDate)?;
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(*y as i32, *m, *d)
            .map(Some)
            .ok_or(BadDate),
        _ => Err(BadDate),
    }
}

const DATE_FORMAT: Problem = Problem::Format {
    ja: "例: 2026-05-01",
    en: "e.g. 2026-05-01",
};

/// Collects the problems of reading the typed values before the request is checked.
#[derive(Default)]
struct Reader {
    issues: Vec<FieldIssue>,
}

impl Reader {
    fn date(&mut self, form: &Form, key: &str) -> Option<NaiveDate> {
        match parse_date(&form.value(key)) {
            Ok(d) => d,
            Err(BadDate) => {
                self.issues.push(FieldIssue::new(key, DATE_FORMAT));
                None
            }
        }
    }

    fn required_date(&mut self, form: &Form, key: &str) -> Option<NaiveDate> {
        let d = self.date(form, key);
        if d.is_none() && !self.issues.iter().any(|i| i.field == key) {
            self.issues.push(FieldIssue::new(key, Problem::Required));
        }
        d
    }

    fn list<T>(&mut self, form: &Form, key: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
        form.value(key)
            .split(',')
            .filter(|c| !c.is_empty())
            .filter_map(|c| {
                let v = parse(c);
                if v.is_none() {
                    self.issues
                        .push(FieldIssue::new(key, Problem::UnknownValue));
                }
                v
            })
            .collect()
    }

    /// The problems found here, then those of the request itself (one per field).
    fn finish(mut self, request: &impl Validate) -> Result<(), Vec<FieldIssue>> {
        for i in request.problems() {
            if !self.issues.iter().any(|j| j.field == i.field) {
                self.issues.push(i);
            }
        }
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }
}

impl Reader {
    /// Like `finish`, but a licence slot left half-filled is reported on its own fields, not
    /// as "no licence".
    fn finish_profile(mut self, request: &impl Validate) -> Result<(), Vec<FieldIssue>> {
        let half_filled = self
            .issues
            .iter()
            .any(|i| i.field.starts_with("profile.licences["));
        for i in request.problems() {
            let known = self.issues.iter().any(|j| j.field == i.field);
            let covered = half_filled && i.field == "profile.licences";
            // Availability problems of a period not read are already named on its dates.
            let unread = i.field.starts_with("offers[0].availability")
                && self
                    .issues
                    .iter()
                    .any(|j| j.field.starts_with("offers[0].availability"));
            if !known && !covered && !unread {
                self.issues.push(i);
            }
        }
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }
}

/// The profile typed into a form with `licences` slots (empty slots are skipped).
fn read_profile(form: &Form, r: &mut Reader, licences: usize) -> Profile {
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
    let years = form.value("profile.experience_years");
    let experience_years = match years.trim() {
        "" => 0,
        y => y.parse::<u16>().unwrap_or_else(|_| {
            r.issues.push(FieldIssue::new(
                "profile.experience_years",
                Problem::Format {
                    ja: "半角数字",
                    en: "digits",
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

/// What a roster form does when submitted; `None` for other forms.
pub fn submission(form: &Form) -> Option<Result<Submit, Vec<FieldIssue>>> {
    let trimmed = |key: &str| form.value(key).trim().to_string();
    Some(match &form.purpose {
        Purpose::RosterFilter { .. } => {
            let mut r = Reader::default();
            let flag = |key: &str| form.optional(key).and_then(|v| v.parse::<bool>().ok());
            let filter = MemberFilter {
                q: None,
                profession: form.optional("profession"),
                prefecture: form.optional("prefecture"),
                municipality: form.optional("municipality"),
                status: form.optional("status"),
                experience: form.optional("experience"),
                language: form.optional("language"),
                available_from: r.date(form, "available_from"),
                available_to: r.date(form, "available_to"),
                way: form.optional("way").and_then(|w| HelpWay::from_code(&w)),
                training: Some(trimmed("training")).filter(|t| !t.is_empty()),
                dispatched_since: r.date(form, "dispatched_since"),
                never_dispatched: flag("never_dispatched"),
                recheck: flag("recheck"),
                managed: flag("managed"),
            };
            if let (Some(from), Some(to)) = (filter.available_from, filter.available_to) {
                if to < from {
                    r.issues.push(FieldIssue::new(
                        "available_to",
                        Problem::NotAllowed {
                            ja: "終了日は開始日以降にしてください。",
                            en: "The end date must not be before the start date.",
                        },
                    ));
                }
            }
            if !r.issues.is_empty() {
                return Some(Err(r.issues));
            }
            Ok(Submit::Local(vec![
                Action::ClosePopup,
                Action::View(ViewEvent::Filter(Box::new(filter))),
            ]))
        }
        Purpose::Decide {
            id,
            prefecture,
            decision,
        } => {
            let body = DecisionRequest {
                decision: *decision,
                reason: Some(trimmed("reason")),
            };
            body.validate().map(|()| {
                Submit::Send(Box::new(Request::Decide {
                    id: *id,
                    prefecture: prefecture.clone(),
                    body,
                }))
            })
        }
        Purpose::EditNotes { id } => {
            let body = UpdateMemberNotesRequest {
                notes: trimmed("notes"),
            };
            body.validate()
                .map(|()| Submit::Send(Box::new(Request::UpdateNotes { id: *id, body })))
        }
        Purpose::EditProfile { licences } => {
            let mut r = Reader::default();
            let profile = read_profile(form, &mut r, *licences);
            let body = UpdateProfileRequest { profile };
            r.finish_profile(&body)
                .map(|()| Submit::Send(Box::new(Request::UpdateProfile(body))))
        }
        Purpose::Register { terms_version, .. } => {
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
            let body = RegistrationRequest {
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
                    terms_version.clone()
                } else {
                    String::new()
                },
            };
            r.finish_profile(&body)
                .map(|()| Submit::Send(Box::new(Request::Register(body))))
        }
        Purpose::Offer { periods } => {
            let mut r = Reader::default();
            let mut availability = Vec::new();
            for [from, to, ways] in PERIOD_KEYS.iter().take(*periods) {
                if [from, to, ways]
                    .iter()
                    .all(|k| form.value(k).trim().is_empty())
                {
                    continue;
                }
                let f = r.required_date(form, from);
                let t = r.required_date(form, to);
                let w = r.list(form, ways, HelpWay::from_code);
                if w.is_empty() {
                    r.issues.push(FieldIssue::new(*ways, Problem::Required));
                }
                if let (Some(from), Some(to)) = (f, t) {
                    availability.push(Availability { from, to, ways: w });
                }
            }
            let prefecture = form.value("prefecture_code");
            if prefecture.is_empty() {
                r.issues
                    .push(FieldIssue::new("prefecture_code", Problem::Required));
            }
            if availability.is_empty()
                && r.issues
                    .iter()
                    .all(|i| !i.field.starts_with("availability"))
            {
                r.issues
                    .push(FieldIssue::new(PERIOD_KEYS[0][0], Problem::Required));
            }
            let body = OfferRequest { availability };
            r.finish(&body)
                .map(|()| Submit::Send(Box::new(Request::SetOffer { prefecture, body })))
        }
        _ => return None,
    })
}

/// The filter panel, filled in with the filter in force.
pub fn filter_form(filter: &MemberFilter, prefecture: Option<String>, lang: Lang) -> Form {
    let mut form = Form::new(Purpose::RosterFilter { prefecture });
    let set_codes = |form: Form, key: &str, value: &Option<String>, list: CodeList| match value {
        Some(v) if !v.is_empty() => form.with_pick(key, v, &list.labels(v, lang)),
        _ => form,
    };
    form = set_codes(
        form,
        "profession",
        &filter.profession,
        CodeList::Professions,
    );
    form = set_codes(
        form,
        "prefecture",
        &filter.prefecture,
        CodeList::Prefectures,
    );
    form = set_codes(form, "status", &filter.status, CodeList::Statuses);
    form = set_codes(
        form,
        "experience",
        &filter.experience,
        CodeList::ExperienceFields,
    );
    form = set_codes(form, "language", &filter.language, CodeList::Languages);
    if let Some(m) = &filter.municipality {
        form = form.with_pick("municipality", m, m);
    }
    if let Some(w) = filter.way {
        form = form.with_pick("way", w.code(), w.label(lang));
    }
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    form = form
        .with_value("available_from", &date(filter.available_from))
        .with_value("available_to", &date(filter.available_to))
        .with_value("dispatched_since", &date(filter.dispatched_since))
        .with_value("training", filter.training.as_deref().unwrap_or(""));
    let flag = |form: Form, key: &str, value: Option<bool>, list: CodeList| match value {
        Some(b) => {
            let code = b.to_string();
            let label = list.labels(&code, lang);
            form.with_pick(key, &code, &label)
        }
        None => form,
    };
    form = flag(
        form,
        "never_dispatched",
        filter.never_dispatched,
        CodeList::YesOnly,
    );
    form = flag(form, "recheck", filter.recheck, CodeList::YesOnly);
    flag(form, "managed", filter.managed, CodeList::Managed)
}

/// The member's profile form, filled in with the record (one empty licence slot to add one).
pub fn profile_form(m: &Member, lang: Lang) -> Form {
    let slots = (m.licences.len() + 1).min(MAX_LICENCES);
    let mut form = Form::new(Purpose::EditProfile { licences: slots })
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

/// The availability form for a prefecture (its periods filled in, and one empty to add one).
pub fn offer_form(prefecture: Option<&str>, current: &[Availability], lang: Lang) -> Form {
    let periods = (current.len() + 1).clamp(2, MAX_PERIODS);
    let mut form = Form::new(Purpose::Offer { periods });
    if let Some(p) = prefecture.and_then(ouen_shared::prefecture::prefecture) {
        form = form.with_pick("prefecture_code", p.code, p.label(lang));
    }
    for (a, [from, to, ways]) in current.iter().zip(PERIOD_KEYS.iter()) {
        let codes: Vec<&str> = a.ways.iter().map(|w| w.code()).collect();
        let v = codes.join(",");
        form = form
            .with_value(from, &a.from.to_string())
            .with_value(to, &a.to.to_string())
            .with_pick(ways, &v, &CodeList::HelpWays.labels(&v, lang));
    }
    if prefecture.is_some() {
        form = form.focus_on(PERIOD_KEYS[0][0]);
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_spellings() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 1);
        assert_eq!(parse_date("2026-05-01"), Ok(d));
        assert_eq!(parse_date("2026/5/1"), Ok(d));
        assert_eq!(parse_date("20260501"), Ok(d));
        assert_eq!(parse_date("２０２６－０５－０１"), Ok(d));
        assert_eq!(parse_date("  "), Ok(None));
        assert_eq!(parse_date("2026-02-30"), Err(BadDate));
        assert_eq!(parse_date("来週"), Err(BadDate));
    }

    #[test]
    fn the_filter_panel_reads_back_what_it_was_given() {
        let filter = MemberFilter {
            profession: Some("nurse,doctor".into()),
            status: Some("applied".into()),
            available_from: NaiveDate::from_ymd_opt(2026, 6, 1),
            never_dispatched: Some(true),
            managed: Some(false),
            training: Some("感染症".into()),
            ..Default::default()
        };
        let form = filter_form(&filter, Some("13".into()), Lang::Ja);
        let Some(Ok(Submit::Local(actions))) = submission(&form) else {
            panic!("a local submission");
        };
        let Some(Action::View(ViewEvent::Filter(read))) = actions.get(1) else {
            panic!("the filter event");
        };
        assert_eq!(**read, filter);
    }

    #[test]
    fn bad_dates_are_named_by_field() {
        let form = Form::new(Purpose::RosterFilter { prefecture: None })
            .with_value("available_from", "2026-13-01")
            .with_value("available_to", "2026-01-01")
            .with_value("dispatched_since", "x");
        let Some(Err(issues)) = submission(&form) else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["available_from", "dispatched_since"]);
    }

    #[test]
    fn a_reason_is_required_for_a_rejection() {
        let form = Form::new(Purpose::Decide {
            id: 1,
            prefecture: "13".into(),
            decision: Decision::Reject,
        });
        let Some(Err(issues)) = submission(&form) else {
            panic!("the reason is missing");
        };
        assert_eq!(issues[0].field, "reason");
        let form = form.with_value("reason", "免許の確認が取れません");
        let Some(Ok(Submit::Send(req))) = submission(&form) else {
            panic!("a request");
        };
        assert!(matches!(*req, Request::Decide { .. }));
    }
}
