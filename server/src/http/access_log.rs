//! One structured log line per request: method, route template, status, duration, request
//! id and account id — never tokens, bodies, query strings or personal data. Refused actions
//! (403, and 404, which is also what a record outside the caller's scope answers) are logged at
//! `warn`, so probing shows; server errors at `error`.

use super::request_id::{ClientRequestId, RequestId};
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tracing::Instrument;

/// Where the authenticated account of a request is noted for its log line.
#[derive(Debug, Clone, Default)]
pub struct AccountSlot(Arc<OnceLock<i64>>);

impl AccountSlot {
    /// Notes the account that made the request.
    pub fn set(&self, account_id: i64) {
        let _ = self.0.set(account_id);
    }
}

/// Middleware: runs the request inside a span carrying its id, then logs its line.
pub async fn log(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let client_id = request
        .extensions()
        .get::<ClientRequestId>()
        .map(|c| c.0.clone());
    let account = AccountSlot::default();
    request.extensions_mut().insert(account.clone());
    let span = tracing::info_span!("request", id = %id);
    let response = next.run(request).instrument(span).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let account_id = account.0.get().copied();
    macro_rules! line {
        ($level:ident, $message:literal) => {
            tracing::$level!(
                request_id = %id,
                method = %method,
                route = %route,
                status,
                duration_ms = format_args!("{millis:.1}"),
                account_id = account_id.map(tracing::field::display),
                client_request_id = client_id.as_deref().map(tracing::field::display),
                $message
            )
        };
    }
    match status {
        500.. => line!(error, "request failed"),
        403 | 404 => line!(warn, "request refused"),
        _ => line!(info, "request"),
    }
    response
}
