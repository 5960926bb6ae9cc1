//! Bad input gets one clear error body, field by field, in Japanese or English, and changes
//! nothing.

use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn invalid_input_is_reported_field_by_field_in_both_languages_and_changes_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let before = server.get("/api/v1/accounts", &admin).await.body["total"].clone();
    let audit_before = server.get("/api/v1/audit", &admin).await.body["total"]
        .as_i64()
        .unwrap();

    let bad = json!({ "login": "a", "display_name": "", "role": "prefecture", "prefecture_code": "48", "password": "short" });
    let ja = server
        .call(
            Method::POST,
            "/api/v1/accounts",
            Some(&admin),
            Some(bad.clone()),
        )
        .await;
    assert_eq!(ja.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ja.code(), "invalid");
    assert_eq!(
        ja.fields(),
        vec!["login", "display_name", "password", "prefecture_code"]
    );
    assert_eq!(ja.body["message"], "入力内容に誤りがあります。");
    assert_eq!(
        ja.body["fields"][0]["message"],
        "3文字以上で入力してください。"
    );
    assert_eq!(ja.headers["content-language"], "ja");

    let en = server
        .call_lang(
            Method::POST,
            "/api/v1/accounts",
            Some(&admin),
            Some(bad),
            Some("en-GB,en;q=0.9"),
        )
        .await;
    assert_eq!(en.body["message"], "Some fields are invalid.");
    assert_eq!(
        en.body["fields"][2]["message"],
        "Passwords need at least 10 characters, with both letters and digits."
    );
    assert!(en.body["request_id"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));

    // Wrong types, unknown fields and unknown enum values name their field.
    let typed = server
        .post(
            "/api/v1/accounts",
            &admin,
            json!({ "login": 42, "display_name": "x", "role": "city" }),
        )
        .await;
    assert_eq!(
        (typed.status, typed.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["login".to_string()])
    );
    let unknown = server
        .post(
            "/api/v1/accounts",
            &admin,
            json!({ "login": "abc", "display_name": "x", "role": "city", "is_root": true }),
        )
        .await;
    assert_eq!(unknown.fields(), vec!["is_root"]);
    assert_eq!(unknown.body["fields"][0]["code"], "unknown_field");
    let variant = server
        .post(
            "/api/v1/accounts",
            &admin,
            json!({ "login": "abc", "display_name": "x", "role": "superuser" }),
        )
        .await;
    assert_eq!(variant.fields(), vec!["role"]);
    let missing = server.post("/api/v1/accounts", &admin, json!({})).await;
    assert_eq!(missing.fields(), vec!["login"]);

    // A login that is taken is a conflict on that field.
    server.issue(&admin, json!({ "login": "tokyo", "display_name": "東京都", "role": "prefecture", "prefecture_code": "13" })).await;
    let taken = server
        .post("/api/v1/accounts", &admin, json!({ "login": "TOKYO", "display_name": "東京都", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.fields(), vec!["login"]);
    assert_eq!(taken.body["fields"][0]["code"], "taken");

    let after = server.get("/api/v1/accounts", &admin).await.body["total"]
        .as_i64()
        .unwrap();
    assert_eq!(
        after,
        before.as_i64().unwrap() + 1,
        "only the valid account was created"
    );
    let audit_after = server.get("/api/v1/audit", &admin).await.body["total"]
        .as_i64()
        .unwrap();
    // One account.create and one session.create for the valid account; nothing for the bad ones.
    assert_eq!(audit_after, audit_before + 2);
}

#[tokio::test]
async fn malformed_requests_get_the_standard_body_never_a_500() {
    let server = TestServer::start_with(|c| c.http.body_limit_bytes = 4096).await;
    let admin = server.admin("jimukyoku").await;
    let raw = |method: Method, path: &str, body: Vec<u8>| {
        server
            .http
            .request(method, format!("{}{path}", server.base))
            .bearer_auth(&admin)
            .body(body)
            .send()
    };
    let check = |response: reqwest::Response, status: u16, code: &'static str| async move {
        assert_eq!(response.status().as_u16(), status);
        let body: serde_json::Value = response.json().await.expect("JSON error body");
        assert_eq!(body["code"], code, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    };
    let cases: [(Method, &str, Vec<u8>, u16, &str); 10] = [
        (
            Method::POST,
            "/api/v1/accounts",
            b"{not json".to_vec(),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            "/api/v1/accounts",
            vec![b' '; 10_000],
            413,
            "payload_too_large",
        ),
        (
            Method::POST,
            "/api/v1/accounts",
            "\u{1F600}".repeat(10).into_bytes(),
            400,
            "bad_request",
        ),
        (Method::GET, "/api/v1/nowhere", vec![], 404, "not_found"),
        (
            Method::PUT,
            "/api/v1/accounts",
            vec![],
            405,
            "method_not_allowed",
        ),
        (Method::GET, "/api/v1/accounts/abc", vec![], 422, "invalid"),
        (
            Method::GET,
            "/api/v1/accounts/99999999",
            vec![],
            404,
            "not_found",
        ),
        (
            Method::GET,
            "/api/v1/accounts?per_page=lots",
            vec![],
            422,
            "invalid",
        ),
        (
            Method::GET,
            "/api/v1/accounts?sort=password_hash",
            vec![],
            422,
            "invalid",
        ),
        (
            Method::GET,
            "/api/v1/municipalities?prefecture=99",
            vec![],
            422,
            "invalid",
        ),
    ];
    for (method, path, body, status, code) in cases {
        check(raw(method, path, body).await.unwrap(), status, code).await;
    }
    // A path id that is not a number is named like any other parameter.
    let id = server.get("/api/v1/accounts/abc", &admin).await;
    assert_eq!(id.fields(), vec!["id"], "{:?}", id.body);
    // Huge page numbers and sizes are clamped, not errors.
    let page = server
        .get("/api/v1/accounts?page=4000000000&per_page=100000", &admin)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body["per_page"], 500);
    // Control characters and very long text are refused by field.
    let control = server
        .post(
            "/api/v1/organisations",
            &admin,
            json!({ "kind": "partner", "name": "a\u{0}b", "partner_kind": "labour_bureau" }),
        )
        .await;
    assert_eq!(control.fields(), vec!["name"]);
    // SQL in search text is just text.
    let injection = server
        .get("/api/v1/accounts?q=%27%20OR%201%3D1%20--", &admin)
        .await;
    assert_eq!(
        (injection.status, injection.body["total"].as_i64()),
        (StatusCode::OK, Some(0))
    );
    // Bad tokens are 401 with the standard body.
    let expired = server.get("/api/v1/me", "ouen_0000").await;
    assert_eq!(
        (expired.status, expired.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

#[tokio::test]
async fn municipality_search_folds_kana_and_width() {
    let server = TestServer::start().await;
    for q in ["ｼﾌﾞﾔ", "しぶや", "シブヤ", "渋谷"] {
        let answer = server
            .call(
                Method::GET,
                &format!("/api/v1/municipalities?prefecture=13&q={q}"),
                None,
                None,
            )
            .await;
        let names: Vec<&str> = answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["name"].as_str())
            .collect();
        assert_eq!(names, vec!["渋谷区"], "query {q}");
    }
    let cities = server
        .call(
            Method::GET,
            "/api/v1/municipalities?prefecture=13&city_or_ward=true",
            None,
            None,
        )
        .await;
    let cities = cities.body.as_array().unwrap().len();
    assert_eq!(cities, 23 + 26, "23 special wards and 26 cities in 東京都");
}
