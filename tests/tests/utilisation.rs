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
