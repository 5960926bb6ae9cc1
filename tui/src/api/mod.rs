//! The HTTP client of the terminal. It speaks the schema crate's endpoint table
//! ([`ouen_shared::endpoints`]) through one generic call and knows nothing of the application
//! that uses it: a call takes a request and returns a typed result.

mod client;
mod error;
pub mod files;

pub use client::{Client, Progress, EVENTS_ROUTE};
pub use error::ApiError;
