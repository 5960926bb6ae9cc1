//! The roster (名簿): registration, members, memberships and their vetting.

use crate::roster::{ExperienceField, HelpWay, Language, MembershipStatus};
use crate::validate::{Checker, Validate};
use crate::{FieldIssue, Problem, Profession};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A licence (免許) held by a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub profession: Profession,
    /// The licence (registration) number as printed on the licence.
    pub number: String,
    /// The date of the licence.
    pub licensed_on: NaiveDate,
}

/// A period in which a member can help, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Availability {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// At least one way of helping.
    pub ways: Vec<HelpWay>,
}

/// A prefecture an applicant offers to support, with when and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupportOffer {
    pub prefecture_code: String,
    /// One or more periods.
    pub availability: Vec<Availability>,
}

/// A person's details, as entered at registration, by a prefecture, or by the member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name in kanji (氏名), e.g. 田中 花子.
    pub name: String,
    /// Name in kana (ふりがな), e.g. たなか はなこ.
    pub name_kana: String,
    pub birth_date: Option<NaiveDate>,
    /// Required at registration; a prefecture's own professional may have none.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Home prefecture code (01–47).
    pub prefecture_code: String,
    /// Home municipality: a real six-digit local-government code.
    pub municipality_code: String,
    /// Street address below the municipality (町名・番地・建物).
    #[serde(default)]
    pub street: String,
    pub licences: Vec<Licence>,
    #[serde(default)]
    pub experience_years: u16,
    #[serde(default)]
    pub experience_fields: Vec<ExperienceField>,
    #[serde(default)]
    pub languages: Vec<Language>,
}

impl Profile {
    /// Writes the identifiers in their canonical form (full width typed with an input method
    /// becomes ASCII; see [`crate::normalize`]).
    pub fn normalize(&mut self) {
        use crate::normalize;
        self.email = normalize::email(&self.email);
        self.phone = normalize::phone(&self.phone);
        self.prefecture_code = normalize::code(&self.prefecture_code);
        self.municipality_code = normalize::code(&self.municipality_code);
        for licence in &mut self.licences {
            licence.number = normalize::licence_number(&licence.number);
        }
    }

    /// Checks the profile; `contact_required` when e-mail and phone must be present.
    pub fn check(&self, c: &mut Checker, prefix: &str, contact_required: bool) {
        let f = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            }
        };
        c.text(&f("name"), &self.name, 1, 100);
        c.text(&f("name_kana"), &self.name_kana, 1, 100);
        if !self.name_kana.trim().is_empty() && !is_kana_name(&self.name_kana) {
            c.add(
                &f("name_kana"),
                Problem::Format {
                    ja: "ひらがな・カタカナで入力",
                    en: "hiragana or katakana",
                },
            );
        }
        match self.birth_date {
            None => c.add(&f("birth_date"), Problem::Required),
            Some(d)
                if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d)
                    || d > crate::time::today_jst() =>
            {
                c.add(
                    &f("birth_date"),
                    Problem::NotAllowed {
                        ja: "1900年以降、今日以前の日付を入力してください。",
                        en: "Use a date from 1900 up to today.",
                    },
                )
            }
            Some(_) => {}
        }
        if contact_required || !self.email.trim().is_empty() {
            c.email(&f("email"), &self.email);
        }
        if contact_required || !self.phone.trim().is_empty() {
            c.phone(&f("phone"), &self.phone);
        }
        c.prefecture(&f("prefecture_code"), &self.prefecture_code);
        c.municipality_code(&f("municipality_code"), &self.municipality_code);
        if !c.has(&f("prefecture_code"))
            && !c.has(&f("municipality_code"))
            && crate::municipality::prefecture_of(&self.municipality_code)
                != Some(self.prefecture_code.as_str())
        {
            c.add(
                &f("municipality_code"),
                Problem::NotAllowed {
                    ja: "都道府県と市区町村が一致しません。",
                    en: "The municipality is not in this prefecture.",
                },
            );
        }
        if contact_required || !self.street.trim().is_empty() {
            c.text(&f("street"), &self.street, 1, 200);
        }
        if self.licences.is_empty() {
            c.add(&f("licences"), Problem::Required);
        } else if self.licences.len() > 13 {
            c.add(
                &f("licences"),
                Problem::NotAllowed {
                    ja: "免許は13件までです。",
                    en: "At most 13 licences.",
                },
            );
        }
        for (i, l) in self.licences.iter().enumerate() {
            let field = f(&format!("licences[{i}]"));
            c.text(&format!("{field}.number"), &l.number, 1, 40);
            if l.licensed_on > crate::time::today_jst() {
                c.add(
                    &format!("{field}.licensed_on"),
                    Problem::NotAllowed {
                        ja: "今日以前の日付を入力してください。",
                        en: "Use a date up to today.",
                    },
                );
            }
            if self.licences[..i]
                .iter()
                .any(|other| other.profession == l.profession)
            {
                c.add(&format!("{field}.profession"), Problem::Taken);
            }
        }
        if self.experience_years > 80 {
            c.add(
                &f("experience_years"),
                Problem::NotAllowed {
                    ja: "0〜80年で入力してください。",
                    en: "Use 0 to 80 years.",
                },
            );
        }
    }
}

/// Whether a name reading is kana (either script, either width), with spaces and the
/// prolonged sound mark allowed.
pub fn is_kana_name(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c,
            '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{FF66}'..='\u{FF9F}'
            | 'ー' | '・' | '･' | ' ' | '\u{3000}' | '゛' | '゜')
    })
}

fn check_availability(c: &mut Checker, field: &str, periods: &[Availability]) {
    if periods.is_empty() {
        c.add(field, Problem::Required);
    }
    for (i, a) in periods.iter().enumerate() {
        if a.to < a.from {
            c.add(
                &format!("{field}[{i}].to"),
                Problem::NotAllowed {
                    ja: "終了日は開始日以降にしてください。",
                    en: "The end date must not be before the start date.",
                },
            );
        }
        if a.ways.is_empty() {
            c.add(&format!("{field}[{i}].ways"), Problem::Required);
        }
    }
}

fn check_offers(c: &mut Checker, offers: &[SupportOffer]) {
    if offers.is_empty() {
        c.add("offers", Problem::Required);
    }
    for (i, offer) in offers.iter().enumerate() {
        let field = format!("offers[{i}]");
        c.prefecture(&format!("{field}.prefecture_code"), &offer.prefecture_code);
        if offers[..i]
            .iter()
            .any(|o| o.prefecture_code == offer.prefecture_code)
        {
            c.add(&format!("{field}.prefecture_code"), Problem::Taken);
        }
        check_availability(c, &format!("{field}.availability"), &offer.availability);
    }
}

/// `POST /api/v1/registrations`: an applicant registers without an account. The e-mail
/// address becomes the login.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistrationRequest {
    pub profile: Profile,
    pub password: String,
    /// The prefectures the applicant offers to support (one or more).
    pub offers: Vec<SupportOffer>,
    /// The version of the member terms of use the applicant accepted (see
    /// `GET /api/v1/registration-terms`).
    pub terms_version: String,
}

impl Validate for RegistrationRequest {
    fn normalize(&mut self) {
        self.profile.normalize();
        for offer in &mut self.offers {
            offer.prefecture_code = crate::normalize::code(&offer.prefecture_code);
        }
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        self.profile.check(&mut c, "profile", true);
        if !c.has("profile.email") {
            c.login("profile.email", &self.profile.email);
        }
        c.password("password", &self.password);
        check_offers(&mut c, &self.offers);
        c.text("terms_version", &self.terms_version, 1, 40);
        c.finish()
    }
}

/// The answer to a registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registered {
    pub member_id: i64,
    /// The login of the new member account (the e-mail address).
    pub login: String,
    pub applied_to: Vec<String>,
}

/// The member terms of use in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationTerms {
    pub version: String,
    /// Where the full text is published.
    pub url: String,
}

/// One step in a membership's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipEvent {
    pub at: DateTime<Utc>,
    pub status: MembershipStatus,
    pub reason: Option<String>,
    /// Who made the change: the account's current login, so `anonymised-<member id>` once that
    /// member is anonymised; absent for steps without an account (generated demo data).
    pub actor_login: Option<String>,
}

/// A member's standing with one prefecture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub prefecture_code: String,
    pub status: MembershipStatus,
    /// Entered by the prefecture itself (a professional it manages), not by application.
    pub managed: bool,
    /// A licence changed since the prefecture last checked this member.
    pub recheck_needed: bool,
    /// The reason of the last rejection, suspension or withdrawal.
    pub reason: Option<String>,
    pub availability: Vec<Availability>,
    pub history: Vec<MembershipEvent>,
    pub updated_at: DateTime<Utc>,
}

/// A training a member completed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingRecord {
    pub title: String,
    pub completed_on: NaiveDate,
    pub certificate_number: Option<String>,
}

/// A member's full record, as the caller may see it. Cities get `birth_date` and `street`
/// as `null` (`private_hidden` is then true).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: i64,
    pub registration_code: Option<String>,
    /// The member account's login; absent for a prefecture's own professional not yet claimed.
    pub login: Option<String>,
    pub name: String,
    pub name_kana: String,
    pub birth_date: Option<NaiveDate>,
    pub email: String,
    pub phone: String,
    pub prefecture_code: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub street: Option<String>,
    pub licences: Vec<Licence>,
    pub experience_years: u16,
    pub experience_fields: Vec<ExperienceField>,
    pub languages: Vec<Language>,
    /// Notes by the prefecture or the operators.
    pub notes: String,
    /// Memberships visible to the caller (a prefecture or city sees its own only).
    pub memberships: Vec<Membership>,
    pub trainings: Vec<TrainingRecord>,
    pub last_dispatch_on: Option<NaiveDate>,
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub anonymised: bool,
    /// Whether the member opted out of bulk mail and newsletters (read-only here).
    #[serde(default)]
    pub mail_opt_out: bool,
    pub private_hidden: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A membership as shown in a list row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipBrief {
    pub prefecture_code: String,
    pub status: MembershipStatus,
    pub managed: bool,
    pub recheck_needed: bool,
}

/// One row of the roster list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSummary {
    pub id: i64,
    pub registration_code: Option<String>,
    pub name: String,
    pub name_kana: String,
    pub professions: Vec<Profession>,
    pub prefecture_code: String,
    pub municipality_code: String,
    pub experience_years: u16,
    /// The year of birth, to tell members of the same name apart; absent for callers who may
    /// not see the date of birth (cities), and when it is not known.
    #[serde(default)]
    pub birth_year: Option<i32>,
    /// Memberships visible to the caller.
    pub memberships: Vec<MembershipBrief>,
    pub last_dispatch_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// Filters of `GET /api/v1/members` and its CSV export. Lists are comma-separated codes and
/// match any of them; different filters must all match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MemberFilter {
    /// Free text over name, kana, registration code and notes (width, kana and old/new
    /// character forms folded).
    pub q: Option<String>,
    /// Professions, e.g. `nurse,public_health_nurse`.
    pub profession: Option<String>,
    /// Prefectures of the membership, e.g. `13,14`.
    pub prefecture: Option<String>,
    /// Home municipality codes.
    pub municipality: Option<String>,
    /// Membership statuses, e.g. `applied`.
    pub status: Option<String>,
    /// Experience fields.
    pub experience: Option<String>,
    /// Languages.
    pub language: Option<String>,
    /// Available on every day of `available_from..=available_to` (one day when only one is given).
    pub available_from: Option<NaiveDate>,
    pub available_to: Option<NaiveDate>,
    /// A way of helping required in that availability.
    pub way: Option<HelpWay>,
    /// Completed a training whose title contains this text.
    pub training: Option<String>,
    /// Dispatched on or after this date.
    pub dispatched_since: Option<NaiveDate>,
    /// `true`: never dispatched.
    pub never_dispatched: Option<bool>,
    /// Only records waiting for a licence re-check.
    pub recheck: Option<bool>,
    /// Only the prefecture's own professionals (`true`) or only applicants (`false`).
    pub managed: Option<bool>,
}

impl MemberFilter {
    /// The query string for this filter (without `?`), for clients.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let mut put = |k: &'static str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                q.push((k, v));
            }
        };
        put("q", self.q.clone());
        put("profession", self.profession.clone());
        put("prefecture", self.prefecture.clone());
        put("municipality", self.municipality.clone());
        put("status", self.status.clone());
        put("experience", self.experience.clone());
        put("language", self.language.clone());
        put("available_from", self.available_from.map(|d| d.to_string()));
        put("available_to", self.available_to.map(|d| d.to_string()));
        put("way", self.way.map(|w| w.code().to_string()));
        put("training", self.training.clone());
        put(
            "dispatched_since",
            self.dispatched_since.map(|d| d.to_string()),
        );
        put(
            "never_dispatched",
            self.never_dispatched.map(|b| b.to_string()),
        );
        put("recheck", self.recheck.map(|b| b.to_string()));
        put("managed", self.managed.map(|b| b.to_string()));
        q
    }
}

/// Splits a comma-separated filter into codes parsed by `parse`; an unknown code is a field
/// issue on `field`.
pub fn parse_code_list<T>(
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, FieldIssue> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| FieldIssue::new(field, Problem::UnknownValue)))
        .collect()
}

/// What a prefecture decides about a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// applied → approved; issues the registration code if the member has none.
    Approve,
    /// applied → rejected (reason required).
    Reject,
    /// approved → suspended (reason required).
    Suspend,
    /// suspended → approved.
    Reinstate,
    /// any → withdrawn, on the member's word (reason required).
    Withdraw,
    /// Clears the licence re-check flag after checking the new licence.
    ConfirmRecheck,
}

impl Decision {
    /// Whether a reason must be given.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Decision::Reject | Decision::Suspend | Decision::Withdraw
        )
    }
}

/// `POST /api/v1/members/{id}/memberships/{prefecture_code}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: Decision,
    #[serde(default)]
    pub reason: Option<String>,
}

impl Validate for DecisionRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        match self.reason.as_deref() {
            Some(r) => c.text("reason", r, usize::from(self.decision.needs_reason()), 500),
            None if self.decision.needs_reason() => c.add("reason", Problem::Required),
            None => {}
        }
        c.finish()
    }
}

/// The answer to a decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionResult {
    pub member: Member,
    /// The registration code issued by this approval (absent when the member already had one).
    pub issued_registration_code: Option<String>,
}

/// `POST /api/v1/members`: a prefecture enters a professional it manages itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMemberRequest {
    pub profile: Profile,
    /// The managing prefecture; a prefecture account may leave it out (its own is used).
    #[serde(default)]
    pub prefecture_code: Option<String>,
    #[serde(default)]
    pub availability: Vec<Availability>,
    #[serde(default)]
    pub notes: String,
}

impl Validate for CreateMemberRequest {
    fn normalize(&mut self) {
        self.profile.normalize();
        if let Some(code) = &mut self.prefecture_code {
            *code = crate::normalize::code(code);
        }
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        self.profile.check(&mut c, "profile", false);
        if let Some(p) = &self.prefecture_code {
            c.prefecture("prefecture_code", p);
        }
        if !self.availability.is_empty() {
            check_availability(&mut c, "availability", &self.availability);
        }
        c.multiline_text("notes", &self.notes, 0, 2000);
        c.finish()
    }
}

/// `PATCH /api/v1/members/{id}`: notes by the prefecture or the operators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberNotesRequest {
    pub notes: String,
}

impl Validate for UpdateMemberNotesRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        c.multiline_text("notes", &self.notes, 0, 2000);
        c.finish()
    }
}

/// `PUT /api/v1/me/member`: a member edits its own profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileRequest {
    pub profile: Profile,
}

impl Validate for UpdateProfileRequest {
    fn normalize(&mut self) {
        self.profile.normalize();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        self.profile.check(&mut c, "profile", true);
        c.finish()
    }
}

/// `PUT /api/v1/me/member/offers/{prefecture_code}`: a member offers (again) to support a
/// prefecture, or changes when and how it can help there.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    pub availability: Vec<Availability>,
}

impl Validate for OfferRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        check_availability(&mut c, "availability", &self.availability);
        c.finish()
    }
}

/// `POST /api/v1/me/member/withdrawal`: leave one prefecture, or the bank when no prefecture
/// is named.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
    #[serde(default)]
    pub prefecture_code: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

impl Validate for WithdrawalRequest {
    fn normalize(&mut self) {
        if let Some(code) = &mut self.prefecture_code {
            *code = crate::normalize::code(code);
        }
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        if let Some(p) = &self.prefecture_code {
            c.prefecture("prefecture_code", p);
        }
        if let Some(r) = &self.reason {
            c.text("reason", r, 0, 500);
        }
        c.finish()
    }
}

/// `PUT /api/v1/me/member/mail-preferences`: opt out of bulk mail and newsletters (`true`) or
/// receive them again (`false`). Dispatch and formal requests and trainings always arrive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MailPreferencesRequest {
    pub mail_opt_out: bool,
}

impl Validate for MailPreferencesRequest {
    fn problems(&self) -> Vec<FieldIssue> {
        Vec::new()
    }
}

/// The answer to `POST /api/v1/members/{id}/invitation`: a one-time token the professional
/// uses to claim a member account. Shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/v1/registrations/claim`: a prefecture's own professional claims an account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub token: String,
    pub email: String,
    pub password: String,
    pub terms_version: String,
}

impl Validate for ClaimRequest {
    fn normalize(&mut self) {
        self.email = crate::normalize::email(&self.email);
        self.token = self.token.trim().to_string();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut c = Checker::new();
        c.text("token", &self.token, 1, 200);
        c.email("email", &self.email);
        if !c.has("email") {
            c.login("email", &self.email);
        }
        c.password("password", &self.password);
        c.text("terms_version", &self.terms_version, 1, 40);
        c.finish()
    }
}

/// The answer to a CSV import.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Records created (0 on a dry run).
    pub created: usize,
    /// Rows checked.
    pub rows: usize,
    pub dry_run: bool,
}

/// Options of `POST /api/v1/members/import`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ImportQuery {
    /// The managing prefecture (required for the admin).
    pub prefecture: Option<String>,
    /// Check every row without saving anything.
    pub dry_run: Option<bool>,
}

/// The character encoding of a CSV export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark, which current Excel opens correctly.
    #[default]
    Utf8,
    /// CP932 (Shift_JIS) for older Excel.
    Cp932,
}

/// Options of `GET /api/v1/members/export`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ExportQuery {
    pub encoding: Option<CsvEncoding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        Profile {
            name: "田中 花子".into(),
            name_kana: "たなか はなこ".into(),
            birth_date: NaiveDate::from_ymd_opt(1980, 4, 1),
            email: "hanako@example.jp".into(),
            phone: "03-1234-5678".into(),
            prefecture_code: "13".into(),
            municipality_code: "131016".into(),
            street: "千代田1-1".into(),
            licences: vec![Licence {
                profession: Profession::Nurse,
                number: "123456".into(),
                licensed_on: NaiveDate::from_ymd_opt(2002, 5, 1).unwrap(),
            }],
            experience_years: 20,
            experience_fields: vec![ExperienceField::Icu],
            languages: vec![Language::Japanese],
        }
    }

    fn registration() -> RegistrationRequest {
        RegistrationRequest {
            profile: profile(),
            password: "Passw0rd-test".into(),
            offers: vec![SupportOffer {
                prefecture_code: "13".into(),
                availability: vec![Availability {
                    from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                    ways: vec![HelpWay::OnSite],
                }],
            }],
            terms_version: "2026-04".into(),
        }
    }

    fn fields(r: &impl Validate) -> Vec<String> {
        r.problems().into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_complete_registration_is_valid() {
        assert_eq!(fields(&registration()), Vec::<String>::new());
    }

    #[test]
    fn problems_name_nested_fields() {
        let mut r = registration();
        r.profile.name_kana = "Tanaka".into();
        r.profile.municipality_code = "271004".into(); // 大阪市, not in 東京都
        r.profile.licences[0].number = String::new();
        r.offers.push(r.offers[0].clone());
        r.offers[0].availability[0].ways.clear();
        assert_eq!(
            fields(&r),
            vec![
                "profile.name_kana",
                "profile.municipality_code",
                "profile.licences[0].number",
                "offers[0].availability[0].ways",
                "offers[1].prefecture_code",
            ]
        );
    }

    #[test]
    fn kana_in_any_script_and_width() {
        assert!(is_kana_name("たなか はなこ"));
        assert!(is_kana_name("タナカ　ハナコ"));
        assert!(is_kana_name("ﾀﾅｶ ﾊﾅｺ"));
        assert!(!is_kana_name("田中"));
    }

    #[test]
    fn reasons_are_required_for_refusals() {
        let r = DecisionRequest {
            decision: Decision::Reject,
            reason: Some("  ".into()),
        };
        assert_eq!(fields(&r), vec!["reason"]);
        let r = DecisionRequest {
            decision: Decision::Approve,
            reason: None,
        };
        assert!(fields(&r).is_empty());
    }

    #[test]
    fn code_lists_parse_or_name_the_field() {
        let list = parse_code_list("profession", Some("nurse, doctor"), Profession::from_code);
        assert_eq!(list, Ok(vec![Profession::Nurse, Profession::Doctor]));
        let bad = parse_code_list("profession", Some("nurse,wizard"), Profession::from_code);
        assert_eq!(bad.unwrap_err().field, "profession");
    }
}
