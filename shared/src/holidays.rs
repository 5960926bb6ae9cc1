//! Japanese public holidays (国民の祝日), substitute holidays (振替休日) and the in-between
//! citizens' holidays (休日), 1970–2050, from the holiday-jp dataset shipped in
//! `shared/data/holidays.yml` (MIT licence beside it). Dates after the current law are
//! projections: equinox days are fixed by the government only a year ahead.

use chrono::{Datelike, NaiveDate, Weekday};
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/holidays.yml");

fn table() -> &'static [(NaiveDate, &'static str)] {
    static PARSED: OnceLock<Vec<(NaiveDate, &'static str)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let mut days: Vec<(NaiveDate, &'static str)> = TABLE
            .lines()
            .filter_map(|line| {
                let (date, name) = line.split_once(": ")?;
                let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
                Some((date, name.trim()))
            })
            .collect();
        days.sort_by_key(|(date, _)| *date);
        days
    })
}

/// The holiday's name when `date` is a public holiday, e.g. `元日` or `こどもの日 振替休日`.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    let days = table();
    days.binary_search_by_key(&date, |(d, _)| *d)
        .ok()
        .map(|i| days[i].1)
}

/// Whether `date` is a public holiday.
pub fn is_holiday(date: NaiveDate) -> bool {
    holiday_name(date).is_some()
}

/// Whether `date` is a working day (平日): Monday to Friday and not a public holiday.
pub fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_substitutes_and_citizens_holidays_are_known() {
        assert_eq!(holiday_name(day(2026, 1, 1)), Some("元日"));
        assert_eq!(holiday_name(day(2026, 5, 6)), Some("こどもの日 振替休日"));
        assert_eq!(holiday_name(day(2026, 9, 22)), Some("休日"));
        assert_eq!(holiday_name(day(2026, 12, 2)), None);
        assert_eq!(table().len(), 1329);
    }

    #[test]
    fn weekdays_exclude_weekends_and_holidays() {
        assert!(is_weekday(day(2026, 12, 2)));
        assert!(!is_weekday(day(2026, 12, 5)), "a Saturday");
        assert!(!is_weekday(day(2026, 11, 23)), "勤労感謝の日, a Monday");
    }
}
