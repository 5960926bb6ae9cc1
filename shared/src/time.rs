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

/// Today's calendar date in Japan.
pub fn today_jst() -> NaiveDate {
    Utc::now().with_timezone(&jst()).date_naive()
}
