//! The HTTP layer around every route: request ids, one log line per request, security
//! headers, and limits on the request line and headers answered with the standard error body.

pub mod access_log;
pub mod headers;
pub mod limits;
pub mod request_id;
