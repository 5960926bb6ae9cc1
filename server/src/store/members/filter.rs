//! Turns a [`MemberFilter`] and the caller's scope into SQL conditions on `members m`.

use crate::error::ApiError;
use crate::scope::RosterScope;
use crate::store::sql::Sql;
use crate::store::BackendKind;
use chrono::NaiveDate;
use ouen_shared::api::{parse_code_list, MemberFilter};
use ouen_shared::roster::normalize_code_input;
use ouen_shared::text::{escape_like, fold};
use ouen_shared::{
    ExperienceField, FieldIssue, HelpWay, Language, MembershipStatus, Problem, Profession,
};

/// The sort columns a roster list allows, the first being the default.
pub const SORTS: &[&str] = &[
    "kana",
    "name",
    "code",
    "experience",
    "updated_at",
    "last_dispatch",
];

/// The `ORDER BY` expression for a sort column (nulls last either way, id as tie-breaker).
pub fn order_by(sort: &str, order: &str) -> String {
    match sort {
        "name" => format!("m.name {order}, m.id {order}"),
        "code" => {
            format!("(m.registration_code IS NULL), m.registration_code {order}, m.id {order}")
        }
        "experience" => format!("m.experience_years {order}, m.id {order}"),
        "updated_at" => format!("m.updated_at {order}, m.id {order}"),
        "last_dispatch" => {
            format!("(m.last_dispatch_on IS NULL), m.last_dispatch_on {order}, m.id {order}")
        }
        _ => format!("m.kana_fold {order}, m.id {order}"),
    }
}

/// The free-text terms of a query: split on spaces (each must match), then folded; a term
/// written like a registration code (digits and hyphens) is reduced to its digits.
pub fn search_terms(q: &str) -> Vec<String> {
    q.split_whitespace()
        .map(fold)
        .filter(|term| !term.is_empty())
        .map(|term| match normalize_code_input(&term) {
            Some(digits)
                if !digits.is_empty() && term.chars().any(ouen_shared::normalize::is_dash) =>
            {
                digits
            }
            _ => term,
        })
        .collect()
}

/// A filter's codes, checked.
struct Parsed<'a> {
    filter: &'a MemberFilter,
    terms: Vec<String>,
    professions: Vec<String>,
    prefectures: Vec<String>,
    municipalities: Vec<String>,
    statuses: Vec<String>,
    experience: Vec<String>,
    languages: Vec<String>,
    available: Option<(NaiveDate, NaiveDate)>,
}

impl<'a> Parsed<'a> {
    /// Checks the filter; unknown codes are field issues.
    fn of(filter: &'a MemberFilter) -> Result<Self, ApiError> {
        let mut issues: Vec<FieldIssue> = Vec::new();
        let mut take = |r: Result<Vec<String>, FieldIssue>| match r {
            Ok(v) => v,
            Err(issue) => {
                issues.push(issue);
                Vec::new()
            }
        };
        let professions = take(parse_code_list(
            "profession",
            filter.profession.as_deref(),
            |c| Profession::from_code(c).map(|p| p.code().to_string()),
        ));
        let prefectures = take(parse_code_list(
            "prefecture",
            filter.prefecture.as_deref(),
            |c| ouen_shared::prefecture::prefecture(c).map(|p| p.code.to_string()),
        ));
        let municipalities = take(parse_code_list(
            "municipality",
            filter.municipality.as_deref(),
            |c| (c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())).then(|| c.to_string()),
        ));
        let statuses = take(parse_code_list("status", filter.status.as_deref(), |c| {
            MembershipStatus::from_code(c).map(|s| s.code().to_string())
        }));
        let experience = take(parse_code_list(
            "experience",
            filter.experience.as_deref(),
            |c| ExperienceField::from_code(c).map(|s| s.code().to_string()),
        ));
        let languages = take(parse_code_list(
            "language",
            filter.language.as_deref(),
            |c| Language::from_code(c).map(|s| s.code().to_string()),
        ));
        let available = match (filter.available_from, filter.available_to) {
            (Some(from), Some(to)) if to < from => {
                issues.push(FieldIssue::new(
                    "available_to",
                    Problem::NotAllowed {
                        ja: "終了日は開始日以降にしてください。",
                        en: "The end date must not be before the start date.",
                    },
                ));
                None
            }
            (Some(from), Some(to)) => Some((from, to)),
            (Some(day), None) | (None, Some(day)) => Some((day, day)),
            (None, None) => None,
        };
        if filter.way.is_some() && available.is_none() {
            issues.push(FieldIssue::new("available_from", Problem::Required));
        }
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        Ok(Parsed {
            filter,
            terms: filter.q.as_deref().map(search_terms).unwrap_or_default(),
            professions,
            prefectures,
            municipalities,
            statuses,
            experience,
            languages,
            available,
        })
    }

    /// Whether a membership condition applies: the caller's scope, prefecture, status, flags
    /// and availability all hold for the same membership row.
    fn on_membership(&self) -> bool {
        !self.prefectures.is_empty()
            || !self.statuses.is_empty()
            || self.filter.recheck.is_some()
            || self.filter.managed.is_some()
            || self.available.is_some()
    }

    /// Appends the conditions on membership alias `ms` (each starting with ` AND`).
    fn push_membership(&self, sql: &mut Sql, scope: &RosterScope, ms: &str) {
        scope.push_membership_conditions(sql, ms);
        if !self.prefectures.is_empty() {
            sql.push(&format!(" AND {ms}.prefecture_code IN "))
                .list(&self.prefectures);
        }
        if !self.statuses.is_empty() {
            sql.push(&format!(" AND {ms}.status IN "))
                .list(&self.statuses);
        }
        if let Some(recheck) = self.filter.recheck {
            sql.push(&format!(" AND {ms}.recheck_needed = "))
                .arg(recheck);
        }
        if let Some(managed) = self.filter.managed {
            sql.push(&format!(" AND {ms}.managed = ")).arg(managed);
        }
        if let Some((from, to)) = self.available {
            // Checked per membership: a date range selects most periods on record.
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM availability av WHERE av.membership_id = {ms}.id AND av.from_date <= "
            ))
            .arg(from)
            .push(" AND av.to_date >= ")
            .arg(to);
            sql.push(match self.filter.way {
                Some(HelpWay::OnSite) => " AND av.on_site = TRUE)",
                Some(HelpWay::Remote) => " AND av.remote = TRUE)",
                Some(HelpWay::Phone) => " AND av.phone = TRUE)",
                None => ")",
            });
        }
    }
}

/// A statement counting the members that match the filter within the scope without reading
/// the matching members, when there is one (`None` otherwise).
///
/// When every condition is on one membership per member — a prefecture's roster, its vetting
/// queue, its available members — the memberships themselves are counted, less those of
/// anonymised members. With no condition at all, the index of members on record is counted.
pub fn cheap_count(scope: &RosterScope, filter: &MemberFilter) -> Result<Option<Sql>, ApiError> {
    let parsed = Parsed::of(filter)?;
    let f = parsed.filter;
    let beyond_memberships = !parsed.terms.is_empty()
        || !parsed.professions.is_empty()
        || !parsed.municipalities.is_empty()
        || !parsed.experience.is_empty()
        || !parsed.languages.is_empty()
        || !f
            .training
            .as_deref()
            .map(fold)
            .unwrap_or_default()
            .trim()
            .is_empty()
        || f.dispatched_since.is_some()
        || f.never_dispatched.is_some();
    if beyond_memberships {
        return Ok(None);
    }
    let one_prefecture =
        matches!(scope, RosterScope::Prefecture { .. }) || parsed.prefectures.len() == 1;
    match scope {
        RosterScope::Prefecture { .. } | RosterScope::All if one_prefecture => {
            // (member_id, prefecture_code) is unique: one membership per member at most.
            let mut sql = Sql::new("SELECT COUNT(*) FROM memberships ms WHERE TRUE");
            parsed.push_membership(&mut sql, scope, "ms");
            sql.push(
                " AND ms.member_id NOT IN (SELECT a.id FROM members a WHERE a.anonymised_at IS NOT NULL)",
            );
            sql.push(&super::not_staged("ms.member_id"));
            Ok(Some(sql))
        }
        RosterScope::All if !parsed.on_membership() => {
            let mut sql = Sql::new("SELECT COUNT(*) FROM members m WHERE m.anonymised_at IS NULL");
            sql.push(&super::not_staged("m.id"));
            Ok(Some(sql))
        }
        _ => Ok(None),
    }
}

/// Appends `WHERE …` for the filter within the scope. Unknown codes are field issues.
///
/// Conditions on related tables come most selective first (free text, memberships, trainings,
/// tags, licences, the scope last); see [`Mode`]. A scope that a membership condition already
/// holds is left out.
pub fn push_filter(
    sql: &mut Sql,
    scope: &RosterScope,
    filter: &MemberFilter,
    shape: Shape,
) -> Result<(), ApiError> {
    Parsed::of(filter)?.push(sql, scope, shape);
    Ok(())
}

impl Parsed<'_> {
    fn push(&self, sql: &mut Sql, scope: &RosterScope, shape: Shape) {
        let filter = self.filter;
        let (terms, professions, municipalities, experience, languages) = (
            &self.terms,
            &self.professions,
            &self.municipalities,
            &self.experience,
            &self.languages,
        );

        let index_text = shape.mode != Mode::Recheck;

        // Conditions on the member row.
        sql.push(" WHERE m.anonymised_at IS NULL");
        sql.push(&super::not_staged("m.id"));
        for term in terms {
            if index_text && shape.backend == BackendKind::Postgres {
                sql.push(" AND m.search_grams @> ARRAY[");
                for (i, gram) in term_grams(term).iter().enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.arg(gram.as_str());
                }
                sql.push("]");
            }
            // A term of one or two characters is its own gram, and the index holds every
            // character and pair of the text except across its line breaks, which no term
            // contains: the index alone answers it.
            if !index_text || term.chars().count() > 2 {
                sql.push(" AND m.search_fold LIKE ")
                    .arg(format!("%{}%", escape_like(term)))
                    .push(" ESCAPE '\\'");
            }
        }
        if !municipalities.is_empty() {
            sql.push(" AND m.municipality_code IN ")
                .list(municipalities);
        }
        if let Some(since) = filter.dispatched_since {
            sql.push(" AND m.last_dispatch_on >= ").arg(since);
        }
        match filter.never_dispatched {
            Some(true) => {
                sql.push(" AND m.last_dispatch_on IS NULL");
            }
            Some(false) => {
                sql.push(" AND m.last_dispatch_on IS NOT NULL");
            }
            None => {}
        }
        if !matches!(scope, RosterScope::Prefecture { .. }) {
            sql.push(" AND ");
            scope.push_member_visibility(sql, "m");
        }

        // Conditions on related rows, the most selective first.
        let mut c = Conditions {
            sql,
            mode: shape.mode,
            driver: None,
        };
        if index_text && shape.backend == BackendKind::Sqlite {
            for term in terms {
                c.grams(term);
            }
        }
        let on_membership = self.on_membership();
        if on_membership {
            c.related("memberships", "ms", |sql| {
                self.push_membership(sql, scope, "ms")
            });
        }
        if let Some(training) = filter.training.as_deref().map(fold) {
            if !training.trim().is_empty() {
                c.related("member_trainings", "mtr", |sql| {
                    sql.push(" AND mtr.title_fold LIKE ")
                        .arg(format!("%{}%", escape_like(training.trim())))
                        .push(" ESCAPE '\\'");
                });
            }
        }
        for (kind, alias, codes) in [
            ("language", "mtl", languages),
            ("experience", "mte", experience),
        ] {
            if !codes.is_empty() {
                c.related("member_tags", alias, |sql| {
                    sql.push(&format!(" AND {alias}.kind = "))
                        .arg(kind)
                        .push(&format!(" AND {alias}.code IN "))
                        .list(codes);
                });
            }
        }
        if !professions.is_empty() {
            c.related("member_licences", "ml", |sql| {
                sql.push(" AND ml.profession IN ").list(professions);
            });
        }
        // A prefecture's scope, unless a membership condition above already holds it.
        if matches!(scope, RosterScope::Prefecture { .. }) && !on_membership {
            c.related("memberships", "vm", |sql| {
                scope.push_membership_conditions(sql, "vm");
            });
        }
        c.finish();
    }
}

/// How a filter is written for the query that uses it. Every mode selects the same members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub backend: BackendKind,
    pub mode: Mode,
}

/// See [`Shape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The matches are gathered from one list, `m.id IN (SELECT … FROM <the first, most
    /// selective related table> WHERE …)`, inside which every other related condition is
    /// checked per entry, so that only members passing all of them are read. For counts and
    /// small results. (SQLite, which keeps no statistics here, follows the form: it reads the
    /// first `m.id IN` list and looks each entry up.)
    Gather,
    /// Each member is checked for every related condition (`EXISTS`), for reading members in
    /// sort order until a page is full.
    Walk,
    /// As `Walk`, with free text checked by `LIKE` alone: for the few rows of a page read by id.
    Recheck,
}

/// The conditions on related rows of a filter being written.
struct Conditions<'a> {
    sql: &'a mut Sql,
    mode: Mode,
    /// In `Gather` mode, once the list is open: the member id column of its rows.
    driver: Option<String>,
}

impl Conditions<'_> {
    /// Appends the condition that the member has a row in `table` (alias `alias`, with a
    /// `member_id` column) meeting the conditions `inner` appends (each starting with ` AND`).
    fn related(&mut self, table: &str, alias: &str, inner: impl FnOnce(&mut Sql)) {
        match (&self.driver, self.mode) {
            (None, Mode::Gather) => {
                self.sql.push(&format!(
                    " AND m.id IN (SELECT {alias}.member_id FROM {table} {alias} WHERE TRUE"
                ));
                inner(self.sql);
                self.driver = Some(format!("{alias}.member_id"));
            }
            (driver, _) => {
                let member = driver.as_deref().unwrap_or("m.id");
                self.sql.push(&format!(
                    " AND EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.member_id = {member}"
                ));
                inner(self.sql);
                self.sql.push(")");
            }
        }
    }

    /// Appends the condition that the member's search text holds the grams of `term`, from
    /// SQLite's gram table (pairs joined on the member to the first pair's list when it is
    /// the list the matches are gathered from).
    fn grams(&mut self, term: &str) {
        let grams = term_grams(term);
        match (&self.driver, self.mode) {
            (None, Mode::Gather) => {
                let sql = &mut *self.sql;
                sql.push(" AND m.id IN (SELECT g0.member_id FROM member_search_grams g0");
                for (i, gram) in grams.iter().enumerate().skip(1) {
                    sql.push(&format!(" JOIN member_search_grams g{i} ON g{i}.gram = "))
                        .arg(gram.as_str())
                        .push(&format!(" AND g{i}.member_id = g0.member_id"));
                }
                sql.push(" WHERE g0.gram = ").arg(grams[0].as_str());
                self.driver = Some("g0.member_id".to_string());
            }
            (driver, _) => {
                let member = driver.as_deref().unwrap_or("m.id").to_string();
                for gram in &grams {
                    self.sql
                        .push(" AND EXISTS (SELECT 1 FROM member_search_grams gx WHERE gx.gram = ")
                        .arg(gram.as_str())
                        .push(&format!(" AND gx.member_id = {member})"));
                }
            }
        }
    }

    /// Closes the list, if one was opened.
    fn finish(self) {
        if self.driver.is_some() {
            self.sql.push(")");
        }
    }
}

/// Grams of a term looked up in the search index: at most this many, first and last among them.
const MAX_GRAMS: usize = 4;

/// The grams the search index holds for any text containing `term`: the term itself when it
/// is one character, otherwise its distinct pairs of neighbouring characters (at most
/// [`MAX_GRAMS`], spread over the term; any of them is a necessary condition).
pub fn term_grams(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() < 2 {
        return vec![term.to_string()];
    }
    let mut pairs: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let pair: String = pair.iter().collect();
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    if pairs.len() <= MAX_GRAMS {
        return pairs;
    }
    let last = pairs.len() - 1;
    (0..MAX_GRAMS)
        .map(|i| pairs[i * last / (MAX_GRAMS - 1)].clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_and_codes_lose_hyphens() {
        assert_eq!(
            search_terms("ﾀﾅｶ 123-456-7890"),
            vec!["たなか", "1234567890"]
        );
        assert_eq!(search_terms("髙橋"), vec!["高橋"]);
    }

    #[test]
    fn grams_are_characters_or_pairs_spread_over_the_term() {
        assert_eq!(term_grams("林"), vec!["林"]);
        assert_eq!(term_grams("高橋"), vec!["高橋"]);
        assert_eq!(term_grams("たなか"), vec!["たな", "なか"]);
        assert_eq!(term_grams("ははは"), vec!["はは"]);
        assert_eq!(term_grams("1234567890"), vec!["12", "34", "67", "90"]);
    }
}
