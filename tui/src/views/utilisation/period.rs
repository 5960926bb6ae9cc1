//! The periods the utilisation view steps through with `p`, each with the step its series
//! is cut into, and the lengths of capacity ahead.

use chrono::{Datelike, Days, Months, NaiveDate};
use ouen_shared::api::{Interval, PeriodQuery, SeriesQuery};
use ouen_shared::Lang;

/// A period counted back from today (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The last twelve weeks, from a Monday to today.
    Weeks12,
    ThisMonth,
    LastMonth,
    /// The fiscal year holding today, from April.
    FiscalYear,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Weeks12,
        Period::ThisMonth,
        Period::LastMonth,
        Period::FiscalYear,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Period::Weeks12 => lang.pick("直近12週", "last 12 weeks"),
            Period::ThisMonth => lang.pick("今月", "this month"),
            Period::LastMonth => lang.pick("先月", "last month"),
            Period::FiscalYear => lang.pick("今年度", "this fiscal year"),
        }
    }

    /// The first and last day (both included) of the period, as of `today`.
    pub fn days(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        let month_end = |first: NaiveDate| (first + Months::new(1)).pred_opt().unwrap_or(first);
        match self {
            Period::Weeks12 => (Interval::Week.start_of(today) - Days::new(7 * 11), today),
            Period::ThisMonth => (first_of_month, month_end(first_of_month)),
            Period::LastMonth => {
                let first = first_of_month - Months::new(1);
                (first, month_end(first))
            }
            Period::FiscalYear => {
                let year = if today.month() >= 4 {
                    today.year()
                } else {
                    today.year() - 1
                };
                let first = NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(today);
                let last = NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap_or(today);
                (first, last)
            }
        }
    }

    /// The step its series is cut into: months for the fiscal year, else weeks.
    pub fn interval(self) -> Interval {
        match self {
            Period::FiscalYear => Interval::Month,
            _ => Interval::Week,
        }
    }

    pub fn query(self, today: NaiveDate) -> PeriodQuery {
        let (from, to) = self.days(today);
        PeriodQuery {
            from: Some(from),
            to: Some(to),
        }
    }

    pub fn series(self, today: NaiveDate) -> SeriesQuery {
        let (from, to) = self.days(today);
        SeriesQuery {
            from: Some(from),
            to: Some(to),
            interval: Some(self.interval()),
        }
    }
}

/// The lengths of capacity ahead, in days.
pub const CAPACITY_DAYS: [u32; 2] = [14, 30];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_count_back_from_today() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        // 2026-12-04 is a Friday; twelve weeks back from its Monday.
        let today = d(2026, 12, 4);
        assert_eq!(Period::Weeks12.days(today), (d(2026, 9, 14), today));
        assert_eq!(
            Period::ThisMonth.days(today),
            (d(2026, 12, 1), d(2026, 12, 31))
        );
        assert_eq!(
            Period::LastMonth.days(today),
            (d(2026, 11, 1), d(2026, 11, 30))
        );
        assert_eq!(
            Period::FiscalYear.days(today),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
        assert_eq!(
            Period::FiscalYear.days(d(2027, 2, 1)),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
        assert_eq!(
            Period::LastMonth.days(d(2027, 1, 15)),
            (d(2026, 12, 1), d(2026, 12, 31))
        );
    }
}
