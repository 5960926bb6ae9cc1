//! Query strings: every value screened, each problem named by its parameter.

use super::{forbidden_text, serde_issue, MAX_QUERY_VALUE};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ouen_shared::{FieldIssue, Problem};
use serde::de::DeserializeOwned;

/// A query string, deserialized; a forbidden character, an over-long value or a value of the
/// wrong kind is a 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

/// Reads `query` (without `?`) into `T`.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut issues = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if let Some(issue) = forbidden_text("query", &key) {
            issues.push(issue);
            continue;
        }
        if let Some(issue) = forbidden_text(&key, &value) {
            issues.push(issue);
        } else if value.chars().count() > MAX_QUERY_VALUE {
            issues.push(FieldIssue::new(
                key.as_ref(),
                Problem::TooLong {
                    max: MAX_QUERY_VALUE,
                },
            ));
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize::<_, T>(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." {
            "query".to_string()
        } else {
            path
        };
        ApiError::Invalid(vec![serde_issue::issue(
            &path,
            &error.into_inner().to_string(),
        )])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ouen_shared::api::{MemberFilter, PageQuery};

    fn issue_of<T: DeserializeOwned + std::fmt::Debug>(query: &str) -> (String, &'static str) {
        match parse_query::<T>(query) {
            Err(ApiError::Invalid(v)) => (v[0].field.clone(), v[0].problem.code()),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn problems_name_the_parameter() {
        assert_eq!(
            issue_of::<MemberFilter>("available_from=2026-13-45"),
            ("available_from".into(), "wrong_type")
        );
        assert_eq!(
            issue_of::<MemberFilter>("q=a%00b"),
            ("q".into(), "control_character")
        );
        assert_eq!(
            issue_of::<MemberFilter>(&format!("q={}", "あ".repeat(2001))),
            ("q".into(), "too_long")
        );
        assert_eq!(
            issue_of::<MemberFilter>("recheck=maybe"),
            ("recheck".into(), "wrong_type")
        );
        assert_eq!(
            issue_of::<PageQuery>("page=%EF%BC%92x"),
            ("page".into(), "wrong_type")
        );
        let filter: MemberFilter = parse_query("q=%E6%B8%A1%E9%82%8A&recheck=true").unwrap();
        assert_eq!(filter.q.as_deref(), Some("渡邊"));
    }
}
