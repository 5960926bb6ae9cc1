//! Japan Standard Time helpers. Japan has no daylight saving, so a fixed +09:00 offset is exact.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The +09:00 offset of Japan Standard Time.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// An instant shown in JST, e.g. `2026-11-21 09:30`.
pub fn format_jst(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The instant a JST calendar day begins (midnight in Japan).
pub fn start_of_jst_day(day: NaiveDate) -> DateTime<Utc> {
    // Midnight exists on every day and +09:00 is fixed: the conversion cannot fail.
    (day.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(9)).and_utc()
}

/// Today's calendar date in Japan.
pub fn today_jst() -> NaiveDate {
    Utc::now().with_timezone(&jst()).date_naive()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_jst_day_begins_at_15_utc_the_day_before() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(
            super::start_of_jst_day(day).to_rfc3339(),
            "2026-10-31T15:00:00+00:00"
        );
    }
}
