//! The shift grid of a month: 300 members asked × 31 days × 3 slots a day, about 60 % of the
//! answers "available". Timed through the store, HTTP not included: reading the grid
//! (`Store::shift_grid`, the audit entry included, and the answer encoded as JSON) and auto-fill (`Store::auto_fill`: loading,
//! planning and writing the proposal).
//!
//! ```sh
//! cargo bench -p ouen-server --bench shift_grid
//! OUEN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p ouen-server --bench shift_grid
//! ```
//!
//! `OUEN_BENCH_ROWS` changes the number of members, `OUEN_BENCH_RUNS` the grid reads.

mod common;

use ouen_server::reference::Reference;
use ouen_server::roster_csv::import;
use ouen_server::Store;
use ouen_shared::api::{DispatchDraft, SlotSeries, TargetQuery};
use ouen_shared::dispatch::Duty;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn bench(label: &str, url: &str, rows: usize, runs: usize) {
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
    let series = |start: &str, end: &str, needed: u32| SlotSeries {
        from: today + chrono::Days::new(10),
        to: today + chrono::Days::new(40),
        start: start.into(),
        end: end.into(),
        weekdays_only: false,
        needed,
        professions: Vec::new(),
    };
    let draft = DispatchDraft {
        title: "積極的疫学調査の応援（1か月）".into(),
        health_centre_id: centre,
        duties: vec![Duty::ActiveInvestigation],
        other_duty: String::new(),
        answer_deadline: (today + chrono::Days::new(9))
            .and_hms_opt(9, 0, 0)
            .expect("09:00")
            .and_utc(),
        notes: String::new(),
        slots: Vec::new(),
        series: vec![
            series("08:00", "16:00", 6),
            series("16:00", "23:00", 4),
            series("22:00", "06:00", 2),
        ],
    };
    let request = store
        .create_dispatch_request(&actor, draft)
        .await
        .unwrap_or_else(|e| panic!("create: {e:?}"));
    store
        .send_dispatch_request(&actor, request.id, &TargetQuery::default())
        .await
        .unwrap_or_else(|e| panic!("send: {e:?}"));
    // About 60 % available, spread by member and slot; everyone answered.
    common::execute(
        url,
        &format!(
            "INSERT INTO dispatch_answers (slot_id, member_id, request_id, available, duties, answered_at) \
             SELECT s.id, k.member_id, k.request_id, CASE WHEN (s.id * 7 + k.member_id * 13) % 10 < 6 THEN 1 ELSE 0 END, 'active_investigation', CURRENT_TIMESTAMP \
             FROM dispatch_slots s JOIN dispatch_asks k ON k.request_id = s.request_id WHERE s.request_id = {}",
            request.id
        ),
    )
    .await;
    common::execute(
        url,
        "UPDATE dispatch_asks SET answered_at = CURRENT_TIMESTAMP",
    )
    .await;
    let started = Instant::now();
    let filled = store
        .auto_fill(&actor, request.id, false, 8)
        .await
        .unwrap_or_else(|e| panic!("auto-fill: {e:?}"));
    let fill = started.elapsed();
    let seats: u32 = filled.slots.iter().map(|s| s.assigned).sum();
    let needed: u32 = filled.slots.iter().map(|s| s.needed).sum();
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let grid = store
            .shift_grid(&actor, request.id, 8)
            .await
            .unwrap_or_else(|e| panic!("grid: {e:?}"));
        let body = serde_json::to_vec(&grid).expect("the grid as JSON");
        times.push(started.elapsed());
        bytes = body.len();
        assert_eq!((grid.people.len(), grid.slots.len()), (rows, 93));
    }
    times.sort();
    println!(
        "\n## {label}: {rows} people × {} slots: auto-fill {:.0} ms ({seats} of {needed} seats); grid read and encoded ({} KB of JSON) median {:.1} ms, p99 {:.1} ms over {runs} reads",
        filled.slots.len(),
        fill.as_secs_f64() * 1000.0,
        bytes / 1000,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
    );
    store.close().await;
}

fn main() {
    let var = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    };
    let (rows, runs) = (var("OUEN_BENCH_ROWS", 300), var("OUEN_BENCH_RUNS", 100));
    common::on_each_backend(|label, url| async move { bench(label, &url, rows, runs).await });
}
