//! The inbox over HTTP: listing, filters, paging, the unread count, marking read; nobody sees
//! another account's messages; a prefecture's decision reaches the member in the same
//! transaction; bad input is refused naming the parameter.

use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

/// 東京都 and 神奈川県 accounts, and their sessions.
async fn prefectures(server: &TestServer) -> (String, String, String) {
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
    (admin, tokyo, kanagawa)
}

/// Registers an applicant offering help to `prefectures`; answers its member id and session.
async fn applicant(
    server: &TestServer,
    name: &str,
    email: &str,
    prefectures: &[&str],
    languages: &[&str],
) -> (i64, String) {
    let mut body = registration(name, "しんせい", email, prefectures);
    body["profile"]["languages"] = json!(languages);
    let registered = server.register(body).await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{:?}",
        registered.body
    );
    let id = registered.body["member_id"].as_i64().expect("member id");
    let login = registered.body["login"].as_str().expect("login");
    (id, server.login(login, PASSWORD).await)
}

async fn decide(
    server: &TestServer,
    token: &str,
    member: i64,
    prefecture: &str,
    decision: &str,
    reason: Option<&str>,
) -> (StatusCode, Value) {
    let answer = server
        .post(
            &format!("/api/v1/members/{member}/memberships/{prefecture}"),
            token,
            json!({ "decision": decision, "reason": reason }),
        )
        .await;
    (answer.status, answer.body)
}

async fn inbox(server: &TestServer, token: &str, query: &str) -> Value {
    let answer = server.get(&format!("/api/v1/inbox{query}"), token).await;
    assert_eq!(answer.status, StatusCode::OK, "{query}: {:?}", answer.body);
    answer.body
}

async fn unread(server: &TestServer, token: &str) -> i64 {
    let answer = server.get("/api/v1/inbox/unread", token).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body["unread"].as_i64().expect("unread")
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn decisions_arrive_and_are_listed_filtered_paged_and_marked_read() {
    let server = TestServer::start().await;
    let (_, tokyo, kanagawa) = prefectures(&server).await;
    let (member, own) = applicant(
        &server,
        "受信 花子",
        "inbox@example.jp",
        &["13", "14"],
        &["ja"],
    )
    .await;
    assert_eq!(unread(&server, &own).await, 0);

    let (status, approved) = decide(&server, &tokyo, member, "13", "approve", None).await;
    assert_eq!(status, StatusCode::OK, "{approved:?}");
    let code = approved["issued_registration_code"]
        .as_str()
        .expect("code")
        .to_string();
    let reason = "資格要件を満たしていないため";
    let (status, body) = decide(&server, &kanagawa, member, "14", "reject", Some(reason)).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let (status, body) = decide(&server, &tokyo, member, "13", "suspend", Some("確認中")).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let (status, body) = decide(&server, &tokyo, member, "13", "reinstate", None).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");

    // Newest first, each about the member's own record, in Japanese.
    let all = inbox(&server, &own, "").await;
    assert_eq!(all["total"], 4, "{all:?}");
    let items = all["items"].as_array().expect("items");
    let subjects: Vec<&str> = items
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        subjects,
        [
            "東京都への登録が再開されました",
            "東京都への登録が一時停止されました",
            "神奈川県への登録は承認されませんでした",
            "東京都への登録が承認されました",
        ]
    );
    for m in items {
        assert_eq!(m["kind"], "registration_result");
        assert_eq!(m["subject_kind"], "member");
        assert_eq!(m["subject_id"], member);
        assert!(m["read_at"].is_null());
    }
    assert!(items[3]["body"].as_str().unwrap_or("").contains(&code));
    assert!(items[2]["body"].as_str().unwrap_or("").contains(reason));
    let newest_first = ids(&all);
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);

    // Paging and order.
    let second = inbox(&server, &own, "?per_page=3&page=2").await;
    assert_eq!(second["total"], 4);
    assert_eq!(ids(&second), newest_first[3..]);
    let oldest = inbox(&server, &own, "?order=asc&per_page=1").await;
    assert_eq!(ids(&oldest), [newest_first[3]]);

    // Kind filter.
    let none = inbox(&server, &own, "?kind=training").await;
    assert_eq!(none["total"], 0);
    assert_eq!(
        inbox(&server, &own, "?kind=registration_result").await["total"],
        4
    );

    // Marking one read, twice: the first time stays.
    assert_eq!(unread(&server, &own).await, 4);
    let target = newest_first[1];
    let read = server
        .call(
            Method::POST,
            &format!("/api/v1/inbox/{target}/read"),
            Some(&own),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    let first_read = read.body["read_at"].clone();
    assert!(first_read.is_string(), "{:?}", read.body);
    let again = server
        .call(
            Method::POST,
            &format!("/api/v1/inbox/{target}/read"),
            Some(&own),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["read_at"], first_read);
    assert_eq!(unread(&server, &own).await, 3);
    let unread_only = inbox(&server, &own, "?unread=true").await;
    assert_eq!(unread_only["total"], 3);
    assert!(!ids(&unread_only).contains(&target));
    assert_eq!(ids(&inbox(&server, &own, "?unread=false").await), [target]);

    // Read-all of a kind with no messages changes nothing; read-all marks the rest.
    let call = |query: &'static str| {
        let own = own.clone();
        let server = &server;
        async move {
            server
                .call(
                    Method::POST,
                    &format!("/api/v1/inbox/read-all{query}"),
                    Some(&own),
                    None,
                )
                .await
        }
    };
    let training = call("?kind=training").await;
    assert_eq!(training.status, StatusCode::OK, "{:?}", training.body);
    assert_eq!(training.body, json!({ "marked": 0, "unread": 3 }));
    let all_read = call("").await;
    assert_eq!(all_read.body, json!({ "marked": 3, "unread": 0 }));
    assert_eq!(call("").await.body, json!({ "marked": 0, "unread": 0 }));
    assert_eq!(unread(&server, &own).await, 0);
    let after = inbox(&server, &own, "").await;
    let target_after = after["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["id"] == target)
        .expect("target")
        .clone();
    assert_eq!(target_after["read_at"], first_read);

    // Audited: the list, each mark and each read-all, by the member's account.
    let admin = server.login("jimukyoku", PASSWORD).await;
    assert!(!server.audit(&admin, "inbox.list").await.is_empty());
    assert_eq!(server.audit(&admin, "inbox.read").await.len(), 2);
    assert_eq!(server.audit(&admin, "inbox.read_all").await.len(), 3);
    let decided = server.audit(&admin, "membership.decide").await;
    assert!(decided.iter().all(|e| e["detail"]
        .as_str()
        .unwrap_or("")
        .contains("\"notified\":1")));
    server.stop().await;
}

#[tokio::test]
async fn a_member_working_in_english_only_reads_english() {
    let server = TestServer::start().await;
    let (_, tokyo, _) = prefectures(&server).await;
    let (member, own) =
        applicant(&server, "英語 太郎", "english@example.jp", &["13"], &["en"]).await;
    let (status, body) = decide(&server, &tokyo, member, "13", "approve", None).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let page = inbox(&server, &own, "").await;
    assert_eq!(
        page["items"][0]["subject"],
        "Your registration with Tokyo was approved"
    );
    server.stop().await;
}

#[tokio::test]
async fn another_accounts_messages_are_invisible() {
    let server = TestServer::start().await;
    let (admin, tokyo, _) = prefectures(&server).await;
    let (a, own_a) = applicant(&server, "甲 花子", "a@example.jp", &["13"], &["ja"]).await;
    let (b, own_b) = applicant(&server, "乙 次郎", "b@example.jp", &["13"], &["ja"]).await;
    decide(&server, &tokyo, a, "13", "approve", None).await;
    decide(&server, &tokyo, b, "13", "reject", Some("書類不備")).await;
    let a_page = inbox(&server, &own_a, "").await;
    let b_page = inbox(&server, &own_b, "").await;
    assert_eq!(a_page["total"], 1);
    assert_eq!(b_page["total"], 1);
    let a_message = ids(&a_page)[0];
    let b_message = ids(&b_page)[0];
    assert_ne!(a_message, b_message);
    assert_eq!(a_page["items"][0]["subject_id"], a);

    // B cannot read, mark or count A's message; the prefecture and the admin neither.
    for token in [&own_b, &tokyo, &admin] {
        let answer = server
            .call(
                Method::POST,
                &format!("/api/v1/inbox/{a_message}/read"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{:?}", answer.body);
        assert_eq!(answer.code(), "not_found");
    }
    // A message that does not exist answers alike.
    let missing = server
        .call(
            Method::POST,
            &format!("/api/v1/inbox/{}/read", a_message.max(b_message) + 100),
            Some(&own_b),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ids(&inbox(&server, &own_b, "?per_page=500").await),
        [b_message]
    );
    assert_eq!(inbox(&server, &tokyo, "").await["total"], 0);
    assert_eq!(unread(&server, &tokyo).await, 0);
    let b_all = server
        .call(Method::POST, "/api/v1/inbox/read-all", Some(&own_b), None)
        .await;
    assert_eq!(b_all.body, json!({ "marked": 1, "unread": 0 }));
    // A's message is still unread.
    assert_eq!(unread(&server, &own_a).await, 1);
    assert!(inbox(&server, &own_a, "").await["items"][0]["read_at"].is_null());
    server.stop().await;
}

#[tokio::test]
async fn a_decision_and_its_message_commit_together() {
    let server = TestServer::start().await;
    let (admin, tokyo, _) = prefectures(&server).await;
    let (member, own) =
        applicant(&server, "原子 一郎", "atomic@example.jp", &["13"], &["ja"]).await;

    // Refused decisions (invalid, in the wrong state, outside the caller's scope) leave none.
    let (status, _) = decide(&server, &tokyo, member, "13", "reject", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = decide(&server, &tokyo, member, "13", "reinstate", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = decide(&server, &tokyo, member, "14", "approve", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(inbox(&server, &own, "").await["total"], 0);

    // When the message cannot be written, the decision is not made either.
    refuse_messages(&server, true).await;
    let (status, body) = decide(&server, &tokyo, member, "13", "approve", None).await;
    assert!(status.is_server_error(), "{status} {body:?}");
    refuse_messages(&server, false).await;
    let record = server
        .get(&format!("/api/v1/members/{member}"), &tokyo)
        .await;
    assert_eq!(
        record.body["memberships"][0]["status"], "applied",
        "{:?}",
        record.body
    );
    assert!(record.body["registration_code"].is_null());
    assert!(server.audit(&admin, "membership.decide").await.is_empty());
    assert_eq!(inbox(&server, &own, "").await["total"], 0);

    // A decision that is made leaves exactly one message.
    let (status, body) = decide(&server, &tokyo, member, "13", "approve", None).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert_eq!(inbox(&server, &own, "").await["total"], 1);
    assert_eq!(unread(&server, &own).await, 1);

    // A professional without an account gets none, and the decision is made.
    let managed = server
        .post(
            "/api/v1/members",
            &tokyo,
            json!({ "profile": registration("都 職員", "と しょくいん", "", &[])["profile"] }),
        )
        .await;
    assert_eq!(managed.status, StatusCode::CREATED, "{:?}", managed.body);
    let managed = managed.body["id"].as_i64().expect("id");
    let (status, body) = decide(&server, &tokyo, managed, "13", "suspend", Some("休職中")).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let entries = server.audit(&admin, "membership.decide").await;
    assert!(
        entries[0]["detail"]
            .as_str()
            .unwrap_or("")
            .contains("\"notified\":0"),
        "{entries:?}"
    );
    server.stop().await;
}

/// Makes the database refuse (or accept again) every new inbox message, from outside the
/// server, on either backend.
async fn refuse_messages(server: &TestServer, refuse: bool) {
    let url = &server.database.url;
    if server.database.is_postgres() {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        let statements: &[&str] = if refuse {
            &[
                "CREATE FUNCTION refuse_message() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_messages BEFORE INSERT ON inbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_message()",
            ]
        } else {
            &[
                "DROP TRIGGER refuse_messages ON inbox_messages",
                "DROP FUNCTION refuse_message()",
            ]
        };
        for s in statements {
            sqlx::query(s).execute(&mut db).await.expect(s);
        }
        let _ = db.close().await;
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        let statement = if refuse {
            "CREATE TRIGGER refuse_messages BEFORE INSERT ON inbox_messages BEGIN SELECT RAISE(ABORT, 'refused'); END"
        } else {
            "DROP TRIGGER refuse_messages"
        };
        sqlx::query(statement)
            .execute(&mut db)
            .await
            .expect(statement);
        let _ = db.close().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_parameter() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    for (path, field) in [
        ("/api/v1/inbox?kind=telegram", "kind"),
        ("/api/v1/inbox?unread=maybe", "unread"),
        ("/api/v1/inbox?sort=subject", "sort"),
        ("/api/v1/inbox?page=-1", "page"),
    ] {
        let answer = server.get(path, &admin).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {:?}",
            answer.body
        );
        assert_eq!(answer.fields(), [field], "{path}: {:?}", answer.body);
    }
    let answer = server
        .call(
            Method::POST,
            "/api/v1/inbox/read-all?kind=telegram",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.fields(), ["kind"], "{:?}", answer.body);
    // An id that is not a number is refused naming it, as on every route with an id.
    for path in [
        "/api/v1/inbox/abc/read",
        "/api/v1/inbox/1.5/read",
        "/api/v1/inbox/99999999999999999999/read",
    ] {
        let answer = server.call(Method::POST, path, Some(&admin), None).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {:?}",
            answer.body
        );
        assert_eq!(answer.fields(), ["id"], "{path}");
    }
    // In the caller's language.
    let english = server
        .call_lang(
            Method::GET,
            "/api/v1/inbox?kind=telegram",
            Some(&admin),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    let japanese = server.get("/api/v1/inbox?kind=telegram", &admin).await;
    let said = |a: &ouen_tests::Answer| {
        a.body["fields"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(!said(&english).is_empty());
    assert_ne!(said(&english), said(&japanese));
    let negative = server
        .call(Method::POST, "/api/v1/inbox/-1/read", Some(&admin), None)
        .await;
    assert_eq!(negative.status, StatusCode::NOT_FOUND);
    let anonymous = server.call(Method::GET, "/api/v1/inbox", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}
