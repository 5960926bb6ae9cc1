//! The reminder to report and its personal link, on the real `ouen-server serve` (whose
//! outbox writes each e-mail as an `.eml` file) on either backend: members whose accepted
//! seats ended with no report are reminded once each (a second run, as from another instance,
//! reminds nobody); the e-mail carries the link to the seat's report page; a bad report posted
//! there is refused beside its fields and saves nothing; in a real headless Chromium at phone
//! size the member files it, and the requester sees it filed through the link.

use ouen_tests::browser::Driver;
use ouen_tests::dispatch::{planned_request, world_of};
use ouen_tests::mail::ServerProcess;
use ouen_tests::reports::{file_in_browser, report, report_link_in_mail, worked};
use ouen_tests::{TestDatabase, TestServer};
use reqwest::StatusCode;
use std::sync::Arc;

#[tokio::test]
async fn a_reminded_member_files_its_report_through_the_link() {
    let test = "a_reminded_member_files_its_report_through_the_link";
    let database = Arc::new(TestDatabase::create().await);
    let outbox = tempfile::tempdir().expect("outbox folder");
    let process = ServerProcess::start_public(
        &database.url,
        &[
            ("OUEN_MAIL_OUTBOX_DIR", outbox.path().display().to_string()),
            ("OUEN_MAIL_POLL_MS", "20".into()),
        ],
    );
    let server = TestServer::external(database.clone(), process.base.clone()).await;
    let w = world_of(&server, 3).await;
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;
    let accepted: usize = seats.iter().map(Vec::len).sum();

    // One seat is reported already: it is not reminded.
    let (first, _) = seats[0][0];
    let day = 2 + seats[0][0].1 as u32 / 2;
    let filed = server
        .post(
            "/api/v1/me/daily-reports",
            &w.approved[0].1,
            report(first, day),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.body);

    // Every other seat ended weeks ago: reminded once, however many instances run it.
    let now = chrono::Utc::now();
    let reminded = server
        .store
        .remind_unreported(now, chrono::Duration::hours(2))
        .await
        .expect("remind");
    assert_eq!(reminded as usize, accepted - 1);
    let again = server
        .store
        .remind_unreported(now, chrono::Duration::hours(2))
        .await
        .expect("remind again");
    assert_eq!(again, 0, "nobody is reminded twice");
    let inbox = server.get("/api/v1/inbox", &w.approved[1].1).await;
    assert!(
        inbox.body["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|m| m["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("【日報のお願い】")))),
        "{:?}",
        inbox.body
    );

    // The e-mail of the second member's seat carries the link to its report page.
    let (member, session) = (w.approved[1].0, w.approved[1].1.clone());
    let (seat, _) = seats[1][0];
    let link = report_link_in_mail(&server, &w.tokyo, outbox.path(), member, seat).await;

    // A bad report posted there is refused beside its fields; nothing is saved.
    let http = reqwest::Client::new();
    let refused = http
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("date=12%E6%9C%88&start=09%3A00&end=17%3A30&break_minutes=-5&duty=health_observation&count.health_observation=-3")
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("page");
    assert!(page.contains("日報を保存できませんでした"), "{page}");
    assert!(page.matches("field-error").count() >= 2, "{page}");
    // Hostile input: a NUL, 10,000 characters, full-width digits beside a bad break; each is
    // refused beside its field (never a server error) and saves nothing.
    let long = "あ".repeat(10_000);
    for body in [
        "date=2026-11-02&start=09%3A00&end=17%3A00&duty=health_observation&notes=a%00b".to_string(),
        format!("date=2026-11-02&start=09%3A00&end=17%3A00&duty=health_observation&notes={long}"),
        "date=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-%EF%BC%91%EF%BC%91-%EF%BC%90%EF%BC%92&start=%EF%BC%90%EF%BC%99%EF%BC%9A%EF%BC%90%EF%BC%90&end=17%3A00&break_minutes=%EF%BC%8D%EF%BC%95&duty=%00".to_string(),
        format!("date={long}&start={long}&end=%00&break_minutes={long}"),
    ] {
        let answer = http
            .post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .expect("post");
        assert_eq!(
            answer.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &body[..body.len().min(120)]
        );
    }
    let mine = server.get("/api/v1/me/daily-reports", &session).await;
    assert_eq!(mine.body["total"], 0, "nothing saved");
    // Another site cannot post it; another seat's number opens nothing.
    let forged = http
        .post(&link)
        .header("sec-fetch-site", "cross-site")
        .body("date=2026-11-02")
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    let elsewhere = link.replace(&format!("/reports/{seat}"), &format!("/reports/{first}"));
    assert_eq!(
        http.get(&elsewhere).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );

    // In a browser at phone size: the form is filled with the slot; the member adds its
    // break and a count, and files it.
    if let Some(driver) = Driver::start(test).await {
        let browser = driver.session(390, 844).await;
        let s = format!("/session/{browser}");
        driver
            .call(
                reqwest::Method::POST,
                &format!("{s}/url"),
                Some(serde_json::json!({ "url": link })),
            )
            .await;
        let source = driver.wait_for(&s, "日報の提出").await;
        let widths = driver
            .call(
                reqwest::Method::POST,
                &format!("{s}/execute/sync"),
                Some(serde_json::json!({ "script": "return [document.documentElement.scrollWidth, window.innerWidth];", "args": [] })),
            )
            .await;
        assert!(
            source.contains("break_minutes") && widths[0].as_i64() <= widths[1].as_i64(),
            "no horizontal overflow: {widths}"
        );
        file_in_browser(&driver, &s, &link, "45", "28", "電話での健康観察28名").await;
        driver.call(reqwest::Method::DELETE, &s, None).await;
        let mine = server.get("/api/v1/me/daily-reports", &session).await;
        assert_eq!(mine.body["total"], 1, "{:?}", mine.body);
        let r = &mine.body["items"][0];
        assert_eq!(r["assignment_id"], seat);
        assert_eq!(r["break_minutes"], 45);
        assert_eq!(r["notes"], "電話での健康観察28名");
        assert!(
            r["counts"].as_array().is_some_and(|c| c
                .iter()
                .any(|c| c["duty"] == "health_observation" && c["count"] == 28)),
            "{r}"
        );
        // The requester sees it, filed by the member through its link.
        let read = server
            .get(&format!("/api/v1/daily-reports/{}", r["id"]), &w.tokyo)
            .await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        assert_eq!(
            read.body["versions"][0]["changed_by"],
            read.body["member_name"]
        );
    }
    process.stop();
}
