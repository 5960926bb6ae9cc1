//! Sending a dispatch request to every member of a generated roster (10,000 by default): the
//! members are imported and given accounts first (not timed), then
//! `Store::send_dispatch_request` is timed: choosing the members, their asks with personal
//! tokens, an inbox entry and a queued e-mail each, the event and the audit entry, committed in
//! one transaction. HTTP is not included. A second send of the same filter (asking nobody) is
//! timed too.
//!
//! ```sh
//! cargo bench -p ouen-server --bench dispatch_send
//! OUEN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p ouen-server --bench dispatch_send
//! ```
//!
//! `OUEN_BENCH_ROWS` changes the number of members.

mod common;

use ouen_server::reference::Reference;
use ouen_server::roster_csv::import;
use ouen_server::Store;
use ouen_shared::api::{DispatchDraft, SlotSeries, TargetQuery};
use ouen_shared::dispatch::Duty;
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
    common::execute(
        url,
        "INSERT INTO organisations (kind, name, name_fold, prefecture_code, created_at) VALUES ('health_centre', '多摩府中保健所', '多摩府中保健所', '13', CURRENT_TIMESTAMP)",
    )
    .await;
    let centre = common::count(
        url,
        "SELECT MAX(id) FROM organisations WHERE kind = 'health_centre'",
    )
    .await;
    let today = ouen_shared::time::today_jst();
    let series = |start: &str, end: &str| SlotSeries {
        from: today + chrono::Days::new(10),
        to: today + chrono::Days::new(12),
        start: start.into(),
        end: end.into(),
        weekdays_only: false,
        needed: 5,
        professions: Vec::new(),
    };
    let deadline = (today + chrono::Days::new(9))
        .and_hms_opt(9, 0, 0)
        .expect("09:00")
        .and_utc();
    let draft = DispatchDraft {
        title: "積極的疫学調査の応援".into(),
        health_centre_id: centre,
        duties: vec![Duty::ActiveInvestigation, Duty::HealthObservation],
        other_duty: String::new(),
        answer_deadline: deadline,
        notes: "集合は8:45、保健所1階。".into(),
        slots: Vec::new(),
        series: vec![series("09:00", "17:00"), series("22:00", "06:00")],
    };
    let request = store
        .create_dispatch_request(&actor, draft)
        .await
        .unwrap_or_else(|e| panic!("create: {e:?}"));
    let everyone = TargetQuery::default();
    let started = Instant::now();
    let sent = store
        .send_dispatch_request(&actor, request.id, &everyone)
        .await
        .unwrap_or_else(|e| panic!("send: {e:?}"));
    let took = started.elapsed();
    assert_eq!(sent.asked_now as usize, rows);
    let inboxes = common::count(
        url,
        "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'",
    )
    .await;
    let mails = common::count(
        url,
        "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'dispatch_request'",
    )
    .await;
    assert_eq!((inboxes as usize, mails as usize), (rows, rows));
    let started = Instant::now();
    let again = store
        .send_dispatch_request(&actor, request.id, &everyone)
        .await
        .unwrap_or_else(|e| panic!("send again: {e:?}"));
    let repeat = started.elapsed();
    assert_eq!(again.asked_now, 0);
    println!(
        "\n## {label}: a dispatch request sent to {rows} members: {:.3} s ({rows} asks, {inboxes} inbox entries, {mails} queued e-mails, committed); sending again: {:.3} s (nobody asked)",
        took.as_secs_f64(),
        repeat.as_secs_f64()
    );
    store.close().await;
}

fn main() {
    let rows = std::env::var("OUEN_BENCH_ROWS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10_000);
    common::on_each_backend(|label, url| async move { bench(label, &url, rows).await });
}
