//! The acceptance scenario of dispatch and shifts, walked as its users walk it, through the
//! HTTP API of the real `ouen-server serve` (whose outbox worker writes each e-mail as an
//! `.eml` file) on either backend:
//!
//! 1. 東京都 has a roster of 200 approved nurses and public-health nurses (45 registered
//!    through the API, the rest imported from its CSV) and 20 pharmacists;
//! 2. it creates a three-day request with a day slot and an overnight slot (22:00–06:00) a day,
//!    counts the members a roster filter matches (200) and sends it to them (200 asked; sending
//!    again asks nobody);
//! 3. 60 members answer: the registered ones through the API, others through the personal link
//!    of their e-mail (one of them in headless Chromium at phone size);
//! 4. auto-fill fills every seat the answers allow, with no conflict;
//! 5. confirming sends the formal requests (inbox and e-mail);
//! 6. two members decline (a reason is required): the gaps show in the grid at once and the
//!    operator's open event stream hears of it;
//! 7. re-plan proposes replacements from the remaining available members only; confirming
//!    again asks only them, and they accept;
//! 8. a member approved by 神奈川県 too is only "busy" in 神奈川県's grid, which tells nothing
//!    of 東京都's request.

use ouen_tests::browser::Driver;
use ouen_tests::dispatch::{
    conflicts, create_request, gaps, people, post_form, seats, slot_ids, world_of, World,
};
use ouen_tests::events::Stream;
use ouen_tests::mail::{drained, eml_text, ServerProcess};
use ouen_tests::{TestDatabase, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Members registered through the API (with accounts), all approved by 東京都.
const REGISTERED: usize = 45;
/// Nurses and public-health nurses 東京都 imports from its CSV.
const IMPORTED: usize = 200 - REGISTERED;
/// Pharmacists it imports too, whom the roster filter leaves out.
const PHARMACISTS: usize = 20;
/// Members who answer.
const ANSWERING: usize = 60;
/// Seats of a day slot and of a night slot.
const DAY_SEATS: u64 = 6;
const NIGHT_SEATS: u64 = 2;

const TITLE: &str = "積極的疫学調査・健康観察の応援（都内3日間）";
const CENTRE: &str = "多摩府中保健所";

/// The request: 2099-03-02 to 04, 09:00–17:00 and 22:00–06:00 (next day) each day.
fn request_body(title: &str, centre: i64) -> Value {
    json!({
        "title": title,
        "health_centre_id": centre,
        "duties": ["active_investigation", "health_observation"],
        "answer_deadline": "2099-03-01T18:00:00+09:00",
        "notes": "集合は8:45、保健所1階。",
        "series": [
            { "from": "2099-03-02", "to": "2099-03-04", "start": "09:00", "end": "17:00", "needed": DAY_SEATS, "professions": ["public_health_nurse", "nurse"] },
            { "from": "2099-03-02", "to": "2099-03-04", "start": "22:00", "end": "06:00", "needed": NIGHT_SEATS },
        ],
    })
}

/// The roster file 東京都 keeps in Excel: nurses and public-health nurses, then pharmacists.
fn roster_csv() -> String {
    let mut text = String::from("氏名,ふりがな,生年月日,メールアドレス,電話番号,都道府県コード,市区町村コード,番地等,職種,免許番号,免許年月日,経験年数,経験分野,言語,協力可能開始日,協力可能終了日,協力方法,備考\r\n");
    for i in 0..IMPORTED + PHARMACISTS {
        let (profession, licence, licensed) = if i < IMPORTED {
            ("看護師、保健師", format!("N{i};P{i}"), "1998/4/1;2000/4/1")
        } else {
            ("薬剤師", format!("Y{i}"), "2000/4/1")
        };
        text.push_str(&format!(
            "都民 看護{i},とみん かんご,1975/4/{day},kango{i}@example.jp,042-620-{i:04},13,132012,元本郷町3-24-1,{profession},{licence},{licensed},20,感染症対策,日本語,2026/1/1,2099/12/31,現地派遣,\r\n",
            day = i % 28 + 1,
        ));
    }
    text
}

/// Who answers what. Answerer `i` is a day person (`i % 3 != 2`) or a night person: a day
/// person can work the first two day slots, the first four day people the third day too; a
/// night person the first two nights, only the first night person (the member of two
/// prefectures) the third night too. So every seat of the first two days can be filled, the
/// third day holds 4 of 6 day seats and 1 of 2 night seats.
fn availability(i: usize, slot: usize) -> bool {
    let day_person = |k: usize| k % 3 != 2;
    let rank = (0..i).filter(|k| day_person(*k) == day_person(i)).count();
    match (slot.is_multiple_of(2), day_person(i), slot / 2) {
        (true, true, 0 | 1) | (false, false, 0 | 1) => true,
        (true, true, _) => rank < 4,
        (false, false, _) => rank < 1,
        _ => false,
    }
}

/// The seats the answers make possible per slot: min(needed, available).
fn fillable(slots: usize) -> Vec<u64> {
    (0..slots)
        .map(|j| {
            let available = (0..ANSWERING).filter(|i| availability(*i, j)).count() as u64;
            let needed = if j % 2 == 0 { DAY_SEATS } else { NIGHT_SEATS };
            needed.min(available)
        })
        .collect()
}

fn answers(slots: &[i64], i: usize) -> Vec<Value> {
    slots
        .iter()
        .enumerate()
        .map(|(j, slot)| {
            let available = availability(i, j);
            json!({ "slot_id": slot, "available": available, "duties": if available { json!(["active_investigation"]) } else { json!([]) } })
        })
        .collect()
}

/// The same answer as the page's form sends it.
fn answer_form(slots: &[i64], i: usize) -> String {
    slots
        .iter()
        .enumerate()
        .map(|(j, slot)| {
            if availability(i, j) {
                format!("slot_{slot}=yes&duty_{slot}=active_investigation")
            } else {
                format!("slot_{slot}=no")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The personal link in the e-mail of `kind` the member received last: the `.eml` file the
/// outbox wrote for its row.
async fn link_in_mail(
    server: &TestServer,
    outbox: &std::path::Path,
    member: i64,
    kind: &str,
) -> String {
    let message_id = server
        .db_text(&format!(
            "SELECT message_id FROM mail_outbox WHERE member_id = {member} AND kind = '{kind}' ORDER BY id DESC LIMIT 1"
        ))
        .await;
    let file = outbox.join(format!(
        "{}.eml",
        message_id.trim_matches(|c| c == '<' || c == '>')
    ));
    let raw = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let body = eml_text(&raw);
    let start = body
        .find(&format!("{}/dispatch/answer/", server.base))
        .unwrap_or_else(|| panic!("no answer link to {} in {body}", server.base));
    body[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string()
}

/// The path of a link to this server.
fn path_of<'a>(server: &TestServer, link: &'a str) -> &'a str {
    link.strip_prefix(&server.base)
        .expect("a link to this server")
}

fn cell(grid: &Value, member: i64, slot: usize) -> &Value {
    let person = people(grid)
        .iter()
        .find(|p| p["member_id"] == member)
        .unwrap_or_else(|| panic!("{member} not in the grid"));
    &person["cells"][slot]
}

/// Each slot's assigned seats, in slot order.
fn assigned(grid: &Value) -> Vec<u64> {
    grid["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| s["assigned"].as_u64().expect("assigned"))
        .collect()
}

/// Every number under a key named `key` anywhere in `value`.
fn numbers_under(value: &Value, key: &str, out: &mut Vec<i64>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.extend(v.as_i64());
                }
                numbers_under(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| numbers_under(v, key, out)),
        _ => {}
    }
}

async fn count(server: &TestServer, query: &str) -> i64 {
    server.db_number(query).await
}

#[tokio::test]
async fn the_dispatch_scenario_from_roster_to_accepted_replacements() {
    let test = "the_dispatch_scenario_from_roster_to_accepted_replacements";
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

    // 1. The roster: registered members (the third also applying to 神奈川県) and the file.
    let w: World = world_of(&server, REGISTERED).await;
    let (status, _, body) = server
        .send_bytes(
            Method::POST,
            "/api/v1/members/import",
            &w.tokyo,
            "text/csv",
            roster_csv().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let shared = w.approved[2].0;
    let approved = server
        .post(
            &format!("/api/v1/members/{shared}/memberships/14"),
            &w.kanagawa,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let imported: Vec<i64> = {
        let first = count(
            &server,
            "SELECT MIN(id) FROM members WHERE email = 'kango0@example.jp'",
        )
        .await;
        (first..first + IMPORTED as i64).collect()
    };
    assert_eq!(
        count(
            &server,
            &format!(
                "SELECT COUNT(*) FROM members WHERE id >= {} AND id <= {} AND email LIKE 'kango%'",
                imported[0],
                imported[IMPORTED - 1]
            )
        )
        .await,
        IMPORTED as i64,
        "imported members have consecutive ids"
    );
    // Answerers: all registered members, then imported ones.
    let answerers: Vec<i64> = w
        .approved
        .iter()
        .map(|(id, _)| *id)
        .chain(imported.iter().copied())
        .take(ANSWERING)
        .collect();
    let session: BTreeMap<i64, String> = w.approved.iter().cloned().collect();

    // 2. The request, counted and sent through the roster filter.
    let (id, slot_rows) =
        create_request(&server, &w.tokyo, request_body(TITLE, w.tokyo_centre)).await;
    let path = format!("/api/v1/dispatch-requests/{id}");
    assert_eq!(slot_rows.len(), 6, "three days, two slots a day");
    let slots = slot_ids(&slot_rows);
    // In time order: day, night, day, …; the night runs 22:00–06:00 JST, across midnight.
    assert_eq!(slot_rows[0]["starts_at"], "2099-03-02T00:00:00Z");
    assert_eq!(slot_rows[1]["starts_at"], "2099-03-02T13:00:00Z");
    assert_eq!(slot_rows[1]["ends_at"], "2099-03-02T21:00:00Z");
    let filter = json!({ "filter": { "profession": "public_health_nurse,nurse" } });
    let everyone = server
        .post(
            &format!("{path}/targets"),
            &w.tokyo,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(
        everyone.body["matched"],
        200 + PHARMACISTS as i64,
        "{:?}",
        everyone.body
    );
    let counted = server
        .post(&format!("{path}/targets"), &w.tokyo, filter.clone())
        .await;
    assert_eq!(counted.status, StatusCode::OK, "{:?}", counted.body);
    assert_eq!(
        counted.body,
        json!({ "matched": 200, "already_asked": 0, "new": 200 })
    );
    let sent = server
        .post(&format!("{path}/send"), &w.tokyo, filter.clone())
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body, json!({ "asked_now": 200, "asked": 200 }));
    let again = server
        .post(&format!("{path}/send"), &w.tokyo, filter.clone())
        .await;
    assert_eq!(again.body, json!({ "asked_now": 0, "asked": 200 }));
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'dispatch_request'"
        )
        .await,
        200
    );
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'dispatch_request'"
        )
        .await,
        REGISTERED as i64,
        "an inbox entry for each member with an account"
    );
    assert_eq!(count(&server, "SELECT COUNT(*) FROM dispatch_asks k JOIN members m ON m.id = k.member_id WHERE m.professions LIKE '%pharmacist%'").await, 0);
    drained(&server, &w.tokyo).await;

    // 3. Sixty answers: registered members through the API, imported ones through the link in
    // their e-mail, the last of them in a real browser.
    let browser_member = answerers[ANSWERING - 1];
    for (i, member) in answerers.iter().enumerate() {
        if let Some(token) = session.get(member) {
            let answered = server
                .call(
                    Method::PUT,
                    &format!("/api/v1/me/dispatch-requests/{id}/answer"),
                    Some(token),
                    Some(json!({ "slots": answers(&slots, i) })),
                )
                .await;
            assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
            continue;
        }
        let link = link_in_mail(&server, outbox.path(), *member, "dispatch_request").await;
        if *member == browser_member {
            continue;
        }
        let (status, page) = post_form(
            &server,
            path_of(&server, &link),
            &answer_form(&slots, i),
            "same-origin",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("回答を受け付けました"), "{page}");
    }
    let link = link_in_mail(&server, outbox.path(), browser_member, "dispatch_request").await;
    match Driver::start(test).await {
        Some(driver) => {
            let browser = driver.session(390, 844).await;
            let s = format!("/session/{browser}");
            driver
                .call(
                    Method::POST,
                    &format!("{s}/url"),
                    Some(json!({ "url": link })),
                )
                .await;
            driver.wait_for(&s, TITLE).await;
            for (j, slot) in slots.iter().enumerate() {
                let yes = availability(ANSWERING - 1, j);
                driver
                    .click(
                        &s,
                        &format!(
                            "input[name=slot_{slot}][value={}]",
                            if yes { "yes" } else { "no" }
                        ),
                    )
                    .await;
                if yes {
                    driver
                        .click(
                            &s,
                            &format!("input[name=duty_{slot}][value=active_investigation]"),
                        )
                        .await;
                }
            }
            driver.click(&s, "form button[type=submit]").await;
            driver.wait_for(&s, "回答を受け付けました").await;
            driver.call(Method::DELETE, &s, None).await;
        }
        None => {
            let (status, page) = post_form(
                &server,
                path_of(&server, &link),
                &answer_form(&slots, ANSWERING - 1),
                "same-origin",
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{page}");
        }
    }
    let heard = server
        .get(&format!("{path}/asks?answered=true&per_page=100"), &w.tokyo)
        .await;
    assert_eq!(
        heard.body["total"], ANSWERING as i64,
        "{:?}",
        heard.body["total"]
    );
    let read = server.get(&path, &w.tokyo).await;
    assert_eq!(read.body["counts"]["asked"], 200);
    assert_eq!(read.body["counts"]["answered"], ANSWERING as i64);
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(grid.status, StatusCode::OK, "{:?}", grid.body);
    assert_eq!(people(&grid.body).len(), 200);
    for (i, member) in answerers.iter().enumerate() {
        for j in 0..slots.len() {
            let want = if availability(i, j) {
                "available"
            } else {
                "unavailable"
            };
            assert_eq!(
                cell(&grid.body, *member, j)["reply"],
                want,
                "answerer {i}, slot {j}"
            );
        }
    }
    let silent = imported[ANSWERING];
    assert_eq!(cell(&grid.body, silent, 0)["reply"], "not_answered");

    // 4. Auto-fill: every seat the answers allow, nothing that breaks a rule.
    let filled = server
        .post(&format!("{path}/auto-fill"), &w.tokyo, json!(null))
        .await;
    assert_eq!(filled.status, StatusCode::OK, "{:?}", filled.body);
    let possible = fillable(slots.len());
    assert_eq!(possible, [6, 2, 6, 2, 4, 1], "the data allows these seats");
    assert_eq!(
        assigned(&filled.body),
        possible,
        "{:?}",
        filled.body["slots"]
    );
    assert_eq!(gaps(&filled.body), [0, 0, 0, 0, 2, 1]);
    assert_eq!(filled.body["slots"][4]["unfilled"], "nobody_available");
    assert_eq!(conflicts(&filled.body), 0);
    let planned = seats(&filled.body);
    for (member, j) in &planned {
        let i = answerers
            .iter()
            .position(|a| a == member)
            .expect("only answerers are planned");
        assert!(
            availability(i, *j),
            "answerer {i} planned in slot {j} it cannot do"
        );
        assert_eq!(cell(&filled.body, *member, *j)["assignment"], "planned");
    }
    assert!(
        planned.contains(&(shared, 5)),
        "the only one for the third night"
    );

    // 5. Confirming sends the formal requests: one message to each member planned.
    let confirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    let planned_members: BTreeSet<i64> = planned.iter().map(|(m, _)| *m).collect();
    assert_eq!(
        confirmed.body,
        json!({ "requested": planned.len(), "members": planned_members.len() })
    );
    let with_accounts = planned_members
        .iter()
        .filter(|m| session.contains_key(m))
        .count() as i64;
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'formal_request'"
        )
        .await,
        planned_members.len() as i64
    );
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'formal_request'"
        )
        .await,
        with_accounts
    );
    for member in &planned_members {
        if let Some(token) = session.get(member) {
            let inbox = server.get("/api/v1/inbox?kind=formal_request", token).await;
            assert_eq!(inbox.body["total"], 1, "{:?}", inbox.body);
            assert_eq!(inbox.body["items"][0]["subject_id"], id);
        }
    }
    assert_eq!(
        server.get(&path, &w.tokyo).await.body["status"],
        "confirmed"
    );
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert!(seats(&grid.body)
        .iter()
        .all(|(m, j)| cell(&grid.body, *m, *j)["assignment"] == "requested"));

    // 6. Two members with accounts decline a first-day seat; a decline without a reason is a
    // field error and changes nothing. The operator's open stream hears each decline.
    let mut stream = Stream::open(&server, &w.tokyo, None).await;
    let day_one: Vec<i64> = planned
        .iter()
        .filter(|(m, j)| *j == 0 && session.contains_key(m))
        .map(|(m, _)| *m)
        .collect();
    assert!(
        day_one.len() >= 2,
        "two first-day seats held by members with accounts: {day_one:?}"
    );
    let decliners = &day_one[..2];
    for member in decliners {
        let token = &session[member];
        let mine = server
            .get(&format!("/api/v1/me/dispatch-requests/{id}"), token)
            .await;
        let seat = mine.body["assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .find(|a| a["slot_id"] == slots[0])
            .expect("the first-day seat")
            .clone();
        assert_eq!(seat["status"], "requested");
        let decline = format!("/api/v1/me/assignments/{}/decline", seat["id"]);
        for reason in [json!({ "reason": " 　" }), json!({})] {
            let without = server.post(&decline, token, reason).await;
            assert_eq!(
                without.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{:?}",
                without.body
            );
            assert_eq!(without.fields(), ["reason"]);
        }
        let unchanged = server.get(&format!("{path}/grid"), &w.tokyo).await;
        assert_eq!(cell(&unchanged.body, *member, 0)["assignment"], "requested");
        let last_event = count(&server, "SELECT COALESCE(MAX(id), 0) FROM events").await;
        let declined = server
            .post(&decline, token, json!({ "reason": "家族の看病のため" }))
            .await;
        assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
        assert_eq!(declined.body["status"], "declined");
        assert_eq!(declined.body["decline_reason"], "家族の看病のため");
        loop {
            let (event_id, kind, data) = stream.next_event().await;
            if event_id > last_event && kind == "dispatch" && data["subject_id"] == id {
                break;
            }
        }
    }
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(
        gaps(&grid.body),
        [2, 0, 0, 0, 2, 1],
        "{:?}",
        grid.body["slots"]
    );
    for member in decliners {
        assert_eq!(cell(&grid.body, *member, 0)["assignment"], "declined");
    }
    assert_eq!(count(&server, &format!("SELECT COUNT(*) FROM dispatch_assignments WHERE request_id = {id} AND status = 'declined' AND decline_reason = '家族の看病のため'")).await, 2);

    // 7. Re-plan: replacements for the two open first-day seats, from members who said they
    // can and hold no seat there, never the decliners; nothing else moves.
    let replanned = server
        .post(&format!("{path}/replan"), &w.tokyo, json!(null))
        .await;
    assert_eq!(replanned.status, StatusCode::OK, "{:?}", replanned.body);
    assert_eq!(conflicts(&replanned.body), 0);
    assert_eq!(
        gaps(&replanned.body),
        [0, 0, 0, 0, 2, 1],
        "{:?}",
        replanned.body["slots"]
    );
    let proposed: Vec<(i64, usize)> = seats(&replanned.body)
        .into_iter()
        .filter(|(m, j)| cell(&replanned.body, *m, *j)["assignment"] == "planned")
        .collect();
    assert_eq!(proposed.len(), 2, "{proposed:?}");
    for (member, j) in &proposed {
        assert_eq!(*j, 0, "only the open seats are re-planned");
        assert!(!decliners.contains(member), "{member} declined that seat");
        let i = answerers
            .iter()
            .position(|a| a == member)
            .expect("an answerer");
        assert!(availability(i, 0));
        assert!(!planned.contains(&(*member, 0)));
    }
    let kept: Vec<(i64, usize)> = seats(&replanned.body)
        .into_iter()
        .filter(|s| !proposed.contains(s))
        .collect();
    let mut before: Vec<(i64, usize)> = planned
        .iter()
        .copied()
        .filter(|(m, j)| !(*j == 0 && decliners.contains(m)))
        .collect();
    before.sort_unstable();
    let mut kept_sorted = kept.clone();
    kept_sorted.sort_unstable();
    assert_eq!(kept_sorted, before, "the other seats stay as they were");
    let newcomers: BTreeSet<i64> = proposed.iter().map(|(m, _)| *m).collect();
    let last_mail = count(&server, "SELECT MAX(id) FROM mail_outbox").await;
    let reconfirmed = server
        .post(&format!("{path}/confirm"), &w.tokyo, json!(null))
        .await;
    assert_eq!(reconfirmed.status, StatusCode::OK, "{:?}", reconfirmed.body);
    assert_eq!(
        reconfirmed.body,
        json!({ "requested": 2, "members": newcomers.len() })
    );
    let newcomer_list = newcomers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        count(
            &server,
            &format!("SELECT COUNT(*) FROM mail_outbox WHERE id > {last_mail}")
        )
        .await,
        newcomers.len() as i64,
        "only the new people are asked"
    );
    assert_eq!(
        count(&server, &format!("SELECT COUNT(DISTINCT member_id) FROM mail_outbox WHERE id > {last_mail} AND kind = 'formal_request' AND member_id IN ({newcomer_list})")).await,
        newcomers.len() as i64,
    );
    // The newcomers accept: through the API, or through the link of their formal request.
    drained(&server, &w.tokyo).await;
    for member in &newcomers {
        match session.get(member) {
            Some(token) => {
                let mine = server
                    .get(&format!("/api/v1/me/dispatch-requests/{id}"), token)
                    .await;
                let seat = mine.body["assignments"]
                    .as_array()
                    .expect("assignments")
                    .iter()
                    .find(|a| a["slot_id"] == slots[0])
                    .expect("the new seat")
                    .clone();
                let accepted = server
                    .post(
                        &format!("/api/v1/me/assignments/{}/accept", seat["id"]),
                        token,
                        json!(null),
                    )
                    .await;
                assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
                assert_eq!(accepted.body["status"], "accepted");
            }
            None => {
                let link = link_in_mail(&server, outbox.path(), *member, "formal_request").await;
                let seat = count(&server, &format!("SELECT id FROM dispatch_assignments WHERE request_id = {id} AND member_id = {member} AND slot_id = {}", slots[0])).await;
                let (status, page) = post_form(
                    &server,
                    &format!("{}/assignments/{seat}/accept", path_of(&server, &link)),
                    "",
                    "same-origin",
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                assert!(page.contains("ご回答を受け付けました"), "{page}");
            }
        }
    }
    let grid = server.get(&format!("{path}/grid"), &w.tokyo).await;
    assert_eq!(
        grid.body["slots"][0]["accepted"], 2,
        "{:?}",
        grid.body["slots"][0]
    );
    assert_eq!(gaps(&grid.body), [0, 0, 0, 0, 2, 1]);
    assert_eq!(conflicts(&grid.body), 0);
    for member in &newcomers {
        assert_eq!(cell(&grid.body, *member, 0)["assignment"], "accepted");
    }

    // 8. 神奈川県 asks its roster for the same days: the member both approved is busy on the
    // third night, and the grid says nothing of 東京都's request.
    let (other, other_rows) = create_request(
        &server,
        &w.kanagawa,
        request_body("健康観察の応援（厚木）", w.kanagawa_centre),
    )
    .await;
    let other_slots = slot_ids(&other_rows);
    let sent = server
        .post(
            &format!("/api/v1/dispatch-requests/{other}/send"),
            &w.kanagawa,
            filter.clone(),
        )
        .await;
    assert_eq!(
        sent.body,
        json!({ "asked_now": 1, "asked": 1 }),
        "only the shared member is approved by 神奈川県"
    );
    let every: Vec<Value> = other_slots
        .iter()
        .map(|s| json!({ "slot_id": s, "available": true, "duties": ["health_observation"] }))
        .collect();
    let answered = server
        .call(
            Method::PUT,
            &format!("/api/v1/me/dispatch-requests/{other}/answer"),
            Some(&session[&shared]),
            Some(json!({ "slots": every })),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    let grid = server
        .get(
            &format!("/api/v1/dispatch-requests/{other}/grid"),
            &w.kanagawa,
        )
        .await;
    assert_eq!(grid.status, StatusCode::OK, "{:?}", grid.body);
    assert_eq!(people(&grid.body).len(), 1);
    let tokyo_seats: BTreeSet<usize> =
        seats(&server.get(&format!("{path}/grid"), &w.tokyo).await.body)
            .into_iter()
            .filter(|(m, _)| *m == shared)
            .map(|(_, j)| j)
            .collect();
    assert!(tokyo_seats.contains(&5));
    for j in 0..other_slots.len() {
        assert_eq!(
            cell(&grid.body, shared, j)["busy"],
            tokyo_seats.contains(&j),
            "slot {j}"
        );
    }
    let text = grid.body.to_string();
    for secret in [TITLE, "積極的疫学調査", CENTRE, "多摩府中", "東京都"] {
        assert!(
            !text.contains(secret),
            "{secret} shows in 神奈川県's grid: {text}"
        );
    }
    let mut request_ids = Vec::new();
    numbers_under(&grid.body, "request_id", &mut request_ids);
    assert_eq!(request_ids, [other]);
    let mut slot_refs = Vec::new();
    numbers_under(&grid.body, "other_slot_id", &mut slot_refs);
    assert!(
        slot_refs.iter().all(|s| !slots.contains(s)),
        "{slot_refs:?}"
    );

    drop(stream);
    drop(process);
    database.remove_shared().await;
}
