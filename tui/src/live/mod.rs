//! Live updates: a background task reads `GET /api/v1/events` (server-sent events, see
//! `ouen_shared::api::events`) and hands each event to the application as an action; the
//! application tells the open views, which re-read what they show. The task reconnects by
//! itself with a doubling back-off and `Last-Event-ID`, so nothing is missed across a
//! reconnect (the server answers `resync` when it cannot tell). A server without the route
//! (404, an older server) or a session it refuses (401) ends the task quietly.

pub mod sse;

use crate::api::Client;
pub use crate::app::LiveNews;

use crate::app::Action;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub use crate::api::EVENTS_ROUTE;

/// The running task; dropping it ends the task.
pub struct Subscription(tokio::task::JoinHandle<()>);

impl Drop for Subscription {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the task (`None` outside a tokio runtime).
pub fn subscribe(client: Client, tx: UnboundedSender<Action>) -> Option<Subscription> {
    let handle = tokio::runtime::Handle::try_current().ok()?;
    Some(Subscription(handle.spawn(run(client, tx))))
}

/// The wait before reconnect attempt `attempt`: doubling from one second, at most thirty.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_secs((1u64 << attempt.min(5)).min(30))
}

async fn run(client: Client, tx: UnboundedSender<Action>) {
    let send = |news: LiveNews| tx.send(Action::Live(news)).is_ok();
    let mut last_id: Option<String> = None;
    let mut attempt = 0u32;
    loop {
        match client.open_events(last_id.as_deref()).await {
            Ok(mut resp) => {
                if !send(LiveNews::Up) {
                    return;
                }
                attempt = 0;
                let mut parser = sse::Parser::new();
                while let Ok(Some(chunk)) = resp.chunk().await {
                    for frame in parser.feed(&chunk) {
                        if let Ok(event) =
                            serde_json::from_str::<ouen_shared::api::StreamEvent>(&frame.data)
                        {
                            if !send(LiveNews::Event(event)) {
                                return;
                            }
                        }
                    }
                    if let Some(id) = parser.last_id() {
                        last_id = Some(id.to_string());
                    }
                }
            }
            Err(Some(status @ (401 | 404))) => {
                send(LiveNews::Stopped {
                    unauthenticated: status == 401,
                });
                return;
            }
            Err(_) => {}
        }
        if !send(LiveNews::Down) {
            return;
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt = attempt.saturating_add(1);
    }
}
