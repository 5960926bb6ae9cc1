//! Bulk mail and the newsletter (メールマガジン): messages to many members at once, each
//! delivered through the one notification path (an inbox entry for a member with an account, and
//! an e-mail through the outbox), in the transaction that records the send.
//!
//! A bulk mail picks its recipients with the roster's own [`MemberFilter`], in the sender's
//! scope; a newsletter issue goes to every subscriber (a member in the publisher's scope who did
//! not opt out). Members who opted out of general mail are never counted nor sent to.

use crate::api::MemberFilter;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest subject of a bulk mail or newsletter issue, in characters.
pub const MAX_MAIL_SUBJECT_CHARS: usize = 200;
/// The longest body of a bulk mail or newsletter issue, in characters.
pub const MAX_MAIL_BODY_CHARS: usize = 20_000;

/// A bulk mail being composed: to whom (the roster's filter) and what.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkMailDraft {
    /// The roster filter choosing the recipients, as `GET /api/v1/members` takes it.
    #[serde(default)]
    pub filter: MemberFilter,
    /// One line, at most [`MAX_MAIL_SUBJECT_CHARS`] characters.
    pub subject: String,
    /// Plain text, at most [`MAX_MAIL_BODY_CHARS`] characters.
    pub body: String,
}

/// A bulk mail to send. Sending the same `idempotency_key` again answers the first send and
/// reaches nobody a second time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkMailRequest {
    /// Chosen by the client for this send (e.g. a UUID), 16 to 100 characters.
    pub idempotency_key: String,
    #[serde(flatten)]
    pub draft: BulkMailDraft,
}

/// What a send would do: the exact number of members it reaches and the message as they read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailPreview {
    /// Members the message would reach.
    pub recipients: i64,
    /// Members the filter matches who opted out of general mail, so are not counted above.
    pub opted_out: i64,
    /// The subject as sent.
    pub subject: String,
    /// The body as sent, with the footer every such message carries (the opt-out link).
    pub body: String,
}

/// A bulk mail that was sent: the record of who sent what to how many, with which filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkMail {
    pub id: i64,
    pub subject: String,
    pub body: String,
    /// The filter as the sender gave it.
    pub filter: MemberFilter,
    /// Members it reached.
    pub recipients: i64,
    /// The sending account's login.
    pub author: Option<String>,
    /// The organisation it was sent for.
    pub organisation_id: Option<i64>,
    pub sent_at: DateTime<Utc>,
}

/// Where a newsletter issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum IssueStatus {
    /// Being written; can be changed and previewed.
    Draft,
    /// Sent to its subscribers; no longer changes.
    Sent,
}

impl IssueStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            IssueStatus::Draft => "draft",
            IssueStatus::Sent => "sent",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<IssueStatus> {
        match code {
            "draft" => Some(IssueStatus::Draft),
            "sent" => Some(IssueStatus::Sent),
            _ => None,
        }
    }
}

/// The text of a newsletter issue, as written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueDraft {
    pub subject: String,
    pub body: String,
}

/// One issue of the newsletter of an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewsletterIssue {
    pub id: i64,
    /// The publishing organisation (a prefecture for its roster; national or the system for all).
    pub organisation_id: Option<i64>,
    pub status: IssueStatus,
    pub subject: String,
    pub body: String,
    /// The login of the account that wrote it.
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it was sent, and to how many subscribers.
    pub sent_at: Option<DateTime<Utc>>,
    pub recipients: Option<i64>,
}

// The text and key are checked by the server, which normalises them as it stores them.
impl crate::Validate for BulkMailDraft {
    fn problems(&self) -> Vec<crate::FieldIssue> {
        Vec::new()
    }
}
impl crate::Validate for BulkMailRequest {
    fn problems(&self) -> Vec<crate::FieldIssue> {
        Vec::new()
    }
}
impl crate::Validate for IssueDraft {
    fn problems(&self) -> Vec<crate::FieldIssue> {
        Vec::new()
    }
}
