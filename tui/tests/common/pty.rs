//! For the tests that drive the real `ouen` binary in a pseudo-terminal against the real
//! server: the terminal and its screen, a server with the 東京都 account, logged-in API
//! clients and a registration to send.

use ouen::api::Client;
use ouen_shared::api::{
    Availability, CreateAccountRequest, Licence, LoginRequest, Profile, RegistrationRequest,
    SupportOffer,
};
use ouen_shared::endpoints::{CreateAccount, Login};
use ouen_shared::roster::HelpWay;
use ouen_shared::{Lang, Profession, Role};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "Passw0rd1234";
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Starts `cmd` in an 80×24 pseudo-terminal: the child, the screen as a vt100 parser reads
/// it, and the terminal's input.
pub fn spawn_in_pty(
    cmd: CommandBuilder,
) -> (
    Box<dyn portable_pty::Child + Send + Sync>,
    Screen,
    Box<dyn Write + Send>,
) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let feed = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = feed.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    let writer = pty.master.take_writer().unwrap();
    (child, Screen(parser), writer)
}

/// The screen as the parser sees it.
pub struct Screen(pub Arc<Mutex<vt100::Parser>>);

impl Screen {
    pub fn text(&self) -> String {
        self.0
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Polls until `cond` holds for the screen text, or fails with the screen.
    pub fn wait(&self, what: &str, cond: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if cond(&text) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; the screen shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn wait_for(&self, needle: &str) {
        self.wait(needle, |t| t.contains(needle));
    }
}

/// A client logged in to the server at `base` (every test account has [`PASSWORD`]).
pub async fn logged_in(base: &str, login: &str) -> Client {
    let client = Client::new(base, Lang::Ja);
    let Ok(s) = client
        .call(&Login(LoginRequest {
            login: login.into(),
            password: PASSWORD.into(),
        }))
        .await
    else {
        panic!("{login} could not log in");
    };
    client.set_token(Some(s.token));
    client
}

/// A server on the test database with an admin and the 東京都 account (`tokyo`), issued
/// through the API as an operator would.
pub async fn server_with_tokyo(db_url: &str) -> (ouen_server::RunningServer, String) {
    let state = ouen_server::state_for(ouen_server::Config {
        database_url: db_url.to_string(),
        ..Default::default()
    })
    .await
    .expect("server state");
    let hash = ouen_server::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    state
        .store
        .create_admin_from_cli("admin", "事務局 渡辺", hash)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = ouen_server::spawn(listener, state).unwrap();
    let base = format!("http://{}", server.addr);
    let client = logged_in(&base, "admin").await;
    client
        .call(&CreateAccount(CreateAccountRequest {
            login: "tokyo".into(),
            display_name: "佐藤 美咲".into(),
            role: Some(Role::Prefecture),
            password: Some(PASSWORD.into()),
            prefecture_code: Some("13".into()),
            ..Default::default()
        }))
        .await
        .expect("create the prefecture account");
    (server, base)
}

/// An application to the Tokyo prefecture.
pub fn application(name: &str, kana: &str, email: &str) -> RegistrationRequest {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    RegistrationRequest {
        profile: Profile {
            name: name.into(),
            name_kana: kana.into(),
            birth_date: Some(day(1982, 6, 15)),
            email: email.into(),
            phone: "03-1234-5678".into(),
            prefecture_code: "13".into(),
            municipality_code: "132012".into(),
            street: "元本郷町3-24-1".into(),
            licences: vec![Licence {
                profession: Profession::PublicHealthNurse,
                number: format!("PHN-{}", email.len() * 7919 + name.chars().count()),
                licensed_on: day(2005, 4, 1),
            }],
            experience_years: 15,
            experience_fields: Vec::new(),
            languages: Vec::new(),
        },
        password: PASSWORD.into(),
        offers: vec![SupportOffer {
            prefecture_code: "13".into(),
            availability: vec![Availability {
                from: day(2026, 1, 1),
                to: day(2027, 12, 31),
                ways: vec![HelpWay::OnSite, HelpWay::Phone],
            }],
        }],
        terms_version: "2026-04".into(),
    }
}

/// The `ouen` binary, set up to talk to the server at `base` in Japanese, with its config,
/// session and data kept under `dir` (nothing of the machine's own).
pub fn ouen_against(dir: &std::path::Path, base: &str) -> CommandBuilder {
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("server = \"{base}\"\nlang = \"ja\"\n")).unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ouen"));
    cmd.env("OUEN_CONFIG", &config);
    cmd.env("HOME", dir);
    cmd.env("XDG_DATA_HOME", dir.join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "ja_JP.UTF-8");
    cmd
}

/// Waits for the client to exit (after `q`), failing with the screen when it does not.
pub fn exit_status(
    child: &mut Box<dyn portable_pty::Child + Send + Sync>,
    screen: &Screen,
) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("ouen did not quit; the screen shows:\n{}", screen.text());
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}
