//! The opt-out page in a real headless Chromium, driven over WebDriver (chromedriver, plain
//! JSON over HTTP): at phone size it shows the Japanese text with no horizontal overflow, its
//! button submits the form (the page has no JavaScript), and the member is then opted out.
//! Without Chromium the test says it skipped; with `CI=true` it fails instead.

use ouen_tests::browser::{Driver, ELEMENT};
use ouen_tests::{registration, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_page_works_in_a_real_browser_at_phone_size() {
    let Some(driver) = Driver::start("the_page_works_in_a_real_browser_at_phone_size").await else {
        return;
    };
    let server = TestServer::start().await;
    let registered = server
        .register(registration(
            "配信 停止",
            "はいしん",
            "browser@example.jp",
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
        .unwrap()
        .expect("token");

    let id = driver.session(390, 844).await;
    let s = format!("/session/{id}");
    use reqwest::Method;
    driver
        .call(
            Method::POST,
            &format!("{s}/url"),
            Some(json!({ "url": format!("{}/unsubscribe/{token}", server.base) })),
        )
        .await;
    let source = driver.call(Method::GET, &format!("{s}/source"), None).await;
    let source = source.as_str().unwrap_or("");
    assert!(source.contains("配信を停止する"), "{source}");
    assert!(!source.contains("<script"), "the page needs no JavaScript");
    let widths = driver
        .call(
            Method::POST,
            &format!("{s}/execute/sync"),
            Some(json!({ "script": "return [document.documentElement.scrollWidth, window.innerWidth, getComputedStyle(document.querySelector('button')).backgroundColor];", "args": [] })),
        )
        .await;
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(inner <= 400, "phone-sized window: {widths}");
    assert!(scroll <= inner, "no horizontal overflow: {widths}");
    assert_eq!(
        widths[2],
        json!("rgb(42, 111, 78)"),
        "the stylesheet applies: {widths}"
    );

    let button = driver
        .call(
            Method::POST,
            &format!("{s}/element"),
            Some(json!({ "using": "css selector", "value": "form button[type=submit]" })),
        )
        .await;
    let button = button[ELEMENT]
        .as_str()
        .unwrap_or_else(|| panic!("button: {button}"))
        .to_string();
    driver
        .call(
            Method::POST,
            &format!("{s}/element/{button}/click"),
            Some(json!({})),
        )
        .await;
    // The form post loads the confirmation page: wait (bounded) for its heading.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let heading = driver
            .try_call(
                Method::POST,
                &format!("{s}/element"),
                json!({ "using": "css selector", "value": "h1" }),
            )
            .await;
        let text = match heading.as_ref().and_then(|h| h[ELEMENT].as_str()) {
            Some(h) => {
                driver
                    .try_call(Method::GET, &format!("{s}/element/{h}/text"), Value::Null)
                    .await
            }
            None => None,
        };
        if text == Some(json!("配信を停止しました")) {
            break;
        }
        assert!(Instant::now() < deadline, "no confirmation page: {text:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let state = server.store.opt_out_state(&token).await.unwrap();
    assert!(
        state.opted_out_at.is_some(),
        "the click opted the member out"
    );
    driver.call(Method::DELETE, &s, None).await;
    server.stop().await;
}
