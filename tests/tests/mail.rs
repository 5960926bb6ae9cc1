//! E-mail through the outbox, end to end: the real `ouen-server serve` delivers to a real SMTP
//! server on loopback (aiosmtpd). An approval reaches the member's address with a MIME-encoded
//! Japanese subject and the stored Message-ID; a permanent refusal fails at once and marks the
//! address bouncing; a temporary one is retried; without SMTP each message is an `.eml` file;
//! a server killed with SIGKILL mid-delivery loses nothing once restarted, and repeats carry the
//! same Message-ID; two instances on PostgreSQL never send one message twice.

use ouen_tests::mail::{
    aiosmtpd_python, decode_with, one_click, opt_out_link, smtp_env, wait_for, ServerProcess,
    SmtpSink,
};
use ouen_tests::{registration, TestDatabase, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The Python with aiosmtpd, or a printed notice and `None` (the test then checks nothing);
/// with `CI=true` a missing aiosmtpd fails the test instead.
fn python_or_skip(test: &str) -> Option<std::path::PathBuf> {
    let found = aiosmtpd_python();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: CI requires aiosmtpd in target/ci-aiosmtpd (see .ci/run)"
        );
        eprintln!("{test}: skipped: no aiosmtpd (run .ci/run or set OUEN_TEST_AIOSMTPD_PYTHON)");
    }
    found
}

/// The 東京都 operator's session on `server`.
async fn tokyo(server: &TestServer) -> String {
    let admin = server.admin("jimukyoku").await;
    let (_, token) = server
        .issue(
            &admin,
            json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }),
        )
        .await;
    token
}

/// Registers an applicant to 東京都 who reads Japanese and approves it; answers its member id.
async fn approved(server: &TestServer, tokyo: &str, name: &str, email: &str) -> i64 {
    let mut body = registration(name, "しんせい", email, &["13"]);
    body["profile"]["languages"] = json!(["ja"]);
    let registered = server.register(body).await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{:?}",
        registered.body
    );
    let member = registered.body["member_id"].as_i64().expect("member id");
    let answer = server
        .post(
            &format!("/api/v1/members/{member}/memberships/13"),
            tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    member
}

fn header<'a>(message: &'a Value, name: &str) -> &'a str {
    message["headers"][name].as_str().unwrap_or("")
}

async fn states(
    server: &TestServer,
    member: i64,
) -> (Vec<ouen_server::store::outbox::MailState>, bool) {
    server.store.mail_of_member(member).await.expect("outbox")
}

/// Polls the outbox until `member`'s only message has `status`.
async fn until_status(
    server: &TestServer,
    member: i64,
    status: &str,
) -> ouen_server::store::outbox::MailState {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (s, _) = states(server, member).await;
        if s.len() == 1 && s[0].status == status {
            return s[0].clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "message never {status}: {s:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_approval_reaches_the_members_address() {
    let Some(python) = python_or_skip("an_approval_reaches_the_members_address") else {
        return;
    };
    let sink = SmtpSink::start(&python, "ok");
    let database = Arc::new(TestDatabase::create().await);
    let process = ServerProcess::start(&database.url, &smtp_env(&sink));
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    let member = approved(&server, &tokyo, "山田 花子", "hanako@example.jp").await;

    let received = wait_for(30, "the approval e-mail", || {
        Some(sink.received()).filter(|r| !r.is_empty())
    });
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    assert_eq!(header(message, "To"), "hanako@example.jp");
    assert!(
        header(message, "From").contains("noreply@ouen.example.jp"),
        "{message}"
    );
    assert_eq!(header(message, "Subject"), "東京都への登録が承認されました");
    let raw = message["raw_subject"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(
        raw.starts_with("=?utf-8?b?"),
        "the subject is MIME-encoded: {raw}"
    );
    assert!(!header(message, "Date").is_empty());
    assert!(
        header(message, "List-Unsubscribe").is_empty(),
        "no opt-out link on a decision"
    );
    let body = message["body"].as_str().unwrap_or("");
    assert!(
        body.contains("東京都があなたの登録を承認しました"),
        "{body}"
    );
    assert!(body.contains("登録コード"), "{body}");

    let sent = until_status(&server, member, "sent").await;
    assert_eq!(header(message, "Message-ID"), sent.message_id);
    assert!(
        sent.message_id.ends_with("@ouen.example.jp>"),
        "{}",
        sent.message_id
    );
    assert_eq!(sent.attempts, 1);
    assert!(process.stop().success(), "a clean shutdown");
    database.remove_shared().await;
}

#[tokio::test]
async fn a_permanent_refusal_fails_at_once_and_marks_the_address_bouncing() {
    let Some(python) = python_or_skip("a_permanent_refusal_fails_at_once") else {
        return;
    };
    let sink = SmtpSink::start(&python, "550");
    let database = Arc::new(TestDatabase::create().await);
    let process = ServerProcess::start(&database.url, &smtp_env(&sink));
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    let member = approved(&server, &tokyo, "山田 花子", "gone@example.jp").await;

    let failed = until_status(&server, member, "failed").await;
    assert_eq!(failed.attempts, 1, "no retry after a 5xx");
    assert!(
        failed.last_error.as_deref().unwrap_or("").contains("550"),
        "{failed:?}"
    );
    assert!(
        states(&server, member).await.1,
        "the address is marked bouncing"
    );
    assert!(sink.received().is_empty());

    // 東京都 caused it, so 東京都 sees it (address masked), counts it and may send it again.
    let listed = server.get("/api/v1/outbox?status=failed", &tokyo).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(listed.body["total"], 1, "{:?}", listed.body);
    let item = &listed.body["items"][0];
    assert_eq!(item["id"], failed.id);
    assert_eq!(item["recipient"], "g***@example.jp");
    assert_eq!(item["subject"], "東京都への登録が承認されました");
    let counts = server.get("/api/v1/outbox/counts", &tokyo).await;
    assert_eq!(
        counts.body,
        json!({ "queued": 0, "sending": 0, "sent": 0, "failed": 1 })
    );
    let retried = server
        .post(
            &format!("/api/v1/outbox/{}/retry", failed.id),
            &tokyo,
            json!(null),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(retried.body["status"], "queued");
    assert_eq!(
        server
            .audit(&admin_of(&server).await, "outbox.retry")
            .await
            .len(),
        1
    );
    // Refused again: failed once more, after one new attempt.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (s, _) = states(&server, member).await;
        if s[0].status == "failed" && s[0].attempts == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{s:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    drop(process);
    database.remove_shared().await;
}

/// The admin's session (created by [`tokyo`]).
async fn admin_of(server: &TestServer) -> String {
    server.login("jimukyoku", ouen_tests::PASSWORD).await
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_until_delivered() {
    let Some(python) = python_or_skip("a_temporary_refusal_is_retried") else {
        return;
    };
    let sink = SmtpSink::start(&python, "451:2");
    let database = Arc::new(TestDatabase::create().await);
    let process = ServerProcess::start(&database.url, &smtp_env(&sink));
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    let member = approved(&server, &tokyo, "山田 花子", "later@example.jp").await;

    let sent = until_status(&server, member, "sent").await;
    assert_eq!(sent.attempts, 3, "two refusals, then delivered");
    assert_eq!(sink.received().len(), 1);
    assert!(
        !states(&server, member).await.1,
        "a temporary refusal is no bounce"
    );
    drop(process);
    database.remove_shared().await;
}

#[tokio::test]
async fn without_smtp_each_message_is_an_eml_file() {
    let database = Arc::new(TestDatabase::create().await);
    let outbox = tempfile::tempdir().expect("outbox folder");
    let process = ServerProcess::start(
        &database.url,
        &[
            ("OUEN_MAIL_OUTBOX_DIR", outbox.path().display().to_string()),
            ("OUEN_MAIL_POLL_MS", "50".into()),
        ],
    );
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    let member = approved(&server, &tokyo, "山田 花子", "file@example.jp").await;

    let sent = until_status(&server, member, "sent").await;
    let name = format!(
        "{}.eml",
        sent.message_id.trim_matches(|c| c == '<' || c == '>')
    );
    let path = outbox.path().join(&name);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        raw.contains(&format!("Message-ID: {}", sent.message_id)),
        "{raw}"
    );
    assert!(raw.contains("To: file@example.jp"), "{raw}");
    let leftovers: Vec<_> = std::fs::read_dir(outbox.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
    if let Some(python) = aiosmtpd_python() {
        let message = decode_with(&python, &path);
        assert_eq!(
            header(&message, "Subject"),
            "東京都への登録が承認されました"
        );
    }
    drop(process);
    database.remove_shared().await;
}

/// Each recipient's messages by address: every copy of one message has one Message-ID.
fn by_recipient(received: &[Value]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for m in received {
        map.entry(header(m, "To").to_string())
            .or_default()
            .push(header(m, "Message-ID").to_string());
    }
    map
}

#[tokio::test]
async fn a_server_killed_mid_delivery_loses_nothing() {
    let Some(python) = python_or_skip("a_server_killed_mid_delivery_loses_nothing") else {
        return;
    };
    let sink = SmtpSink::start(&python, "slow:0.4");
    let database = Arc::new(TestDatabase::create().await);
    let env = smtp_env(&sink);
    let process = ServerProcess::start(&database.url, &env);
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    const MEMBERS: usize = 24;
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let email = format!("m{i}@example.jp");
        members.push((
            approved(&server, &tokyo, &format!("会員 {i}"), &email).await,
            email,
        ));
    }
    wait_for(30, "the first deliveries", || {
        Some(()).filter(|_| sink.received().len() >= 3)
    });
    process.kill_hard();
    let before = sink.received().len();
    assert!(before < MEMBERS, "killed mid-delivery ({before} delivered)");

    let restarted = ServerProcess::start(&database.url, &env);
    let received = wait_for(60, "every message after the restart", || {
        let r = sink.received();
        Some(r).filter(|r| by_recipient(r).len() == MEMBERS)
    });
    let map = by_recipient(&received);
    for (member, email) in &members {
        let ids = &map[email];
        let (states, _) = states(&server, *member).await;
        assert_eq!(states.len(), 1);
        assert!(
            ids.iter().all(|id| *id == states[0].message_id),
            "repeats carry the stored Message-ID: {ids:?} vs {}",
            states[0].message_id
        );
    }
    for (member, _) in &members {
        until_status(&server, *member, "sent").await;
    }
    assert!(restarted.stop().success());
    database.remove_shared().await;
}

#[tokio::test]
async fn two_instances_on_postgres_never_send_one_message_twice() {
    let Some(python) = python_or_skip("two_instances_never_send_one_message_twice") else {
        return;
    };
    let database = Arc::new(TestDatabase::create().await);
    if !database.is_postgres() {
        eprintln!("two_instances_never_send_one_message_twice: PostgreSQL only (set OUEN_TEST_DATABASE_URL)");
        return;
    }
    let sink = SmtpSink::start(&python, "ok");
    let mut env = smtp_env(&sink);
    // Leases far longer than the test: a second copy could only come from a double claim.
    env.push(("OUEN_MAIL_LEASE_SECONDS", "600".into()));
    env.push(("OUEN_MAIL_BATCH_SIZE", "3".into()));
    let one = ServerProcess::start(&database.url, &env);
    let two = ServerProcess::start(&database.url, &env);
    let a = TestServer::external(database.clone(), one.base.clone()).await;
    let b = TestServer::external(database.clone(), two.base.clone()).await;
    let tokyo = tokyo(&a).await;
    const MEMBERS: usize = 16;
    for i in 0..MEMBERS {
        let server = if i % 2 == 0 { &a } else { &b };
        approved(
            server,
            &tokyo,
            &format!("会員 {i}"),
            &format!("p{i}@example.jp"),
        )
        .await;
    }
    let received = wait_for(60, "every message", || {
        Some(sink.received()).filter(|r| by_recipient(r).len() == MEMBERS)
    });
    // Let both workers finish what they hold, then count.
    assert!(one.stop().success() && two.stop().success());
    let received = received.len().max(sink.received().len());
    assert_eq!(received, MEMBERS, "each message delivered once");
    database.remove_shared().await;
}

#[tokio::test]
async fn a_bulk_mail_is_received_by_each_member() {
    let Some(python) = python_or_skip("a_bulk_mail_is_received_by_each_member") else {
        return;
    };
    let sink = SmtpSink::start(&python, "ok");
    let database = Arc::new(TestDatabase::create().await);
    let process = ServerProcess::start(&database.url, &smtp_env(&sink));
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    approved(&server, &tokyo, "山田 花子", "hanako@example.jp").await;
    approved(&server, &tokyo, "佐藤 一郎", "ichiro@example.jp").await;

    let answer = server
        .post(
            "/api/v1/bulk-mails",
            &tokyo,
            json!({ "idempotency_key": "mail-test-bulk-000001", "filter": { "status": "approved" },
                    "subject": "研修のご案内", "body": "来月の研修についてお知らせします。" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(answer.body["recipients"], 2);

    // Two approvals, then the bulk mail to each.
    let received = wait_for(30, "the bulk mails", || {
        Some(sink.received()).filter(|r| r.len() >= 4)
    });
    let bulk: Vec<&Value> = received
        .iter()
        .filter(|m| header(m, "Subject") == "研修のご案内")
        .collect();
    let mut to: Vec<&str> = bulk.iter().map(|m| header(m, "To")).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        ["hanako@example.jp", "ichiro@example.jp"],
        "{received:?}"
    );
    for message in &bulk {
        let body = message["body"].as_str().unwrap_or("");
        assert!(
            body.contains("来月の研修についてお知らせします。"),
            "{body}"
        );
        // One footer with the member's own link, the same as the one-click header's.
        let link = opt_out_link(message).expect("a List-Unsubscribe header");
        assert_eq!(
            header(message, "List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );
        assert_eq!(body.matches("配信停止").count(), 1, "{body}");
        assert!(body.contains(&link), "{body}");
    }

    // 花子 opts out as her mail client does; the newsletter then reaches 一郎 only.
    let hanako = bulk
        .iter()
        .find(|m| header(m, "To") == "hanako@example.jp")
        .expect("花子's bulk mail");
    let http = reqwest::Client::new();
    assert_eq!(one_click(&http, hanako).await, Some(StatusCode::OK));
    let issue = server
        .post(
            "/api/v1/newsletter/issues",
            &tokyo,
            json!({ "subject": "ouen通信 第1号", "body": "今月の活動報告です。" }),
        )
        .await;
    assert_eq!(issue.status, StatusCode::OK, "{:?}", issue.body);
    let id = issue.body["id"].as_i64().expect("issue id");
    let sent = server
        .post(
            &format!("/api/v1/newsletter/issues/{id}/send"),
            &tokyo,
            json!({}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body["recipients"], 1, "{:?}", sent.body);
    // Wait until 東京都's outbox holds nothing left to send: then every message is at the sink.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let counts = server.get("/api/v1/outbox/counts", &tokyo).await;
        if counts.body["queued"] == 0 && counts.body["sending"] == 0 {
            assert_eq!(counts.body["failed"], 0, "{:?}", counts.body);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the outbox to drain");
        tokio::task::yield_now().await;
    }
    let newsletters: Vec<String> = sink
        .received()
        .iter()
        .filter(|m| header(m, "Subject") == "ouen通信 第1号")
        .map(|m| header(m, "To").to_string())
        .collect();
    assert_eq!(newsletters, ["ichiro@example.jp"], "{newsletters:?}");
    assert!(process.stop().success(), "a clean shutdown");
    database.remove_shared().await;
}

/// A CA and a certificate for 127.0.0.1 signed by it, made with `openssl` in `dir`; answers
/// (CA file, certificate file, key file).
fn relay_certificates(dir: &std::path::Path) -> (String, String, String) {
    let path = |name: &str| dir.join(name).display().to_string();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {out:?}");
    };
    std::fs::write(
        dir.join("leaf.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions");
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=ouen test relay CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.cnf",
    ]);
    (path("ca.pem"), path("cert.pem"), path("key.pem"))
}

#[tokio::test]
async fn starttls_and_implicit_tls_reach_a_relay_with_its_own_ca() {
    let Some(python) = python_or_skip("starttls_and_implicit_tls_reach_a_relay_with_its_own_ca")
    else {
        return;
    };
    let certs = tempfile::tempdir().expect("certificate folder");
    let (ca, cert, key) = relay_certificates(certs.path());
    // aiosmtpd refuses mail before STARTTLS, and an SMTPS port speaks only TLS: a message that
    // arrives went through the encrypted session, verified against the relay's CA.
    for (mode, options) in [
        (
            "starttls",
            ["--tlscert", cert.as_str(), "--tlskey", key.as_str()],
        ),
        (
            "tls",
            ["--smtpscert", cert.as_str(), "--smtpskey", key.as_str()],
        ),
    ] {
        let sink = SmtpSink::start_with(&python, "ok", &options);
        let database = Arc::new(TestDatabase::create().await);
        let mut env = smtp_env(&sink);
        env.retain(|(k, _)| *k != "OUEN_MAIL_TLS");
        env.push(("OUEN_MAIL_TLS", mode.into()));
        env.push(("OUEN_MAIL_CA_FILE", ca.clone()));
        let process = ServerProcess::start(&database.url, &env);
        let server = TestServer::external(database.clone(), process.base.clone()).await;
        let tokyo = tokyo(&server).await;
        approved(&server, &tokyo, "山田 花子", "hanako@example.jp").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let received = loop {
            let received = sink.received();
            if !received.is_empty() {
                break received;
            }
            if std::time::Instant::now() > deadline {
                let outbox = server.get("/api/v1/outbox", &tokyo).await;
                panic!("no e-mail over {mode}: {:?}", outbox.body);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(header(&received[0], "To"), "hanako@example.jp", "{mode}");
        assert!(process.stop().success(), "a clean shutdown");
        database.remove_shared().await;
    }

    // Without the CA the relay's certificate is refused: nothing is sent in clear instead, and
    // the message fails in the end with the reason.
    let sink = SmtpSink::start_with(&python, "ok", &["--tlscert", &cert, "--tlskey", &key]);
    let database = Arc::new(TestDatabase::create().await);
    let mut env = smtp_env(&sink);
    env.retain(|(k, _)| *k != "OUEN_MAIL_TLS");
    env.push(("OUEN_MAIL_TLS", "starttls".into()));
    env.push(("OUEN_MAIL_MAX_ATTEMPTS", "2".into()));
    let process = ServerProcess::start(&database.url, &env);
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let tokyo = tokyo(&server).await;
    let member = approved(&server, &tokyo, "山田 花子", "hanako@example.jp").await;
    let failed = until_status(&server, member, "failed").await;
    assert!(sink.received().is_empty());
    assert!(
        format!("{failed:?}").contains("certificate"),
        "the reason names the certificate: {failed:?}"
    );
    assert!(process.stop().success(), "a clean shutdown");
    database.remove_shared().await;
}
