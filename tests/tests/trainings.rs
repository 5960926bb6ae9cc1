//! Trainings (研修) over HTTP on either backend: 東京都 writes its own training for nurses and
//! public-health nurses (every bad value refused beside its field, nothing saved), publishes
//! it and exactly its approved members of those professions are told (inbox and e-mail);
//! publishing again, editing or asking again tells nobody twice, and a member approved later
//! is told with one more call; 神奈川県 sees none of it; the admin's national training reaches
//! the targeted members of every prefecture and shows to 神奈川県 once published; calling a
//! training off needs a reason. Forty apply to a training for thirty: thirty are approved and
//! ten waitlisted, one withdraws and one is promoted, attendance is recorded in bulk, and
//! completion in two halves at once issues thirty certificate numbers with no gap; the
//! roster's "trained in" filter finds exactly the thirty.

use ouen_tests::dispatch::world_of;
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn draft(title: &str) -> Value {
    json!({
        "title": title,
        "description": "積極的疫学調査と健康観察の基礎を学びます。",
        "target_professions": ["nurse", "public_health_nurse"],
        "delivery": "on_site",
        "sessions": [
            { "starts_at": "2099-01-20T10:00:00+09:00", "ends_at": "2099-01-20T16:00:00+09:00", "place": "都庁第一本庁舎 5階" },
            { "starts_at": "2099-01-27T10:00:00+09:00", "ends_at": "2099-01-27T12:00:00+09:00", "place": "都庁第一本庁舎 5階" },
        ],
        "capacity": 30,
        "applications_open": "2026-12-01T09:00:00+09:00",
        "applications_close": "2099-01-10T17:00:00+09:00",
        "completion": "all_sessions",
        "certificate_scheme": "R8-東京-{seq:4}",
        "honorarium": "per_participant",
        "honorarium_yen": 5000,
    })
}

async fn count(server: &TestServer, sql: &str) -> i64 {
    server.db_number(sql).await
}

async fn told(server: &TestServer, training: i64) -> i64 {
    count(
        server,
        &format!("SELECT COUNT(*) FROM training_notices WHERE training_id = {training}"),
    )
    .await
}

#[tokio::test]
async fn a_prefecture_publishes_its_training_to_its_targets_once_each() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let admin = server.admin("kenshu-admin").await;
    // The first approved member holds a pharmacist's licence: not a target.
    let (pharmacist, _) = &w.approved[0];
    server
        .db_execute(&format!(
            "UPDATE member_licences SET profession = 'pharmacist' WHERE member_id = {pharmacist}"
        ))
        .await;

    // Bad values are refused beside their fields, and nothing is saved.
    let mut bad = Vec::new();
    let mut d = draft("定員なし");
    d["capacity"] = json!(0);
    bad.push((d, "capacity"));
    let mut d = draft("逆さの日程");
    d["sessions"][0]["ends_at"] = json!("2099-01-20T09:00:00+09:00");
    bad.push((d, "sessions.0.ends_at"));
    let mut d = draft("締切が遅い");
    d["applications_close"] = json!("2099-01-25T17:00:00+09:00");
    bad.push((d, "applications_close"));
    let mut d = draft("eラーニング");
    d["delivery"] = json!("e_learning");
    d["sessions"][0]["url"] = json!("ftp://learning.example.jp/iheat");
    d["sessions"][1]["url"] = json!("https://learning.example.jp/iheat");
    bad.push((d, "sessions.0.url"));
    let mut d = draft("職種違い");
    d["target_professions"] = json!(["nurse", "wizard"]);
    bad.push((d, "target_professions"));
    let mut d = draft("連番なし");
    d["certificate_scheme"] = json!("R8-東京-0001");
    bad.push((d, "certificate_scheme"));
    for (body, field) in bad {
        let refused = server.post("/api/v1/trainings", &w.tokyo, body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {:?}",
            refused.body
        );
        assert!(
            refused.fields().iter().any(|f| f.starts_with(field)),
            "{field}: {:?}",
            refused.body
        );
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM trainings").await, 0);

    // A draft tells nobody; publishing tells the approved nurses and public-health nurses.
    let made = server
        .post(
            "/api/v1/trainings",
            &w.tokyo,
            draft("感染症対応研修（東京都）"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_i64().expect("id");
    assert_eq!(made.body["kind"], "prefecture");
    assert_eq!(made.body["status"], "draft");
    assert_eq!(made.body["sessions"].as_array().map(Vec::len), Some(2));
    let path = format!("/api/v1/trainings/{id}");
    let published = server
        .post(&format!("{path}/publish"), &w.tokyo, json!(null))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["notified"], 2, "{:?}", published.body);
    assert_eq!(published.body["training"]["status"], "published");
    for (member, token) in &w.approved[1..] {
        let inbox = server.get("/api/v1/inbox", token).await;
        assert!(
            inbox.body["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|m| m["subject"]
                    == "【研修のご案内】感染症対応研修（東京都）"
                    && m["body"]
                        .as_str()
                        .is_some_and(|b| b.contains("2099-01-20 10:00–16:00")))),
            "member {member}: {:?}",
            inbox.body
        );
        assert_eq!(
            count(&server, &format!("SELECT COUNT(*) FROM mail_outbox WHERE member_id = {member} AND kind = 'training'")).await,
            1
        );
    }
    assert_eq!(
        count(&server, &format!("SELECT COUNT(*) FROM mail_outbox WHERE member_id = {pharmacist} AND kind = 'training'")).await,
        0,
        "a pharmacist is not a target"
    );

    // Publishing again is refused; editing and asking again tell nobody twice.
    let again = server
        .post(&format!("{path}/publish"), &w.tokyo, json!(null))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let mut edited = draft("感染症対応研修（東京都・改）");
    edited["capacity"] = json!(40);
    let put = server
        .call(Method::PUT, &path, Some(&w.tokyo), Some(edited))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    assert_eq!(put.body["capacity"], 40);
    let notify = format!("{path}/notify");
    let none = server.post(&notify, &w.tokyo, json!(null)).await;
    assert_eq!(none.status, StatusCode::OK, "{:?}", none.body);
    assert_eq!(none.body["notified"], 0);
    assert_eq!(told(&server, id).await, 2);

    // A member approved later is told with one call, once.
    let (applicant, _) = &w.applicant;
    let decided = server
        .post(
            &format!("/api/v1/members/{applicant}/memberships/13"),
            &w.tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
    let later = server.post(&notify, &w.tokyo, json!(null)).await;
    assert_eq!(later.body["notified"], 1, "{:?}", later.body);
    assert_eq!(
        server.post(&notify, &w.tokyo, json!(null)).await.body["notified"],
        0
    );
    assert_eq!(told(&server, id).await, 3);

    // 神奈川県 sees none of it and can change none of it; a member reads no operator list.
    let theirs = server.get("/api/v1/trainings", &w.kanagawa).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.body["total"], 0);
    assert_eq!(
        server.get(&path, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server.post(&notify, &w.kanagawa, json!(null)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .call(Method::PUT, &path, Some(&w.kanagawa), Some(draft("横取り")))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/v1/trainings", &w.approved[1].1)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The admin reads it but does not organise it.
    assert_eq!(server.get(&path, &admin).await.status, StatusCode::OK);
    assert_eq!(
        server
            .call(
                Method::PUT,
                &path,
                Some(&admin),
                Some(draft("事務局の書き換え"))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The admin's national training: 神奈川県 does not see the draft, sees it published,
    // and every approved public-health nurse is told.
    let mut national = draft("IHEAT 基礎研修（全国）");
    national["target_professions"] = json!(["public_health_nurse"]);
    national["certificate_scheme"] = json!("IHEAT-R8-{seq:5}");
    let made = server.post("/api/v1/trainings", &admin, national).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["kind"], "national");
    let national_path = format!("/api/v1/trainings/{}", made.body["id"]);
    assert_eq!(
        server.get(&national_path, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    let published = server
        .post(&format!("{national_path}/publish"), &admin, json!(null))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["notified"], 3, "{:?}", published.body);
    assert_eq!(
        server.get(&national_path, &w.kanagawa).await.status,
        StatusCode::OK
    );
    assert_eq!(
        server
            .post(&format!("{national_path}/publish"), &w.tokyo, json!(null))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "a prefecture does not organise a national training"
    );

    // Calling off needs a reason; a called-off training cannot be published or edited.
    let cancel = format!("{path}/cancel");
    let blank = server
        .post(&cancel, &w.tokyo, json!({ "reason": "　" }))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blank.fields(), ["reason"]);
    let off = server
        .post(
            &cancel,
            &w.tokyo,
            json!({ "reason": "会場の都合により中止します" }),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["status"], "cancelled");
    assert_eq!(
        server
            .call(Method::PUT, &path, Some(&w.tokyo), Some(draft("再開")))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        server.post(&notify, &w.tokyo, json!(null)).await.status,
        StatusCode::CONFLICT
    );
    let listed = server
        .get("/api/v1/trainings?status=cancelled", &w.tokyo)
        .await;
    assert_eq!(listed.body["total"], 1, "{:?}", listed.body);
}

#[tokio::test]
async fn members_apply_within_the_target_and_the_organiser_decides_within_capacity() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let (pharmacist, pharmacist_token) = &w.approved[0];
    server
        .db_execute(&format!(
            "UPDATE member_licences SET profession = 'pharmacist' WHERE member_id = {pharmacist}"
        ))
        .await;
    let mut body = draft("保健師のための疫学調査研修");
    body["target_professions"] = json!(["public_health_nurse"]);
    body["capacity"] = json!(1);
    let made = server.post("/api/v1/trainings", &w.tokyo, body).await;
    let id = made.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/trainings/{id}");
    let published = server
        .post(&format!("{path}/publish"), &w.tokyo, json!(null))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    let apply = format!("/api/v1/me/trainings/{id}/apply");

    // Outside the target: refused with the reason; not approved by 東京都: not even seen.
    let refused = server.post(&apply, pharmacist_token, json!(null)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.fields(), ["target_professions"]);
    assert!(
        refused.body["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("対象職種ではありません")),
        "{:?}",
        refused.body
    );
    let mine = server.get("/api/v1/me/trainings", pharmacist_token).await;
    assert_eq!(mine.body[0]["eligible"], false, "{:?}", mine.body);
    let (_, applicant_token) = &w.applicant;
    assert_eq!(
        server
            .post(&apply, applicant_token, json!(null))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/v1/me/trainings", applicant_token)
            .await
            .body,
        json!([])
    );

    // Two public-health nurses apply (once each).
    let (first, first_token) = &w.approved[1];
    let (second, second_token) = &w.approved[2];
    for token in [first_token, second_token] {
        let applied = server.post(&apply, token, json!(null)).await;
        assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
        assert_eq!(applied.body["application"]["status"], "applied");
    }
    assert_eq!(
        server.post(&apply, first_token, json!(null)).await.status,
        StatusCode::CONFLICT
    );
    let listed = server.get(&format!("{path}/applications"), &w.tokyo).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let applications = listed.body.as_array().expect("applications").clone();
    assert_eq!(applications.len(), 2);
    let of = |member: &i64| {
        applications
            .iter()
            .find(|a| a["member_id"] == *member)
            .and_then(|a| a["id"].as_i64())
            .expect("an application")
    };
    let decide = |application: i64, body: Value| {
        let (server, token) = (&server, w.tokyo.clone());
        let path = format!("{path}/applications/{application}/decide");
        async move { server.post(&path, &token, body).await }
    };

    // One place: the first approved, the second refused a place, waitlisted instead.
    let ok = decide(of(first), json!({ "decision": "approve" })).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body["status"], "approved");
    let full = decide(of(second), json!({ "decision": "approve" })).await;
    assert_eq!(full.status, StatusCode::CONFLICT, "{:?}", full.body);
    assert_eq!(full.fields(), ["capacity"]);
    let no_reason = decide(of(second), json!({ "decision": "reject" })).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.fields(), ["reason"]);
    let waiting = decide(of(second), json!({ "decision": "waitlist" })).await;
    assert_eq!(waiting.status, StatusCode::OK, "{:?}", waiting.body);
    let subjects = |token: String| {
        let server = &server;
        async move {
            server.get("/api/v1/inbox", &token).await.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|m| m["subject"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        }
    };
    assert!(subjects(first_token.clone())
        .await
        .contains(&"【研修受講決定】保健師のための疫学調査研修".to_string()));
    assert!(subjects(second_token.clone())
        .await
        .contains(&"【研修補欠】保健師のための疫学調査研修".to_string()));

    // The first withdraws; the organiser promotes the second from the waiting list.
    let withdrawn = server
        .post(
            &format!("/api/v1/me/trainings/{id}/withdraw"),
            first_token,
            json!(null),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_eq!(withdrawn.body["application"]["status"], "withdrawn");
    let promoted = decide(of(second), json!({ "decision": "approve" })).await;
    assert_eq!(promoted.status, StatusCode::OK, "{:?}", promoted.body);
    assert_eq!(
        decide(of(first), json!({ "decision": "approve" }))
            .await
            .status,
        StatusCode::CONFLICT,
        "a withdrawn application cannot be decided"
    );
    let read = server.get(&path, &w.tokyo).await;
    assert_eq!(read.body["approved"], 1);
    assert_eq!(read.body["waitlisted"], 0);

    // 神奈川県 sees no applicant and decides nothing; the ministry reads them.
    assert_eq!(
        server
            .get(&format!("{path}/applications"), &w.kanagawa)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .post(
                &format!("{path}/applications/{}/decide", of(second)),
                &w.kanagawa,
                json!({ "decision": "reject", "reason": "横取り" })
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let admin = server.admin("kenshu-admin").await;
    assert_eq!(
        server
            .get(&format!("{path}/applications"), &admin)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        server.get("/api/v1/me/trainings", &w.tokyo).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn forty_apply_thirty_complete_with_certificate_numbers_without_a_gap() {
    let server =
        TestServer::start_with(|c| c.roster.registrations_per_address_per_hour = 100).await;
    let w = world_of(&server, 40).await;
    let mut body = draft("感染症対応研修（東京都・第1回）");
    body["applications_open"] = json!("2026-01-01T09:00:00+09:00");
    let made = server.post("/api/v1/trainings", &w.tokyo, body).await;
    let id = made.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/trainings/{id}");
    let published = server
        .post(&format!("{path}/publish"), &w.tokyo, json!(null))
        .await;
    assert_eq!(published.body["notified"], 40, "{:?}", published.body);
    let apply = format!("/api/v1/me/trainings/{id}/apply");
    for (_, token) in &w.approved {
        let applied = server.post(&apply, token, json!(null)).await;
        assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
    }
    let applications = server.get(&format!("{path}/applications"), &w.tokyo).await;
    let ids: Vec<i64> = applications
        .body
        .as_array()
        .expect("applications")
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 40);
    let decide = |application: i64, decision: &str| {
        let (server, token) = (&server, w.tokyo.clone());
        let path = format!("{path}/applications/{application}/decide");
        let body = json!({ "decision": decision });
        async move { server.post(&path, &token, body).await }
    };
    for (i, application) in ids.iter().enumerate() {
        let decided = decide(*application, if i < 30 { "approve" } else { "waitlist" }).await;
        assert_eq!(decided.status, StatusCode::OK, "{i}: {:?}", decided.body);
    }
    assert_eq!(
        decide(ids[30], "approve").await.status,
        StatusCode::CONFLICT,
        "full"
    );
    // One approved member withdraws; the first waitlisted one takes the place.
    let (_, leaver) = &w.approved[0];
    let withdrawn = server
        .post(
            &format!("/api/v1/me/trainings/{id}/withdraw"),
            leaver,
            json!(null),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_eq!(decide(ids[30], "approve").await.status, StatusCode::OK);
    assert_eq!(
        decide(ids[31], "approve").await.status,
        StatusCode::CONFLICT,
        "full again"
    );
    let participants: Vec<i64> = ids[1..31].to_vec();

    // Held: both sessions attended (in bulk), then completion in two halves at once.
    for status in ["closed", "held"] {
        let moved = server
            .post(
                &format!("{path}/status"),
                &w.tokyo,
                json!({ "status": status }),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{status}: {:?}", moved.body);
    }
    let training = server.get(&path, &w.tokyo).await;
    let sessions: Vec<i64> = training.body["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect();
    let complete = format!("{path}/completions");
    let early = server
        .post(
            &complete,
            &w.tokyo,
            json!({ "application_ids": participants }),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "attendance first: {:?}",
        early.body
    );
    for session in &sessions {
        let marked = server
            .post(
                &format!("{path}/attendance"),
                &w.tokyo,
                json!({ "session_id": session, "application_ids": participants, "attended": true }),
            )
            .await;
        assert_eq!(marked.status, StatusCode::OK, "{:?}", marked.body);
    }
    let not_approved = server
        .post(&complete, &w.tokyo, json!({ "application_ids": [ids[0]] }))
        .await;
    assert_eq!(
        not_approved.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the withdrawn one"
    );
    let (a, b) = participants.split_at(15);
    let (first, second) = tokio::join!(
        server.post(&complete, &w.tokyo, json!({ "application_ids": a })),
        server.post(&complete, &w.tokyo, json!({ "application_ids": b })),
    );
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
    let mut numbers: Vec<String> = [first.body, second.body]
        .iter()
        .flat_map(|c| c["issued"].as_array().expect("issued").clone())
        .filter_map(|i| i["certificate_number"].as_str().map(str::to_string))
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=30).map(|n| format!("R8-東京-{n:04}")).collect();
    assert_eq!(numbers, expected, "30 numbers, no gap, none twice");
    let again = server
        .post(
            &complete,
            &w.tokyo,
            json!({ "application_ids": [participants[0]] }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "completed once"
    );

    // The roster's "trained in" filter finds exactly the thirty; 大阪府 none of it.
    let trained = server
        .get(
            &format!("/api/v1/members?training={}", "感染症対応研修"),
            &w.tokyo,
        )
        .await;
    assert_eq!(trained.status, StatusCode::OK, "{:?}", trained.body);
    assert_eq!(trained.body["total"], 30, "{:?}", trained.body["total"]);
    let record = server
        .get(&format!("/api/v1/members/{}", w.approved[1].0), &w.tokyo)
        .await;
    assert!(
        record.body["trainings"].as_array().is_some_and(|t| t
            .iter()
            .any(|t| t["certificate_number"]
                .as_str()
                .is_some_and(|n| n.starts_with("R8-東京-")))),
        "{:?}",
        record.body["trainings"]
    );
    let mine = server.get("/api/v1/me/trainings", &w.approved[1].1).await;
    assert!(mine.body[0]["application"]["certificate_number"]
        .as_str()
        .is_some_and(|n| n.starts_with("R8-東京-")));
    assert_eq!(
        server.get(&path, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = server
        .get(
            &format!("/api/v1/members?training={}", "感染症対応研修"),
            &w.kanagawa,
        )
        .await;
    // The one member who also applied to 神奈川県 is in its roster, with its history (a
    // member's trainings are part of its record); nobody else is.
    assert_eq!(theirs.body["total"], 1, "{:?}", theirs.body);
    assert_eq!(theirs.body["items"][0]["id"], w.approved[2].0);
    let done = server
        .post(
            &format!("{path}/status"),
            &w.tokyo,
            json!({ "status": "completed" }),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);

    // Honoraria: due for the thirty at 5,000 yen; one paid (method and day required), one
    // waived (a note required), each change kept; exported in CP932 with the totals.
    let payments = format!("{path}/payments");
    let due = server.post(&payments, &w.tokyo, json!(null)).await;
    assert_eq!(due.status, StatusCode::OK, "{:?}", due.body);
    assert_eq!(due.body["payments"].as_array().map(Vec::len), Some(30));
    assert_eq!(due.body["due_yen"], 150_000);
    let again = server.post(&payments, &w.tokyo, json!(null)).await;
    assert_eq!(
        again.body["payments"].as_array().map(Vec::len),
        Some(30),
        "once each"
    );
    let ids: Vec<i64> = due.body["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    let update = |payment: i64, body: Value| {
        let (server, token) = (&server, w.tokyo.clone());
        let path = format!("{payments}/{payment}");
        async move {
            server
                .call(Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };
    let missing = update(ids[0], json!({ "status": "paid" })).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.fields(), ["method", "paid_on"]);
    let paid = update(
        ids[0],
        json!({ "status": "paid", "method": "bank_transfer", "paid_on": "2027-02-10" }),
    )
    .await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.body);
    let unnoted = update(ids[1], json!({ "status": "waived" })).await;
    assert_eq!(unnoted.fields(), ["note"]);
    let waived = update(
        ids[1],
        json!({ "status": "waived", "note": "本人より辞退の申し出" }),
    )
    .await;
    assert_eq!(waived.status, StatusCode::OK);
    assert_eq!(waived.body["paid_yen"], 5000);
    assert_eq!(waived.body["waived_yen"], 5000);
    assert_eq!(waived.body["due_yen"], 140_000);
    let first = waived.body["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .find(|p| p["id"] == ids[0])
        .expect("paid")
        .clone();
    let history: Vec<&str> = first["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["status"].as_str())
        .collect();
    assert_eq!(history, ["due", "paid"]);
    let export = |token: String| {
        let server = &server;
        async move {
            let (status, _, bytes) = server
                .send_bytes(
                    Method::GET,
                    "/api/v1/training-payments/export?fiscal_year=2026&encoding=cp932",
                    &token,
                    "text/plain",
                    Vec::new(),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
            let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
            assert!(!bad);
            text.lines().map(str::to_string).collect::<Vec<_>>()
        }
    };
    let lines = export(w.tokyo.clone()).await;
    assert_eq!(lines.len(), 1 + 30 + 3, "{lines:#?}");
    assert!(lines[0].starts_with("研修,登録コード,氏名,修了証番号,金額（円）"));
    assert!(
        lines[1].contains("R8-東京-0001") && lines[1].contains(",5000,支払済,銀行振込,2027-02-10,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[31].starts_with("合計（未払）,,,,140000"),
        "{lines:#?}"
    );
    assert!(lines[32].starts_with("合計（支払済）,,,,5000"));
    assert!(lines[33].starts_with("合計（辞退・不要）,,,,5000"));
    let theirs = export(w.kanagawa.clone()).await;
    assert_eq!(theirs.len(), 4, "the totals alone: {theirs:#?}");
    assert_eq!(
        server.get(&payments, &w.kanagawa).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(
                "/api/v1/training-payments/export?fiscal_year=2026",
                &w.approved[1].1
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
