//! Vocabulary of dispatch and shifts (派遣要請・シフト): duties, the life of a request, the
//! states of an assignment, and the time rules every slot obeys.

use crate::role::labelled_enum;
use crate::time::jst;
use crate::Lang;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

labelled_enum! {
    /// A duty a dispatched member does (the catalog of a request).
    Duty {
        ActiveInvestigation = "active_investigation", "積極的疫学調査", "Active epidemiological investigation";
        HealthObservation = "health_observation", "健康観察", "Health observation";
        PhoneConsultation = "phone_consultation", "電話相談", "Phone consultation";
        SpecimenCollection = "specimen_collection", "検体採取", "Specimen collection";
        DataEntry = "data_entry", "入力事務", "Data entry";
        /// Anything else, described in the request's `other_duty` text.
        Other = "other", "その他", "Other";
    }
}

labelled_enum! {
    /// Where a dispatch request stands.
    DispatchStatus {
        /// Being written; nobody has been asked.
        Draft = "draft", "下書き", "Draft";
        /// Sent to members, who answer until the deadline.
        Sent = "sent", "送信済", "Sent";
        /// The operator is building the shifts from the answers.
        Planning = "planning", "シフト作成中", "Planning";
        /// Shifts confirmed: formal requests went to the assigned members.
        Confirmed = "confirmed", "確定", "Confirmed";
        /// Over; kept for the record.
        Closed = "closed", "終了", "Closed";
        /// Called off; everyone asked or assigned was told.
        Cancelled = "cancelled", "中止", "Cancelled";
    }
}

impl DispatchStatus {
    /// Whether the request can still change (slots, text, who is asked).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            DispatchStatus::Draft
                | DispatchStatus::Sent
                | DispatchStatus::Planning
                | DispatchStatus::Confirmed
        )
    }
}

/// The longest a slot may last.
pub const MAX_SLOT_HOURS: i64 = 24;
/// The most slots one request may hold.
pub const MAX_SLOTS: usize = 400;
/// The most people one slot may need.
pub const MAX_SLOT_NEEDED: u32 = 500;
/// The longest title of a request, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest notes of a request or an answer, in characters.
pub const MAX_NOTES_CHARS: usize = 2_000;

/// Parses a time of day typed to the minute, `HH:MM` (full-width digits and colon accepted,
/// `24:00` meaning the end of the day is not: an overnight slot ends on the next day instead).
pub fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let text = crate::normalize::number(text.trim()).replace('：', ":");
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    NaiveTime::from_hms_opt(h, m, 0)
}

/// The instants of a slot on `date` from `start` to `end`, both JST; an end at or before the
/// start is on the next day (22:00–06:00 is overnight). `None` when start and end are equal.
pub fn slot_instants(
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if start == end {
        return None;
    }
    let end_date = if end < start { date.succ_opt()? } else { date };
    let starts = jst().from_local_datetime(&date.and_time(start)).single()?;
    let ends = jst()
        .from_local_datetime(&end_date.and_time(end))
        .single()?;
    Some((starts.with_timezone(&Utc), ends.with_timezone(&Utc)))
}

/// Whether an instant lies on a whole minute (slots and deadlines are typed to the minute).
pub fn on_the_minute(at: DateTime<Utc>) -> bool {
    at.second() == 0 && at.nanosecond() == 0
}

/// How long a slot lasts.
pub fn slot_length(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Duration {
    ends_at - starts_at
}

/// A slot's times as people read them, in JST: `12/03 22:00–06:00` (the end's date is left
/// out; an overnight slot ends the next morning).
pub fn format_slot(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    let s = starts_at.with_timezone(&jst());
    let e = ends_at.with_timezone(&jst());
    format!("{}–{}", s.format("%m/%d %H:%M"), e.format("%H:%M"))
}

/// The label of a list of duties in `lang`, joined with the language's separator.
pub fn duties_label(duties: &[Duty], lang: Lang) -> String {
    let sep = lang.pick("、", ", ");
    duties
        .iter()
        .map(|d| d.label(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The duties of a request as people read them, the text of "other" beside it:
/// `検体採取、その他（相談窓口の受付）`.
pub fn duties_described(duties: &[Duty], other: &str, lang: Lang) -> String {
    let other = other.trim();
    let sep = lang.pick("、", ", ");
    duties
        .iter()
        .map(|d| match d {
            Duty::Other if !other.is_empty() => match lang {
                Lang::Ja => format!("{}（{other}）", d.label(lang)),
                Lang::En => format!("{} ({other})", d.label(lang)),
            },
            _ => d.label(lang).to_string(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_other_stands_beside_it() {
        let duties = [Duty::SpecimenCollection, Duty::Other];
        assert_eq!(
            duties_described(&duties, " 相談窓口の受付 ", Lang::Ja),
            "検体採取、その他（相談窓口の受付）"
        );
        assert_eq!(
            duties_described(&duties, "front desk", Lang::En),
            "Specimen collection, Other (front desk)"
        );
        assert_eq!(duties_described(&duties, "", Lang::Ja), "検体採取、その他");
    }

    #[test]
    fn times_are_typed_to_the_minute_in_either_width() {
        assert_eq!(
            parse_time_of_day("09:30"),
            NaiveTime::from_hms_opt(9, 30, 0)
        );
        assert_eq!(
            parse_time_of_day("２２：００"),
            NaiveTime::from_hms_opt(22, 0, 0)
        );
        assert_eq!(parse_time_of_day("9:05"), NaiveTime::from_hms_opt(9, 5, 0));
        for bad in ["24:00", "9:5", "0930", "", "12:60", "-1:00", "12:00:00"] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_overnight_slot_ends_on_the_next_day() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let (s, e) = slot_instants(
            date,
            NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(s.to_rfc3339(), "2026-12-03T13:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-12-03T21:00:00+00:00");
        assert_eq!(slot_length(s, e), Duration::hours(8));
        assert_eq!(format_slot(s, e), "12/03 22:00–06:00");
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(slot_instants(date, nine, nine), None);
    }
}
