//! The roster: members, their memberships per prefecture, and how each actor sees them.
//!
//! Every read goes through [`RosterScope`](crate::scope::RosterScope): a prefecture sees the
//! members with a membership of its own and only those memberships; a city the approved
//! members of its parent prefecture without date of birth and street; a member itself.

pub(crate) mod audience;
pub(crate) mod filter;
pub mod generate;
pub(crate) mod grams;
pub(crate) mod import;
mod invitations;
mod licences;
pub(crate) mod lifecycle;
pub(crate) mod profile;
mod read;
mod registration;
mod rows;

pub use import::ImportPause;
pub use profile::{managing_prefecture, municipality_name};
pub use read::ExportRow;
pub use registration::RegistrationRules;

use ouen_shared::text::fold;

/// The text searched by the free-text filter: name, kana, registration code and notes,
/// folded (which also drops spaces), one per line.
pub(crate) fn search_text(
    name: &str,
    kana: &str,
    registration_code: Option<&str>,
    notes: &str,
) -> String {
    let mut text = format!("{}\n{}", fold(name), fold(kana));
    if let Some(code) = registration_code {
        text.push('\n');
        text.push_str(code);
    }
    if !notes.trim().is_empty() {
        text.push('\n');
        text.push_str(&fold(notes));
    }
    text
}

/// ` AND …`: the member id `id` is not one of an import still being loaded (see
/// [`import`]). Both bounds are constant subqueries over a table that is empty unless an
/// import runs, read once per statement; the id is in every index, so index-only reads stay so.
pub(crate) fn not_staged(id: &str) -> String {
    format!(
        " AND NOT ({id} BETWEEN (SELECT COALESCE(MIN(si.first_member_id), 0) FROM member_imports si) \
         AND (SELECT COALESCE(MAX(si.last_member_id), -1) FROM member_imports si))"
    )
}

/// Kana folded for sorting (hiragana, no spaces).
pub(crate) fn kana_key(kana: &str) -> String {
    fold(kana)
}

/// Codes stored as one comma-separated column.
pub(crate) fn join_codes<T: Copy>(items: &[T], code: impl Fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

/// Reads a comma-separated column back, skipping codes this build does not know.
pub(crate) fn split_codes<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    text.split(',').filter_map(parse).collect()
}
