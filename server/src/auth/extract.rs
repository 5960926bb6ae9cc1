//! Request extractors: the authenticated [`Actor`], the request's audit context, and JSON
//! bodies and query strings whose problems become field-by-field errors.

use crate::app::AppState;
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use ouen_shared::validate::Validate;
use ouen_shared::{FieldIssue, Problem};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(RequestMeta {
            request_id,
            ip: forwarded.or(peer),
        })
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let meta = RequestMeta::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or(ApiError::Unauthenticated)?;
        let hash = crate::auth::token::hash(token);
        state
            .store
            .actor_for_session(&hash, crate::store::now(), meta)
            .await?
            .ok_or(ApiError::Unauthenticated)
    }
}

/// A JSON body, deserialized and validated; problems come back field by field.
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
        let value: T = parse_json(&bytes)?;
        value.validate().map_err(ApiError::Invalid)?;
        Ok(ApiJson(value))
    }
}

/// Deserializes JSON, turning serde's complaints into field issues.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::BadRequest(format!("malformed JSON: {inner}")));
            }
            Err(ApiError::Invalid(vec![issue_from_serde(
                &path,
                &inner.to_string(),
            )]))
        }
    }
}

fn issue_from_serde(path: &str, message: &str) -> FieldIssue {
    let base = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    let quoted = message.split('`').nth(1).unwrap_or("");
    let join = |name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}.{name}")
        }
    };
    let field_or_body = if base.is_empty() {
        "body".to_string()
    } else {
        base.clone()
    };
    if message.starts_with("missing field") {
        FieldIssue::new(join(quoted), Problem::Required)
    } else if message.starts_with("unknown field") {
        // The path already ends at the unknown key.
        let field = if base.ends_with(quoted) {
            base.clone()
        } else {
            join(quoted)
        };
        FieldIssue::new(field, Problem::UnknownField)
    } else if message.starts_with("unknown variant") {
        FieldIssue::new(field_or_body, Problem::UnknownValue)
    } else {
        let expected = message.split("expected ").nth(1).unwrap_or("another type");
        let expected = expected
            .split(" at line")
            .next()
            .unwrap_or(expected)
            .to_string();
        FieldIssue::new(field_or_body, Problem::WrongType { expected })
    }
}

/// A query string; unreadable values become a field issue on `query`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let detail = text.rsplit(": ").next().unwrap_or(&text).to_string();
                ApiError::Invalid(vec![FieldIssue::new(
                    "query",
                    Problem::WrongType { expected: detail },
                )])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ouen_shared::api::CreateAccountRequest;

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
}
