//! The roster tab: snapshots of the list, the record, the filter panel, the vetting popups and
//! the member's own profile at 80×24 and 120×40; the search's debounce and stale answers; the
//! import and export gauges.

mod common;

use common::*;
use crossterm::event::KeyCode;
use ouen::api::ApiError;
use ouen::app::Action;
use ouen::shell::App;
use ouen::views::roster::SEARCH_DEBOUNCE;
use ouen_shared::api::{CsvEncoding, Decision, ImportReport, MemberFilter};
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang, MembershipStatus, Role};
use std::path::PathBuf;
use std::sync::Arc;

fn both_sizes(name: &str, mut make: impl FnMut() -> App) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = make();
        let t = draw(&mut a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&t));
    }
}

fn invalid(fields: &[(&str, &str)]) -> ApiError {
    ApiError::Server(ErrorBody {
        code: ErrorCode::Invalid,
        message: "入力内容に誤りがあります。".into(),
        fields: fields
            .iter()
            .map(|(f, m)| FieldError {
                field: (*f).into(),
                code: "invalid".into(),
                message: (*m).into(),
            })
            .collect(),
        request_id: Some("req-7".into()),
        retry_after_seconds: None,
    })
}

#[test]
fn list() {
    both_sizes("roster_ja", || roster(Lang::Ja, Role::Prefecture));
    both_sizes("roster_en", || roster(Lang::En, Role::Prefecture));
    both_sizes("roster_national", || roster(Lang::Ja, Role::National));
}

#[test]
fn the_list_asks_the_server_for_one_page() {
    let mut a = logged_in_as(Lang::Ja, Role::Prefecture);
    a.update(Action::ShowTab("organisation"));
    a.update(Action::Refresh);
    let _ = sent(&a);
    a.update(Action::SwitchTab(0));
    key(&mut a, KeyCode::Char(']')); // one page only: nothing to ask
    assert!(sent(&a).is_empty());
    key(&mut a, KeyCode::Char('o')); // the next order, from the first page
    let reqs = sent(&a);
    let [(
        _,
        Request::Members {
            page,
            per_page,
            sort,
            order,
            filter,
        },
    )] = reqs.as_slice()
    else {
        panic!("one list request: {reqs:?}");
    };
    assert_eq!((*page, *per_page, *sort), (1, 50, "name"));
    assert_eq!(*order, ouen_shared::api::SortOrder::Asc);
    assert_eq!(*filter, MemberFilter::default());
    key(&mut a, KeyCode::Char('o'));
    key(&mut a, KeyCode::Char('o'));
    let reqs = sent(&a);
    assert!(matches!(
        reqs.last(),
        Some((
            _,
            Request::Members {
                sort: "experience",
                order: ouen_shared::api::SortOrder::Desc,
                ..
            }
        ))
    ));
}

#[test]
fn pages_are_asked_for_one_at_a_time() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    a.update(Action::Refresh);
    let reqs = sent(&a);
    let (id, _) = reqs
        .iter()
        .find(|(_, r)| matches!(r, Request::Members { .. }))
        .expect("the list");
    let mut page = members_page(summaries());
    page.total = 120; // three pages of 50
    a.update(response(*id, Ok(Reply::Members(page))));
    let t = draw(&mut a, 80, 24);
    assert!(line_text(t.backend().buffer(), 1).starts_with("名簿 120件  1/3頁"));
    key(&mut a, KeyCode::Char(']'));
    key(&mut a, KeyCode::Char(']'));
    key(&mut a, KeyCode::Char('['));
    let pages: Vec<u32> = sent(&a)
        .iter()
        .filter_map(|(_, r)| match r {
            Request::Members { page, .. } => Some(*page),
            _ => None,
        })
        .collect();
    assert_eq!(pages, vec![2, 3, 2]);
}

#[test]
fn full_width_columns_line_up() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = roster(Lang::Ja, Role::Prefecture);
        let t = draw(&mut a, w, h);
        let buf = t.backend().buffer();
        let header = row_of(buf, "登録コード").expect("header row");
        let name_col = x_of(buf, header, "氏").expect("name header");
        let kana_col = x_of(buf, header, "ふ").expect("kana header");
        let status_col = x_of(buf, header, "状").expect("status header");
        for (name, kana, status) in [("髙", "た", "承"), ("山", "や", "審"), ("佐", "さ", "一")]
        {
            let y = (0..h)
                .find(|y| x_of(buf, *y, name) == Some(name_col))
                .unwrap_or_else(|| panic!("row of {name} at {w}x{h}"));
            assert_eq!(
                x_of(buf, y, kana),
                Some(kana_col),
                "kana of {name} at {w}x{h}"
            );
            assert_eq!(
                x_of(buf, y, status),
                Some(status_col),
                "status of {name} at {w}x{h}"
            );
        }
    }
}

#[test]
fn detail() {
    // 80×24: the record fills the view; 120×40: beside the list.
    both_sizes("roster_detail", || {
        let mut a = roster(Lang::Ja, Role::Prefecture);
        key(&mut a, KeyCode::Char('j'));
        key(&mut a, KeyCode::Enter);
        answer(&mut a, server);
        a
    });
    both_sizes("roster_detail_city", || {
        let mut a = roster(Lang::Ja, Role::City);
        key(&mut a, KeyCode::Enter);
        answer(&mut a, |req| match req {
            Request::Member { id } => Ok(Reply::Member(Box::new(member_for_city(*id)))),
            other => server(other),
        });
        a
    });
    // Before Enter, a wide pane shows what the row tells, and nothing more was read.
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!("roster_pane_summary_120x40", screen(&t));
    assert!(sent(&a).is_empty(), "no record is read by moving over it");
}

#[test]
fn the_record_scrolls_and_esc_returns_to_the_list() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    draw(&mut a, 80, 24);
    key(&mut a, KeyCode::Enter);
    let reqs = sent(&a);
    assert!(matches!(reqs.as_slice(), [(_, Request::Member { id: 1 })]));
    for (id, req) in reqs {
        a.update(response(id, server(&req)));
    }
    let t = draw(&mut a, 80, 24);
    assert!(row_of(t.backend().buffer(), "詳細 — 髙橋 美咲").is_some());
    for _ in 0..30 {
        key(&mut a, KeyCode::Char('j'));
    }
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(text.contains("更新日"), "scrolled to the end");
    key(&mut a, KeyCode::Esc);
    let t = draw(&mut a, 80, 24);
    assert!(row_of(t.backend().buffer(), "登録コード").is_some());
}

#[test]
fn filter_panel() {
    both_sizes("roster_filter", || {
        let mut a = roster(Lang::Ja, Role::Prefecture);
        key(&mut a, KeyCode::Char('f'));
        a
    });
    // Choosing two professions and a status, then applying, asks for exactly that.
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('f'));
    key(&mut a, KeyCode::Enter); // the profession list
    key(&mut a, KeyCode::Char(' ')); // 医師, and on to 歯科医師
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' ')); // 薬剤師
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("roster_filter_multi_80x24", screen(&t));
    key(&mut a, KeyCode::Enter);
    // Choosing keeps the focus on the field chosen for: eleven fields further down.
    for _ in 0..11 {
        key(&mut a, KeyCode::Tab);
    }
    key(&mut a, KeyCode::Enter); // 派遣実績なしのみ: はい
    typed(&mut a, "x"); // a switch takes no text
    let _ = sent(&a);
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(
        _,
        Request::Members {
            filter, page: 1, ..
        },
    )] = reqs.as_slice()
    else {
        panic!("one list request: {reqs:?}");
    };
    assert_eq!(filter.profession.as_deref(), Some("doctor,pharmacist"));
    assert_eq!(filter.never_dispatched, Some(true));
    assert_eq!(filter.status, None);
    answer(&mut a, server);
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("roster_filtered_80x24", screen(&t));
}

#[test]
fn a_bad_date_in_the_filter_panel_is_shown_beside_it() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('f'));
    for _ in 0..6 {
        key(&mut a, KeyCode::Tab);
    }
    typed(&mut a, "2026-13-01");
    let _ = sent(&a);
    ctrl(&mut a, 's');
    assert!(sent(&a).is_empty(), "nothing sent");
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(text.contains("2026-13-01"), "the input is kept");
    assert!(text.contains("例: 2026-05-01"), "{text}");
}

#[test]
fn search_waits_for_typing_to_rest() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "ｽｽﾞｷ");
    // Nothing is asked while typing; each keystroke restarts the timer.
    assert!(sent(&a).is_empty());
    let timers = std::mem::take(&mut a.timers);
    assert_eq!(timers.len(), 4, "{timers:?}");
    assert!(timers.iter().all(|(after, _)| *after == SEARCH_DEBOUNCE));
    // Typing stays possible and the spinner runs meanwhile.
    assert!(a.insert_mode());
    assert!(a.is_loading());
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("roster_search_typing_80x24", screen(&t));
    // An older timer firing does nothing.
    fire(&mut a, &timers[1].1);
    assert!(sent(&a).is_empty());
    // The newest one searches, once, for the whole text.
    fire(&mut a, &timers[3].1);
    fire(&mut a, &timers[3].1);
    let reqs = sent(&a);
    let [(
        _,
        Request::Members {
            filter, page: 1, ..
        },
    )] = reqs.as_slice()
    else {
        panic!("one search: {reqs:?}");
    };
    assert_eq!(filter.q.as_deref(), Some("ｽｽﾞｷ"));
}

#[test]
fn pasted_search_text_is_searched_once_it_rests() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('/'));
    a.update(Action::Paste("101-234-5679".into()));
    assert!(sent(&a).is_empty());
    let (_, tag) = a.timers.pop().expect("a timer");
    fire(&mut a, &tag);
    assert!(matches!(
        sent(&a).as_slice(),
        [(_, Request::Members { filter, .. })] if filter.q.as_deref() == Some("101-234-5679")
    ));
}

#[test]
fn a_stale_search_answer_is_dropped() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "ｽｽﾞｷ");
    let (_, first) = a.timers.pop().unwrap();
    fire(&mut a, &first);
    let older = sent(&a);
    typed(&mut a, " ﾊﾅｺ");
    let (_, second) = a.timers.pop().unwrap();
    fire(&mut a, &second);
    let newer = sent(&a);
    assert_eq!((older.len(), newer.len()), (1, 1));
    let only = |name: &str| {
        let name = name.to_string();
        move |_: &Request| -> Result<Reply, ApiError> {
            let items = summaries().into_iter().filter(|s| s.name == name).collect();
            Ok(Reply::Members(members_page(items)))
        }
    };
    // The newer answer first, then the older one arrives late: it is ignored.
    a.update(response(newer[0].0, only("鈴木 花子")(&newer[0].1)));
    a.update(response(
        older[0].0,
        Ok(Reply::Members(members_page(summaries()))),
    ));
    key(&mut a, KeyCode::Enter);
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("roster_search_result_80x24", screen(&t));
    let buf = t.backend().buffer();
    let text: String = (0..24).map(|y| line_text(buf, y)).collect();
    assert!(text.contains("鈴木 花子") && !text.contains("髙橋 美咲"));
    assert!(!a.is_loading());
}

#[test]
fn esc_in_the_search_clears_it_at_once() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "すずき");
    let _ = sent(&a);
    key(&mut a, KeyCode::Esc);
    let reqs = sent(&a);
    assert!(matches!(
        reqs.as_slice(),
        [(_, Request::Members { filter, .. })] if filter.q.is_none()
    ));
    assert!(!a.insert_mode());
}

#[test]
fn vetting_queue_and_approval() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('v'));
    let reqs = sent(&a);
    let [(id, Request::Members { filter, .. })] = reqs.as_slice() else {
        panic!("the queue: {reqs:?}");
    };
    assert_eq!(filter.status.as_deref(), Some("applied"));
    assert_eq!(filter.prefecture.as_deref(), Some("13"));
    let waiting = summaries()
        .into_iter()
        .filter(|s| s.memberships[0].status == MembershipStatus::Applied)
        .collect();
    a.update(response(*id, Ok(Reply::Members(members_page(waiting)))));
    answer(&mut a, server);
    both_sizes_of(&mut a, "roster_queue");
    key(&mut a, KeyCode::Char('a'));
    both_sizes_of(&mut a, "roster_approve_confirm");
    key(&mut a, KeyCode::Char('y'));
    let reqs = sent(&a);
    let [(
        id,
        Request::Decide {
            id: member,
            prefecture,
            body,
        },
    )] = reqs.as_slice()
    else {
        panic!("a decision: {reqs:?}");
    };
    assert_eq!((*member, prefecture.as_str()), (2, "13"));
    assert_eq!(body.decision, Decision::Approve);
    a.update(response(*id, Ok(Reply::Decided(Box::new(approved(2))))));
    both_sizes_of(&mut a, "roster_code_issued");
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    let shown = ouen_shared::RegistrationCode::parse(&issued_code())
        .unwrap()
        .display();
    assert!(text.contains(&shown), "the code {shown} is shown");
    // The list is asked for again: the member left the queue.
    assert!(sent(&a)
        .iter()
        .any(|(_, r)| matches!(r, Request::Members { .. })));
    key(&mut a, KeyCode::Char('y'));
    assert_eq!(a.copy.as_deref(), Some(shown.as_str()));
}

fn both_sizes_of(a: &mut App, name: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&t));
    }
}

#[test]
fn a_rejection_needs_a_reason_and_keeps_it_on_error() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('j')); // 山﨑 健太, applied
    key(&mut a, KeyCode::Char('r'));
    let _ = sent(&a);
    ctrl(&mut a, 's');
    assert!(sent(&a).is_empty(), "checked before sending");
    both_sizes_of(&mut a, "roster_reject_required");
    typed(&mut a, "免許番号が確認できません");
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::Decide { body, .. })] = reqs.as_slice() else {
        panic!("a decision: {reqs:?}");
    };
    assert_eq!(body.decision, Decision::Reject);
    assert_eq!(body.reason.as_deref(), Some("免許番号が確認できません"));
    a.update(response(
        *id,
        Err(invalid(&[("reason", "理由は具体的に書いてください。")])),
    ));
    both_sizes_of(&mut a, "roster_reject_server_error");
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(text.contains("免許番号が確認できません"), "input kept");
    assert!(text.contains("理由は具体的に書いてください。"));
}

#[test]
fn decisions_follow_the_membership() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    // 髙橋 美咲 is approved: nothing to approve.
    key(&mut a, KeyCode::Char('a'));
    assert!(a.popups.is_empty());
    let t = draw(&mut a, 80, 24);
    assert!(row_of(
        t.backend().buffer(),
        "[通常] 髙橋 美咲: この都道府県への審査中の申請はありません。"
    )
    .is_some());
    // … but can be suspended, with a reason.
    key(&mut a, KeyCode::Char('s'));
    assert_eq!(a.popups.len(), 1);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert!(a.popups.is_empty());
    // 佐々木 由美 is suspended: reinstating asks first.
    for _ in 0..4 {
        key(&mut a, KeyCode::Char('j'));
    }
    key(&mut a, KeyCode::Char('u'));
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('y'));
    assert!(matches!(
        sent(&a).as_slice(),
        [(_, Request::Decide { id: 5, body, .. })] if body.decision == Decision::Reinstate
    ));
}

#[test]
fn read_only_roles_see_no_changes() {
    for role in [Role::National, Role::City] {
        let mut a = roster(Lang::Ja, role);
        let _ = sent(&a);
        for c in ['a', 'r', 's', 'u', 'c', 'v'] {
            key(&mut a, KeyCode::Char(c));
            assert!(a.popups.is_empty(), "{role:?} {c}");
        }
        assert!(sent(&a).is_empty(), "{role:?} sent nothing");
        let t = draw(&mut a, 80, 24);
        let buf = t.backend().buffer();
        assert!(row_of(buf, "[通常] この権限では操作できません。").is_some());
        key(&mut a, KeyCode::Char('j'));
        let t = draw(&mut a, 80, 24);
        let hints = line_text(t.backend().buffer(), 23);
        assert!(!hints.contains("a:承認"), "{hints}");
    }
}

#[test]
fn import_goes_through_a_dry_run_then_saves() {
    let mut a = logged_in_as(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    a.update(Action::OpenCommandLine);
    typed(&mut a, "import /tmp/名簿.csv");
    key(&mut a, KeyCode::Enter);
    let reqs = sent(&a);
    let [(id, Request::ReadFile { path })] = reqs.as_slice() else {
        panic!("the file is read on a task: {reqs:?}");
    };
    assert_eq!(path, &PathBuf::from("/tmp/名簿.csv"));
    let csv = Arc::new("氏名,ふりがな\n".as_bytes().to_vec());
    a.update(response(*id, Ok(Reply::File(csv.clone()))));
    let reqs = sent(&a);
    let [(id, Request::Import { dry_run: true, .. })] = reqs.as_slice() else {
        panic!("a dry run: {reqs:?}");
    };
    both_sizes_of(&mut a, "roster_import_checking");
    a.update(response(
        *id,
        Ok(Reply::Imported(ImportReport {
            created: 0,
            rows: 12,
            dry_run: true,
        })),
    ));
    let reqs = sent(&a);
    let [(
        id,
        Request::Import {
            dry_run: false,
            csv: body,
            ..
        },
    )] = reqs.as_slice()
    else {
        panic!("the import: {reqs:?}");
    };
    assert_eq!(body, &csv, "the same bytes as checked");
    a.update(response(
        *id,
        Ok(Reply::Imported(ImportReport {
            created: 12,
            rows: 12,
            dry_run: false,
        })),
    ));
    let t = draw(&mut a, 80, 24);
    let status = line_text(t.backend().buffer(), 23);
    assert!(
        status.contains("CSV を取り込みました: 12 件 / 12"),
        "{status}"
    );
    assert!(!a.is_loading() || !sent(&a).is_empty());
}

#[test]
fn refused_rows_are_listed_by_line() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "import members.csv");
    answer(&mut a, |req| match req {
        Request::ReadFile { .. } => Ok(Reply::File(Arc::new(Vec::new()))),
        Request::Import { .. } => Err(invalid(
            &(1..=14)
                .map(|n| {
                    if n % 2 == 0 {
                        (
                            "rows.12.birth_date",
                            "日付の形式が正しくありません（例: 1980-04-01）。",
                        )
                    } else {
                        ("rows.3.name_kana", "ひらがな・カタカナで入力してください。")
                    }
                })
                .collect::<Vec<_>>(),
        )),
        other => server(other),
    });
    both_sizes_of(&mut a, "roster_import_refused");
    assert!(!a.is_loading(), "the import is over");
}

#[test]
fn export_shows_bytes_received() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    a.update(Action::OpenCommandLine);
    typed(&mut a, "export out.csv cp932");
    let _ = sent(&a);
    key(&mut a, KeyCode::Enter);
    let reqs = sent(&a);
    let [(
        id,
        Request::Export {
            encoding: CsvEncoding::Cp932,
            path,
            ..
        },
    )] = reqs.as_slice()
    else {
        panic!("an export: {reqs:?}");
    };
    assert_eq!(path, &PathBuf::from("out.csv"));
    a.update(Action::Progress {
        id: *id,
        done: 30_720,
        total: Some(81_920),
    });
    both_sizes_of(&mut a, "roster_export_progress");
    // Progress of a request nobody waits for is ignored.
    a.update(Action::Progress {
        id: ouen::app::net::RequestId(9_999),
        done: 1,
        total: Some(2),
    });
    a.update(response(
        *id,
        Ok(Reply::Exported {
            path: PathBuf::from("out.csv"),
            bytes: 81_920,
        }),
    ));
    let t = draw(&mut a, 80, 24);
    let status = line_text(t.backend().buffer(), 23);
    assert!(
        status.contains("CSV を書き出しました: out.csv (80.0 KB)"),
        "{status}"
    );
}

#[test]
fn an_export_refused_for_cp932_names_the_record() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "export out.csv cp932");
    answer(&mut a, |req| {
        match req {
        Request::Export { .. } => Err(invalid(&[(
            "encoding",
            "髙橋 美咲（101-234-5673）の「髙」は CP932 で書き出せません。UTF-8 で書き出してください。",
        )])),
        other => server(other),
    }
    });
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(text.contains("書き出せませんでした"), "{text}");
    assert!(text.contains("CP932"), "{text}");
}

#[test]
fn member_profile() {
    both_sizes("profile", || roster(Lang::Ja, Role::Member));
    both_sizes("profile_edit", || {
        let mut a = roster(Lang::Ja, Role::Member);
        key(&mut a, KeyCode::Char('e'));
        a
    });
    both_sizes("profile_availability", || {
        let mut a = roster(Lang::Ja, Role::Member);
        key(&mut a, KeyCode::Char('a'));
        a
    });
    both_sizes("profile_withdraw", || {
        let mut a = roster(Lang::Ja, Role::Member);
        key(&mut a, KeyCode::Char('W'));
        a
    });
}

#[test]
fn a_member_changes_its_availability() {
    let mut a = roster(Lang::Ja, Role::Member);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('a'));
    // The first period is filled in; the second is added.
    for _ in 0..3 {
        key(&mut a, KeyCode::Tab);
    }
    typed(&mut a, "2027-04-01");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "2027-09-30");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter); // the ways
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char(' ')); // 在宅
    key(&mut a, KeyCode::Enter);
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::SetOffer { prefecture, body })] = reqs.as_slice() else {
        panic!("an offer: {reqs:?}");
    };
    assert_eq!(prefecture, "13");
    assert_eq!(body.availability.len(), 2);
    assert_eq!(body.availability[1].from, day(2027, 4, 1));
    assert_eq!(
        body.availability[1].ways,
        vec![ouen_shared::roster::HelpWay::Remote]
    );
    let mut m = member(1);
    m.memberships[0].availability = body.availability.clone();
    a.update(response(*id, Ok(Reply::Member(Box::new(m)))));
    assert!(a.popups.is_empty());
    let t = draw(&mut a, 120, 40);
    let text: String = (0..40)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(
        text.contains("2027-04-01〜2027-09-30 在宅（リモート）"),
        "{text}"
    );
}

#[test]
fn a_member_withdraws_after_confirming() {
    let mut a = roster(Lang::Ja, Role::Member);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('w'));
    key(&mut a, KeyCode::Char('n'));
    assert!(sent(&a).is_empty(), "no: nothing sent");
    key(&mut a, KeyCode::Char('w'));
    key(&mut a, KeyCode::Char('y'));
    let reqs = sent(&a);
    assert!(matches!(
        reqs.as_slice(),
        [(_, Request::Withdraw(w))] if w.prefecture_code.as_deref() == Some("13")
    ));
    key(&mut a, KeyCode::Char('W'));
    key(&mut a, KeyCode::Char('y'));
    let reqs = sent(&a);
    assert!(matches!(
        reqs.as_slice(),
        [(_, Request::Withdraw(w))] if w.prefecture_code.is_none()
    ));
}

#[test]
fn the_profile_form_sends_server_field_names() {
    let mut a = roster(Lang::Ja, Role::Member);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('e'));
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::UpdateProfile(body))] = reqs.as_slice() else {
        panic!("the profile: {reqs:?}");
    };
    assert_eq!(body.profile.name, "髙橋 美咲");
    assert_eq!(body.profile.licences.len(), 2);
    a.update(response(
        *id,
        Err(invalid(&[(
            "profile.licences[1].number",
            "この免許番号は既に登録されています。",
        )])),
    ));
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(
        text.contains("この免許番号は既に登録されています。"),
        "the error is beside its field, scrolled into view: {text}"
    );
}

#[test]
fn the_search_timer_is_only_the_roster_s() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let _ = sent(&a);
    a.update(Action::message(
        ouen::views::roster::RosterMsg::SearchRested(0),
    ));
    assert!(sent(&a).is_empty());
}

/// Any key in any state at any size: no panic.
#[test]
fn no_key_sequence_panics() {
    let specials = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    let chars: Vec<char> = "jkgGarsucwvfxoO][/eIlhWnN y2ｽ髙".chars().collect();
    let mut seed: u64 = 0x0e11;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for role in [Role::Prefecture, Role::Member, Role::City] {
        for (w, h) in [(60, 16), (80, 24), (120, 40)] {
            let mut a = roster(Lang::Ja, role);
            for _ in 0..400 {
                match next(10) {
                    0..=3 => key(&mut a, specials[next(specials.len())]),
                    4 => ctrl(&mut a, ['s', 'd', 'u', 'r'][next(4)]),
                    _ => key(&mut a, KeyCode::Char(chars[next(chars.len())])),
                }
                if a.quit {
                    a = roster(Lang::Ja, role);
                }
                for (_, tag) in std::mem::take(&mut a.timers) {
                    fire(&mut a, &tag);
                }
                answer(&mut a, |req| match req {
                    Request::Decide { id, .. } => Ok(Reply::Decided(Box::new(approved(*id)))),
                    other => server(other),
                });
                draw(&mut a, w, h);
            }
        }
    }
}

#[test]
fn registration_from_the_login_screen() {
    use ouen::shell::Start;
    use ouen_shared::api::{Registered, RegistrationTerms};
    let mut a = app(
        Lang::Ja,
        Start::Login {
            login: String::new(),
        },
    );
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(
        text.contains("Ctrl-r: IHEAT 人材バンクへの登録申請"),
        "{text}"
    );
    ctrl(&mut a, 'r');
    let reqs = sent(&a);
    let [(id, Request::RegistrationTerms)] = reqs.as_slice() else {
        panic!("the terms first: {reqs:?}");
    };
    a.update(response(
        *id,
        Ok(Reply::Terms(RegistrationTerms {
            version: "2026-04".into(),
            url: "https://ouen.example.jp/terms/2026-04".into(),
        })),
    ));
    // The form sits above the login screen and takes the keys.
    typed(&mut a, "田中 花子");
    ctrl(&mut a, 's');
    assert!(sent(&a).is_empty(), "checked before sending");
    both_sizes_of(&mut a, "register_form");
    // Filled in: the request carries the accepted terms' version.
    let Some(form) = top_form(&mut a) else {
        panic!("the registration form");
    };
    for (key, value) in [
        ("profile.name_kana", "たなか はなこ"),
        ("profile.birth_date", "1980/4/1"),
        ("profile.email", "hanako.tanaka@example.jp"),
        ("profile.phone", "03-1234-5678"),
        ("profile.street", "千代田1-1"),
        ("profile.licences[0].number", "123456"),
        ("profile.licences[0].licensed_on", "2002-05-01"),
        ("password", "Passw0rd-test"),
        ("offers[0].availability[0].from", "2026-06-01"),
        ("offers[0].availability[0].to", "2027-03-31"),
    ] {
        let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        f.input.set_value(value);
    }
    for (key, value, label) in [
        ("profile.prefecture_code", "13", "東京都"),
        ("profile.municipality_code", "131016", "千代田区"),
        ("profile.licences[0].profession", "nurse", "看護師"),
        ("offers[0].prefecture_code", "13", "東京都"),
        ("offers[0].availability[0].ways", "on_site", "現地派遣"),
        ("terms_version", "true", "はい"),
    ] {
        let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        f.picked = Some((value.into(), label.into()));
    }
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::Register(body))] = reqs.as_slice() else {
        panic!("a registration: {reqs:?}");
    };
    assert_eq!(body.terms_version, "2026-04");
    assert_eq!(body.profile.licences.len(), 1);
    assert_eq!(body.offers[0].prefecture_code, "13");
    a.update(response(
        *id,
        Ok(Reply::Registered(Registered {
            member_id: 9,
            login: "hanako.tanaka@example.jp".into(),
            applied_to: vec!["13".into()],
        })),
    ));
    both_sizes_of(&mut a, "register_done");
    key(&mut a, KeyCode::Enter);
    assert!(a.popups.is_empty());
    assert!(a.login.is_some(), "back on the login screen");
}

#[test]
fn notes_are_edited_on_an_opened_record() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('e'));
    assert!(a.popups.is_empty(), "the record must be opened first");
    key(&mut a, KeyCode::Enter);
    answer(&mut a, server);
    key(&mut a, KeyCode::Char('e'));
    typed(&mut a, "。土日のみ");
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(
        id,
        Request::UpdateNotes {
            id: member_id,
            body,
        },
    )] = reqs.as_slice()
    else {
        panic!("the notes: {reqs:?}");
    };
    assert_eq!(*member_id, 1);
    assert_eq!(body.notes, "夜間の電話対応も可能。土日のみ");
    let mut m = member(1);
    m.notes = body.notes.clone();
    a.update(response(*id, Ok(Reply::Member(Box::new(m)))));
    assert!(a.popups.is_empty());
    // The record on screen follows, read page by page.
    let mut text = String::new();
    for _ in 0..4 {
        let t = draw(&mut a, 80, 24);
        text.extend((0..24).map(|y| line_text(t.backend().buffer(), y)));
        key(&mut a, KeyCode::PageDown);
    }
    assert!(text.contains("夜間の電話対応も可能。土日のみ"), "{text}");
}

#[test]
fn notes_over_several_lines_are_shown_line_by_line() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Enter);
    answer(&mut a, |req| match req {
        Request::Member { id } => {
            let mut m = member(*id);
            // Lines as Excel and Windows send them, and a stray tab and escape from elsewhere.
            m.notes = "夜勤可\r\n土日のみ\r車あり\n\u{1b}[2J\t島しょ部".into();
            Ok(Reply::Member(Box::new(m)))
        }
        other => server(other),
    });
    let mut rows = Vec::new();
    for _ in 0..4 {
        let t = draw(&mut a, 80, 24);
        let buf = t.backend().buffer();
        assert!(
            buf.content()
                .iter()
                .all(|c| !c.symbol().chars().any(char::is_control)),
            "a control character reached the screen"
        );
        rows.extend((0..24).map(|y| line_text(buf, y).trim().to_string()));
        key(&mut a, KeyCode::PageDown);
    }
    let at = |text: &str| rows.iter().position(|r| r.contains(text));
    let first = at("夜勤可").unwrap_or_else(|| panic!("notes on screen: {rows:?}"));
    assert_eq!(rows[first], "夜勤可");
    assert_eq!(rows[first + 1], "土日のみ");
    assert_eq!(rows[first + 2], "車あり");
    assert_eq!(rows[first + 3], "[2J 島しょ部");
}

#[test]
fn an_invitation_is_shown_once_for_a_managed_professional() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    for _ in 0..5 {
        key(&mut a, KeyCode::Char('j')); // 比嘉 翔, managed by Tokyo, no account
    }
    key(&mut a, KeyCode::Enter);
    answer(&mut a, server);
    key(&mut a, KeyCode::Char('I'));
    key(&mut a, KeyCode::Char('y'));
    let reqs = sent(&a);
    let [(id, Request::Invite { id: 6 })] = reqs.as_slice() else {
        panic!("an invitation: {reqs:?}");
    };
    a.update(response(
        *id,
        Ok(Reply::Invitation(ouen_shared::api::Invitation {
            token: "inv-7Q2xK9".into(),
            expires_at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 4, 8, 0, 0, 0)
                .unwrap(),
        })),
    ));
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(
        text.contains("inv-7Q2xK9") && text.contains("2026-04-08 09:00"),
        "{text}"
    );
    // A member with an account gets none.
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('g'));
    key(&mut a, KeyCode::Enter);
    answer(&mut a, server);
    key(&mut a, KeyCode::Char('I'));
    assert!(a.popups.is_empty());
}

#[test]
fn new_professional_form() {
    both_sizes("roster_new_professional", || {
        let mut a = roster(Lang::Ja, Role::Prefecture);
        key(&mut a, KeyCode::Char('N'));
        a
    });
    // The admin chooses the managing prefecture first.
    let mut a = roster(Lang::Ja, Role::Admin);
    key(&mut a, KeyCode::Char('N'));
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("roster_new_professional_admin_80x24", screen(&t));
}

/// Fills the new professional's form below the name (typed by the caller).
fn fill_professional(a: &mut App) {
    let Some(form) = top_form(a) else {
        panic!("the new professional's form");
    };
    for (key, value) in [
        ("profile.name_kana", "ひが しょう"),
        ("profile.birth_date", "1985-07-20"),
        ("profile.street", "元本郷町3-24-1"),
        ("profile.licences[0].number", "PHN-4412"),
        ("profile.licences[0].licensed_on", "2008-04-01"),
        ("profile.experience_years", "15"),
        ("availability[0].from", "2026-06-01"),
        ("availability[0].to", "2027-03-31"),
        ("notes", "島しょ部の経験あり"),
    ] {
        let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        f.input.set_value(value);
    }
    for (key, value, label) in [
        ("profile.municipality_code", "132012", "八王子市"),
        (
            "profile.licences[0].profession",
            "public_health_nurse",
            "保健師",
        ),
        ("availability[0].ways", "on_site", "現地派遣"),
    ] {
        let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        f.picked = Some((value.into(), label.into()));
    }
}

#[test]
fn a_prefecture_enters_its_own_professional() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    draw(&mut a, 80, 24);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('N'));
    typed(&mut a, "比嘉 翔");
    fill_professional(&mut a);
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::CreateMember(body))] = reqs.as_slice() else {
        panic!("a new member: {reqs:?}");
    };
    assert_eq!(body.prefecture_code, None, "a prefecture's own");
    assert_eq!(body.profile.name, "比嘉 翔");
    assert_eq!(body.profile.prefecture_code, "13", "home starts at its own");
    assert_eq!(body.profile.email, "");
    assert_eq!(body.availability.len(), 1);
    assert_eq!(body.notes, "島しょ部の経験あり");
    // The server refuses two fields: each is shown beside its field, the input is kept.
    a.update(response(
        *id,
        Err(invalid(&[
            (
                "profile.municipality_code",
                "都道府県と市区町村が一致しません。",
            ),
            (
                "profile.licences[0].number",
                "この免許番号は既に登録されています。",
            ),
        ])),
    ));
    both_sizes_of(&mut a, "roster_new_professional_errors");
    let Some(form) = top_form(&mut a) else {
        panic!("the form stays open");
    };
    assert_eq!(form.value("profile.name"), "比嘉 翔");
    assert_eq!(form.value("notes"), "島しょ部の経験あり");
    assert_eq!(form.errors.len(), 2, "{:?}", form.errors);
    // Sent again as it is, and saved: the code is shown over the new record.
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(id, Request::CreateMember(again))] = reqs.as_slice() else {
        panic!("sent again: {reqs:?}");
    };
    assert_eq!(again.profile.name, "比嘉 翔");
    let mut m = member(6);
    m.registration_code = Some(issued_code());
    a.update(response(*id, Ok(Reply::Member(Box::new(m)))));
    let shown = ouen_shared::RegistrationCode::parse(&issued_code())
        .unwrap()
        .display();
    let t = draw(&mut a, 80, 24);
    let text: String = (0..24)
        .map(|y| line_text(t.backend().buffer(), y))
        .collect();
    assert!(
        text.contains("登録しました") && text.contains(&shown),
        "{text}"
    );
    key(&mut a, KeyCode::Char('y'));
    assert_eq!(a.copy.as_deref(), Some(shown.as_str()));
    // The list is asked for again; the record is in front once the code is closed.
    let reqs = sent(&a);
    let [(list, Request::Members { .. })] = reqs.as_slice() else {
        panic!("the list again: {reqs:?}");
    };
    key(&mut a, KeyCode::Enter);
    assert!(a.popups.is_empty());
    let t = draw(&mut a, 80, 24);
    assert!(row_of(t.backend().buffer(), "詳細 — 比嘉 翔").is_some());
    // Back in the list, the new row is the selected one.
    a.update(response(
        *list,
        Ok(Reply::Members(members_page(summaries()))),
    ));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    let row = summaries().into_iter().find(|s| s.id == 6).unwrap();
    let expected = match &row.registration_code {
        Some(c) => ouen_shared::RegistrationCode::parse(c).unwrap().display(),
        None => row.name.clone(),
    };
    assert_eq!(a.copy.as_deref(), Some(expected.as_str()));
}

#[test]
fn the_admin_names_the_prefecture_of_a_new_professional() {
    let mut a = roster(Lang::Ja, Role::Admin);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('N'));
    {
        let Some(form) = top_form(&mut a) else {
            panic!("the form");
        };
        assert_eq!(form.fields[0].key, "prefecture_code");
        for (key, value, label) in [
            ("prefecture_code", "47", "沖縄県"),
            ("profile.prefecture_code", "13", "東京都"),
        ] {
            let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
            f.picked = Some((value.into(), label.into()));
        }
        let f = form
            .fields
            .iter_mut()
            .find(|f| f.key == "profile.name")
            .unwrap();
        f.input.set_value("比嘉 翔");
    }
    fill_professional(&mut a);
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(_, Request::CreateMember(body))] = reqs.as_slice() else {
        panic!("a new member: {reqs:?}");
    };
    assert_eq!(body.prefecture_code.as_deref(), Some("47"));
}

#[test]
fn only_prefectures_and_the_admin_enter_professionals() {
    for role in [Role::National, Role::City] {
        let mut a = roster(Lang::Ja, role);
        let t = draw(&mut a, 80, 24);
        let hints = line_text(t.backend().buffer(), 23);
        assert!(!hints.contains("N:"), "{role:?}: {hints}");
        let _ = sent(&a);
        key(&mut a, KeyCode::Char('N'));
        assert!(a.popups.is_empty(), "{role:?}");
        assert!(sent(&a).is_empty(), "{role:?} sent nothing");
        let t = draw(&mut a, 80, 24);
        assert!(row_of(t.backend().buffer(), "[通常] この権限では操作できません。").is_some());
    }
    // A member's roster tab is its own record: the key does nothing there.
    let mut a = roster(Lang::Ja, Role::Member);
    let _ = sent(&a);
    key(&mut a, KeyCode::Char('N'));
    assert!(a.popups.is_empty());
    assert!(sent(&a).is_empty());
    let t = draw(&mut a, 80, 24);
    assert!(!line_text(t.backend().buffer(), 23).contains("N:"));
    for role in [Role::Prefecture, Role::Admin] {
        let mut a = roster(Lang::Ja, role);
        let t = draw(&mut a, 80, 24);
        let hints = line_text(t.backend().buffer(), 23);
        assert!(hints.contains("N:新規"), "{role:?}: {hints}");
    }
}
