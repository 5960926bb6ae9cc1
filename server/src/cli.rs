//! The `ouen-server` command line: `serve`, `create-admin`, `migrate`, `openapi`,
//! `generate-roster`, `generate-dispatches`.

use crate::config::Config;
use crate::error::ApiError;
use clap::{Parser, Subcommand};
use ouen_shared::validate::{Checker, Validate};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "ouen-server",
    version,
    about = "ouen: public-health surge workforce server"
)]
struct Cli {
    /// Configuration file (TOML); `OUEN_SERVER_CONFIG` also names one.
    #[arg(long, global = true, env = "OUEN_SERVER_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in the data directory).
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        /// The login id of the new admin.
        login: String,
        /// The name shown for the account.
        #[arg(long, default_value = "IHEAT事務局 管理者")]
        name: String,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// Print the OpenAPI description as JSON.
    Openapi,
    /// Add a realistic synthetic roster to the database, for load tests and benchmarks.
    GenerateRoster {
        /// How many members to add.
        #[arg(long, default_value_t = 100_000)]
        members: usize,
        /// Random seed: the same seed on the same day gives the same roster.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Add a realistic synthetic year of dispatches (requests, asks, answers, seats, daily
    /// reports) on the roster in the database, ending today, plus some in the next 30 days.
    GenerateDispatches {
        /// Requests over the past year, nationwide (about a twelfth more come in the next 30 days).
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        /// Random seed: the same seed on the same day and roster gives the same history.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs the command line; the exit code says whether it worked.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match load_config(&cli) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("ouen-server: configuration: {message}");
            return ExitCode::from(2);
        }
    };
    if let Command::Serve {
        listen: Some(listen),
    } = &cli.command
    {
        config.listen = listen.clone();
    }
    init_logging(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ouen-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { .. } => serve(config).await,
            Command::CreateAdmin { login, name } => create_admin(config, &login, &name).await,
            Command::Migrate => crate::app::state_for(config)
                .await
                .map(|_| ())
                .map_err(describe),
            Command::GenerateRoster { members, seed } => {
                generate_roster(config, members, seed).await
            }
            Command::GenerateDispatches { requests, seed } => {
                generate_dispatches(config, requests, seed).await
            }
            Command::Openapi => {
                let doc = crate::app::openapi();
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ouen-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, String> {
    let mut config = match &cli.config {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    config.apply_env(|name| std::env::var(name).ok())?;
    if let Some(db) = &cli.database {
        config.database_url = db.clone();
    }
    Ok(config)
}

fn init_logging(filter: &str) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

fn describe(error: ApiError) -> String {
    match error {
        ApiError::Config(m) | ApiError::Internal(m) | ApiError::Unavailable(m) => m,
        other => other.to_string(),
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let listen = config.listen.clone();
    // Without a public_url, links use the address actually bound (e.g. when listening on :0).
    let public_url = (!config.public_url.trim().is_empty()).then(|| config.public_url());
    let mail_config = config.mail.clone();
    let outbox_dir = config
        .database_url()
        .ok()
        .and_then(|url| config.mail.outbox_dir(&url));
    let grace = std::time::Duration::from_secs(config.http.shutdown_grace_seconds);
    let state = crate::app::state_for(config).await.map_err(describe)?;
    let store = state.store.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = ?store.kind(), "ouen-server listening");
    let retention = chrono::Duration::days(state.config.roster.retention_days);
    let reminder_after = chrono::Duration::hours(state.config.dispatch.report_reminder_hours);
    let housekeeping = tokio::spawn(hourly(store.clone(), retention, reminder_after));
    let mail = crate::mail::MailWorker::start(
        store.clone(),
        mail_config,
        outbox_dir,
        public_url.unwrap_or_else(|| format!("http://{addr}")),
    )?;
    let server = crate::app::spawn(listener, state).map_err(|e| e.to_string())?;
    shutdown_signal().await;
    housekeeping.abort();
    tracing::info!("shutting down: finishing requests in flight");
    if tokio::time::timeout(grace, server.stop()).await.is_err() {
        tracing::warn!("requests still running after the grace period; stopping anyway");
    }
    mail.stop().await;
    store.close().await;
    Ok(())
}

/// Now and every hour: anonymises members whose retention period after withdrawal has passed,
/// and reminds members of accepted seats that ended `reminder_after` ago with no daily report.
/// Several instances may run it at once: each record is handled in one transaction and
/// skipped once done.
async fn hourly(
    store: crate::store::Store,
    retention: chrono::Duration,
    reminder_after: chrono::Duration,
) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match store
            .anonymise_withdrawn(retention, crate::store::now())
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(members = n, "anonymised withdrawn members"),
            Err(e) => tracing::warn!(error = %e, "anonymising withdrawn members failed"),
        }
        match store
            .remind_unreported(crate::store::now(), reminder_after)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(seats = n, "reminded members to file daily reports"),
            Err(e) => tracing::warn!(error = %e, "reminding members to report failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Input of `create-admin`, checked with the shared rules.
struct AdminInput<'a> {
    login: &'a str,
    name: &'a str,
    password: &'a str,
}

impl Validate for AdminInput<'_> {
    fn problems(&self) -> Vec<ouen_shared::FieldIssue> {
        let mut c = Checker::new();
        c.login("login", self.login);
        c.text("name", self.name, 1, 100);
        c.password("password", self.password);
        c.finish()
    }
}

async fn create_admin(config: Config, login: &str, name: &str) -> Result<(), String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for {login} (10+ characters, letters and digits): ");
        let _ = std::io::stderr().flush();
    }
    let mut password = String::new();
    stdin
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let input = AdminInput {
        login,
        name,
        password: &password,
    };
    if let Err(issues) = input.validate() {
        let lines: Vec<String> = issues
            .iter()
            .map(|i| format!("{}: {}", i.field, i.problem.message(ouen_shared::Lang::En)))
            .collect();
        return Err(lines.join("; "));
    }
    let state = crate::app::state_for(config).await.map_err(describe)?;
    let hash = crate::auth::password::hash(password)
        .await
        .map_err(describe)?;
    match state.store.create_admin_from_cli(login, name, hash).await {
        Ok(id) => {
            println!(
                "created admin account {} (id {id})",
                ouen_shared::validate::normalize_login(login)
            );
            Ok(())
        }
        Err(ApiError::Conflict(_)) => Err(format!("login {login} is already taken")),
        Err(e) => Err(describe(e)),
    }
}

async fn generate_roster(config: Config, members: usize, seed: u64) -> Result<(), String> {
    let state = crate::app::state_for(config).await.map_err(describe)?;
    let spec = crate::store::members::generate::RosterSpec {
        members,
        seed,
        today: ouen_shared::time::today_jst(),
        terms_version: state.config.roster.terms_version.clone(),
    };
    let started = std::time::Instant::now();
    let written = state
        .store
        .generate_roster(&state.reference, &spec)
        .await
        .map_err(describe)?;
    println!(
        "added {} members ({} memberships, {} licences, {} history events, {} availability periods, {} trainings) in {:.1} s",
        written.members,
        written.memberships,
        written.licences,
        written.events,
        written.availability,
        written.trainings,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn generate_dispatches(config: Config, requests: usize, seed: u64) -> Result<(), String> {
    let state = crate::app::state_for(config).await.map_err(describe)?;
    let spec = crate::store::dispatch::generate::DispatchSpec {
        seed,
        today: ouen_shared::time::today_jst(),
        requests_per_year: requests,
    };
    let started = std::time::Instant::now();
    let written = state
        .store
        .generate_dispatches(&state.reference, &spec)
        .await
        .map_err(describe)?;
    println!(
        "added {} dispatch requests ({} slots, {} asks, {} answers, {} seats, {} daily reports with {} versions; {} requesters, {} health centres) in {:.1} s",
        written.requests,
        written.slots,
        written.asks,
        written.answers,
        written.assignments,
        written.reports,
        written.report_versions,
        written.requesters,
        written.health_centres,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
