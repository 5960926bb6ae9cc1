//! The live-update hub of one server instance: it learns which events committed and announces
//! their ids to the instance's open streams (`GET /api/v1/events`, see
//! [`crate::routes::events`]), each of which reads those of them its caller may see.
//!
//! How it learns: on PostgreSQL one `LISTEN ouen_events` connection per instance, notified by
//! a trigger on commit of any transaction that wrote events, whichever instance it ran on; on
//! SQLite the store's in-process signal after each such commit. Either way, a poll every
//! `events.poll_ms` is the safety net (a notification lost while the listener reconnects; other
//! processes on one SQLite file). A dropped listener connection is noticed (`try_recv`, not
//! `recv`, which would reconnect silently), read past, and reconnected; right after its `LISTEN`
//! takes hold the hub reads again, so a commit in between is not left for the poll.
//!
//! What it announces: the ids read since the last wake. A PostgreSQL id is taken when the row
//! is written but visible only on commit, so id 11 may be read before id 10 commits; reading
//! "ids above the last seen" alone would skip 10 forever. The hub therefore remembers every id
//! it skipped over as *missing* and asks for those again on each wake, for a bounded window
//! ([`MISSING_FOR`], longer than any request's transaction); an id that never shows (rolled
//! back) is forgotten then. SQLite's single writer commits ids in order, so nothing is missing.

use crate::config::EventsConfig;
use crate::error::ApiError;
use crate::store::{BackendKind, Store};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch};

/// How long a skipped PostgreSQL id is looked for before it is taken as rolled back.
pub const MISSING_FOR: Duration = Duration::from_secs(120);
/// The most skipped ids remembered at once (the oldest are dropped beyond).
const MAX_MISSING: usize = 10_000;
/// Ids read per query.
const READ_LIMIT: i64 = 5_000;
/// How often each instance deletes the events past `events.retention_hours`.
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Announcements a slow stream may fall behind before it is told to `resync`.
const BACKLOG: usize = 256;

/// One instance's hub; cheap to share (`Arc`).
pub struct Hub {
    announce: broadcast::Sender<Arc<Vec<i64>>>,
    closing: watch::Sender<bool>,
    open: Mutex<OpenStreams>,
    config: EventsConfig,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[derive(Default)]
struct OpenStreams {
    total: usize,
    per_account: HashMap<i64, usize>,
}

/// A place among the open streams, given back when dropped.
pub struct Ticket {
    hub: Arc<Hub>,
    account_id: i64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut open) = self.hub.open.lock() {
            open.total = open.total.saturating_sub(1);
            if let Some(n) = open.per_account.get_mut(&self.account_id) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.per_account.remove(&self.account_id);
                }
            }
        }
    }
}

impl Hub {
    /// Starts the hub of `store` (a background task until [`Hub::close`]).
    pub async fn start(store: Store, config: EventsConfig) -> Result<Arc<Hub>, ApiError> {
        let (announce, _) = broadcast::channel(BACKLOG);
        let (closing, _) = watch::channel(false);
        let hub = Arc::new(Hub {
            announce,
            closing,
            open: Mutex::default(),
            config,
            task: Mutex::default(),
        });
        let after = store.event_bounds().await?.newest.unwrap_or(0);
        let task = tokio::spawn(run(Arc::clone(&hub), store, after));
        if let Ok(mut slot) = hub.task.lock() {
            *slot = Some(task);
        }
        Ok(hub)
    }

    /// The stream settings.
    pub fn config(&self) -> &EventsConfig {
        &self.config
    }

    /// A place for one more stream of `account_id`, or `Throttled` (429) beyond the limits.
    pub fn admit(self: &Arc<Self>, account_id: i64) -> Result<Ticket, ApiError> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| ApiError::Internal("stream count poisoned".into()))?;
        let mine = open.per_account.get(&account_id).copied().unwrap_or(0);
        if open.total >= self.config.max_streams || mine >= self.config.max_streams_per_account {
            return Err(ApiError::Throttled {
                retry_after_seconds: 5,
            });
        }
        open.total += 1;
        *open.per_account.entry(account_id).or_default() += 1;
        Ok(Ticket {
            hub: Arc::clone(self),
            account_id,
        })
    }

    /// How many streams of `account_id` are open on this instance.
    pub fn open_streams(&self, account_id: i64) -> usize {
        self.open
            .lock()
            .map(|o| o.per_account.get(&account_id).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// How many streams are open on this instance (each already hears every new event).
    pub fn open_total(&self) -> usize {
        self.open.lock().map(|o| o.total).unwrap_or(0)
    }

    /// The announcements of committed event ids from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Vec<i64>>> {
        self.announce.subscribe()
    }

    /// Resolves once the hub closes (the server stops).
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every stream and stops listening.
    pub fn close(&self) {
        self.closing.send_replace(true);
        if let Ok(mut slot) = self.task.lock() {
            if let Some(task) = slot.take() {
                task.abort();
            }
        }
    }
}

/// What the hub has read: the highest id and the ids skipped below it that may still commit.
struct Seen {
    after: i64,
    missing: BTreeMap<i64, Instant>,
    track_missing: bool,
}

impl Seen {
    /// Takes in ids read (in order); answers those not announced before.
    fn take(&mut self, ids: Vec<i64>, now: Instant) -> Vec<i64> {
        let mut fresh = Vec::with_capacity(ids.len());
        for id in ids {
            if self.missing.remove(&id).is_some() {
                fresh.push(id);
            } else if id > self.after {
                if self.track_missing {
                    let skipped_from = (self.after + 1).max(id - MAX_MISSING as i64);
                    for gap in skipped_from..id {
                        self.missing.insert(gap, now);
                    }
                }
                self.after = id;
                fresh.push(id);
            }
        }
        self.missing
            .retain(|_, since| now.duration_since(*since) < MISSING_FOR);
        while self.missing.len() > MAX_MISSING {
            self.missing.pop_first();
        }
        fresh
    }
}

async fn run(hub: Arc<Hub>, store: Store, after: i64) {
    let mut seen = Seen {
        after,
        missing: BTreeMap::new(),
        track_missing: store.kind() == BackendKind::Postgres,
    };
    let poll = Duration::from_millis(hub.config.poll_ms.max(10));
    let signal = store.event_signal();
    let mut listener = None;
    let mut every = tokio::time::interval(poll);
    prune(&store, hub.config.retention_hours).await;
    let mut pruned = Instant::now();
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // A listener just (re)connected reads at once: what committed before its `LISTEN` took
        // hold had no notification for it.
        let reconnected = listener.is_none() && {
            listener = store.event_listener().await;
            listener.is_some()
        };
        if !reconnected {
            tokio::select! {
                _ = signal.woken() => {}
                _ = every.tick() => {}
                notified = wait_for(&mut listener) => match notified {
                    Ok(true) => {}
                    // The connection dropped: notifications may have been lost meanwhile. The
                    // read below catches up; the next loop connects again and reads once more.
                    Ok(false) => {
                        tracing::warn!("event listener lost its connection");
                        listener = None;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "event listener failed");
                        listener = None;
                    }
                },
            }
        }
        if let Err(error) = read_and_announce(&hub, &store, &mut seen).await {
            tracing::warn!(%error, "reading new events failed");
        }
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = Instant::now();
            prune(&store, hub.config.retention_hours).await;
        }
    }
}

/// Deletes the events older than the retention. Every instance does, now and then; deleting
/// what another instance already deleted is no harm.
async fn prune(store: &Store, retention_hours: i64) {
    let cutoff = crate::store::now() - chrono::Duration::hours(retention_hours);
    match store.prune_events(cutoff).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(events = n, "pruned old events"),
        Err(error) => tracing::warn!(%error, "pruning old events failed"),
    }
}

/// The next notification of the PostgreSQL listener (`true`), or `false` when its connection
/// dropped; never, without a listener. (`recv` would reconnect by itself and hide the drop.)
async fn wait_for(listener: &mut Option<sqlx::postgres::PgListener>) -> Result<bool, sqlx::Error> {
    match listener {
        Some(l) => l.try_recv().await.map(|n| n.is_some()),
        None => std::future::pending().await,
    }
}

async fn read_and_announce(hub: &Hub, store: &Store, seen: &mut Seen) -> Result<(), ApiError> {
    loop {
        let missing: Vec<i64> = seen.missing.keys().copied().collect();
        let ids = store
            .new_event_ids(seen.after, &missing, READ_LIMIT)
            .await?;
        let full = ids.len() as i64 >= READ_LIMIT;
        let fresh = seen.take(ids, Instant::now());
        if !fresh.is_empty() {
            // No stream open is no error.
            let _ = hub.announce.send(Arc::new(fresh));
        }
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skipped_id_is_announced_when_it_commits_and_once_only() {
        let mut seen = Seen {
            after: 9,
            missing: BTreeMap::new(),
            track_missing: true,
        };
        let t = Instant::now();
        assert_eq!(seen.take(vec![11], t), vec![11]);
        assert_eq!(seen.missing.keys().copied().collect::<Vec<_>>(), vec![10]);
        assert_eq!(seen.take(vec![10, 11, 12], t), vec![10, 12]);
        assert!(seen.missing.is_empty());
        assert_eq!(seen.take(vec![12], t), Vec::<i64>::new());
    }

    #[test]
    fn a_skipped_id_is_forgotten_after_the_window() {
        let mut seen = Seen {
            after: 0,
            missing: BTreeMap::new(),
            track_missing: true,
        };
        let t = Instant::now();
        seen.take(vec![3], t);
        assert_eq!(seen.missing.len(), 2);
        seen.take(vec![], t + MISSING_FOR);
        assert!(seen.missing.is_empty());
    }
}
