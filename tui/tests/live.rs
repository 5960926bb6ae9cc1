//! Live updates end to end: the real server, the real `ouen` binary in a pseudo-terminal
//! signed in as a member, and a second client (the prefecture, over the API) whose decision
//! puts a message in the member's inbox. The stream of `GET /api/v1/events` brings it to the
//! screen: the badge appears and the open inbox lists the message without a key being pressed.
//!
//! SQLite by default; PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server.

mod common;

use common::pty::*;
use ouen::api::Client;
use ouen_shared::api::{Decision, DecisionRequest};
use ouen_shared::endpoints::{Decide, Register};
use ouen_shared::Lang;
use std::io::Write;
use std::time::{Duration, Instant};

#[test]
fn a_decision_elsewhere_updates_the_badge_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base, registered) = rt.block_on(async {
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
        (server, base, registered)
    });

    let cmd = ouen_against(dir.path(), &base);
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    screen.wait_for("ログインID");
    send(&format!("{}\t", registered.login));
    send(PASSWORD);
    send("\r");
    screen.wait_for("1 名簿");
    // The inbox, open and empty: its first answer came back (the stream was opened with it).
    send("5");
    screen.wait_for("通知はありません。");
    assert!(!screen.text().contains("通知 ("), "no badge yet");
    // The client's stream is open: the server counts a stream once it hears every new event,
    // so the approval below cannot come before it.
    let start = Instant::now();
    while server.events().open_total() == 0 {
        assert!(start.elapsed() < DEADLINE, "the client opened no stream");
        std::thread::sleep(Duration::from_millis(10));
    }

    // The prefecture approves, from another client.
    rt.block_on(async {
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
    });
    // No key pressed: the event brings the badge and the message.
    screen.wait("the badge and the message", |t| {
        t.contains("5 通知 (1)") && t.contains("東京都への登録が承認されました")
    });
    assert!(!screen.text().contains("live ✗"), "the stream is up");

    send("q");
    exit_status(&mut child, &screen);
    rt.block_on(async {
        server.stop().await;
    });
    rt.block_on(database.remove());
}
