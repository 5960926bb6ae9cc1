//! End to end in a real pseudo-terminal: the real server on a random port, the real `ouen`
//! binary, a vt100 parser reading what it draws. Logs in, switches tabs, opens the help,
//! creates a city account through the searchable municipality list, quits, and checks the
//! terminal was restored; in the roster, finds an applicant by half-width kana and approves
//! it, reading the registration code off the screen; a member approved finds the message in
//! its Inbox tab, counted in the badge.
//!
//! SQLite by default; PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server (a fresh
//! database is created for the test).

mod common;

use common::pty::*;
use ouen::api::Client;
use ouen_shared::api::{Decision, DecisionRequest};
use ouen_shared::endpoints::{CountUnread, Decide, ListAccounts, ListMembers, Register};
use ouen_shared::{Lang, RegistrationCode, Role};
use portable_pty::CommandBuilder;
use std::io::Write;
use std::time::{Duration, Instant};

#[test]
fn log_in_browse_create_a_city_account_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base) = rt.block_on(server_with_tokyo(&db_url));

    let mut cmd = ouen_against(dir.path(), &base);
    cmd.env_remove("NO_COLOR");
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };

    // Log in.
    screen.wait_for("ログインID");
    screen.wait("the alternate screen", |_| {
        screen.0.lock().is_ok_and(|p| p.screen().alternate_screen())
    });
    send("tokyo\t");
    send(PASSWORD);
    send("\r");
    // The roster is the first tab.
    screen.wait_for("名簿 0件");
    send("7");
    screen.wait_for("所属: 東京都");
    screen.wait_for("佐藤 美咲");

    // Tabs: only the built ones are shown; number keys, Tab and the command line switch.
    assert!(screen.text().contains("1 名簿"));
    assert!(screen.text().contains("2 派遣要請"));
    assert!(screen.text().contains("3 シフト"));
    assert!(screen.text().contains("4 集計"));
    assert!(screen.text().contains("5 利活用"));
    assert!(screen.text().contains("6 通知"));
    assert!(screen.text().contains("7 組織"));
    assert!(
        !screen.text().contains("研修"),
        "no tab for an unbuilt view"
    );
    send("l");
    screen.wait_for("保健所名");
    send("1");
    screen.wait_for("名簿 0件");
    send("8");
    screen.wait_for("そのタブはありません");
    send(":trainings\r");
    screen.wait_for("この画面はまだ利用できません");
    send(":org\r");
    screen.wait_for("所属: 東京都");

    // Help.
    send("?");
    screen.wait_for("ヘルプ（キー一覧）");
    screen.wait_for("自分のパスワード変更");
    send("\x1b");
    screen.wait("the help to close", |t| !t.contains("ヘルプ（キー一覧）"));

    // A city account: the municipality from the searchable list (kana-insensitive).
    send("h");
    send("n");
    screen.wait_for("保健所設置市・特別区アカウントの発行");
    send("はちおうじ");
    screen.wait_for("ハチオウジシ");
    send("\r");
    screen.wait_for("八王子市 (132012)");
    // Choosing keeps the focus on the list field: Tab moves on to the login.
    send("\thachioji-e2e\t八王子 花子");
    send("\x13"); // Ctrl-s
    screen.wait_for("この画面でのみ表示します");
    send("\x1b");
    screen.wait("the new account in the list", |t| {
        t.contains("hachioji-e2e") && !t.contains("この画面でのみ表示します")
    });

    // Quit: the terminal comes back as it was.
    send("q");
    let status = exit_status(&mut child, &screen);
    assert!(status.success(), "exit status {status:?}");
    // The reader may still be catching up with the last bytes.
    screen.wait("the main screen", |_| {
        screen
            .0
            .lock()
            .is_ok_and(|p| !p.screen().alternate_screen() && !p.screen().hide_cursor())
    });

    // The session token is kept, readable by the owner only.
    let session = dir.path().join("data/ouen/session.toml");
    let meta = std::fs::metadata(&session).expect("session file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let _ = meta;

    // And the server has the account.
    rt.block_on(async {
        let client = logged_in(&base, "tokyo").await;
        let Ok(page) = client
            .call(&ListAccounts {
                q: Some("hachioji-e2e".into()),
                role: None,
            })
            .await
        else {
            panic!("listing failed");
        };
        let a = page
            .items
            .iter()
            .find(|a| a.login == "hachioji-e2e")
            .expect("the account was created");
        assert_eq!(a.role, Role::City);
        assert_eq!(a.organisation_name, "八王子市");
        server.stop().await;
    });
    rt.block_on(database.remove());
}

/// `ouen demo` opens logged in as the Tokyo operator, in the locale's language; SIGTERM
/// restores the terminal too.
#[test]
fn demo_opens_logged_in_and_restores_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ouen"));
    cmd.arg("demo");
    cmd.env("OUEN_CONFIG", dir.path().join("none.toml"));
    cmd.env("HOME", dir.path());
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "en_US.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_MESSAGES");
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    screen.wait_for("Roster 29 rows");
    screen.wait_for("Demo2026pass");
    writer.write_all(b"7").unwrap();
    writer.flush().unwrap();
    screen.wait_for("Organisation: 東京都");
    screen.wait_for("八王子市");
    writer.write_all(b":lang ja\r").unwrap();
    writer.flush().unwrap();
    screen.wait_for("所属: 東京都");

    // Ended from outside: the terminal is restored all the same.
    let pid = child.process_id().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < DEADLINE, "ouen did not end on SIGTERM");
        std::thread::sleep(Duration::from_millis(30));
    }
    screen.wait("the main screen", |_| {
        screen
            .0
            .lock()
            .is_ok_and(|p| !p.screen().alternate_screen() && !p.screen().hide_cursor())
    });
    // The demo never writes the operator's session file.
    assert!(!dir.path().join("data/ouen/session.toml").exists());
}

/// A prefecture operator finds an applicant by typing half-width kana (the list follows the
/// typing), approves it, and reads the registration code the server issued.
#[test]
fn find_by_half_width_kana_and_approve() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base) = rt.block_on(async {
        let (server, base) = server_with_tokyo(&db_url).await;
        // Two applicants; registration needs no account.
        let public = Client::new(&base, Lang::Ja);
        for (name, kana, email) in [
            ("鈴木 花子", "すずき はなこ", "hanako.suzuki@example.jp"),
            (
                "髙橋 美咲",
                "たかはし みさき",
                "misaki.takahashi@example.jp",
            ),
        ] {
            public
                .call(&Register(application(name, kana, email)))
                .await
                .expect("an application");
        }
        (server, base)
    });

    let cmd = ouen_against(dir.path(), &base);
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    screen.wait_for("ログインID");
    send("tokyo\t");
    send(PASSWORD);
    send("\r");
    screen.wait_for("1 名簿");

    // The roster, the first tab: both applicants are listed.
    send(":org\r");
    screen.wait_for("所属: 東京都");
    send(":roster\r");
    screen.wait_for("名簿 2件");
    screen.wait_for("髙橋 美咲");
    // Half-width kana, typed one key at a time: the list narrows to the one member.
    send("/");
    for c in "ｽｽﾞｷ".chars() {
        send(&c.to_string());
    }
    screen.wait("the search result", |t| {
        t.contains("名簿 1件") && t.contains("鈴木 花子") && !t.contains("髙橋 美咲")
    });
    send("\r");

    // Approve: a question first, then the code the server issued.
    send("a");
    screen.wait_for("この申請を承認しますか");
    send("y");
    screen.wait_for("登録コードを発行しました");
    let shown = screen.text();
    let code = shown
        .split_whitespace()
        .find_map(RegistrationCode::parse)
        .unwrap_or_else(|| panic!("a registration code on the screen:\n{shown}"));

    // The server holds the same code.
    rt.block_on(async {
        let client = logged_in(&base, "tokyo").await;
        let Ok(page) = client
            .call(&ListMembers {
                filter: ouen_shared::api::MemberFilter {
                    q: Some("鈴木".into()),
                    ..Default::default()
                },
                page: 1,
                per_page: 50,
                sort: "kana",
                order: ouen_shared::api::SortOrder::Asc,
            })
            .await
        else {
            panic!("listing failed");
        };
        let held = page.items[0]
            .registration_code
            .as_deref()
            .and_then(RegistrationCode::parse);
        assert_eq!(held, Some(code));
    });

    send("\r");
    screen.wait("the message to close", |t| {
        !t.contains("登録コードを発行しました")
    });
    send("q");
    exit_status(&mut child, &screen);
    rt.block_on(async {
        server.stop().await;
    });
    rt.block_on(database.remove());
}

/// A prefecture approves a member who has an account; the member signs in and finds the
/// message in the Inbox tab, counted in the tab bar's badge, and opens it (which reads it).
#[test]
fn an_approval_reaches_the_members_inbox() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base, login) = rt.block_on(async {
        let (server, base) = server_with_tokyo(&db_url).await;
        let public = Client::new(&base, Lang::Ja);
        let Ok(registered) = public
            .call(&Register(application(
                "鈴木 花子",
                "すずき はなこ",
                "hanako.suzuki@example.jp",
            )))
            .await
        else {
            panic!("an application");
        };
        let tokyo = logged_in(&base, "tokyo").await;
        tokyo
            .call(&Decide {
                id: registered.member_id,
                prefecture: "13".into(),
                body: DecisionRequest {
                    decision: Decision::Approve,
                    reason: None,
                },
            })
            .await
            .expect("the approval");
        (server, base, registered.login)
    });

    let cmd = ouen_against(dir.path(), &base);
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    screen.wait_for("ログインID");
    send(&format!("{login}\t"));
    send(PASSWORD);
    send("\r");
    // The badge counts the one unread message as soon as the member is signed in.
    screen.wait_for("5 通知 (1)");
    send("5");
    screen.wait("the message in the list", |t| {
        t.contains("登録審査結果")
            && t.contains("東京都への登録が承認されました")
            && t.contains('●')
    });
    send("\r");
    screen.wait_for("東京都からの派遣依頼を受けられます。");
    // Opened is read: the badge goes.
    screen.wait("the badge to go", |t| !t.contains("通知 ("));
    rt.block_on(async {
        let member = logged_in(&base, &login).await;
        let Ok(count) = member.call(&CountUnread).await else {
            panic!("the unread count");
        };
        assert_eq!(count.unread, 0);
    });
    // The record the message concerns: the member's own, in its roster tab.
    send("o");
    screen.wait_for("1 名簿");
    send("q");
    exit_status(&mut child, &screen);
    rt.block_on(async {
        server.stop().await;
    });
    rt.block_on(database.remove());
}
