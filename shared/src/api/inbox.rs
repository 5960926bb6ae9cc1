//! The inbox: messages to one account, from the features that need to tell it something.

use crate::NoticeKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One message in the caller's inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxMessage {
    pub id: i64,
    pub kind: NoticeKind,
    /// The message's title, in the recipient's language.
    pub subject: String,
    /// The message's text, in the recipient's language.
    pub body: String,
    /// The kind of record the message is about (`member`), so a client can open it; absent
    /// for messages about no record.
    pub subject_kind: Option<String>,
    /// The id of that record.
    pub subject_id: Option<i64>,
    /// When the recipient marked it read; absent while unread.
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Filters of `GET /api/v1/inbox` (newest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InboxFilter {
    /// Only messages of this kind.
    pub kind: Option<NoticeKind>,
    /// `true`: only unread messages; `false`: only read ones.
    pub unread: Option<bool>,
}

/// The filter of `POST /api/v1/inbox/read-all`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReadAllQuery {
    /// Only messages of this kind; every unread message when absent.
    pub kind: Option<NoticeKind>,
}

/// The answer of `GET /api/v1/inbox/unread`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    /// Unread messages in the caller's inbox.
    pub unread: i64,
}

/// The answer of `POST /api/v1/inbox/read-all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadAllResult {
    /// Messages this call marked read (those already read are left as they were).
    pub marked: i64,
    /// Unread messages left in the caller's inbox (of every kind).
    pub unread: i64,
}

impl InboxFilter {
    /// The query string of this filter.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(k) = self.kind {
            query.push(("kind", k.code().to_string()));
        }
        if let Some(u) = self.unread {
            query.push(("unread", u.to_string()));
        }
        query
    }
}
