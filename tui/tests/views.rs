//! Snapshot tests of every view at 80×24 and 120×40 with Japanese data, drawn on ratatui's
//! test backend, plus checks that full-width text lines up in columns.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use crossterm::event::KeyCode;
use ouen::api::ApiError;
use ouen::app::Action;
use ouen::shell::{App, Start};
use ouen_shared::api::Page;
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang};

fn both_sizes(name: &str, mut make: impl FnMut() -> App) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = make();
        let t = draw(&mut a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&t));
    }
}

#[test]
fn login_screen() {
    both_sizes("login_ja", || {
        app(
            Lang::Ja,
            Start::Login {
                login: "tokyo".into(),
            },
        )
    });
    both_sizes("login_en", || {
        app(
            Lang::En,
            Start::Login {
                login: String::new(),
            },
        )
    });
}

#[test]
fn login_error_is_shown() {
    both_sizes("login_failed", || {
        let mut a = app(
            Lang::Ja,
            Start::Login {
                login: "tokyo".into(),
            },
        );
        typed(&mut a, "wrong-password");
        key(&mut a, KeyCode::Enter);
        answer(&mut a, |_| {
            Err(ApiError::Server(ErrorBody {
                code: ErrorCode::InvalidCredentials,
                message: "ログインIDまたはパスワードが違います。".into(),
                fields: Vec::new(),
                request_id: Some("abc123-1".into()),
                retry_after_seconds: None,
            }))
        });
        a
    });
}

#[test]
fn organisation_accounts() {
    both_sizes("org_accounts_ja", || logged_in(Lang::Ja));
    both_sizes("org_accounts_en", || logged_in(Lang::En));
}

#[test]
fn organisation_health_centres() {
    both_sizes("org_centres", || {
        let mut a = logged_in(Lang::Ja);
        key(&mut a, KeyCode::Char('l'));
        key(&mut a, KeyCode::Char('j'));
        a
    });
}

#[test]
fn full_width_columns_line_up() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = logged_in(Lang::Ja);
        let t = draw(&mut a, w, h);
        let buf = t.backend().buffer();
        let header = row_of(buf, "ログインID").expect("header row");
        let name_col = x_of(buf, header, "氏").expect("name header");
        let org_col = x_of(buf, header, "組").expect("organisation header");
        let status_col = x_of(buf, header, "状").expect("status header");
        for (login, name_first, org_first, status_first) in [
            ("hachioji", "中", "八", "有"),
            ("machida-old", "旧", "町", "停"),
            ("tokyo-yamamoto", "山", "東", "有"),
        ] {
            let y = row_of(buf, login).unwrap_or_else(|| panic!("row {login}"));
            assert_eq!(
                x_of(buf, y, name_first),
                Some(name_col),
                "name of {login} at {w}x{h}"
            );
            assert_eq!(
                x_of(buf, y, org_first),
                Some(org_col),
                "org of {login} at {w}x{h}"
            );
            assert_eq!(
                x_of(buf, y, status_first),
                Some(status_col),
                "status of {login} at {w}x{h}"
            );
        }
    }
}

#[test]
fn filter_narrows_with_kana_folding() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "ﾏﾁﾀﾞ"); // half-width katakana does not match kanji …
    typed(&mut a, "");
    let mut b = logged_in(Lang::Ja);
    key(&mut b, KeyCode::Char('/'));
    typed(&mut b, "町田");
    key(&mut b, KeyCode::Enter);
    let t = draw(&mut b, 80, 24);
    insta::assert_snapshot!("org_filtered_80x24", screen(&t));
    let buf = t.backend().buffer();
    assert!(row_of(buf, "machida ").is_some());
    assert!(row_of(buf, "hachioji").is_none());
    drop(a);
}

#[test]
fn help_lists_every_binding() {
    both_sizes("help", || {
        let mut a = logged_in(Lang::Ja);
        key(&mut a, KeyCode::Char('?'));
        a
    });
}

#[test]
fn new_city_account_form_with_server_errors() {
    both_sizes("form_errors", || {
        let mut a = logged_in(Lang::Ja);
        key(&mut a, KeyCode::Char('n'));
        // The municipality comes from the searchable list.
        typed(&mut a, "はちおうじ");
        answer(&mut a, server);
        key(&mut a, KeyCode::Enter);
        // Choosing keeps the focus on the list field: Tab moves on.
        key(&mut a, KeyCode::Tab);
        typed(&mut a, "shibuya");
        key(&mut a, KeyCode::Tab);
        typed(&mut a, "八王子 太郎");
        ctrl(&mut a, 's');
        answer(&mut a, |_| {
            Err(ApiError::Server(ErrorBody {
                code: ErrorCode::Invalid,
                message: "入力内容に誤りがあります。".into(),
                fields: vec![FieldError {
                    field: "login".into(),
                    code: "taken".into(),
                    message: "既に使われています。".into(),
                }],
                request_id: None,
                retry_after_seconds: None,
            }))
        });
        a
    });
}

#[test]
fn picker_searches_municipalities() {
    both_sizes("picker", || {
        let mut a = logged_in(Lang::Ja);
        key(&mut a, KeyCode::Char('n'));
        key(&mut a, KeyCode::Enter);
        answer(&mut a, server);
        a
    });
}

#[test]
fn offline_keeps_data_and_input() {
    both_sizes("offline", || {
        let mut a = logged_in(Lang::Ja);
        key(&mut a, KeyCode::Char('n'));
        typed(&mut a, "x"); // opens the picker with "x"
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Tab);
        typed(&mut a, "hachioji-2");
        ctrl(&mut a, 's'); // the municipality is missing: checked before sending
        let _ = a.net.take_recorded();
        key(&mut a, KeyCode::Esc); // normal mode
        key(&mut a, KeyCode::Esc); // asks before discarding
        key(&mut a, KeyCode::Char('n')); // keeps the form
        key(&mut a, KeyCode::Char('r')); // no effect in a form
                                         // The list reloads and the server is gone.
        a.update(Action::Refresh);
        answer(&mut a, |_| {
            Err(ApiError::Offline("connection refused".into()))
        });
        a
    });
}

#[test]
fn expired_session_returns_to_login_over_the_view() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('l'));
    a.update(Action::Refresh);
    answer(&mut a, |_| {
        Err(ApiError::Server(ErrorBody {
            code: ErrorCode::Unauthenticated,
            message: "ログインが必要です。".into(),
            fields: Vec::new(),
            request_id: None,
            retry_after_seconds: None,
        }))
    });
    assert!(a.login.is_some());
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("expired_80x24", screen(&t));
    // Logging in again returns to the same tab and list.
    typed(&mut a, "Passw0rd123");
    key(&mut a, KeyCode::Enter);
    answer(&mut a, |req| match req {
        Request::Login(_) => Ok(Reply::Session(Box::new(ouen_shared::api::SessionCreated {
            token: "t".into(),
            expires_at: Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap(),
            account: me(),
        }))),
        other => server(other),
    });
    assert!(a.login.is_none());
    let t = draw(&mut a, 80, 24);
    let buf = t.backend().buffer();
    assert!(
        row_of(buf, "保健所名").is_some(),
        "still on the health-centre list"
    );
}

#[test]
fn small_terminals() {
    let mut a = logged_in(Lang::Ja);
    let t = draw(&mut a, 70, 20);
    insta::assert_snapshot!("compact_70x20", screen(&t));
    let t = draw(&mut a, 50, 12);
    insta::assert_snapshot!("too_small_50x12", screen(&t));
}

#[test]
fn quitting_asks_when_a_form_has_input() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('q'));
    assert!(a.quit, "nothing unsaved: q quits");
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('n'));
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "abc");
    key(&mut a, KeyCode::Char('q'));
    assert!(!a.quit, "q is text in insert mode");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('q'));
    assert!(!a.quit, "asks first");
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("quit_confirm_80x24", screen(&t));
    key(&mut a, KeyCode::Char('y'));
    assert!(a.quit);
}

#[test]
fn stale_answers_are_dropped() {
    let mut a = app(Lang::Ja, Start::Resume);
    answer(&mut a, server);
    a.update(Action::ShowTab("organisation"));
    a.update(Action::Refresh);
    let first = a.net.take_recorded();
    a.update(Action::Refresh);
    let second = a.net.take_recorded();
    // The newer answer arrives first, then the older one with different data: ignored.
    for (id, req) in second {
        let r = server(&Request::from(&req));
        a.update(response(id, r));
    }
    for (id, _) in first {
        a.update(response(
            id,
            Ok(Reply::Accounts(Page {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page: 500,
            })),
        ));
    }
    let t = draw(&mut a, 80, 24);
    assert!(row_of(t.backend().buffer(), "hachioji").is_some());
}

#[test]
fn cursor_sits_at_the_caret_after_full_width_text() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('n'));
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "八王子 花子");
    let mut t = draw(&mut a, 80, 24);
    use ratatui::backend::Backend;
    let p = t.backend_mut().get_cursor_position().unwrap();
    let buf = t.backend().buffer();
    let y = (0..24)
        .find(|y| line_text(buf, *y).contains("八王子 花子"))
        .expect("the typed name");
    let start = x_of(buf, y, "八").expect("start of the name");
    assert_eq!(
        (p.x, p.y),
        (start + 11, y),
        "11 columns: 5 full-width + 1 space"
    );
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
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Delete,
        KeyCode::F(1),
    ];
    let chars: Vec<char> = "jkgGnldRePh/:?y1239 x漢ｶ".chars().collect();
    // A small deterministic generator: the same sequence every run.
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for (w, h) in [(60, 16), (80, 24), (59, 15), (120, 40)] {
        let mut a = logged_in(Lang::Ja);
        for _ in 0..600 {
            match next(10) {
                0..=3 => key(&mut a, specials[next(specials.len())]),
                4 => ctrl(&mut a, ['s', 'd', 'u', 'r', 'w'][next(5)]),
                _ => key(&mut a, KeyCode::Char(chars[next(chars.len())])),
            }
            if a.quit {
                a = logged_in(Lang::Ja);
            }
            answer(&mut a, server);
            if next(20) == 0 {
                a.update(Action::Paste("貼り付け\nテキスト".into()));
            }
            draw(&mut a, w, h);
        }
    }
}
