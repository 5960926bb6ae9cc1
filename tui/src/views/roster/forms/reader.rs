//! Reading what was typed: dates in the usual spellings, lists of codes, and the problems
//! found on the way, merged with the request's own checks.

use crate::ui::form::Form;
use chrono::NaiveDate;
use ouen_shared::{FieldIssue, Problem, Validate};

/// A date that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadDate;

/// Reads a date as typed, by the rule every client field shares
/// ([`ouen_shared::dates::parse`]): `2026-05-01`, `2026/5/1`, `20260501`, `2026年5月1日`,
/// `R8.5.1`, `令和8年5月1日`, in either width. `Ok(None)` when empty.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, BadDate> {
    ouen_shared::dates::parse(text).map_err(|_| BadDate)
}

const DATE_FORMAT: Problem = Problem::Format {
    ja: "例: 2026-05-01",
    en: "e.g. 2026-05-01",
};

/// Collects the problems of reading the typed values before the request is checked.
#[derive(Default)]
pub(crate) struct Reader {
    pub(crate) issues: Vec<FieldIssue>,
}

impl Reader {
    pub(crate) fn date(&mut self, form: &Form, key: &str) -> Option<NaiveDate> {
        match parse_date(&form.value(key)) {
            Ok(d) => d,
            Err(BadDate) => {
                self.issues.push(FieldIssue::new(key, DATE_FORMAT));
                None
            }
        }
    }

    pub(crate) fn required_date(&mut self, form: &Form, key: &str) -> Option<NaiveDate> {
        let d = self.date(form, key);
        if d.is_none() && !self.issues.iter().any(|i| i.field == key) {
            self.issues.push(FieldIssue::new(key, Problem::Required));
        }
        d
    }

    pub(crate) fn list<T>(
        &mut self,
        form: &Form,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Vec<T> {
        form.value(key)
            .split(',')
            .filter(|c| !c.is_empty())
            .filter_map(|c| {
                let v = parse(c);
                if v.is_none() {
                    self.issues
                        .push(FieldIssue::new(key, Problem::UnknownValue));
                }
                v
            })
            .collect()
    }

    /// The problems found here, then those of the request itself (one per field).
    pub(super) fn finish(mut self, request: &impl Validate) -> Result<(), Vec<FieldIssue>> {
        for i in request.problems() {
            if !self.issues.iter().any(|j| j.field == i.field) {
                self.issues.push(i);
            }
        }
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }

    /// Like `finish`, but a licence slot left half-filled is reported on its own fields, not
    /// as "no licence".
    pub(super) fn finish_profile(mut self, request: &impl Validate) -> Result<(), Vec<FieldIssue>> {
        let half_filled = self
            .issues
            .iter()
            .any(|i| i.field.starts_with("profile.licences["));
        for i in request.problems() {
            let known = self.issues.iter().any(|j| j.field == i.field);
            let covered = half_filled && i.field == "profile.licences";
            // Availability problems of a period not read are already named on its dates.
            let unread = i.field.starts_with("offers[0].availability")
                && self
                    .issues
                    .iter()
                    .any(|j| j.field.starts_with("offers[0].availability"));
            if !known && !covered && !unread {
                self.issues.push(i);
            }
        }
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_spellings() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 1);
        assert_eq!(parse_date("2026-05-01"), Ok(d));
        assert_eq!(parse_date("2026/5/1"), Ok(d));
        assert_eq!(parse_date("20260501"), Ok(d));
        assert_eq!(parse_date("２０２６－０５－０１"), Ok(d));
        assert_eq!(parse_date("  "), Ok(None));
        assert_eq!(parse_date("2026-02-30"), Err(BadDate));
        assert_eq!(parse_date("来週"), Err(BadDate));
        assert_eq!(parse_date("令和8年5月1日"), Ok(d));
        assert_eq!(parse_date("Ｒ８．５．１"), Ok(d));
        assert_eq!(parse_date("2026年5月1日"), Ok(d));
        assert_eq!(parse_date("平成31年5月1日"), Err(BadDate));
    }
}
