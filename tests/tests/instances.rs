//! Several server instances over one database serve the same data, and many writers at once
//! never fail (SQLite queues them through one writer; PostgreSQL takes them concurrently).

use ouen_tests::{TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn two_instances_share_data_sessions_and_throttling() {
    let first = TestServer::start_with(|c| c.security.login_max_failures = 2).await;
    let second = TestServer::start_on(first.database.clone(), |c| {
        c.security.login_max_failures = 2
    })
    .await;
    let admin = first.admin("jimukyoku").await;

    // A session opened on one instance works on the other.
    assert_eq!(
        second.get("/api/v1/me", &admin).await.body["login"],
        "jimukyoku"
    );
    let created = second
        .post("/api/v1/accounts", &admin, json!({ "login": "kyoto", "display_name": "京都府", "role": "prefecture", "prefecture_code": "26", "password": PASSWORD }))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let listed = first.get("/api/v1/accounts?q=kyoto", &admin).await;
    assert_eq!(listed.body["total"], 1);

    // Failures counted on one instance lock the login on the other.
    let wrong = json!({ "login": "kyoto", "password": "wrong-password-1" });
    first
        .call(Method::POST, "/api/v1/sessions", None, Some(wrong.clone()))
        .await;
    second
        .call(Method::POST, "/api/v1/sessions", None, Some(wrong))
        .await;
    let right = json!({ "login": "kyoto", "password": PASSWORD });
    assert_eq!(
        first
            .call(Method::POST, "/api/v1/sessions", None, Some(right))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Logging out on one instance ends the session on both.
    first
        .call(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        second.get("/api/v1/me", &admin).await.status,
        StatusCode::UNAUTHORIZED
    );
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn concurrent_writers_all_succeed() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let tokyo_org = server.prefecture_org(&admin, "13").await;
    let writes = (0..24).map(|i| {
        let server = &server;
        let admin = admin.clone();
        async move {
            let answer = if i % 2 == 0 {
                server.post("/api/v1/organisations", &admin, json!({ "kind": "health_centre", "name": format!("保健所{i}"), "parent_id": tokyo_org })).await
            } else {
                server.post("/api/v1/accounts", &admin, json!({ "login": format!("pref{i}"), "display_name": "担当", "role": "prefecture", "prefecture_code": "13", "password": PASSWORD })).await
            };
            answer.status
        }
    });
    let statuses = futures_join_all(writes).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let centres = server
        .get("/api/v1/organisations?kind=health_centre", &admin)
        .await;
    assert_eq!(centres.body["total"], 12);
    let accounts = server.get("/api/v1/accounts?role=prefecture", &admin).await;
    assert_eq!(accounts.body["total"], 12);
}

/// Runs futures concurrently on this task and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if outputs[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => outputs[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
