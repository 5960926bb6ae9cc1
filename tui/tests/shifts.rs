//! The dispatch and shift tabs on ratatui's test backend: the grid at 80×24 (frozen names,
//! holidays and weekends, marks that read without colour), its keys (move, assign, auto-fill,
//! confirm with a summary, jump to a person), live updates; the requesting side's targets,
//! counted before a send that names the count; and the member's answer, kept through a
//! failed send.

mod common;

use common::dispatch::*;
use common::*;
use crossterm::event::KeyCode;
use ouen::app::net::Answer;
use ouen::app::{Action, LiveNews};
use ouen::ui::confirm::Confirm;
use ouen_shared::api::*;
use ouen_shared::dispatch::Duty;
use ouen_shared::endpoints as ep;
use ouen_shared::{Lang, Role};

#[test]
fn the_grid_at_80x24_marks_holidays_and_reads_without_colour() {
    let g = grid(20, 4, new_year());
    for (name, lang) in [("shifts_grid_ja", Lang::Ja), ("shifts_grid_en", Lang::En)] {
        let mut a = grid_open(lang, &g);
        let t = draw(&mut a, 80, 24);
        insta::assert_snapshot!(format!("{name}_80x24"), screen(&t));
    }
    let mut a = grid_open(Lang::Ja, &g);
    let lines = text(&mut a, 80, 24);
    let all = lines.join("\n");
    assert!(
        all.contains("12/30水"),
        "the first day with its month: {all}"
    );
    assert!(all.contains("1金祝"), "元日 is marked as a holiday: {all}");
    assert!(all.contains("2土"), "Saturday: {all}");
    assert!(all.contains("22:00~"), "the overnight slot: {all}");
    // The test theme has no colour: every state is still a distinct mark on screen.
    for mark in ["●", "◎", "○", "×", "△", "－", "？", "・", "■", "!"] {
        assert!(all.contains(mark), "mark {mark} shown: {all}");
    }
    // The cell under the cursor is described below the grid.
    assert!(all.contains("李 明（り めい）"), "{all}");
    assert!(all.contains("元日") || all.contains("12/30"), "{all}");
}

#[test]
fn full_width_names_line_up_and_stay_while_days_scroll() {
    let g = grid(30, 31, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    let t = draw(&mut a, 80, 24);
    let buf = t.backend().buffer();
    let lines: Vec<String> = (0..24).map(|y| line_text(buf, y)).collect();
    // The first mark of every person's row sits in the same terminal column, whatever the
    // width of the name before it.
    let first = row_starting(&lines, "李 明");
    let columns: Vec<u16> = (first..first + 6)
        .map(|y| {
            (15..80)
                .find(|x| buf[(*x, y as u16)].symbol().trim() != "")
                .expect("a mark")
        })
        .collect();
    assert!(
        columns.iter().all(|c| *c == columns[0]),
        "marks line up: {columns:?}\n{lines:#?}"
    );
    // Forty slots to the right: the names stay, the days moved on.
    for _ in 0..40 {
        key(&mut a, KeyCode::Char('l'));
    }
    let lines = text(&mut a, 80, 24);
    assert!(lines[first].starts_with("李 明"), "{lines:#?}");
    assert!(
        !lines[2].contains("12/30"),
        "the days scrolled: {}",
        lines[2]
    );
    assert!(lines.iter().any(|l| l.contains("1/")), "{lines:#?}");
    // L jumps a day, H back.
    key(&mut a, KeyCode::Char('L'));
    key(&mut a, KeyCode::Char('H'));
    key(&mut a, KeyCode::Char('H'));
    let info = text(&mut a, 80, 24).join("\n");
    assert!(
        info.contains("09:00–17:00"),
        "on a day's first slot: {info}"
    );
}

#[test]
fn space_assigns_the_cell_under_the_cursor_and_c_confirms_after_a_summary() {
    let g = grid(8, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    // Person 1, slot 2: (1 + 2) % 9 == 3, declined, so Space assigns again.
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char(' '));
    let sent = a.net.take_recorded();
    let change = sent
        .iter()
        .find_map(|(_, r)| r.get::<ep::ChangePlan>())
        .expect("a change of the plan");
    assert_eq!(change.id, 7);
    assert_eq!(
        change.body.changes,
        vec![PlanChange {
            slot_id: 3,
            member_id: 101,
            assign: true
        }]
    );
    // Taking off someone formally requested asks first.
    key(&mut a, KeyCode::Char('h'));
    key(&mut a, KeyCode::Char('h'));
    key(&mut a, KeyCode::Char('k'));
    // Person 0, slot 2: (0 + 2) % 9 == 2, requested.
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char(' '));
    assert!(
        a.popups.last().is_some_and(|p| p.as_any().is::<Confirm>()),
        "a confirmation before telling the member"
    );
    key(&mut a, KeyCode::Char('n'));
    assert!(a.net.take_recorded().is_empty(), "nothing sent on no");

    // Auto-fill asks the server for a proposal.
    key(&mut a, KeyCode::Char('a'));
    assert!(a
        .net
        .take_recorded()
        .iter()
        .any(|(_, r)| r.get::<ep::AutoFill>().is_some_and(|f| f.id == 7)));

    // Confirming names how many people and seats will be asked formally.
    key(&mut a, KeyCode::Char('c'));
    let question = a
        .popups
        .last()
        .and_then(|p| p.as_any().downcast_ref::<Confirm>())
        .map(|c| c.question.clone())
        .expect("a confirmation");
    let planned: usize = g
        .people
        .iter()
        .map(|p| {
            p.cells
                .iter()
                .filter(|c| c.assignment == Some(AssignmentStatus::Planned))
                .count()
        })
        .sum();
    let people = g
        .people
        .iter()
        .filter(|p| {
            p.cells
                .iter()
                .any(|c| c.assignment == Some(AssignmentStatus::Planned))
        })
        .count();
    assert!(
        question.contains(&format!("{people} 人に {planned} 枠")),
        "{question}"
    );
    assert!(question.contains("李 明"), "{question}");
    key(&mut a, KeyCode::Char('y'));
    assert!(a
        .net
        .take_recorded()
        .iter()
        .any(|(_, r)| r.get::<ep::ConfirmShifts>().is_some_and(|c| c.id == 7)));
}

#[test]
fn slash_jumps_to_a_person_by_folded_reading() {
    let g = grid(12, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "ｽｽﾞｷ");
    key(&mut a, KeyCode::Enter);
    let info = text(&mut a, 80, 24).join("\n");
    assert!(info.contains("鈴木 花子（すずき はなこ）"), "{info}");
    // Esc during a search goes back where it started.
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "はせがわ");
    key(&mut a, KeyCode::Esc);
    let info = text(&mut a, 80, 24).join("\n");
    assert!(info.contains("鈴木 花子（すずき はなこ）"), "{info}");
}

#[test]
fn a_dispatch_event_for_the_open_grid_reads_it_again() {
    let g = grid(4, 1, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    let mut declined = g.clone();
    declined.slots[0].gap = 2;
    declined.slots[0].assigned = 0;
    declined.people[0].cells[0].assignment = Some(AssignmentStatus::Declined);
    a.update(Action::Live(LiveNews::Event(StreamEvent {
        id: 99,
        kind: EventKind::Dispatch,
        subject_kind: Some("dispatch_request".into()),
        subject_id: Some(7),
    })));
    serve(&mut a, &declined);
    let lines = text(&mut a, 80, 24);
    let seats = row_starting(&lines, "割当/必要");
    assert!(
        lines[seats].contains("0/2"),
        "the gap shows: {}",
        lines[seats]
    );
    let first = row_starting(&lines, "李 明");
    assert!(lines[first].contains('×'), "{}", lines[first]);
}

#[test]
fn why_a_seat_stays_open_survives_the_read_that_follows_a_re_plan() {
    let g = grid(4, 1, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    let mut planned = g.clone();
    planned.slots[0].unfilled = Some(UnfilledReason::ProfessionMissing);
    key(&mut a, KeyCode::Char('p'));
    let (id, _) = a
        .net
        .take_recorded()
        .into_iter()
        .find(|(_, r)| r.is::<ep::Replan>())
        .expect("a re-plan");
    a.update(Action::Answer(Answer::ok(id, planned)));
    // The re-plan's own event reads the grid again, which knows no reasons.
    a.update(Action::Live(LiveNews::Event(StreamEvent {
        id: 100,
        kind: EventKind::Dispatch,
        subject_kind: Some("dispatch_request".into()),
        subject_id: Some(7),
    })));
    serve(&mut a, &g);
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("職種が合う人がいない"), "{s}");
}

#[test]
fn the_legend_explains_every_mark() {
    let g = grid(4, 1, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    key(&mut a, KeyCode::Char('?'));
    let all = text(&mut a, 80, 24).join("\n");
    assert!(all.contains("記号の意味"), "{all}");
    for (mark, meaning) in legend(Lang::Ja) {
        assert!(all.contains(mark), "{mark}");
        assert!(
            all.contains(&meaning[..meaning.len().min(9)]),
            "{meaning}: {all}"
        );
    }
}

#[test]
fn targets_are_counted_and_the_send_names_the_count() {
    let mut a = logged_in_as(Lang::Ja, Role::Prefecture);
    let g = grid(1, 1, new_year());
    serve(&mut a, &g);
    a.update(Action::ShowTab("dispatch"));
    key(&mut a, KeyCode::Char('r'));
    serve(&mut a, &g);
    key(&mut a, KeyCode::Enter);
    // Opening asks for the request and its members asked.
    for (id, r) in a.net.take_recorded() {
        if r.is::<ep::GetDispatchRequest>() {
            a.update(Action::Answer(Answer::ok(id, request())));
        } else if r.is::<ep::ListAsks>() {
            a.update(Action::Answer(Answer::ok(id, empty_page::<AskedMember>())));
        }
    }
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("年末年始の疫学調査応援"), "{s}");
    // Sending before choosing says what to do.
    key(&mut a, KeyCode::Char('s'));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("先に t で依頼対象者を選んでください"), "{s}");
    // t: the roster's filter panel; submitted as it is, every approved member.
    key(&mut a, KeyCode::Char('t'));
    assert!(top_form(&mut a).is_some(), "the targets form");
    ctrl(&mut a, 's');
    let count = a
        .net
        .take_recorded()
        .into_iter()
        .find(|(_, r)| r.is::<ep::CountDispatchTargets>())
        .expect("the targets counted");
    a.update(Action::Answer(Answer::ok(
        count.0,
        TargetCount {
            matched: 200,
            already_asked: 0,
            new: 200,
        },
    )));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("該当 200 人"), "{s}");
    key(&mut a, KeyCode::Char('s'));
    let question = a
        .popups
        .last()
        .and_then(|p| p.as_any().downcast_ref::<Confirm>())
        .map(|c| c.question.clone())
        .expect("a confirmation");
    assert!(question.contains("200 人"), "{question}");
    key(&mut a, KeyCode::Char('y'));
    assert!(a.net.take_recorded().iter().any(|(_, r)| r
        .get::<ep::SendDispatchRequest>()
        .is_some_and(|s| s.id == 7)));
}

#[test]
fn a_new_request_goes_to_one_of_the_callers_own_health_centres() {
    let mut a = logged_in_as(Lang::Ja, Role::Prefecture);
    a.update(Action::ShowTab("dispatch"));
    key(&mut a, KeyCode::Char('r'));
    answer(&mut a, server);
    key(&mut a, KeyCode::Char('n'));
    let form = top_form(&mut a).expect("the request form");
    let centre = form
        .fields
        .iter()
        .find(|f| f.key == "health_centre_id")
        .expect("the health centre field");
    let Some(ouen::ui::picker::PickSource::Fixed(choices)) = &centre.pick else {
        panic!("a list of health centres");
    };
    let names: Vec<&str> = choices.iter().map(|(_, n)| n.as_str()).collect();
    // The cities' centres (八王子市, 渋谷区) are theirs to send to, not the prefecture's.
    assert_eq!(names, ["多摩府中保健所", "多摩立川保健所", "島しょ保健所"]);
    assert_eq!(
        centre.picked.as_ref().map(|(_, n)| n.as_str()),
        Some("多摩府中保健所")
    );
}

#[test]
fn a_member_answers_slot_by_slot_and_keeps_the_answer_through_an_error() {
    let mut a = member_with(asked());
    // Slot 1 available, slot 2 not.
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Char('s'));
    let (id, body) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| {
            r.get::<ep::AnswerDispatchRequest>()
                .map(|x| (id, x.body.clone()))
        })
        .expect("the answer sent");
    assert_eq!(
        body.slots,
        vec![
            SlotAnswer {
                slot_id: 1,
                available: true,
                duties: vec![Duty::ActiveInvestigation]
            },
            SlotAnswer {
                slot_id: 2,
                available: false,
                duties: vec![]
            },
        ]
    );
    // The server refuses (the deadline passed meanwhile): the answer stays on screen.
    a.update(Action::Answer(Answer::err(
        id,
        ouen::api::ApiError::Server(ouen_shared::ErrorBody {
            code: ouen_shared::ErrorCode::Conflict,
            message: "回答期限を過ぎています。".into(),
            fields: Vec::new(),
            request_id: None,
            retry_after_seconds: None,
        }),
    )));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("回答期限を過ぎています"), "{s}");
    assert!(s.contains("△ 対応可"), "{s}");
    assert!(s.contains("－ 不可"), "{s}");
    assert!(s.contains("未送信の変更があります"), "{s}");
}
