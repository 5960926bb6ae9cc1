//! Path parameters: screened like every other input, each problem named by its parameter.

use super::{forbidden_text, serde_issue};
use crate::error::ApiError;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use ouen_shared::FieldIssue;
use serde::de::DeserializeOwned;

/// Path parameters, deserialized; a forbidden character or a value of the wrong kind is a 422
/// naming the parameter (`id`, `prefecture_code`).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
        let keys: Vec<String> = raw.iter().map(|(key, _)| key.to_string()).collect();
        let issues: Vec<FieldIssue> = raw
            .iter()
            .filter_map(|(key, value)| forbidden_text(key, value))
            .collect();
        if !issues.is_empty() {
            return Err(ApiError::Invalid(issues));
        }
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(error)) => {
                Err(match error.into_kind() {
                    ErrorKind::ParseErrorAtKey {
                        key, expected_type, ..
                    } => ApiError::Invalid(vec![serde_issue::issue(
                        &key,
                        &format!("expected {expected_type}"),
                    )]),
                    // One parameter (`Path<i64>`) or one of a tuple: named by its place.
                    ErrorKind::ParseError { expected_type, .. } if keys.len() == 1 => {
                        ApiError::Invalid(vec![serde_issue::issue(
                            &keys[0],
                            &format!("expected {expected_type}"),
                        )])
                    }
                    ErrorKind::ParseErrorAtIndex {
                        index,
                        expected_type,
                        ..
                    } if index < keys.len() => ApiError::Invalid(vec![serde_issue::issue(
                        &keys[index],
                        &format!("expected {expected_type}"),
                    )]),
                    ErrorKind::InvalidUtf8InPathParam { key } => {
                        ApiError::BadRequest(format!("path parameter {key} is not UTF-8"))
                    }
                    other => ApiError::BadRequest(other.to_string()),
                })
            }
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}
