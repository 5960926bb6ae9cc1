//! Live updates: the events of `GET /api/v1/events`, a server-sent-events stream per signed-in
//! account. An event names what changed (kind and ids) and nothing more; the client re-reads
//! what it shows, through the same scoped routes as always.
//!
//! Each event is one SSE frame: `id:` the event's id (increasing), `event:` its kind's code,
//! `data:` the [`StreamEvent`] as JSON. A client reconnecting with `Last-Event-ID` receives what
//! it missed, or a `resync` event when that is no longer known, telling it to reload its views.

use serde::{Deserialize, Serialize};

/// What an event tells a client has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A message arrived in the caller's inbox (`subject_id`: the message).
    InboxMessage,
    /// A registration or member record in the caller's scope changed, e.g. one to vet arrived
    /// (`subject_id`: the member).
    Member,
    /// A dispatch request in the caller's scope changed: an answer arrived, it was sent,
    /// edited or cancelled (`subject_id`: the request).
    Dispatch,
    /// The stream cannot tell what was missed: reload every view.
    Resync,
}

impl EventKind {
    /// The code used as the SSE `event:` field.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::InboxMessage => "inbox_message",
            EventKind::Member => "member",
            EventKind::Dispatch => "dispatch",
            EventKind::Resync => "resync",
        }
    }
}

/// One event of the stream (the `data:` of its frame).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamEvent {
    /// Increasing; the `id:` of the frame, to send back as `Last-Event-ID`.
    pub id: i64,
    pub kind: EventKind,
    /// The kind of record that changed (`inbox_message`, `member`); absent for `resync`.
    pub subject_kind: Option<String>,
    /// The id of that record.
    pub subject_id: Option<i64>,
}

/// The query of `GET /api/v1/events`: where to resume, for clients that cannot send the
/// `Last-Event-ID` header (which takes precedence when both are sent).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EventsQuery {
    /// The id of the last event received: what came after it is sent first (or `resync`).
    pub last_event_id: Option<i64>,
}
