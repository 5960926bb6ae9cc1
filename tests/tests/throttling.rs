//! Attempts are counted before they are checked: parallel guesses, on one instance or two, never
//! get more than the limit checked; password hashing is bounded however many logins arrive; and
//! a wrong current password is throttled and audited like a wrong login.

use ouen_tests::{join_all, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

const LIMIT: i64 = 5;
const GUESSES: usize = 40;

/// Sends `GUESSES` wrong passwords for `login` at once, alternating between `servers`, and
/// answers how many were checked (401) and how many refused (429).
async fn guess_in_parallel(servers: &[&'static TestServer], login: &'static str) -> (usize, usize) {
    let answers = join_all((0..GUESSES).map(|i| {
        let server = servers[i % servers.len()];
        async move {
            server
                .call(
                    Method::POST,
                    "/api/v1/sessions",
                    None,
                    Some(json!({ "login": login, "password": format!("wrong-guess-{i}") })),
                )
                .await
        }
    }))
    .await;
    let mut checked = 0;
    let mut refused = 0;
    for answer in &answers {
        match answer.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    (checked, refused)
}

fn limits(c: &mut ouen_server::Config) {
    c.security.login_max_failures = LIMIT;
    c.security.address_max_failures = 1000;
}

#[tokio::test]
async fn parallel_wrong_logins_are_checked_at_most_up_to_the_limit() {
    let server = Box::leak(Box::new(TestServer::start_with(limits).await));
    let admin = server.admin("jimukyoku").await;
    let (checked, refused) = guess_in_parallel(&[server], "jimukyoku").await;
    assert!(
        checked as i64 <= LIMIT,
        "{checked} guesses were checked, limit {LIMIT}"
    );
    assert_eq!(checked + refused, GUESSES);
    assert_eq!(
        server.audit(&admin, "session.login_failed").await.len(),
        checked
    );
    // The right password is refused too while the login is locked.
    let right = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "jimukyoku", "password": PASSWORD })),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn parallel_wrong_logins_across_two_instances_share_one_limit() {
    let first = Box::leak(Box::new(TestServer::start_with(limits).await));
    let second = Box::leak(Box::new(
        TestServer::start_on(first.database.clone(), limits).await,
    ));
    let admin = first.admin("jimukyoku").await;
    let (checked, refused) = guess_in_parallel(&[first, second], "jimukyoku").await;
    assert!(
        checked as i64 <= LIMIT,
        "{checked} guesses were checked across two instances, limit {LIMIT}"
    );
    assert_eq!(checked + refused, GUESSES);
    assert_eq!(
        second.audit(&admin, "session.login_failed").await.len(),
        checked
    );
}

#[tokio::test]
async fn successful_logins_do_not_use_up_the_address_limit() {
    let server = TestServer::start_with(|c| c.security.address_max_failures = 3).await;
    server.admin("jimukyoku").await;
    for _ in 0..6 {
        server.login("jimukyoku", PASSWORD).await;
    }
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_and_audited() {
    let server = TestServer::start_with(|c| c.security.login_max_failures = 3).await;
    let admin = server.admin("jimukyoku").await;
    let change =
        |current: &str| json!({ "current_password": current, "new_password": "Another-pass-2" });
    for _ in 0..3 {
        let answer = server
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(&admin),
                Some(change("not-my-password-1")),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.fields(), ["current_password"]);
    }
    let locked = server
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&admin),
            Some(change(PASSWORD)),
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        server
            .audit(&admin, "account.password_change_failed")
            .await
            .len(),
        3
    );
    assert_eq!(
        server
            .audit(&admin, "account.password_change_throttled")
            .await
            .len(),
        1
    );
}
