//! One connection pool for the whole program and the one generic call over the endpoint table.

use super::error::ApiError;
use ouen_shared::endpoints::{Endpoint, Method, Payload};
use ouen_shared::{ErrorBody, ErrorCode, Lang};
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The route of the live-update stream (server-sent events, see `ouen_shared::api::events`).
pub const EVENTS_ROUTE: &str = "/api/v1/events";

/// The HTTP client: one connection pool for the whole program.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// For the live-update stream: no overall time limit, only one between bytes (the server
    /// sends keep-alives well within it).
    stream_http: reqwest::Client,
    base: Arc<Mutex<String>>,
    token: Arc<Mutex<Option<String>>>,
    lang: Arc<Mutex<Lang>>,
}

fn lock<T: Clone>(m: &Mutex<T>) -> T {
    match m.lock() {
        Ok(g) => g.clone(),
        Err(p) => p.into_inner().clone(),
    }
}

fn set<T>(m: &Mutex<T>, v: T) {
    match m.lock() {
        Ok(mut g) => *g = v,
        Err(p) => *p.into_inner() = v,
    }
}

impl Client {
    pub fn new(base: &str, lang: Lang) -> Client {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("ouen-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        let stream_http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(90))
            .user_agent(concat!("ouen-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Client {
            http,
            stream_http,
            base: Arc::new(Mutex::new(base.trim_end_matches('/').to_string())),
            token: Arc::new(Mutex::new(None)),
            lang: Arc::new(Mutex::new(lang)),
        }
    }

    pub fn base(&self) -> String {
        lock(&self.base)
    }
    pub fn set_base(&self, base: &str) {
        set(&self.base, base.trim_end_matches('/').to_string());
    }
    pub fn token(&self) -> Option<String> {
        lock(&self.token)
    }
    pub fn set_token(&self, token: Option<String>) {
        set(&self.token, token);
    }
    pub fn set_lang(&self, lang: Lang) {
        set(&self.lang, lang);
    }

    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut b = self
            .http
            .request(method, format!("{}{path}", self.base()))
            .header("Accept-Language", lock(&self.lang).tag());
        if let Some(t) = self.token() {
            b = b.bearer_auth(t);
        }
        b
    }

    /// Opens the live-update stream (`GET /api/v1/events`), resuming after `last_event_id`.
    /// An error status is answered as its number; a connection that fails as `None`.
    pub async fn open_events(
        &self,
        last_event_id: Option<&str>,
    ) -> Result<reqwest::Response, Option<u16>> {
        let mut b = self
            .stream_http
            .get(format!("{}{}", self.base(), EVENTS_ROUTE))
            .header("Accept", "text/event-stream")
            .header("Accept-Language", lock(&self.lang).tag());
        if let Some(t) = self.token() {
            b = b.bearer_auth(t);
        }
        if let Some(id) = last_event_id {
            b = b.header("Last-Event-ID", id);
        }
        let resp = b.send().await.map_err(|_| None)?;
        if resp.status().is_success() {
            Ok(resp)
        } else {
            Err(Some(resp.status().as_u16()))
        }
    }

    /// Sends a request; an error status becomes an [`ApiError`] (from the error body when
    /// there is one).
    async fn respond(&self, b: reqwest::RequestBuilder) -> Result<reqwest::Response, ApiError> {
        let resp = b.send().await.map_err(|e| {
            if e.is_builder() {
                ApiError::BadServer(self.base())
            } else if e.is_connect() || e.is_timeout() || e.is_request() {
                ApiError::Offline(e.to_string())
            } else {
                ApiError::Protocol(e.to_string())
            }
        })?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ApiError::Offline(e.to_string()))?;
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(ApiError::Server(body)),
            Err(_) if status.as_u16() == 502 || status.as_u16() == 503 => {
                Err(ApiError::Offline(format!("HTTP {status}")))
            }
            Err(_) => {
                let code = ErrorCode::from_status(status.as_u16());
                Err(ApiError::Server(ErrorBody {
                    code,
                    message: code.message(lock(&self.lang)).to_string(),
                    fields: Vec::new(),
                    request_id: None,
                    retry_after_seconds: None,
                }))
            }
        }
    }

    async fn send<T: DeserializeOwned>(&self, b: reqwest::RequestBuilder) -> Result<T, ApiError> {
        let bytes = self
            .respond(b)
            .await?
            .bytes()
            .await
            .map_err(|e| ApiError::Offline(e.to_string()))?;
        let body: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        serde_json::from_slice(body).map_err(|e| ApiError::Protocol(e.to_string()))
    }

    /// Reads a body chunk by chunk, reporting bytes received against `Content-Length` (when
    /// the server sends one).
    async fn fetch(
        &self,
        b: reqwest::RequestBuilder,
        progress: &Progress<'_>,
    ) -> Result<Vec<u8>, ApiError> {
        /// Progress is reported at most once per this many bytes.
        const STEP: usize = 16 * 1024;
        let mut resp = self.respond(b).await?;
        let total = resp.content_length();
        let mut data = Vec::with_capacity(total.unwrap_or(0).min(64 << 20) as usize);
        let mut reported = 0;
        progress(0, total);
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| ApiError::Offline(e.to_string()))?
        {
            data.extend_from_slice(&chunk);
            if data.len() - reported >= STEP {
                reported = data.len();
                progress(reported as u64, total);
            }
        }
        progress(data.len() as u64, total);
        Ok(data)
    }

    fn request<E: Endpoint>(&self, endpoint: &E) -> reqwest::RequestBuilder {
        let method = match E::METHOD {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut b = self.req(method, &endpoint.path());
        let query = endpoint.query();
        if !query.is_empty() {
            b = b.query(&query);
        }
        match endpoint.payload() {
            Payload::Empty => b,
            Payload::Json(body) => b.json(body),
            Payload::Csv(bytes) => b
                .header(reqwest::header::CONTENT_TYPE, "text/csv")
                .body(bytes.to_vec()),
        }
    }

    /// Calls one endpoint and reads its JSON answer.
    pub async fn call<E>(&self, endpoint: &E) -> Result<E::Response, ApiError>
    where
        E: Endpoint,
        E::Response: DeserializeOwned,
    {
        self.send(self.request(endpoint)).await
    }

    /// Calls an endpoint whose answer is a file, reporting the bytes received on the way.
    pub async fn download<E: Endpoint>(
        &self,
        endpoint: &E,
        progress: &Progress<'_>,
    ) -> Result<Vec<u8>, ApiError> {
        self.fetch(self.request(endpoint), progress).await
    }
}

/// Reports the progress of a download: bytes received and the total, when known.
pub type Progress<'a> = dyn Fn(u64, Option<u64>) + Send + Sync + 'a;
