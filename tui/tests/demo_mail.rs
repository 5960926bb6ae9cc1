//! The demo delivers e-mail as `ouen-server serve` does without SMTP: the decisions its seed
//! makes tell their members, and those messages become `.eml` files in the demo's outbox.
//! The demo fills the database it is given: a new SQLite file, or a new PostgreSQL database when
//! `OUEN_TEST_DATABASE_URL` names a server.

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_writes_its_e_mail_as_files() {
    let database = ouen_tests::TestDatabase::create().await;
    let demo = ouen::demo::start(Some(database.url.clone()))
        .await
        .expect("demo");
    let deadline = Instant::now() + Duration::from_secs(60);
    let written = loop {
        let files: Vec<String> = std::fs::read_dir(demo.outbox_dir())
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.ends_with(".eml"))
                    .collect()
            })
            .unwrap_or_default();
        if !files.is_empty() || Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        !written.is_empty(),
        "no e-mail was written in {}",
        demo.outbox_dir().display()
    );
    demo.stop().await;
}

/// The demo's dispatch request asks its members by e-mail; the personal link in that e-mail
/// leads back to the demo's own server, where the answer page opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_answer_links_lead_to_its_own_server() {
    let database = ouen_tests::TestDatabase::create().await;
    let demo = ouen::demo::start(Some(database.url.clone()))
        .await
        .expect("demo");
    let deadline = Instant::now() + Duration::from_secs(60);
    let link = loop {
        let found = std::fs::read_dir(demo.outbox_dir())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| ouen_tests::mail::eml_text(&raw))
            .find_map(|text| {
                text.split_whitespace()
                    .find(|w| w.contains("/dispatch/answer/"))
                    .map(str::to_string)
            });
        if let Some(link) = found {
            break link;
        }
        assert!(Instant::now() < deadline, "no answer link was written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        link.starts_with(&format!("{}/dispatch/answer/", demo.base_url)),
        "{link} is not on {}",
        demo.base_url
    );
    let page = reqwest::get(&link).await.expect("the answer page");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("新型感染症 積極的疫学調査の応援"), "{html}");
    demo.stop().await;
}
