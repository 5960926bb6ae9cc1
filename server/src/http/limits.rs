//! Limits on the request line and headers, answered with the standard error body.
//!
//! The HTTP library refuses far larger requests on its own with bare answers; these limits sit
//! well inside its own, so a request that is merely too long gets a 414 or 431 that says so
//! in the caller's language, like every other error.

use crate::error::ApiError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest request target (path and query), in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header fields a request may have.
pub const MAX_HEADERS: usize = 64;
/// The most bytes of header names and values together.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Middleware: refuses an over-long target (414) or too many or too large headers (431).
pub async fn enforce(request: Request, next: Next) -> Response {
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return ApiError::UriTooLong.into_response();
    }
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return ApiError::HeadersTooLarge.into_response();
    }
    next.run(request).await
}
