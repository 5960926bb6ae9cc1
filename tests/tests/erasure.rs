//! Erasure that erases everything: once a member who left the bank is anonymised, none of its
//! former values appears in any answer of any route, to any caller — record, history, lists,
//! searches, exports, accounts and the audit log included.

use chrono::Duration;
use ouen_tests::matrix::{self, Fixture, RawAnswer, Sessions, ROLES};
use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The person who is erased, with every value it ever gave or was given.
struct Person {
    member_id: i64,
    account_id: i64,
    /// Values on its record until it is anonymised.
    current: Vec<String>,
    /// Other spellings of those values, and values it replaced before: they need not be shown
    /// before, but must not have been copied anywhere either.
    other: Vec<String>,
}

const NAME: &str = "鬼灯 朔弥";
const KANA: &str = "ほおずき さくや";
const EMAIL: &str = "Sakuya.Hozuki-77@Example.JP";
const OLD_PHONE: &str = "090-8765-4321";
const PHONE: &str = "080-1357-2468";
const STREET: &str = "鬼灯町9丁目8-7";
const BIRTH_DATE: &str = "1979-11-23";
const LICENCE: &str = "ERS-918273";
const NOTES: &str = "夜間は携帯へ連絡のこと";
const SUSPENSION: &str = "本人確認書類の再提出待ち";
const WITHDRAWAL: &str = "実家の介護に専念するため";

fn profile(phone: &str) -> Value {
    let mut p = registration(NAME, KANA, EMAIL, &[])["profile"].clone();
    p["birth_date"] = json!(BIRTH_DATE);
    p["phone"] = json!(phone);
    p["street"] = json!(STREET);
    p["licences"][0]["number"] = json!(LICENCE);
    p
}

/// Registers the person, has 東京都 approve, suspend and reinstate it and write notes, and has
/// it edit its profile, offer support to 神奈川県, fail a login and withdraw from the bank.
async fn act(server: &TestServer) -> Person {
    let mut body = registration(NAME, KANA, EMAIL, &["13"]);
    body["profile"] = profile(OLD_PHONE);
    let registered = server.register(body).await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{:?}",
        registered.body
    );
    let member_id = registered.body["member_id"].as_i64().expect("member id");
    let login = registered.body["login"]
        .as_str()
        .expect("login")
        .to_string();
    let tokyo = server.login("tokyo", PASSWORD).await;
    let decide = |decision: &'static str, reason: Option<&'static str>| {
        let tokyo = tokyo.clone();
        async move {
            let answer = server
                .post(
                    &format!("/api/v1/members/{member_id}/memberships/13"),
                    &tokyo,
                    json!({ "decision": decision, "reason": reason }),
                )
                .await;
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{decision}: {:?}",
                answer.body
            );
            answer.body
        }
    };
    let approved = decide("approve", None).await;
    let code = approved["issued_registration_code"]
        .as_str()
        .expect("registration code")
        .to_string();
    decide("suspend", Some(SUSPENSION)).await;
    decide("reinstate", None).await;
    let notes = server
        .call(
            Method::PATCH,
            &format!("/api/v1/members/{member_id}"),
            Some(&tokyo),
            Some(json!({ "notes": NOTES })),
        )
        .await;
    assert_eq!(notes.status, StatusCode::OK, "{:?}", notes.body);

    // A wrong password typed in another letter case, then the person itself at work.
    let wrong = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": EMAIL.to_uppercase(), "password": "wrong-password-1" })),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let own = server.login(EMAIL, PASSWORD).await;
    let me = server.get("/api/v1/me", &own).await;
    let account_id = me.body["id"].as_i64().expect("account id");
    let edited = server
        .call(
            Method::PUT,
            "/api/v1/me/member",
            Some(&own),
            Some(json!({ "profile": profile(PHONE) })),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let offered = server
        .call(
            Method::PUT,
            "/api/v1/me/member/offers/14",
            Some(&own),
            Some(json!({ "availability": [{ "from": "2026-04-01", "to": "2026-09-30", "ways": ["remote"] }] })),
        )
        .await;
    assert_eq!(offered.status, StatusCode::OK, "{:?}", offered.body);
    let withdrawn = server
        .post(
            "/api/v1/me/member/withdrawal",
            &own,
            json!({ "reason": WITHDRAWAL }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);

    let mut current: Vec<String> = [
        NAME,
        KANA,
        EMAIL,
        login.as_str(),
        PHONE,
        STREET,
        BIRTH_DATE,
        LICENCE,
        NOTES,
        SUSPENSION,
        WITHDRAWAL,
        code.as_str(),
    ]
    .iter()
    .map(|v| v.to_string())
    .collect();
    current.extend(NAME.split(' ').map(str::to_string));
    current.extend(KANA.split(' ').map(str::to_string));
    current.push(EMAIL.split('@').next().unwrap_or_default().to_string());
    let other = vec![
        NAME.replace(' ', ""),
        KANA.replace(' ', ""),
        PHONE.replace('-', ""),
        code.replace('-', ""),
        OLD_PHONE.to_string(),
        OLD_PHONE.replace('-', ""),
    ];
    Person {
        member_id,
        account_id,
        current,
        other,
    }
}

/// Calls every cell of the matrix as every role, then the record, lists, searches, exports,
/// accounts and the whole audit log with filters that would find the person, and answers
/// every answer (the request and the body as text).
async fn sweep(server: &TestServer, f: &Fixture, p: &Person, own: Option<&str>) -> Vec<String> {
    let mut answers = Vec::new();
    let mut keep = |what: String, answer: RawAnswer| {
        assert!(
            !answer.status.is_server_error(),
            "{what}: {} {}",
            answer.status,
            answer.text
        );
        answers.push(format!("{what} → {}\n{}", answer.status, answer.text));
    };
    let mut sessions = Sessions::default();
    for cell in matrix::cells(f) {
        for role in ROLES {
            let token = sessions.token(server, role).await;
            let answer = matrix::send(server, &cell, role, token.as_deref(), f).await;
            sessions.after(&cell, role);
            keep(format!("{} {} as {role}", cell.method, cell.path), answer);
        }
    }

    let id = p.member_id;
    let account = p.account_id;
    let mut paths = vec![
        format!("/api/v1/members/{id}"),
        format!("/api/v1/accounts/{account}"),
        "/api/v1/members?per_page=500".to_string(),
        "/api/v1/members?status=withdrawn&per_page=500".to_string(),
        "/api/v1/members?prefecture=13,14&per_page=500".to_string(),
        "/api/v1/members/export".to_string(),
        "/api/v1/members/export?status=withdrawn".to_string(),
        "/api/v1/accounts?per_page=500".to_string(),
        "/api/v1/accounts?role=member&per_page=500".to_string(),
    ];
    for value in &p.current {
        let q = urlencode(value);
        paths.push(format!("/api/v1/members?q={q}"));
        paths.push(format!("/api/v1/members/export?q={q}"));
        paths.push(format!("/api/v1/accounts?q={q}"));
    }
    for role in ROLES {
        let token = sessions.token(server, role).await;
        for path in &paths {
            let answer = matrix::request(server, Method::GET, path, token.as_deref(), None).await;
            keep(format!("GET {path} as {role}"), answer);
        }
    }
    // The person's own view, while it can still log in.
    if let Some(own) = own {
        for path in [
            "/api/v1/me",
            "/api/v1/me/member",
            "/api/v1/inbox?per_page=500",
        ] {
            let answer = matrix::request(server, Method::GET, path, Some(own), None).await;
            keep(format!("GET {path} as the person"), answer);
        }
    }

    // The audit log last, so it holds the searches above: entries about the person, by it,
    // and every page of the whole log.
    let mut audit = vec![
        format!("/api/v1/audit?target_type=member&target_id={id}&per_page=500"),
        format!("/api/v1/audit?target_type=account&target_id={account}&per_page=500"),
        format!("/api/v1/audit?actor_id={account}&per_page=500"),
        "/api/v1/audit?action=session.&per_page=500".to_string(),
    ];
    let admin = sessions.token(server, "admin").await.unwrap_or_default();
    let total = server.get("/api/v1/audit?per_page=1", &admin).await.body["total"]
        .as_i64()
        .expect("audit total");
    for page in 1..=(total + 1000) / 500 + 1 {
        audit.push(format!("/api/v1/audit?per_page=500&page={page}"));
    }
    for role in ["national", "admin"] {
        let token = sessions.token(server, role).await;
        for path in &audit {
            let answer = matrix::request(server, Method::GET, path, token.as_deref(), None).await;
            keep(format!("GET {path} as {role}"), answer);
        }
    }
    answers
}

/// Percent-encodes a query value.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The answers holding `value`, in any letter case (JSON and CSV bodies as sent).
fn holding<'a>(answers: &'a [String], value: &str) -> Vec<&'a str> {
    let needle = value.to_lowercase();
    answers
        .iter()
        .filter(|a| {
            let body = a.split_once('\n').map_or("", |(_, body)| body);
            body.to_lowercase().contains(&needle)
        })
        .map(|a| a.split_once('\n').map_or(a.as_str(), |(what, _)| what))
        .collect()
}

#[tokio::test]
async fn an_anonymised_member_leaves_no_value_in_any_answer() {
    let server = TestServer::start_with(matrix::configure).await;
    let fixture = matrix::set_up(&server).await;
    let person = act(&server).await;

    // Before anonymisation the same sweep finds every value (so it can find them at all),
    // in the membership history and the audit log too.
    let own = server.login(EMAIL, PASSWORD).await;
    let before = sweep(&server, &fixture, &person, Some(&own)).await;
    for value in &person.current {
        assert!(
            !holding(&before, value).is_empty(),
            "{value} is not found before anonymisation"
        );
    }
    let login = EMAIL.to_lowercase();
    let admin = server.login("jimukyoku", PASSWORD).await;
    let record = server
        .get(&format!("/api/v1/members/{}", person.member_id), &admin)
        .await;
    let history = &record.body["memberships"][0]["history"];
    assert!(history.to_string().contains(&login), "{history}");
    for value in [OLD_PHONE, &OLD_PHONE.replace('-', "")] {
        assert_eq!(holding(&before, value), Vec::<&str>::new(), "{value}");
    }

    // Anonymisation runs with the clock past the retention period.
    let retention = Duration::days(server.config.roster.retention_days);
    let later = ouen_server::store::now() + retention + Duration::days(1);
    assert_eq!(
        server
            .store
            .anonymise_withdrawn(retention, later)
            .await
            .expect("anonymise"),
        1
    );

    // Nothing of the person is left; the record, its history and its audit entries stay.
    let after = sweep(&server, &fixture, &person, None).await;
    let admin = server.login("jimukyoku", PASSWORD).await;
    let mut found = Vec::new();
    for value in person.current.iter().chain(&person.other) {
        for what in holding(&after, value) {
            found.push(format!("{value} in {what}"));
        }
    }
    assert!(
        found.is_empty(),
        "{} former values found after anonymisation:\n{}",
        found.len(),
        found.join("\n")
    );
    let record = server
        .get(&format!("/api/v1/members/{}", person.member_id), &admin)
        .await;
    assert_eq!(record.body["anonymised"], true);
    // Its e-mails keep no text, and one never delivered (no mail worker here) is never sent.
    let (mails, _) = server
        .store
        .mail_of_member(person.member_id)
        .await
        .expect("outbox");
    assert!(!mails.is_empty());
    for mail in &mails {
        assert_eq!(mail.status, "failed", "{mail:?}");
        assert_eq!(mail.last_error.as_deref(), Some("recipient erased"));
    }
    let placeholder = format!("anonymised-{}", person.member_id);
    assert_eq!(record.body["login"], placeholder.as_str());
    let history = record.body["memberships"][0]["history"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        history
            .iter()
            .map(|e| e["status"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["applied", "approved", "suspended", "approved", "withdrawn"]
    );
    assert_eq!(history[0]["actor_login"], placeholder.as_str());
    assert_eq!(history[1]["actor_login"], "tokyo");
    let by_person = server
        .get(
            &format!("/api/v1/audit?actor_id={}&per_page=500", person.account_id),
            &admin,
        )
        .await;
    let actions: Vec<&str> = by_person.body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for action in [
        "member.update_profile",
        "membership.offer",
        "member.withdraw",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(by_person.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| e["actor_login"] == placeholder.as_str()));
}

/// Rows as the server wrote them before people were named by id: copied logins, and personal
/// values in audit details. Portable SQL, for both backends.
const OLD_ROWS: &str = "
INSERT INTO organisations (kind, name, name_fold, created_at)
VALUES ('prefecture', '旧 東京都', '旧 東京都', '2025-01-01T00:00:00+00:00');
INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at)
SELECT 'tokyo-old', '旧 担当', 'tokyo-old', 'prefecture', id, 'x', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'
FROM organisations WHERE name = '旧 東京都';
INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at, disabled_at)
SELECT 'anonymised-old', '（匿名化済み）', '', 'member', id, 'x', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00', '2025-06-01T00:00:00+00:00'
FROM organisations WHERE name = '旧 東京都';
INSERT INTO members (account_id, registration_code, name, name_kana, kana_fold, email, phone, prefecture_code,
    municipality_code, municipality_name, street, professions, experience_years, experience_fields, languages,
    notes, search_fold, withdrawn_at, anonymised_at, created_at, updated_at)
SELECT id, '5550001112', '（匿名化済み）', '', '', '', '', '13', '131016', '千代田区', '', 'public_health_nurse', 3, '', '',
    '', '', '2025-02-01T00:00:00+00:00', '2025-06-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00', '2025-06-01T00:00:00+00:00'
FROM accounts WHERE login = 'anonymised-old';
INSERT INTO memberships (member_id, prefecture_code, status, managed, recheck_needed, created_at, updated_at)
SELECT id, '13', 'withdrawn', FALSE, FALSE, '2025-01-01T00:00:00+00:00', '2025-02-01T00:00:00+00:00'
FROM members WHERE registration_code = '5550001112';
INSERT INTO membership_events (membership_id, at, status, actor_login)
SELECT id, '2025-01-01T00:00:00+00:00', 'applied', 'old-member@example.jp' FROM memberships;
INSERT INTO membership_events (membership_id, at, status, actor_login)
SELECT id, '2025-01-02T00:00:00+00:00', 'approved', 'tokyo-old' FROM memberships;
INSERT INTO membership_events (membership_id, at, status, actor_login)
SELECT id, '2025-02-01T00:00:00+00:00', 'withdrawn', 'old-member@example.jp' FROM memberships;
INSERT INTO audit_log (at, actor_id, actor_login, action, target_type, target_id, detail)
SELECT '2025-01-01T00:00:00+00:00', id, 'old-member@example.jp', 'session.create', 'account', NULL, NULL
FROM accounts WHERE login = 'anonymised-old';
INSERT INTO audit_log (at, actor_id, actor_login, action, target_type, target_id, detail) VALUES
('2025-01-01T00:00:01+00:00', NULL, 'tokyo-old', 'account.create', 'account', NULL, '{\"login\":\"old-member@example.jp\",\"role\":\"member\"}'),
('2025-01-01T00:00:02+00:00', NULL, NULL, 'session.login_failed', 'account', NULL, '{\"login\":\"Old-Member@Example.jp\"}'),
('2025-01-01T00:00:03+00:00', NULL, NULL, 'session.login_throttled', 'account', NULL, '{\"login\":\"TOKYO-OLD\"}'),
('2025-01-01T00:00:04+00:00', NULL, 'tokyo-old', 'member.update_notes', 'member', NULL, '{\"notes\":{\"from\":\"\",\"to\":\"旧メモ 夜間連絡可\"}}'),
('2025-01-01T00:00:05+00:00', NULL, 'tokyo-old', 'member.list', 'member', '', '{\"filter\":{\"q\":\"旧姓検索\",\"status\":null},\"page\":1,\"total\":1}'),
('2025-01-01T00:00:06+00:00', NULL, 'tokyo-old', 'membership.decide', 'member', NULL,
 '{\"prefecture_code\":\"13\",\"decision\":\"approve\",\"reason\":\"旧理由テキスト\",\"registration_code\":\"5550001112\"}'),
('2025-01-01T00:00:07+00:00', NULL, 'old-member@example.jp', 'member.withdraw', 'member', NULL,
 '{\"prefecture_code\":null,\"from_bank\":true,\"reason\":\"旧退会理由テキスト\"}');
";

/// Applies the migrations before the erasure one, writes [`OLD_ROWS`], and answers the
/// database for a server to migrate the rest of the way.
async fn database_before_erasure() -> std::sync::Arc<ouen_tests::TestDatabase> {
    use sqlx::Connection;
    let database = ouen_tests::TestDatabase::create().await;
    let backend = if database.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../server/migrations")
        .join(backend);
    let mut migrator = sqlx::migrate::Migrator::new(dir).await.expect("migrations");
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 6)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    if database.is_postgres() {
        let mut conn = sqlx::PgConnection::connect(&database.url)
            .await
            .expect("connect");
        migrator.run(&mut conn).await.expect("migrate");
        sqlx::raw_sql(OLD_ROWS)
            .execute(&mut conn)
            .await
            .expect("old rows");
    } else {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&database.url)
            .expect("url")
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("connect");
        migrator.run(&mut conn).await.expect("migrate");
        sqlx::raw_sql(OLD_ROWS)
            .execute(&mut conn)
            .await
            .expect("old rows");
    }
    std::sync::Arc::new(database)
}

#[tokio::test]
async fn copies_written_before_the_erasure_migration_are_resolved_or_removed() {
    let database = database_before_erasure().await;
    let server = TestServer::start_on(database, |_| {}).await;
    let admin = server.admin("jimukyoku").await;
    let audit = server
        .get("/api/v1/audit?per_page=500&sort=at&order=asc", &admin)
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
    let entries: Vec<Value> = audit.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["at"].as_str().is_some_and(|at| at.starts_with("2025")))
        .collect();
    // Every entry stays, in order.
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "session.create",
            "account.create",
            "session.login_failed",
            "session.login_throttled",
            "member.update_notes",
            "member.list",
            "membership.decide",
            "member.withdraw"
        ]
    );
    // The only member, so the first id on either backend; lists leave anonymised records out.
    let record = server.get("/api/v1/members/1", &admin).await;
    assert_eq!(record.body["anonymised"], true, "{:?}", record.body);
    let tokyo = server.get("/api/v1/accounts?q=tokyo-old", &admin).await;
    let tokyo_id = tokyo.body["items"][0]["id"].as_i64().expect("tokyo-old");

    // Who acted is resolved from the account: the member's copied e-mail is gone.
    let detail = |i: usize| -> Value {
        serde_json::from_str(entries[i]["detail"].as_str().unwrap_or("null")).expect("detail")
    };
    assert_eq!(entries[0]["actor_login"], "anonymised-old");
    assert_eq!(entries[1]["actor_id"], tokyo_id);
    assert_eq!(entries[1]["actor_login"], "tokyo-old");
    assert_eq!(detail(1), json!({ "role": "member" }));
    assert_eq!(entries[2]["target_id"], Value::Null);
    assert_eq!(detail(2), json!({ "known_login": false }));
    assert_eq!(entries[3]["target_id"], tokyo_id.to_string());
    assert_eq!(detail(3), json!({ "known_login": true }));
    assert_eq!(
        detail(4),
        json!({ "notes": { "from_chars": 0, "to_chars": 9 } })
    );
    assert_eq!(
        detail(5),
        json!({ "filter": { "q": null, "status": null }, "q_chars": 4, "page": 1, "total": 1 })
    );
    assert_eq!(
        detail(6),
        json!({ "prefecture_code": "13", "decision": "approve", "code_issued": true })
    );
    assert_eq!(
        detail(7),
        json!({ "prefecture_code": null, "from_bank": true })
    );
    assert_eq!(entries[7]["actor_login"], Value::Null);
    let history: Vec<&str> = record.body["memberships"][0]["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["actor_login"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(history, ["anonymised-old", "tokyo-old", "anonymised-old"]);
    assert_eq!(record.body["registration_code"], Value::Null);

    let text = format!("{} {}", audit.body, record.body).to_lowercase();
    for old in [
        "old-member",
        "旧メモ",
        "旧姓検索",
        "旧理由テキスト",
        "旧退会理由テキスト",
        "5550001112",
        "555-000-1112",
    ] {
        assert!(!text.contains(old), "{old} survived the migration");
    }

    // The log is append-only again.
    for change in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
        let refused = raw_statement(&server.database, change).await;
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.to_string().contains("append-only")),
            "{change}: {refused:?}"
        );
    }
}

/// Runs one statement on the test database directly.
async fn raw_statement(
    database: &ouen_tests::TestDatabase,
    statement: &str,
) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    if database.is_postgres() {
        let mut conn = sqlx::PgConnection::connect(&database.url).await?;
        sqlx::raw_sql(statement).execute(&mut conn).await?;
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&database.url).await?;
        sqlx::raw_sql(statement).execute(&mut conn).await?;
    }
    Ok(())
}
