//! A small world for dispatch tests: 東京都 and 神奈川県, a health centre each, members
//! approved by 東京都 (one also applying to 神奈川県) and one applicant, with their sessions.

use crate::{registration, TestServer, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub struct World {
    pub tokyo: String,
    pub kanagawa: String,
    /// A 東京都 health centre and a 神奈川県 one.
    pub tokyo_centre: i64,
    pub kanagawa_centre: i64,
    /// Approved by 東京都: (member id, session).
    pub approved: Vec<(i64, String)>,
    /// Applied to 東京都, not yet approved.
    pub applicant: (i64, String),
}

/// Sets up the world with `approved` members approved by 東京都 (the third also applying to
/// 神奈川県) and one more applicant.
pub async fn world_of(server: &TestServer, approved: usize) -> World {
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    let (_, kanagawa) = server
        .issue(&admin, json!({ "login": "kanagawa", "display_name": "神奈川県 担当", "role": "prefecture", "prefecture_code": "14" }))
        .await;
    let tokyo_org = server.prefecture_org(&admin, "13").await;
    let kanagawa_org = server.prefecture_org(&admin, "14").await;
    let centre = |parent: i64, name: &str| {
        let body = json!({ "kind": "health_centre", "name": name, "parent_id": parent });
        let admin = admin.clone();
        async move {
            let made = server.post("/api/v1/organisations", &admin, body).await;
            assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
            made.body["id"].as_i64().expect("centre id")
        }
    };
    let tokyo_centre = centre(tokyo_org, "多摩府中保健所").await;
    let kanagawa_centre = centre(kanagawa_org, "厚木保健福祉事務所").await;
    let mut people = Vec::new();
    for i in 0..=approved {
        let prefectures: &[&str] = if i == 2 { &["13", "14"] } else { &["13"] };
        let registered = server
            .register(registration(
                &format!("派遣 花子{i}"),
                "はけん はなこ",
                &format!("haken{i}@example.jp"),
                prefectures,
            ))
            .await;
        assert_eq!(
            registered.status,
            StatusCode::CREATED,
            "{:?}",
            registered.body
        );
        let id = registered.body["member_id"].as_i64().expect("member id");
        let login = registered.body["login"]
            .as_str()
            .expect("login")
            .to_string();
        people.push((id, server.login(&login, PASSWORD).await));
    }
    let applicant = people.pop().expect("four people");
    for (id, _) in &people {
        let decided = server
            .post(
                &format!("/api/v1/members/{id}/memberships/13"),
                &tokyo,
                json!({ "decision": "approve" }),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
    }
    World {
        tokyo,
        kanagawa,
        tokyo_centre,
        kanagawa_centre,
        approved: people,
        applicant,
    }
}

/// Three days, two slots a day (a day shift and an overnight one), far ahead.
pub fn draft(centre: i64) -> Value {
    json!({
        "title": "積極的疫学調査・健康観察の応援",
        "health_centre_id": centre,
        "duties": ["active_investigation", "health_observation"],
        "answer_deadline": "2099-03-01T18:00:00+09:00",
        "notes": "集合は8:45、保健所1階。\n駐車場はありません。",
        "series": [
            { "from": "2099-03-02", "to": "2099-03-04", "start": "09:00", "end": "17:00", "needed": 2, "professions": ["public_health_nurse", "nurse"] },
            { "from": "2099-03-02", "to": "2099-03-04", "start": "２２：００", "end": "06:00", "needed": 1 },
        ],
    })
}

/// Writes a request as `token`, which must be accepted: its id and its slots in time order.
pub async fn create_request(server: &TestServer, token: &str, body: Value) -> (i64, Vec<Value>) {
    let created = server.post("/api/v1/dispatch-requests", token, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let slots = created.body["slots"].as_array().expect("slots").clone();
    (id, slots)
}

/// The ids of slots as a request lists them.
pub fn slot_ids(slots: &[Value]) -> Vec<i64> {
    slots
        .iter()
        .map(|s| s["id"].as_i64().expect("slot"))
        .collect()
}

/// The world with three members approved by 東京都.
pub async fn world(server: &TestServer) -> World {
    world_of(server, 3).await
}

/// Sends a form to the answer page as a browser does (form-encoded), from `site`.
pub async fn post_form(
    server: &TestServer,
    path: &str,
    form: &str,
    site: &str,
) -> (StatusCode, String) {
    let response = server
        .http
        .post(format!("{}{path}", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", site)
        .body(form.to_string())
        .send()
        .await
        .expect("post");
    let status = response.status();
    (status, response.text().await.expect("page"))
}

/// The people of a grid.
pub fn people(grid: &Value) -> &Vec<Value> {
    grid["people"].as_array().expect("people")
}

/// `(member, slot index)` of every cell holding a seat.
pub fn seats(grid: &Value) -> Vec<(i64, usize)> {
    people(grid)
        .iter()
        .flat_map(|p| {
            let member = p["member_id"].as_i64().expect("member");
            p["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .enumerate()
                .filter_map(move |(j, c)| {
                    matches!(
                        c["assignment"].as_str(),
                        Some("planned" | "requested" | "accepted")
                    )
                    .then_some((member, j))
                })
        })
        .collect()
}

/// How many cells of a grid break a rule.
pub fn conflicts(grid: &Value) -> usize {
    people(grid)
        .iter()
        .flat_map(|p| p["cells"].as_array().expect("cells").iter())
        .filter(|c| c["conflicts"].as_array().is_some_and(|a| !a.is_empty()))
        .count()
}

/// The open seats of each slot of a grid, in slot order.
pub fn gaps(grid: &Value) -> Vec<u64> {
    grid["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| s["gap"].as_u64().expect("gap"))
        .collect()
}

/// A request of 東京都 (three days, a day slot for two and an overnight slot for one), sent to
/// its roster; every member answers available for every slot, except the first (days only).
pub async fn planned_request(server: &TestServer, w: &World) -> (i64, Vec<i64>) {
    let (id, rows) = create_request(server, &w.tokyo, draft(w.tokyo_centre)).await;
    let slots = slot_ids(&rows);
    let sent = server
        .post(
            &format!("/api/v1/dispatch-requests/{id}/send"),
            &w.tokyo,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    for (i, (_, token)) in w.approved.iter().enumerate() {
        // Slots alternate day, night in time order.
        let answers: Vec<Value> = slots
            .iter()
            .enumerate()
            .map(|(j, slot)| json!({ "slot_id": slot, "available": i != 0 || j % 2 == 0, "duties": ["active_investigation"] }))
            .collect();
        let answered = server
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/me/dispatch-requests/{id}/answer"),
                Some(token),
                Some(json!({ "slots": answers })),
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    }
    (id, slots)
}
