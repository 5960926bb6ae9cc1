//! A 50,000-row CSV import and what it does to everyone else's writes: the file is read and
//! checked (`roster_csv::import::parse`) and imported through `Store::import_managed_members`,
//! while another task writes a small audit entry (what every failed login writes) every 5 ms
//! and times how long each waits. HTTP is not included.
//!
//! ```sh
//! cargo bench -p ouen-server --bench roster_import
//! OUEN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p ouen-server --bench roster_import
//! ```
//!
//! SQLite runs in a temporary file; PostgreSQL when `OUEN_BENCH_DATABASE_URL` names a server,
//! in a fresh database dropped afterwards. `OUEN_BENCH_ROWS` (default 50000) changes the size.

mod common;

use chrono::Utc;
use ouen_server::reference::Reference;
use ouen_server::roster_csv::import;
use ouen_server::scope::{Actor, RequestMeta};
use ouen_server::Store;
use ouen_shared::Role;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits of a write every 5 ms until `done`: `(count, median, p99, max)` in milliseconds.
async fn small_writes(store: Store, done: Arc<AtomicBool>) -> (usize, f64, f64, f64) {
    let meta = RequestMeta::default();
    let mut waits = Vec::new();
    while !done.load(Ordering::Relaxed) {
        let started = Instant::now();
        store
            .audit_login_attempt(&meta, "session.login_failed", None)
            .await
            .expect("small write");
        waits.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    waits.sort();
    let at = |q: f64| {
        waits
            .get(((waits.len() as f64 - 1.0) * q).round() as usize)
            .map(|d| ms(*d))
            .unwrap_or(0.0)
    };
    (waits.len(), at(0.5), at(0.99), at(1.0))
}

async fn bench(label: &str, url: &str, rows: usize) {
    let store = Store::connect(url).await.expect("connect");
    let account_id = store
        .create_admin_from_cli("bench-tokyo", "benchmark", "not-a-hash".into())
        .await
        .expect("operator account");
    let reference = Arc::new(Reference::load());
    let text = csv(rows);
    println!(
        "\n## {label}: {rows} rows, {:.1} MB",
        text.len() as f64 / 1e6
    );

    // Other writes alone, for comparison.
    let done = Arc::new(AtomicBool::new(false));
    let idle = tokio::spawn(small_writes(store.clone(), done.clone()));
    tokio::time::sleep(Duration::from_secs(1)).await;
    done.store(true, Ordering::Relaxed);
    let (n, median, p99, max) = idle.await.expect("writes");
    println!("other writes, no import:     {n:>5} writes, median {median:.2} ms, p99 {p99:.2} ms, max {max:.2} ms");

    let done = Arc::new(AtomicBool::new(false));
    let writes = tokio::spawn(small_writes(store.clone(), done.clone()));
    let started = Instant::now();
    let parsed = {
        let text = text.clone();
        let reference = reference.clone();
        tokio::task::spawn_blocking(move || import::parse(&text, &reference))
            .await
            .expect("parse task")
            .unwrap_or_else(|e| panic!("parse: {e:?}"))
    };
    let read = started.elapsed();
    let created = store
        .import_managed_members(&tokyo(account_id), None, &parsed, false)
        .await
        .unwrap_or_else(|e| panic!("import: {e:?}"));
    let total = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let (n, median, p99, max) = writes.await.expect("writes");
    assert_eq!(created, rows);
    println!(
        "import: {:.2} s ({:.2} s reading and checking the file, {:.2} s saving)",
        total.as_secs_f64(),
        read.as_secs_f64(),
        (total - read).as_secs_f64()
    );
    println!("other writes, during import: {n:>5} writes, median {median:.2} ms, p99 {p99:.2} ms, max {max:.2} ms");
    store.close().await;
}

fn main() {
    let rows = std::env::var("OUEN_BENCH_ROWS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(50_000);
    common::on_each_backend(|label, url| async move { bench(label, &url, rows).await });
}
