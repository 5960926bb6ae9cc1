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

use ouen_server::config::{MailConfig, MailTls};
use ouen_server::mail::MailWorker;
use ouen_server::reference::Reference;
use ouen_server::roster_csv::import;
use ouen_server::scope::Actor;
use ouen_server::Store;
use ouen_shared::api::{BulkMailDraft, BulkMailRequest};
use std::time::Instant;

async fn bench(label: &str, url: &str, rows: usize) {
    let store = Store::connect(url).await.expect("connect");
    let account_id = store
        .create_admin_from_cli("bench-tokyo", "benchmark", "not-a-hash".into())
        .await
        .expect("operator account");
    let actor = common::tokyo(account_id);
    let reference = Reference::load();
    let parsed =
        import::parse(&common::csv(rows), &reference).unwrap_or_else(|e| panic!("parse: {e:?}"));
    store
        .import_managed_members(&actor, None, &parsed, false)
        .await
        .unwrap_or_else(|e| panic!("import: {e:?}"));
    common::give_accounts(url).await;
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
    let inboxes = common::count(
        url,
        "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'bulk_mail'",
    )
    .await;
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
