//! Shared by the view tests: fixture data as the server would send it, an application on a
//! recording network, and helpers to press keys, answer requests and read the screen.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub mod dispatch;
pub mod pty;
pub mod wire;

use ouen::api::ApiError;
use ouen::app::net::Net;
use ouen::app::Action;
use ouen::keymap::Keymap;
use ouen::shell::{App, Options, Start};
use ouen::theme::Theme;
use ouen_shared::api::{
    Account, InboxMessage, Me, Municipality, Organisation, Page, ReadAllResult, UnreadCount,
};
use ouen_shared::NoticeKind;
use ouen_shared::{Lang, OrgKind, Role};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
pub use wire::{response, Reply, Request};

pub fn me() -> Me {
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

pub fn account(id: i64, login: &str, name: &str, role: Role, org: &str, disabled: bool) -> Account {
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

pub fn accounts() -> Page<Account> {
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

pub fn centre(id: i64, name: &str, parent: &str, n: i64) -> Organisation {
    Organisation {
        id,
        kind: OrgKind::HealthCentre,
        name: name.into(),
        prefecture_code: Some("13".into()),
        municipality_code: None,
        // The prefecture's own (10), or one of its cities'.
        parent_id: Some(if parent == "東京都" { 10 } else { 11 }),
        parent_name: Some(parent.into()),
        institution_kind: None,
        partner_kind: None,
        professions: Vec::new(),
        account_count: n,
        created_at: Utc.with_ymd_and_hms(2026, 4, 1, 0, 30, 0).unwrap(),
    }
}

pub fn centres() -> Page<Organisation> {
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
pub fn server(req: &Request) -> Result<Reply, ApiError> {
    if let Some(r) = roster_server(req) {
        return r;
    }
    if let Some(r) = inbox_server(req) {
        return r;
    }
    Ok(match req {
        Request::Me => Reply::Me(Box::new(me())),
        Request::Accounts => Reply::Accounts(accounts()),
        Request::Organisations => Reply::Organisations(centres()),
        // Nobody has written a dispatch request yet.
        Request::Dispatches => Reply::Dispatches(empty_page()),
        Request::MyDispatches => Reply::MyDispatches(empty_page()),
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

/// A first page with nothing on it.
pub fn empty_page<T>() -> Page<T> {
    Page {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: 100,
    }
}

pub fn app(lang: Lang, start: Start) -> App {
    App::new(
        Options {
            lang,
            theme: Theme::from_config("mono", true),
            keymap: Keymap::default(),
            demo: false,
            warnings: Vec::new(),
            start,
            registry: &ouen::tabs::REGISTRY,
            clock: || Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
        },
        Net::recording(),
        None,
    )
}

/// Answers every recorded request with `reply` until none are left.
pub fn answer(app: &mut App, reply: impl Fn(&Request) -> Result<Reply, ApiError>) {
    loop {
        let sent = app.net.take_recorded();
        if sent.is_empty() {
            break;
        }
        for (id, req) in sent {
            let result = reply(&Request::from(&req));
            app.update(response(id, result));
        }
    }
}

/// Logged in as the prefecture, on the organisation tab.
pub fn logged_in(lang: Lang) -> App {
    let mut a = app(lang, Start::Resume);
    answer(&mut a, server);
    a.update(Action::ShowTab("organisation"));
    a
}

pub fn key(app: &mut App, code: KeyCode) {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

/// The display column of the first cell in row `y` holding `symbol`.
pub fn x_of(buf: &Buffer, y: u16, symbol: &str) -> Option<u16> {
    (0..buf.area.width).find(|x| buf[(*x, y)].symbol() == symbol)
}

/// Row `y` as the terminal shows it: a wide character's second column is not repeated.
pub fn line_text(buf: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        out.push_str(sym);
        x += (ouen::widgets::text::width(sym) as u16).max(1);
    }
    out
}

/// The screen as text, one line per row, with the cursor position.
pub fn screen(t: &Terminal<TestBackend>) -> String {
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

pub fn row_of(buf: &Buffer, text_start: &str) -> Option<u16> {
    (0..buf.area.height).find(|y| line_text(buf, *y).starts_with(text_start))
}

// ── The roster ──

use chrono::NaiveDate;
use ouen_shared::api::{
    Availability, DecisionResult, Licence, Member, MemberSummary, Membership, MembershipBrief,
    MembershipEvent, TrainingRecord,
};
use ouen_shared::roster::{ExperienceField, HelpWay, Language};
use ouen_shared::{MembershipStatus, Profession, RegistrationCode};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The code the fixtures' approvals issue (`572-301-948x`).
pub fn issued_code() -> String {
    RegistrationCode::from_seed(572_301_948)
        .digits()
        .to_string()
}

fn code(seed: u64) -> Option<String> {
    Some(RegistrationCode::from_seed(seed).digits().to_string())
}

/// (id, code, name, kana, professions, home municipality, status in Tokyo, managed, recheck)
type Row = (
    i64,
    Option<String>,
    &'static str,
    &'static str,
    &'static [Profession],
    &'static str,
    MembershipStatus,
    bool,
    bool,
);

fn rows() -> Vec<Row> {
    use MembershipStatus::*;
    use Profession::*;
    vec![
        (
            1,
            code(101_234_567),
            "髙橋 美咲",
            "たかはし みさき",
            &[Nurse, PublicHealthNurse],
            "132012",
            Approved,
            false,
            false,
        ),
        (
            2,
            None,
            "山﨑 健太",
            "やまさき けんた",
            &[Doctor],
            "131130",
            Applied,
            false,
            false,
        ),
        (
            3,
            code(203_456_789),
            "鈴木 花子",
            "すずき はなこ",
            &[PublicHealthNurse],
            "131016",
            Approved,
            false,
            true,
        ),
        (
            4,
            None,
            "渡邊 直樹",
            "わたなべ なおき",
            &[Pharmacist],
            "141003",
            Applied,
            false,
            false,
        ),
        (
            5,
            code(305_678_901),
            "佐々木 由美",
            "ささき ゆみ",
            &[Midwife],
            "131121",
            Suspended,
            false,
            false,
        ),
        (
            6,
            code(407_890_123),
            "比嘉 翔",
            "ひが しょう",
            &[Nurse],
            "132098",
            Approved,
            true,
            false,
        ),
        (
            7,
            None,
            "鈴木 一郎",
            "すずき いちろう",
            &[RegisteredDietitian],
            "132012",
            Rejected,
            false,
            false,
        ),
    ]
}

fn home_prefecture(municipality: &str) -> String {
    municipality[..2].to_string()
}

fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 0, 30, 0).unwrap()
}

pub fn summaries() -> Vec<MemberSummary> {
    rows()
        .into_iter()
        .map(
            |(id, code, name, kana, professions, muni, status, managed, recheck)| MemberSummary {
                id,
                registration_code: code,
                name: name.into(),
                name_kana: kana.into(),
                professions: professions.to_vec(),
                prefecture_code: home_prefecture(muni),
                municipality_code: muni.into(),
                experience_years: 5 + id as u16 * 2,
                birth_year: Some(1958 + id as i32 * 3),
                memberships: vec![MembershipBrief {
                    prefecture_code: "13".into(),
                    status,
                    managed,
                    recheck_needed: recheck,
                }],
                last_dispatch_on: (id % 3 == 1).then(|| day(2025, 12, id as u32)),
                updated_at: stamp(),
            },
        )
        .collect()
}

pub fn members_page(items: Vec<MemberSummary>) -> ouen_shared::api::Page<MemberSummary> {
    ouen_shared::api::Page {
        total: items.len() as i64,
        items,
        page: 1,
        per_page: 50,
    }
}

/// A member's full record as a prefecture sees it.
pub fn member(id: i64) -> Member {
    let rows = rows();
    let (_, code, name, kana, professions, muni, status, managed, recheck) = rows
        .iter()
        .find(|r| r.0 == id)
        .cloned()
        .unwrap_or_else(|| rows[0].clone());
    let mut history = vec![MembershipEvent {
        at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
        status: MembershipStatus::Applied,
        reason: None,
        actor_login: None,
    }];
    if status != MembershipStatus::Applied {
        history.push(MembershipEvent {
            at: Utc.with_ymd_and_hms(2026, 3, 9, 5, 15, 0).unwrap(),
            status,
            reason: (status == MembershipStatus::Rejected)
                .then(|| "免許の確認が取れませんでした".into()),
            actor_login: Some("tokyo".into()),
        });
    }
    Member {
        id,
        registration_code: code,
        login: (!managed).then(|| format!("member{id}@example.jp")),
        name: name.into(),
        name_kana: kana.into(),
        birth_date: Some(day(1985, 6, 15)),
        email: format!("member{id}@example.jp"),
        phone: "090-1234-5678".into(),
        prefecture_code: home_prefecture(muni),
        municipality_code: muni.into(),
        municipality_name: municipality_name(muni).into(),
        street: Some("元本郷町3-24-1".into()),
        licences: professions
            .iter()
            .enumerate()
            .map(|(i, p)| Licence {
                profession: *p,
                number: format!("{}", 123_456 + i),
                licensed_on: day(2008, 4, 1 + i as u32),
            })
            .collect(),
        experience_years: 5 + id as u16 * 2,
        experience_fields: vec![
            ExperienceField::InfectionControl,
            ExperienceField::Epidemiology,
        ],
        languages: vec![Language::Japanese, Language::English],
        notes: "夜間の電話対応も可能".into(),
        memberships: vec![Membership {
            prefecture_code: "13".into(),
            status,
            managed,
            recheck_needed: recheck,
            reason: (status == MembershipStatus::Rejected)
                .then(|| "免許の確認が取れませんでした".into()),
            availability: vec![Availability {
                from: day(2026, 4, 1),
                to: day(2027, 3, 31),
                ways: vec![HelpWay::OnSite, HelpWay::Phone],
            }],
            history,
            updated_at: stamp(),
        }],
        trainings: vec![TrainingRecord {
            title: "IHEAT基礎研修（感染症対策）".into(),
            completed_on: day(2025, 10, 20),
            certificate_number: Some("R7-0123".into()),
        }],
        last_dispatch_on: Some(day(2025, 12, 1)),
        terms_version: Some("2026-04".into()),
        terms_accepted_at: Some(stamp()),
        withdrawn_at: None,
        anonymised: false,
        mail_opt_out: false,
        private_hidden: false,
        created_at: stamp(),
        updated_at: stamp(),
    }
}

/// The same record as a city sees it.
pub fn member_for_city(id: i64) -> Member {
    Member {
        birth_date: None,
        street: None,
        mail_opt_out: false,
        private_hidden: true,
        ..member(id)
    }
}

fn municipality_name(code: &str) -> &'static str {
    match code {
        "132012" => "八王子市",
        "131130" => "渋谷区",
        "131016" => "千代田区",
        "131121" => "世田谷区",
        "132098" => "町田市",
        "141003" => "横浜市",
        _ => "",
    }
}

/// The record after an approval by Tokyo, with the code it issued.
pub fn approved(id: i64) -> DecisionResult {
    let mut m = member(id);
    m.registration_code = Some(issued_code());
    m.memberships[0].status = MembershipStatus::Approved;
    DecisionResult {
        member: m,
        issued_registration_code: Some(issued_code()),
    }
}

/// The caller's inbox: two unread messages (one about member 3) and one read, in Japanese.
pub fn inbox_messages() -> Vec<InboxMessage> {
    let at = |h| Utc.with_ymd_and_hms(2026, 3, 31, h, 30, 0).unwrap();
    vec![
        InboxMessage {
            id: 11,
            kind: NoticeKind::RegistrationResult,
            subject: "登録審査の結果：佐藤 花子さん（東京都）を承認しました".into(),
            body: "佐藤 花子さんの東京都への登録を承認しました。派遣要請の対象になります。今後、保健所からの応援要請があったときには、この通知とメールでお知らせします。\n\
                   登録内容に変更があるときは、名簿の記録から確認してください。"
                .into(),
            subject_kind: Some("member".into()),
            subject_id: Some(3),
            read_at: None,
            created_at: at(9),
        },
        InboxMessage {
            id: 10,
            kind: NoticeKind::System,
            subject: "システムメンテナンスのお知らせ（4月5日 2:00〜4:00）".into(),
            body: "メンテナンスの間はログインできません。".into(),
            subject_kind: None,
            subject_id: None,
            read_at: None,
            created_at: at(3),
        },
        InboxMessage {
            id: 9,
            kind: NoticeKind::BulkMail,
            subject: "研修のご案内".into(),
            body: "令和8年度の研修日程をお送りします。".into(),
            subject_kind: Some("training".into()),
            subject_id: Some(1),
            read_at: Some(at(4)),
            created_at: at(1),
        },
    ]
}

/// Answers for the inbox's requests; `None` for the others.
pub fn inbox_server(req: &Request) -> Option<Result<Reply, ApiError>> {
    let all = inbox_messages();
    Some(Ok(match req {
        Request::Inbox { filter, .. } => {
            let items: Vec<InboxMessage> = all
                .into_iter()
                .filter(|m| filter.kind.is_none_or(|k| k == m.kind))
                .filter(|m| filter.unread.is_none_or(|u| u == m.read_at.is_none()))
                .collect();
            Reply::Inbox(Page {
                total: items.len() as i64,
                items,
                page: 1,
                per_page: 50,
            })
        }
        Request::Unread => Reply::Unread(UnreadCount {
            unread: all.iter().filter(|m| m.read_at.is_none()).count() as i64,
        }),
        Request::MarkRead { id } => {
            let mut m = all.into_iter().find(|m| m.id == *id)?;
            m.read_at = Some(Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap());
            Reply::Message(Box::new(m))
        }
        Request::ReadAll => Reply::ReadAll(ReadAllResult {
            marked: 2,
            unread: 0,
        }),
        _ => return None,
    }))
}

/// Answers for the roster's requests; `None` for the others.
pub fn roster_server(req: &Request) -> Option<Result<Reply, ApiError>> {
    Some(Ok(match req {
        Request::Members { .. } => Reply::Members(members_page(summaries())),
        Request::Member { id } => Reply::Member(Box::new(member(*id))),
        Request::MyMember => Reply::Member(Box::new(member(1))),
        Request::Municipalities {
            cities_only: false, ..
        } => Reply::Municipalities(
            ["132012", "131130", "131016", "131121", "132098", "141003"]
                .iter()
                .map(|c| Municipality {
                    code: (*c).into(),
                    prefecture_code: home_prefecture(c),
                    name: municipality_name(c).into(),
                    kana: String::new(),
                    city_or_ward: true,
                })
                .collect(),
        ),
        _ => return None,
    }))
}

/// The signed-in account as another role.
pub fn me_as(role: Role) -> Me {
    let (login, name, org, kind, pref) = match role {
        Role::National => ("mhlw", "厚労 太郎", "厚生労働省", OrgKind::National, None),
        Role::Admin => ("admin", "事務局 渡辺", "IHEAT事務局", OrgKind::Admin, None),
        Role::City => (
            "hachioji",
            "中村 真由美",
            "八王子市",
            OrgKind::City,
            Some("13"),
        ),
        Role::Member => (
            "member1@example.jp",
            "髙橋 美咲",
            "登録者",
            OrgKind::Members,
            None,
        ),
        _ => return me(),
    };
    Me {
        id: 50,
        login: login.into(),
        display_name: name.into(),
        role,
        organisation_id: 60,
        organisation_name: org.into(),
        organisation_kind: kind,
        prefecture_code: pref.map(str::to_string),
        session_expires_at: None,
    }
}

/// Logged in as `role`; every request answered by the fixture server.
pub fn logged_in_as(lang: Lang, role: Role) -> App {
    let mut a = app(lang, Start::Resume);
    answer(&mut a, |req| match req {
        Request::Me => Ok(Reply::Me(Box::new(me_as(role)))),
        Request::Member { id } if role == Role::City => {
            Ok(Reply::Member(Box::new(member_for_city(*id))))
        }
        // Cities do not see dates of birth, nor the year.
        Request::Members { .. } if role == Role::City => {
            let mut page = members_page(summaries());
            for m in &mut page.items {
                m.birth_year = None;
            }
            Ok(Reply::Members(page))
        }
        other => server(other),
    });
    a
}

/// The form on top of the popup stack.
pub fn top_form(app: &mut App) -> Option<&mut ouen::ui::form::Form> {
    app.popups.last_mut()?.as_any_mut().downcast_mut()
}

/// A timer's message fires (a test may fire the same one twice).
pub fn fire(app: &mut App, msg: &ouen::app::Msg) {
    let Some(m) = msg.downcast_ref::<ouen::views::roster::RosterMsg>() else {
        panic!("a roster timer: {msg:?}");
    };
    app.update(Action::message(m.clone()));
}

/// Types a `:` command line and runs it.
pub fn command_line(app: &mut App, line: &str) {
    app.update(Action::OpenCommandLine);
    typed(app, line);
    key(app, KeyCode::Enter);
}

/// Logged in as `role`, on the roster tab (the first).
pub fn roster(lang: Lang, role: Role) -> App {
    let mut a = logged_in_as(lang, role);
    a.update(Action::SwitchTab(0));
    a
}

/// Every call made since the last look, as a test reads it.
pub fn sent(a: &App) -> Vec<(ouen::app::net::RequestId, Request)> {
    a.net
        .take_recorded()
        .iter()
        .map(|(id, r)| (*id, Request::from(r)))
        .collect()
}
