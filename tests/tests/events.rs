//! The live-update stream `GET /api/v1/events` over real HTTP: events reach the listeners in
//! their scope and nobody else (absence is proven by order: an event in scope caused later
//! arrives first), a reconnect replays what was missed or answers `resync`, keep-alives arrive,
//! a logout ends the stream, the stream limit answers 429, and two instances over one database
//! hear each other. Waits are on the stream's frames, each with a timeout.
//!
//! SQLite by default; PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server.

use ouen_tests::events::{request, Item, Stream};
use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Registers an applicant to `prefectures`; answers its member id and login.
async fn register(server: &TestServer, who: &str, prefectures: &[&str]) -> (i64, String) {
    let mut body = registration(
        &format!("応募 {who}"),
        "おうぼ",
        &format!("{who}@example.jp"),
        prefectures,
    );
    body["profile"]["licences"][0]["number"] = json!(format!("PHN-{who}"));
    let answer = server.register(body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    (
        answer.body["member_id"].as_i64().expect("member id"),
        answer.body["login"].as_str().expect("login").to_string(),
    )
}

async fn prefecture(server: &TestServer, admin: &str, login: &str, code: &str) -> String {
    server
        .issue(
            admin,
            json!({ "login": login, "display_name": format!("{login} 担当"), "role": "prefecture", "prefecture_code": code }),
        )
        .await
        .1
}

async fn approve(server: &TestServer, token: &str, member: i64, code: &str) {
    let answer = server
        .post(
            &format!("/api/v1/members/{member}/memberships/{code}"),
            token,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

#[tokio::test]
async fn events_reach_their_scope_only_and_a_reconnect_replays_what_was_missed() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let tokyo = prefecture(&server, &admin, "tokyo", "13").await;
    let osaka = prefecture(&server, &admin, "osaka", "27").await;
    let (hanako, hanako_login) = register(&server, "hanako", &["13"]).await;
    let (_, taro_login) = register(&server, "taro", &["13"]).await;
    let hanako_token = server.login(&hanako_login, PASSWORD).await;
    let taro_token = server.login(&taro_login, PASSWORD).await;

    let mut tokyo_stream = Stream::open(&server, &tokyo, None).await;
    let mut osaka_stream = Stream::open(&server, &osaka, None).await;
    let mut hanako_stream = Stream::open(&server, &hanako_token, None).await;
    let mut taro_stream = Stream::open(&server, &taro_token, None).await;

    // A registration to 東京都 reaches 東京都's vetting queue, not 大阪府's.
    let (jiro, _) = register(&server, "jiro", &["13"]).await;
    let (_, event, data) = tokyo_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(jiro))
    );
    assert_eq!(data["subject_kind"], "member");

    // 東京都 approves 花子: her inbox message reaches her stream (caused by another account).
    approve(&server, &tokyo, hanako, "13").await;
    let (message_event, event, data) = hanako_stream.next_event().await;
    assert_eq!(event, "inbox_message");
    assert_eq!(data["subject_kind"], "inbox_message");
    let inbox = server.get("/api/v1/inbox", &hanako_token).await;
    assert_eq!(data["subject_id"], inbox.body["items"][0]["id"]);
    // The decision changed her record: 東京都 hears of it too.
    let (_, event, data) = tokyo_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(hanako))
    );

    // Later events in each other scope arrive first: 大阪府 never had 次郎's or 花子's, 太郎
    // never had 花子's message.
    let (kenji, _) = register(&server, "kenji", &["27"]).await;
    let (_, event, data) = osaka_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(kenji))
    );
    let taro = server.get("/api/v1/me/member", &taro_token).await.body["id"]
        .as_i64()
        .expect("taro's member id");
    approve(&server, &tokyo, taro, "13").await;
    let (_, event, _) = taro_stream.next_event().await;
    assert_eq!(event, "inbox_message");
    let (_, event, data) = tokyo_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(taro)),
        "not 健二 of 大阪府"
    );

    // 花子 reconnects after her message: what came since in her scope (the decision on her
    // record, then 東京都's edit of it while she was away) is replayed, her message is not.
    drop(hanako_stream);
    let edited = server
        .call(
            Method::PATCH,
            &format!("/api/v1/members/{hanako}"),
            Some(&tokyo),
            Some(json!({ "notes": "連絡済み" })),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let mut again = Stream::open(&server, &hanako_token, Some(&message_event.to_string())).await;
    let (decided, event, data) = again.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(hanako))
    );
    assert!(decided > message_event);
    let (edit, event, data) = again.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(hanako))
    );
    assert!(edit > decided);

    // An id the server cannot vouch for gets one `resync`.
    for bad in ["999999999", "-5", "abc"] {
        let mut stream = Stream::open(&server, &hanako_token, Some(bad)).await;
        let (_, event, data) = stream.next_event().await;
        assert_eq!(event, "resync", "{bad}");
        assert_eq!(data["subject_id"], Value::Null);
    }
    // So does one older than what is kept.
    let pruned = server
        .store
        .prune_events(ouen_server::store::now() + chrono::Duration::seconds(1))
        .await
        .expect("prune");
    assert!(pruned > 0);
    let mut stream = Stream::open(&server, &hanako_token, Some(&message_event.to_string())).await;
    assert_eq!(stream.next_event().await.1, "resync");
    // A query value that is no number is refused, naming it.
    let answer = server
        .call(
            Method::GET,
            "/api/v1/events?last_event_id=abc",
            Some(&hanako_token),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.fields(), vec!["last_event_id".to_string()]);
    server.stop().await;
}

#[tokio::test]
async fn keep_alives_arrive_and_a_logout_ends_the_stream() {
    let server = TestServer::start_with(|c| c.events.keep_alive_seconds = 0.05).await;
    let admin = server.admin("jimukyoku").await;
    let mut stream = Stream::open(&server, &admin, None).await;
    assert_eq!(
        stream.next().await,
        Some(Item::Comment("keep-alive".into()))
    );
    let answer = server
        .call(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(&admin),
            None,
        )
        .await;
    assert!(answer.status.is_success(), "{:?}", answer.body);
    // Keep-alives may still be under way; the stream then ends.
    loop {
        match stream.next().await {
            None => break,
            Some(Item::Comment(_)) => {}
            Some(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        request(&server, &admin, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

#[tokio::test]
async fn streams_beyond_the_limit_are_refused() {
    let server = TestServer::start_with(|c| c.events.max_streams_per_account = 2).await;
    let admin = server.admin("jimukyoku").await;
    let first = Stream::open(&server, &admin, None).await;
    let _second = Stream::open(&server, &admin, None).await;
    let third = request(&server, &admin, None).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another account has its own allowance.
    let tokyo = prefecture(&server, &admin, "tokyo", "13").await;
    let _tokyo = Stream::open(&server, &tokyo, None).await;
    drop(first);
    server.stop().await;
}

#[tokio::test]
async fn a_registration_through_one_instance_reaches_a_stream_on_the_other() {
    let database = std::sync::Arc::new(ouen_tests::TestDatabase::create().await);
    // On PostgreSQL only LISTEN/NOTIFY can bring the event in time: the poll is an hour away.
    // On SQLite the second instance learns of the first's events by polling the shared file.
    let poll_ms = if database.is_postgres() {
        3_600_000
    } else {
        50
    };
    let first = TestServer::start_on(database.clone(), |c| c.events.poll_ms = poll_ms).await;
    let second = TestServer::start_on(database, |c| c.events.poll_ms = poll_ms).await;
    let admin = first.admin("jimukyoku").await;
    let tokyo = prefecture(&first, &admin, "tokyo", "13").await;
    let osaka = prefecture(&first, &admin, "osaka", "27").await;
    let mut tokyo_stream = Stream::open(&second, &tokyo, None).await;
    let mut osaka_stream = Stream::open(&second, &osaka, None).await;
    let (hanako, _) = register(&first, "hanako", &["13"]).await;
    let (_, event, data) = tokyo_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(hanako))
    );
    // 大阪府 gets its own registration first: it never had 花子's.
    let (kenji, _) = register(&first, "kenji", &["27"]).await;
    let (_, event, data) = osaka_stream.next_event().await;
    assert_eq!(
        (event.as_str(), data["subject_id"].as_i64()),
        ("member", Some(kenji))
    );
    // And the queue a client re-reads on that event shows her.
    let queue = second.get("/api/v1/members?status=applied", &tokyo).await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    assert!(
        queue.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["id"] == hanako),
        "{:?}",
        queue.body
    );
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn a_dropped_listener_connection_loses_no_event() {
    let database = std::sync::Arc::new(ouen_tests::TestDatabase::create().await);
    // As above: on PostgreSQL only the listener can bring the events in time.
    let poll_ms = if database.is_postgres() {
        3_600_000
    } else {
        50
    };
    let first = TestServer::start_on(database.clone(), |c| c.events.poll_ms = poll_ms).await;
    let second = TestServer::start_on(database.clone(), |c| c.events.poll_ms = poll_ms).await;
    let admin = first.admin("jimukyoku").await;
    let tokyo = prefecture(&first, &admin, "tokyo", "13").await;
    let mut stream = Stream::open(&second, &tokyo, None).await;
    let (hanako, _) = register(&first, "hanako", &["13"]).await;
    assert_eq!(stream.next_event().await.2["subject_id"], hanako);
    if database.is_postgres() {
        // The listeners are connected (the event came); cut their connections.
        let mut admin_db = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
            .await
            .expect("connect");
        let cut: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'",
        )
        .fetch_all(&mut admin_db)
        .await
        .expect("terminate the listeners");
        assert!(!cut.is_empty(), "a listener was connected");
    }
    // Events right after the cut and later ones all arrive, in order.
    let (taro, _) = register(&first, "taro", &["13"]).await;
    let (jiro, _) = register(&first, "jiro", &["13"]).await;
    assert_eq!(stream.next_event().await.2["subject_id"], taro);
    assert_eq!(stream.next_event().await.2["subject_id"], jiro);
    second.stop().await;
    first.stop().await;
}
