//! Passwords, session tokens and the request extractors that authenticate a caller.

pub mod extract;
pub mod password;
pub mod token;
