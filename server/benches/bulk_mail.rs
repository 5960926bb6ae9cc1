//! A bulk mail to every member of a generated roster (10,000 by default): the members are
//! imported first (not timed), then `Store::send_bulk_mail` is timed: the record, the inbox
//! entries and the queued e-mails commit in one transaction. HTTP is not included. Every member
//! is given an account first (not timed), so the send writes an inbox entry and an e-mail each.
//!
//! ```sh
//! cargo bench -p ouen-server --bench bulk_mail
//! OUEN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p ouen-server --bench bulk_mail
//! ```
//!
//! `OUEN_BENCH_ROWS` changes the number of members.
//!
//! With `OUEN_BENCH_SMTP=HOST:PORT` the queued e-mails are then delivered by the outbox worker
//! through its SMTP pool to that server, timed from the worker's start until the outbox holds
//! nothing queued (`OUEN_BENCH_SMTP_POOL` connections, default 8). The SMTP server of the tests
//! saves each message it accepts, so what reached it can be counted:
//!
//! ```sh
//! mkdir -p /tmp/sink && PYTHONPATH=tests target/ci-aiosmtpd/bin/python -m aiosmtpd -n \
//!     -l 127.0.0.1:2525 -c smtp_sink.Sink /tmp/sink ok &
//! OUEN_BENCH_SMTP=127.0.0.1:2525 OUEN_BENCH_ROWS=5000 cargo bench -p ouen-server --bench bulk_mail
//! ```

mod common;

use chrono::Utc;
use ouen_server::config::{MailConfig, MailTls};
use ouen_server::mail::MailWorker;
use ouen_server::reference::Reference;
use ouen_server::roster_csv::import;
use ouen_server::scope::{Actor, RequestMeta};
use ouen_server::Store;
use ouen_shared::api::{BulkMailDraft, BulkMailRequest};
use ouen_shared::Role;
use sqlx::Connection;
use std::time::Instant;

/// An operator of 東京都 acting through `account_id` (history rows refer to the account).
fn tokyo(account_id: i64) -> Actor {
    Actor {
        account_id,
        login: "bench-tokyo".into(),
        display_name: "benchmark".into(),
        role: Role::Prefecture,
        organisation_id: 1,
        organisation_name: "benchmark".into(),
        organisation_kind: Role::Prefecture.org_kind(),
        prefecture_code: Some("13".into()),
        session_token_hash: String::new(),
        session_expires_at: Utc::now(),
        request: RequestMeta::default(),
    }
}

/// A file as a prefecture exports it from Excel: CRLF, two licences, availability, notes.
fn csv(rows: usize) -> String {
    let mut text = String::from("氏名,ふりがな,生年月日,メールアドレス,電話番号,都道府県コード,市区町村コード,番地等,職種,免許番号,免許年月日,経験年数,経験分野,言語,協力可能開始日,協力可能終了日,協力方法,備考\r\n");
    for i in 0..rows {
        text.push_str(&format!(
            "山田 花子{i},やまだ はなこ,1975/4/{day},hanako{i}@example.jp,042-620-{n:04},13,132012,元本郷町3-24-1,看護師、保健師,N{i};P{i},1998/4/1;2000/4/1,20,感染症対策、在宅医療・訪問看護,日本語,2026/1/1,2026/12/31,現地派遣、電話対応,\"都の潜在看護職\r\n夜勤可\"\r\n",
            day = i % 28 + 1,
            n = i % 10_000
        ));
    }
    text
}

/// Gives every member an account (one set-based statement each), so each gets an inbox entry.
async fn give_accounts(url: &str) {
    let statements = [
        "INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at) \
         SELECT m.email, 'bench', 'bench', 'member', 1, 'not-a-hash', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM members m",
        "UPDATE members SET account_id = (SELECT a.id FROM accounts a WHERE a.login = members.email)",
    ];
    if url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        for s in statements {
            sqlx::query(s).execute(&mut db).await.expect(s);
        }
        let _ = db.close().await;
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        for s in statements {
            sqlx::query(s).execute(&mut db).await.expect(s);
        }
        let _ = db.close().await;
    }
}

/// The bulk mail's inbox entries.
async fn count_inboxes(url: &str) -> i64 {
    let query = "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'bulk_mail'";
    if url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query_scalar(query)
            .fetch_one(&mut db)
            .await
            .expect(query)
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query_scalar(query)
            .fetch_one(&mut db)
            .await
            .expect(query)
    }
}

async fn bench(label: &str, url: &str, rows: usize) {
    let store = Store::connect(url).await.expect("connect");
    let account_id = store
        .create_admin_from_cli("bench-tokyo", "benchmark", "not-a-hash".into())
        .await
        .expect("operator account");
    let actor = tokyo(account_id);
    let reference = Reference::load();
    let parsed = import::parse(&csv(rows), &reference).unwrap_or_else(|e| panic!("parse: {e:?}"));
    store
        .import_managed_members(&actor, None, &parsed, false)
        .await
        .unwrap_or_else(|e| panic!("import: {e:?}"));
    give_accounts(url).await;
    let request = BulkMailRequest {
        idempotency_key: "bench-bulk-mail-000001".into(),
        draft: BulkMailDraft {
            filter: Default::default(),
            subject: "研修のご案内".into(),
            body: "来月の研修についてお知らせします。\n".repeat(20),
        },
    };
    let started = Instant::now();
    let sent = store
        .send_bulk_mail(&actor, &request)
        .await
        .unwrap_or_else(|e| panic!("send: {e:?}"));
    let took = started.elapsed();
    assert_eq!(sent.recipients as usize, rows);
    let inboxes = count_inboxes(url).await;
    assert_eq!(inboxes as usize, rows);
    println!(
        "\n## {label}: a bulk mail to {rows} members: {:.3} s (choosing the recipients, the record, {inboxes} inbox entries, every queued e-mail and the audit entry, committed)",
        took.as_secs_f64()
    );
    if let Some(smtp) = std::env::var("OUEN_BENCH_SMTP")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        deliver(&store, &actor, &smtp, rows).await;
    }
    store.close().await;
}

/// Delivers the queued e-mails through the worker's SMTP pool to `smtp` and reports the rate.
async fn deliver(store: &Store, actor: &Actor, smtp: &str, rows: usize) {
    let (host, port) = smtp.rsplit_once(':').expect("OUEN_BENCH_SMTP=HOST:PORT");
    let pool_size = std::env::var("OUEN_BENCH_SMTP_POOL")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(8);
    let config = MailConfig {
        smtp_host: host.into(),
        smtp_port: port.parse().expect("SMTP port"),
        tls: MailTls::None,
        pool_size,
        batch_size: 100,
        poll_ms: 50,
        ..MailConfig::default()
    };
    let started = Instant::now();
    let worker = MailWorker::start(store.clone(), config, None, "http://127.0.0.1:8080".into())
        .expect("mail worker");
    let counts = loop {
        let counts = store.outbox_counts(actor).await.expect("outbox counts");
        if counts.queued == 0 && counts.sending == 0 {
            break counts;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let took = started.elapsed();
    worker.stop().await;
    assert_eq!(counts.sent as usize, rows, "{counts:?}");
    println!(
        "\n## delivery of {rows} e-mails over {pool_size} pooled SMTP connections: {:.2} s, {:.0} messages/s ({} sent, {} failed)",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        counts.sent,
        counts.failed
    );
}

fn main() {
    let rows = std::env::var("OUEN_BENCH_ROWS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10_000);
    common::on_each_backend(|label, url| async move { bench(label, &url, rows).await });
}
