//! Dispatch requests over HTTP on either backend: bad input changes nothing, a request reaches
//! exactly the approved members its filter matches (inbox and outbox, once each), members
//! answer per slot through the API and through the personal link's page, the silent ones are
//! reminded once per round, edits and cancellation tell those asked, and other prefectures
//! see none of it.

use ouen_tests::{TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use ouen_tests::dispatch::{draft, post_form, world};

fn fields(answer: &ouen_tests::Answer) -> Vec<String> {
    answer.fields()
}

async fn count(server: &TestServer, query: &str) -> i64 {
    server.db_number(query).await
}

#[tokio::test]
async fn bad_requests_get_field_errors_and_change_nothing() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let mut bad = draft(w.tokyo_centre);
    bad["title"] = json!("");
    bad["duties"] = json!(["other"]);
    bad["slots"] = json!([
        { "starts_at": "2099-03-02T09:00:00+09:00", "ends_at": "2099-03-02T09:00:00+09:00", "needed": 1 },
        { "starts_at": "2099-03-02T09:00:00+09:00", "ends_at": "2099-03-03T10:00:00+09:00", "needed": 0 },
        { "starts_at": "2020-03-02T09:00:00+09:00", "ends_at": "2020-03-02T10:00:00+09:00", "needed": 1 },
    ]);
    bad["series"][0]["end"] = json!("25:00");
    let answer = server
        .post("/api/v1/dispatch-requests", &w.tokyo, bad)
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        answer.body
    );
    let got = fields(&answer);
    for field in [
        "title",
        "other_duty",
        "slots.0.ends_at",
        "slots.1.ends_at",
        "slots.1.needed",
        "series.0.end",
    ] {
        assert!(
            got.iter().any(|f| f == field),
            "{field} missing from {got:?}"
        );
    }
    // Times that need the clock: a slot in the past, a deadline after the first slot.
    let mut late = draft(w.tokyo_centre);
    late["answer_deadline"] = json!("2099-03-05T09:00:00+09:00");
    late["slots"] = json!([{ "starts_at": "2020-03-02T09:00:00+09:00", "ends_at": "2020-03-02T10:00:00+09:00", "needed": 1 }]);
    let answer = server
        .post("/api/v1/dispatch-requests", &w.tokyo, late)
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        answer.body
    );
    assert_eq!(fields(&answer), ["slots.0.starts_at", "answer_deadline"]);
    // Another prefecture's health centre, an unknown one and an organisation that is no
    // health centre are refused alike.
    for centre in [w.kanagawa_centre, 9_223_372_036_854_775_807, 1] {
        let answer = server
            .post("/api/v1/dispatch-requests", &w.tokyo, draft(centre))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{centre}: {:?}",
            answer.body
        );
        assert_eq!(fields(&answer), ["health_centre_id"]);
    }
    // An English caller reads English messages.
    let mut english = draft(w.tokyo_centre);
    english["series"][0]["needed"] = json!(0);
    let answer = server
        .call_lang(
            Method::POST,
            "/api/v1/dispatch-requests",
            Some(&w.tokyo),
            Some(english),
            Some("en"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.to_string().contains("at least one person"),
        "{:?}",
        answer.body
    );
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM dispatch_requests").await,
        0
    );
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM dispatch_slots").await,
        0
    );
    server.stop().await;
}

#[tokio::test]
async fn a_request_reaches_approved_matches_once_and_collects_answers() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let created = server
        .post("/api/v1/dispatch-requests", &w.tokyo, draft(w.tokyo_centre))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    assert_eq!(created.body["status"], "draft");
    let slots = created.body["slots"].as_array().expect("slots").clone();
    assert_eq!(slots.len(), 6, "three days, two slots a day");
    // The overnight slot typed in full width ends at 06:00 the next morning (JST).
    let night = slots
        .iter()
        .find(|s| s["starts_at"] == "2099-03-02T13:00:00Z")
        .expect("night slot");
    assert_eq!(night["ends_at"], "2099-03-02T21:00:00Z");
    let slot_ids: Vec<i64> = slots
        .iter()
        .map(|s| s["id"].as_i64().expect("slot id"))
        .collect();

    // Only approved members of 東京都 are counted, whatever the filter says.
    let path = format!("/api/v1/dispatch-requests/{id}");
    let counted = server
        .post(
            &format!("{path}/targets"),
            &w.tokyo,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(counted.status, StatusCode::OK, "{:?}", counted.body);
    assert_eq!(
        counted.body,
        json!({ "matched": 3, "already_asked": 0, "new": 3 })
    );
    let applied = server
        .post(
            &format!("{path}/targets"),
            &w.tokyo,
            json!({ "filter": { "status": "applied" } }),
        )
        .await;
    assert_eq!(applied.body["matched"], 0, "{:?}", applied.body);

    // Sending asks each once; again, nobody twice.
    let sent = server
        .post(&format!("{path}/send"), &w.tokyo, json!({ "filter": {} }))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body, json!({ "asked_now": 3, "asked": 3 }));
    let again = server
        .post(&format!("{path}/send"), &w.tokyo, json!({ "filter": {} }))
        .await;
    assert_eq!(again.body, json!({ "asked_now": 0, "asked": 3 }));
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'"
        )
        .await,
        3
    );
    assert_eq!(count(&server, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'dispatch_request' AND subject_kind = 'dispatch_request'").await, 3);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM dispatch_asks WHERE member_id = (SELECT MIN(id) FROM members WHERE email = 'haken3@example.jp')").await, 0);
    let read = server.get(&path, &w.tokyo).await;
    assert_eq!(read.body["status"], "sent");
    let listed = server
        .get(
            "/api/v1/dispatch-requests?status=sent,planning&q=%EF%BD%B9%EF%BE%9D%EF%BD%BA%EF%BD%B3",
            &w.tokyo,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(
        listed.body["total"], 0,
        "ｹﾝｺｳ folds to けんこう, not in the title"
    );
    let listed = server
        .get(
            "/api/v1/dispatch-requests?status=sent&q=%E5%81%A5%E5%BA%B7",
            &w.tokyo,
        )
        .await;
    assert_eq!(listed.body["total"], 1, "{:?}", listed.body);
    assert_eq!(listed.body["items"][0]["slots"], 6);
    assert_eq!(listed.body["items"][0]["needed"], 9);
    assert_eq!(
        listed.body["items"][0]["first_starts_at"],
        "2099-03-02T00:00:00Z"
    );
    assert_eq!(read.body["counts"]["asked"], 3);

    // 神奈川県 sees nothing of it: not the record, not the list, not the asks.
    assert_eq!(
        server.get(&path, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/v1/dispatch-requests", &w.kanagawa)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        server
            .get(&format!("{path}/asks"), &w.kanagawa)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The applicant was not asked: the request is not found for it.
    let mine = format!("/api/v1/me/dispatch-requests/{id}");
    assert_eq!(
        server.get(&mine, &w.applicant.1).await.status,
        StatusCode::NOT_FOUND
    );

    // A member answers per slot; bad slots and duties are refused beside their field.
    let (first, first_token) = &w.approved[0];
    let inbox = server
        .get("/api/v1/inbox?kind=dispatch_request", first_token)
        .await;
    assert_eq!(inbox.body["total"], 1, "{:?}", inbox.body);
    assert_eq!(inbox.body["items"][0]["subject_id"], id);
    let wrong = server
        .call(Method::PUT, &format!("{mine}/answer"), Some(first_token), Some(json!({
            "slots": [
                { "slot_id": 9_223_372_036_854_775_807i64, "available": true },
                { "slot_id": slot_ids[0], "available": true, "duties": ["specimen_collection"] },
            ],
        })))
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );
    assert_eq!(fields(&wrong), ["slots.0.slot_id", "slots.1.duties.0"]);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM dispatch_answers").await,
        0
    );
    let answered = server
        .call(Method::PUT, &format!("{mine}/answer"), Some(first_token), Some(json!({
            "slots": [
                { "slot_id": slot_ids[0], "available": true, "duties": ["health_observation"] },
                { "slot_id": slot_ids[1], "available": false, "duties": ["health_observation"] },
            ],
            "note": "初日は10時から参加できます。",
        })))
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    assert_eq!(
        answered.body["answer"][1],
        json!({ "slot_id": slot_ids[1], "available": false, "duties": [] })
    );
    assert!(answered.body["open"].as_bool().expect("open"));
    let listed = server
        .get("/api/v1/me/dispatch-requests", first_token)
        .await;
    assert_eq!(listed.body["total"], 1);

    // The operator sees who answered and who did not, and reminds the silent once per round.
    let silent = server
        .get(&format!("{path}/asks?answered=false"), &w.tokyo)
        .await;
    assert_eq!(silent.body["total"], 2, "{:?}", silent.body);
    let heard = server
        .get(&format!("{path}/asks?answered=true"), &w.tokyo)
        .await;
    assert_eq!(heard.body["items"][0]["member_id"], *first);
    assert_eq!(
        heard.body["items"][0]["note"],
        "初日は10時から参加できます。"
    );
    let read = server.get(&path, &w.tokyo).await;
    assert_eq!(read.body["counts"]["answered"], 1);
    assert_eq!(read.body["slots"][0]["available"], 1);
    let reminded = server
        .post(
            &format!("{path}/reminders"),
            &w.tokyo,
            json!({ "round": 1 }),
        )
        .await;
    assert_eq!(
        reminded.body,
        json!({ "round": 1, "reminded": 2 }),
        "{:?}",
        reminded.body
    );
    let repeated = server
        .post(
            &format!("{path}/reminders"),
            &w.tokyo,
            json!({ "round": 1 }),
        )
        .await;
    assert_eq!(repeated.body, json!({ "round": 1, "reminded": 0 }));
    let skipped = server
        .post(
            &format!("{path}/reminders"),
            &w.tokyo,
            json!({ "round": 3 }),
        )
        .await;
    assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'"
        )
        .await,
        5
    );

    // Editing a sent request tells everyone asked; a cancelled slot takes no answers.
    let mut edited = draft(w.tokyo_centre);
    edited["series"] = json!([]);
    edited["slots"] = json!(slots[..5]
        .iter()
        .map(|s| json!({
            "id": s["id"], "starts_at": s["starts_at"], "ends_at": s["ends_at"], "needed": 3,
        }))
        .collect::<Vec<_>>());
    let updated = server
        .call(Method::PUT, &path, Some(&w.tokyo), Some(edited))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    let cancelled: Vec<&Value> = updated.body["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| !s["cancelled_at"].is_null())
        .collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'"
        )
        .await,
        8
    );
    let late = server
        .call(
            Method::PUT,
            &format!("{mine}/answer"),
            Some(first_token),
            Some(json!({ "slots": [{ "slot_id": slot_ids[5], "available": true }] })),
        )
        .await;
    assert_eq!(fields(&late), ["slots.0.slot_id"]);
    // An answer about no slot at all is refused, on the API and on the e-mail page alike, and
    // the answer given before stays.
    let before = count(&server, "SELECT COUNT(*) FROM dispatch_answers").await;
    let empty = server
        .call(
            Method::PUT,
            &format!("{mine}/answer"),
            Some(first_token),
            Some(json!({ "slots": [], "note": "" })),
        )
        .await;
    assert_eq!(fields(&empty), ["slots"]);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM dispatch_answers").await,
        before
    );

    // After the deadline, answers are refused and nothing changes.
    server
        .db_execute(&format!(
            "UPDATE dispatch_requests SET answer_deadline = '2000-01-01T00:00:00Z' WHERE id = {id}"
        ))
        .await;
    let closed = server
        .call(
            Method::PUT,
            &format!("{mine}/answer"),
            Some(first_token),
            Some(json!({ "slots": [{ "slot_id": slot_ids[0], "available": false }] })),
        )
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT, "{:?}", closed.body);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM dispatch_answers").await,
        2
    );

    // Cancelling tells everyone asked, and the request changes no more.
    let cancel = server
        .post(
            &format!("{path}/cancel"),
            &w.tokyo,
            json!({ "reason": "感染状況が落ち着いたため" }),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{:?}", cancel.body);
    assert_eq!(cancel.body["status"], "cancelled");
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'"
        )
        .await,
        11
    );
    let twice = server
        .post(
            &format!("{path}/cancel"),
            &w.tokyo,
            json!({ "reason": "再送" }),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let resend = server
        .post(&format!("{path}/send"), &w.tokyo, json!({ "filter": {} }))
        .await;
    assert_eq!(resend.status, StatusCode::CONFLICT);
    // Every change is in the audit log.
    let admin = server.login("jimukyoku", PASSWORD).await;
    for action in [
        "dispatch.create",
        "dispatch.send",
        "dispatch.answer",
        "dispatch.asks",
        "dispatch.remind",
        "dispatch.update",
        "dispatch.cancel",
    ] {
        assert!(
            !server.audit(&admin, action).await.is_empty(),
            "{action} not audited"
        );
    }
    server.stop().await;
}

async fn page(server: &TestServer, path: &str) -> (StatusCode, String) {
    let response = server
        .http
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .expect("get");
    let status = response.status();
    (status, response.text().await.expect("page"))
}

#[tokio::test]
async fn the_personal_link_opens_an_answer_form_for_that_member_only() {
    let server = TestServer::start().await;
    let w = world(&server).await;
    let created = server
        .post("/api/v1/dispatch-requests", &w.tokyo, draft(w.tokyo_centre))
        .await;
    let id = created.body["id"].as_i64().expect("id");
    let slot = created.body["slots"][0]["id"].as_i64().expect("slot");
    let night = created.body["slots"][1]["id"].as_i64().expect("slot");
    let sent = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/send"),
            &w.tokyo,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    let (member, member_token) = &w.approved[1];
    let token = server.db_text(&format!("SELECT answer_token FROM dispatch_asks WHERE request_id = {id} AND member_id = {member}")).await;
    let link = format!("/dispatch/answer/{token}");

    let (status, html) = page(&server, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("派遣要請への回答") && html.contains("積極的疫学調査・健康観察の応援"),
        "{html}"
    );
    assert!(
        html.contains("多摩府中保健所") && html.contains("03/02 22:00–06:00"),
        "{html}"
    );
    assert!(!html.contains("<script"), "no JavaScript");
    let (_, english) = page(&server, &format!("{link}?lang=en")).await;
    assert!(english.contains("Answer a dispatch request") && english.contains("I can work"));

    // A post from another site is refused; the same post from the page is taken.
    let form = format!("slot_{slot}=yes&duty_{slot}=health_observation&slot_{night}=no&note=%E5%A4%9C%E5%8B%A4%E4%B8%8D%E5%8F%AF");
    let (status, _) = post_form(&server, &link, &form, "cross-site").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM dispatch_answers")
            .await,
        0
    );
    let (status, saved) = post_form(&server, &link, &form, "same-origin").await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved.contains("回答を受け付けました"), "{saved}");
    // The answer is the member's own, as the API shows it.
    let mine = server
        .get(&format!("/api/v1/me/dispatch-requests/{id}"), member_token)
        .await;
    assert_eq!(
        mine.body["answer"],
        json!([
            { "slot_id": slot, "available": true, "duties": ["health_observation"] },
            { "slot_id": night, "available": false, "duties": [] },
        ])
    );
    assert_eq!(mine.body["note"], "夜勤不可");
    let others = server
        .db_number(&format!(
            "SELECT COUNT(*) FROM dispatch_answers WHERE member_id <> {member}"
        ))
        .await;
    assert_eq!(others, 0);
    // A duty outside the request is refused beside the form, and nothing changes.
    let (status, refused) = post_form(
        &server,
        &link,
        &format!("slot_{slot}=yes&duty_{slot}=specimen_collection"),
        "same-origin",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.contains("回答を保存できませんでした"), "{refused}");
    assert_eq!(
        server
            .get(&format!("/api/v1/me/dispatch-requests/{id}"), member_token)
            .await
            .body["note"],
        "夜勤不可"
    );
    // A form sent without choosing anything (or with values no radio button sends) is
    // refused too, with the reason on the page; the answer given before stays.
    for form in [
        "note=",
        "robots=&note=%E2%80%A6",
        &format!("slot_{slot}=maybe"),
    ] {
        let (status, refused) = post_form(&server, &link, form, "same-origin").await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form}: {refused}"
        );
        assert!(refused.contains("少なくとも1つの枠"), "{form}: {refused}");
    }
    assert_eq!(
        server
            .get(&format!("/api/v1/me/dispatch-requests/{id}"), member_token)
            .await
            .body["note"],
        "夜勤不可"
    );

    // Unknown, malformed and hostile tokens answer the same 404 page.
    for bad in ["0".repeat(64), "abc".into(), "%00".into(), "ｆ".repeat(64)] {
        let (status, html) = page(&server, &format!("/dispatch/answer/{bad}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert!(html.contains("このリンクは使えません"), "{html}");
    }
    // After the deadline the page shows the answer and takes no more.
    server
        .db_execute(&format!(
            "UPDATE dispatch_requests SET answer_deadline = '2000-01-01T00:00:00Z' WHERE id = {id}"
        ))
        .await;
    let (status, closed) = page(&server, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        closed.contains("回答の受付は終了しました") && !closed.contains("<form"),
        "{closed}"
    );
    let (_, after) = post_form(&server, &link, &format!("slot_{slot}=no"), "same-origin").await;
    assert!(after.contains("回答の受付は終了しました"), "{after}");
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM dispatch_answers WHERE available = 1")
            .await,
        1
    );
    server.stop().await;
}
