//! Live-update latency across instances: two in-process servers over one database; a
//! prefecture's stream is open on the second; registrations to that prefecture are posted
//! through the first, one at a time, and each is timed from its `201` (the commit precedes it)
//! to its `member` frame on the stream. Default `[events]` settings, so a lost notification
//! shows as a sample near the 5 s poll.
//!
//! ```sh
//! OUEN_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p ouen-tests --bench event_latency
//! ```
//!
//! PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server (the case it is for), SQLite
//! otherwise (where the second instance only polls). `OUEN_BENCH_SAMPLES` (default 200) sets
//! the number of registrations, `OUEN_BENCH_IDLE_STREAMS` (default 0) how many streams of
//! 大阪府 are open beside it on the second instance (each re-reads every batch in its scope).

use ouen_tests::{registration, TestDatabase, TestServer};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let samples: usize = std::env::var("OUEN_BENCH_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let idle: usize = std::env::var("OUEN_BENCH_IDLE_STREAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let database = Arc::new(TestDatabase::create().await);
    let backend = if database.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let first = TestServer::start_on(database.clone(), |c| {
        c.roster.registrations_per_address_per_hour = 1_000_000
    })
    .await;
    let second =
        TestServer::start_on(database, |c| c.events.max_streams_per_account = idle.max(1)).await;
    let admin = first.admin("jimukyoku").await;
    let tokyo = first
        .issue(
            &admin,
            json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }),
        )
        .await
        .1;
    let osaka = first
        .issue(
            &admin,
            json!({ "login": "osaka", "display_name": "大阪府 担当", "role": "prefecture", "prefecture_code": "27" }),
        )
        .await
        .1;
    let mut others = Vec::with_capacity(idle);
    for _ in 0..idle {
        let other = second
            .http
            .get(format!("{}/api/v1/events", second.base))
            .bearer_auth(&osaka)
            .send()
            .await
            .expect("an idle stream");
        assert_eq!(other.status(), 200);
        others.push(other);
    }
    let mut stream = second
        .http
        .get(format!("{}/api/v1/events", second.base))
        .bearer_auth(&tokyo)
        .send()
        .await
        .expect("the stream");
    assert_eq!(stream.status(), 200);
    let mut buffer = String::new();
    next_frame(&mut stream, &mut buffer).await; // `: connected`

    let mut from_answer = Vec::with_capacity(samples);
    let mut from_request = Vec::with_capacity(samples);
    for i in 0..samples {
        let mut body = registration(
            &format!("応募 {i}"),
            "おうぼ",
            &format!("bench{i}@example.jp"),
            &["13"],
        );
        body["profile"]["licences"][0]["number"] = json!(format!("PHN-{i:07}"));
        let sent = Instant::now();
        let answer = first.register(body).await;
        let answered = Instant::now();
        assert_eq!(answer.status, 201, "{:?}", answer.body);
        let member = answer.body["member_id"].as_i64().expect("member id");
        loop {
            let frame = next_frame(&mut stream, &mut buffer).await;
            let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) else {
                continue; // a keep-alive
            };
            let event: Value = serde_json::from_str(data).expect("JSON data");
            if event["kind"] == "member" && event["subject_id"] == member {
                break;
            }
        }
        let arrived = Instant::now();
        from_answer.push(arrived - answered);
        from_request.push(arrived - sent);
    }
    println!(
        "event latency across two instances on {backend}, {samples} registrations, {idle} idle streams"
    );
    report("from the 201 to the frame", &mut from_answer);
    report("from the request to the frame", &mut from_request);
    drop(others);
    second.stop().await;
    first.stop().await;
}

/// The next SSE block of `stream` (up to its blank line).
async fn next_frame(stream: &mut reqwest::Response, buffer: &mut String) -> String {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            return buffer.drain(..end + 2).collect();
        }
        let chunk = tokio::time::timeout(Duration::from_secs(30), stream.chunk())
            .await
            .expect("a frame within 30 s")
            .expect("the stream reads")
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[i].as_secs_f64() * 1000.0
    };
    println!(
        "  {what}: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}
