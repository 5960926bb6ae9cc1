//! Utilisation (利活用状況): how the country uses its surge workforce, as tables. Every figure
//! follows the caller's scope exactly: the ministry and the admin see every prefecture, a
//! prefecture only its own, a city only its own requests (and its prefecture's approved
//! members); no figure includes a record the caller could not see.

use crate::role::labelled_enum;
use crate::validate::{FieldIssue, Problem};
use crate::{HelpWay, Lang, MembershipStatus, Profession};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period one table covers, in days.
pub const MAX_PERIOD_DAYS: i64 = 731;

/// The period of a utilisation table: JST days `from` to `to`, both included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PeriodQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl PeriodQuery {
    /// The days covered, first included and last excluded; both ends are required and the
    /// period at most [`MAX_PERIOD_DAYS`].
    pub fn days(&self) -> Result<(NaiveDate, NaiveDate), Vec<FieldIssue>> {
        let mut issues = Vec::new();
        if self.from.is_none() {
            issues.push(FieldIssue::new("from", Problem::Required));
        }
        if self.to.is_none() {
            issues.push(FieldIssue::new("to", Problem::Required));
        }
        let (Some(from), Some(to)) = (self.from, self.to) else {
            return Err(issues);
        };
        let length = (to - from).num_days() + 1;
        if length < 1 {
            return Err(vec![FieldIssue::new(
                "to",
                Problem::NotAllowed {
                    ja: "終了日は開始日以降にしてください",
                    en: "the last day must not be before the first",
                },
            )]);
        }
        if length > MAX_PERIOD_DAYS {
            return Err(vec![FieldIssue::new(
                "to",
                Problem::NotAllowed {
                    ja: "期間は2年以内にしてください",
                    en: "a period covers at most two years",
                },
            )]);
        }
        let next = to
            .succ_opt()
            .ok_or_else(|| vec![FieldIssue::new("to", Problem::UnknownValue)])?;
        Ok((from, next))
    }
}

/// Members of one prefecture, profession and membership status (a member with two
/// professions counts once under each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberCount {
    pub prefecture_code: String,
    pub profession: Profession,
    pub status: MembershipStatus,
    pub members: i64,
}

/// How one prefecture's requests went in a period: requests with a slot in it, the members
/// asked and those who answered, the seats needed, held and accepted, and the days and
/// minutes of the approved reports worked in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchUtilisation {
    pub prefecture_code: String,
    pub requests: i64,
    pub asked: i64,
    pub answered: i64,
    pub seats_needed: i64,
    pub seats_assigned: i64,
    pub seats_accepted: i64,
    /// Member-days (one member on one JST day) and minutes of approved reports.
    pub days_worked: i64,
    pub minutes_worked: i64,
}

labelled_enum! {
    /// The length of one step of a series.
    Interval {
        /// Weeks from Monday (JST).
        Week = "week", "週", "Week";
        /// Calendar months.
        Month = "month", "月", "Month";
    }
}

impl Interval {
    /// The first day of the step holding `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Interval::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Interval::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the step after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Interval::Week => start + Days::new(7),
            Interval::Month => start + Months::new(1),
        }
    }

    /// The steps covering the days `first` (included) to `next` (excluded), each clipped to
    /// them: `(first day, day after the last)`.
    pub fn steps(self, first: NaiveDate, next: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut steps = Vec::new();
        let mut start = self.start_of(first);
        while start < next {
            let end = self.next(start);
            steps.push((start.max(first), end.min(next)));
            start = end;
        }
        steps
    }
}

/// The period and step of a series.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SeriesQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `week` (the default) or `month`.
    pub interval: Option<Interval>,
}

impl SeriesQuery {
    /// The period as a [`PeriodQuery`].
    pub fn period(&self) -> PeriodQuery {
        PeriodQuery {
            from: self.from,
            to: self.to,
        }
    }
}

/// One step of the series: what happened from `starts_on` to `ends_on` (both included; the
/// first and last steps are clipped to the period asked for). Trainings join these figures
/// once they are recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UtilisationStep {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Memberships registered, and approvals decided.
    pub registrations: i64,
    pub approvals: i64,
    /// Requests sent, members asked, and those of them who have answered.
    pub requests_sent: i64,
    pub asked: i64,
    pub answered: i64,
    /// The median minutes from being asked to answering, of those asked in the step who have
    /// answered; none when nobody has.
    pub median_answer_minutes: Option<i64>,
    /// Seats of the live slots starting in the step: needed, held and accepted.
    pub seats_needed: i64,
    pub seats_assigned: i64,
    pub seats_accepted: i64,
    /// Member-days and minutes of the approved reports worked in the step.
    pub days_worked: i64,
    pub minutes_worked: i64,
}

impl UtilisationStep {
    /// A step with nothing counted yet.
    pub fn empty(starts_on: NaiveDate, ends_on: NaiveDate) -> UtilisationStep {
        UtilisationStep {
            starts_on,
            ends_on,
            registrations: 0,
            approvals: 0,
            requests_sent: 0,
            asked: 0,
            answered: 0,
            median_answer_minutes: None,
            seats_needed: 0,
            seats_assigned: 0,
            seats_accepted: 0,
            days_worked: 0,
            minutes_worked: 0,
        }
    }
}

/// The most days capacity ahead covers, and the default.
pub const MAX_CAPACITY_DAYS: u32 = 60;
pub const DEFAULT_CAPACITY_DAYS: u32 = 14;

/// The days of a capacity table: `days` days from `from` (today in JST when absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CapacityQuery {
    pub from: Option<NaiveDate>,
    /// 1 to 60; 14 when absent.
    pub days: Option<u32>,
}

impl CapacityQuery {
    /// The first day and the number of days, `today` standing in for a missing first day.
    pub fn window(&self, today: NaiveDate) -> Result<(NaiveDate, u32), Vec<FieldIssue>> {
        let days = self.days.unwrap_or(DEFAULT_CAPACITY_DAYS);
        if !(1..=MAX_CAPACITY_DAYS).contains(&days) {
            return Err(vec![FieldIssue::new(
                "days",
                Problem::NotAllowed {
                    ja: "日数は1から60までにしてください",
                    en: "days must be from 1 to 60",
                },
            )]);
        }
        let from = self.from.unwrap_or(today);
        if from.checked_add_days(Days::new(u64::from(days))).is_none() {
            return Err(vec![FieldIssue::new("from", Problem::UnknownValue)]);
        }
        Ok((from, days))
    }
}

/// The capacity ahead of one prefecture, profession and way of helping: for each day from
/// the table's first, the approved members available (by their availability periods, or for
/// on-site help an answer that they can take a slot that day), those of them already
/// assigned that day, and the difference. A member with two professions counts under each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityRow {
    pub prefecture_code: String,
    pub profession: Profession,
    pub way: HelpWay,
    pub available: Vec<i64>,
    pub assigned: Vec<i64>,
    pub free: Vec<i64>,
}

/// Capacity ahead: the days covered and a row per prefecture, profession and way of helping
/// with anyone available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityAhead {
    pub from: NaiveDate,
    pub days: u32,
    pub rows: Vec<CapacityRow>,
}

impl CapacityAhead {
    /// The date of day `index` of the table.
    pub fn day(&self, index: usize) -> NaiveDate {
        self.from + Days::new(index as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_has_both_ends_in_order_and_at_most_two_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let q = |from, to| PeriodQuery { from, to };
        assert_eq!(
            q(d(2026, 11, 1), d(2026, 11, 30)).days(),
            Ok((d(2026, 11, 1).unwrap(), d(2026, 12, 1).unwrap()))
        );
        let fields = |r: Result<(NaiveDate, NaiveDate), Vec<FieldIssue>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|i| i.field).collect()
        };
        assert_eq!(fields(q(None, None).days()), ["from", "to"]);
        assert_eq!(fields(q(d(2026, 11, 2), d(2026, 11, 1)).days()), ["to"]);
        assert_eq!(fields(q(d(2024, 1, 1), d(2026, 11, 1)).days()), ["to"]);
    }

    #[test]
    fn steps_start_on_mondays_or_the_first_and_are_clipped_to_the_period() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        // 2026-12-02 is a Wednesday.
        assert_eq!(
            Interval::Week.steps(d(2026, 12, 2), d(2026, 12, 15)),
            [
                (d(2026, 12, 2), d(2026, 12, 7)),
                (d(2026, 12, 7), d(2026, 12, 14)),
                (d(2026, 12, 14), d(2026, 12, 15)),
            ]
        );
        assert_eq!(
            Interval::Month.steps(d(2026, 11, 20), d(2027, 1, 2)),
            [
                (d(2026, 11, 20), d(2026, 12, 1)),
                (d(2026, 12, 1), d(2027, 1, 1)),
                (d(2027, 1, 1), d(2027, 1, 2)),
            ]
        );
    }

    #[test]
    fn capacity_covers_one_to_sixty_days_from_today_unless_told() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let q = |from, days| CapacityQuery { from, days };
        assert_eq!(q(None, None).window(today), Ok((today, 14)));
        assert_eq!(q(None, Some(30)).window(today), Ok((today, 30)));
        for days in [0, 61] {
            let issues = q(None, Some(days)).window(today).unwrap_err();
            assert_eq!(issues[0].field, "days");
        }
        assert!(q(Some(NaiveDate::MAX), None).window(today).is_err());
    }
}
