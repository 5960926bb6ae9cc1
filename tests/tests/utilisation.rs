//! Utilisation tables over HTTP on either backend, counted in the caller's scope: after 東京都's
//! request is worked and its reports approved, 東京都 and the admin see the same figures for
//! 東京都, 神奈川県 sees none of them; the member table shows each prefecture only its own
//! memberships; a member may not read them; a period that cannot be read is refused.

use ouen_tests::dispatch::{planned_request, world_of};
use ouen_tests::reports::{report, worked};
use ouen_tests::TestServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn sum(rows: &Value, key: &str, filter: impl Fn(&Value) -> bool) -> i64 {
    rows.as_array()
        .expect("rows")
        .iter()
        .filter(|r| filter(r))
        .map(|r| r[key].as_i64().expect("a number"))
        .sum()
}

#[tokio::test]
async fn utilisation_counts_follow_the_callers_scope() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let admin = server.admin("tokei").await;
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;
    let accepted: usize = seats.iter().map(Vec::len).sum();
    let mut approved = 0;
    for (member, (_, token)) in seats.iter().zip(&w.approved) {
        for (assignment, slot) in member.iter().filter(|(_, i)| i % 2 == 0) {
            let day = 2 + *slot as u32 / 2;
            let r = server
                .post("/api/v1/me/daily-reports", token, report(*assignment, day))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            let a = server
                .post(
                    &format!("/api/v1/daily-reports/{}/approve", r.body["id"]),
                    &w.tokyo,
                    json!(null),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
            approved += 1;
        }
    }

    let november = "/api/v1/utilisation/dispatch?from=2026-11-01&to=2026-11-30";
    let tokyo = server.get(november, &w.tokyo).await;
    assert_eq!(tokyo.status, StatusCode::OK, "{:?}", tokyo.body);
    let row = &tokyo.body[0];
    assert_eq!(
        tokyo.body.as_array().map(Vec::len),
        Some(1),
        "{:?}",
        tokyo.body
    );
    assert_eq!(row["prefecture_code"], "13");
    assert_eq!(row["requests"], 1);
    assert_eq!(row["asked"], 3);
    assert_eq!(row["answered"], 3);
    assert_eq!(row["seats_accepted"], accepted as i64);
    assert_eq!(row["seats_assigned"], accepted as i64);
    assert_eq!(
        row["days_worked"], approved as i64,
        "one report a member-day"
    );
    assert_eq!(row["minutes_worked"], 465 * approved as i64);
    // The admin sees the same figures for 東京都; 神奈川県 sees none of them.
    let everyone = server.get(november, &admin).await;
    assert_eq!(everyone.status, StatusCode::OK);
    assert_eq!(everyone.body, tokyo.body);
    let kanagawa = server.get(november, &w.kanagawa).await;
    assert_eq!(kanagawa.status, StatusCode::OK);
    assert_eq!(kanagawa.body, json!([]));
    // Another month has nothing.
    let october = server
        .get(
            "/api/v1/utilisation/dispatch?from=2026-10-01&to=2026-10-31",
            &w.tokyo,
        )
        .await;
    assert_eq!(october.body, json!([]));

    // Members: each prefecture sees only its own memberships.
    let mine = server.get("/api/v1/utilisation/members", &w.tokyo).await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert!(mine
        .body
        .as_array()
        .is_some_and(|rows| rows.iter().all(|r| r["prefecture_code"] == "13")));
    let all = server.get("/api/v1/utilisation/members", &admin).await;
    let theirs = server.get("/api/v1/utilisation/members", &w.kanagawa).await;
    assert!(theirs
        .body
        .as_array()
        .is_some_and(|rows| !rows.is_empty() && rows.iter().all(|r| r["prefecture_code"] == "14")));
    for (code, view) in [("13", &mine.body), ("14", &theirs.body)] {
        assert_eq!(
            sum(view, "members", |_| true),
            sum(&all.body, "members", |r| r["prefecture_code"] == code),
            "{code}"
        );
    }
    assert!(sum(&mine.body, "members", |r| r["status"] == "approved") >= 3);

    // The same tables as CSV for Excel: CP932, Japanese headers, the same figures.
    let (status, _, bytes) = server
        .send_bytes(
            reqwest::Method::GET,
            "/api/v1/utilisation/dispatch/export?from=2026-11-01&to=2026-11-30&encoding=cp932",
            &w.tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("都道府県コード,都道府県,派遣要請数"),
        "{text}"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with("13,東京都,1,3,3,")
            && lines[1].ends_with(&format!(",{approved},{}", 465 * approved)),
        "{text}"
    );
    let (status, _, bytes) = server
        .send_bytes(
            reqwest::Method::GET,
            "/api/v1/utilisation/members/export",
            &w.kanagawa,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8 after the BOM");
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("14,神奈川県,")),
        "{text}"
    );

    // A member may not read them; a period that cannot be read is refused beside its field.
    let member = &w.approved[0].1;
    for path in ["/api/v1/utilisation/members", november] {
        assert_eq!(
            server.get(path, member).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for (query, field) in [
        ("", "from"),
        ("?from=2026-11-30&to=2026-11-01", "to"),
        ("?from=2020-01-01&to=2026-11-01", "to"),
        ("?from=2026-11-01&to=tomorrow", "to"),
    ] {
        let refused = server
            .get(&format!("/api/v1/utilisation/dispatch{query}"), &w.tokyo)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(refused.fields()[0], field, "{query}");
    }
}

/// The member-days of `seats` per day of the worked request (2026-11-02 to 04): members with a
/// seat that day.
fn busy_per_day(seats: &[Vec<(i64, usize)>]) -> Vec<i64> {
    (0..3)
        .map(|day| {
            seats
                .iter()
                .filter(|member| member.iter().any(|(_, slot)| slot / 2 == day))
                .count() as i64
        })
        .collect()
}

fn row<'a>(capacity: &'a Value, code: &str, way: &str) -> Option<&'a Value> {
    capacity["rows"].as_array().expect("rows").iter().find(|r| {
        r["prefecture_code"] == code && r["profession"] == "public_health_nurse" && r["way"] == way
    })
}

#[tokio::test]
async fn series_and_capacity_ahead_follow_the_callers_scope() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let admin = server.admin("tokei").await;
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;
    let busy = busy_per_day(&seats);
    let mut approved = 0;
    for (member, (_, token)) in seats.iter().zip(&w.approved) {
        for (assignment, slot) in member.iter().filter(|(_, i)| i % 2 == 0) {
            let r = server
                .post(
                    "/api/v1/me/daily-reports",
                    token,
                    report(*assignment, 2 + *slot as u32 / 2),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            let path = format!("/api/v1/daily-reports/{}/approve", r.body["id"]);
            let a = server.post(&path, &w.tokyo, json!(null)).await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
            approved += 1;
        }
    }

    // November by week: 1 November is a Sunday, so the first step is one day long; the work
    // of 2 to 4 November falls in the second.
    let november = "/api/v1/utilisation/series?from=2026-11-01&to=2026-11-30";
    let tokyo = server.get(november, &w.tokyo).await;
    assert_eq!(tokyo.status, StatusCode::OK, "{:?}", tokyo.body);
    let steps = tokyo.body.as_array().expect("steps");
    let starts: Vec<&str> = steps
        .iter()
        .map(|s| s["starts_on"].as_str().expect("day"))
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-01",
            "2026-11-02",
            "2026-11-09",
            "2026-11-16",
            "2026-11-23",
            "2026-11-30"
        ]
    );
    assert_eq!(steps[0]["ends_on"], "2026-11-01");
    assert_eq!(steps[5]["ends_on"], "2026-11-30");
    let second = &steps[1];
    assert_eq!(second["seats_needed"], 9);
    assert_eq!(
        second["seats_accepted"],
        seats.iter().map(Vec::len).sum::<usize>() as i64
    );
    assert_eq!(second["days_worked"], approved);
    assert_eq!(second["minutes_worked"], 465 * approved);
    for (i, s) in steps.iter().enumerate().filter(|(i, _)| *i != 1) {
        assert_eq!(s["seats_needed"], 0, "step {i}");
        assert_eq!(s["days_worked"], 0, "step {i}");
    }
    assert_eq!(server.get(november, &admin).await.body, tokyo.body);
    let theirs = server.get(november, &w.kanagawa).await;
    assert!(
        theirs.body.as_array().expect("steps").iter().all(|s| {
            s["seats_needed"] == 0 && s["days_worked"] == 0 && s["minutes_worked"] == 0
        }),
        "{:?}",
        theirs.body
    );

    // Today, by month: the registrations, approvals, request and answers just made.
    let today = chrono::Utc::now()
        .with_timezone(&ouen_shared::time::jst())
        .date_naive();
    let recent = format!(
        "/api/v1/utilisation/series?from={}&to={today}&interval=month",
        today.pred_opt().expect("yesterday")
    );
    let figures = |body: &Value, key: &str| -> i64 {
        body.as_array()
            .expect("steps")
            .iter()
            .map(|s| s[key].as_i64().unwrap_or(0))
            .sum()
    };
    let tokyo = server.get(&recent, &w.tokyo).await;
    assert_eq!(tokyo.status, StatusCode::OK, "{:?}", tokyo.body);
    assert_eq!(figures(&tokyo.body, "registrations"), 4, "{:?}", tokyo.body);
    assert_eq!(figures(&tokyo.body, "approvals"), 3);
    assert_eq!(figures(&tokyo.body, "requests_sent"), 1);
    assert_eq!(figures(&tokyo.body, "asked"), 3);
    assert_eq!(figures(&tokyo.body, "answered"), 3);
    let kanagawa = server.get(&recent, &w.kanagawa).await;
    assert_eq!(
        figures(&kanagawa.body, "registrations"),
        1,
        "a pending application"
    );
    for key in ["approvals", "requests_sent", "asked"] {
        assert_eq!(figures(&kanagawa.body, key), 0, "{key}");
    }
    let everyone = server.get(&recent, &admin).await;
    assert_eq!(figures(&everyone.body, "registrations"), 5);

    // Capacity ahead on the worked days: the three approved public-health nurses are
    // available on site and by phone, less those with a seat that day.
    let ahead = "/api/v1/utilisation/capacity?from=2026-11-02&days=3";
    let capacity = server.get(ahead, &w.tokyo).await;
    assert_eq!(capacity.status, StatusCode::OK, "{:?}", capacity.body);
    assert_eq!(capacity.body["from"], "2026-11-02");
    for way in ["on_site", "phone"] {
        let r = row(&capacity.body, "13", way).expect(way);
        assert_eq!(r["available"], json!([3, 3, 3]), "{way}");
        assert_eq!(r["assigned"], json!(busy), "{way}");
        let free: Vec<i64> = busy.iter().map(|b| 3 - b).collect();
        assert_eq!(r["free"], json!(free), "{way}");
    }
    assert!(row(&capacity.body, "13", "remote").is_none());
    assert_eq!(server.get(ahead, &admin).await.body, capacity.body);
    let theirs = server.get(ahead, &w.kanagawa).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(
        theirs.body["rows"],
        json!([]),
        "神奈川県 has approved nobody"
    );

    // A second period overlapping the first counts its member once, and adds its new way;
    // a member with no period of their own counts on site on the days they offered a slot.
    let (first, _) = &w.approved[0];
    let (second, _) = &w.approved[1];
    let membership = |member: &i64| {
        format!(
            "(SELECT id FROM memberships WHERE member_id = {member} AND prefecture_code = '13')"
        )
    };
    server
        .db_execute(&format!(
            "INSERT INTO availability (membership_id, from_date, to_date, on_site, remote, phone) \
             VALUES ({}, '2026-11-01', '2026-11-30', TRUE, TRUE, FALSE)",
            membership(second)
        ))
        .await;
    server
        .db_execute(&format!(
            "DELETE FROM availability WHERE membership_id = {}",
            membership(first)
        ))
        .await;
    let capacity = server.get(ahead, &w.tokyo).await;
    let on_site = row(&capacity.body, "13", "on_site").expect("on site");
    assert_eq!(
        on_site["available"],
        json!([3, 3, 3]),
        "the first member offered a day slot each day"
    );
    assert_eq!(on_site["assigned"], json!(busy));
    assert_eq!(
        row(&capacity.body, "13", "phone").expect("phone")["available"],
        json!([2, 2, 2])
    );
    assert_eq!(
        row(&capacity.body, "13", "remote").expect("remote")["available"],
        json!([1, 1, 1])
    );

    // As CSV, a row per day, prefecture, profession and way; CP932 for Excel.
    let (status, _, bytes) = server
        .send_bytes(
            reqwest::Method::GET,
            "/api/v1/utilisation/capacity/export?from=2026-11-02&days=3&encoding=cp932",
            &w.tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("日付,都道府県コード,都道府県,職種,協力方法"),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 3 * 3, "{text}");
    assert!(
        lines[1].starts_with("2026-11-02,13,東京都,保健師,"),
        "{text}"
    );
    let (status, _, bytes) = server
        .send_bytes(
            reqwest::Method::GET,
            "/api/v1/utilisation/series/export?from=2026-11-01&to=2026-11-30",
            &w.tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8 after the BOM");
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(text
        .lines()
        .nth(2)
        .is_some_and(|l| l.starts_with("2026-11-02,2026-11-08,")));

    // A member may not read them; what cannot be read is refused beside its field.
    let member = &w.approved[0].1;
    for path in [november, ahead] {
        assert_eq!(server.get(path, member).await.status, StatusCode::FORBIDDEN);
    }
    for (path, field) in [
        ("/api/v1/utilisation/series?from=2026-11-01", "to"),
        (
            "/api/v1/utilisation/series?from=2026-11-01&to=2026-11-30&interval=day",
            "interval",
        ),
        ("/api/v1/utilisation/capacity?days=0", "days"),
        ("/api/v1/utilisation/capacity?days=61", "days"),
        ("/api/v1/utilisation/capacity?from=tomorrow", "from"),
    ] {
        let refused = server.get(path, &w.tokyo).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(refused.fields()[0], field, "{path}");
    }
}
