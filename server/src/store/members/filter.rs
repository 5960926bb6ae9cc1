//! Turns a [`MemberFilter`] and the caller's scope into SQL conditions on `members m`.

use crate::error::ApiError;
use crate::scope::RosterScope;
use crate::store::sql::Sql;
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
            Some(digits) if !digits.is_empty() && term.contains('-') => digits,
            _ => term,
        })
        .collect()
}

/// Appends `WHERE …` for the filter within the scope. Unknown codes are field issues.
pub fn push_filter(
    sql: &mut Sql,
    scope: &RosterScope,
    filter: &MemberFilter,
) -> Result<(), ApiError> {
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

    sql.push(" WHERE m.anonymised_at IS NULL AND ");
    scope.push_member_visibility(sql, "m");

    // Conditions on one membership: the caller's scope, prefecture, status, flags and
    // availability all hold for the same membership row.
    let on_membership = !prefectures.is_empty()
        || !statuses.is_empty()
        || filter.recheck.is_some()
        || filter.managed.is_some()
        || available.is_some();
    if on_membership {
        sql.push(" AND m.id IN (SELECT ms.member_id FROM memberships ms WHERE TRUE");
        scope.push_membership_conditions(sql, "ms");
        if !prefectures.is_empty() {
            sql.push(" AND ms.prefecture_code IN ").list(&prefectures);
        }
        if !statuses.is_empty() {
            sql.push(" AND ms.status IN ").list(&statuses);
        }
        if let Some(recheck) = filter.recheck {
            sql.push(" AND ms.recheck_needed = ").arg(recheck);
        }
        if let Some(managed) = filter.managed {
            sql.push(" AND ms.managed = ").arg(managed);
        }
        if let Some((from, to)) = available {
            sql.push(" AND ms.id IN (SELECT av.membership_id FROM availability av WHERE av.from_date <= ")
                .arg(from)
                .push(" AND av.to_date >= ")
                .arg(to);
            sql.push(match filter.way {
                Some(HelpWay::OnSite) => " AND av.on_site = TRUE)",
                Some(HelpWay::Remote) => " AND av.remote = TRUE)",
                Some(HelpWay::Phone) => " AND av.phone = TRUE)",
                None => ")",
            });
        }
        sql.push(")");
    }

    if !professions.is_empty() {
        sql.push(
            " AND m.id IN (SELECT ml.member_id FROM member_licences ml WHERE ml.profession IN ",
        )
        .list(&professions)
        .push(")");
    }
    for (kind, codes) in [("experience", &experience), ("language", &languages)] {
        if !codes.is_empty() {
            sql.push(" AND m.id IN (SELECT mt.member_id FROM member_tags mt WHERE mt.kind = ")
                .arg(kind)
                .push(" AND mt.code IN ")
                .list(codes)
                .push(")");
        }
    }
    if !municipalities.is_empty() {
        sql.push(" AND m.municipality_code IN ")
            .list(&municipalities);
    }
    if let Some(training) = filter.training.as_deref().map(fold) {
        if !training.trim().is_empty() {
            sql.push(" AND m.id IN (SELECT mtr.member_id FROM member_trainings mtr WHERE mtr.title_fold LIKE ")
                .arg(format!("%{}%", escape_like(training.trim())))
                .push(" ESCAPE '\\')");
        }
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
    for term in filter.q.as_deref().map(search_terms).unwrap_or_default() {
        sql.push(" AND m.search_fold LIKE ")
            .arg(format!("%{}%", escape_like(&term)))
            .push(" ESCAPE '\\'");
    }
    Ok(())
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
}
