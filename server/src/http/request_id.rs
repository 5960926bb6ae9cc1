//! Request ids: always made by the server, never taken from the caller.
//!
//! The id names a request in logs, in error bodies and in the audit log, so a caller must not
//! be able to choose it. An incoming `X-Request-Id` is kept only as [`ClientRequestId`] — at
//! most 64 printable ASCII characters, else dropped — for correlating with the caller's logs.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The header that carries the request id, both ways.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest caller-supplied id that is kept.
pub const MAX_CLIENT_ID: usize = 64;

/// The server's id of this request.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The id the caller sent, cleaned; only ever logged as a separate field.
#[derive(Debug, Clone)]
pub struct ClientRequestId(pub String);

/// A per-process random prefix and a counter, short enough to read out over the phone.
fn next_id() -> String {
    static PREFIX: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(|| format!("{:06x}", rand::random::<u32>() & 0xff_ffff));
    format!("{prefix}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The caller's id when it is short and printable.
fn cleaned(value: &HeaderValue) -> Option<String> {
    let bytes = value.as_bytes();
    (!bytes.is_empty()
        && bytes.len() <= MAX_CLIENT_ID
        && bytes.iter().all(|b| b.is_ascii_graphic()))
    .then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// Middleware: replaces any incoming `X-Request-Id` with the server's own and answers it.
pub async fn assign(mut request: Request, next: Next) -> Response {
    if let Some(client) = request.headers().get(&X_REQUEST_ID).and_then(cleaned) {
        request.extensions_mut().insert(ClientRequestId(client));
    }
    let id = next_id();
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    request
        .headers_mut()
        .insert(X_REQUEST_ID.clone(), value.clone());
    request.extensions_mut().insert(RequestId(id));
    let mut response = next.run(request).await;
    response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_printable_client_ids_are_kept() {
        assert_eq!(
            cleaned(&HeaderValue::from_static("abc-123")).as_deref(),
            Some("abc-123")
        );
        assert_eq!(cleaned(&HeaderValue::from_static("a b")), None);
        assert_eq!(
            cleaned(&HeaderValue::from_str(&"x".repeat(65)).unwrap()),
            None
        );
        assert_eq!(
            cleaned(&HeaderValue::from_bytes(b"\xe3\x81\x82").unwrap()),
            None
        );
        assert_ne!(next_id(), next_id());
    }
}
