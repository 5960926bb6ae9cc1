//! What an operator hit when trying the client as a new user: keys while the terminal is too
//! small, the record beside the list, typed dates and digits, focus after choosing, names
//! that stay whole, exports that ask before replacing a file, messages that say what to do,
//! the help of the view in front, the command line's history.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ouen::api::files::Existing;
use ouen::api::ApiError;
use ouen::app::jobs::DownloadTo;
use ouen::app::Action;
use ouen::shell::{App, Options, Start};
use ouen_shared::api::{Decision, MemberFilter};
use ouen_shared::endpoints::ExportMembers;
use ouen_shared::{Lang, Role};
use std::path::PathBuf;

fn text_of(t: &ratatui::Terminal<ratatui::backend::TestBackend>, h: u16) -> String {
    (0..h)
        .map(|y| line_text(t.backend().buffer(), y) + "\n")
        .collect()
}

/// The column where the cells of row `y` spell `needle` (one ASCII character a cell).
fn col_of(buf: &ratatui::buffer::Buffer, y: u16, needle: &str) -> Option<u16> {
    let chars: Vec<String> = needle.chars().map(String::from).collect();
    (0..buf.area.width.saturating_sub(chars.len() as u16)).find(|x| {
        chars
            .iter()
            .enumerate()
            .all(|(i, c)| buf[(*x + i as u16, y)].symbol() == c)
    })
}

#[test]
fn no_key_reaches_a_view_while_the_terminal_is_too_small() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    draw(&mut a, 80, 24);
    key(&mut a, KeyCode::Char('j')); // 山﨑 健太, applied
    let _ = sent(&a);
    let t = draw(&mut a, 40, 12);
    assert!(text_of(&t, 12).contains("小さすぎます"));
    key(&mut a, KeyCode::Char('a'));
    key(&mut a, KeyCode::Char('y'));
    assert!(a.popups.is_empty(), "nothing opened unseen");
    assert!(sent(&a).is_empty(), "nothing decided unseen");
    // Drawn again at a usable size, the same key asks as it always does.
    draw(&mut a, 80, 24);
    key(&mut a, KeyCode::Char('a'));
    assert_eq!(a.popups.len(), 1);
    key(&mut a, KeyCode::Char('y'));
    assert!(matches!(
        sent(&a).as_slice(),
        [(_, Request::Decide { body, .. })] if body.decision == Decision::Approve
    ));
}

#[test]
fn quitting_still_works_while_too_small_and_ctrl_l_redraws() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    draw(&mut a, 40, 12);
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Char('l'),
        KeyModifiers::CONTROL,
    )));
    assert!(a.redraw, "Ctrl-l asks for the whole screen anew");
    key(&mut a, KeyCode::Char('q'));
    assert!(a.quit);
}

#[test]
fn the_record_beside_the_list_takes_the_keys_after_tab_or_l() {
    for focus in [KeyCode::Tab, KeyCode::Char('l')] {
        let mut a = roster(Lang::Ja, Role::Prefecture);
        draw(&mut a, 120, 40);
        key(&mut a, focus);
        answer(&mut a, server);
        let t = draw(&mut a, 120, 40);
        assert!(text_of(&t, 40).contains("生年月日"), "the record is opened");
        // j scrolls the record; the list keeps its selection and the record stays.
        for _ in 0..40 {
            key(&mut a, KeyCode::Char('j'));
        }
        ctrl(&mut a, 'd');
        key(&mut a, KeyCode::PageDown);
        let t = draw(&mut a, 120, 40);
        let text = text_of(&t, 40);
        assert!(
            text.contains("更新日"),
            "scrolled to the record's end:\n{text}"
        );
        assert!(sent(&a).is_empty(), "no other record was asked for");
        // h returns to the list: j moves the selection again.
        key(&mut a, KeyCode::Char('h'));
        key(&mut a, KeyCode::Char('j'));
        let t = draw(&mut a, 120, 40);
        assert!(
            text_of(&t, 40).contains("山﨑 健太（やまさき けんた）"),
            "the selection moved on"
        );
    }
}

#[test]
fn full_width_digits_and_japanese_dates_are_read_in_forms() {
    let mut a = roster(Lang::Ja, Role::Member);
    key(&mut a, KeyCode::Char('e'));
    let form = top_form(&mut a).expect("the profile form");
    for (key, value) in [
        ("profile.experience_years", "１５"),
        ("profile.licences[0].licensed_on", "２００１年４月１日"),
        ("profile.birth_date", "S60.7.20"),
    ] {
        let f = form
            .fields
            .iter_mut()
            .find(|f| f.key == key)
            .expect("field");
        f.input.set_value(value);
    }
    let _ = sent(&a);
    ctrl(&mut a, 's');
    let reqs = sent(&a);
    let [(_, Request::UpdateProfile(body))] = reqs.as_slice() else {
        panic!("the profile sent: {reqs:?}");
    };
    assert_eq!(body.profile.experience_years, 15);
    assert_eq!(body.profile.licences[0].licensed_on, day(2001, 4, 1));
    assert_eq!(body.profile.birth_date, Some(day(1985, 7, 20)));
    // The filter panel reads Reiwa dates too.
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('f'));
    let form = top_form(&mut a).expect("the filter panel");
    let f = form
        .fields
        .iter_mut()
        .find(|f| f.key == "available_from")
        .expect("field");
    f.input.set_value("令和8年4月1日");
    let _ = sent(&a);
    ctrl(&mut a, 's');
    assert!(matches!(
        sent(&a).as_slice(),
        [(_, Request::Members { filter, .. })] if filter.available_from == Some(day(2026, 4, 1))
    ));
}

#[test]
fn choosing_from_a_list_keeps_the_focus_on_its_field() {
    let mut a = logged_in(Lang::Ja); // the organisation tab
    key(&mut a, KeyCode::Char('n'));
    typed(&mut a, "はちおうじ");
    answer(&mut a, server);
    key(&mut a, KeyCode::Enter);
    let form = top_form(&mut a).expect("the form");
    assert_eq!(form.focus, 0, "still on the municipality");
    assert!(form.fields[0].picked.is_some());
}

#[test]
fn an_untouched_form_closes_with_one_esc() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(a.popups.len(), 1);
    key(&mut a, KeyCode::Esc);
    assert!(a.popups.is_empty());
}

#[test]
fn names_stay_whole_beside_the_record_and_birth_years_tell_them_apart() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    draw(&mut a, 120, 40);
    key(&mut a, KeyCode::Enter);
    answer(&mut a, server);
    let t = draw(&mut a, 120, 40);
    let text = text_of(&t, 40);
    for name in ["佐々木 由美", "たかはし みさき", "すずき いちろう"] {
        assert!(text.contains(name), "{name} cut:\n{text}");
    }
    assert!(text.contains("生年"));
    // Cities may not see dates of birth: no such column.
    let mut a = roster(Lang::Ja, Role::City);
    let t = draw(&mut a, 80, 24);
    assert!(!text_of(&t, 24).contains("生年"));
}

#[test]
fn half_width_voiced_marks_take_their_column() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    let mut page = members_page(summaries());
    page.items[0].name = "ﾊﾞﾝﾄﾞｳ ﾀﾛｳ".into();
    page.items[0].name_kana = "ﾊﾞﾝﾄﾞｳ".into();
    a.update(Action::Refresh);
    let reqs = sent(&a);
    let (id, _) = reqs
        .iter()
        .find(|(_, r)| matches!(r, Request::Members { .. }))
        .expect("the list");
    a.update(response(*id, Ok(Reply::Members(page))));
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("half_width_voiced_marks_80x24", screen(&t));
    // The birth year column starts at the same place on the half-width row as on the others.
    let buf = t.backend().buffer();
    let first = row_of(buf, "101-234-5679").expect("the half-width row");
    let second = first + 1;
    assert!(col_of(buf, first, "1961").is_some());
    assert_eq!(col_of(buf, first, "1961"), col_of(buf, second, "1964"));
}

#[test]
fn an_export_asks_before_writing_over_a_file() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "export out.csv");
    let reqs = a.net.take_recorded();
    let [(id, first)] = reqs.as_slice() else {
        panic!("one export");
    };
    let job = first
        .get::<DownloadTo<ExportMembers>>()
        .expect("an export to a file");
    assert_eq!(job.existing, Existing::Keep, "never over a file unasked");
    a.update(response(
        *id,
        Err(ApiError::File {
            path: PathBuf::from("out.csv"),
            write: true,
            reason: ouen::api::files::EXISTS.into(),
        }),
    ));
    let t = draw(&mut a, 80, 24);
    assert!(text_of(&t, 24).contains("上書きしますか"));
    key(&mut a, KeyCode::Char('y'));
    let reqs = a.net.take_recorded();
    let [(_, again)] = reqs.as_slice() else {
        panic!("the export again");
    };
    let job = again.get::<DownloadTo<ExportMembers>>().expect("an export");
    assert_eq!(job.existing, Existing::Replace);
    assert_eq!(job.path, PathBuf::from("out.csv"));
}

#[test]
fn a_command_without_its_file_says_how_to_use_it() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "export");
    let t = draw(&mut a, 80, 24);
    let status = line_text(t.backend().buffer(), 23);
    assert!(
        status.contains("使い方: :export FILE.csv [cp932]"),
        "{status}"
    );
    assert!(!status.contains("不明なコマンド"), "{status}");
}

#[test]
fn a_digit_without_a_tab_says_which_tabs_there_are() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('8'));
    let t = draw(&mut a, 80, 24);
    let status = line_text(t.backend().buffer(), 23);
    assert!(status.contains("そのタブはありません"), "{status}");
    assert!(status.contains("1 名簿"), "{status}");
    assert_eq!(a.active, 0);
}

#[test]
fn the_help_shows_what_keys_do_in_the_view_in_front() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('?'));
    let mut text = String::new();
    for _ in 0..12 {
        let t = draw(&mut a, 80, 24);
        text.push_str(&text_of(&t, 24));
        key(&mut a, KeyCode::PageDown);
    }
    assert!(text.contains("ヘルプ（キー一覧） — 名簿"), "{text}");
    // r rejects here, so the reload line lists only Ctrl-r.
    let reload = text
        .lines()
        .find(|l| l.contains("再読み込み") && !l.contains(":refresh"))
        .expect("the reload line");
    assert!(!reload.contains(" r "), "{reload}");
    assert!(
        text.contains(":export FILE.csv [cp932]"),
        "the view's own commands"
    );
    assert!(
        !text.contains("組織画面"),
        "another view's keys are not listed"
    );
}

#[test]
fn the_help_fits_80_columns() {
    let keymap = ouen::keymap::Keymap::default();
    for lang in [Lang::Ja, Lang::En] {
        let lines = ouen::shell::help::lines(&keymap, lang, &None);
        for (key, text, _) in ouen::shell::help::layout(&lines, 72) {
            let w = ouen::widgets::text::width(&text)
                + key.as_deref().map_or(0, ouen::widgets::text::width);
            assert!(w + 2 <= 72, "too wide: {key:?} {text}");
        }
    }
}

#[test]
fn the_command_line_keeps_a_history() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "organisation");
    assert_eq!(a.active, 6);
    command_line(&mut a, "roster");
    assert_eq!(a.active, 0);
    a.update(Action::OpenCommandLine);
    key(&mut a, KeyCode::Up);
    key(&mut a, KeyCode::Up);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.active, 6, "the line before last ran again");
}

#[test]
fn every_configuration_warning_is_shown() {
    let warnings = vec![
        "theme = \"neon\" is not default or mono (ignored)".to_string(),
        "[keys] unknown action `fly` (ignored)".to_string(),
    ];
    let mut a = App::new(
        Options {
            lang: Lang::Ja,
            theme: ouen::theme::Theme::from_config("mono", true),
            keymap: ouen::keymap::Keymap::default(),
            demo: true,
            warnings,
            start: Start::Login {
                login: String::new(),
            },
            registry: &ouen::tabs::REGISTRY,
            clock: chrono::Utc::now,
        },
        ouen::app::net::Net::recording(),
        None,
    );
    let t = draw(&mut a, 80, 24);
    let text = text_of(&t, 24);
    assert!(text.contains("neon"), "{text}");
    assert!(text.contains("fly"), "{text}");
    key(&mut a, KeyCode::Esc);
    let t = draw(&mut a, 80, 24);
    assert!(
        text_of(&t, 24).contains("ログインID"),
        "then the login screen"
    );
}

#[test]
fn a_bad_server_url_is_named_before_anything_is_sent() {
    let mut a = app(
        Lang::Ja,
        Start::Login {
            login: "tokyo".into(),
        },
    );
    if let Some(l) = &mut a.login {
        l.server.set_value("http://exa mple.jp");
    }
    typed(&mut a, "Passw0rd123");
    key(&mut a, KeyCode::Enter);
    assert!(a.net.take_recorded().is_empty());
    let t = draw(&mut a, 80, 24);
    assert!(text_of(&t, 24).contains("URL が正しくありません"));
}

#[test]
fn a_form_forgets_its_offline_message_once_the_server_answers() {
    let mut a = logged_in(Lang::Ja);
    key(&mut a, KeyCode::Char('n'));
    let form = top_form(&mut a).expect("form");
    form.fields[0].picked = Some(("132012".into(), "八王子市".into()));
    form.fields[1].input.set_value("hachioji-2");
    form.fields[2].input.set_value("八王子 次郎");
    ctrl(&mut a, 's');
    answer(&mut a, |_| Err(ApiError::Offline("down".into())));
    let t = draw(&mut a, 80, 24);
    assert!(text_of(&t, 24).contains("入力内容は保持"));
    // The probe of the server succeeds.
    a.update(Action::Retry);
    answer(&mut a, |req| match req {
        Request::Other(name) if name.contains("Ping") => Ok(Reply::Healthy),
        other => server(other),
    });
    let t = draw(&mut a, 80, 24);
    let text = text_of(&t, 24);
    assert!(!text.contains("入力内容は保持"), "{text}");
    assert!(text.contains("再接続しました"), "{text}");
    assert!(text.contains("hachioji-2"), "input kept");
}

#[test]
fn a_filter_for_the_export_is_the_list_in_front() {
    let mut a = roster(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "鈴木");
    key(&mut a, KeyCode::Enter);
    let _ = sent(&a);
    command_line(&mut a, "export list.csv cp932");
    assert!(matches!(
        sent(&a).as_slice(),
        [(_, Request::Export { filter, .. })] if *filter == MemberFilter { q: Some("鈴木".into()), ..Default::default() }
    ));
}
