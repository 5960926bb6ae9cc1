//! The one-click opt-out pages over real HTTP on loopback: the page in Japanese (and English
//! with `?lang=en`) with its form, the one-click POST a mail client sends, the confirmation with
//! its resubscribe button, the audit, the security headers of a no-JavaScript page, and the same
//! 404 page for any unknown or malformed token.

use ouen_tests::{registration, TestServer};
use reqwest::StatusCode;
use serde_json::json;

/// A registered member and its opt-out token.
async fn member_with_token(server: &TestServer) -> (i64, String) {
    let registered = server
        .register(registration(
            "配信 停止",
            "はいしん",
            "optout@example.jp",
            &["13"],
        ))
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{:?}",
        registered.body
    );
    let member = registered.body["member_id"].as_i64().expect("member id");
    let token = server
        .store
        .opt_out_token(member)
        .await
        .expect("token")
        .expect("a live member has a token");
    (member, token)
}

async fn opted_out(server: &TestServer, member: i64) -> bool {
    let token: Option<String> = server.store.opt_out_token(member).await.expect("token");
    server
        .store
        .opt_out_state(&token.expect("token"))
        .await
        .expect("state")
        .opted_out_at
        .is_some()
}

#[tokio::test]
async fn a_member_opts_out_with_one_click_and_back_in() {
    let server = TestServer::start().await;
    let (member, token) = member_with_token(&server).await;
    let page = server
        .http
        .get(format!("{}/unsubscribe/{token}", server.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<html lang="ja">"#), "{html}");
    assert!(html.contains("name=\"viewport\""), "{html}");
    assert!(html.contains("配信を停止する"), "{html}");
    assert!(
        html.contains(&format!(r#"action="/unsubscribe/{token}""#)),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(
        !html.contains("optout@example.jp"),
        "no address on the page"
    );
    assert!(
        !opted_out(&server, member).await,
        "showing the page changes nothing"
    );

    // What a mail client sends for RFC 8058 one-click.
    let click = server
        .http
        .post(format!("{}/unsubscribe/{token}", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click");
    assert_eq!(click.status(), StatusCode::OK);
    let html = click.text().await.unwrap();
    assert!(html.contains("配信を停止しました"), "{html}");
    assert!(
        html.contains(&format!(r#"action="/unsubscribe/{token}/undo""#)),
        "{html}"
    );
    assert!(opted_out(&server, member).await);
    // A repeat keeps the first time and answers the same.
    let first = server
        .store
        .opt_out_state(&token)
        .await
        .unwrap()
        .opted_out_at;
    let again = server
        .http
        .post(format!("{}/unsubscribe/{token}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        server
            .store
            .opt_out_state(&token)
            .await
            .unwrap()
            .opted_out_at,
        first
    );

    // English, and back in.
    let undo = server
        .http
        .post(format!("{}/unsubscribe/{token}/undo?lang=en", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(undo.status(), StatusCode::OK);
    let html = undo.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#), "{html}");
    assert!(html.contains("You receive them again"), "{html}");
    assert!(!opted_out(&server, member).await);

    let admin = server.admin("jimukyoku").await;
    let outs = server.audit(&admin, "member.mail_opt_out").await;
    assert_eq!(outs.len(), 2, "{outs:?}");
    assert!(
        outs.iter()
            .all(|e| e["target_id"] == json!(member.to_string())),
        "{outs:?}"
    );
    assert_eq!(server.audit(&admin, "member.mail_opt_in").await.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn unknown_tokens_answer_one_404_page() {
    let server = TestServer::start().await;
    let (_, token) = member_with_token(&server).await;
    let mut other = token.clone();
    other.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    let mut bodies = Vec::new();
    for (method, path) in [
        ("GET", format!("/unsubscribe/{other}")),
        ("POST", format!("/unsubscribe/{other}")),
        ("POST", format!("/unsubscribe/{other}/undo")),
        ("GET", "/unsubscribe/short".to_string()),
        ("POST", format!("/unsubscribe/{}", token.to_uppercase())),
        ("GET", "/unsubscribe/%3Cscript%3E".to_string()),
        // What a hostile or garbled link holds: NUL, the token in full width.
        ("POST", format!("/unsubscribe/{}%00", &token[..63])),
        ("GET", format!("/unsubscribe/{}", full_width(&token))),
    ] {
        let request = match method {
            "GET" => server.http.get(format!("{}{path}", server.base)),
            _ => server.http.post(format!("{}{path}", server.base)),
        };
        let answer = request.send().await.expect("answer");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{method} {path}");
        assert!(answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let body = answer.text().await.unwrap();
        assert!(body.contains("ページが見つかりません"), "{body}");
        assert!(!body.contains("<script"), "{body}");
        bodies.push(body);
    }
    bodies.dedup();
    assert_eq!(
        bodies.len(),
        1,
        "one page for every unknown token: {bodies:?}"
    );
    // 10,000 characters are over the server's limit on a request line: refused as too long.
    // (5,000 長 are 45,000 bytes once encoded; more would be past what an HTTP client sends.)
    for path in [
        format!("/unsubscribe/{}", "a".repeat(10_000)),
        format!("/unsubscribe/{}", "長".repeat(5_000)),
    ] {
        let answer = server
            .http
            .post(format!("{}{path}", server.base))
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status(), StatusCode::URI_TOO_LONG);
    }
    let state = server.store.opt_out_state(&token).await.unwrap();
    assert!(
        state.opted_out_at.is_none(),
        "unknown tokens changed nothing"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_member_changes_the_setting_through_the_api_and_the_page_agrees() {
    let server = TestServer::start().await;
    let (member, token) = member_with_token(&server).await;
    let own = server
        .login("optout@example.jp", ouen_tests::PASSWORD)
        .await;
    let record = server.get("/api/v1/me/member", &own).await;
    assert_eq!(record.status, StatusCode::OK, "{:?}", record.body);
    assert_eq!(record.body["mail_opt_out"], json!(false));
    let changed = server
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/member/mail-preferences",
            Some(&own),
            Some(json!({ "mail_opt_out": true })),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["mail_opt_out"], json!(true));
    assert!(opted_out(&server, member).await);
    // The page shows the same state, with the resubscribe button.
    let html = server
        .http
        .get(format!("{}/unsubscribe/{token}", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("配信を停止しました"), "{html}");
    // A wrong body changes nothing and names the field.
    let wrong = server
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/member/mail-preferences",
            Some(&own),
            Some(json!({ "mail_opt_out": "no" })),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );
    assert!(opted_out(&server, member).await);
    let back = server
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/member/mail-preferences",
            Some(&own),
            Some(json!({ "mail_opt_out": false })),
        )
        .await;
    assert_eq!(back.body["mail_opt_out"], json!(false));
    server.stop().await;
}

/// `token` in full-width digits and letters, percent-encoded as a browser sends it.
fn full_width(token: &str) -> String {
    token
        .chars()
        .filter_map(|c| char::from_u32(c as u32 + 0xFEE0))
        .flat_map(|c| {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf)
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<Vec<_>>()
        })
        .collect()
}
