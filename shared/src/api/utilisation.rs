//! Utilisation (利活用状況): how the country uses its surge workforce, as tables. Every figure
//! follows the caller's scope exactly: the ministry and the admin see every prefecture, a
//! prefecture only its own, a city only its own requests (and its prefecture's approved
//! members); no figure includes a record the caller could not see.

use crate::validate::{FieldIssue, Problem};
use crate::{MembershipStatus, Profession};
use chrono::NaiveDate;
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
}
