//! Reading what callers send: JSON bodies, query strings and path parameters.
//!
//! One rule holds for every input, whatever the route: no value may carry a character that no
//! field may hold ([`ouen_shared::normalize::forbidden_character`]: NUL and other control
//! characters), and no query value may be longer than [`MAX_QUERY_VALUE`] characters. Such input
//! is refused with a 422 naming the parameter before any handler or database sees it, so the
//! two backends answer alike (PostgreSQL cannot store NUL at all). Problems of type and format
//! are named by parameter and worded in the caller's language ([`serde_issue`]).

pub mod json;
pub mod path;
pub mod query;
pub mod serde_issue;

pub use json::{parse_json, ApiJson};
pub use path::ApiPath;
pub use query::ApiQuery;

use ouen_shared::{FieldIssue, Problem};

/// The longest value a query parameter may have, in characters.
pub const MAX_QUERY_VALUE: usize = 2000;

/// The issue for `text` in `field` when it holds a character no field may hold.
pub fn forbidden_text(field: &str, text: &str) -> Option<FieldIssue> {
    ouen_shared::normalize::forbidden_character(text)
        .map(|character| FieldIssue::new(field, Problem::ControlCharacter { character }))
}
