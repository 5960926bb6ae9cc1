//! `GET /api/v1/events`: the live-update stream of the caller's scope, as server-sent events
//! (`id:`, `event:`, `data:` frames; see `ouen_shared::api::events`).
//!
//! A stream subscribes to its instance's [`Hub`](crate::live::Hub) before its answer starts,
//! so every event committed after the client sees the answer reaches it. For each batch of
//! ids the hub announces, the stream reads those its caller may see, in SQL, and sends them.
//!
//! Resuming: with `Last-Event-ID` (or `?last_event_id=`) the stream first replays the events
//! after that id within the caller's scope. An id it cannot vouch for (older than the oldest
//! kept, newer than the newest, negative; or a header that is not a number, as a browser
//! echoes back whatever id it saw) gets one `resync` event first: the client reloads. So does
//! a replay longer than [`MAX_REPLAY`] and a stream that fell behind the hub. A query value
//! that is not an integer is a 422 naming `last_event_id`, like any other query.
//!
//! The stream sends `: keep-alive` comments every `events.keep_alive_seconds` so that idle
//! proxies keep it open, and re-checks the caller's session on each batch and each keep-alive:
//! it ends when the session does (logout, revocation, expiry, a disabled account), when the
//! client goes away, and when the server stops.

use crate::auth::extract::ApiQuery;
use crate::error::ApiError;
use crate::live::{Hub, Ticket};
use crate::scope::Actor;
use crate::state::AppState;
use crate::store::{now, Store};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use ouen_shared::api::{EventKind, EventsQuery, StreamEvent};
use ouen_shared::ErrorBody;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// The most events replayed after a reconnect; beyond, the client gets `resync`.
pub const MAX_REPLAY: i64 = 1_000;

/// Ids per scoped read.
const READ_CHUNK: usize = 500;

/// The live updates of the caller's scope: inbox messages to the caller, and changes to the
/// members it may see in the roster (e.g. a registration to vet). Never ends on its own.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", security(("bearer" = [])),
    params(EventsQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received; takes precedence over last_event_id.")),
    responses(
        (status = 200, description = "Server-sent events: `id:`, `event:` (a kind's code) and `data:` (a StreamEvent as JSON) frames, and `: keep-alive` comments.", content_type = "text/event-stream", body = String),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn stream_events(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Response, ApiError> {
    // `None`: a fresh stream; `Some(None)`: an id that cannot be a position.
    let resume: Option<Option<i64>> = match headers.get("last-event-id") {
        Some(value) => Some(value.to_str().ok().and_then(|v| v.trim().parse().ok())),
        None => query.last_event_id.map(Some),
    };
    let hub = Arc::clone(&state.events);
    // Subscribed before the bounds are read: nothing committed from here on is missed. And
    // before the stream counts as open, so a stream counted is one that hears every event.
    let announced = hub.subscribe();
    let ticket = hub.admit(actor.account_id)?;
    let bounds = state.store.event_bounds().await?;
    let newest = bounds.newest.unwrap_or(0);
    let start = match resume {
        None => Start::Fresh,
        Some(Some(id)) if bounds.oldest.is_some_and(|o| id >= o - 1) && id <= newest => {
            Start::After(id)
        }
        Some(_) => Start::Resync(newest),
    };
    let (tx, rx) = mpsc::channel::<Bytes>(16);
    tokio::spawn(
        Stream {
            store: state.store.clone(),
            hub,
            actor,
            tx,
            sent: HashSet::new(),
            _ticket: ticket,
        }
        .run(start, announced),
    );
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|bytes| (Ok::<_, std::convert::Infallible>(bytes), rx))
    }));
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Proxies such as nginx would otherwise hold frames back.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// Where a stream begins.
enum Start {
    /// From now on.
    Fresh,
    /// After this id: replay first.
    After(i64),
    /// `resync` first (with this id, the newest kept), then from now on.
    Resync(i64),
}

/// One open stream's task.
struct Stream {
    store: Store,
    hub: Arc<Hub>,
    actor: Actor,
    tx: mpsc::Sender<Bytes>,
    /// Ids sent by the replay, which the hub may still announce.
    sent: HashSet<i64>,
    _ticket: Ticket,
}

/// Why a stream ends.
enum End {
    /// The client went away, the session ended, or the server stops.
    Done,
}

impl Stream {
    async fn run(mut self, start: Start, mut announced: broadcast::Receiver<Arc<Vec<i64>>>) {
        let _ = self.serve(start, &mut announced).await;
    }

    async fn serve(
        &mut self,
        start: Start,
        announced: &mut broadcast::Receiver<Arc<Vec<i64>>>,
    ) -> Result<(), End> {
        self.send(Bytes::from_static(b": connected\n\n")).await?;
        match start {
            Start::Fresh => {}
            Start::Resync(newest) => self.resync(newest).await?,
            Start::After(after) => self.replay(after).await?,
        }
        let every = Duration::from_secs_f64(self.hub.config().keep_alive_seconds);
        let mut keep_alive = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        let mut closing = self.hub.closing();
        if *closing.borrow() {
            return Err(End::Done);
        }
        loop {
            tokio::select! {
                batch = announced.recv() => match batch {
                    Ok(ids) => {
                        self.check_session().await?;
                        self.deliver(&ids).await?;
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        self.check_session().await?;
                        let newest = self.store.event_bounds().await.map_err(|_| End::Done)?.newest.unwrap_or(0);
                        self.resync(newest).await?;
                    }
                    Err(broadcast::error::RecvError::Closed) => return Err(End::Done),
                },
                _ = keep_alive.tick() => {
                    self.check_session().await?;
                    self.send(Bytes::from_static(b": keep-alive\n\n")).await?;
                }
                _ = closing.changed() => return Err(End::Done),
                _ = self.tx.closed() => return Err(End::Done),
            }
        }
    }

    /// Ends the stream unless the caller's session is still live; takes in a changed role.
    async fn check_session(&mut self) -> Result<(), End> {
        match self
            .store
            .actor_for_session(
                &self.actor.session_token_hash,
                now(),
                self.actor.request.clone(),
            )
            .await
        {
            Ok(Some(actor)) => {
                self.actor = actor;
                Ok(())
            }
            // A database that does not answer ends the stream too; the client reconnects.
            _ => Err(End::Done),
        }
    }

    /// Sends the events after `after` the caller may see, or `resync` when there are more
    /// than [`MAX_REPLAY`].
    async fn replay(&mut self, after: i64) -> Result<(), End> {
        let events = self
            .store
            .events_after(&self.actor, after, MAX_REPLAY + 1)
            .await
            .map_err(|_| End::Done)?;
        if events.len() as i64 > MAX_REPLAY {
            let newest = events.last().map_or(after, |e| e.id);
            return self.resync(newest).await;
        }
        for event in events {
            self.sent.insert(event.id);
            self.send(frame(&event)).await?;
        }
        Ok(())
    }

    /// Sends those of `ids` the caller may see and has not had yet.
    async fn deliver(&mut self, ids: &[i64]) -> Result<(), End> {
        let ids: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !self.sent.remove(id))
            .collect();
        for chunk in ids.chunks(READ_CHUNK) {
            let events = self
                .store
                .events_among(&self.actor, chunk)
                .await
                .map_err(|_| End::Done)?;
            for event in events {
                self.send(frame(&event)).await?;
            }
        }
        Ok(())
    }

    async fn resync(&mut self, newest: i64) -> Result<(), End> {
        let event = StreamEvent {
            id: newest,
            kind: EventKind::Resync,
            subject_kind: None,
            subject_id: None,
        };
        self.send(frame(&event)).await
    }

    async fn send(&self, bytes: Bytes) -> Result<(), End> {
        self.tx.send(bytes).await.map_err(|_| End::Done)
    }
}

/// One event as an SSE frame.
fn frame(event: &StreamEvent) -> Bytes {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!(
        "id: {}\nevent: {}\ndata: {data}\n\n",
        event.id,
        event.kind.code()
    ))
}
