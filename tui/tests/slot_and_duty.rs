//! Changes after the plan on ratatui's test backend: in the grid, `m` moves the slot under
//! the cursor (the form filled with it; a problem the server names beside its field, the
//! typed values kept) and `X` cancels it with a reason; on the member's side, `u` chooses the
//! duties it can do in one slot, and the answer sends them.

mod common;

use common::dispatch::*;
use common::*;
use crossterm::event::KeyCode;
use ouen::app::net::Answer;
use ouen::app::Action;
use ouen::views::shifts::forms::SlotForm;
use ouen_shared::api::*;
use ouen_shared::dispatch::Duty;
use ouen_shared::endpoints as ep;
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang};

fn field_value(a: &mut ouen::shell::App, key: &str) -> String {
    top_form(a).expect("a form").value(key)
}

fn set_field(a: &mut ouen::shell::App, key: &str, value: &str) {
    let form = top_form(a).expect("a form");
    let field = form
        .fields
        .iter_mut()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("a field {key}"));
    field.input.set_value(value);
}

#[test]
fn m_moves_the_slot_under_the_cursor_and_keeps_the_typing_through_a_refusal() {
    let g = grid(4, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    // The second slot: 2026-12-30 22:00–06:00 JST.
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char('m'));
    assert!(
        top_form(&mut a).is_some_and(|f| f.spec::<SlotForm>().is_some()),
        "the move form"
    );
    assert_eq!(field_value(&mut a, "date"), "2026-12-30");
    assert_eq!(field_value(&mut a, "start"), "22:00");
    assert_eq!(field_value(&mut a, "end"), "06:00");
    assert_eq!(field_value(&mut a, "needed"), "2");
    set_field(&mut a, "start", "２３：００");
    set_field(&mut a, "end", "07:00");
    ctrl(&mut a, 's');
    let (id, moved) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| r.get::<ep::MoveDispatchSlot>().map(|m| (id, m.clone())))
        .expect("the move sent");
    assert_eq!(moved.id, 2);
    assert_eq!(
        moved.body.starts_at.to_rfc3339(),
        "2026-12-30T14:00:00+00:00"
    );
    assert_eq!(moved.body.ends_at.to_rfc3339(), "2026-12-30T22:00:00+00:00");

    // The server refuses a double booking: the form stays with what was typed, the problem
    // beside the start.
    a.update(Action::Answer(Answer::err(
        id,
        ouen::api::ApiError::Server(ErrorBody {
            code: ErrorCode::Conflict,
            message: "同じ時間帯に別の派遣が確定している人がいます。".into(),
            fields: vec![FieldError {
                field: "starts_at".into(),
                code: "not_allowed".into(),
                message: "同じ時間帯に別の派遣が確定している人がいます。".into(),
            }],
            request_id: None,
            retry_after_seconds: None,
        }),
    )));
    let form = top_form(&mut a).expect("the form is still open");
    assert!(form.errors.contains_key("start"), "{:?}", form.errors);
    assert_eq!(field_value(&mut a, "start"), "２３：００");

    // Sent again and taken: the grid the server answers replaces the one on screen.
    ctrl(&mut a, 's');
    let (id, _) = a
        .net
        .take_recorded()
        .into_iter()
        .find(|(_, r)| r.is::<ep::MoveDispatchSlot>())
        .expect("sent again");
    let mut after = g.clone();
    after.slots[1].starts_at = moved.body.starts_at;
    after.slots[1].ends_at = moved.body.ends_at;
    a.update(Action::Answer(Answer::ok(id, after)));
    assert!(top_form(&mut a).is_none(), "the form closes");
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("枠を変更しました"), "{s}");
    assert!(s.contains("23:00"), "{s}");
}

#[test]
fn x_cancels_the_slot_under_the_cursor_with_a_reason() {
    let g = grid(4, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    key(&mut a, KeyCode::Char('X'));
    assert!(top_form(&mut a).is_some(), "the cancel form");
    // No reason: refused on the spot, nothing sent.
    ctrl(&mut a, 's');
    assert!(a
        .net
        .take_recorded()
        .iter()
        .all(|(_, r)| !r.is::<ep::CancelDispatchSlot>()));
    assert!(top_form(&mut a).is_some_and(|f| f.errors.contains_key("reason")));
    set_field(&mut a, "reason", "陽性者の減少のため");
    ctrl(&mut a, 's');
    let cancel = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, r)| r.get::<ep::CancelDispatchSlot>().cloned())
        .expect("the cancel sent");
    assert_eq!(cancel.id, 1);
    assert_eq!(cancel.body.reason, "陽性者の減少のため");
}

#[test]
fn a_closed_request_offers_no_slot_change() {
    let mut g = grid(2, 1, new_year());
    g.status = ouen_shared::dispatch::DispatchStatus::Closed;
    let mut a = grid_open(Lang::Ja, &g);
    key(&mut a, KeyCode::Char('m'));
    assert!(top_form(&mut a).is_none());
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("終了"), "{s}");
}

#[test]
fn u_chooses_the_duties_a_member_can_do_in_one_slot() {
    let mut r = asked();
    r.duties = vec![Duty::ActiveInvestigation, Duty::HealthObservation];
    let mut a = member_with(r.clone());
    // The first slot: only health observation. Nothing chosen is refused.
    key(&mut a, KeyCode::Char('u'));
    assert_eq!(
        field_value(&mut a, "duties"),
        "active_investigation,health_observation"
    );
    let form = top_form(&mut a).expect("the duties form");
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == "duties") {
        f.picked = Some((String::new(), String::new()));
    }
    ctrl(&mut a, 's');
    assert!(top_form(&mut a).is_some_and(|f| f.errors.contains_key("duties")));
    let form = top_form(&mut a).expect("the duties form");
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == "duties") {
        f.picked = Some(("health_observation".into(), "健康観察".into()));
    }
    ctrl(&mut a, 's');
    assert!(top_form(&mut a).is_none(), "the form closes");
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("△ 対応可"), "{s}");
    assert!(s.contains("健康観察"), "{s}");
    assert!(s.contains("未送信の変更があります"), "{s}");
    // The second slot available with every duty; the answer sends each slot's own.
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Char('s'));
    let body = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, req)| {
            req.get::<ep::AnswerDispatchRequest>()
                .map(|x| x.body.clone())
        })
        .expect("the answer sent");
    assert_eq!(
        body.slots,
        vec![
            SlotAnswer {
                slot_id: 1,
                available: true,
                duties: vec![Duty::HealthObservation]
            },
            SlotAnswer {
                slot_id: 2,
                available: true,
                duties: vec![Duty::ActiveInvestigation, Duty::HealthObservation]
            },
        ]
    );
}

#[test]
fn a_cancelled_slot_takes_no_answer() {
    let mut r = asked();
    // Answered available before it was cancelled.
    r.slots[1].cancelled_at = Some(r.slots[1].starts_at);
    r.answer = vec![SlotAnswer {
        slot_id: r.slots[1].id,
        available: true,
        duties: vec![Duty::ActiveInvestigation],
    }];
    let mut a = member_with(r.clone());
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char(' '));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("この枠は中止されました"), "{s}");
    assert!(!s.contains("△ 対応可"), "{s}");
    key(&mut a, KeyCode::Char('k'));
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Char('s'));
    let body = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, req)| {
            req.get::<ep::AnswerDispatchRequest>()
                .map(|x| x.body.clone())
        })
        .expect("the answer sent");
    let slots: Vec<i64> = body.slots.iter().map(|s| s.slot_id).collect();
    assert_eq!(slots, [r.slots[0].id]);
}

#[test]
fn the_cursor_follows_a_slot_that_moved_past_others() {
    let g = grid(4, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    // The second slot (12/30 22:00) moves to 12/31 23:00, after every other slot.
    key(&mut a, KeyCode::Char('l'));
    key(&mut a, KeyCode::Char('m'));
    set_field(&mut a, "date", "2026-12-31");
    set_field(&mut a, "start", "23:00");
    set_field(&mut a, "end", "07:00");
    ctrl(&mut a, 's');
    let (id, moved) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| r.get::<ep::MoveDispatchSlot>().map(|m| (id, m.clone())))
        .expect("the move sent");
    let mut after = g.clone();
    let mut slot = after.slots.remove(1);
    slot.starts_at = moved.body.starts_at;
    slot.ends_at = moved.body.ends_at;
    after.slots.push(slot);
    for p in &mut after.people {
        let cell = p.cells.remove(1);
        p.cells.push(cell);
    }
    a.update(Action::Answer(Answer::ok(id, after)));
    let s = text(&mut a, 80, 24);
    let detail = s.iter().rev().nth(1).expect("the slot line");
    assert!(detail.starts_with("12/31 23:00–07:00"), "{s:#?}");
}

#[test]
fn auto_fill_says_what_it_proposed_and_that_nothing_was_sent() {
    let g = grid(4, 2, new_year());
    let mut a = grid_open(Lang::Ja, &g);
    key(&mut a, KeyCode::Char('a'));
    let id = a
        .net
        .take_recorded()
        .into_iter()
        .find(|(_, r)| r.is::<ep::AutoFill>())
        .map(|(id, _)| id)
        .expect("auto-fill asked");
    let mut proposed = g.clone();
    proposed.slots[0].assigned += 1;
    proposed.slots[0].gap -= 1;
    a.update(Action::Answer(Answer::ok(id, proposed.clone())));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("1 席を提案しました"), "{s}");

    // Nothing more to propose: the status says so instead of staying silent.
    key(&mut a, KeyCode::Char('p'));
    let id = a
        .net
        .take_recorded()
        .into_iter()
        .find(|(_, r)| r.is::<ep::Replan>())
        .map(|(id, _)| id)
        .expect("re-plan asked");
    a.update(Action::Answer(Answer::ok(id, proposed)));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("提案できる人がいませんでした"), "{s}");
}
