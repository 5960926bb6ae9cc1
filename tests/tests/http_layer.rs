//! The HTTP layer every route shares: server-made request ids, security headers on every
//! answer, and over-long requests answered with the standard error body.

use ouen_tests::TestServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn request_ids_are_made_by_the_server_whatever_the_caller_sends() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let forged = "forged-audit-id";
    let response = server
        .http
        .post(format!("{}/api/v1/accounts", server.base))
        .bearer_auth(&admin)
        .header("x-request-id", forged)
        .json(&json!({ "login": "kyoto", "display_name": "京都府", "role": "prefecture", "prefecture_code": "26" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    assert_ne!(id, forged);
    let entries = server.audit(&admin, "account.create").await;
    assert_eq!(entries[0]["request_id"], id.as_str());
    assert!(entries.iter().all(|e| e["request_id"] != forged));

    // An error body quotes the same id as its header.
    let refused = server
        .http
        .get(format!("{}/api/v1/accounts/999999", server.base))
        .bearer_auth(&admin)
        .header("x-request-id", forged)
        .send()
        .await
        .expect("request");
    let header = refused.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body: Value = refused.json().await.expect("body");
    assert_eq!(body["request_id"], header.as_str());
    assert_ne!(header, forged);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    for (path, token) in [
        ("/healthz", None),
        ("/api/v1/me", Some(admin.as_str())),
        ("/api/v1/members/export", Some(admin.as_str())),
        ("/api/v1/members/1", Some(admin.as_str())),
        ("/api/v1/me", None),
        ("/no/such/route", None),
        ("/api/openapi.json", None),
    ] {
        let mut request = server.http.get(format!("{}{path}", server.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
    }
}

#[tokio::test]
async fn over_long_requests_get_the_error_body() {
    let server = TestServer::start().await;
    let long = format!("{}/api/v1/members?q={}", server.base, "a".repeat(9000));
    let response = server
        .http
        .get(long)
        .header("accept-language", "en")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
    let body: Value = response.json().await.expect("body");
    assert_eq!(body["code"], "uri_too_long");
    assert!(body["message"].as_str().unwrap().contains("too long"));

    let mut request = server.http.get(format!("{}/healthz", server.base));
    for i in 0..80 {
        request = request.header(format!("x-extra-{i}"), "1");
    }
    let response = request.send().await.expect("request");
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    let body: Value = response.json().await.expect("body");
    assert_eq!(body["code"], "headers_too_large");
    assert!(body["request_id"].is_string());

    let response = server
        .http
        .get(format!("{}/healthz", server.base))
        .header("x-big", "b".repeat(40 * 1024))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
}
