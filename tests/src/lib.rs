//! Harness for ouen's end-to-end tests: a real server on a random loopback port over a fresh
//! database — a SQLite file by default, or a new PostgreSQL database when
//! `OUEN_TEST_DATABASE_URL` names a server — and a small HTTP client that speaks to it.

pub mod browser;
pub mod described;
pub mod dispatch;
pub mod events;
pub mod mail;
pub mod matrix;
pub mod reports;

use described::Description;
use ouen_server::{Config, RunningServer, Store};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::Connection;

/// The variable that switches the suite to PostgreSQL.
pub const DATABASE_VAR: &str = "OUEN_TEST_DATABASE_URL";

/// A fresh database for one test.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    /// A new empty database: a SQLite file in a temporary directory, or a new database on the
    /// PostgreSQL server named by `OUEN_TEST_DATABASE_URL`.
    pub async fn create() -> TestDatabase {
        match std::env::var(DATABASE_VAR)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            None => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("ouen.db").display());
                TestDatabase {
                    url,
                    _dir: Some(dir),
                }
            }
            Some(base) => {
                let mut admin = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {base} is not reachable: {e}"));
                let name = format!("ouen_t_{:016x}", rand::random::<u64>());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                let (prefix, _) = base
                    .rsplit_once('/')
                    .expect("database URL with a database name");
                let prefix = prefix.split('?').next().unwrap_or(prefix);
                TestDatabase {
                    url: format!("{prefix}/{name}"),
                    _dir: None,
                }
            }
        }
    }

    /// Drops a PostgreSQL test database (a SQLite file goes with its temporary directory).
    pub async fn remove(self) {
        self.drop_database().await;
    }

    /// [`TestDatabase::remove`] for a database shared by several servers (a PostgreSQL one is
    /// dropped even while they still hold connections).
    pub async fn remove_shared(self: std::sync::Arc<Self>) {
        self.drop_database().await;
    }

    async fn drop_database(&self) {
        let (Some(base), false) = (std::env::var(DATABASE_VAR).ok(), self._dir.is_some()) else {
            return;
        };
        let Some(name) = self
            .url
            .rsplit('/')
            .next()
            .filter(|n| n.starts_with("ouen_t_"))
        else {
            return;
        };
        if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
        }
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

/// A running server and a client for it.
pub struct TestServer {
    pub base: String,
    pub store: Store,
    pub http: reqwest::Client,
    pub config: Config,
    server: Option<RunningServer>,
    pub database: std::sync::Arc<TestDatabase>,
    /// The served OpenAPI description, which every answer through this harness must match.
    pub description: std::sync::Arc<Description>,
}

/// An HTTP answer: status, headers and JSON body (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The fields named in an error body.
    pub fn fields(&self) -> Vec<String> {
        self.body["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "Passw0rd-test";

impl TestServer {
    /// A server with default settings on a fresh database.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server with adjusted settings on a fresh database.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let database = std::sync::Arc::new(TestDatabase::create().await);
        Self::start_on(database, adjust).await
    }

    /// Another server over the same database (for multi-instance tests).
    pub async fn start_on(
        database: std::sync::Arc<TestDatabase>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestServer {
        let mut config = Config {
            database_url: database.url.clone(),
            ..Config::default()
        };
        adjust(&mut config);
        let state = ouen_server::state_for(config.clone())
            .await
            .expect("server state");
        let store = state.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let server = ouen_server::spawn(listener, state).expect("spawn server");
        let base = format!("http://{}", server.addr);
        let http = reqwest::Client::new();
        let description = std::sync::Arc::new(served_description(&http, &base).await);
        TestServer {
            base,
            store,
            http,
            config,
            server: Some(server),
            database,
            description,
        }
    }

    /// A client for a server already running at `base` (the real binary, say) over `database`.
    pub async fn external(database: std::sync::Arc<TestDatabase>, base: String) -> TestServer {
        let config = Config {
            database_url: database.url.clone(),
            ..Config::default()
        };
        let store = Store::connect(&database.url).await.expect("store");
        let http = reqwest::Client::new();
        let description = std::sync::Arc::new(served_description(&http, &base).await);
        TestServer {
            base,
            store,
            http,
            config,
            server: None,
            database,
            description,
        }
    }

    /// Stops the server, waiting for requests in flight.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
    }

    /// Sends a request; `token` goes in `Authorization: Bearer`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.call_lang(method, path, token, body, None).await
    }

    /// Sends a request with an `Accept-Language` header.
    pub async fn call_lang(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        lang: Option<&str>,
    ) -> Answer {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(l) = lang {
            request = request.header("accept-language", l);
        }
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request.send().await.expect("HTTP request");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("HTTP body");
        self.conform(&method, path, status, &headers, &bytes);
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Panics when an answer does not match the served description.
    fn conform(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) {
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if let Err(problem) = self
            .description
            .check(method, path, status, content_type, body)
        {
            panic!(
                "{method} {path}: the answer does not match /api/openapi.json: {problem}\n{}",
                String::from_utf8_lossy(&body[..body.len().min(2000)])
            );
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Logs in and returns the token, panicking with the answer when it fails.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let answer = self
            .call(
                Method::POST,
                "/api/v1/sessions",
                None,
                Some(serde_json::json!({ "login": login, "password": password })),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "login {login}: {:?}",
            answer.body
        );
        answer.body["token"].as_str().expect("token").to_string()
    }

    /// Creates an admin account the way `create-admin` does and logs it in.
    pub async fn admin(&self, login: &str) -> String {
        let hash = ouen_server::auth::password::hash(PASSWORD.into())
            .await
            .expect("hash");
        self.store
            .create_admin_from_cli(login, "事務局 管理者", hash)
            .await
            .expect("create admin");
        self.login(login, PASSWORD).await
    }

    /// Issues an account through the API with the test password and logs it in.
    pub async fn issue(&self, token: &str, body: Value) -> (i64, String) {
        let mut body = body;
        body["password"] = Value::String(PASSWORD.into());
        let answer = self.post("/api/v1/accounts", token, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "issue {body}: {:?}",
            answer.body
        );
        let id = answer.body["account"]["id"].as_i64().expect("account id");
        let login = body["login"].as_str().expect("login").to_string();
        (id, self.login(&login, PASSWORD).await)
    }

    /// The organisation id of a prefecture, by code, as the admin sees it.
    pub async fn prefecture_org(&self, admin_token: &str, code: &str) -> i64 {
        let answer = self
            .get(
                &format!("/api/v1/organisations?kind=prefecture&prefecture_code={code}"),
                admin_token,
            )
            .await;
        answer.body["items"][0]["id"]
            .as_i64()
            .expect("prefecture organisation")
    }

    /// Sends raw bytes (a CSV upload, say) and answers status, headers and raw body bytes.
    pub async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .expect("HTTP request");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("HTTP body").to_vec();
        self.conform(&method, path, status, &headers, &body);
        (status, headers, body)
    }

    /// Registers an applicant without an account.
    pub async fn register(&self, body: Value) -> Answer {
        self.call(Method::POST, "/api/v1/registrations", None, Some(body))
            .await
    }

    /// Audit entries with this action (newest first), as the admin sees them.
    pub async fn audit(&self, admin_token: &str, action: &str) -> Vec<Value> {
        let answer = self
            .get(
                &format!("/api/v1/audit?action={action}&per_page=500"),
                admin_token,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.body["items"].as_array().cloned().unwrap_or_default()
    }
}

impl TestServer {
    /// Runs one statement on the test database from outside the server, on either backend.
    pub async fn db_execute(&self, statement: &str) {
        use sqlx::Connection;
        let url = &self.database.url;
        if self.database.is_postgres() {
            let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
            sqlx::query(statement)
                .execute(&mut db)
                .await
                .expect(statement);
            let _ = db.close().await;
        } else {
            let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query(statement)
                .execute(&mut db)
                .await
                .expect(statement);
            let _ = db.close().await;
        }
    }

    /// One number read from the test database from outside the server (a count, an id).
    pub async fn db_number(&self, query: &str) -> i64 {
        use sqlx::Connection;
        let url = &self.database.url;
        if self.database.is_postgres() {
            let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
            let n: i64 = sqlx::query_scalar(query)
                .fetch_one(&mut db)
                .await
                .expect(query);
            let _ = db.close().await;
            n
        } else {
            let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
            let n: i64 = sqlx::query_scalar(query)
                .fetch_one(&mut db)
                .await
                .expect(query);
            let _ = db.close().await;
            n
        }
    }

    /// One text read from the test database from outside the server (a token, say).
    pub async fn db_text(&self, query: &str) -> String {
        use sqlx::Connection;
        let url = &self.database.url;
        if self.database.is_postgres() {
            let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
            let t: String = sqlx::query_scalar(query)
                .fetch_one(&mut db)
                .await
                .expect(query);
            let _ = db.close().await;
            t
        } else {
            let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
            let t: String = sqlx::query_scalar(query)
                .fetch_one(&mut db)
                .await
                .expect(query);
            let _ = db.close().await;
            t
        }
    }
}

/// A complete registration for an applicant living in 千代田区 who offers on-site help to
/// `prefectures` for all of 2026 and 2027.
pub fn registration(name: &str, kana: &str, email: &str, prefectures: &[&str]) -> Value {
    let offers: Vec<Value> = prefectures
        .iter()
        .map(|p| {
            serde_json::json!({
                "prefecture_code": p,
                "availability": [{ "from": "2026-01-01", "to": "2027-12-31", "ways": ["on_site", "phone"] }],
            })
        })
        .collect();
    serde_json::json!({
        "profile": {
            "name": name,
            "name_kana": kana,
            "birth_date": "1982-06-15",
            "email": email,
            "phone": "03-1234-5678",
            "prefecture_code": "13",
            "municipality_code": "131016",
            "street": "千代田1-1-1",
            "licences": [{ "profession": "public_health_nurse", "number": licence_number(name, email), "licensed_on": "2005-04-01" }],
            "experience_years": 15,
            "experience_fields": ["public_health", "infection_control"],
            "languages": ["ja", "en"],
        },
        "password": PASSWORD,
        "offers": offers,
        "terms_version": "2026-04",
    })
}

/// A licence number of its own for each test person.
fn licence_number(name: &str, email: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (name, email).hash(&mut hasher);
    format!("PHN-{:06}", hasher.finish() % 1_000_000)
}

/// Runs futures at once, each on a task of its own, and answers their outputs in order.
pub async fn join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for (i, future) in futures.enumerate() {
        set.spawn(async move { (i, future.await) });
    }
    let mut out: Vec<(usize, F::Output)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        out.push(joined.expect("task"));
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, o)| o).collect()
}

/// The OpenAPI description served at `base`.
async fn served_description(http: &reqwest::Client, base: &str) -> Description {
    let doc: Value = http
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .expect("OpenAPI description")
        .json()
        .await
        .expect("OpenAPI description as JSON");
    Description::new(doc)
}

/// Reads a starting `ouen-server serve`'s log lines until the one naming its address
/// (`addr=127.0.0.1:…`) and answers that address.
pub fn listening_address(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> String {
    loop {
        let line = lines
            .next()
            .expect("server wrote its address before exiting")
            .expect("stderr line");
        if let Some(rest) = line.split("addr=").nth(1) {
            return rest.split_whitespace().next().expect("address").to_string();
        }
    }
}
