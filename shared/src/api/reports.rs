//! Daily reports (日報): what a member did on a slot it accepted (actual times to the minute,
//! overnight allowed, a break, the duties done with a count each, notes), filed and corrected
//! by the member, approved or returned with a comment by the requester, every version kept.

use crate::dispatch::{on_the_minute, Duty, MAX_SLOT_HOURS};
use crate::role::labelled_enum;
use crate::time::jst;
use crate::validate::{Checker, FieldIssue, Problem, Validate};
use crate::Lang;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The most a report's notes may hold.
pub const MAX_REPORT_NOTES_CHARS: usize = 2000;
/// The most a comment on a report may hold.
pub const MAX_REPORT_COMMENT_CHARS: usize = 1000;

labelled_enum! {
    /// Where a daily report stands.
    ReportStatus {
        /// Filed (or corrected) by the member, waiting for the requester.
        Submitted = "submitted", "提出済", "Submitted";
        /// Sent back with a comment, for the member to correct.
        Returned = "returned", "差戻し", "Returned";
        /// Approved: locked until the approver reopens it.
        Approved = "approved", "承認済", "Approved";
    }
}

/// How many of one duty were done (calls made, people observed, specimens taken …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyCount {
    pub duty: Duty,
    /// Zero or more; a negative count is refused beside its field.
    pub count: i64,
}

/// A daily report as the member writes it, for one accepted seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyReportDraft {
    /// The accepted seat (formal request) the report is about.
    pub assignment_id: i64,
    /// When work actually started and ended (an overnight slot ends the next day).
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub break_minutes: i64,
    /// Duties done, from the request's.
    pub duties: Vec<Duty>,
    #[serde(default)]
    pub counts: Vec<DutyCount>,
    #[serde(default)]
    pub notes: String,
}

/// Minutes worked between `starts_at` and `ends_at`, less the break (never below 0).
pub fn worked_minutes(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, break_minutes: i64) -> i64 {
    ((ends_at - starts_at).num_minutes() - break_minutes).max(0)
}

impl DailyReportDraft {
    /// Minutes worked: the time between start and end, less the break.
    pub fn worked_minutes(&self) -> i64 {
        worked_minutes(self.starts_at, self.ends_at, self.break_minutes)
    }

    /// The problems of its times against `now` and the seat's slot: a report of work not
    /// done yet, or dated (in JST) before the slot's day.
    pub fn timing_problems(
        &self,
        now: DateTime<Utc>,
        slot_starts_at: DateTime<Utc>,
    ) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        let day = |at: DateTime<Utc>| at.with_timezone(&jst()).date_naive();
        if day(self.starts_at) < day(slot_starts_at) {
            check.add(
                "starts_at",
                Problem::NotAllowed {
                    ja: "枠の日より前の日付にはできません",
                    en: "the report cannot be dated before the slot's day",
                },
            );
        }
        if self.ends_at > now {
            check.add(
                "ends_at",
                Problem::NotAllowed {
                    ja: "未来の時刻は報告できません",
                    en: "work not done yet cannot be reported",
                },
            );
        }
        check.finish()
    }
}

impl Validate for DailyReportDraft {
    fn normalize(&mut self) {
        self.notes = crate::text::normalize_line_breaks(self.notes.trim());
        self.duties.sort();
        self.duties.dedup();
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        for (field, at) in [("starts_at", self.starts_at), ("ends_at", self.ends_at)] {
            if !on_the_minute(at) {
                check.add(
                    field,
                    Problem::NotAllowed {
                        ja: "時刻は分単位で入力してください",
                        en: "times are given to the minute",
                    },
                );
            }
        }
        let length = (self.ends_at - self.starts_at).num_minutes();
        if length <= 0 {
            check.add(
                "ends_at",
                Problem::NotAllowed {
                    ja: "終了は開始より後にしてください",
                    en: "the end must be after the start",
                },
            );
        } else if length > MAX_SLOT_HOURS * 60 {
            check.add(
                "ends_at",
                Problem::NotAllowed {
                    ja: "1日の報告は24時間以内にしてください",
                    en: "a day's report covers at most 24 hours",
                },
            );
        }
        if self.break_minutes < 0 {
            check.add(
                "break_minutes",
                Problem::NotAllowed {
                    ja: "休憩は0分以上にしてください",
                    en: "a break cannot be negative",
                },
            );
        } else if length > 0 && self.break_minutes >= length {
            check.add(
                "break_minutes",
                Problem::NotAllowed {
                    ja: "休憩が勤務時間以上になっています",
                    en: "the break is as long as the time worked or longer",
                },
            );
        }
        if self.duties.is_empty() {
            check.add("duties", Problem::Required);
        }
        for (i, c) in self.counts.iter().enumerate() {
            if c.count < 0 {
                check.add(
                    &format!("counts.{i}.count"),
                    Problem::NotAllowed {
                        ja: "件数は0以上にしてください",
                        en: "a count cannot be negative",
                    },
                );
            }
            if !self.duties.contains(&c.duty) || self.counts[..i].iter().any(|d| d.duty == c.duty) {
                check.add(&format!("counts.{i}.duty"), Problem::UnknownValue);
            }
        }
        check.multiline_text("notes", &self.notes, 0, MAX_REPORT_NOTES_CHARS);
        check.finish()
    }
}

/// A comment returning or reopening a report: required, and shown to the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportComment {
    pub comment: String,
}

impl Validate for ReportComment {
    fn normalize(&mut self) {
        self.comment = crate::text::normalize_line_breaks(self.comment.trim());
    }
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.multiline_text("comment", &self.comment, 1, MAX_REPORT_COMMENT_CHARS);
        check.finish()
    }
}

/// One version of a report: what it said and where it stood after a change, who changed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportVersion {
    pub version: i64,
    pub status: ReportStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: i64,
    pub duties: Vec<Duty>,
    pub counts: Vec<DutyCount>,
    pub notes: String,
    /// The comment of a return or a reopening.
    pub comment: Option<String>,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

/// A daily report with where it stands; one read alone also carries its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyReport {
    pub id: i64,
    pub assignment_id: i64,
    pub request_id: i64,
    pub request_title: String,
    pub health_centre_name: String,
    pub member_id: i64,
    pub member_name: String,
    pub slot_starts_at: DateTime<Utc>,
    pub slot_ends_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub break_minutes: i64,
    pub worked_minutes: i64,
    pub duties: Vec<Duty>,
    /// The request's duties, those a correction can choose from.
    #[serde(default)]
    pub request_duties: Vec<Duty>,
    pub counts: Vec<DutyCount>,
    pub notes: String,
    pub status: ReportStatus,
    pub version: i64,
    /// The last return's or reopening's comment.
    pub comment: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Oldest first; only when one report is read.
    #[serde(default)]
    pub versions: Vec<ReportVersion>,
}

/// A seat the member accepted whose slot has ended with no report yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDue {
    pub assignment_id: i64,
    pub request_id: i64,
    pub request_title: String,
    pub health_centre_name: String,
    pub slot_starts_at: DateTime<Utc>,
    pub slot_ends_at: DateTime<Utc>,
    /// The request's duties, to choose from.
    pub duties: Vec<Duty>,
}

/// Filters of the requester's report list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportFilter {
    /// Statuses, e.g. `submitted`.
    pub status: Option<String>,
    /// Only the reports of this request.
    pub request_id: Option<i64>,
}

/// How a request went, from asking to approved reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestTotals {
    pub request_id: i64,
    /// Members asked, those who answered, and those who said yes to at least one slot.
    pub asked: i64,
    pub answered: i64,
    pub available: i64,
    /// Seats of the live slots.
    pub needed: i64,
    /// Seats held (planned, formally requested or accepted), accepted, and declined.
    pub assigned: i64,
    pub accepted: i64,
    pub declined: i64,
    pub reports_filed: i64,
    pub reports_approved: i64,
    /// Accepted seats over seats needed, 0 to 1 (0 when nothing is needed).
    pub fill_rate: f64,
}

/// Days and minutes worked under one heading (a prefecture, a health centre, a duty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkTotal {
    /// A prefecture code, a health centre's name, or a duty code.
    pub key: String,
    pub days: i64,
    pub minutes: i64,
}

/// A member's dispatch history from its approved daily reports: how many requests, days
/// (JST dates worked) and minutes, in all and by prefecture, health centre and duty (a
/// report of two duties counts for each). An operator sees only the requests in its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchHistory {
    pub member_id: i64,
    pub dispatches: i64,
    pub days: i64,
    pub minutes: i64,
    pub by_prefecture: Vec<WorkTotal>,
    pub by_health_centre: Vec<WorkTotal>,
    pub by_duty: Vec<WorkTotal>,
    /// When it last worked on a dispatch, if ever.
    pub last_worked_on: Option<chrono::NaiveDate>,
}

labelled_enum! {
    /// What the honorarium export holds.
    HonorariumSheet {
        /// One row per approved report.
        Reports = "reports", "日報明細", "Reports";
        /// One row per member with its totals, and a grand total.
        Totals = "totals", "集計", "Totals";
    }
}

/// Options of the honorarium export (謝金・経理用): the period, as a JST month or a fiscal
/// year from April, optionally one member; approved reports only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct HonorariumQuery {
    /// A month, e.g. `2026-11`.
    pub month: Option<String>,
    /// A fiscal year: `2026` is 2026-04-01 to 2027-03-31.
    pub fiscal_year: Option<i32>,
    /// Only this member's reports.
    pub member_id: Option<i64>,
    pub sheet: Option<HonorariumSheet>,
    pub encoding: Option<crate::api::CsvEncoding>,
}

impl HonorariumQuery {
    /// The JST days covered, first included and last excluded: exactly one of `month` and
    /// `fiscal_year`, each refused beside its field when it cannot be read.
    pub fn period(&self) -> Result<(NaiveDate, NaiveDate), Vec<FieldIssue>> {
        let one_of = || {
            vec![FieldIssue::new(
                "month",
                Problem::NotAllowed {
                    ja: "月（例 2026-11）か年度（例 2026）のどちらか一つを指定してください",
                    en: "give either a month (e.g. 2026-11) or a fiscal year (e.g. 2026)",
                },
            )]
        };
        match (self.month.as_deref().map(str::trim), self.fiscal_year) {
            (Some(month), None) if !month.is_empty() => {
                let text = crate::normalize::number(month).replace('/', "-");
                let first = text
                    .split_once('-')
                    .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
                    .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1))
                    .filter(|d| (2000..=2100).contains(&d.year()));
                let Some(first) = first else {
                    return Err(vec![FieldIssue::new(
                        "month",
                        Problem::Format {
                            ja: "例: 2026-11",
                            en: "e.g. 2026-11",
                        },
                    )]);
                };
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .ok_or_else(one_of)?;
                Ok((first, next))
            }
            (None, Some(year)) if (2000..=2100).contains(&year) => {
                let first = NaiveDate::from_ymd_opt(year, 4, 1).ok_or_else(one_of)?;
                let next = NaiveDate::from_ymd_opt(year + 1, 4, 1).ok_or_else(one_of)?;
                Ok((first, next))
            }
            (None, Some(_)) => Err(vec![FieldIssue::new(
                "fiscal_year",
                Problem::NotAllowed {
                    ja: "年度は2000〜2100の西暦で指定してください",
                    en: "a fiscal year is a year from 2000 to 2100",
                },
            )]),
            _ => Err(one_of()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_period_is_a_month_or_a_fiscal_year_from_april() {
        let q = |month: Option<&str>, fiscal_year: Option<i32>| HonorariumQuery {
            month: month.map(str::to_string),
            fiscal_year,
            ..HonorariumQuery::default()
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            q(Some("2026-12"), None).period(),
            Ok((day(2026, 12, 1), day(2027, 1, 1)))
        );
        assert_eq!(
            q(Some("２０２６／２"), None).period(),
            Ok((day(2026, 2, 1), day(2026, 3, 1)))
        );
        assert_eq!(
            q(None, Some(2026)).period(),
            Ok((day(2026, 4, 1), day(2027, 4, 1)))
        );
        let field =
            |r: Result<(NaiveDate, NaiveDate), Vec<FieldIssue>>| r.unwrap_err()[0].field.clone();
        assert_eq!(field(q(Some("2026-13"), None).period()), "month");
        assert_eq!(field(q(None, None).period()), "month");
        assert_eq!(field(q(Some("2026-11"), Some(2026)).period()), "month");
        assert_eq!(field(q(None, Some(99999)).period()), "fiscal_year");
    }

    fn draft() -> DailyReportDraft {
        DailyReportDraft {
            assignment_id: 1,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 6, 13, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 6, 21, 30, 0).unwrap(),
            break_minutes: 45,
            duties: vec![Duty::HealthObservation, Duty::ActiveInvestigation],
            counts: vec![DutyCount {
                duty: Duty::HealthObservation,
                count: 32,
            }],
            notes: " 問題なし \r\n".into(),
        }
    }

    #[test]
    fn a_good_report_passes_and_counts_the_minutes_worked() {
        let mut d = draft();
        d.normalize();
        assert_eq!(d.problems(), Vec::new());
        assert_eq!(d.notes, "問題なし");
        assert_eq!(d.worked_minutes(), 8 * 60 + 30 - 45);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut d = draft();
        d.break_minutes = 9 * 60;
        d.counts = vec![
            DutyCount {
                duty: Duty::HealthObservation,
                count: -1,
            },
            DutyCount {
                duty: Duty::SpecimenCollection,
                count: 3,
            },
        ];
        let fields: Vec<String> = d.problems().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["break_minutes", "counts.0.count", "counts.1.duty"]);
        let mut d = draft();
        d.break_minutes = -5;
        d.ends_at = d.starts_at;
        d.duties.clear();
        d.counts.clear();
        let fields: Vec<String> = d.problems().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["ends_at", "break_minutes", "duties"]);
    }

    #[test]
    fn a_report_is_neither_ahead_of_its_slot_day_nor_in_the_future() {
        let d = draft();
        let slot = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 20, 0, 0).unwrap();
        let fields: Vec<String> = d
            .timing_problems(now, slot)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["starts_at", "ends_at"]);
        // 22:00 JST the same day as the slot that starts at 09:00 JST is fine.
        let slot = Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        assert!(d.timing_problems(later, slot).is_empty());
    }
}
