//! The shift grid over HTTP on either backend: auto-fill fills the seats the answers allow and
//! never breaks a hard rule, hand changes are flagged, confirming sends formal requests, a
//! decline opens the seat at once and re-plan fills it with someone new, who alone is asked;
//! a member approved by two prefectures is only "busy" in the second one's grid, and the
//! database refuses to commit anyone twice at one time, also to concurrent confirmations.

use ouen_tests::dispatch::{conflicts, draft, gaps, people, planned_request, seats, world_of};
use ouen_tests::{join_all, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn auto_fill_confirm_decline_and_replan() {
    let server = TestServer::start().await;
    let w = world_of(&server, 6).await;
    let (id, slots) = planned_request(&server, &w).await;
    let path = format!("/api/v1/dispatch-requests/{id}");

    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(grid.status, StatusCode::OK, "{:?}", grid.body);
    assert_eq!(people(&grid.body).len(), 6);
    assert_eq!(grid.body["slots"].as_array().expect("slots").len(), 6);
    assert_eq!(people(&grid.body)[0]["cells"][0]["reply"], "available");
    assert_eq!(gaps(&grid.body), [2, 1, 2, 1, 2, 1]);
    // 神奈川県 cannot read the grid.
    assert_eq!(
        server
            .get(&format!("{path}/grid"), &w.kanagawa)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Auto-fill: every seat filled (six people, nine seats, days and nights kept apart by the
    // 8-hour rest), and no cell breaks a rule.
    let filled = server
        .post(&format!("{path}/auto-fill"), &w.tokyo, json!(null))
        .await;
    assert_eq!(filled.status, StatusCode::OK, "{:?}", filled.body);
    assert_eq!(gaps(&filled.body), [0; 6], "{:?}", filled.body["slots"]);
    assert_eq!(conflicts(&filled.body), 0);
    assert_eq!(filled.body["status"], "planning");
    let planned = seats(&filled.body);
    assert_eq!(planned.len(), 9);
    // Nobody works a day slot and the overnight slot right after it, or the reverse.
    for (member, j) in &planned {
        assert!(
            !planned.contains(&(*member, j + 1)),
            "{member} in slots {j} and {}",
            j + 1
        );
    }
    // The first member said no to nights: never planned on one.
    let first = w.approved[0].0;
    assert!(planned.iter().all(|(m, j)| *m != first || j % 2 == 0));

    // A hand change that breaks the rest rule is kept and flagged, then undone.
    let (member, j) = planned
        .iter()
        .copied()
        .find(|(_, j)| j % 2 == 0)
        .expect("a day seat");
    let change = |assign: bool| json!({ "changes": [{ "slot_id": slots[j + 1], "member_id": member, "assign": assign }] });
    let flagged = server
        .post(&format!("{path}/assignments"), &w.tokyo, change(true))
        .await;
    assert_eq!(flagged.status, StatusCode::OK, "{:?}", flagged.body);
    assert!(conflicts(&flagged.body) >= 1);
    let undone = server
        .post(&format!("{path}/assignments"), &w.tokyo, change(false))
        .await;
    assert_eq!(conflicts(&undone.body), 0);
    let unknown = server
        .post(&format!("{path}/assignments"), &w.tokyo, json!({ "changes": [{ "slot_id": i64::MAX, "member_id": w.applicant.0, "assign": true }] }))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown.fields(),
        ["changes.0.slot_id", "changes.0.member_id"]
    );

    // Confirming sends one formal request to each planned member.
    let confirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    assert_eq!(confirmed.body["requested"], 9);
    let members = confirmed.body["members"].as_i64().expect("members");
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM inbox_messages WHERE kind = 'formal_request'")
            .await,
        members
    );
    assert_eq!(
        server
            .db_number("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'formal_request'")
            .await,
        members
    );
    assert_eq!(
        server.get(&path, &w.tokyo).await.body["status"],
        "confirmed"
    );

    // Two members decline (a reason is required), one accepts; the gaps show at once.
    let token_of = |member: i64| {
        w.approved
            .iter()
            .find(|(m, _)| *m == member)
            .map(|(_, t)| t.clone())
            .expect("session")
    };
    let mine = |member: i64| {
        let token = token_of(member);
        let server = &server;
        async move {
            server
                .get(&format!("/api/v1/me/dispatch-requests/{id}"), &token)
                .await
                .body["assignments"]
                .clone()
        }
    };
    let mut decliners = Vec::new();
    for (member, _) in planned.iter().take(3) {
        if decliners.contains(member) {
            continue;
        }
        decliners.push(*member);
    }
    let accepter = decliners.pop().expect("three seats, at least two people");
    decliners.truncate(2);
    let theirs = mine(accepter).await;
    let accepted = server
        .post(
            &format!("/api/v1/me/assignments/{}/accept", theirs[0]["id"]),
            &token_of(accepter),
            json!(null),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    assert_eq!(accepted.body["status"], "accepted");
    let again = server
        .post(
            &format!("/api/v1/me/assignments/{}/accept", theirs[0]["id"]),
            &token_of(accepter),
            json!(null),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let mut declined_seats = 0;
    for member in &decliners {
        let theirs = mine(*member).await;
        let one = &theirs[0];
        let path = format!("/api/v1/me/assignments/{}/decline", one["id"]);
        let without = server
            .post(&path, &token_of(*member), json!({ "reason": "  " }))
            .await;
        assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(without.fields(), ["reason"]);
        let declined = server
            .post(
                &path,
                &token_of(*member),
                json!({ "reason": "家族の看病のため" }),
            )
            .await;
        assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
        assert_eq!(declined.body["status"], "declined");
        declined_seats += 1;
    }
    // Someone else's assignment is not found.
    let other = mine(accepter).await;
    let stranger = server
        .post(
            &format!("/api/v1/me/assignments/{}/accept", other[0]["id"]),
            &token_of(decliners[0]),
            json!(null),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(gaps(&grid.body).iter().sum::<u64>(), declined_seats);

    // Re-plan proposes replacements for the open seats only; confirming asks only them.
    let before: i64 = server
        .db_number("SELECT COUNT(*) FROM inbox_messages WHERE kind = 'formal_request'")
        .await;
    let replanned = server
        .post(&format!("{path}/replan"), &w.tokyo, json!(null))
        .await;
    assert_eq!(replanned.status, StatusCode::OK, "{:?}", replanned.body);
    assert_eq!(conflicts(&replanned.body), 0);
    assert_eq!(
        gaps(&replanned.body).iter().sum::<u64>(),
        0,
        "{:?}",
        replanned.body["slots"]
    );
    let new_people: Vec<i64> = people(&replanned.body)
        .iter()
        .filter(|p| {
            p["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .any(|c| c["assignment"] == "planned")
        })
        .map(|p| p["member_id"].as_i64().expect("member"))
        .collect();
    assert!(!new_people.is_empty());
    let reconfirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(reconfirmed.status, StatusCode::OK, "{:?}", reconfirmed.body);
    assert_eq!(reconfirmed.body["requested"], declined_seats as i64);
    assert_eq!(reconfirmed.body["members"], new_people.len() as i64);
    let after = server
        .db_number("SELECT COUNT(*) FROM inbox_messages WHERE kind = 'formal_request'")
        .await;
    assert_eq!(after - before, new_people.len() as i64);
    let admin = server.login("jimukyoku", ouen_tests::PASSWORD).await;
    for action in [
        "dispatch.grid",
        "dispatch.auto_fill",
        "dispatch.plan",
        "dispatch.confirm",
        "dispatch.accept",
        "dispatch.decline",
        "dispatch.replan",
    ] {
        assert!(
            !server.audit(&admin, action).await.is_empty(),
            "{action} not audited"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_member_of_two_prefectures_is_only_busy_elsewhere_and_never_booked_twice() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let shared = w.approved[2].0;
    let approved = server
        .post(
            &format!("/api/v1/members/{shared}/memberships/14"),
            &w.kanagawa,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let (tokyo_id, tokyo_slots) = planned_request(&server, &w).await;
    // 東京都 puts the shared member in the first day slot and confirms; it accepts.
    let plan =
        json!({ "changes": [{ "slot_id": tokyo_slots[0], "member_id": shared, "assign": true }] });
    let planned = server
        .post(
            &format!("/api/v1/dispatch-requests/{tokyo_id}/assignments"),
            &w.tokyo,
            plan,
        )
        .await;
    assert_eq!(planned.status, StatusCode::OK, "{:?}", planned.body);
    assert_eq!(
        server
            .post(
                &format!("/api/v1/dispatch-requests/{tokyo_id}/confirm"),
                &w.tokyo,
                json!(null)
            )
            .await
            .status,
        StatusCode::OK
    );

    // 神奈川県 asks its roster for the same days: the shared member shows as busy, nothing more.
    let created = server
        .post(
            "/api/v1/dispatch-requests",
            &w.kanagawa,
            draft(w.kanagawa_centre),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let slot = created.body["slots"][0]["id"].as_i64().expect("slot");
    let sent = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/send"),
            &w.kanagawa,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(
        sent.body["asked_now"], 1,
        "only the shared member is approved by 神奈川県"
    );
    let token = &w.approved[2].1;
    let answer = json!({ "slots": [{ "slot_id": slot, "available": true, "duties": ["active_investigation"] }] });
    let answered = server
        .call(
            Method::PUT,
            &format!("/api/v1/me/dispatch-requests/{id}/answer"),
            Some(token),
            Some(answer),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    let grid = server
        .get(&format!("/api/v1/dispatch-requests/{id}/grid"), &w.kanagawa)
        .await;
    assert_eq!(grid.status, StatusCode::OK);
    let cell = &grid.body["people"][0]["cells"][0];
    assert_eq!(cell["busy"], true, "{cell:?}");
    let text = grid.body.to_string();
    for secret in ["多摩府中保健所", "東京都", &tokyo_id.to_string()[..]] {
        assert!(
            !text.contains(&format!("\"{secret}\"")) && !text.contains(&format!("{secret}保健所")),
            "{secret} leaked: {text}"
        );
    }
    assert!(!text.contains("多摩府中"), "{text}");
    // Auto-fill will not plan the busy member; a hand plan is flagged, and confirming it is
    // refused by the database.
    let filled = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/auto-fill"),
            &w.kanagawa,
            json!(null),
        )
        .await;
    assert_eq!(
        filled.body["slots"][0]["gap"], 2,
        "{:?}",
        filled.body["slots"][0]
    );
    assert_eq!(filled.body["slots"][0]["unfilled"], "only_conflicted");
    let plan = json!({ "changes": [{ "slot_id": slot, "member_id": shared, "assign": true }] });
    let flagged = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/assignments"),
            &w.kanagawa,
            plan,
        )
        .await;
    let conflicts = &flagged.body["people"][0]["cells"][0]["conflicts"];
    assert_eq!(
        conflicts[0],
        json!({ "kind": "overlap", "other_slot_id": null }),
        "{conflicts:?}"
    );
    let refused = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/confirm"),
            &w.kanagawa,
            json!(null),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(server.db_number(&format!("SELECT COUNT(*) FROM dispatch_assignments WHERE request_id = {id} AND status = 'requested'")).await, 0);
    assert_eq!(server.db_number("SELECT COUNT(*) FROM inbox_messages WHERE kind = 'formal_request' AND subject_id = (SELECT MAX(id) FROM dispatch_requests)").await, 0);
    server.stop().await;
}

#[tokio::test]
async fn two_confirmations_at_once_commit_a_member_once() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let shared = w.approved[2].0;
    server
        .post(
            &format!("/api/v1/members/{shared}/memberships/14"),
            &w.kanagawa,
            json!({ "decision": "approve" }),
        )
        .await;
    // Each prefecture plans the shared member into an overlapping slot before either confirms.
    let mut requests = Vec::new();
    for (token, centre) in [(&w.tokyo, w.tokyo_centre), (&w.kanagawa, w.kanagawa_centre)] {
        let created = server
            .post("/api/v1/dispatch-requests", token, draft(centre))
            .await;
        let id = created.body["id"].as_i64().expect("id");
        let slot = created.body["slots"][0]["id"].as_i64().expect("slot");
        server
            .post(
                &format!("/api/v1/dispatch-requests/{id}/send"),
                token,
                json!({ "filter": {} }),
            )
            .await;
        let plan = json!({ "changes": [{ "slot_id": slot, "member_id": shared, "assign": true }] });
        let planned = server
            .post(
                &format!("/api/v1/dispatch-requests/{id}/assignments"),
                token,
                plan,
            )
            .await;
        assert_eq!(planned.status, StatusCode::OK, "{:?}", planned.body);
        requests.push((id, token.clone()));
    }
    // On PostgreSQL the two confirmations go through two server instances.
    let second = if server.database.is_postgres() {
        Some(TestServer::start_on(server.database.clone(), |_| {}).await)
    } else {
        None
    };
    let bases = [
        server.base.clone(),
        second
            .as_ref()
            .map_or(server.base.clone(), |s| s.base.clone()),
    ];
    let http = server.http.clone();
    let answers = join_all(requests.into_iter().zip(bases).map(|((id, token), base)| {
        let http = http.clone();
        async move {
            http.post(format!("{base}/api/v1/dispatch-requests/{id}/confirm"))
                .bearer_auth(token)
                .send()
                .await
                .expect("confirm")
                .status()
        }
    }))
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|s| s.as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 409],
        "exactly one confirmation commits the member"
    );
    assert_eq!(
        server.db_number(&format!("SELECT COUNT(*) FROM dispatch_assignments WHERE member_id = {shared} AND status = 'requested'")).await,
        1
    );
    if let Some(second) = second {
        second.stop().await;
    }
    server.stop().await;
}

#[tokio::test]
async fn a_declined_seat_is_never_proposed_to_the_same_member_again() {
    let server = TestServer::start().await;
    let w = world_of(&server, 2).await;
    let body = json!({
        "title": "検体採取の応援",
        "health_centre_id": w.tokyo_centre,
        "duties": ["specimen_collection"],
        "answer_deadline": "2099-03-01T18:00:00+09:00",
        "slots": [{ "starts_at": "2099-03-02T09:00:00+09:00", "ends_at": "2099-03-02T17:00:00+09:00", "needed": 1 }],
    });
    let created = server
        .post("/api/v1/dispatch-requests", &w.tokyo, body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let slot = created.body["slots"][0]["id"].as_i64().expect("slot");
    let path = format!("/api/v1/dispatch-requests/{id}");
    server
        .post(&format!("{path}/send"), &w.tokyo, json!({ "filter": {} }))
        .await;
    for (_, token) in &w.approved {
        let answer = json!({ "slots": [{ "slot_id": slot, "available": true, "duties": ["specimen_collection"] }] });
        let answered = server
            .call(
                Method::PUT,
                &format!("/api/v1/me/dispatch-requests/{id}/answer"),
                Some(token),
                Some(answer),
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    }
    let seat_holder =
        |grid: &Value| -> Vec<i64> { seats(grid).into_iter().map(|(m, _)| m).collect() };
    let decline = |member: i64| {
        let token = w
            .approved
            .iter()
            .find(|(m, _)| *m == member)
            .map(|(_, t)| t.clone())
            .expect("session");
        let server = &server;
        async move {
            let mine = server
                .get(&format!("/api/v1/me/dispatch-requests/{id}"), &token)
                .await;
            let seat = mine.body["assignments"][0]["id"].as_i64().expect("seat");
            let declined = server
                .post(
                    &format!("/api/v1/me/assignments/{seat}/decline"),
                    &token,
                    json!({ "reason": "体調不良のため" }),
                )
                .await;
            assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
        }
    };
    let filled = server
        .post(&format!("{path}/auto-fill"), &w.tokyo, json!(null))
        .await;
    let first = seat_holder(&filled.body);
    assert_eq!(first.len(), 1);
    server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    decline(first[0]).await;

    // Both re-plan and a fresh auto-fill propose the other member, never the one who declined
    // (its answer still says available).
    for action in ["replan", "auto-fill"] {
        let proposed = server
            .post(&format!("{path}/{action}"), &w.tokyo, json!(null))
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{:?}", proposed.body);
        let holders = seat_holder(&proposed.body);
        assert_eq!(holders.len(), 1, "{action}: {:?}", proposed.body["slots"]);
        assert_ne!(
            holders[0], first[0],
            "{action} proposed the member who declined"
        );
    }
    let second = seat_holder(
        &server
            .post(&format!("{path}/replan"), &w.tokyo, json!(null))
            .await
            .body,
    )[0];
    server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    decline(second).await;
    // Both declined: the seat stays open, and the grid says nobody is left to ask.
    let proposed = server
        .post(&format!("{path}/replan"), &w.tokyo, json!(null))
        .await;
    assert_eq!(gaps(&proposed.body), [1]);
    assert_eq!(proposed.body["slots"][0]["unfilled"], "nobody_available");
    let cells: Vec<&Value> = people(&proposed.body)
        .iter()
        .map(|p| &p["cells"][0])
        .collect();
    assert!(
        cells
            .iter()
            .all(|c| c["reply"] == "available" && c["assignment"] == "declined"),
        "{cells:?}"
    );
    server.stop().await;
}
