//! JSON bodies: read, screened for forbidden characters, normalised, then validated.

use super::{forbidden_text, serde_issue};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use ouen_shared::validate::Validate;
use ouen_shared::FieldIssue;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A JSON body, deserialized, normalised ([`Validate::normalize`]) and validated; problems
/// come back field by field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Validate> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest(rejection.body_text())
                }
            })?;
        let mut value: T = parse_json(&bytes)?;
        value.normalize();
        value.validate().map_err(ApiError::Invalid)?;
        Ok(ApiJson(value))
    }
}

/// Deserializes JSON: unreadable JSON is a 400; a forbidden character anywhere, a missing,
/// unknown or mistyped field a 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let tree: Value = serde_json::from_slice(text)
        .map_err(|error| ApiError::BadRequest(format!("malformed JSON: {error}")))?;
    let mut forbidden = Vec::new();
    screen(&tree, String::new(), &mut forbidden);
    if !forbidden.is_empty() {
        return Err(ApiError::Invalid(forbidden));
    }
    serde_path_to_error::deserialize::<_, T>(tree).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        ApiError::Invalid(vec![serde_issue::issue(
            &path,
            &error.into_inner().to_string(),
        )])
    })
}

/// Collects an issue for every string (and key) holding a forbidden character, named by its
/// path as serde names fields (`profile.licences[0].number`).
fn screen(value: &Value, path: String, issues: &mut Vec<FieldIssue>) {
    match value {
        Value::String(text) => issues.extend(forbidden_text(or_body(&path), text)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                screen(item, format!("{path}[{i}]"), issues);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let field = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Some(issue) = forbidden_text(or_body(&path), key) {
                    issues.push(issue);
                    continue;
                }
                screen(item, field, issues);
            }
        }
        _ => {}
    }
}

fn or_body(path: &str) -> &str {
    if path.is_empty() {
        "body"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ouen_shared::api::CreateAccountRequest;
    use ouen_shared::Problem;

    fn fields(error: ApiError) -> Vec<(String, &'static str)> {
        match error {
            ApiError::Invalid(v) => v.into_iter().map(|i| (i.field, i.problem.code())).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn serde_errors_name_the_field() {
        let err = parse_json::<CreateAccountRequest>(br#"{"display_name":"x"}"#).unwrap_err();
        assert!(
            matches!(err, ApiError::Invalid(ref v) if v[0].field == "login" && v[0].problem == Problem::Required)
        );
        let err =
            parse_json::<CreateAccountRequest>(br#"{"login":"abc","display_name":"x","bogus":1}"#)
                .unwrap_err();
        assert!(matches!(err, ApiError::Invalid(ref v) if v[0].field == "bogus"));
        let err =
            parse_json::<CreateAccountRequest>(br#"{"login":5,"display_name":"x"}"#).unwrap_err();
        assert!(matches!(err, ApiError::Invalid(ref v) if v[0].field == "login"));
        let err = parse_json::<CreateAccountRequest>(
            br#"{"login":"a","display_name":"x","role":"root"}"#,
        )
        .unwrap_err();
        assert!(matches!(err, ApiError::Invalid(ref v) if v[0].field == "role"));
        assert!(matches!(
            parse_json::<CreateAccountRequest>(b"{oops"),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn control_characters_are_refused_wherever_they_are() {
        let err = parse_json::<CreateAccountRequest>(
            br#"{"login":"a\u0000b","display_name":"x\u001b[31m"}"#,
        )
        .unwrap_err();
        let mut got = fields(err);
        got.sort();
        assert_eq!(
            got,
            [
                ("display_name".to_string(), "control_character"),
                ("login".to_string(), "control_character")
            ]
        );
        let err = parse_json::<serde_json::Value>(br#"{"a":{"b":["ok","\u0007"]}}"#).unwrap_err();
        assert_eq!(fields(err), [("a.b[1]".to_string(), "control_character")]);
        // Line breaks and tabs are each field's own rule, not refused here.
        assert!(parse_json::<serde_json::Value>(br#"{"notes":"a\r\nb\tc"}"#).is_ok());
    }
}
