//! Daily reports for the end-to-end tests: a request whose seats were accepted and whose
//! slots lie in the past, and a report of one of its day slots.

use crate::dispatch::World;
use crate::TestServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Confirms the planned request, has every member accept its seats and moves the request's
/// slots (and seats) three weeks into the past, keeping their day and night pattern: the
/// first day starts 2026-11-02 09:00 JST. Answers each member's accepted seats as
/// `(assignment id, slot index)`.
pub async fn worked(
    server: &TestServer,
    w: &World,
    id: i64,
    slots: &[i64],
) -> Vec<Vec<(i64, usize)>> {
    let path = format!("/api/v1/dispatch-requests/{id}");
    let filled = server
        .post(&format!("{path}/auto-fill"), &w.tokyo, json!(null))
        .await;
    assert_eq!(filled.status, StatusCode::OK, "{:?}", filled.body);
    let confirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    let mut seats = Vec::new();
    for (_, token) in &w.approved {
        let mine = server
            .get(&format!("/api/v1/me/dispatch-requests/{id}"), token)
            .await;
        let mut theirs = Vec::new();
        for a in mine.body["assignments"].as_array().expect("assignments") {
            let accepted = server
                .post(
                    &format!("/api/v1/me/assignments/{}/accept", a["id"]),
                    token,
                    json!(null),
                )
                .await;
            assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
            let slot = slots
                .iter()
                .position(|s| *s == a["slot_id"].as_i64().expect("slot"))
                .expect("a slot of the request");
            theirs.push((a["id"].as_i64().expect("assignment"), slot));
        }
        seats.push(theirs);
    }
    for (i, slot) in slots.iter().enumerate() {
        let day = 2 + i / 2;
        let (starts, ends) = if i % 2 == 0 {
            (
                format!("2026-11-{day:02}T00:00:00+00:00"),
                format!("2026-11-{day:02}T08:00:00+00:00"),
            )
        } else {
            (
                format!("2026-11-{day:02}T13:00:00+00:00"),
                format!("2026-11-{day:02}T21:00:00+00:00"),
            )
        };
        for table in ["dispatch_slots", "dispatch_assignments"] {
            let key = if table == "dispatch_slots" {
                "id"
            } else {
                "slot_id"
            };
            server
                .db_execute(&format!(
                    "UPDATE {table} SET starts_at = '{starts}', ends_at = '{ends}' WHERE {key} = {slot}"
                ))
                .await;
        }
    }
    seats
}

/// A report of a day slot on 2026-11-`day` (JST 09:00–17:30, a 45-minute break).
pub fn report(assignment: i64, day: u32) -> Value {
    json!({
        "assignment_id": assignment,
        "starts_at": format!("2026-11-{day:02}T09:00:00+09:00"),
        "ends_at": format!("2026-11-{day:02}T17:30:00+09:00"),
        "break_minutes": 45,
        "duties": ["health_observation", "active_investigation"],
        "counts": [{ "duty": "health_observation", "count": 32 }, { "duty": "active_investigation", "count": 5 }],
        "notes": "陽性者32名の健康観察。",
    })
}

/// The link to the report page of `seat` in the reminder e-mail that `member` was sent, read
/// from the `.eml` file the outbox wrote in `outbox` (the outbox drained first).
pub async fn report_link_in_mail(
    server: &TestServer,
    operator: &str,
    outbox: &std::path::Path,
    member: i64,
    seat: i64,
) -> String {
    crate::mail::drained(server, operator).await;
    let message_id = server
        .db_text(&format!(
            "SELECT message_id FROM mail_outbox WHERE member_id = {member} AND subject_kind = 'dispatch_assignment' AND subject_id = {seat}"
        ))
        .await;
    let file = outbox.join(format!(
        "{}.eml",
        message_id.trim_matches(|c| c == '<' || c == '>')
    ));
    let body = crate::mail::eml_text(&std::fs::read_to_string(&file).expect("the e-mail"));
    assert!(body.contains("日報はこちらから"), "{body}");
    let start = body
        .find(&format!("{}/dispatch/answer/", server.base))
        .unwrap_or_else(|| panic!("no link in {body}"));
    let link = body[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string();
    assert!(link.ends_with(&format!("/reports/{seat}")), "{link}");
    link
}

/// Files the report of the page at `link` in the browser session `s` of `driver`, as a member
/// does: the form comes filled with the slot; the break, a count of health observation and
/// the notes are typed in. Answers once the page says it was received.
pub async fn file_in_browser(
    driver: &crate::browser::Driver,
    s: &str,
    link: &str,
    break_minutes: &str,
    observed: &str,
    notes: &str,
) {
    driver
        .call(
            reqwest::Method::POST,
            &format!("{s}/url"),
            Some(json!({ "url": link })),
        )
        .await;
    let source = driver.wait_for(s, "日報の提出").await;
    assert!(!source.contains("<script"), "the page needs no JavaScript");
    driver
        .type_into(s, "input[name=break_minutes]", break_minutes)
        .await;
    driver
        .type_into(s, "input[name=\"count.health_observation\"]", observed)
        .await;
    driver.type_into(s, "#notes", notes).await;
    driver.click(s, "form button[type=submit]").await;
    driver.wait_for(s, "日報を受け付けました").await;
}
