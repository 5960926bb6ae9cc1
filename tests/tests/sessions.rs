//! Sessions: logout, revoke-all, expiry, password changes and resets, disabled accounts.

use ouen_tests::{TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn logout_and_revoke_all_end_sessions() {
    let server = TestServer::start().await;
    let first = server.admin("jimukyoku").await;
    let second = server.login("jimukyoku", PASSWORD).await;
    let third = server.login("jimukyoku", PASSWORD).await;
    assert_eq!(
        server
            .call(
                Method::DELETE,
                "/api/v1/sessions/current",
                Some(&first),
                None
            )
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        server.get("/api/v1/me", &first).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.get("/api/v1/me", &second).await.status,
        StatusCode::OK
    );
    let revoked = server
        .call(Method::DELETE, "/api/v1/sessions", Some(&second), None)
        .await;
    assert_eq!(revoked.body["revoked"], 2);
    assert_eq!(
        server.get("/api/v1/me", &second).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.get("/api/v1/me", &third).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = server.login("jimukyoku", PASSWORD).await;
    assert_eq!(server.audit(&admin, "session.delete").await.len(), 1);
    assert_eq!(server.audit(&admin, "session.revoke_all").await.len(), 1);
}

#[tokio::test]
async fn sessions_expire() {
    let server = TestServer::start().await;
    let token = server.admin("jimukyoku").await;
    assert_eq!(
        server.get("/api/v1/me", &token).await.status,
        StatusCode::OK
    );
    // Age every session past its expiry, as time would.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    if server.database.is_postgres() {
        let pool = sqlx::PgPool::connect(&server.database.url).await.unwrap();
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(past)
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&server.database.url)
            .await
            .unwrap();
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(past)
            .execute(&pool)
            .await
            .unwrap();
    }
    let me = server.get("/api/v1/me", &token).await;
    assert_eq!(
        (me.status, me.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

#[test]
fn nonsense_settings_are_refused_at_start() {
    let config = ouen_server::Config {
        security: ouen_server::config::SecurityConfig {
            session_ttl_minutes: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    let error = config.check().unwrap_err();
    assert!(error.contains("session_ttl_minutes"), "{error}");
}

#[tokio::test]
async fn password_change_keeps_this_session_and_ends_the_others() {
    let server = TestServer::start().await;
    let token = server.admin("jimukyoku").await;
    let other = server.login("jimukyoku", PASSWORD).await;
    let change = |current: &str, new: &str| {
        server.call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({ "current_password": current, "new_password": new })),
        )
    };
    let weak = change(PASSWORD, "password").await;
    assert_eq!(weak.fields(), vec!["new_password"]);
    let wrong = change("Not-the-password-9", "Brand-new-pass-7").await;
    assert_eq!(wrong.fields(), vec!["current_password"]);
    assert_eq!(
        server.get("/api/v1/me", &other).await.status,
        StatusCode::OK,
        "failed changes end nothing"
    );
    assert_eq!(
        change(PASSWORD, "Brand-new-pass-7").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        server.get("/api/v1/me", &token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        server.get("/api/v1/me", &other).await.status,
        StatusCode::UNAUTHORIZED
    );
    let old = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "jimukyoku", "password": PASSWORD })),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    server.login("jimukyoku", "Brand-new-pass-7").await;
}

#[tokio::test]
async fn parent_resets_and_disables_child_accounts() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server.issue(&admin, json!({ "login": "tokyo", "display_name": "東京都", "role": "prefecture", "prefecture_code": "13" })).await;
    let (city_id, city) = server.issue(&tokyo, json!({ "login": "shibuya", "display_name": "渋谷区", "role": "city", "municipality_code": "131130" })).await;

    // Reset with a generated password: the old sessions end, the new password works.
    let reset = server
        .post(
            &format!("/api/v1/accounts/{city_id}/password"),
            &tokyo,
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    let generated = reset.body["new_password"].as_str().unwrap().to_string();
    assert_eq!(
        server.get("/api/v1/me", &city).await.status,
        StatusCode::UNAUTHORIZED
    );
    let city = server.login("shibuya", &generated).await;

    // Disable: sessions end and login fails like a wrong password; enable restores login.
    let disabled = server
        .post(
            &format!("/api/v1/accounts/{city_id}/disable"),
            &tokyo,
            json!({}),
        )
        .await;
    assert_eq!(disabled.body["disabled"], true);
    assert_eq!(
        server.get("/api/v1/me", &city).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "shibuya", "password": generated })),
        )
        .await;
    assert_eq!(refused.code(), "invalid_credentials");
    server
        .post(
            &format!("/api/v1/accounts/{city_id}/enable"),
            &tokyo,
            json!({}),
        )
        .await;
    let city = server.login("shibuya", &generated).await;

    // The city cannot manage its prefecture, nor itself through these routes.
    let me = server.get("/api/v1/me", &city).await;
    assert_eq!(me.body["prefecture_code"], "13");
    let own = server
        .post(
            &format!("/api/v1/accounts/{city_id}/disable"),
            &city,
            json!({}),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let listed = server.get("/api/v1/accounts?q=tokyo", &city).await;
    assert_eq!(
        listed.body["total"], 0,
        "the prefecture's account is outside the city's scope"
    );

    for action in [
        "account.password_reset",
        "account.disable",
        "account.enable",
    ] {
        assert_eq!(server.audit(&admin, action).await.len(), 1, "{action}");
    }
    // Reading a person's record is audited; listing is not a record read.
    server
        .get(&format!("/api/v1/accounts/{city_id}"), &tokyo)
        .await;
    let reads = server.audit(&admin, "account.read").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["actor_login"], "tokyo");
}
