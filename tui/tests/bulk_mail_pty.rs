//! Bulk mail end to end: the real server, the real `ouen` binary in a pseudo-terminal signed in
//! as 東京都. The form opened from the roster shows the count the server's preview gives,
//! asks before sending naming it, sends once, and the history lists the mail; the server holds
//! exactly one send.
//!
//! SQLite by default; PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server.

mod common;

use common::pty::*;
use ouen::api::Client;
use ouen_shared::api::{BulkMailDraft, MemberFilter};
use ouen_shared::endpoints::{ListBulkMails, PreviewBulkMail, Register};
use ouen_shared::Lang;
use std::io::Write;

#[test]
fn a_bulk_mail_from_the_roster_is_counted_confirmed_sent_once_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base, expected) = rt.block_on(async {
        let (server, base) = server_with_tokyo(&db_url).await;
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
        // What the server itself counts for the whole roster.
        let tokyo = logged_in(&base, "tokyo").await;
        let preview = tokyo
            .call(&PreviewBulkMail(BulkMailDraft {
                filter: MemberFilter::default(),
                subject: "研修のご案内".into(),
                body: "日程をお知らせします。".into(),
            }))
            .await
            .expect("a preview");
        (server, base, preview.recipients)
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
    screen.wait_for("名簿 2件");

    send("m");
    screen.wait_for("一斉メール");
    screen.wait_for("名簿の全員");
    send("研修のご案内");
    send("\t");
    send("日程をお知らせします。");
    screen.wait_for(&format!("宛先 {expected} 名"));
    send("\x13"); // Ctrl-s
    screen.wait_for(&format!("{expected} 名に送信しますか?"));
    send("y");
    screen.wait_for(&format!("{expected} 名に送信しました。"));

    send("M");
    screen.wait_for("一斉メールの送信履歴");
    screen.wait("the mail in the history", |t| {
        t.contains("研修のご案内") && t.contains("tokyo")
    });
    send("\r");
    screen.wait_for("送信済みの一斉メール");
    send("\x1b");
    screen.wait("the history again", |t| !t.contains("送信済みの一斉メール"));
    send("\x1b");
    // An Esc and a key sent together read as Alt and the key: wait for the roster first.
    screen.wait("the roster again", |t| !t.contains("一斉メールの送信履歴"));

    rt.block_on(async {
        let tokyo = logged_in(&base, "tokyo").await;
        let page = tokyo
            .call(&ListBulkMails {
                page: 1,
                per_page: 50,
            })
            .await
            .expect("the history");
        assert_eq!(page.total, 1, "sent once");
        assert_eq!(page.items[0].recipients, expected);
    });

    send("q");
    exit_status(&mut child, &screen);
    rt.block_on(async {
        server.stop().await;
    });
    rt.block_on(database.remove());
}
