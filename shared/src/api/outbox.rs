//! The e-mail outbox as operators see it: what was sent to whom, what failed and why.

use crate::NoticeKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an e-mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum OutboxStatus {
    /// Waiting for its (next) attempt.
    Queued,
    /// Claimed by a worker that is delivering it.
    Sending,
    Sent,
    /// Given up: refused permanently, too many attempts, or the recipient was erased.
    Failed,
}

impl OutboxStatus {
    /// Every state, in lifecycle order.
    pub const ALL: &'static [OutboxStatus] = &[
        OutboxStatus::Queued,
        OutboxStatus::Sending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<OutboxStatus> {
        Some(match code {
            "queued" => OutboxStatus::Queued,
            "sending" => OutboxStatus::Sending,
            "sent" => OutboxStatus::Sent,
            "failed" => OutboxStatus::Failed,
            _ => return None,
        })
    }
}

/// One e-mail in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    /// The member it goes to.
    pub member_id: i64,
    /// The member's address, masked (`h***@example.jp`); empty once the member is anonymised.
    pub recipient: String,
    pub kind: NoticeKind,
    pub subject: String,
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (while queued).
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Filters of `GET /api/v1/outbox` (newest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OutboxFilter {
    /// Only messages in this state.
    pub status: Option<OutboxStatus>,
    /// Only messages of this kind.
    pub kind: Option<NoticeKind>,
}

/// The answer of `GET /api/v1/outbox/counts`: messages in each state, in the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxCounts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}
