//! The command line: `ouen`, `ouen login`, `ouen logout`, `ouen demo`.

use crate::api::Client;
use crate::config::{Config, DEFAULT_SERVER};
use crate::keymap::Keymap;
use crate::shell::{network, App, Options, Start};
use crate::theme::{no_color_env, Theme};
use crate::{i18n, session};
use clap::{Parser, Subcommand};
use color_eyre::eyre::Result;
use ouen_shared::Lang;

/// Terminal client of ouen, the public-health surge workforce system.
#[derive(Debug, Parser)]
#[command(name = "ouen", version, about)]
pub struct Cli {
    /// Base URL of the server (overrides the configuration).
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// User-interface language: ja or en (overrides the configuration and the locale).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Log in (again) and open the client.
    Login,
    /// End the saved session on the server and forget it here.
    Logout,
    /// Start a server with Japanese demo data in-process and open the client on it.
    #[cfg(feature = "demo")]
    Demo {
        /// An empty database to fill instead of a temporary SQLite file
        /// (e.g. `postgres://postgres@127.0.0.1:5432/ouen_demo`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

/// Entry point of the `ouen` binary.
pub fn main() -> Result<()> {
    crate::terminal::install_hooks();
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok((config, _)) => config,
        Err(e) => {
            // A broken file is the operator's to fix: say where, without a backtrace.
            eprintln!("ouen: {e}");
            std::process::exit(2);
        }
    };
    let mut warnings = config.warnings();
    let lang = cli
        .lang
        .as_deref()
        .or(config.lang.as_deref())
        .and_then(Lang::parse)
        .unwrap_or_else(i18n::lang_from_env);
    let theme = Theme::from_config(config.theme.as_deref().unwrap_or("default"), no_color_env());
    let (keymap, key_warnings) = Keymap::with_overrides(&config.keys);
    warnings.extend(key_warnings);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let printed_warnings = warnings.clone();
    let result = runtime.block_on(async move {
        let configured = cli
            .server
            .clone()
            .or(config.server.clone())
            .unwrap_or_else(|| DEFAULT_SERVER.to_string());
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let opts = |start, demo| Options {
            lang,
            theme,
            keymap: keymap.clone(),
            demo,
            warnings: warnings.clone(),
            start,
            registry: &crate::tabs::REGISTRY,
            clock: chrono::Utc::now,
        };
        match cli.command {
            None => {
                let saved = session::load();
                let client = Client::new(&configured, lang);
                let start = match saved {
                    Some(s) if cli.server.is_none() || cli.server.as_deref() == Some(&s.server) => {
                        client.set_base(&s.server);
                        client.set_token(Some(s.token));
                        Start::Resume
                    }
                    Some(s) => Start::Login { login: s.login },
                    None => Start::Login {
                        login: String::new(),
                    },
                };
                let app = App::new(opts(start, false), network(client, tx.clone()), Some(tx));
                crate::run(app, rx, config.mouse).await
            }
            Some(Cmd::Login) => {
                let saved = session::load();
                let server = match (&cli.server, &saved) {
                    (Some(s), _) => s.clone(),
                    (None, Some(s)) => s.server.clone(),
                    (None, None) => configured,
                };
                let client = Client::new(&server, lang);
                let login = saved.map(|s| s.login).unwrap_or_default();
                let app = App::new(
                    opts(Start::Login { login }, false),
                    network(client, tx.clone()),
                    Some(tx),
                );
                crate::run(app, rx, config.mouse).await
            }
            Some(Cmd::Logout) => {
                if let Some(s) = session::load() {
                    let client = Client::new(&s.server, lang);
                    client.set_token(Some(s.token));
                    if let Err(e) = client.call(&ouen_shared::endpoints::Logout).await {
                        eprintln!(
                            "{}",
                            lang.pick(
                                "サーバー側のセッション終了に失敗しました（この端末からは削除します）: ",
                                "Could not end the session on the server (forgetting it here anyway): "
                            )
                            .to_string()
                                + &e.message(lang)
                        );
                    }
                }
                session::clear()?;
                println!("{}", i18n::T::LoggedOut.get(lang));
                Ok(())
            }
            #[cfg(feature = "demo")]
            Some(Cmd::Demo { database }) => {
                let demo = crate::demo::start(database).await?;
                let client = Client::new(&demo.base_url, lang);
                client.set_token(Some(demo.token.clone()));
                let mut app =
                    App::new(opts(Start::Resume, true), network(client, tx.clone()), Some(tx));
                app.update(crate::app::Action::Status(format!(
                    "{} {} (admin, tokyo, osaka, hachioji, shibuya …)",
                    lang.pick("デモ: パスワードはすべて", "Demo: every password is"),
                    crate::demo::DEMO_PASSWORD
                )));
                let result = crate::run(app, rx, config.mouse).await;
                demo.stop().await;
                result
            }
        }
    });
    // Warnings shown in the status line are repeated where they stay readable.
    for w in printed_warnings {
        eprintln!("ouen: {}: {w}", i18n::T::ConfigWarnings.get(lang));
    }
    result
}
