//! The inbox tab: snapshots of the list, an opened message and an empty inbox at 80×24 with
//! Japanese subjects; the unread badge in the tab bar; filters, paging, marking read and the
//! jump to the record a message concerns.

mod common;

use common::*;
use crossterm::event::KeyCode;
use ouen::app::Action;
use ouen::shell::App;
use ouen::ui::confirm::Confirm;
use ouen_shared::api::{InboxFilter, Page, UnreadCount};
use ouen_shared::{Lang, NoticeKind, Role};

/// Signed in as `role`, on the inbox tab, every request answered.
fn inbox(lang: Lang, role: Role) -> App {
    let mut a = logged_in_as(lang, role);
    a.update(Action::ShowTab("inbox"));
    a
}

fn text(a: &mut App) -> String {
    let t = draw(a, 80, 24);
    (0..24)
        .map(|y| line_text(t.backend().buffer(), y) + "\n")
        .collect()
}

#[test]
fn the_list_at_80x24() {
    for (name, lang) in [("inbox_list_ja", Lang::Ja), ("inbox_list_en", Lang::En)] {
        let mut a = inbox(lang, Role::Prefecture);
        let t = draw(&mut a, 80, 24);
        insta::assert_snapshot!(format!("{name}_80x24"), screen(&t));
    }
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    let s = text(&mut a);
    assert!(s.contains("6 通知 (2)"), "the badge: {s}");
    assert!(s.contains("登録審査結果"), "the kind: {s}");
    assert!(s.contains("2026-03-31 18:30"), "created time in JST: {s}");
    assert!(s.contains('●'), "unread marker: {s}");
}

#[test]
fn japanese_subjects_line_up_in_columns() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    let t = draw(&mut a, 80, 24);
    let buf = t.backend().buffer();
    let header = (0..24)
        .find(|y| line_text(buf, *y).contains("件名"))
        .expect("header row");
    let subject_col = x_of(buf, header, "件").expect("subject header");
    let created_col = x_of(buf, header, "作").expect("created header");
    for (kind_first, subject_first) in [("登", "登"), ("シ", "シ"), ("一", "研")] {
        let y = (0..24)
            .find(|y| {
                let l = line_text(buf, *y);
                l.contains(kind_first) && y > &header
            })
            .unwrap_or_else(|| panic!("row of {kind_first}"));
        let xs: Vec<u16> = (0..80)
            .filter(|x| buf[(*x, y)].symbol() == subject_first)
            .collect();
        assert!(
            xs.contains(&subject_col),
            "subject {subject_first} starts under its header"
        );
        let date = (0..76).find(|x| {
            (0..4).all(|i| buf[(*x + i, y)].symbol() == &"2026"[i as usize..i as usize + 1])
        });
        assert_eq!(date, Some(created_col), "the time column of {kind_first}");
    }
}

#[test]
fn an_empty_inbox_says_so() {
    let mut a = logged_in_as(Lang::Ja, Role::City);
    a.update(Action::ShowTab("inbox"));
    a.update(Action::Refresh);
    answer(&mut a, |req| match req {
        Request::Inbox { .. } => Ok(Reply::Inbox(Page {
            items: Vec::new(),
            total: 0,
            page: 1,
            per_page: 50,
        })),
        Request::Unread => Ok(Reply::Unread(UnreadCount { unread: 0 })),
        other => server(other),
    });
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("inbox_empty_80x24", screen(&t));
    let s = text(&mut a);
    assert!(s.contains("通知はありません。"), "{s}");
    assert!(
        !s.contains("通知 ("),
        "no badge without unread messages: {s}"
    );
}

#[test]
fn enter_opens_a_message_and_marks_it_read() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Enter);
    let reqs = sent(&a);
    assert!(
        reqs.iter()
            .any(|(_, r)| matches!(r, Request::MarkRead { id: 11 })),
        "{reqs:?}"
    );
    for (id, r) in reqs {
        a.update(response(id, inbox_server(&r).expect("an inbox call")));
    }
    // The count is asked for again once the message is read.
    answer(&mut a, |req| match req {
        Request::Unread => Ok(Reply::Unread(UnreadCount { unread: 1 })),
        other => server(other),
    });
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("inbox_open_80x24", screen(&t));
    let s = text(&mut a);
    assert!(s.contains("通知 (1)"), "the badge went down: {s}");
    assert!(s.contains("派遣要請の対象になります。"), "the body: {s}");
    // Every line of the wrapped body fits the screen.
    assert!(s.lines().all(|l| ouen::widgets::text::width(l) <= 80));
    key(&mut a, KeyCode::Esc);
    let s = text(&mut a);
    assert!(s.contains("件名"), "back to the list: {s}");
    // A read message is not marked again.
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Enter);
    assert!(
        !sent(&a)
            .iter()
            .any(|(_, r)| matches!(r, Request::MarkRead { .. })),
        "already read"
    );
}

#[test]
fn filters_by_unread_and_by_kind() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('/'));
    let reqs = sent(&a);
    assert!(
        reqs.iter().any(|(_, r)| matches!(
            r,
            Request::Inbox {
                filter: InboxFilter {
                    unread: Some(true),
                    kind: None
                },
                page: 1
            }
        )),
        "{reqs:?}"
    );
    for (id, r) in reqs {
        a.update(response(id, server(&r)));
    }
    let s = text(&mut a);
    assert!(s.contains("[未読のみ]"), "{s}");
    assert!(
        !s.contains("研修のご案内"),
        "the read one is not listed: {s}"
    );
    key(&mut a, KeyCode::Char('t'));
    let reqs = sent(&a);
    assert!(
        reqs.iter().any(|(_, r)| matches!(
            r,
            Request::Inbox {
                filter: InboxFilter {
                    unread: Some(true),
                    kind: Some(NoticeKind::DispatchRequest)
                },
                ..
            }
        )),
        "{reqs:?}"
    );
    // Esc clears every filter.
    key(&mut a, KeyCode::Esc);
    let reqs = sent(&a);
    assert!(
        reqs.iter().any(|(_, r)| matches!(
            r,
            Request::Inbox {
                filter: InboxFilter {
                    unread: None,
                    kind: None
                },
                ..
            }
        )),
        "{reqs:?}"
    );
}

#[test]
fn marking_all_read_asks_first() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('A'));
    let confirm = a
        .popups
        .last()
        .and_then(|p| p.as_any().downcast_ref::<Confirm>())
        .expect("a confirmation");
    assert!(confirm.question.contains("既読"));
    assert!(sent(&a).is_empty(), "nothing sent before yes");
    key(&mut a, KeyCode::Char('y'));
    let reqs = sent(&a);
    assert!(
        reqs.iter().any(|(_, r)| matches!(r, Request::ReadAll)),
        "{reqs:?}"
    );
    for (id, r) in reqs {
        a.update(response(id, server(&r)));
    }
    let s = text(&mut a);
    assert!(s.contains("既読にしました (2)"), "{s}");
    assert!(!s.contains("通知 ("), "no badge left: {s}");
}

#[test]
fn a_key_opens_the_member_the_message_concerns() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('o'));
    assert_eq!(a.active, 0, "the roster tab is in front");
    let reqs = sent(&a);
    assert!(
        reqs.iter()
            .any(|(_, r)| matches!(r, Request::Member { id: 3 })),
        "{reqs:?}"
    );
    for (id, r) in reqs {
        a.update(response(id, server(&r)));
    }
    let s = text(&mut a);
    assert!(s.contains("詳細 — 鈴木 花子"), "the member's record: {s}");

    // A kind of record this client does not show: a quiet word, nothing else.
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('G'));
    key(&mut a, KeyCode::Char('o'));
    assert_eq!(a.active, 5, "still on the inbox");
    let s = text(&mut a);
    assert!(s.contains("この画面では開けません"), "{s}");
    // A message about no record.
    key(&mut a, KeyCode::Char('k'));
    key(&mut a, KeyCode::Char('o'));
    let s = text(&mut a);
    assert!(s.contains("対象の記録はありません"), "{s}");
}

#[test]
fn every_role_has_an_inbox_with_its_badge() {
    for role in [
        Role::National,
        Role::Admin,
        Role::Prefecture,
        Role::City,
        Role::Member,
    ] {
        let mut a = logged_in_as(Lang::Ja, role);
        assert!(
            a.tab_titles().contains(&"通知"),
            "{role:?}: {:?}",
            a.tab_titles()
        );
        let s = text(&mut a);
        assert!(s.contains("通知 (2)"), "{role:?}: {s}");
    }
}

#[test]
fn the_help_lists_the_inbox_keys() {
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('?'));
    let mut all = String::new();
    for _ in 0..12 {
        all.push_str(&text(&mut a));
        key(&mut a, KeyCode::PageDown);
    }
    for needle in [
        "すべて既読にする",
        "通知の対象の記録を開く",
        "種類で絞り込み",
    ] {
        assert!(all.contains(needle), "{needle}: {all}");
    }
}

fn event(id: i64, kind: ouen_shared::api::EventKind, subject: Option<i64>) -> Action {
    Action::Live(ouen::live::LiveNews::Event(ouen_shared::api::StreamEvent {
        id,
        kind,
        subject_kind: subject.map(|_| "member".to_string()),
        subject_id: subject,
    }))
}

#[test]
fn live_events_refresh_the_badge_and_the_views_they_concern() {
    use ouen::live::LiveNews;
    use ouen_shared::api::EventKind;
    let mut a = inbox(Lang::Ja, Role::Prefecture);
    // A message arrived: the inbox and its count are read again, without a key.
    a.update(event(1, EventKind::InboxMessage, Some(12)));
    let reqs = sent(&a);
    assert!(
        reqs.iter().any(|(_, r)| matches!(r, Request::Unread)),
        "{reqs:?}"
    );
    assert!(
        reqs.iter().any(|(_, r)| matches!(r, Request::Inbox { .. })),
        "{reqs:?}"
    );
    assert!(
        !reqs
            .iter()
            .any(|(_, r)| matches!(r, Request::Members { .. })),
        "{reqs:?}"
    );
    for (id, r) in reqs {
        let reply = match r {
            Request::Unread => Ok(Reply::Unread(UnreadCount { unread: 3 })),
            other => server(&other),
        };
        a.update(response(id, reply));
    }
    assert!(text(&mut a).contains("6 通知 (3)"));
    // A member changed: the roster's page is read again, and the record in front if it is hers.
    a.update(Action::ShowTab("roster"));
    key(&mut a, KeyCode::Enter);
    answer(&mut a, server);
    a.update(event(2, EventKind::Member, Some(1)));
    let reqs = sent(&a);
    assert!(
        reqs.iter()
            .any(|(_, r)| matches!(r, Request::Members { .. })),
        "{reqs:?}"
    );
    assert!(
        !reqs.iter().any(|(_, r)| matches!(r, Request::Unread)),
        "{reqs:?}"
    );
    // Resync: every view reloads.
    a.update(event(3, EventKind::Resync, None));
    let reqs = sent(&a);
    for want in ["Members", "Unread", "Accounts"] {
        assert!(
            reqs.iter().any(|(_, r)| format!("{r:?}").starts_with(want)),
            "{want}: {reqs:?}"
        );
    }
    // The stream's state, quietly in the status line.
    a.update(Action::Live(LiveNews::Down));
    let t = draw(&mut a, 80, 24);
    assert!(line_text(t.backend().buffer(), 23).contains("live ✗"));
    a.update(Action::Live(LiveNews::Up));
    let t = draw(&mut a, 80, 24);
    assert!(!line_text(t.backend().buffer(), 23).contains("live ✗"));
    a.update(Action::Live(LiveNews::Down));
    a.update(Action::Live(LiveNews::Stopped {
        unauthenticated: false,
    }));
    let t = draw(&mut a, 80, 24);
    assert!(
        !line_text(t.backend().buffer(), 23).contains("live ✗"),
        "an older server without the stream: nothing to show"
    );
}
