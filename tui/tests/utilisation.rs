//! The utilisation tab (利活用) on ratatui's test backend, as of the test clock's day
//! (2026-04-01): members with a bar per prefecture for the ministry and per profession for a
//! prefecture, dispatch by prefecture, the series with its sparklines, capacity ahead; `h`/`l`
//! between them, `p` the period; the bars go when the terminal is narrow, the sparklines when
//! it is short; `:export` writes the table in front; a member has no such tab.

mod common;

use common::dispatch::text;
use common::*;
use crossterm::event::KeyCode;
use ouen::app::jobs::DownloadTo;
use ouen::app::net::Answer;
use ouen::app::Action;
use ouen_shared::api::*;
use ouen_shared::endpoints as ep;
use ouen_shared::{HelpWay, Lang, MembershipStatus, Profession, Role};

fn d(m: u32, dd: u32) -> chrono::NaiveDate {
    day(2026, m, dd)
}

fn counts() -> Vec<MemberCount> {
    let c = |code: &str, profession, status, members| MemberCount {
        prefecture_code: code.into(),
        profession,
        status,
        members,
    };
    vec![
        c(
            "13",
            Profession::PublicHealthNurse,
            MembershipStatus::Approved,
            1200,
        ),
        c("13", Profession::Nurse, MembershipStatus::Approved, 800),
        c("13", Profession::Nurse, MembershipStatus::Applied, 40),
        c("14", Profession::Nurse, MembershipStatus::Approved, 600),
        c("31", Profession::Doctor, MembershipStatus::Suspended, 3),
    ]
}

fn dispatch() -> Vec<DispatchUtilisation> {
    vec![DispatchUtilisation {
        prefecture_code: "13".into(),
        requests: 4,
        asked: 120,
        answered: 90,
        seats_needed: 40,
        seats_assigned: 38,
        seats_accepted: 36,
        days_worked: 30,
        minutes_worked: 30 * 465,
    }]
}

fn steps(q: &SeriesQuery) -> Vec<UtilisationStep> {
    let interval = q.interval.unwrap_or(Interval::Week);
    let (Some(from), Some(to)) = (q.from, q.to) else {
        return Vec::new();
    };
    interval
        .steps(from, to.succ_opt().expect("a day"))
        .into_iter()
        .enumerate()
        .map(|(i, (start, next))| {
            let mut s = UtilisationStep::empty(start, next.pred_opt().expect("a day"));
            let i = i as i64;
            s.registrations = 10 + i;
            s.approvals = i * 2;
            s.requests_sent = i % 3;
            s.asked = 30;
            s.answered = 20 + i % 10;
            s.median_answer_minutes = Some(95);
            s.seats_needed = 12;
            s.seats_accepted = i % 12;
            s.days_worked = i;
            s
        })
        .collect()
}

fn capacity(q: &CapacityQuery) -> CapacityAhead {
    let days = q.days.unwrap_or(14) as usize;
    let row = |way, base: i64| CapacityRow {
        prefecture_code: "13".into(),
        profession: Profession::PublicHealthNurse,
        way,
        available: vec![base; days],
        assigned: (0..days as i64).map(|i| (i * 3) % base.max(1)).collect(),
        free: (0..days as i64)
            .map(|i| base - (i * 3) % base.max(1))
            .collect(),
    };
    CapacityAhead {
        from: q.from.unwrap_or(d(4, 1)),
        days: days as u32,
        rows: vec![row(HelpWay::OnSite, 9), row(HelpWay::Phone, 4)],
    }
}

/// Answers the tab's calls.
fn serve(a: &mut ouen::shell::App, members: &[MemberCount]) {
    loop {
        let sent = a.net.take_recorded();
        if sent.is_empty() {
            break;
        }
        for (id, r) in sent {
            let answer = if r.is::<ep::GetMemberCounts>() {
                Answer::ok(id, members.to_vec())
            } else if r.is::<ep::GetDispatchUtilisation>() {
                Answer::ok(id, dispatch())
            } else if let Some(s) = r.get::<ep::GetUtilisationSeries>() {
                Answer::ok(id, steps(&s.0))
            } else if let Some(c) = r.get::<ep::GetCapacityAhead>() {
                Answer::ok(id, capacity(&c.0))
            } else {
                a.update(response(id, server(&Request::from(&r))));
                continue;
            };
            a.update(Action::Answer(answer));
        }
    }
}

fn on_utilisation(role: Role, members: &[MemberCount]) -> ouen::shell::App {
    let mut a = logged_in_as(Lang::Ja, role);
    serve(&mut a, members);
    a.update(Action::ShowTab("utilisation"));
    key(&mut a, KeyCode::Char('r'));
    serve(&mut a, members);
    a
}

fn press(a: &mut ouen::shell::App, c: char) {
    key(a, KeyCode::Char(c));
    serve(a, &counts());
}

#[test]
fn the_ministry_sees_members_by_prefecture_with_a_bar_each() {
    let mut a = on_utilisation(Role::National, &counts());
    let s = text(&mut a, 80, 24);
    let joined = s.join("\n");
    assert!(joined.contains("[人員]"), "{joined}");
    let tokyo = s.iter().find(|l| l.starts_with("東京都")).expect("東京都");
    let kanagawa = s
        .iter()
        .find(|l| l.starts_with("神奈川県"))
        .expect("神奈川県");
    let blocks = |l: &str| l.chars().filter(|c| *c == '█').count();
    assert!(
        blocks(tokyo) > blocks(kanagawa) && blocks(kanagawa) > 0,
        "{joined}"
    );
    assert!(
        tokyo.contains("2000") && tokyo.contains("40") && tokyo.contains("2040"),
        "{tokyo}"
    );
    insta::assert_snapshot!("utilisation_members_national_80x24", joined);

    // Narrower: a shorter bar, every figure still there.
    let wide = blocks(tokyo);
    let narrow = text(&mut a, 60, 24);
    let tokyo = narrow
        .iter()
        .find(|l| l.starts_with("東京都"))
        .expect("東京都");
    assert!(blocks(tokyo) < wide, "{narrow:#?}");
    assert!(tokyo.contains("2040"), "{tokyo}");
}

#[test]
fn a_prefecture_sees_its_members_by_profession() {
    let own: Vec<MemberCount> = counts()
        .into_iter()
        .filter(|c| c.prefecture_code == "13")
        .collect();
    let mut a = on_utilisation(Role::Prefecture, &own);
    let s = text(&mut a, 80, 24);
    let nurses = s
        .iter()
        .position(|l| l.starts_with("看護師"))
        .expect("看護師");
    let phn = s
        .iter()
        .position(|l| l.starts_with("保健師"))
        .expect("保健師");
    assert!(phn < nurses, "in the catalog's order: {s:#?}");
}

#[test]
fn dispatch_series_and_capacity_are_a_key_away() {
    let mut a = on_utilisation(Role::Prefecture, &counts());
    press(&mut a, 'l');
    let s = text(&mut a, 80, 24).join("\n");
    assert!(
        s.contains("[派遣]") && s.contains("直近12週 01/12–04/01"),
        "{s}"
    );
    assert!(
        s.contains("75%") && s.contains("90%") && s.contains("232:30"),
        "{s}"
    );
    insta::assert_snapshot!("utilisation_dispatch_80x24", s);
    // At 60 columns the figures leave no room for the bar: the table alone.
    let narrow = text(&mut a, 60, 24).join("\n");
    assert!(
        !narrow.contains('█') && narrow.contains("232:30"),
        "{narrow}"
    );

    // Over time: twelve weeks and a bit, the sparklines above the table.
    press(&mut a, 'l');
    let s = text(&mut a, 80, 24);
    let joined = s.join("\n");
    assert!(joined.contains("[推移]"), "{joined}");
    let spark = s
        .iter()
        .find(|l| l.starts_with("派遣人日"))
        .expect("a sparkline");
    assert!(spark.contains('▁') && spark.contains('█'), "{spark}");
    assert!(
        joined.contains("01/12") && joined.contains("1:35"),
        "{joined}"
    );
    insta::assert_snapshot!("utilisation_series_80x24", joined);
    // Short: the table alone.
    let short = text(&mut a, 80, 16).join("\n");
    assert!(!short.contains("派遣人日 "), "{short}");
    assert!(short.contains("01/12"), "{short}");
    // The fiscal year, by month.
    for _ in 0..3 {
        press(&mut a, 'p');
    }
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("今年度 04/01–03/31"), "{s}");

    // Capacity ahead: 14 days from today, then 30.
    press(&mut a, 'l');
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("[先行き]") && s.contains("04/01~ 14日"), "{s}");
    assert!(s.contains("保健師") && s.contains("現地派遣"), "{s}");
    insta::assert_snapshot!("utilisation_capacity_80x24", s);
    press(&mut a, 'p');
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("04/01~ 30日"), "{s}");
    let line = s.lines().find(|l| l.starts_with("保健師")).expect("a row");
    assert_eq!(
        line.chars().filter(|c| ('▁'..='█').contains(c)).count(),
        30,
        "a day a mark: {line}"
    );
    // Round again to the members.
    press(&mut a, 'l');
    assert!(text(&mut a, 80, 24).join("\n").contains("[人員]"));
}

#[test]
fn export_writes_the_table_in_front() {
    let mut a = on_utilisation(Role::Prefecture, &counts());
    press(&mut a, 'h');
    command_line(&mut a, "export 先行き.csv cp932");
    let job = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, r)| r.get::<DownloadTo<ep::ExportCapacityAhead>>().cloned())
        .expect("the export started");
    assert_eq!(job.endpoint.encoding, CsvEncoding::Cp932);
    assert_eq!(job.endpoint.capacity.days, Some(14));
    assert_eq!(job.endpoint.capacity.from, Some(d(4, 1)));
    assert_eq!(job.path.to_string_lossy(), "先行き.csv");
    // A word it cannot read is a usage line, and nothing is sent.
    command_line(&mut a, "export x.csv latin1");
    assert!(a
        .net
        .take_recorded()
        .iter()
        .all(|(_, r)| !r.is::<DownloadTo<ep::ExportCapacityAhead>>()));
    assert!(text(&mut a, 80, 24)
        .join("\n")
        .contains(":export FILE.csv [cp932]"));
}

#[test]
fn a_member_has_no_utilisation_tab() {
    let mut a = logged_in_as(Lang::Ja, Role::Member);
    serve(&mut a, &counts());
    let s = text(&mut a, 80, 24).join("\n");
    assert!(!s.contains("利活用"), "{s}");
}
