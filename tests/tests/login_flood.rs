//! A login flood: password checks run one per core, a bounded number wait, and the rest are
//! told to come back — so memory stays flat. (A file of its own: the hashing gate is
//! process-wide, and this test narrows its queue.)

use ouen_tests::{join_all, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_login_flood_runs_one_password_check_per_core() {
    let server = Box::leak(Box::new(
        TestServer::start_with(|c| {
            c.security.address_max_failures = 10_000;
            c.security.login_max_failures = 10_000;
            c.security.password_hash_queue = 16;
        })
        .await,
    ));
    let gate = ouen_server::auth::password::gate();
    let answers = join_all((0..120).map(|i| {
        let server = &*server;
        async move {
            server
                .call(
                    Method::POST,
                    "/api/v1/sessions",
                    None,
                    Some(json!({ "login": format!("flood-{i}"), "password": "wrong-password-1" })),
                )
                .await
        }
    }))
    .await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    for answer in &answers {
        assert!(
            answer.status == StatusCode::UNAUTHORIZED
                || answer.status == StatusCode::SERVICE_UNAVAILABLE,
            "{} {}",
            answer.status,
            answer.body
        );
    }
    assert!(
        gate.peak_running() <= gate.workers(),
        "{} checks ran at once on {} cores",
        gate.peak_running(),
        gate.workers()
    );
    // More arrived than the queue holds: the rest were told to come back, not queued.
    assert!(!busy.is_empty(), "no request was refused as busy");
    for answer in busy {
        assert_eq!(answer.code(), "busy");
        assert_eq!(answer.headers["retry-after"], "1");
    }
}
