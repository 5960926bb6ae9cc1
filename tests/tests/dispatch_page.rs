//! The dispatch answer page in a real headless Chromium at phone size: the member opens its
//! personal link, answers per slot by tapping (no JavaScript), and the answer is stored as the
//! API shows it; after the shifts are confirmed the same link takes the formal request.

use ouen_tests::browser::Driver;
use ouen_tests::dispatch::{draft, world};
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_member_answers_and_accepts_through_its_link_in_a_browser() {
    let test = "a_member_answers_and_accepts_through_its_link_in_a_browser";
    let Some(driver) = Driver::start(test).await else {
        return;
    };
    let server = TestServer::start().await;
    let w = world(&server).await;
    let mut body = draft(w.tokyo_centre);
    body["duties"] = json!(["active_investigation", "health_observation", "other"]);
    body["other_duty"] = json!("受付");
    let created = server
        .post("/api/v1/dispatch-requests", &w.tokyo, body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let day = created.body["slots"][0]["id"].as_i64().expect("slot");
    let night = created.body["slots"][1]["id"].as_i64().expect("slot");
    server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/send"),
            &w.tokyo,
            json!({ "filter": {} }),
        )
        .await;
    let (member, session) = &w.approved[0];
    let token = server
        .db_text(&format!("SELECT answer_token FROM dispatch_asks WHERE request_id = {id} AND member_id = {member}"))
        .await;

    let browser = driver.session(390, 844).await;
    let s = format!("/session/{browser}");
    driver
        .call(
            Method::POST,
            &format!("{s}/url"),
            Some(json!({ "url": format!("{}/dispatch/answer/{token}", server.base) })),
        )
        .await;
    let source = driver.wait_for(&s, "派遣要請への回答").await;
    assert!(!source.contains("<script"), "the page needs no JavaScript");
    // The text of "other" stands beside it, once.
    assert_eq!(source.matches("その他（受付）").count(), 1, "{source}");
    assert!(!source.contains("（受付）（受付）"), "{source}");
    let widths = driver
        .call(
            Method::POST,
            &format!("{s}/execute/sync"),
            Some(json!({ "script": "return [document.documentElement.scrollWidth, window.innerWidth];", "args": [] })),
        )
        .await;
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "no horizontal overflow: {widths}"
    );

    // Tap: yes with one duty for the day slot, no for the night; a note; send.
    driver
        .click(&s, &format!("input[name=slot_{day}][value=yes]"))
        .await;
    driver
        .click(
            &s,
            &format!("input[name=duty_{day}][value=health_observation]"),
        )
        .await;
    driver
        .click(&s, &format!("input[name=slot_{night}][value=no]"))
        .await;
    driver.type_into(&s, "#note", "夜は不可です").await;
    driver.click(&s, "form button[type=submit]").await;
    driver.wait_for(&s, "回答を受け付けました").await;
    let mine = server
        .get(&format!("/api/v1/me/dispatch-requests/{id}"), session)
        .await;
    assert_eq!(
        mine.body["answer"],
        json!([
            { "slot_id": day, "available": true, "duties": ["health_observation"] },
            { "slot_id": night, "available": false, "duties": [] },
        ])
    );
    assert_eq!(mine.body["note"], "夜は不可です");

    // The operator plans and confirms; the same link now takes the formal request.
    let plan = json!({ "changes": [{ "slot_id": day, "member_id": member, "assign": true }] });
    assert_eq!(
        server
            .post(
                &format!("/api/v1/dispatch-requests/{id}/assignments"),
                &w.tokyo,
                plan
            )
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        server
            .post(
                &format!("/api/v1/dispatch-requests/{id}/confirm"),
                &w.tokyo,
                json!(null)
            )
            .await
            .status,
        StatusCode::OK
    );
    driver
        .call(
            Method::POST,
            &format!("{s}/url"),
            Some(json!({ "url": format!("{}/dispatch/answer/{token}", server.base) })),
        )
        .await;
    driver.wait_for(&s, "正式依頼").await;
    driver.click(&s, ".formal form:not(.decline) button").await;
    driver.wait_for(&s, "ご回答を受け付けました").await;
    let mine = server
        .get(&format!("/api/v1/me/dispatch-requests/{id}"), session)
        .await;
    assert_eq!(
        mine.body["assignments"][0]["status"], "accepted",
        "{:?}",
        mine.body
    );
    driver.call(Method::DELETE, &s, None).await;
    server.stop().await;
}
