//! Server settings: defaults that need nothing, a TOML file, `OUEN_…` environment variables and
//! command-line flags, each overriding the one before.

use crate::store::throttle::ThrottleRules;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Every server setting. `config.example.toml` documents each one.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// The server's address as members reach it (links in e-mail, e.g. the opt-out page);
    /// empty means `http://{listen}`.
    pub public_url: String,
    /// `sqlite://PATH` or `postgres://…`; empty means a SQLite file in the data directory.
    pub database_url: String,
    /// Log filter in `tracing` syntax, e.g. `info` or `ouen_server=debug`.
    pub log: String,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    pub http: HttpConfig,
    pub security: SecurityConfig,
    pub roster: RosterConfig,
    pub mail: MailConfig,
    pub events: EventsConfig,
    pub dispatch: DispatchConfig,
}

/// Dispatch and shift planning.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DispatchConfig {
    /// The least rest between two slots of one person, in hours: auto-fill never plans less,
    /// and the grid flags a hand-made plan that does.
    pub min_rest_hours: i64,
    /// Hours after an accepted slot ends with no daily report before its member is reminded
    /// (once, by inbox and e-mail with the link to the report page).
    pub report_reminder_hours: i64,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        DispatchConfig {
            min_rest_hours: 8,
            report_reminder_hours: 2,
        }
    }
}

/// The live-update stream (`GET /api/v1/events`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// Seconds between `: keep-alive` comments (and session checks) on an idle stream.
    pub keep_alive_seconds: f64,
    /// How often each instance looks for new events besides being woken: the safety net for a
    /// wake-up lost while the PostgreSQL listener reconnects, and the path by which several
    /// processes on one SQLite file see each other's events.
    pub poll_ms: u64,
    /// Hours events are kept for replay after a reconnect; older ones are pruned.
    pub retention_hours: i64,
    /// Open streams allowed per account, and per server instance (429 beyond).
    pub max_streams_per_account: usize,
    pub max_streams: usize,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            keep_alive_seconds: 15.0,
            poll_ms: 5_000,
            retention_hours: 24,
            max_streams_per_account: 5,
            max_streams: 1_000,
        }
    }
}

/// How e-mail leaves the outbox. With no `smtp_host` each message is written as an `.eml` file.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP relay; empty writes `.eml` files under `outbox_dir` instead.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls` (implicit TLS, usually port 465).
    pub tls: MailTls,
    /// A PEM file of certificates to trust for the relay besides the public roots (a relay
    /// signed by an organisation's own CA); empty trusts the public roots only.
    pub ca_file: String,
    pub username: String,
    /// Never logged (the `Debug` output hides it).
    pub password: String,
    /// The sender, e.g. `ouen <noreply@ouen.example.jp>`; its domain ends every Message-ID.
    pub from: String,
    /// SMTP connections kept open.
    pub pool_size: u32,
    /// Where `.eml` files go without SMTP; empty means `outbox` next to the SQLite database
    /// (or in the platform data directory).
    pub outbox_dir: String,
    /// Messages claimed at a time by one worker.
    pub batch_size: i64,
    /// Attempts before a temporarily failing message is given up.
    pub max_attempts: i64,
    /// The first retry delay; each further one doubles, with jitter, up to `retry_max_ms`.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// How long a claimed message stays with its worker before another may take it.
    pub lease_seconds: u64,
    /// How often the worker looks for due messages besides being woken by new ones.
    pub poll_ms: u64,
}

/// Transport security of the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTls {
    None,
    Starttls,
    Tls,
}

impl std::str::FromStr for MailTls {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "none" => Ok(MailTls::None),
            "starttls" => Ok(MailTls::Starttls),
            "tls" => Ok(MailTls::Tls),
            _ => Err(()),
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("username", &self.username)
            .field(
                "password",
                &if self.password.is_empty() {
                    ""
                } else {
                    "<hidden>"
                },
            )
            .field("from", &self.from)
            .field("pool_size", &self.pool_size)
            .field("outbox_dir", &self.outbox_dir)
            .field("batch_size", &self.batch_size)
            .field("max_attempts", &self.max_attempts)
            .field("retry_base_ms", &self.retry_base_ms)
            .field("retry_max_ms", &self.retry_max_ms)
            .field("lease_seconds", &self.lease_seconds)
            .field("poll_ms", &self.poll_ms)
            .finish()
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_host: String::new(),
            smtp_port: 587,
            tls: MailTls::Starttls,
            ca_file: String::new(),
            username: String::new(),
            password: String::new(),
            from: "ouen <noreply@ouen.example.jp>".into(),
            pool_size: 4,
            outbox_dir: String::new(),
            batch_size: 20,
            max_attempts: 8,
            retry_base_ms: 30_000,
            retry_max_ms: 3_600_000,
            lease_seconds: 300,
            poll_ms: 10_000,
        }
    }
}

impl MailConfig {
    /// The directory of `.eml` files: `outbox_dir`, else `outbox` beside the SQLite file.
    pub fn outbox_dir(&self, database_url: &str) -> Option<PathBuf> {
        if !self.outbox_dir.trim().is_empty() {
            return Some(PathBuf::from(self.outbox_dir.trim()));
        }
        let base = database_url
            .strip_prefix("sqlite://")
            .or_else(|| database_url.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or(p))
            .filter(|p| !p.is_empty() && !p.contains(":memory:"))
            .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
            .or_else(default_data_dir)?;
        Some(base.join("outbox"))
    }
}

/// Registration and the roster.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RosterConfig {
    /// The version of the member terms of use applicants must accept.
    pub terms_version: String,
    /// Where the terms are published.
    pub terms_url: String,
    /// Registrations (and account claims) accepted from one address per hour.
    pub registrations_per_address_per_hour: i64,
    /// Days after a member withdraws from the bank before its personal data is anonymised.
    pub retention_days: i64,
    /// Largest CSV import, in bytes.
    pub import_limit_bytes: usize,
}

impl Default for RosterConfig {
    fn default() -> Self {
        RosterConfig {
            terms_version: "2026-04".into(),
            terms_url: "https://ouen.example.jp/terms/2026-04".into(),
            registrations_per_address_per_hour: 20,
            retention_days: 365,
            import_limit_bytes: 16 * 1024 * 1024,
        }
    }
}

/// HTTP limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    pub body_limit_bytes: usize,
    pub request_timeout_seconds: u64,
    /// How long a SIGTERM waits for requests in flight.
    pub shutdown_grace_seconds: u64,
}

/// Sessions and login throttling.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub session_ttl_minutes: i64,
    /// Failed logins for one login id within the window before it is locked.
    pub login_max_failures: i64,
    /// Failed logins from one address within the window before it is locked.
    pub address_max_failures: i64,
    pub login_window_seconds: i64,
    pub login_lockout_seconds: i64,
    /// Password checks that may wait for a free core; more are answered `503 busy`.
    pub password_hash_queue: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            public_url: String::new(),
            database_url: String::new(),
            log: "info".into(),
            trust_forwarded_for: false,
            http: HttpConfig::default(),
            security: SecurityConfig::default(),
            roster: RosterConfig::default(),
            mail: MailConfig::default(),
            events: EventsConfig::default(),
            dispatch: DispatchConfig::default(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            body_limit_bytes: 2 * 1024 * 1024,
            request_timeout_seconds: 30,
            shutdown_grace_seconds: 20,
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            session_ttl_minutes: 12 * 60,
            login_max_failures: 5,
            address_max_failures: 50,
            login_window_seconds: 15 * 60,
            login_lockout_seconds: 15 * 60,
            password_hash_queue: crate::auth::password::DEFAULT_QUEUE,
        }
    }
}

impl SecurityConfig {
    /// Limits for attempts against one login id (logins and password changes).
    pub fn login_rules(&self) -> ThrottleRules {
        ThrottleRules {
            max_attempts: self.login_max_failures,
            window: chrono::Duration::seconds(self.login_window_seconds),
            lockout: chrono::Duration::seconds(self.login_lockout_seconds),
        }
    }

    /// Limits for login attempts from one client address.
    pub fn address_rules(&self) -> ThrottleRules {
        ThrottleRules {
            max_attempts: self.address_max_failures,
            ..self.login_rules()
        }
    }
}

impl Config {
    /// Reads a TOML file; errors name the file and the line.
    pub fn from_file(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}: {}", e.message())
            }
            None => e.message().to_string(),
        })
    }

    /// Applies `OUEN_…` variables (and `DATABASE_URL`) from `vars`.
    pub fn apply_env(&mut self, vars: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        fn parse<T: std::str::FromStr>(name: &str, value: String) -> Result<T, String> {
            value
                .trim()
                .parse()
                .map_err(|_| format!("{name}: cannot read {value:?}"))
        }
        if let Some(v) = vars("DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = vars("OUEN_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = vars("OUEN_LISTEN") {
            self.listen = v;
        }
        if let Some(v) = vars("OUEN_PUBLIC_URL") {
            self.public_url = v;
        }
        if let Some(v) = vars("OUEN_LOG") {
            self.log = v;
        }
        if let Some(v) = vars("OUEN_TRUST_FORWARDED_FOR") {
            self.trust_forwarded_for = parse("OUEN_TRUST_FORWARDED_FOR", v)?;
        }
        if let Some(v) = vars("OUEN_BODY_LIMIT_BYTES") {
            self.http.body_limit_bytes = parse("OUEN_BODY_LIMIT_BYTES", v)?;
        }
        if let Some(v) = vars("OUEN_REQUEST_TIMEOUT_SECONDS") {
            self.http.request_timeout_seconds = parse("OUEN_REQUEST_TIMEOUT_SECONDS", v)?;
        }
        if let Some(v) = vars("OUEN_SESSION_TTL_MINUTES") {
            self.security.session_ttl_minutes = parse("OUEN_SESSION_TTL_MINUTES", v)?;
        }
        if let Some(v) = vars("OUEN_LOGIN_MAX_FAILURES") {
            self.security.login_max_failures = parse("OUEN_LOGIN_MAX_FAILURES", v)?;
        }
        if let Some(v) = vars("OUEN_ADDRESS_MAX_FAILURES") {
            self.security.address_max_failures = parse("OUEN_ADDRESS_MAX_FAILURES", v)?;
        }
        if let Some(v) = vars("OUEN_LOGIN_LOCKOUT_SECONDS") {
            self.security.login_lockout_seconds = parse("OUEN_LOGIN_LOCKOUT_SECONDS", v)?;
        }
        if let Some(v) = vars("OUEN_PASSWORD_HASH_QUEUE") {
            self.security.password_hash_queue = parse("OUEN_PASSWORD_HASH_QUEUE", v)?;
        }
        if let Some(v) = vars("OUEN_TERMS_VERSION") {
            self.roster.terms_version = v;
        }
        if let Some(v) = vars("OUEN_REGISTRATIONS_PER_ADDRESS_PER_HOUR") {
            self.roster.registrations_per_address_per_hour =
                parse("OUEN_REGISTRATIONS_PER_ADDRESS_PER_HOUR", v)?;
        }
        if let Some(v) = vars("OUEN_RETENTION_DAYS") {
            self.roster.retention_days = parse("OUEN_RETENTION_DAYS", v)?;
        }
        let m = &mut self.mail;
        if let Some(v) = vars("OUEN_MAIL_SMTP_HOST") {
            m.smtp_host = v;
        }
        if let Some(v) = vars("OUEN_MAIL_SMTP_PORT") {
            m.smtp_port = parse("OUEN_MAIL_SMTP_PORT", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_TLS") {
            m.tls = parse("OUEN_MAIL_TLS", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_USERNAME") {
            m.username = v;
        }
        if let Some(v) = vars("OUEN_MAIL_PASSWORD") {
            m.password = v;
        }
        if let Some(v) = vars("OUEN_MAIL_CA_FILE") {
            m.ca_file = v;
        }
        if let Some(v) = vars("OUEN_MAIL_FROM") {
            m.from = v;
        }
        if let Some(v) = vars("OUEN_MAIL_POOL_SIZE") {
            m.pool_size = parse("OUEN_MAIL_POOL_SIZE", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_OUTBOX_DIR") {
            m.outbox_dir = v;
        }
        if let Some(v) = vars("OUEN_MAIL_BATCH_SIZE") {
            m.batch_size = parse("OUEN_MAIL_BATCH_SIZE", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_MAX_ATTEMPTS") {
            m.max_attempts = parse("OUEN_MAIL_MAX_ATTEMPTS", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_RETRY_BASE_MS") {
            m.retry_base_ms = parse("OUEN_MAIL_RETRY_BASE_MS", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_RETRY_MAX_MS") {
            m.retry_max_ms = parse("OUEN_MAIL_RETRY_MAX_MS", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_LEASE_SECONDS") {
            m.lease_seconds = parse("OUEN_MAIL_LEASE_SECONDS", v)?;
        }
        if let Some(v) = vars("OUEN_MAIL_POLL_MS") {
            m.poll_ms = parse("OUEN_MAIL_POLL_MS", v)?;
        }
        let e = &mut self.events;
        if let Some(v) = vars("OUEN_EVENTS_KEEP_ALIVE_SECONDS") {
            e.keep_alive_seconds = parse("OUEN_EVENTS_KEEP_ALIVE_SECONDS", v)?;
        }
        if let Some(v) = vars("OUEN_DISPATCH_MIN_REST_HOURS") {
            self.dispatch.min_rest_hours = parse("OUEN_DISPATCH_MIN_REST_HOURS", v)?;
        }
        if let Some(v) = vars("OUEN_DISPATCH_REPORT_REMINDER_HOURS") {
            self.dispatch.report_reminder_hours = parse("OUEN_DISPATCH_REPORT_REMINDER_HOURS", v)?;
        }
        if let Some(v) = vars("OUEN_EVENTS_POLL_MS") {
            e.poll_ms = parse("OUEN_EVENTS_POLL_MS", v)?;
        }
        if let Some(v) = vars("OUEN_EVENTS_RETENTION_HOURS") {
            e.retention_hours = parse("OUEN_EVENTS_RETENTION_HOURS", v)?;
        }
        if let Some(v) = vars("OUEN_EVENTS_MAX_STREAMS_PER_ACCOUNT") {
            e.max_streams_per_account = parse("OUEN_EVENTS_MAX_STREAMS_PER_ACCOUNT", v)?;
        }
        if let Some(v) = vars("OUEN_EVENTS_MAX_STREAMS") {
            e.max_streams = parse("OUEN_EVENTS_MAX_STREAMS", v)?;
        }
        Ok(())
    }

    /// Refuses settings that cannot work, naming each one.
    pub fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        let s = &self.security;
        if s.session_ttl_minutes < 1 {
            problems.push("security.session_ttl_minutes must be at least 1");
        }
        if s.login_max_failures < 1 || s.address_max_failures < 1 {
            problems
                .push("security.login_max_failures and address_max_failures must be at least 1");
        }
        if s.login_window_seconds < 1 || s.login_lockout_seconds < 1 {
            problems
                .push("security.login_window_seconds and login_lockout_seconds must be at least 1");
        }
        if self.http.body_limit_bytes < 1024 {
            problems.push("http.body_limit_bytes must be at least 1024");
        }
        if !(0..=48).contains(&self.dispatch.min_rest_hours) {
            problems.push("dispatch.min_rest_hours must be between 0 and 48");
        }
        if !(0..=720).contains(&self.dispatch.report_reminder_hours) {
            problems.push("dispatch.report_reminder_hours must be between 0 and 720");
        }
        if self.http.request_timeout_seconds < 1 {
            problems.push("http.request_timeout_seconds must be at least 1");
        }
        let r = &self.roster;
        if r.terms_version.trim().is_empty() {
            problems.push("roster.terms_version must not be empty");
        }
        if r.registrations_per_address_per_hour < 1 {
            problems.push("roster.registrations_per_address_per_hour must be at least 1");
        }
        if r.retention_days < 0 {
            problems.push("roster.retention_days must not be negative");
        }
        if r.import_limit_bytes < 1024 {
            problems.push("roster.import_limit_bytes must be at least 1024");
        }
        if !public_url_is_valid(&self.public_url()) {
            problems.push(
                "public_url must be an http:// or https:// address without spaces, quotes, <, >, ? or #",
            );
        }
        let m = &self.mail;
        if m.from.parse::<lettre::message::Mailbox>().is_err() {
            problems
                .push("mail.from must be an e-mail address such as `ouen <noreply@example.jp>`");
        }
        if m.pool_size < 1 || m.batch_size < 1 || m.max_attempts < 1 {
            problems.push("mail.pool_size, batch_size and max_attempts must be at least 1");
        }
        if m.lease_seconds < 1 || m.poll_ms < 10 {
            problems.push("mail.lease_seconds must be at least 1 and mail.poll_ms at least 10");
        }
        let e = &self.events;
        if !(0.01..=3600.0).contains(&e.keep_alive_seconds) || e.poll_ms < 10 {
            problems.push(
                "events.keep_alive_seconds must be between 0.01 and 3600 and events.poll_ms at least 10",
            );
        }
        if !(1..=87_600).contains(&e.retention_hours) {
            problems.push("events.retention_hours must be between 1 and 87600 (ten years)");
        }
        if e.max_streams_per_account < 1 || e.max_streams < 1 {
            problems.push("events.max_streams_per_account and max_streams must be at least 1");
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// The server's public base URL without a trailing slash: `public_url`, or `http://` and
    /// the listen address.
    pub fn public_url(&self) -> String {
        let url = self.public_url.trim();
        let url = if url.is_empty() {
            format!("http://{}", self.listen.trim())
        } else {
            url.to_string()
        };
        url.trim_end_matches('/').to_string()
    }

    /// The database URL, defaulting to `ouen.db` in the platform data directory (created).
    pub fn database_url(&self) -> Result<String, String> {
        if !self.database_url.trim().is_empty() {
            return Ok(self.database_url.trim().to_string());
        }
        let dir = default_data_dir().ok_or("no home directory: set database_url")?;
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(format!("sqlite://{}", dir.join("ouen.db").display()))
    }
}

/// Whether `url` can stand in a link and between the `<…>` of a `List-Unsubscribe` header:
/// `http(s)://` and then visible ASCII only, with nothing that could end the header or the
/// link (no spaces or line breaks, quotes, angle brackets, query or fragment).
pub fn public_url_is_valid(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_graphic() && !"<>\"'`?#\\{}|^".contains(c))
    })
}

/// The platform data directory of the server (e.g. `~/.local/share/ouen-server`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("jp", "ouen", "ouen-server").map(|d| d.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_is_the_defaults() {
        let example = include_str!("../../config.example.toml");
        let server_part = example
            .split("# ── Terminal client")
            .next()
            .unwrap_or(example);
        let parsed = Config::from_toml(server_part).expect("server section parses");
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::default()));
    }

    #[test]
    fn the_smtp_password_never_shows_in_debug_output() {
        let mut config = Config::default();
        config
            .apply_env(|k| match k {
                "OUEN_MAIL_PASSWORD" => Some("hunter2-secret".into()),
                "OUEN_MAIL_TLS" => Some("tls".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.mail.tls, MailTls::Tls);
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<hidden>"), "{shown}");
        assert!(config
            .apply_env(|k| (k == "OUEN_MAIL_TLS").then(|| "ssl".into()))
            .is_err());
    }

    #[test]
    fn public_url_defaults_to_the_listen_address_and_refuses_header_breakers() {
        let mut config = Config::default();
        assert_eq!(config.public_url(), "http://127.0.0.1:8080");
        config
            .apply_env(|k| (k == "OUEN_PUBLIC_URL").then(|| "https://ouen.example.jp/".into()))
            .unwrap();
        assert_eq!(config.public_url(), "https://ouen.example.jp");
        assert!(config.check().is_ok());
        for bad in [
            "ouen.example.jp",
            "https://a.jp\r\nBcc: x@y.jp",
            "https://a.jp>, <mailto:x@y.jp",
            "https://a.jp/?x=1",
            "https://",
        ] {
            config.public_url = bad.into();
            assert!(config.check().unwrap_err().contains("public_url"), "{bad}");
        }
    }

    #[test]
    fn file_env_and_errors() {
        let mut config =
            Config::from_toml("listen = \"0.0.0.0:9000\"\n[security]\nlogin_max_failures = 3\n")
                .unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000");
        assert_eq!(config.security.login_max_failures, 3);
        assert_eq!(config.security.session_ttl_minutes, 720);
        config
            .apply_env(|k| match k {
                "OUEN_LISTEN" => Some("127.0.0.1:1".into()),
                "DATABASE_URL" => Some("postgres://x".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.listen, "127.0.0.1:1");
        assert_eq!(config.database_url().unwrap(), "postgres://x");
        let err = Config::from_toml("listen = \"a\"\n\nnope = 1\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let err = config
            .apply_env(|k| (k == "OUEN_LOGIN_MAX_FAILURES").then(|| "many".into()))
            .unwrap_err();
        assert!(err.contains("OUEN_LOGIN_MAX_FAILURES"));
    }
}
