//! The one error type of the server and how it becomes the standard error body.
//!
//! Handlers return [`ApiError`]; its response carries the error in an extension, and the
//! [`render_errors`] middleware writes the body in the request's language with its request id.
//! Errors produced outside handlers (unknown route, wrong method, timeout, body too large, a
//! panic) get the same body from their status.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ouen_shared::{ErrorBody, ErrorCode, FieldIssue, Lang, Problem};

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request could not be read: {0}")]
    BadRequest(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request target is too long")]
    UriTooLong,
    #[error("the request headers are too large")]
    HeadersTooLarge,
    #[error("no valid session")]
    Unauthenticated,
    #[error("wrong login or password")]
    InvalidCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(Vec<FieldIssue>),
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    #[error("throttled for {retry_after_seconds} s")]
    Throttled { retry_after_seconds: u64 },
    #[error("too many password checks waiting")]
    Busy,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// A configuration problem (bad URL, unreadable file).
    pub fn config(message: impl Into<String>) -> Self {
        ApiError::Config(message.into())
    }

    /// One invalid field.
    pub fn invalid(field: &str, problem: Problem) -> Self {
        ApiError::Invalid(vec![FieldIssue::new(field, problem)])
    }

    /// A conflict on one field (e.g. a login already taken).
    pub fn taken(field: &str) -> Self {
        ApiError::Conflict(vec![FieldIssue::new(field, Problem::Taken)])
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UriTooLong => ErrorCode::UriTooLong,
            ApiError::HeadersTooLarge => ErrorCode::HeadersTooLarge,
            ApiError::Unauthenticated => ErrorCode::Unauthenticated,
            ApiError::InvalidCredentials => ErrorCode::InvalidCredentials,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::Invalid(_) => ErrorCode::Invalid,
            ApiError::Throttled { .. } => ErrorCode::Throttled,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Busy => ErrorCode::Busy,
            ApiError::Config(_) | ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => ApiError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => ApiError::Conflict(Vec::new()),
            // Text the database cannot store (PostgreSQL refuses NUL): the request is at fault.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("22021") | Some("22P05")) =>
            {
                ApiError::BadRequest(error.to_string())
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                ApiError::Unavailable(error.to_string())
            }
            _ => ApiError::Internal(error.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for ApiError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        ApiError::Internal(format!("migration failed: {error}"))
    }
}

/// The error as it travels from a handler to [`render_errors`].
#[derive(Debug, Clone)]
struct PendingError {
    code: ErrorCode,
    fields: Vec<FieldIssue>,
    retry_after_seconds: Option<u64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(detail) | ApiError::Config(detail) => {
                tracing::error!(error = %detail, "request failed");
            }
            ApiError::Unavailable(detail) => {
                tracing::warn!(error = %detail, "database unavailable")
            }
            _ => {}
        }
        let code = self.code();
        let (fields, retry_after_seconds) = match self {
            ApiError::Invalid(fields) | ApiError::Conflict(fields) => (fields, None),
            ApiError::Throttled {
                retry_after_seconds,
            } => (Vec::new(), Some(retry_after_seconds)),
            ApiError::Busy => (Vec::new(), Some(1)),
            _ => (Vec::new(), None),
        };
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        response.extensions_mut().insert(PendingError {
            code,
            fields,
            retry_after_seconds,
        });
        response
    }
}

/// Middleware: gives every error response the standard JSON body, in the language of
/// `Accept-Language`, with the request id.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(request).await;
    let status = response.status();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A server-rendered page carries its own error page.
    if is_page || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _old_body) = response.into_parts();
    let pending = parts
        .extensions
        .remove::<PendingError>()
        .unwrap_or(PendingError {
            code: ErrorCode::from_status(status.as_u16()),
            fields: Vec::new(),
            retry_after_seconds: None,
        });
    let body = ErrorBody {
        code: pending.code,
        message: pending.code.message(lang).to_string(),
        fields: pending
            .fields
            .iter()
            .map(|f| f.to_field_error(lang))
            .collect(),
        request_id,
        retry_after_seconds: pending.retry_after_seconds,
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    if let Some(seconds) = pending.retry_after_seconds {
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            parts.headers.insert(header::RETRY_AFTER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
