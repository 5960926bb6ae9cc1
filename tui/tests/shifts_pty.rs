//! The shift grid end to end at 80×24: the real server (SQLite, or PostgreSQL when
//! `OUEN_TEST_DATABASE_URL` names one), a request sent to approved members who answered
//! through the API, and the real `ouen` binary in a pseudo-terminal. The operator opens the
//! grid, puts a silent member in a slot by hand (the rule it breaks is flagged) and takes them
//! out again, auto-fills, confirms after the summary, and the server holds the formal
//! requests.

mod common;

use chrono::{Duration, TimeZone};
use common::pty::*;
use ouen::api::Client;
use ouen_shared::api::{
    AnswerDraft, AssignmentStatus, CreateOrganisationRequest, Decision, DecisionRequest,
    DispatchDraft, SlotAnswer, SlotSeries, TargetQuery,
};
use ouen_shared::dispatch::Duty;
use ouen_shared::endpoints::{
    AnswerDispatchRequest, CreateDispatchRequest, CreateOrganisation, Decide, GetMyDispatchRequest,
    GetShiftGrid, Register, SendDispatchRequest,
};
use ouen_shared::time::{jst, today_jst};
use ouen_shared::{Lang, OrgKind, Profession};
use std::io::Write;

/// (name, kana, e-mail, which slots it can work; `None`: it never answers).
const MEMBERS: &[(&str, &str, &str, Option<&[usize]>)] = &[
    ("青木 空", "あおき そら", "sora.aoki@example.jp", None),
    (
        "井上 海",
        "いのうえ うみ",
        "umi.inoue@example.jp",
        Some(&[0, 1, 2, 3]),
    ),
    (
        "上田 陸",
        "うえだ りく",
        "riku.ueda@example.jp",
        Some(&[0, 1, 2, 3]),
    ),
    (
        "江藤 星",
        "えとう ほし",
        "hoshi.eto@example.jp",
        Some(&[0, 2]),
    ),
];

const TITLE: &str = "感染拡大時の疫学調査応援";

/// The request, sent to every approved member, answered by all but the first. Answers the
/// request's id.
async fn seed(base: &str) -> i64 {
    let tokyo = logged_in(base, "tokyo").await;
    let public = Client::new(base, Lang::Ja);
    for (i, (name, kana, email, _)) in MEMBERS.iter().enumerate() {
        let mut form = application(name, kana, email);
        form.profile.licences[0].number = format!("PHN-{}", 31_000 + i);
        let r = public.call(&Register(form)).await.expect("an application");
        tokyo
            .call(&Decide {
                id: r.member_id,
                prefecture: "13".into(),
                body: DecisionRequest {
                    decision: Decision::Approve,
                    reason: None,
                },
            })
            .await
            .expect("the approval");
    }
    let centre = tokyo
        .call(&CreateOrganisation(CreateOrganisationRequest {
            kind: Some(OrgKind::HealthCentre),
            name: "多摩府中保健所".into(),
            ..Default::default()
        }))
        .await
        .expect("a health centre");
    let first = today_jst() + Duration::days(3);
    let deadline = jst()
        .from_local_datetime(
            &(today_jst() + Duration::days(2))
                .and_hms_opt(17, 0, 0)
                .unwrap(),
        )
        .single()
        .unwrap()
        .to_utc();
    let series = |start: &str, end: &str, needed: u32| SlotSeries {
        from: first,
        to: first + Duration::days(1),
        start: start.into(),
        end: end.into(),
        weekdays_only: false,
        needed,
        professions: vec![Profession::PublicHealthNurse],
    };
    let request = tokyo
        .call(&CreateDispatchRequest(DispatchDraft {
            title: TITLE.into(),
            health_centre_id: centre.id,
            duties: vec![Duty::ActiveInvestigation],
            other_duty: String::new(),
            answer_deadline: deadline,
            notes: String::new(),
            slots: Vec::new(),
            series: vec![series("09:00", "17:00", 2), series("22:00", "06:00", 1)],
        }))
        .await
        .expect("the request");
    let sent = tokyo
        .call(&SendDispatchRequest {
            id: request.id,
            body: TargetQuery::default(),
        })
        .await
        .expect("sent");
    assert_eq!(sent.asked_now, MEMBERS.len() as i64);
    for (_, _, email, answer) in MEMBERS {
        let Some(available) = answer else {
            continue;
        };
        let member = logged_in(base, email).await;
        let asked = member
            .call(&GetMyDispatchRequest { id: request.id })
            .await
            .expect("the request as asked");
        let slots = asked
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| SlotAnswer {
                slot_id: s.id,
                available: available.contains(&i),
                duties: Vec::new(),
            })
            .collect();
        member
            .call(&AnswerDispatchRequest {
                id: request.id,
                body: AnswerDraft {
                    slots,
                    note: String::new(),
                },
            })
            .await
            .expect("an answer");
    }
    request.id
}

/// The grid's rows of people, as the screen shows them.
fn person_rows(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| MEMBERS.iter().any(|(name, ..)| l.starts_with(name)) && !l.contains('（'))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_grid_is_planned_and_confirmed_from_the_keyboard_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let database = rt.block_on(ouen_tests::TestDatabase::create());
    let db_url = database.url.clone();
    let (server, base, request_id) = rt.block_on(async {
        let (server, base) = server_with_tokyo(&db_url).await;
        let id = seed(&base).await;
        (server, base, id)
    });

    let mut cmd = ouen_against(dir.path(), &base);
    cmd.env("NO_COLOR", "1");
    let (mut child, screen, mut writer) = spawn_in_pty(cmd);
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    screen.wait_for("ログインID");
    send("tokyo\t");
    send(PASSWORD);
    send("\r");
    screen.wait_for("名簿 4件");

    // The shifts tab lists the request; Enter opens its grid.
    send("3");
    screen.wait_for(TITLE);
    send("\r");
    screen.wait_for("割当/必要");
    let text = screen.text();
    assert!(text.contains("22:00~"), "the overnight slot: {text}");
    assert_eq!(person_rows(&text).len(), MEMBERS.len(), "{text}");
    assert!(
        person_rows(&text)[0].contains('？'),
        "the silent member has not answered: {text}"
    );

    // Space puts the silent member (first in kana order) in the first slot: the rule it
    // breaks is flagged; Space again takes it out.
    send(" ");
    screen.wait("the conflict flagged", |t| {
        person_rows(t).first().is_some_and(|r| r.contains('!'))
    });
    assert!(
        screen.text().contains("回答なし・不可"),
        "{}",
        screen.text()
    );
    send(" ");
    screen.wait("the seat given back", |t| {
        person_rows(t).first().is_some_and(|r| !r.contains('!'))
    });

    // Auto-fill: seats planned, no rule broken.
    send("a");
    screen.wait("the proposal", |t| {
        person_rows(t).iter().filter(|r| r.contains('●')).count() >= 2
    });
    let text = screen.text();
    assert!(
        person_rows(&text).iter().all(|r| !r.contains('!')),
        "no conflict in the proposal: {text}"
    );
    assert!(text.contains("[シフト作成中]"), "{text}");

    // Confirm: the summary first, then the formal requests.
    send("c");
    screen.wait_for("正式依頼を送ります");
    send("y");
    screen.wait_for("正式依頼を送りました");
    screen.wait_for("[確定]");
    screen.wait("the formal requests drawn", |t| {
        person_rows(t).iter().any(|r| r.contains('○'))
    });

    // The server holds what the screen shows.
    let grid = rt.block_on(async {
        let tokyo = logged_in(&base, "tokyo").await;
        tokyo
            .call(&GetShiftGrid { id: request_id })
            .await
            .expect("the grid")
    });
    let requested = grid
        .people
        .iter()
        .flat_map(|p| &p.cells)
        .filter(|c| c.assignment == Some(AssignmentStatus::Requested))
        .count();
    let filled: u32 = grid.slots.iter().map(|s| s.assigned).sum();
    assert!(requested >= 2, "{grid:?}");
    assert_eq!(requested as u32, filled);
    assert!(grid
        .people
        .iter()
        .flat_map(|p| &p.cells)
        .all(|c| c.conflicts.is_empty()));

    send("q");
    let status = exit_status(&mut child, &screen);
    assert!(status.success(), "exit status {status:?}");
    rt.block_on(server.stop());
    rt.block_on(database.remove());
}
