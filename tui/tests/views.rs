//! Snapshot tests of every view at 80×24 and 120×40 with Japanese data, drawn on ratatui's
//! test backend, plus checks that full-width text lines up in columns.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen::action::Action;
use ouen::api::{ApiError, Net, Reply, Request};
use ouen::app::{App, Options, Start};
use ouen::keymap::Keymap;
use ouen::theme::Theme;
use ouen_shared::api::{Account, Me, Municipality, Organisation, Page};
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang, OrgKind, Role};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

fn me() -> Me {
    Me {
        id: 2,
        login: "tokyo".into(),
        display_name: "佐藤 美咲".into(),
        role: Role::Prefecture,
        organisation_id: 10,
        organisation_name: "東京都".into(),
        organisation_kind: OrgKind::Prefecture,
        prefecture_code: Some("13".into()),
        session_expires_at: None,
    }
}

fn account(id: i64, login: &str, name: &str, role: Role, org: &str, disabled: bool) -> Account {
    Account {
        id,
        login: login.into(),
        display_name: name.into(),
        role,
        organisation_id: 100 + id,
        organisation_name: org.into(),
        organisation_kind: role.org_kind(),
        prefecture_code: Some("13".into()),
        municipality_code: None,
        disabled,
        created_at: Utc.with_ymd_and_hms(2026, 4, 1, 0, 30, 0).unwrap(),
    }
}

fn accounts() -> Page<Account> {
    let items = vec![
        account(3, "hachioji", "中村 真由美", Role::City, "八王子市", false),
        account(4, "machida", "吉田 誠", Role::City, "町田市", false),
        account(
            5,
            "machida-old",
            "旧担当 岡田 修",
            Role::City,
            "町田市",
            true,
        ),
        account(6, "setagaya", "加藤 恵", Role::City, "世田谷区", false),
        account(7, "shibuya", "小林 拓也", Role::City, "渋谷区", false),
        account(2, "tokyo", "佐藤 美咲", Role::Prefecture, "東京都", false),
        account(
            8,
            "tokyo-yamamoto",
            "山本 翔太",
            Role::Prefecture,
            "東京都",
            false,
        ),
    ];
    Page {
        total: items.len() as i64,
        items,
        page: 1,
        per_page: 500,
    }
}

fn centre(id: i64, name: &str, parent: &str, n: i64) -> Organisation {
    Organisation {
        id,
        kind: OrgKind::HealthCentre,
        name: name.into(),
        prefecture_code: Some("13".into()),
        municipality_code: None,
        parent_id: Some(10),
        parent_name: Some(parent.into()),
        institution_kind: None,
        partner_kind: None,
        professions: Vec::new(),
        account_count: n,
        created_at: Utc.with_ymd_and_hms(2026, 4, 1, 0, 30, 0).unwrap(),
    }
}

fn centres() -> Page<Organisation> {
    let items = vec![
        centre(20, "八王子市保健所", "八王子市", 1),
        centre(21, "多摩府中保健所", "東京都", 0),
        centre(22, "多摩立川保健所", "東京都", 0),
        centre(23, "渋谷区保健所", "渋谷区", 2),
        centre(24, "島しょ保健所", "東京都", 0),
    ];
    Page {
        total: items.len() as i64,
        items,
        page: 1,
        per_page: 500,
    }
}

/// The server as the tests want it to answer.
fn server(req: &Request) -> Result<Reply, ApiError> {
    Ok(match req {
        Request::Me => Reply::Me(Box::new(me())),
        Request::Accounts { .. } => Reply::Accounts(accounts()),
        Request::Organisations { .. } => Reply::Organisations(centres()),
        Request::Municipalities { .. } => Reply::Municipalities(vec![
            Municipality {
                code: "132012".into(),
                prefecture_code: "13".into(),
                name: "八王子市".into(),
                kana: "ハチオウジシ".into(),
                city_or_ward: true,
            },
            Municipality {
                code: "131130".into(),
                prefecture_code: "13".into(),
                name: "渋谷区".into(),
                kana: "シブヤク".into(),
                city_or_ward: true,
            },
        ]),
        _ => return Err(ApiError::Offline("test".into())),
    })
}

fn app(lang: Lang, start: Start) -> App {
    App::new(
        Options {
            lang,
            theme: Theme::from_config("mono", true),
            keymap: Keymap::default(),
            demo: false,
            warnings: Vec::new(),
            start,
        },
        Net::recording(),
        None,
    )
}

/// Answers every recorded request with `reply` until none are left.
fn answer(app: &mut App, reply: impl Fn(&Request) -> Result<Reply, ApiError>) {
    loop {
        let sent = app.net.take_recorded();
        if sent.is_empty() {
            break;
        }
        for (id, req) in sent {
            let result = reply(&req);
            app.update(Action::Response {
                id,
                read: req.is_read(),
                result,
            });
        }
    }
}

fn logged_in(lang: Lang) -> App {
    let mut a = app(lang, Start::Resume);
    answer(&mut a, server);
    a
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

/// The display column of the first cell in row `y` holding `symbol`.
fn x_of(buf: &Buffer, y: u16, symbol: &str) -> Option<u16> {
    (0..buf.area.width).find(|x| buf[(*x, y)].symbol() == symbol)
}

/// Row `y` as the terminal shows it: a wide character's second column is not repeated.
fn line_text(buf: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        out.push_str(sym);
        x += (unicode_width::UnicodeWidthStr::width(sym) as u16).max(1);
    }
    out
}

/// The screen as text, one line per row, with the cursor position.
fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s: String = (0..buf.area.height)
        .map(|y| format!("{}|\n", line_text(buf, y)))
        .collect();
    let mut b = t.backend().clone();
    use ratatui::backend::Backend;
    let Ok(p) = b.get_cursor_position();
    s.push_str(&format!("cursor: ({}, {})\n", p.x, p.y));
    s
}

fn row_of(buf: &Buffer, text_start: &str) -> Option<u16> {
    (0..buf.area.height).find(|y| line_text(buf, *y).starts_with(text_start))
}

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
    a.update(Action::Refresh);
    let first = a.net.take_recorded();
    a.update(Action::Refresh);
    let second = a.net.take_recorded();
    // The newer answer arrives first, then the older one with different data: ignored.
    for (id, req) in second {
        let r = server(&req);
        a.update(Action::Response {
            id,
            read: true,
            result: r,
        });
    }
    for (id, _) in first {
        a.update(Action::Response {
            id,
            read: true,
            result: Ok(Reply::Accounts(Page {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page: 500,
            })),
        });
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
