//! Bulk mail from the roster: snapshots of the form, the confirmation and the send history at
//! 80×24; the form's state: the count asked for once typing rests (older timers and older
//! answers are stale), the idempotency key kept for a retry, Esc with a draft, nobody to send
//! to, a server without the routes, and the roles that may not send.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use crossterm::event::KeyCode;
use ouen::api::ApiError;
use ouen::app::net::RequestId;
use ouen::app::Action;
use ouen::shell::App;
use ouen::ui::confirm::Confirm;
use ouen::views::roster::mail::{MailForm, MailHistory, MailMsg, MailText};
use ouen::views::roster::RosterMsg;
use ouen_shared::api::{BulkMail, MailPreview, MemberFilter, Page};
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang, Role};

fn preview(recipients: i64, opted_out: i64) -> MailPreview {
    MailPreview {
        recipients,
        opted_out,
        subject: "研修のご案内".into(),
        body: "令和8年度の研修日程をお知らせします。\n\n配信停止: https://ouen.example.jp/optout"
            .into(),
    }
}

fn mail(id: i64, subject: &str, recipients: i64) -> BulkMail {
    BulkMail {
        id,
        subject: subject.into(),
        body: "本文です。".into(),
        filter: MemberFilter {
            profession: Some("nurse".into()),
            status: Some("approved".into()),
            ..Default::default()
        },
        recipients,
        author: Some("tokyo".into()),
        organisation_id: Some(10),
        sent_at: Utc.with_ymd_and_hms(2026, 3, 31, 1, 5, 0).unwrap(),
    }
}

/// The roster of `role`, filtered to approved nurses.
fn filtered(lang: Lang, role: Role) -> App {
    let mut a = roster(lang, role);
    a.update(Action::message(RosterMsg::Filter(Box::new(MemberFilter {
        profession: Some("nurse".into()),
        status: Some("approved".into()),
        ..Default::default()
    }))));
    answer(&mut a, server);
    a
}

fn form(a: &mut App) -> &mut MailForm {
    a.popups
        .last_mut()
        .and_then(|p| p.as_any_mut().downcast_mut::<MailForm>())
        .expect("the bulk-mail form in front")
}

/// The calls sent, answered by nobody yet.
fn previews(a: &App) -> Vec<(RequestId, ouen_shared::api::BulkMailDraft)> {
    sent(a)
        .into_iter()
        .filter_map(|(id, r)| match r {
            Request::PreviewMail(d) => Some((id, d)),
            _ => None,
        })
        .collect()
}

/// Fires the timers started since the last time, oldest first.
fn fire_timers(a: &mut App) {
    let timers: Vec<MailMsg> = std::mem::take(&mut a.timers)
        .into_iter()
        .filter_map(|(_, m)| m.downcast_ref::<MailMsg>().cloned())
        .collect();
    for m in timers {
        a.update(Action::message(m));
    }
}

/// The form opened with `m`, its first preview answered with `count`, and text typed.
fn written(lang: Lang, count: (i64, i64)) -> App {
    let mut a = filtered(lang, Role::Prefecture);
    key(&mut a, KeyCode::Char('m'));
    let first = previews(&a);
    assert_eq!(first.len(), 1, "the count is asked for at once");
    assert_eq!(first[0].1.filter.profession.as_deref(), Some("nurse"));
    a.update(response(
        first[0].0,
        Ok(Reply::Preview(preview(count.0, count.1))),
    ));
    typed(&mut a, "研修のご案内");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "令和8年度の研修日程をお知らせします。");
    fire_timers(&mut a);
    for (id, _) in previews(&a) {
        a.update(response(id, Ok(Reply::Preview(preview(count.0, count.1)))));
    }
    a
}

#[test]
fn the_form_at_80x24() {
    for (name, lang) in [("mail_form_ja", Lang::Ja), ("mail_form_en", Lang::En)] {
        let mut a = written(lang, (123, 4));
        let t = draw(&mut a, 80, 24);
        insta::assert_snapshot!(format!("{name}_80x24"), screen(&t));
    }
    let mut a = written(Lang::Ja, (123, 4));
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("宛先 123 名 (配信停止 4 名を除く)"), "{s}");
    assert!(s.contains("職種=看護師"), "the filter in words: {s}");
}

#[test]
fn the_confirmation_names_the_count() {
    let mut a = written(Lang::Ja, (123, 4));
    ctrl(&mut a, 's');
    let question = a
        .popups
        .last()
        .and_then(|p| p.as_any().downcast_ref::<Confirm>())
        .map(|c| c.question.clone());
    assert_eq!(question.as_deref(), Some("123 名に送信しますか?"));
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("mail_confirm_80x24", screen(&t));
}

#[test]
fn the_count_is_asked_for_once_typing_rests_and_older_answers_are_stale() {
    let mut a = filtered(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('m'));
    let first = previews(&a);
    typed(&mut a, "件名");
    assert!(previews(&a).is_empty(), "nothing asked while typing");
    assert_eq!(a.timers.len(), 2, "a timer per change");
    let newest = a
        .timers
        .last()
        .and_then(|(_, m)| m.downcast_ref::<MailMsg>().cloned())
        .expect("the newest timer");
    fire_timers(&mut a);
    let asked = previews(&a);
    assert_eq!(asked.len(), 1, "only the newest timer asks: {asked:?}");
    assert_eq!(asked[0].1.subject, "件名");
    // The newer answer first, then the first (older) one: the older is dropped.
    a.update(response(asked[0].0, Ok(Reply::Preview(preview(12, 1)))));
    a.update(response(first[0].0, Ok(Reply::Preview(preview(999, 0)))));
    assert_eq!(form(&mut a).count(), Some((12, 1)));
    // The newest timer fired again asks nothing more (nothing changed since).
    a.update(Action::message(newest));
    assert!(previews(&a).is_empty());
}

#[test]
fn a_retry_after_a_lost_answer_carries_the_same_key() {
    let mut a = written(Lang::Ja, (123, 4));
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Char('y'));
    let sends: Vec<_> = sent(&a)
        .into_iter()
        .filter_map(|(id, r)| match r {
            Request::SendMail(b) => Some((id, b)),
            _ => None,
        })
        .collect();
    assert_eq!(sends.len(), 1);
    let first_key = sends[0].1.idempotency_key.clone();
    assert!(first_key.len() >= 16);
    a.update(response(sends[0].0, Err(ApiError::Offline("lost".into()))));
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("二重には届きません"), "{s}");
    assert_eq!(form(&mut a).subject.value(), "研修のご案内", "input kept");
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Char('y'));
    let again: Vec<_> = sent(&a)
        .into_iter()
        .filter_map(|(id, r)| match r {
            Request::SendMail(b) => Some((id, b)),
            _ => None,
        })
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].1.idempotency_key, first_key, "the same key");
    a.update(response(
        again[0].0,
        Ok(Reply::Mail(Box::new(mail(7, "研修のご案内", 123)))),
    ));
    assert!(a.popups.is_empty(), "the form closed");
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("123 名に送信しました。"), "{s}");
}

#[test]
fn field_errors_from_the_server_land_at_their_fields() {
    let mut a = written(Lang::Ja, (123, 4));
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Char('y'));
    let id = sent(&a)
        .into_iter()
        .find_map(|(id, r)| matches!(r, Request::SendMail(_)).then_some(id))
        .unwrap();
    let body = ErrorBody {
        code: ErrorCode::Invalid,
        message: "入力内容を確認してください。".into(),
        fields: vec![FieldError {
            field: "subject".into(),
            code: "format".into(),
            message: "件名に使えない文字があります".into(),
        }],
        request_id: None,
        retry_after_seconds: None,
    };
    a.update(response(id, Err(ApiError::Server(body))));
    let f = form(&mut a);
    assert_eq!(
        f.errors.get("subject").map(String::as_str),
        Some("件名に使えない文字があります")
    );
    assert_eq!(f.body.value(), "令和8年度の研修日程をお知らせします。");
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("✗ 件名に使えない文字があります"), "{s}");
}

#[test]
fn esc_asks_before_discarding_a_draft() {
    let mut a = filtered(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('m'));
    key(&mut a, KeyCode::Esc);
    assert!(a.popups.is_empty(), "an empty form closes at once");
    key(&mut a, KeyCode::Char('m'));
    typed(&mut a, "下書き");
    key(&mut a, KeyCode::Esc);
    assert!(a.popups.last().unwrap().as_any().is::<Confirm>());
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(form(&mut a).subject.value(), "下書き", "kept on no");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    assert!(a.popups.is_empty(), "discarded on yes");
}

#[test]
fn nobody_to_send_to_sends_nothing() {
    let mut a = written(Lang::Ja, (0, 2));
    ctrl(&mut a, 's');
    assert!(
        a.popups.last().unwrap().as_any().is::<MailForm>(),
        "no question"
    );
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("宛先が 0 名のため送信できません"), "{s}");
    assert!(
        s.contains("Esc:閉じる（0 名には送信できません）"),
        "the send key is not offered: {s}"
    );
}

#[test]
fn a_server_without_the_routes_says_so() {
    let mut a = filtered(Lang::Ja, Role::Prefecture);
    key(&mut a, KeyCode::Char('m'));
    let first = previews(&a);
    let body = ErrorBody {
        code: ErrorCode::NotFound,
        message: "見つかりません。".into(),
        fields: Vec::new(),
        request_id: None,
        retry_after_seconds: None,
    };
    a.update(response(first[0].0, Err(ApiError::Server(body.clone()))));
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("一斉メールをまだ使えません"), "{s}");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('M'));
    let id = sent(&a)
        .into_iter()
        .find_map(|(id, r)| matches!(r, Request::Mails { .. }).then_some(id))
        .unwrap();
    a.update(response(id, Err(ApiError::Server(body))));
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("一斉メールをまだ使えません"), "{s}");
}

#[test]
fn the_history_at_80x24_and_one_mail_opened() {
    let mut a = filtered(Lang::Ja, Role::Prefecture);
    command_line(&mut a, "mail-history");
    let items = vec![
        mail(
            3,
            "研修のご案内（令和8年度 感染症対策の基礎研修と応用研修の日程）",
            123,
        ),
        mail(2, "登録内容の確認のお願い", 48),
        mail(1, "年末年始の連絡体制", 7),
    ];
    answer(&mut a, |r| match r {
        Request::Mails { .. } => Ok(Reply::Mails(Page {
            total: 3,
            items: items.clone(),
            page: 1,
            per_page: 50,
        })),
        Request::Mail { id } => Ok(Reply::Mail(Box::new(mail(
            *id,
            "登録内容の確認のお願い",
            48,
        )))),
        other => server(other),
    });
    assert!(a.popups.last().unwrap().as_any().is::<MailHistory>());
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("mail_history_80x24", screen(&t));
    let s = screen(&t);
    assert!(s.contains("2026-03-31 10:05"), "sent time in JST: {s}");
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Enter);
    answer(&mut a, |r| match r {
        Request::Mail { id } => Ok(Reply::Mail(Box::new(mail(
            *id,
            "登録内容の確認のお願い",
            48,
        )))),
        other => server(other),
    });
    assert!(a.popups.last().unwrap().as_any().is::<MailText>());
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("mail_sent_80x24", screen(&t));
    assert!(screen(&t).contains("職種=看護師"), "its filter in words");
}

#[test]
fn roles_that_may_not_send_are_told_and_see_no_command() {
    let mut a = roster(Lang::Ja, Role::City);
    key(&mut a, KeyCode::Char('m'));
    assert!(a.popups.is_empty());
    let s = screen(&draw(&mut a, 80, 24));
    assert!(s.contains("この権限では操作できません。"), "{s}");
    command_line(&mut a, "mail");
    assert!(a.popups.is_empty(), "no :mail for a city");
    for role in [Role::National, Role::Admin] {
        let mut a = roster(Lang::Ja, role);
        command_line(&mut a, "mail");
        assert!(
            a.popups.last().unwrap().as_any().is::<MailForm>(),
            "{role:?}"
        );
    }
}

#[test]
fn the_preview_shows_the_message_as_sent() {
    let mut a = written(Lang::Ja, (123, 4));
    ctrl(&mut a, 'p');
    assert!(
        a.popups.last().unwrap().as_any().is::<MailText>(),
        "the preview of the text typed is at hand"
    );
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!("mail_preview_80x24", screen(&t));
    assert!(screen(&t).contains("配信停止: https://ouen.example.jp/optout"));
    key(&mut a, KeyCode::Esc);
    // Changed since: the preview is asked for now and opens when it comes.
    typed(&mut a, "追記");
    ctrl(&mut a, 'p');
    assert!(a.popups.last().unwrap().as_any().is::<MailForm>());
    let asked = previews(&a);
    assert_eq!(asked.len(), 1);
    assert!(asked[0].1.body.ends_with("追記"));
    a.update(response(asked[0].0, Ok(Reply::Preview(preview(123, 4)))));
    assert!(a.popups.last().unwrap().as_any().is::<MailText>());
}
