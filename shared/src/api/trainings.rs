//! Trainings as written by their organiser: the admin's national ones, a prefecture's own.
//! Every problem is named beside its field, and nothing is saved while any remains.

use crate::dispatch::on_the_minute;
use crate::trainings::{CertificateScheme, CompletionRule, Delivery, HonorariumRule};
use crate::validate::{Checker, Problem};
use crate::{FieldIssue, Lang, Profession, Validate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TRAINING_TITLE_CHARS: usize = 200;
pub const MAX_TRAINING_DESCRIPTION_CHARS: usize = 4000;
pub const MAX_TRAINING_SESSIONS: usize = 50;
pub const MAX_TRAINING_CAPACITY: u32 = 10_000;
pub const MAX_HONORARIUM_YEN: u32 = 1_000_000;
pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_URL_CHARS: usize = 2000;

/// One session of a training: when (to the minute), and where (a place, or the address of
/// the e-learning or the online meeting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingSessionDraft {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// A training as its organiser writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingDraft {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Members of any of these professions are its target.
    pub target_professions: Vec<Profession>,
    /// Years of experience a target member has at least, if any are asked for.
    #[serde(default)]
    pub min_experience_years: Option<u32>,
    pub delivery: Delivery,
    pub sessions: Vec<TrainingSessionDraft>,
    pub capacity: u32,
    pub applications_open: DateTime<Utc>,
    pub applications_close: DateTime<Utc>,
    pub completion: CompletionRule,
    /// The certificate-number scheme, e.g. `R8-東京-{seq:4}` ([`CertificateScheme`]).
    pub certificate_scheme: String,
    pub honorarium: HonorariumRule,
    /// Yen per participant or per session; required unless the rule is `none`.
    #[serde(default)]
    pub honorarium_yen: Option<u32>,
}

/// Whether `url` is an absolute http(s) address.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.chars().any(char::is_whitespace)
    })
}

impl TrainingDraft {
    /// The first session's start, if there is a session.
    pub fn first_start(&self) -> Option<DateTime<Utc>> {
        self.sessions.iter().map(|s| s.starts_at).min()
    }
}

impl Validate for TrainingDraft {
    fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.description = crate::text::normalize_line_breaks(&self.description);
        self.certificate_scheme = self.certificate_scheme.trim().to_string();
        let mut seen = Vec::new();
        self.target_professions.retain(|p| {
            let new = !seen.contains(p);
            seen.push(*p);
            new
        });
        for s in &mut self.sessions {
            s.place = s.place.trim().to_string();
            s.url = s
                .url
                .take()
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty());
        }
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.text("title", &self.title, 1, MAX_TRAINING_TITLE_CHARS);
        check.multiline_text(
            "description",
            &self.description,
            0,
            MAX_TRAINING_DESCRIPTION_CHARS,
        );
        if self.target_professions.is_empty() {
            check.add("target_professions", Problem::Required);
        }
        if self.min_experience_years.is_some_and(|y| y > 60) {
            check.add(
                "min_experience_years",
                Problem::NotAllowed {
                    ja: "経験年数は60年以内にしてください",
                    en: "experience is at most 60 years",
                },
            );
        }
        if self.capacity == 0 {
            check.add(
                "capacity",
                Problem::NotAllowed {
                    ja: "定員は1人以上にしてください",
                    en: "the capacity is at least 1",
                },
            );
        } else if self.capacity > MAX_TRAINING_CAPACITY {
            check.add(
                "capacity",
                Problem::NotAllowed {
                    ja: "定員は10,000人までです",
                    en: "the capacity is at most 10,000",
                },
            );
        }
        if self.sessions.is_empty() {
            check.add("sessions", Problem::Required);
        } else if self.sessions.len() > MAX_TRAINING_SESSIONS {
            check.add(
                "sessions",
                Problem::TooLong {
                    max: MAX_TRAINING_SESSIONS,
                },
            );
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let field = |name: &str| format!("sessions.{i}.{name}");
            if s.ends_at <= s.starts_at {
                check.add(
                    &field("ends_at"),
                    Problem::NotAllowed {
                        ja: "終了は開始より後にしてください",
                        en: "a session ends after it starts",
                    },
                );
            }
            for (name, at) in [("starts_at", s.starts_at), ("ends_at", s.ends_at)] {
                if !on_the_minute(at) {
                    check.add(
                        &field(name),
                        Problem::Format {
                            ja: "時刻は分単位で入力してください",
                            en: "times are to the minute",
                        },
                    );
                }
            }
            check.text(&field("place"), &s.place, 0, MAX_PLACE_CHARS);
            match &s.url {
                Some(url) if !is_web_address(url) || url.chars().count() > MAX_URL_CHARS => {
                    check.add(
                        &field("url"),
                        Problem::Format {
                            ja: "http:// または https:// で始まるアドレスを入力してください",
                            en: "type an address starting http:// or https://",
                        },
                    );
                }
                None if self.delivery != Delivery::OnSite => {
                    check.add(&field("url"), Problem::Required);
                }
                _ => {}
            }
            if self.delivery == Delivery::OnSite && s.place.is_empty() {
                check.add(&field("place"), Problem::Required);
            }
        }
        if self.applications_close <= self.applications_open {
            check.add(
                "applications_close",
                Problem::NotAllowed {
                    ja: "締切は受付開始より後にしてください",
                    en: "applications close after they open",
                },
            );
        } else if self
            .first_start()
            .is_some_and(|first| self.applications_close > first)
        {
            check.add(
                "applications_close",
                Problem::NotAllowed {
                    ja: "申込締切は最初の日程の開始までにしてください",
                    en: "applications close before the first session starts",
                },
            );
        }
        if let Err(problem) = CertificateScheme::parse(&self.certificate_scheme) {
            check.add(
                "certificate_scheme",
                Problem::Format {
                    ja: problem.message(crate::Lang::Ja),
                    en: problem.message(crate::Lang::En),
                },
            );
        }
        match (self.honorarium, self.honorarium_yen) {
            (HonorariumRule::None, _) => {}
            (_, None) => check.add("honorarium_yen", Problem::Required),
            (_, Some(yen)) if yen == 0 || yen > MAX_HONORARIUM_YEN => check.add(
                "honorarium_yen",
                Problem::NotAllowed {
                    ja: "謝金は1円から1,000,000円までです",
                    en: "an honorarium is from 1 to 1,000,000 yen",
                },
            ),
            _ => {}
        }
        check.finish()
    }
}

/// A session of a training as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingSession {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub url: Option<String>,
}

/// A training as its readers see it: what was written, whose it is, where it stands, and how
/// many members were told of it and have applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Training {
    pub id: i64,
    pub kind: crate::trainings::TrainingKind,
    /// The prefecture of a prefecture's own training.
    pub prefecture_code: Option<String>,
    pub organisation_name: String,
    pub title: String,
    pub description: String,
    pub target_professions: Vec<Profession>,
    pub min_experience_years: Option<u32>,
    pub delivery: Delivery,
    pub sessions: Vec<TrainingSession>,
    pub capacity: u32,
    pub applications_open: DateTime<Utc>,
    pub applications_close: DateTime<Utc>,
    pub completion: CompletionRule,
    pub certificate_scheme: String,
    pub honorarium: HonorariumRule,
    pub honorarium_yen: Option<u32>,
    pub status: crate::trainings::TrainingStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// Members told of it.
    pub notified: i64,
    /// Applications by where they stand.
    pub applied: i64,
    pub approved: i64,
    pub waitlisted: i64,
}

/// What publishing (or telling newly targeted members) did: the training, and how many
/// members were told this time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingNotified {
    pub training: Training,
    pub notified: i64,
}

/// The reason a training is called off, told to its applicants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingCancel {
    pub reason: String,
}

impl Validate for TrainingCancel {
    fn normalize(&mut self) {
        self.reason = self.reason.trim().to_string();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.text("reason", &self.reason, 1, 500);
        check.finish()
    }
}

/// Which trainings to list: one status, or all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TrainingListQuery {
    pub status: Option<crate::trainings::TrainingStatus>,
}

/// An application to a training as its organiser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingApplication {
    pub id: i64,
    pub training_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub member_name_kana: String,
    pub professions: Vec<Profession>,
    pub status: crate::trainings::ApplicationStatus,
    /// Why it was rejected, if it was.
    pub reason: Option<String>,
    pub applied_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub certificate_number: Option<String>,
}

/// A training as a member sees it: the training, whether it is one of its targets, and its
/// own application if it made one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTraining {
    pub training: Training,
    /// The member holds a target profession (and the experience asked for).
    pub eligible: bool,
    pub application: Option<MyApplication>,
}

/// The member's own application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyApplication {
    pub id: i64,
    pub status: crate::trainings::ApplicationStatus,
    pub reason: Option<String>,
    pub applied_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub certificate_number: Option<String>,
}

crate::role::labelled_enum! {
    /// What the organiser decides of an application.
    ApplicationDecision {
        Approve = "approve", "受講決定", "Approve";
        Waitlist = "waitlist", "補欠にする", "Waitlist";
        Reject = "reject", "見送り", "Reject";
    }
}

/// A decision, with the reason a rejection needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideApplication {
    pub decision: ApplicationDecision,
    #[serde(default)]
    pub reason: Option<String>,
}

impl Validate for DecideApplication {
    fn normalize(&mut self) {
        self.reason = self
            .reason
            .take()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        match (&self.decision, &self.reason) {
            (ApplicationDecision::Reject, None) => check.add("reason", Problem::Required),
            (_, Some(reason)) => check.text("reason", reason, 1, 500),
            _ => {}
        }
        check.finish()
    }
}

/// The most participants one call marks or completes.
pub const MAX_MARKED: usize = 1000;

fn check_marked(check: &mut Checker, ids: &[i64]) {
    if ids.is_empty() {
        check.add("application_ids", Problem::Required);
    } else if ids.len() > MAX_MARKED {
        check.add("application_ids", Problem::TooLong { max: MAX_MARKED });
    }
}

/// Attendance of one session, for several approved participants at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendanceMarks {
    pub session_id: i64,
    pub application_ids: Vec<i64>,
    pub attended: bool,
}

impl Validate for AttendanceMarks {
    fn normalize(&mut self) {
        self.application_ids.sort_unstable();
        self.application_ids.dedup();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check_marked(&mut check, &self.application_ids);
        check.finish()
    }
}

/// Approved participants who completed the training: each is issued the next certificate
/// number of the training's scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompleteParticipants {
    pub application_ids: Vec<i64>,
}

impl Validate for CompleteParticipants {
    fn normalize(&mut self) {
        self.application_ids.sort_unstable();
        self.application_ids.dedup();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check_marked(&mut check, &self.application_ids);
        check.finish()
    }
}

/// A certificate issued on completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCertificate {
    pub application_id: i64,
    pub member_id: i64,
    pub certificate_number: String,
}

/// What marking participants done did: the certificates issued, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completion {
    pub issued: Vec<IssuedCertificate>,
}

/// A training moved on: applications closed, held, or completed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingStatusChange {
    pub status: crate::trainings::TrainingStatus,
}

impl Validate for TrainingStatusChange {
    fn problems(&self) -> Vec<FieldIssue> {
        Vec::new()
    }
}

/// An honorarium payment (謝金) of a completed participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingPayment {
    pub id: i64,
    pub training_id: i64,
    pub application_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub registration_code: Option<String>,
    pub certificate_number: Option<String>,
    pub amount_yen: i64,
    pub status: crate::trainings::PaymentStatus,
    pub method: Option<crate::trainings::PaymentMethod>,
    pub paid_on: Option<chrono::NaiveDate>,
    pub note: String,
    /// Every change, oldest first.
    pub history: Vec<PaymentChange>,
}

/// A payment as it stood after one change, and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentChange {
    pub at: DateTime<Utc>,
    pub status: crate::trainings::PaymentStatus,
    pub amount_yen: i64,
    pub method: Option<crate::trainings::PaymentMethod>,
    pub paid_on: Option<chrono::NaiveDate>,
    pub note: String,
    pub changed_by: Option<String>,
}

/// The payments of a training with their totals in yen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingPayments {
    pub payments: Vec<TrainingPayment>,
    pub due_yen: i64,
    pub paid_yen: i64,
    pub waived_yen: i64,
}

/// A change to a payment: paid (with the method and day), waived (with a note), or due again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentUpdate {
    pub status: crate::trainings::PaymentStatus,
    #[serde(default)]
    pub amount_yen: Option<u32>,
    #[serde(default)]
    pub method: Option<crate::trainings::PaymentMethod>,
    #[serde(default)]
    pub paid_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub note: String,
}

impl Validate for PaymentUpdate {
    fn normalize(&mut self) {
        self.note = self.note.trim().to_string();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        use crate::trainings::PaymentStatus;
        let mut check = Checker::new();
        check.text("note", &self.note, 0, 500);
        if self
            .amount_yen
            .is_some_and(|y| y > MAX_HONORARIUM_YEN * MAX_TRAINING_SESSIONS as u32)
        {
            check.add("amount_yen", Problem::TooLong { max: 50_000_000 });
        }
        match self.status {
            PaymentStatus::Paid => {
                if self.method.is_none() {
                    check.add("method", Problem::Required);
                }
                if self.paid_on.is_none() {
                    check.add("paid_on", Problem::Required);
                }
            }
            PaymentStatus::Waived if self.note.is_empty() => {
                check.add("note", Problem::Required);
            }
            _ => {}
        }
        check.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        crate::time::jst()
            .with_ymd_and_hms(2027, 1, day, hour, 0, 0)
            .unwrap()
            .to_utc()
    }

    fn draft() -> TrainingDraft {
        TrainingDraft {
            title: "  感染症対応研修（東京都）".into(),
            description: "積極的疫学調査の基礎".into(),
            target_professions: vec![Profession::Nurse, Profession::PublicHealthNurse],
            min_experience_years: None,
            delivery: Delivery::OnSite,
            sessions: vec![TrainingSessionDraft {
                starts_at: at(20, 10),
                ends_at: at(20, 16),
                place: "都庁第一本庁舎".into(),
                url: None,
            }],
            capacity: 30,
            applications_open: at(5, 9),
            applications_close: at(15, 17),
            completion: CompletionRule::AllSessions,
            certificate_scheme: "R8-東京-{seq:4}".into(),
            honorarium: HonorariumRule::PerParticipant,
            honorarium_yen: Some(5000),
        }
    }

    fn fields(d: &TrainingDraft) -> Vec<String> {
        d.problems().into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_good_training_passes_once_normalised() {
        let mut d = draft();
        d.target_professions.push(Profession::Nurse);
        d.normalize();
        assert_eq!(d.title, "感染症対応研修（東京都）");
        assert_eq!(d.target_professions.len(), 2);
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn each_bad_value_is_named_beside_its_field() {
        let mut d = draft();
        d.capacity = 0;
        assert_eq!(fields(&d), ["capacity"]);

        let mut d = draft();
        d.sessions[0].ends_at = at(20, 9);
        assert_eq!(fields(&d), ["sessions.0.ends_at"]);

        let mut d = draft();
        d.applications_close = at(21, 9);
        assert_eq!(
            fields(&d),
            ["applications_close"],
            "after the first session"
        );
        d.applications_close = at(4, 9);
        assert_eq!(fields(&d), ["applications_close"], "before opening");

        let mut d = draft();
        d.delivery = Delivery::ELearning;
        d.sessions[0].url = Some("ftp://example.jp/course".into());
        assert_eq!(fields(&d), ["sessions.0.url"]);
        d.sessions[0].url = Some("javascript:alert(1)".into());
        assert_eq!(fields(&d), ["sessions.0.url"]);
        d.sessions[0].url = None;
        assert_eq!(
            fields(&d),
            ["sessions.0.url"],
            "e-learning needs its address"
        );
        d.sessions[0].url = Some("https://learning.example.jp/iheat".into());
        assert_eq!(fields(&d), Vec::<String>::new());

        let mut d = draft();
        d.sessions[0].place = String::new();
        assert_eq!(fields(&d), ["sessions.0.place"], "on site needs a place");

        let mut d = draft();
        d.certificate_scheme = "R8-東京-0001".into();
        assert_eq!(fields(&d), ["certificate_scheme"], "no sequence");

        let mut d = draft();
        d.target_professions.clear();
        d.honorarium_yen = None;
        assert_eq!(fields(&d), ["target_professions", "honorarium_yen"]);

        let mut d = draft();
        d.honorarium = HonorariumRule::None;
        d.honorarium_yen = None;
        d.sessions.clear();
        assert_eq!(fields(&d), ["sessions"]);
    }

    #[test]
    fn web_addresses_are_absolute_http_or_https() {
        assert!(is_web_address("https://example.jp"));
        assert!(is_web_address("HTTP://example.jp/a?b#c"));
        for bad in [
            "https://",
            "example.jp",
            "https:// example.jp",
            "mailto:a@b.jp",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
