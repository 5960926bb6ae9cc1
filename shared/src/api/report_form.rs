//! A daily report as people type it, in the client's form or on the page of the reminder
//! e-mail's link: the day, the start and end as `HH:MM` in JST (an end at or before the start
//! is the next day), the break and each duty's count as typed (either width). One reader for
//! both, so the two name the same problems beside the same fields.

use crate::api::{DailyReportDraft, DutyCount};
use crate::dispatch::{parse_time_of_day, slot_instants, Duty};
use crate::validate::{FieldIssue, Problem, Validate};

/// What was typed into a report form.
#[derive(Debug, Clone, Default)]
pub struct TypedReport<'a> {
    pub assignment_id: i64,
    pub date: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub break_minutes: &'a str,
    pub duties: Vec<Duty>,
    /// Per duty of the request, its count as typed (empty: none given).
    pub counts: Vec<(Duty, &'a str)>,
    pub notes: &'a str,
}

/// The form field of a duty's count: `count.<duty code>`.
pub fn count_field(duty: Duty) -> &'static str {
    match duty {
        Duty::ActiveInvestigation => "count.active_investigation",
        Duty::HealthObservation => "count.health_observation",
        Duty::PhoneConsultation => "count.phone_consultation",
        Duty::SpecimenCollection => "count.specimen_collection",
        Duty::DataEntry => "count.data_entry",
        Duty::Other => "count.other",
    }
}

const HH_MM: Problem = Problem::Format {
    ja: "時刻は HH:MM（例 09:00）で入力してください",
    en: "type a time as HH:MM (e.g. 09:00)",
};

const WHOLE_NUMBER: Problem = Problem::Format {
    ja: "0以上の整数で入力してください",
    en: "type a whole number, 0 or more",
};

/// A whole number as typed (either width, `1,200` too); `Ok(None)` when empty.
fn whole_number(text: &str) -> Result<Option<i64>, ()> {
    let digits = crate::normalize::number(text.trim()).replace(',', "");
    if digits.is_empty() {
        return Ok(None);
    }
    digits.parse::<i64>().map(Some).map_err(|_| ())
}

impl TypedReport<'_> {
    /// The report, or every problem found, each named by its form field (`date`, `start`,
    /// `end`, `break_minutes`, `duties`, [`count_field`], `notes`).
    pub fn read(&self) -> Result<DailyReportDraft, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let date = match crate::dates::parse(self.date) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                issues.push(FieldIssue::new("date", Problem::Required));
                None
            }
            Err(_) => {
                issues.push(FieldIssue::new(
                    "date",
                    Problem::Format {
                        ja: "例: 2026-05-01",
                        en: "e.g. 2026-05-01",
                    },
                ));
                None
            }
        };
        let start = parse_time_of_day(self.start.trim());
        let end = parse_time_of_day(self.end.trim());
        if start.is_none() {
            issues.push(FieldIssue::new("start", HH_MM));
        }
        if end.is_none() {
            issues.push(FieldIssue::new("end", HH_MM));
        }
        let break_minutes = match whole_number(self.break_minutes) {
            Ok(m) => m.unwrap_or(0),
            Err(()) => {
                issues.push(FieldIssue::new("break_minutes", WHOLE_NUMBER));
                0
            }
        };
        let mut counts = Vec::new();
        for (duty, typed) in &self.counts {
            match whole_number(typed) {
                Ok(Some(count)) if self.duties.contains(duty) => {
                    counts.push(DutyCount { duty: *duty, count })
                }
                Ok(Some(_)) => issues.push(FieldIssue::new(
                    count_field(*duty),
                    Problem::NotAllowed {
                        ja: "行った業務に選んでいない業務の件数です",
                        en: "a count for a duty not chosen as done",
                    },
                )),
                Ok(None) => {}
                Err(()) => issues.push(FieldIssue::new(count_field(*duty), WHOLE_NUMBER)),
            }
        }
        let times = match (date, start, end) {
            (Some(date), Some(start), Some(end)) => {
                let at = slot_instants(date, start, end);
                if at.is_none() {
                    issues.push(FieldIssue::new(
                        "end",
                        Problem::NotAllowed {
                            ja: "終了は開始と同じ時刻にはできません",
                            en: "the end cannot be the start",
                        },
                    ));
                }
                at
            }
            _ => None,
        };
        let mut draft = DailyReportDraft {
            assignment_id: self.assignment_id,
            starts_at: times.map(|t| t.0).unwrap_or_default(),
            ends_at: times.map(|t| t.1).unwrap_or_default(),
            break_minutes,
            duties: self.duties.clone(),
            counts,
            notes: self.notes.to_string(),
        };
        draft.normalize();
        let own = draft.problems().into_iter().filter_map(|mut issue| {
            issue.field = form_field(&issue.field, &draft.counts)?;
            Some(issue)
        });
        for issue in own {
            // The times' own checks mean nothing when they could not be read.
            let unread = times.is_none() && matches!(issue.field.as_str(), "start" | "end");
            if !unread && !issues.iter().any(|i| i.field == issue.field) {
                issues.push(issue);
            }
        }
        if issues.is_empty() {
            Ok(draft)
        } else {
            Err(issues)
        }
    }
}

/// The form field a problem of a draft (or of the server) belongs to; a count's problem
/// needs the counts sent to say which duty it is about (`None` without them).
pub fn form_field(field: &str, counts: &[DutyCount]) -> Option<String> {
    Some(match field {
        "starts_at" => "start".into(),
        "ends_at" => "end".into(),
        "assignment_id" => "date".into(),
        f if f.starts_with("counts.") => {
            let i: usize = f.split('.').nth(1)?.parse().ok()?;
            count_field(counts.get(i)?.duty).into()
        }
        f => f.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> TypedReport<'static> {
        TypedReport {
            assignment_id: 4,
            date: "２０２６年１２月８日",
            start: "２２：００",
            end: "06:15",
            break_minutes: "６０",
            duties: vec![Duty::HealthObservation, Duty::PhoneConsultation],
            counts: vec![
                (Duty::HealthObservation, "３２"),
                (Duty::PhoneConsultation, ""),
            ],
            notes: " 異常なし ",
        }
    }

    #[test]
    fn full_width_input_reads_as_an_overnight_report() {
        let d = typed().read().expect("read");
        assert_eq!(d.starts_at.to_rfc3339(), "2026-12-08T13:00:00+00:00");
        assert_eq!(d.ends_at.to_rfc3339(), "2026-12-08T21:15:00+00:00");
        assert_eq!(d.break_minutes, 60);
        assert_eq!(
            d.counts,
            vec![DutyCount {
                duty: Duty::HealthObservation,
                count: 32
            }]
        );
        assert_eq!(d.notes, "異常なし");
        assert_eq!(d.worked_minutes(), 8 * 60 + 15 - 60);
    }

    #[test]
    fn every_problem_is_named_by_its_form_field() {
        let mut t = typed();
        t.date = "12月";
        t.start = "25:00";
        t.break_minutes = "一時間";
        t.counts = vec![(Duty::HealthObservation, "-3"), (Duty::DataEntry, "4")];
        let fields: Vec<String> = t.read().unwrap_err().into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                "date",
                "start",
                "break_minutes",
                "count.data_entry",
                "count.health_observation"
            ]
        );
        let mut t = typed();
        t.break_minutes = "600";
        t.duties.clear();
        t.counts.clear();
        let fields: Vec<String> = t.read().unwrap_err().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["break_minutes", "duties"]);
    }
}
