//! The acceptance scenario of daily reports, totals and utilisation, walked as its users walk
//! it on the real `ouen-server serve` (its outbox writing each e-mail as an `.eml` file), on
//! either backend:
//!
//! 1. 東京都's request has been sent, planned, confirmed and accepted, and its seats worked;
//! 2. the members file a daily report for every accepted seat, one of them through the link
//!    of the reminder e-mail in headless Chromium at phone size;
//! 3. 東京都 returns one with a comment; the member (told in its inbox) corrects it, and every
//!    version is kept;
//! 4. 東京都 approves them all;
//! 5. each member's history and the request's fill rate show the right numbers;
//! 6. the honorarium export opens in Japanese Excel (CP932) with its totals;
//! 7. the ministry's national view shows 東京都's dispatch days;
//! 8. 神奈川県 sees none of it.

use ouen_tests::browser::Driver;
use ouen_tests::dispatch::{planned_request, world_of};
use ouen_tests::mail::ServerProcess;
use ouen_tests::reports::{file_in_browser, report, report_link_in_mail, worked};
use ouen_tests::{TestDatabase, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Minutes a report of [`report`] works: 09:00–17:30 less a 45-minute break.
const WORKED: i64 = 465;

/// The JST day (of November 2026) a seat of slot `index` is worked on.
fn day_of(slot: usize) -> u32 {
    2 + slot as u32 / 2
}

/// A report of `slot`'s seat: the day slot's times as [`report`] has them, the night slot's
/// 22:00–06:00 (the same minutes worked after its break).
fn report_of(assignment: i64, slot: usize) -> Value {
    let day = day_of(slot);
    let mut body = report(assignment, day);
    if slot % 2 == 1 {
        body["starts_at"] = json!(format!("2026-11-{day:02}T22:00:00+09:00"));
        body["ends_at"] = json!(format!("2026-11-{:02}T06:30:00+09:00", day + 1));
    }
    body
}

#[tokio::test]
async fn reports_are_filed_returned_corrected_approved_and_counted_in_scope() {
    let test = "reports_are_filed_returned_corrected_approved_and_counted_in_scope";
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
    let admin = server.admin("scenario-admin").await;
    let (_, ministry) = server
        .issue(
            &admin,
            json!({ "login": "mhlw", "display_name": "厚生労働省 健康局", "role": "national" }),
        )
        .await;

    // 1. The request, worked: every member accepted its seats.
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;
    let accepted: usize = seats.iter().map(Vec::len).sum();
    assert!(accepted >= 3, "{seats:?}");

    // 2. The reminder reaches every seat; the second member files its first seat through the
    //    e-mail's link in a browser, everything else is filed through the API.
    let reminded = server
        .store
        .remind_unreported(chrono::Utc::now(), chrono::Duration::hours(2))
        .await
        .expect("remind");
    assert_eq!(reminded as usize, accepted);
    let (browser_seat, browser_slot) = seats[1][0];
    let link = report_link_in_mail(
        &server,
        &w.tokyo,
        outbox.path(),
        w.approved[1].0,
        browser_seat,
    )
    .await;
    let driver = Driver::start(test).await.expect("a headless Chromium");
    let session = driver.session(390, 844).await;
    let s = format!("/session/{session}");
    file_in_browser(&driver, &s, &link, "45", "30", "電話での健康観察30名").await;
    driver.call(Method::DELETE, &s, None).await;
    let mut report_ids = Vec::new();
    for (member, (_, token)) in seats.iter().zip(&w.approved) {
        for (assignment, slot) in member {
            if *assignment == browser_seat {
                continue;
            }
            let filed = server
                .post(
                    "/api/v1/me/daily-reports",
                    token,
                    report_of(*assignment, *slot),
                )
                .await;
            assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.body);
            report_ids.push(filed.body["id"].as_i64().expect("id"));
        }
    }
    let queue = server
        .get(
            &format!("/api/v1/daily-reports?status=submitted&request_id={id}"),
            &w.tokyo,
        )
        .await;
    assert_eq!(queue.body["total"], accepted as i64, "{:?}", queue.body);
    let browser_report = queue.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["assignment_id"] == browser_seat)
        .expect("the report filed in the browser")
        .clone();
    assert_eq!(browser_report["notes"], "電話での健康観察30名");
    let day = day_of(browser_slot);
    assert!(
        browser_report["starts_at"]
            .as_str()
            .is_some_and(|at| at.starts_with(&format!("2026-11-{day:02}"))),
        "the form was filled with the slot: {browser_report}"
    );
    report_ids.push(browser_report["id"].as_i64().expect("id"));

    // 3. 東京都 returns the third member's first report; the member is told and corrects it.
    let (returned_seat, returned_slot) = seats[2][0];
    let returned_id = queue.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["assignment_id"] == returned_seat)
        .and_then(|r| r["id"].as_i64())
        .expect("the third member's report");
    let path = format!("/api/v1/daily-reports/{returned_id}");
    let back = server
        .post(
            &format!("{path}/return"),
            &w.tokyo,
            json!({ "comment": "休憩は60分ではありませんか。確認してください。" }),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    let member = &w.approved[2].1;
    let inbox = server.get("/api/v1/inbox", member).await;
    assert!(
        inbox.body["items"].as_array().is_some_and(|items| items
            .iter()
            .any(|m| m["body"].as_str().is_some_and(|b| b.contains("休憩は60分")))),
        "{:?}",
        inbox.body
    );
    let mut fixed = report_of(returned_seat, returned_slot);
    fixed["break_minutes"] = json!(60);
    let corrected = server
        .call(
            Method::PUT,
            &format!("/api/v1/me/daily-reports/{returned_id}"),
            Some(member),
            Some(fixed),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{:?}", corrected.body);
    assert_eq!(corrected.body["status"], "submitted");

    // 4. 東京都 approves them all.
    for r in &report_ids {
        let approved = server
            .post(
                &format!("/api/v1/daily-reports/{r}/approve"),
                &w.tokyo,
                json!(null),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    }
    let read = server.get(&path, &w.tokyo).await;
    let statuses: Vec<&str> = read.body["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["submitted", "returned", "submitted", "approved"]);
    assert_eq!(read.body["versions"][2]["break_minutes"], 60);

    // 5. Each member's history (to itself and to 東京都), and the request's fill rate.
    let mut all_days = 0;
    let mut all_minutes = 0;
    for (i, (member, (member_id, token))) in seats.iter().zip(&w.approved).enumerate() {
        let days: BTreeSet<u32> = member.iter().map(|(_, slot)| day_of(*slot)).collect();
        let minutes: i64 = member
            .iter()
            .map(|(seat, _)| match *seat {
                // Its break is an hour.
                s if s == returned_seat => WORKED - 15,
                // The browser's form keeps the slot's eight hours, less the 45 minutes typed.
                s if s == browser_seat => 8 * 60 - 45,
                _ => WORKED,
            })
            .sum();
        all_days += days.len() as i64;
        all_minutes += minutes;
        let own = server.get("/api/v1/me/dispatch-history", token).await;
        assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
        assert_eq!(own.body["dispatches"], 1, "member {i}");
        assert_eq!(own.body["days"], days.len() as i64, "member {i}");
        assert_eq!(own.body["minutes"], minutes, "member {i}");
        let theirs = server
            .get(
                &format!("/api/v1/members/{member_id}/dispatch-history"),
                &w.tokyo,
            )
            .await;
        assert_eq!(theirs.body, own.body, "member {i}");
    }
    let totals = server
        .get(&format!("/api/v1/dispatch-requests/{id}/totals"), &w.tokyo)
        .await;
    assert_eq!(totals.status, StatusCode::OK, "{:?}", totals.body);
    assert_eq!(totals.body["accepted"], accepted as i64);
    assert_eq!(totals.body["reports_filed"], accepted as i64);
    assert_eq!(totals.body["reports_approved"], accepted as i64);
    let needed = totals.body["needed"].as_i64().expect("needed");
    let rate = totals.body["fill_rate"].as_f64().expect("fill rate");
    assert!(
        (rate - accepted as f64 / needed as f64).abs() < 1e-9,
        "{rate}"
    );

    // 6. The honorarium export for November, in CP932 with its totals sheet.
    let (status, _, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/daily-reports/export?month=2026-11&sheet=totals&encoding=cp932",
            &w.tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "every character in CP932");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "登録コード,氏名,日報数,勤務日数,実働（分）,実働（時間）"
    );
    assert_eq!(lines.len(), 2 + w.approved.len(), "{text}");
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with(&format!(",合計,{accepted},{all_days},{all_minutes},"))),
        "{text}"
    );

    // 7. The ministry sees 東京都's dispatch days nationally.
    let november = "/api/v1/utilisation/dispatch?from=2026-11-01&to=2026-11-30";
    let national = server.get(november, &ministry).await;
    assert_eq!(national.status, StatusCode::OK, "{:?}", national.body);
    assert_eq!(
        national.body.as_array().map(Vec::len),
        Some(1),
        "{:?}",
        national.body
    );
    assert_eq!(national.body[0]["prefecture_code"], "13");
    assert_eq!(national.body[0]["days_worked"], all_days);
    assert_eq!(national.body[0]["minutes_worked"], all_minutes);
    assert_eq!(national.body[0]["seats_accepted"], accepted as i64);

    // 8. 神奈川県 sees none of it: no report, no history, no figure, an empty export.
    let k = &w.kanagawa;
    assert_eq!(
        server.get("/api/v1/daily-reports", k).await.body["total"],
        0
    );
    assert_eq!(server.get(&path, k).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        server
            .get(&format!("/api/v1/dispatch-requests/{id}/totals"), k)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(
                &format!("/api/v1/members/{}/dispatch-history", w.approved[0].0),
                k
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(server.get(november, k).await.body, json!([]));
    let series = server
        .get(
            "/api/v1/utilisation/series?from=2026-11-01&to=2026-11-30",
            k,
        )
        .await;
    assert!(
        series.body.as_array().is_some_and(|steps| steps
            .iter()
            .all(|s| s["days_worked"] == 0 && s["seats_needed"] == 0)),
        "{:?}",
        series.body
    );
    let (status, _, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/daily-reports/export?month=2026-11&encoding=cp932",
            k,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert_eq!(text.lines().count(), 1, "the header alone: {text}");
    process.stop();
}
