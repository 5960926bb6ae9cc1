//! Bulk mail and the newsletter over HTTP: the preview counts what the roster list finds minus
//! opt-outs, a send reaches exactly those (inboxes and outbox) once per idempotency key, bad
//! input and empty audiences record nothing, and prefectures stay inside their own roster.

use ouen_tests::{registration, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

/// Runs one statement on the test database from outside the server, on either backend.
async fn execute(server: &TestServer, statement: &str) {
    let url = &server.database.url;
    if server.database.is_postgres() {
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

/// One count on the test database.
async fn count(server: &TestServer, query: &str) -> i64 {
    let url = &server.database.url;
    if server.database.is_postgres() {
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

async fn sent(server: &TestServer, kind: &str) -> (i64, i64) {
    (
        count(
            server,
            &format!("SELECT COUNT(*) FROM inbox_messages WHERE kind = '{kind}'"),
        )
        .await,
        count(
            server,
            &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = '{kind}'"),
        )
        .await,
    )
}

/// 東京都 and 神奈川県 sessions; four applicants to 東京都 (one opted out), two to 神奈川県.
async fn set_up(server: &TestServer) -> (String, String, String) {
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(
            &admin,
            json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }),
        )
        .await;
    let (_, kanagawa) = server
        .issue(
            &admin,
            json!({ "login": "kanagawa", "display_name": "神奈川県 担当", "role": "prefecture", "prefecture_code": "14" }),
        )
        .await;
    for (i, prefecture) in ["13", "13", "13", "13", "14", "14"].iter().enumerate() {
        let body = registration(
            &format!("一斉 太郎{i}"),
            "いっせい たろう",
            &format!("bulk{i}@example.jp"),
            &[prefecture],
        );
        let answer = server.register(body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    }
    execute(
        server,
        "UPDATE members SET mail_opt_out_at = CURRENT_TIMESTAMP WHERE email = 'bulk3@example.jp'",
    )
    .await;
    (admin, tokyo, kanagawa)
}

fn draft(filter: Value, subject: &str, body: &str) -> Value {
    json!({ "filter": filter, "subject": subject, "body": body })
}

fn request(key: &str, filter: Value, subject: &str, body: &str) -> Value {
    let mut request = draft(filter, subject, body);
    request["idempotency_key"] = json!(key);
    request
}

#[tokio::test]
async fn a_bulk_mail_reaches_the_filtered_roster_once() {
    let server = TestServer::start().await;
    let (_admin, tokyo, kanagawa) = set_up(&server).await;

    // The preview counts what the roster list finds, minus the one who opted out.
    let listed = server.get("/api/v1/members?prefecture=13", &tokyo).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["total"], 4);
    let preview = server
        .post(
            "/api/v1/bulk-mails/preview",
            &tokyo,
            draft(
                json!({ "prefecture": "13" }),
                " 研修のご案内 ",
                "本文\r\n二行目",
            ),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    assert_eq!(preview.body["recipients"], 3);
    assert_eq!(preview.body["opted_out"], 1);
    assert_eq!(preview.body["subject"], "研修のご案内");
    assert!(preview.body["body"]
        .as_str()
        .unwrap_or("")
        .starts_with("本文\n二行目"));

    // The send reaches exactly those: an inbox entry each (all have accounts) and an e-mail each.
    let key = "tokyo-send-0000000001";
    let body = request(key, json!({ "prefecture": "13" }), "研修のご案内", "本文");
    let first = server
        .post("/api/v1/bulk-mails", &tokyo, body.clone())
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["recipients"], 3);
    assert_eq!(sent(&server, "bulk_mail").await, (3, 3));

    // The same key again answers the first record and reaches nobody twice.
    let again = server.post("/api/v1/bulk-mails", &tokyo, body).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(sent(&server, "bulk_mail").await, (3, 3));

    // Two concurrent sends with one new key reach everyone once.
    let racing = request(
        "tokyo-race-0000000001",
        json!({ "prefecture": "13" }),
        "件名",
        "本文",
    );
    let (a, b) = tokio::join!(
        server.post("/api/v1/bulk-mails", &tokyo, racing.clone()),
        server.post("/api/v1/bulk-mails", &tokyo, racing)
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::OK, StatusCode::OK),
        "{:?} {:?}",
        a.body,
        b.body
    );
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(sent(&server, "bulk_mail").await, (6, 6));

    // The same key with other content is a conflict.
    let other = request(key, json!({ "prefecture": "13" }), "別の件名", "本文");
    let conflict = server.post("/api/v1/bulk-mails", &tokyo, other).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{:?}", conflict.body);
    assert_eq!(sent(&server, "bulk_mail").await, (6, 6));

    // 神奈川県 cannot reach 東京都's members (0 → 422) nor read its history (404).
    let foreign = request(
        "kanagawa-send-000000001",
        json!({ "prefecture": "13" }),
        "件名",
        "本文",
    );
    let refused = server.post("/api/v1/bulk-mails", &kanagawa, foreign).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.to_string().contains("filter"),
        "{:?}",
        refused.body
    );
    let id = first.body["id"].as_i64().expect("id");
    let hidden = server
        .get(&format!("/api/v1/bulk-mails/{id}"), &kanagawa)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let theirs = server.get("/api/v1/bulk-mails", &kanagawa).await;
    assert_eq!(theirs.body["total"], 0);
    let ours = server.get("/api/v1/bulk-mails", &tokyo).await;
    assert_eq!(ours.body["total"], 2);
    let own = server
        .get(&format!("/api/v1/bulk-mails/{id}"), &tokyo)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["filter"]["prefecture"], "13");

    // Bad text is a field error and records nothing.
    for (subject, body, field) in [
        ("", "本文", "subject"),
        ("件名\r\nBcc: x@example.com", "本文", "subject"),
        ("件名", "  ", "body"),
        ("件名", &"あ".repeat(20_001), "body"),
        ("件名", "a\u{7}b", "body"),
    ] {
        let bad = request("tokyo-bad-00000000001", json!({}), subject, body);
        let answer = server.post("/api/v1/bulk-mails", &tokyo, bad).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{subject:?}"
        );
        assert!(answer.body.to_string().contains(field), "{:?}", answer.body);
    }
    let short_key = request("short", json!({}), "件名", "本文");
    let answer = server.post("/api/v1/bulk-mails", &tokyo, short_key).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        server.get("/api/v1/bulk-mails", &tokyo).await.body["total"],
        2
    );
    assert_eq!(sent(&server, "bulk_mail").await, (6, 6));
    server.stop().await;
}

#[tokio::test]
async fn a_newsletter_issue_is_drafted_previewed_and_sent_once() {
    let server = TestServer::start().await;
    let (admin, tokyo, kanagawa) = set_up(&server).await;
    // Subscribers are approved members: approve two of 東京都's applicants.
    let listed = server.get("/api/v1/members?prefecture=13", &tokyo).await;
    let ids: Vec<i64> = listed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    for id in &ids[..2] {
        let answer = server
            .post(
                &format!("/api/v1/members/{id}/memberships/13"),
                &tokyo,
                json!({ "decision": "approve" }),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    }

    let created = server
        .post(
            "/api/v1/newsletter/issues",
            &tokyo,
            json!({ "subject": "ouen通信 第1号", "body": "下書き" }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    assert_eq!(created.body["status"], "draft");
    let id = created.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/newsletter/issues/{id}");

    let updated = server
        .call(
            Method::PUT,
            &path,
            Some(&tokyo),
            Some(json!({ "subject": "ouen通信 第1号", "body": "本文" })),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["body"], "本文");

    let preview = server.get(&format!("{path}/preview"), &tokyo).await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    let expected = preview.body["recipients"].as_i64().expect("recipients");
    assert!(expected >= 1, "{:?}", preview.body);

    // Another prefecture does not see it.
    assert_eq!(
        server.get(&path, &kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    let foreign_send = server
        .post(&format!("{path}/send"), &kanagawa, json!({}))
        .await;
    assert_eq!(foreign_send.status, StatusCode::NOT_FOUND);

    let sent_issue = server
        .post(&format!("{path}/send"), &tokyo, json!({}))
        .await;
    assert_eq!(sent_issue.status, StatusCode::OK, "{:?}", sent_issue.body);
    assert_eq!(sent_issue.body["status"], "sent");
    assert_eq!(sent_issue.body["recipients"], expected);
    assert_eq!(sent(&server, "newsletter").await, (expected, expected));

    // A second send and a change after sending are conflicts and reach nobody.
    let twice = server
        .post(&format!("{path}/send"), &tokyo, json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let late = server
        .call(
            Method::PUT,
            &path,
            Some(&tokyo),
            Some(json!({ "subject": "x", "body": "y" })),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(sent(&server, "newsletter").await, (expected, expected));
    let list = server.get("/api/v1/newsletter/issues", &tokyo).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(
        server.get("/api/v1/newsletter/issues", &admin).await.body["total"],
        1
    );
    server.stop().await;
}
