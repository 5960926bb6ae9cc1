//! The onboarding flow of the foundation, as an operator scripts it: an admin logs in, issues a
//! prefecture account, the prefecture issues a city account inside it (and is refused one in
//! another prefecture), reads the API description, and every step is in the audit log.

use ouen_tests::{TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn admin_prefecture_city_onboarding_is_scoped_and_audited() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;

    let me = server.get("/api/v1/me", &admin).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["role"], "admin");

    // The admin issues a prefecture account for 東京都; the password is generated when omitted.
    let created = server
        .post(
            "/api/v1/accounts",
            &admin,
            json!({ "login": "tokyo-iheat", "display_name": "東京都 感染症対策課", "role": "prefecture", "prefecture_code": "13" }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["account"]["organisation_name"], "東京都");
    let generated = created.body["initial_password"]
        .as_str()
        .expect("generated password")
        .to_string();
    assert!(generated.len() >= 10);
    let tokyo = server.login("tokyo-iheat", &generated).await;

    // The prefecture issues a city account for 八王子市 (inside 東京都).
    let city = server
        .post(
            "/api/v1/accounts",
            &tokyo,
            json!({ "login": "hachioji", "display_name": "八王子市保健所", "role": "city", "municipality_code": "132012", "password": PASSWORD }),
        )
        .await;
    assert_eq!(city.status, StatusCode::CREATED, "{:?}", city.body);
    assert_eq!(city.body["account"]["organisation_name"], "八王子市");
    assert_eq!(city.body["account"]["municipality_code"], "132012");
    assert!(city.body["initial_password"].is_null());

    // … and is refused one for 大阪市 (another prefecture), with the field named.
    let refused = server
        .post(
            "/api/v1/accounts",
            &tokyo,
            json!({ "login": "osaka-city", "display_name": "大阪市", "role": "city", "municipality_code": "271004" }),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.fields(), vec!["municipality_code"]);
    assert_eq!(refused.body["fields"][0]["code"], "outside_scope");

    // Towns cannot run health centres, and a wrong check digit is caught before any lookup.
    let town = server
        .post("/api/v1/accounts", &tokyo, json!({ "login": "mizuho", "display_name": "瑞穂町", "role": "city", "municipality_code": "133035" }))
        .await;
    assert_eq!(
        town.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        town.body
    );
    let digit = server
        .post("/api/v1/accounts", &tokyo, json!({ "login": "typo", "display_name": "誤記", "role": "city", "municipality_code": "132013" }))
        .await;
    assert_eq!(digit.body["fields"][0]["code"], "check_digit");

    // A prefecture cannot issue accounts above its level, nor for another prefecture.
    let above = server
        .post(
            "/api/v1/accounts",
            &tokyo,
            json!({ "login": "boss", "display_name": "x", "role": "admin" }),
        )
        .await;
    assert_eq!(above.status, StatusCode::FORBIDDEN);
    let other = server
        .post(
            "/api/v1/accounts",
            &tokyo,
            json!({ "login": "osaka-pref", "display_name": "大阪府", "role": "prefecture", "prefecture_code": "27" }),
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The city logs in and sees only itself and its own health centres.
    // A login typed in full width with the input method on is the same login.
    let hachioji = server.login("ＨＡＣＨＩＯＪＩ", PASSWORD).await;
    let centre = server
        .post(
            "/api/v1/organisations",
            &hachioji,
            json!({ "kind": "health_centre", "name": "八王子市保健所" }),
        )
        .await;
    assert_eq!(centre.status, StatusCode::CREATED, "{:?}", centre.body);
    let orgs = server.get("/api/v1/organisations", &hachioji).await;
    let names: Vec<&str> = orgs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(orgs.body["total"], 2, "{names:?}");
    assert!(
        names.contains(&"八王子市") && names.contains(&"八王子市保健所"),
        "{names:?}"
    );
    // The prefecture sees its city and health centre; the city does not see the prefecture's accounts.
    let accounts = server.get("/api/v1/accounts", &hachioji).await;
    assert_eq!(accounts.body["total"], 1);
    let tokyo_orgs = server.get("/api/v1/organisations?q=ﾊﾁｵｳｼﾞ", &tokyo).await;
    assert_eq!(
        tokyo_orgs.body["total"], 0,
        "kana is not in organisation names"
    );
    let tokyo_orgs = server.get("/api/v1/organisations?q=八王子", &tokyo).await;
    assert_eq!(tokyo_orgs.body["total"], 2);

    // The API description lists the routes.
    let openapi = server
        .call(Method::GET, "/api/openapi.json", None, None)
        .await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert!(openapi.body["paths"]["/api/v1/accounts"]["post"].is_object());

    // Every step is in the audit log, with actor, target and request id.
    let creates = server.audit(&admin, "account.create").await;
    assert_eq!(creates.len(), 3, "{creates:?}");
    assert_eq!(creates[0]["actor_login"], "tokyo-iheat");
    assert_eq!(
        creates[0]["target_id"],
        city.body["account"]["id"].to_string()
    );
    assert_eq!(creates[1]["actor_login"], "jimukyoku");
    assert!(creates[..2]
        .iter()
        .all(|e| e["request_id"].as_str().is_some_and(|r| !r.is_empty())));
    assert!(
        creates[2]["actor_login"].is_null(),
        "the first admin comes from the command line"
    );
    assert!(creates[2]["detail"]
        .as_str()
        .unwrap()
        .contains("command_line"));
    let logins = server.audit(&admin, "session.create").await;
    assert_eq!(logins.len(), 3);
    let org_creates = server.audit(&admin, "organisation.").await;
    assert_eq!(
        org_creates.len(),
        2,
        "the city organisation and the health centre"
    );
    // Secrets never reach the log.
    let everything = server.audit(&admin, "").await;
    let text = serde_json::to_string(&everything).unwrap();
    assert!(!text.contains(PASSWORD) && !text.contains(&generated) && !text.contains(&tokyo));
    // The log is readable by national and admin only.
    assert_eq!(
        server.get("/api/v1/audit", &tokyo).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn login_throttle_locks_a_login_and_is_audited() {
    let server = TestServer::start_with(|c| c.security.login_max_failures = 3).await;
    let admin = server.admin("jimukyoku").await;
    let wrong = json!({ "login": "jimukyoku", "password": "wrong-password-1" });
    for _ in 0..3 {
        let answer = server
            .call(Method::POST, "/api/v1/sessions", None, Some(wrong.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.code(), "invalid_credentials");
    }
    // Locked now: even the right password answers 429, with Retry-After.
    let right = json!({ "login": "JIMUKYOKU", "password": PASSWORD });
    let locked = server
        .call(Method::POST, "/api/v1/sessions", None, Some(right))
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        locked.body
    );
    assert_eq!(locked.code(), "throttled");
    let retry: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900);
    // An unknown login is throttled the same way, and answers like a wrong password before that.
    let unknown = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "nobody", "password": "x1234567890" })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), "invalid_credentials");

    assert_eq!(server.audit(&admin, "session.login_failed").await.len(), 4);
    let throttled = server.audit(&admin, "session.login_throttled").await;
    assert_eq!(throttled.len(), 1);
    // The attempt names the account tried, by id; the typed login is not kept.
    let me = server.get("/api/v1/me", &admin).await;
    assert_eq!(throttled[0]["target_id"], me.body["id"].to_string());
    assert_eq!(throttled[0]["actor_id"], Value::Null);
    assert_eq!(
        throttled[0]["detail"],
        json!({ "known_login": true }).to_string()
    );
    let failed = server.audit(&admin, "session.login_failed").await;
    assert_eq!(failed[0]["target_id"], Value::Null);
    assert_eq!(
        failed[0]["detail"],
        json!({ "known_login": false }).to_string()
    );
}

#[tokio::test]
async fn address_throttle_holds_across_logins() {
    let server = TestServer::start_with(|c| c.security.address_max_failures = 4).await;
    for i in 0..4 {
        let body = json!({ "login": format!("guess{i}"), "password": "wrong-password-1" });
        assert_eq!(
            server
                .call(Method::POST, "/api/v1/sessions", None, Some(body))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let body = json!({ "login": "fresh-login", "password": "wrong-password-1" });
    assert_eq!(
        server
            .call(Method::POST, "/api/v1/sessions", None, Some(body))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
