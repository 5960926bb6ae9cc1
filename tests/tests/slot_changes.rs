//! One slot changed after the shifts were confirmed, over HTTP on either backend: moved (its
//! seats move with it and the members it affects are told the old and new times; bad times
//! are refused field by field and change nothing; a move that would commit someone twice at
//! one time is refused by the database), cancelled (its seats are freed and the members it
//! affects are told the reason; a request's last slot is not cancelled alone), and a request
//! edited with a slot left out frees that slot's seats too. Outside the caller's scope a slot
//! is not found.

use ouen_tests::dispatch::{create_request, planned_request, seats, slot_ids, world_of};
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Inbox messages whose subject starts with either language's words.
async fn told(server: &TestServer, ja: &str, en: &str) -> i64 {
    server
        .db_number(&format!(
            "SELECT COUNT(*) FROM inbox_messages WHERE subject LIKE '{ja}%' OR subject LIKE '{en}%'"
        ))
        .await
}

/// `(status, starts_at)` of every seat in a slot.
async fn seats_of(server: &TestServer, slot: i64) -> Vec<(String, String)> {
    let statuses = server
        .db_text(&format!(
            "SELECT COALESCE(string_agg(status, ',' ORDER BY member_id), '') FROM dispatch_assignments WHERE slot_id = {slot}"
        ))
        .await;
    let starts = server
        .db_text(&format!(
            "SELECT COALESCE(string_agg(CAST(starts_at AS TEXT), ',' ORDER BY member_id), '') FROM dispatch_assignments WHERE slot_id = {slot}"
        ))
        .await;
    statuses
        .split(',')
        .zip(starts.split(','))
        .filter(|(s, _)| !s.is_empty())
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect()
}

fn slot_times(grid: &Value, slot: i64) -> (String, String) {
    let s = grid["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .find(|s| s["id"] == slot)
        .expect("the slot in the grid");
    (
        s["starts_at"].as_str().expect("start").to_string(),
        s["ends_at"].as_str().expect("end").to_string(),
    )
}

#[tokio::test]
async fn a_slot_moved_or_cancelled_after_confirmation_tells_the_people_it_affects() {
    let server = TestServer::start().await;
    let w = world_of(&server, 6).await;
    let (id, slots) = planned_request(&server, &w).await;
    let path = format!("/api/v1/dispatch-requests/{id}");
    let filled = server
        .post(&format!("{path}/auto-fill"), &w.tokyo, json!(null))
        .await;
    assert_eq!(filled.status, StatusCode::OK, "{:?}", filled.body);
    let planned = seats(&filled.body);
    let confirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    let slot_path = |slot: i64| format!("/api/v1/dispatch-slots/{slot}");
    let put = |slot: i64, token: &str, body: Value| {
        let (server, path, token) = (&server, slot_path(slot), token.to_string());
        async move {
            server
                .call(Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };

    // The second day's day slot moves an hour later: its seats move, and everyone holding
    // one or having said yes to it (all six said yes to day slots) is told once.
    let day = slots[2];
    let later = json!({ "starts_at": "2099-03-03T10:00:00+09:00", "ends_at": "2099-03-03T18:00:00+09:00", "needed": 2, "professions": ["public_health_nurse", "nurse"] });
    let moved = put(day, &w.tokyo, later.clone()).await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(
        slot_times(&moved.body, day),
        (
            "2099-03-03T01:00:00Z".to_string(),
            "2099-03-03T09:00:00Z".to_string()
        )
    );
    let moved_seats = seats_of(&server, day).await;
    assert_eq!(moved_seats.len(), 2);
    assert!(
        moved_seats
            .iter()
            .all(|(status, starts)| status == "requested"
                && starts.starts_with("2099-03-03")
                && starts.contains("01:00")),
        "{moved_seats:?}"
    );
    assert_eq!(
        told(&server, "【派遣枠の日時変更】", "[Slot moved]").await,
        6
    );
    // The same times again change nothing and tell nobody.
    let again = put(day, &w.tokyo, later).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(
        told(&server, "【派遣枠の日時変更】", "[Slot moved]").await,
        6
    );

    // Bad times are refused beside their fields and change nothing.
    for (body, fields) in [
        (
            json!({ "starts_at": "2099-03-03T10:00:00+09:00", "ends_at": "2099-03-03T18:00:00+09:00", "needed": 0 }),
            vec!["needed"],
        ),
        (
            json!({ "starts_at": "2099-03-03T10:00:00+09:00", "ends_at": "2099-03-03T10:00:00+09:00", "needed": 1 }),
            vec!["ends_at"],
        ),
        (
            json!({ "starts_at": "2099-03-03T10:00:30+09:00", "ends_at": "2099-03-04T12:00:00+09:00", "needed": 1 }),
            vec!["starts_at", "ends_at"],
        ),
        (
            json!({ "starts_at": "2020-03-03T10:00:00+09:00", "ends_at": "2020-03-03T18:00:00+09:00", "needed": 1 }),
            vec!["starts_at"],
        ),
        // Before the answer deadline (2099-03-01 18:00).
        (
            json!({ "starts_at": "2099-03-01T09:00:00+09:00", "ends_at": "2099-03-01T17:00:00+09:00", "needed": 1 }),
            vec!["starts_at"],
        ),
    ] {
        let refused = put(day, &w.tokyo, body.clone()).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            refused.body
        );
        assert_eq!(refused.fields(), fields, "{body}");
    }
    let unknown = put(day, &w.tokyo, json!({ "starts_at": "2099-03-03T10:00:00+09:00", "ends_at": "2099-03-03T18:00:00+09:00", "needed": 1, "professions": ["wizard"] })).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(
        slot_times(&grid.body, day),
        (
            "2099-03-03T01:00:00Z".to_string(),
            "2099-03-03T09:00:00Z".to_string()
        )
    );

    // Moving a slot onto another slot of someone who holds both would commit them twice at
    // one time: the database refuses, and nothing moves.
    let (a, b) = planned
        .iter()
        .find_map(|(m, i)| {
            planned
                .iter()
                .find(|(n, j)| n == m && j > i && slots[*i] != day && slots[*j] != day)
                .map(|(_, j)| (slots[*i], slots[*j]))
        })
        .expect("nine seats for six people: someone holds two");
    let (starts, ends) = slot_times(&grid.body, a);
    let b_before = slot_times(&grid.body, b);
    let onto = put(
        b,
        &w.tokyo,
        json!({ "starts_at": starts, "ends_at": ends, "needed": 1 }),
    )
    .await;
    assert_eq!(onto.status, StatusCode::CONFLICT, "{:?}", onto.body);
    assert_eq!(onto.fields(), ["starts_at"]);
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(slot_times(&grid.body, b), b_before);

    // The last night is cancelled: a reason is required; its seat is freed, the slot leaves
    // the grid, and the five who said yes to nights (its seat holder among them) are told.
    let night = slots[5];
    let cancel = |slot: i64, token: &str, body: Value| {
        let (server, path, token) = (
            &server,
            format!("{}/cancel", slot_path(slot)),
            token.to_string(),
        );
        async move { server.post(&path, &token, body).await }
    };
    let without = cancel(night, &w.tokyo, json!({ "reason": " " })).await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(without.fields(), ["reason"]);
    let cancelled = cancel(night, &w.tokyo, json!({ "reason": "陽性者の減少のため" })).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    assert_eq!(cancelled.body["slots"].as_array().expect("slots").len(), 5);
    assert!(seats_of(&server, night)
        .await
        .iter()
        .all(|(status, _)| status == "removed"));
    assert_eq!(
        told(&server, "【派遣枠の中止】", "[Slot cancelled]").await,
        5
    );
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM inbox_messages WHERE body LIKE '%陽性者の減少のため%'")
            .await,
        5
    );
    // A cancelled slot is gone: neither moved nor cancelled again.
    assert_eq!(
        cancel(night, &w.tokyo, json!({ "reason": "再度" }))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put(night, &w.tokyo, json!({ "starts_at": "2099-03-05T10:00:00+09:00", "ends_at": "2099-03-05T18:00:00+09:00", "needed": 1 }))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Outside the caller's scope a slot is not found; a member may not change one; an
    // unknown slot is not found either.
    let first_move = json!({ "starts_at": "2099-03-02T10:00:00+09:00", "ends_at": "2099-03-02T18:00:00+09:00", "needed": 2 });
    assert_eq!(
        put(slots[0], &w.kanagawa, first_move.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cancel(slots[0], &w.kanagawa, json!({ "reason": "x" }))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put(slots[0], &w.approved[0].1, first_move.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(i64::MAX, &w.tokyo, first_move).await.status,
        StatusCode::NOT_FOUND
    );

    // Editing the request with the first night left out cancels it and frees its seat too.
    let current = server.get(&path, &w.tokyo).await.body;
    let kept: Vec<Value> = current["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["cancelled_at"].is_null() && s["id"] != slots[1])
        .map(|s| {
            json!({ "id": s["id"], "starts_at": s["starts_at"], "ends_at": s["ends_at"], "needed": s["needed"], "professions": s["professions"] })
        })
        .collect();
    assert_eq!(kept.len(), 4);
    let edited = server
        .call(
            Method::PUT,
            &path,
            Some(&w.tokyo),
            Some(json!({
                "title": current["title"], "health_centre_id": current["health_centre_id"],
                "duties": current["duties"], "answer_deadline": current["answer_deadline"],
                "notes": current["notes"], "slots": kept,
            })),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert!(seats_of(&server, slots[1])
        .await
        .iter()
        .all(|(status, _)| status == "removed"));

    // Every change is in the audit log.
    let admin = server.login("jimukyoku", ouen_tests::PASSWORD).await;
    for action in ["dispatch.slot_move", "dispatch.slot_cancel"] {
        assert!(
            !server.audit(&admin, action).await.is_empty(),
            "{action} not audited"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_requests_last_slot_is_not_cancelled_alone() {
    let server = TestServer::start().await;
    let w = world_of(&server, 1).await;
    let (_, rows) = create_request(
        &server,
        &w.tokyo,
        json!({
            "title": "電話相談の応援", "health_centre_id": w.tokyo_centre,
            "duties": ["phone_consultation"], "answer_deadline": "2099-03-01T18:00:00+09:00",
            "slots": [{ "starts_at": "2099-03-02T09:00:00+09:00", "ends_at": "2099-03-02T17:00:00+09:00", "needed": 1 }],
        }),
    )
    .await;
    let only = slot_ids(&rows)[0];
    let refused = server
        .post(
            &format!("/api/v1/dispatch-slots/{only}/cancel"),
            &w.tokyo,
            json!({ "reason": "不要になったため" }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.fields(), ["id"]);
    assert_eq!(
        server
            .db_number(&format!(
                "SELECT COUNT(*) FROM dispatch_slots WHERE id = {only} AND cancelled_at IS NULL"
            ))
            .await,
        1
    );
    server.stop().await;
}
