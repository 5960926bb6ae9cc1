//! Calls run off the event loop. A view starts a call and keeps the [`Pending`] ticket it gets
//! back; the answer arrives later as an [`Answer`] tagged with the request id, and only the
//! ticket's holder can claim it, typed. An answer nobody holds a ticket for any more (the
//! operator moved on, or asked again) is dropped as stale.

use crate::api::{ApiError, Client};
use ouen_shared::endpoints::Endpoint;
use ouen_shared::Lang;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Tags a call so that its answer reaches the one who asked, and only while it still waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// The answer to one call, on its way to whoever holds its ticket.
pub struct Answer {
    pub id: RequestId,
    /// Whether the call only read (and may simply be repeated).
    pub read: bool,
    result: Option<Result<Box<dyn Any + Send>, ApiError>>,
}

impl Answer {
    /// A successful answer (also how tests answer a recorded call).
    pub fn ok<T: Any + Send>(id: RequestId, value: T) -> Answer {
        Answer {
            id,
            read: true,
            result: Some(Ok(Box::new(value))),
        }
    }

    /// A failed answer.
    pub fn err(id: RequestId, error: ApiError) -> Answer {
        Answer {
            id,
            read: true,
            result: Some(Err(error)),
        }
    }

    /// Marks the call as one that changed something.
    pub fn written(mut self) -> Answer {
        self.read = false;
        self
    }

    /// Why the call failed, while the answer is not claimed yet.
    pub fn error(&self) -> Option<&ApiError> {
        match &self.result {
            Some(Err(e)) => Some(e),
            _ => None,
        }
    }

    /// Whether someone claimed the answer already.
    pub fn is_claimed(&self) -> bool {
        self.result.is_none()
    }
}

/// A ticket for the answer of one call whose successful result is a `T`.
pub struct Pending<T> {
    id: RequestId,
    _answer: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pending({})", self.id.0)
    }
}

impl<T: Any> Pending<T> {
    fn new(id: RequestId) -> Pending<T> {
        Pending {
            id,
            _answer: PhantomData,
        }
    }

    pub fn id(&self) -> RequestId {
        self.id
    }

    /// The answer's result when the answer is this call's.
    pub fn claim(&self, answer: &mut Answer) -> Option<Result<T, ApiError>> {
        if answer.id != self.id {
            return None;
        }
        Some(match answer.result.take()? {
            Ok(value) => value.downcast::<T>().map(|v| *v).map_err(|_| {
                ApiError::Protocol(format!(
                    "answer of another type than {}",
                    std::any::type_name::<T>()
                ))
            }),
            Err(e) => Err(e),
        })
    }
}

/// Claims an answer for the call held in `slot`, emptying the slot when it does.
pub fn claim<T: Any>(
    slot: &mut Option<Pending<T>>,
    answer: &mut Answer,
) -> Option<Result<T, ApiError>> {
    let result = slot.as_ref()?.claim(answer)?;
    *slot = None;
    Some(result)
}

/// What the network layer reports to the event loop.
pub enum NetEvent {
    Answer(Answer),
    /// Bytes of a download received so far (and the total, when the server said).
    Progress {
        id: RequestId,
        done: u64,
        total: Option<u64>,
    },
}

type Sink = Arc<dyn Fn(NetEvent) + Send + Sync>;

/// Reports the progress of one download.
#[derive(Clone)]
pub struct Reporter {
    id: RequestId,
    sink: Option<Sink>,
}

impl Reporter {
    pub fn report(&self, done: u64, total: Option<u64>) {
        if let Some(sink) = &self.sink {
            sink(NetEvent::Progress {
                id: self.id,
                done,
                total,
            });
        }
    }
}

/// Work that is not one plain call: reading a file, or a download written to disk.
pub trait Job: Send + 'static {
    type Output: Send + 'static;
    /// Whether the job only reads.
    fn is_read(&self) -> bool;
    fn run(
        self,
        client: Client,
        progress: Reporter,
    ) -> impl Future<Output = Result<Self::Output, ApiError>> + Send;
}

/// A call a recording network kept instead of sending (for tests).
pub struct Recorded(Box<dyn Any + Send>, &'static str);

impl Recorded {
    /// The endpoint or job value, when it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
    pub fn is<T: Any>(&self) -> bool {
        self.0.is::<T>()
    }
}

impl std::fmt::Debug for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.1)
    }
}

/// Runs calls on tokio tasks and reports their answers. A recording network sends nothing
/// and keeps every call, so a test can answer with whatever it likes.
#[derive(Clone)]
pub struct Net {
    pub client: Client,
    sink: Option<Sink>,
    next: Arc<AtomicU64>,
    recorded: Arc<Mutex<Vec<(RequestId, Recorded)>>>,
}

impl Net {
    /// A network whose answers go to `sink`.
    pub fn new(client: Client, sink: impl Fn(NetEvent) + Send + Sync + 'static) -> Net {
        Net {
            client,
            sink: Some(Arc::new(sink)),
            next: Arc::new(AtomicU64::new(1)),
            recorded: Arc::default(),
        }
    }

    /// A network that sends nothing and records every call (for tests).
    pub fn recording() -> Net {
        Net {
            client: Client::new("http://127.0.0.1:9", Lang::Ja),
            sink: None,
            next: Arc::new(AtomicU64::new(1)),
            recorded: Arc::default(),
        }
    }

    /// The calls recorded since the last time.
    pub fn take_recorded(&self) -> Vec<(RequestId, Recorded)> {
        match self.recorded.lock() {
            Ok(mut g) => std::mem::take(&mut *g),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        }
    }

    /// Calls one endpoint; the answer comes back for the ticket.
    pub fn call<E>(&self, endpoint: E) -> Pending<E::Response>
    where
        E: Endpoint,
        E::Response: DeserializeOwned,
    {
        let read = endpoint.is_read();
        self.start(endpoint, read, |client, endpoint, _| async move {
            client.call(&endpoint).await
        })
    }

    /// Runs a job; its result comes back for the ticket.
    pub fn job<J: Job>(&self, job: J) -> Pending<J::Output> {
        let read = job.is_read();
        self.start(job, read, |client, job, progress| job.run(client, progress))
    }

    fn start<V, T, F, Fut>(&self, value: V, read: bool, run: F) -> Pending<T>
    where
        V: Send + 'static,
        T: Send + 'static,
        F: FnOnce(Client, V, Reporter) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, ApiError>> + Send,
    {
        let id = RequestId(self.next.fetch_add(1, Ordering::Relaxed));
        match (&self.sink, tokio::runtime::Handle::try_current()) {
            (Some(sink), Ok(handle)) => {
                let sink = sink.clone();
                let client = self.client.clone();
                let progress = Reporter {
                    id,
                    sink: Some(sink.clone()),
                };
                handle.spawn(async move {
                    let result = run(client, value, progress).await;
                    let result = result.map(|v| Box::new(v) as Box<dyn Any + Send>);
                    sink(NetEvent::Answer(Answer {
                        id,
                        read,
                        result: Some(result),
                    }));
                });
            }
            _ => {
                if let Ok(mut g) = self.recorded.lock() {
                    g.push((id, Recorded(Box::new(value), std::any::type_name::<V>())));
                }
            }
        }
        Pending::new(id)
    }
}

impl Answer {
    /// Takes the result whatever its type (for a caller that knows it from elsewhere, as a
    /// form knows what it sent).
    pub fn take_any(&mut self) -> Option<Result<Box<dyn Any + Send>, ApiError>> {
        self.result.take()
    }
}

/// One endpoint call described but not started yet (what a form sends when submitted).
pub struct Call {
    endpoint: Box<dyn Any + Send>,
    start: fn(Box<dyn Any + Send>, &Net) -> Option<RequestId>,
}

impl Call {
    pub fn new<E>(endpoint: E) -> Call
    where
        E: Endpoint,
        E::Response: DeserializeOwned,
    {
        Call {
            endpoint: Box::new(endpoint),
            start: |endpoint, net| match endpoint.downcast::<E>() {
                Ok(e) => Some(net.call(*e).id()),
                Err(_) => None,
            },
        }
    }

    /// The endpoint value, when it is an `E`.
    pub fn get<E: Any>(&self) -> Option<&E> {
        self.endpoint.downcast_ref()
    }

    /// Starts the call; its answer comes back under the id returned.
    pub fn start(self, net: &Net) -> Option<RequestId> {
        (self.start)(self.endpoint, net)
    }
}

impl Answer {
    /// An answer as a test fixture or a recorded call's stand-in builds it.
    pub fn boxed(
        id: RequestId,
        read: bool,
        result: Result<Box<dyn Any + Send>, ApiError>,
    ) -> Answer {
        Answer {
            id,
            read,
            result: Some(result),
        }
    }
}
