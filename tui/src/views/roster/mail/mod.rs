//! Bulk mail (一斉メール) from the roster: the form that writes one to the members of the
//! roster's current filter (a live recipient count from the server's preview, the message as
//! sent, a send confirmed by its count and made once per form), and the send history.
//!
//! `form` holds the form's state and keys, `draw` draws it, `history` lists the mails sent and
//! opens one, `text` shows a message (the preview, or a mail sent) in a scrolling popup.

mod draw;
mod form;
mod history;
mod text;

pub use form::{MailForm, PREVIEW_DEBOUNCE};
pub use history::MailHistory;
pub use text::MailText;

use crate::api::ApiError;
use crate::i18n::T;
use ouen_shared::{ErrorCode, Lang};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The form's own timers and confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailMsg {
    /// Typing rested; only the form's newest generation asks for a preview.
    Rested(u64),
    /// The operator said yes to sending to this many members.
    SendConfirmed(u64),
}

/// A new idempotency key: the time, the process, a counter and a per-process random seed, so
/// two forms never share one and a retry of the same form always reuses its own.
pub fn idempotency_key() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(nanos);
    h.write_u64(n);
    h.write_u32(std::process::id());
    format!(
        "tui-{nanos:x}-{:x}-{n:x}-{:016x}",
        std::process::id(),
        h.finish()
    )
}

/// What an error says, with a clear line when the server has no bulk-mail routes (404/405).
pub fn error_line(e: &ApiError, lang: Lang) -> String {
    match e {
        ApiError::Server(b)
            if matches!(b.code, ErrorCode::NotFound | ErrorCode::MethodNotAllowed)
                && b.fields.is_empty() =>
        {
            T::MailUnavailable.get(lang).to_string()
        }
        other => other.message(lang),
    }
}

/// Whether a role may send bulk mail: prefectures (to their roster), the ministry and the
/// operators (to everyone).
pub fn may_send(role: ouen_shared::Role) -> bool {
    use ouen_shared::Role;
    matches!(role, Role::Prefecture | Role::National | Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_in_the_apis_length() {
        let a = idempotency_key();
        let b = idempotency_key();
        assert_ne!(a, b);
        for k in [a, b] {
            assert!((16..=100).contains(&k.len()), "{k}");
            assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        }
    }
}
