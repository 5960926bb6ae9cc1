//! Dispatch fixtures for the view tests: a shift grid with every kind of cell over the new
//! year's holidays, the request and summary it belongs to, the member's side of it, and a
//! network that answers the grid's calls.

use super::wire::Request;
use super::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crossterm::event::KeyCode;
use ouen::app::net::Answer;
use ouen::app::Action;
use ouen::shell::App;
use ouen_shared::api::*;
use ouen_shared::dispatch::{DispatchStatus, Duty};
use ouen_shared::endpoints as ep;
use ouen_shared::time::jst;
use ouen_shared::{Lang, Profession, Role};

pub const NAMES: &[(&str, &str)] = &[
    ("李 明", "り めい"),
    ("長谷川 誠一郎", "はせがわ せいいちろう"),
    ("鈴木 花子", "すずき はなこ"),
    ("Smith John", "すみす じょん"),
    ("髙橋 美咲", "たかはし みさき"),
    ("ｶﾀｶﾅ 太郎", "かたかな たろう"),
];

pub fn at(date: NaiveDate, h: u32) -> DateTime<Utc> {
    jst()
        .from_local_datetime(&date.and_hms_opt(h, 0, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// `people` × `days` × two slots a day (09–17 and the overnight 22–06) from `first`; every
/// kind of cell somewhere.
pub fn grid(people: usize, days: i64, first: NaiveDate) -> ShiftGrid {
    let mut slots = Vec::new();
    for d in 0..days {
        let date = first + Duration::days(d);
        for (h, len) in [(9, 8), (22, 8)] {
            let starts_at = at(date, h);
            slots.push(GridSlot {
                id: slots.len() as i64 + 1,
                starts_at,
                ends_at: starts_at + Duration::hours(len),
                needed: 2,
                professions: vec![Profession::Nurse],
                assigned: 1,
                accepted: 0,
                gap: 1,
                unfilled: None,
            });
        }
    }
    let people = (0..people)
        .map(|i| {
            let (name, kana) = NAMES[i % NAMES.len()];
            let cells = (0..slots.len())
                .map(|j| {
                    let k = (i + j) % 9;
                    GridCell {
                        reply: match k {
                            5 => SlotReply::Unavailable,
                            6 => SlotReply::NotAnswered,
                            7 => SlotReply::NotAsked,
                            _ => SlotReply::Available,
                        },
                        assignment: match k {
                            0 => Some(AssignmentStatus::Planned),
                            1 => Some(AssignmentStatus::Accepted),
                            2 => Some(AssignmentStatus::Requested),
                            3 => Some(AssignmentStatus::Declined),
                            _ => None,
                        },
                        busy: k == 8,
                        conflicts: if k == 0 && i == 2 {
                            vec![CellConflict {
                                kind: ConflictKind::Rest,
                                other_slot_id: Some(1),
                            }]
                        } else {
                            Vec::new()
                        },
                    }
                })
                .collect();
            GridPerson {
                member_id: 100 + i as i64,
                name: if i < NAMES.len() {
                    name.to_string()
                } else {
                    format!("{name}{i}")
                },
                name_kana: kana.into(),
                professions: vec![Profession::Nurse],
                cells,
                load_minutes: 480,
            }
        })
        .collect();
    ShiftGrid {
        request_id: 7,
        status: DispatchStatus::Planning,
        slots,
        people,
        min_rest_hours: 8,
    }
}

pub fn new_year() -> NaiveDate {
    // 2026-12-30 (Wed) … 2027-01-02 (Sat): 元日 on the Friday.
    NaiveDate::from_ymd_opt(2026, 12, 30).unwrap()
}

pub fn summary() -> DispatchSummary {
    DispatchSummary {
        id: 7,
        title: "年末年始の疫学調査応援".into(),
        organisation_name: "東京都".into(),
        health_centre_name: "多摩府中保健所".into(),
        status: DispatchStatus::Planning,
        answer_deadline: at(new_year() - Duration::days(2), 17),
        first_starts_at: Some(at(new_year(), 9)),
        last_ends_at: Some(at(new_year() + Duration::days(4), 6)),
        slots: 8,
        needed: 16,
        counts: AskCounts {
            asked: 30,
            answered: 12,
            reminder_round: 0,
        },
        updated_at: at(new_year() - Duration::days(5), 9),
    }
}

/// Answers every call the client made: the grid and the requests from the test, the rest as
/// the common fixtures do.
pub fn serve(a: &mut App, g: &ShiftGrid) {
    loop {
        let sent = a.net.take_recorded();
        if sent.is_empty() {
            break;
        }
        for (id, r) in sent {
            let answer =
                if r.is::<ep::GetShiftGrid>() || r.is::<ep::ChangePlan>() || r.is::<ep::AutoFill>()
                {
                    Answer::ok(id, g.clone())
                } else if r.is::<ep::ListDispatchRequests>() {
                    Answer::ok(
                        id,
                        Page {
                            items: vec![summary()],
                            total: 1,
                            page: 1,
                            per_page: 100,
                        },
                    )
                } else {
                    a.update(response(id, server(&Request::from(&r))));
                    continue;
                };
            a.update(Action::Answer(answer));
        }
    }
}

/// A prefecture with the grid of `g` open on the shifts tab.
pub fn grid_open(lang: Lang, g: &ShiftGrid) -> App {
    let mut a = logged_in_as(lang, Role::Prefecture);
    serve(&mut a, g);
    a.update(Action::ShowTab("shifts"));
    key(&mut a, KeyCode::Char('r'));
    serve(&mut a, g);
    key(&mut a, KeyCode::Enter);
    serve(&mut a, g);
    a
}

pub fn text(a: &mut App, w: u16, h: u16) -> Vec<String> {
    let t = draw(a, w, h);
    (0..h).map(|y| line_text(t.backend().buffer(), y)).collect()
}

pub fn row_starting(lines: &[String], start: &str) -> usize {
    lines
        .iter()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("a row starting {start}: {lines:#?}"))
}

pub fn request() -> DispatchRequest {
    DispatchRequest {
        id: 7,
        organisation_id: 2,
        organisation_name: "東京都".into(),
        prefecture_code: "13".into(),
        health_centre_id: 11,
        health_centre_name: "多摩府中保健所".into(),
        title: "年末年始の疫学調査応援".into(),
        duties: vec![Duty::ActiveInvestigation],
        other_duty: String::new(),
        notes: String::new(),
        answer_deadline: at(new_year() - Duration::days(2), 17),
        status: DispatchStatus::Sent,
        slots: grid(1, 2, new_year())
            .slots
            .iter()
            .map(|s| Slot {
                id: s.id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                needed: s.needed,
                professions: s.professions.clone(),
                available: 3,
                cancelled_at: None,
            })
            .collect(),
        counts: AskCounts {
            asked: 0,
            answered: 0,
            reminder_round: 0,
        },
        created_at: at(new_year() - Duration::days(5), 9),
        updated_at: at(new_year() - Duration::days(5), 9),
        sent_at: None,
        cancelled_at: None,
        cancel_reason: None,
    }
}

pub fn asked() -> AskedRequest {
    let r = request();
    AskedRequest {
        id: r.id,
        title: r.title,
        organisation_name: r.organisation_name,
        health_centre_name: r.health_centre_name,
        duties: r.duties,
        other_duty: r.other_duty,
        notes: "初日 8:45 集合".into(),
        answer_deadline: r.answer_deadline,
        status: DispatchStatus::Sent,
        slots: r.slots,
        answer: Vec::new(),
        note: String::new(),
        answered_at: None,
        open: true,
        assignments: Vec::new(),
    }
}

/// A member with request `r` open on its dispatch tab.
pub fn member_with(r: AskedRequest) -> App {
    let mut a = logged_in_as(Lang::Ja, Role::Member);
    a.update(Action::ShowTab("dispatch"));
    key(&mut a, KeyCode::Char('r'));
    for (id, req) in a.net.take_recorded() {
        if req.is::<ep::ListMyDispatchRequests>() {
            a.update(Action::Answer(Answer::ok(
                id,
                Page {
                    items: vec![r.clone()],
                    total: 1,
                    page: 1,
                    per_page: 100,
                },
            )));
        } else {
            a.update(response(id, server(&Request::from(&req))));
        }
    }
    key(&mut a, KeyCode::Enter);
    let _ = a.net.take_recorded();
    a
}
