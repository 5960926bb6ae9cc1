//! The one HTTP client of the terminal, speaking the schema crate's types. Views never call it
//! directly: they describe a [`Request`], the [`Net`] runs it on a tokio task and the answer
//! comes back as an [`Action::Response`] tagged with the request id.

use crate::action::{Action, RequestId};
use ouen_shared::api::{
    Account, AccountCreated, ChangePasswordRequest, CreateAccountRequest, CreateMemberRequest,
    CreateOrganisationRequest, CsvEncoding, DecisionRequest, DecisionResult, ImportReport,
    Invitation, LoginRequest, Me, Member, MemberFilter, MemberSummary, Municipality, OfferRequest,
    Organisation, Page, PasswordReset, Registered, RegistrationRequest, RegistrationTerms,
    ResetPasswordRequest, SessionCreated, SortOrder, UpdateMemberNotesRequest,
    UpdateOrganisationRequest, UpdateProfileRequest, WithdrawalRequest,
};
use ouen_shared::{ErrorBody, ErrorCode, Lang, OrgKind, Role};
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// A call to the server.
#[derive(Debug, Clone)]
pub enum Request {
    Login(LoginRequest),
    Logout,
    Me,
    Accounts {
        q: Option<String>,
        role: Option<Role>,
    },
    CreateAccount(CreateAccountRequest),
    SetDisabled {
        id: i64,
        disabled: bool,
    },
    ResetPassword {
        id: i64,
        body: ResetPasswordRequest,
    },
    ChangeOwnPassword(ChangePasswordRequest),
    Organisations {
        kind: Option<OrgKind>,
    },
    CreateOrganisation(CreateOrganisationRequest),
    RenameOrganisation {
        id: i64,
        name: String,
    },
    Municipalities {
        prefecture: Option<String>,
        q: String,
        /// Only cities and special wards (the kinds that run health centres).
        cities_only: bool,
    },
    /// One page of the roster, filtered and sorted on the server.
    Members {
        filter: MemberFilter,
        page: u32,
        per_page: u32,
        sort: &'static str,
        order: SortOrder,
    },
    /// A prefecture enters a professional it manages itself.
    CreateMember(CreateMemberRequest),
    /// One member's full record (an audited read).
    Member {
        id: i64,
    },
    UpdateNotes {
        id: i64,
        body: UpdateMemberNotesRequest,
    },
    /// A prefecture's decision on one membership.
    Decide {
        id: i64,
        prefecture: String,
        body: DecisionRequest,
    },
    Invite {
        id: i64,
    },
    /// The roster as CSV, written to `path` as it arrives (progress is reported on the way).
    Export {
        filter: MemberFilter,
        encoding: CsvEncoding,
        path: PathBuf,
    },
    /// A CSV file read from disk on a task (not a call to the server).
    ReadFile {
        path: PathBuf,
    },
    /// A CSV import (all or nothing); `dry_run` checks every row and saves nothing.
    Import {
        csv: Arc<Vec<u8>>,
        prefecture: Option<String>,
        dry_run: bool,
    },
    /// The signed-in member's own record.
    MyMember,
    UpdateProfile(UpdateProfileRequest),
    SetOffer {
        prefecture: String,
        body: OfferRequest,
    },
    Withdraw(WithdrawalRequest),
    RegistrationTerms,
    Register(RegistrationRequest),
    /// `GET /healthz`: is the server back?
    Ping,
}

impl Request {
    /// Whether the request only reads (so it can be repeated after a lost connection).
    pub fn is_read(&self) -> bool {
        matches!(
            self,
            Request::Me
                | Request::Accounts { .. }
                | Request::Organisations { .. }
                | Request::Municipalities { .. }
                | Request::Members { .. }
                | Request::Member { .. }
                | Request::MyMember
                | Request::ReadFile { .. }
                | Request::RegistrationTerms
                | Request::Ping
        )
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Session(Box<SessionCreated>),
    Done,
    Me(Box<Me>),
    Accounts(Page<Account>),
    Account(Box<Account>),
    AccountCreated(Box<AccountCreated>),
    PasswordReset(PasswordReset),
    Organisations(Page<Organisation>),
    Organisation(Box<Organisation>),
    Municipalities(Vec<Municipality>),
    Members(Page<MemberSummary>),
    Member(Box<Member>),
    Decided(Box<DecisionResult>),
    Invitation(Invitation),
    Imported(ImportReport),
    /// A CSV export written to disk.
    Exported {
        path: PathBuf,
        bytes: u64,
    },
    File(Arc<Vec<u8>>),
    Terms(RegistrationTerms),
    Registered(Registered),
}

/// Why a call failed.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The server could not be reached (connection refused, timeout, DNS).
    Offline(String),
    /// The server answered with an error body.
    Server(ErrorBody),
    /// The answer could not be understood.
    Protocol(String),
    /// A local file could not be read or written.
    File {
        path: PathBuf,
        write: bool,
        reason: String,
    },
}

impl ApiError {
    /// Whether the session is gone (expired or revoked): the login screen takes over.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, ApiError::Server(b) if b.code == ErrorCode::Unauthenticated)
    }

    /// A one-line message for the status bar.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Offline(_) => crate::i18n::T::Offline.get(lang).to_string(),
            ApiError::Server(b) => match &b.request_id {
                Some(id) => format!("{} ({id})", b.message),
                None => b.message.clone(),
            },
            ApiError::Protocol(m) => {
                lang.pick("サーバーの応答を読み取れません: ", "Unexpected answer: ")
                    .to_string()
                    + m
            }
            ApiError::File {
                path,
                write,
                reason,
            } => format!(
                "{} {}: {reason}",
                if *write {
                    lang.pick("ファイルに書き込めません:", "Cannot write the file")
                } else {
                    lang.pick("ファイルを読み込めません:", "Cannot read the file")
                },
                path.display()
            ),
        }
    }
}

/// The HTTP client: one connection pool for the whole program.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
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
        Client {
            http,
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

    /// Sends a request; an error status becomes an [`ApiError`] (from the error body when
    /// there is one).
    async fn respond(&self, b: reqwest::RequestBuilder) -> Result<reqwest::Response, ApiError> {
        let resp = b.send().await.map_err(|e| {
            if e.is_connect() || e.is_timeout() || e.is_request() {
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
    async fn download(
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

    /// Runs one request.
    pub async fn execute(&self, request: Request) -> Result<Reply, ApiError> {
        self.execute_with(request, &|_, _| {}).await
    }

    /// Runs one request, reporting the progress of a download.
    pub async fn execute_with(
        &self,
        request: Request,
        progress: &Progress<'_>,
    ) -> Result<Reply, ApiError> {
        use reqwest::Method as M;
        Ok(match request {
            Request::Login(body) => Reply::Session(Box::new(
                self.send(self.req(M::POST, "/api/v1/sessions").json(&body))
                    .await?,
            )),
            Request::Logout => {
                self.send::<serde_json::Value>(self.req(M::DELETE, "/api/v1/sessions/current"))
                    .await?;
                Reply::Done
            }
            Request::Me => Reply::Me(Box::new(self.send(self.req(M::GET, "/api/v1/me")).await?)),
            Request::Accounts { q, role } => {
                let mut query: Vec<(&str, String)> =
                    vec![("per_page", "500".into()), ("sort", "login".into())];
                if let Some(q) = q {
                    query.push(("q", q));
                }
                if let Some(r) = role {
                    query.push(("role", r.code().into()));
                }
                Reply::Accounts(
                    self.send(self.req(M::GET, "/api/v1/accounts").query(&query))
                        .await?,
                )
            }
            Request::CreateAccount(body) => Reply::AccountCreated(Box::new(
                self.send(self.req(M::POST, "/api/v1/accounts").json(&body))
                    .await?,
            )),
            Request::SetDisabled { id, disabled } => {
                let verb = if disabled { "disable" } else { "enable" };
                Reply::Account(Box::new(
                    self.send(self.req(M::POST, &format!("/api/v1/accounts/{id}/{verb}")))
                        .await?,
                ))
            }
            Request::ResetPassword { id, body } => Reply::PasswordReset(
                self.send(
                    self.req(M::POST, &format!("/api/v1/accounts/{id}/password"))
                        .json(&body),
                )
                .await?,
            ),
            Request::ChangeOwnPassword(body) => {
                self.send::<serde_json::Value>(self.req(M::PUT, "/api/v1/me/password").json(&body))
                    .await?;
                Reply::Done
            }
            Request::Organisations { kind } => {
                let mut query: Vec<(&str, String)> =
                    vec![("per_page", "500".into()), ("sort", "name".into())];
                if let Some(k) = kind {
                    query.push(("kind", k.code().into()));
                }
                Reply::Organisations(
                    self.send(self.req(M::GET, "/api/v1/organisations").query(&query))
                        .await?,
                )
            }
            Request::CreateOrganisation(body) => Reply::Organisation(Box::new(
                self.send(self.req(M::POST, "/api/v1/organisations").json(&body))
                    .await?,
            )),
            Request::RenameOrganisation { id, name } => Reply::Organisation(Box::new(
                self.send(
                    self.req(M::PATCH, &format!("/api/v1/organisations/{id}"))
                        .json(&UpdateOrganisationRequest { name }),
                )
                .await?,
            )),
            Request::Municipalities {
                prefecture,
                q,
                cities_only,
            } => {
                let mut query: Vec<(&str, String)> = Vec::new();
                if cities_only {
                    query.push(("city_or_ward", "true".into()));
                }
                if let Some(p) = prefecture {
                    query.push(("prefecture", p));
                }
                if !q.trim().is_empty() {
                    query.push(("q", q));
                }
                Reply::Municipalities(
                    self.send(self.req(M::GET, "/api/v1/municipalities").query(&query))
                        .await?,
                )
            }
            Request::Members {
                filter,
                page,
                per_page,
                sort,
                order,
            } => {
                let mut query = filter.to_query();
                query.push(("page", page.to_string()));
                query.push(("per_page", per_page.to_string()));
                query.push(("sort", sort.to_string()));
                query.push((
                    "order",
                    match order {
                        SortOrder::Asc => "asc",
                        SortOrder::Desc => "desc",
                    }
                    .into(),
                ));
                Reply::Members(
                    self.send(self.req(M::GET, "/api/v1/members").query(&query))
                        .await?,
                )
            }
            Request::CreateMember(body) => Reply::Member(Box::new(
                self.send(self.req(M::POST, "/api/v1/members").json(&body))
                    .await?,
            )),
            Request::Member { id } => Reply::Member(Box::new(
                self.send(self.req(M::GET, &format!("/api/v1/members/{id}")))
                    .await?,
            )),
            Request::UpdateNotes { id, body } => Reply::Member(Box::new(
                self.send(
                    self.req(M::PATCH, &format!("/api/v1/members/{id}"))
                        .json(&body),
                )
                .await?,
            )),
            Request::Decide {
                id,
                prefecture,
                body,
            } => Reply::Decided(Box::new(
                self.send(
                    self.req(
                        M::POST,
                        &format!("/api/v1/members/{id}/memberships/{prefecture}"),
                    )
                    .json(&body),
                )
                .await?,
            )),
            Request::Invite { id } => Reply::Invitation(
                self.send(self.req(M::POST, &format!("/api/v1/members/{id}/invitation")))
                    .await?,
            ),
            Request::Export {
                filter,
                encoding,
                path,
            } => {
                let mut query = filter.to_query();
                query.push((
                    "encoding",
                    match encoding {
                        CsvEncoding::Utf8 => "utf8",
                        CsvEncoding::Cp932 => "cp932",
                    }
                    .into(),
                ));
                let data = self
                    .download(
                        self.req(M::GET, "/api/v1/members/export").query(&query),
                        progress,
                    )
                    .await?;
                tokio::fs::write(&path, &data)
                    .await
                    .map_err(|e| ApiError::File {
                        path: path.clone(),
                        write: true,
                        reason: e.to_string(),
                    })?;
                Reply::Exported {
                    path,
                    bytes: data.len() as u64,
                }
            }
            Request::ReadFile { path } => {
                Reply::File(Arc::new(tokio::fs::read(&path).await.map_err(|e| {
                    ApiError::File {
                        path: path.clone(),
                        write: false,
                        reason: e.to_string(),
                    }
                })?))
            }
            Request::Import {
                csv,
                prefecture,
                dry_run,
            } => {
                let mut query: Vec<(&str, String)> = vec![("dry_run", dry_run.to_string())];
                if let Some(p) = prefecture {
                    query.push(("prefecture", p));
                }
                Reply::Imported(
                    self.send(
                        self.req(M::POST, "/api/v1/members/import")
                            .query(&query)
                            .header(reqwest::header::CONTENT_TYPE, "text/csv")
                            .body(csv.as_ref().clone()),
                    )
                    .await?,
                )
            }
            Request::MyMember => Reply::Member(Box::new(
                self.send(self.req(M::GET, "/api/v1/me/member")).await?,
            )),
            Request::UpdateProfile(body) => Reply::Member(Box::new(
                self.send(self.req(M::PUT, "/api/v1/me/member").json(&body))
                    .await?,
            )),
            Request::SetOffer { prefecture, body } => Reply::Member(Box::new(
                self.send(
                    self.req(M::PUT, &format!("/api/v1/me/member/offers/{prefecture}"))
                        .json(&body),
                )
                .await?,
            )),
            Request::Withdraw(body) => Reply::Member(Box::new(
                self.send(
                    self.req(M::POST, "/api/v1/me/member/withdrawal")
                        .json(&body),
                )
                .await?,
            )),
            Request::RegistrationTerms => Reply::Terms(
                self.send(self.req(M::GET, "/api/v1/registration-terms"))
                    .await?,
            ),
            Request::Register(body) => Reply::Registered(
                self.send(self.req(M::POST, "/api/v1/registrations").json(&body))
                    .await?,
            ),
            Request::Ping => {
                self.send::<serde_json::Value>(self.req(M::GET, "/healthz"))
                    .await?;
                Reply::Done
            }
        })
    }
}

/// Reports the progress of a download: bytes received and the total, when known.
pub type Progress<'a> = dyn Fn(u64, Option<u64>) + Send + Sync + 'a;

/// Runs requests on tokio tasks and posts their answers as actions. In tests it only records
/// them, so a test can answer with whatever it likes.
#[derive(Clone)]
pub struct Net {
    pub client: Client,
    tx: Option<UnboundedSender<Action>>,
    next: Arc<AtomicU64>,
    recorded: Arc<Mutex<Vec<(RequestId, Request)>>>,
}

impl Net {
    pub fn new(client: Client, tx: UnboundedSender<Action>) -> Net {
        Net {
            client,
            tx: Some(tx),
            next: Arc::new(AtomicU64::new(1)),
            recorded: Arc::default(),
        }
    }

    /// A network that sends nothing and records every request (for tests).
    pub fn recording() -> Net {
        Net {
            client: Client::new("http://127.0.0.1:9", Lang::Ja),
            tx: None,
            next: Arc::new(AtomicU64::new(1)),
            recorded: Arc::default(),
        }
    }

    /// The requests recorded since the last call.
    pub fn take_recorded(&self) -> Vec<(RequestId, Request)> {
        match self.recorded.lock() {
            Ok(mut g) => std::mem::take(&mut *g),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        }
    }

    /// Starts a request; its answer arrives later as `Action::Response` with this id.
    pub fn send(&self, request: Request) -> RequestId {
        let id = RequestId(self.next.fetch_add(1, Ordering::Relaxed));
        match (&self.tx, tokio::runtime::Handle::try_current()) {
            (Some(tx), Ok(handle)) => {
                let tx = tx.clone();
                let client = self.client.clone();
                handle.spawn(async move {
                    let read = request.is_read();
                    let progress_tx = tx.clone();
                    let progress = move |done, total| {
                        let _ = progress_tx.send(Action::Progress { id, done, total });
                    };
                    let result = client.execute_with(request, &progress).await;
                    let _ = tx.send(Action::Response { id, read, result });
                });
            }
            _ => {
                if let Ok(mut g) = self.recorded.lock() {
                    g.push((id, request));
                }
            }
        }
        id
    }
}
