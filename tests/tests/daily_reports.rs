//! Daily reports over HTTP on either backend: a member reports the seats it accepted once
//! their slots have ended; bad reports are refused field by field and nothing is stored; the
//! requesting prefecture returns one with a comment (the member is told), the member corrects
//! it, the prefecture approves it (locked) and can reopen it; every version is kept; another
//! prefecture and another member see none of it.

use ouen_tests::dispatch::{planned_request, world_of};
use ouen_tests::reports::{report, worked};
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn a_member_reports_its_accepted_seats_and_the_prefecture_reviews_them() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;
    let (member, token) = (w.approved[0].0, w.approved[0].1.clone());
    // The first member said yes to day slots only.
    let day_seat = seats[0]
        .iter()
        .copied()
        .find(|(_, i)| i % 2 == 0)
        .expect("a day seat");
    let day = 2 + day_seat.1 as u32 / 2;

    // Its ended seats are due.
    let due = server.get("/api/v1/me/daily-reports/due", &token).await;
    assert_eq!(due.status, StatusCode::OK, "{:?}", due.body);
    let due_ids: Vec<i64> = due
        .body
        .as_array()
        .expect("due")
        .iter()
        .map(|d| d["assignment_id"].as_i64().expect("assignment"))
        .collect();
    assert_eq!(due_ids.len(), seats[0].len());
    assert!(due_ids.contains(&day_seat.0));

    // Bad reports are refused beside their fields, and nothing is stored.
    let file = |body: Value| {
        let (server, token) = (&server, token.clone());
        async move { server.post("/api/v1/me/daily-reports", &token, body).await }
    };
    let mut bad = report(day_seat.0, day);
    bad["break_minutes"] = json!(600);
    bad["counts"] = json!([{ "duty": "health_observation", "count": -3 }, { "duty": "specimen_collection", "count": 1 }]);
    bad["duties"] = json!(["health_observation", "specimen_collection"]);
    let refused = file(bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.fields(), ["break_minutes", "counts.0.count"]);
    // A duty the request does not have is named once the report's own rules hold.
    let mut other_duty = report(day_seat.0, day);
    other_duty["duties"] = json!(["health_observation", "specimen_collection"]);
    other_duty["counts"] = json!([]);
    let refused = file(other_duty).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.fields(), ["duties.1"]);
    // Dated before the slot's day; work not done yet.
    let mut early = report(day_seat.0, day);
    early["starts_at"] = json!(format!("2026-11-{:02}T09:00:00+09:00", day - 1));
    early["ends_at"] = json!(format!("2026-11-{:02}T17:30:00+09:00", day - 1));
    let mut ahead = report(day_seat.0, day);
    ahead["starts_at"] = json!("2099-01-01T09:00:00+09:00");
    ahead["ends_at"] = json!("2099-01-01T17:30:00+09:00");
    for (body, field) in [(early, "starts_at"), (ahead, "ends_at")] {
        let refused = file(body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            refused.body
        );
        assert_eq!(refused.fields(), [field]);
    }
    // A seat of someone else, or none at all, is no seat to report.
    let other_seat = seats[1][0].0;
    for seat in [other_seat, i64::MAX] {
        let refused = file(report(seat, day)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.fields(), ["assignment_id"]);
    }
    assert_eq!(
        server.db_number("SELECT COUNT(*) FROM daily_reports").await,
        0
    );

    // Filed: submitted, the minutes worked counted; once per seat.
    let filed = file(report(day_seat.0, day)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.body);
    assert_eq!(filed.body["status"], "submitted");
    assert_eq!(filed.body["version"], 1);
    assert_eq!(filed.body["worked_minutes"], 8 * 60 + 30 - 45);
    assert_eq!(filed.body["member_id"], member);
    let report_id = filed.body["id"].as_i64().expect("report id");
    let twice = file(report(day_seat.0, day)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // A second seat of the same member cannot overlap the first report.
    if let Some((second, _)) = seats[0].iter().copied().find(|s| *s != day_seat) {
        let refused = file(report(second, day)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            refused.body
        );
        assert!(
            refused.fields().contains(&"starts_at".to_string()),
            "{:?}",
            refused.body
        );
    }
    let due = server.get("/api/v1/me/daily-reports/due", &token).await;
    assert_eq!(due.body.as_array().expect("due").len(), seats[0].len() - 1);

    // Another prefecture and another member see none of it.
    let path = format!("/api/v1/daily-reports/{report_id}");
    assert_eq!(
        server.get(&path, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = server.get("/api/v1/daily-reports", &w.kanagawa).await;
    assert_eq!(theirs.body["total"], 0);
    assert_eq!(
        server
            .call(
                Method::PUT,
                &format!("/api/v1/me/daily-reports/{report_id}"),
                Some(&w.approved[1].1),
                Some(report(day_seat.0, day))
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let others = server
        .get("/api/v1/me/daily-reports", &w.approved[1].1)
        .await;
    assert_eq!(others.body["total"], 0);

    // 東京都 sees it waiting, and returns it with a comment (required); the member is told.
    let waiting = server
        .get(
            &format!("/api/v1/daily-reports?status=submitted&request_id={id}"),
            &w.tokyo,
        )
        .await;
    assert_eq!(waiting.status, StatusCode::OK, "{:?}", waiting.body);
    assert_eq!(waiting.body["total"], 1);
    let decide = |what: &str, body: Value| {
        let (server, path, token) = (&server, format!("{path}/{what}"), w.tokyo.clone());
        async move { server.post(&path, &token, body).await }
    };
    let without = decide("return", json!({ "comment": "  " })).await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(without.fields(), ["comment"]);
    let returned = decide("return", json!({ "comment": "休憩時間を確認してください" })).await;
    assert_eq!(returned.status, StatusCode::OK, "{:?}", returned.body);
    assert_eq!(returned.body["status"], "returned");
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM inbox_messages WHERE body LIKE '%休憩時間を確認してください%'")
            .await,
        1
    );
    // A returned report waits for the member: it cannot be approved.
    assert_eq!(
        decide("approve", json!(null)).await.status,
        StatusCode::CONFLICT
    );

    // The member corrects it; 東京都 approves; it is locked until reopened.
    let correct = |body: Value| {
        let (server, token) = (&server, token.clone());
        let path = format!("/api/v1/me/daily-reports/{report_id}");
        async move {
            server
                .call(Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };
    let mut fixed = report(day_seat.0, day);
    fixed["break_minutes"] = json!(60);
    let corrected = correct(fixed.clone()).await;
    assert_eq!(corrected.status, StatusCode::OK, "{:?}", corrected.body);
    assert_eq!(corrected.body["status"], "submitted");
    assert_eq!(corrected.body["version"], 3);
    let approved = decide("approve", json!(null)).await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(correct(fixed.clone()).await.status, StatusCode::CONFLICT);
    let reopened = decide("reopen", json!({ "comment": "件数の訂正をお願いします" })).await;
    assert_eq!(reopened.status, StatusCode::OK, "{:?}", reopened.body);
    assert_eq!(reopened.body["status"], "returned");
    fixed["counts"] = json!([{ "duty": "health_observation", "count": 30 }]);
    assert_eq!(correct(fixed).await.status, StatusCode::OK);
    let approved = decide("approve", json!(null)).await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);

    // Every version is kept, with who changed it and the comments.
    let read = server.get(&path, &w.tokyo).await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    let versions = read.body["versions"].as_array().expect("versions");
    let statuses: Vec<&str> = versions
        .iter()
        .map(|v| v["status"].as_str().expect("status"))
        .collect();
    assert_eq!(
        statuses,
        [
            "submitted",
            "returned",
            "submitted",
            "approved",
            "returned",
            "submitted",
            "approved"
        ]
    );
    assert_eq!(versions[1]["comment"], "休憩時間を確認してください");
    assert_eq!(versions[4]["comment"], "件数の訂正をお願いします");
    assert_eq!(versions[0]["break_minutes"], 45);
    assert_eq!(versions[6]["counts"].as_array().expect("counts").len(), 1);
    assert_eq!(read.body["worked_minutes"], 8 * 60 + 30 - 60);

    // The member of two prefectures reports a seat too, and 東京都 approves it.
    let (third, third_token) = (w.approved[2].0, w.approved[2].1.clone());
    let (seat, slot) = seats[2][0];
    let (starts, ends) = if slot % 2 == 0 {
        ("09:00", "17:00")
    } else {
        ("22:00", "06:00")
    };
    let night_day = 2 + slot as u32 / 2;
    let next = if slot % 2 == 0 {
        night_day
    } else {
        night_day + 1
    };
    let theirs = server
        .post(
            "/api/v1/me/daily-reports",
            &third_token,
            json!({
                "assignment_id": seat,
                "starts_at": format!("2026-11-{night_day:02}T{starts}:00+09:00"),
                "ends_at": format!("2026-11-{next:02}T{ends}:00+09:00"),
                "break_minutes": 60,
                "duties": ["active_investigation"],
            }),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{:?}", theirs.body);
    let approved = server
        .post(
            &format!("/api/v1/daily-reports/{}/approve", theirs.body["id"]),
            &w.tokyo,
            json!(null),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);

    // The request's totals and the member's history count what happened.
    let totals = server
        .get(&format!("/api/v1/dispatch-requests/{id}/totals"), &w.tokyo)
        .await;
    assert_eq!(totals.status, StatusCode::OK, "{:?}", totals.body);
    let accepted: usize = seats.iter().map(Vec::len).sum();
    assert_eq!(totals.body["asked"], 3);
    assert_eq!(totals.body["answered"], 3);
    assert_eq!(totals.body["available"], 3);
    assert_eq!(totals.body["needed"], 9);
    assert_eq!(totals.body["accepted"], accepted);
    assert_eq!(totals.body["reports_filed"], 2);
    assert_eq!(totals.body["reports_approved"], 2);
    let rate = totals.body["fill_rate"].as_f64().expect("fill rate");
    assert!((rate - accepted as f64 / 9.0).abs() < 1e-9, "{rate}");
    assert_eq!(
        server
            .get(
                &format!("/api/v1/dispatch-requests/{id}/totals"),
                &w.kanagawa
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mine = server.get("/api/v1/me/dispatch-history", &token).await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert_eq!(mine.body["dispatches"], 1);
    assert_eq!(mine.body["days"], 1);
    assert_eq!(mine.body["minutes"], 8 * 60 + 30 - 60);
    assert_eq!(
        mine.body["by_prefecture"],
        json!([{ "key": "13", "days": 1, "minutes": 450 }])
    );
    assert_eq!(mine.body["by_duty"].as_array().expect("duties").len(), 2);
    assert_eq!(mine.body["last_worked_on"], format!("2026-11-{day:02}"));
    let seen = server
        .get(
            &format!("/api/v1/members/{member}/dispatch-history"),
            &w.tokyo,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body, mine.body);
    // 神奈川県 does not have the first member in its roster; the member of both prefectures
    // it has, but none of 東京都's dispatches count for it.
    assert_eq!(
        server
            .get(
                &format!("/api/v1/members/{member}/dispatch-history"),
                &w.kanagawa
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let theirs = server
        .get(
            &format!("/api/v1/members/{third}/dispatch-history"),
            &w.kanagawa,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{:?}", theirs.body);
    assert_eq!(theirs.body["dispatches"], 0);
    assert_eq!(theirs.body["minutes"], 0);
    let by_tokyo = server
        .get(
            &format!("/api/v1/members/{third}/dispatch-history"),
            &w.tokyo,
        )
        .await;
    assert_eq!(by_tokyo.body["dispatches"], 1);
    assert_eq!(by_tokyo.body["minutes"], 7 * 60);

    // The roster's "dispatched since" and "never dispatched" read the approved reports.
    let since = server
        .get("/api/v1/members?dispatched_since=2026-11-01", &w.tokyo)
        .await;
    assert_eq!(since.status, StatusCode::OK, "{:?}", since.body);
    let mut ids: Vec<i64> = since.body["items"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    assert_eq!(ids, [member, third]);
    let never = server
        .get("/api/v1/members?never_dispatched=true", &w.tokyo)
        .await;
    assert!(never.body["items"]
        .as_array()
        .expect("members")
        .iter()
        .all(|m| m["id"] != member && m["id"] != third));

    let admin = server.login("jimukyoku", ouen_tests::PASSWORD).await;
    for action in [
        "report.file",
        "report.correct",
        "report.return",
        "report.approve",
        "report.reopen",
        "report.read",
        "report.list",
        "member.history",
    ] {
        assert!(
            !server.audit(&admin, action).await.is_empty(),
            "{action} not audited"
        );
    }
    server.stop().await;
}
