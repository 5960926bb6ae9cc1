//! Text a database cannot store (PostgreSQL refuses NUL) is the request's fault: a 4xx with
//! the standard body on both backends, never a 500.

use ouen_tests::TestServer;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_nul_in_a_query_or_a_body_never_answers_a_server_error() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    for path in [
        "/api/v1/organisations?q=%00",
        "/api/v1/accounts?q=a%00b",
        "/api/v1/members?q=%00&training=%00",
        "/api/v1/audit?action=%00",
    ] {
        let answer = server.get(path, &admin).await;
        assert!(
            answer.status.is_success() || answer.status.is_client_error(),
            "{path}: {} {}",
            answer.status,
            answer.body
        );
    }
    let login = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "a\u{0}b", "password": "x\u{0}y" })),
        )
        .await;
    assert!(login.status.is_client_error(), "{login:?}");
    server.stop().await;
}
