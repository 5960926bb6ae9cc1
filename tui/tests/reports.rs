//! The reports tab (集計) on ratatui's test backend. A member files a daily report for a seat
//! it worked (the form filled with the slot; full-width input read; every problem beside its
//! field and nothing sent; the typing kept through a refusal), corrects a returned one (its
//! comment shown) and cannot touch an approved one. A requester's queue approves with `a`,
//! returns with a comment (`R`, required), steps through statuses with `f`, and opens a report
//! with its versions, the request's totals and the member's history.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::dispatch::{at, text};
use common::*;
use crossterm::event::KeyCode;
use ouen::app::net::Answer;
use ouen::app::Action;
use ouen::views::reports::forms::ReportForm;
use ouen_shared::api::*;
use ouen_shared::dispatch::Duty;
use ouen_shared::endpoints as ep;
use ouen_shared::{ErrorBody, ErrorCode, FieldError, Lang, Role};

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn due() -> ReportDue {
    ReportDue {
        assignment_id: 41,
        request_id: 7,
        request_title: "新型感染症 健康観察の応援".into(),
        health_centre_name: "多摩府中保健所".into(),
        slot_starts_at: at(day(), 22),
        slot_ends_at: at(day(), 22) + Duration::hours(8),
        duties: vec![Duty::HealthObservation, Duty::PhoneConsultation],
    }
}

fn report(id: i64, status: ReportStatus) -> DailyReport {
    let starts_at: DateTime<Utc> = at(day() - Duration::days(1), 9);
    DailyReport {
        id,
        assignment_id: 40,
        request_id: 7,
        request_title: "新型感染症 健康観察の応援".into(),
        health_centre_name: "多摩府中保健所".into(),
        member_id: 100 + id,
        member_name: "髙橋 美咲".into(),
        slot_starts_at: starts_at,
        slot_ends_at: starts_at + Duration::hours(8),
        starts_at,
        ends_at: starts_at + Duration::hours(8) + Duration::minutes(30),
        break_minutes: 60,
        worked_minutes: 7 * 60 + 30,
        duties: vec![Duty::HealthObservation],
        request_duties: vec![Duty::HealthObservation, Duty::PhoneConsultation],
        counts: vec![DutyCount {
            duty: Duty::HealthObservation,
            count: 32,
        }],
        notes: "発熱者2名を保健師に引き継ぎ".into(),
        status,
        version: 2,
        comment: (status == ReportStatus::Returned).then(|| "休憩時間を確認してください".into()),
        submitted_at: starts_at + Duration::hours(9),
        decided_at: None,
        versions: Vec::new(),
    }
}

fn page(items: Vec<DailyReport>) -> Page<DailyReport> {
    Page {
        total: items.len() as i64,
        items,
        page: 1,
        per_page: 200,
    }
}

fn history() -> DispatchHistory {
    DispatchHistory {
        member_id: 101,
        dispatches: 2,
        days: 3,
        minutes: 22 * 60 + 30,
        by_prefecture: Vec::new(),
        by_health_centre: Vec::new(),
        by_duty: Vec::new(),
        last_worked_on: Some(day()),
    }
}

/// Answers the reports tab's calls with `reports` (and one seat due for a member).
fn serve(a: &mut ouen::shell::App, reports: &[DailyReport]) {
    loop {
        let sent = a.net.take_recorded();
        if sent.is_empty() {
            break;
        }
        for (id, r) in sent {
            let answer = if r.is::<ep::ListReportsDue>() {
                Answer::ok(id, vec![due()])
            } else if r.is::<ep::ListMyDailyReports>() || r.is::<ep::ListDailyReports>() {
                Answer::ok(id, page(reports.to_vec()))
            } else if r.is::<ep::GetMyDispatchHistory>() || r.is::<ep::GetDispatchHistory>() {
                Answer::ok(id, history())
            } else if let Some(g) = r.get::<ep::GetDailyReport>() {
                let mut one = reports
                    .iter()
                    .find(|x| x.id == g.id)
                    .cloned()
                    .expect("a listed report");
                one.versions = vec![ReportVersion {
                    version: 1,
                    status: ReportStatus::Submitted,
                    starts_at: one.starts_at,
                    ends_at: one.ends_at,
                    break_minutes: 0,
                    duties: one.duties.clone(),
                    counts: one.counts.clone(),
                    notes: String::new(),
                    comment: None,
                    changed_by: "髙橋 美咲".into(),
                    changed_at: one.submitted_at,
                }];
                Answer::ok(id, one)
            } else if r.is::<ep::GetRequestTotals>() {
                Answer::ok(
                    id,
                    RequestTotals {
                        request_id: 7,
                        asked: 200,
                        answered: 60,
                        available: 41,
                        needed: 12,
                        assigned: 12,
                        accepted: 10,
                        declined: 2,
                        reports_filed: 8,
                        reports_approved: 5,
                        fill_rate: 10.0 / 12.0,
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

fn on_reports(role: Role, reports: &[DailyReport]) -> ouen::shell::App {
    let mut a = logged_in_as(Lang::Ja, role);
    serve(&mut a, reports);
    a.update(Action::ShowTab("reports"));
    key(&mut a, KeyCode::Char('r'));
    serve(&mut a, reports);
    a
}

fn set(a: &mut ouen::shell::App, key: &str, value: &str) {
    let form = top_form(a).expect("a form");
    let field = form
        .fields
        .iter_mut()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("a field {key}"));
    field.input.set_value(value);
}

fn filed(a: &mut ouen::shell::App) -> Option<(ouen::app::net::RequestId, DailyReportDraft)> {
    a.net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| r.get::<ep::FileDailyReport>().map(|f| (id, f.0.clone())))
}

#[test]
fn a_member_files_the_report_of_a_seat_it_worked() {
    let mut a = on_reports(Role::Member, &[report(1, ReportStatus::Approved)]);
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("未提出"), "the seat to report: {s}");
    assert!(s.contains("承認済"), "the approved report: {s}");
    assert!(
        s.contains("派遣実績（承認済み日報）: 2 件  3 日  22:30"),
        "{s}"
    );
    insta::assert_snapshot!("reports_member_80x24", s);

    key(&mut a, KeyCode::Char('e'));
    let form = top_form(&mut a).expect("the filing form");
    assert!(form.spec::<ReportForm>().is_some());
    assert_eq!(form.value("date"), "2026-11-20");
    assert_eq!(form.value("start"), "22:00");
    assert_eq!(form.value("end"), "06:00");
    assert_eq!(
        form.value("duties"),
        "health_observation,phone_consultation"
    );

    // Bad input: each problem beside its field, nothing sent.
    set(&mut a, "break_minutes", "６００");
    set(&mut a, "count.phone_consultation", "-2");
    set(&mut a, "end", "6時");
    ctrl(&mut a, 's');
    assert!(filed(&mut a).is_none(), "nothing sent");
    let form = top_form(&mut a).expect("still open");
    assert!(form.errors.contains_key("end"), "{:?}", form.errors);
    assert!(
        form.errors.contains_key("count.phone_consultation"),
        "{:?}",
        form.errors
    );
    set(&mut a, "end", "０６：３０");
    ctrl(&mut a, 's');
    assert!(filed(&mut a).is_none());
    let form = top_form(&mut a).expect("still open");
    assert!(
        form.errors.contains_key("break_minutes"),
        "{:?}",
        form.errors
    );

    // Full-width input is read; the overnight end is the next day.
    set(&mut a, "break_minutes", "６０");
    set(&mut a, "count.phone_consultation", "１５");
    set(&mut a, "count.health_observation", "");
    set(&mut a, "notes", "相談15件、うち2件を保健師へ");
    ctrl(&mut a, 's');
    let (id, body) = filed(&mut a).expect("the report sent");
    assert_eq!(body.assignment_id, 41);
    assert_eq!(body.starts_at.to_rfc3339(), "2026-11-20T13:00:00+00:00");
    assert_eq!(body.ends_at.to_rfc3339(), "2026-11-20T21:30:00+00:00");
    assert_eq!(body.break_minutes, 60);
    assert_eq!(
        body.counts,
        vec![DutyCount {
            duty: Duty::PhoneConsultation,
            count: 15
        }]
    );

    // The server refuses an overlap with another report: the typing stays, the problem
    // beside the start.
    a.update(Action::Answer(Answer::err(
        id,
        ouen::api::ApiError::Server(ErrorBody {
            code: ErrorCode::Invalid,
            message: "入力内容に誤りがあります。".into(),
            fields: vec![FieldError {
                field: "starts_at".into(),
                code: "not_allowed".into(),
                message: "同じ時間の日報がすでにあります".into(),
            }],
            request_id: None,
            retry_after_seconds: None,
        }),
    )));
    let form = top_form(&mut a).expect("the form stays");
    assert!(form.errors.contains_key("start"), "{:?}", form.errors);
    assert_eq!(form.value("count.phone_consultation"), "１５");
}

#[test]
fn a_returned_report_is_corrected_and_an_approved_one_is_locked() {
    let mut a = on_reports(
        Role::Member,
        &[
            report(1, ReportStatus::Returned),
            report(2, ReportStatus::Approved),
        ],
    );
    // Row 0 is the seat due; row 1 the returned report.
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('e'));
    let form = top_form(&mut a).expect("the correction form");
    assert_eq!(form.value("break_minutes"), "60");
    assert_eq!(form.value("count.health_observation"), "32");
    let screen = text(&mut a, 80, 24).join("\n");
    assert!(screen.contains("休憩時間を確認してください"), "{screen}");
    set(&mut a, "break_minutes", "30");
    ctrl(&mut a, 's');
    let corrected = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, r)| r.get::<ep::CorrectDailyReport>().cloned())
        .expect("the correction sent");
    assert_eq!(corrected.id, 1);
    assert_eq!(corrected.body.break_minutes, 30);

    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    let _ = a.net.take_recorded();
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('e'));
    assert!(top_form(&mut a).is_none(), "no form for an approved report");
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("承認済みの日報は修正できません"), "{s}");
}

#[test]
fn a_requester_approves_returns_and_opens_reports() {
    let reports = [
        report(1, ReportStatus::Submitted),
        report(2, ReportStatus::Submitted),
    ];
    let mut a = on_reports(Role::Prefecture, &reports);
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("日報 [提出済]"), "the queue: {s}");
    assert!(s.contains("髙橋 美咲"), "{s}");
    insta::assert_snapshot!("reports_queue_80x24", s);

    key(&mut a, KeyCode::Char('a'));
    let (id, approved) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| r.get::<ep::ApproveDailyReport>().map(|x| (id, x.clone())))
        .expect("approved");
    assert_eq!(approved.id, 1);
    a.update(Action::Answer(Answer::ok(
        id,
        report(1, ReportStatus::Approved),
    )));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("日報を承認しました"), "{s}");
    serve(&mut a, &reports);

    // A return needs its comment.
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('R'));
    ctrl(&mut a, 's');
    assert!(a
        .net
        .take_recorded()
        .iter()
        .all(|(_, r)| !r.is::<ep::ReturnDailyReport>()));
    assert!(top_form(&mut a).is_some_and(|f| f.errors.contains_key("comment")));
    set(&mut a, "comment", "終了時刻を確認してください");
    ctrl(&mut a, 's');
    let returned = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, r)| r.get::<ep::ReturnDailyReport>().cloned())
        .expect("returned");
    assert_eq!(
        (returned.id, returned.body.comment.as_str()),
        (2, "終了時刻を確認してください")
    );
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    let _ = a.net.take_recorded();

    // Reopening is for approved reports only.
    key(&mut a, KeyCode::Char('o'));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("承認済みの日報だけを再開できます"), "{s}");

    // `f` steps to the returned ones.
    key(&mut a, KeyCode::Char('f'));
    let (id, list) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| r.get::<ep::ListDailyReports>().map(|l| (id, l.clone())))
        .expect("the list asked again");
    assert_eq!(list.status.as_deref(), Some("returned"));
    a.update(Action::Answer(Answer::ok(id, page(reports.to_vec()))));

    // Enter opens one with its versions, the request's totals and the member's history.
    key(&mut a, KeyCode::Enter);
    serve(&mut a, &reports);
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("充足率 83%"), "{s}");
    assert!(s.contains("派遣実績（承認済み日報）: 2 件"), "{s}");
    assert!(s.contains("健康観察 32"), "{s}");
    insta::assert_snapshot!("reports_open_80x24", s);
}

#[test]
fn a_requester_exports_the_honoraria_of_a_month_or_a_fiscal_year() {
    use ouen::app::jobs::{DownloadTo, Written};
    let mut a = on_reports(Role::Prefecture, &[report(1, ReportStatus::Approved)]);
    command_line(&mut a, "export 謝金-11月.csv ２０２６-11 totals cp932");
    let (id, job) = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(id, r)| {
            r.get::<DownloadTo<ep::ExportHonoraria>>()
                .map(|j| (id, j.clone()))
        })
        .expect("the export started");
    assert_eq!(job.path, std::path::PathBuf::from("謝金-11月.csv"));
    let q = &job.endpoint.0;
    assert_eq!(q.month.as_deref(), Some("2026-11"));
    assert_eq!(q.sheet, Some(HonorariumSheet::Totals));
    assert_eq!(q.encoding, Some(CsvEncoding::Cp932));
    a.update(Action::Answer(Answer::ok(
        id,
        Written {
            path: job.path.clone(),
            bytes: 512,
        },
    )));
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains("CSV を書き出しました: 謝金-11月.csv"), "{s}");

    // The fiscal year from April; a period that cannot be read shows the usage.
    command_line(&mut a, "export fy.csv FY2026");
    let job = a
        .net
        .take_recorded()
        .into_iter()
        .find_map(|(_, r)| r.get::<DownloadTo<ep::ExportHonoraria>>().cloned())
        .expect("the export started");
    assert_eq!(job.endpoint.0.fiscal_year, Some(2026));
    command_line(&mut a, "export x.csv");
    let s = text(&mut a, 80, 24).join("\n");
    assert!(s.contains(":export FILE.csv PERIOD"), "{s}");

    // A member has no such command.
    let mut m = on_reports(Role::Member, &[]);
    command_line(&mut m, "export x.csv 2026-11");
    assert!(m
        .net
        .take_recorded()
        .iter()
        .all(|(_, r)| !r.is::<DownloadTo<ep::ExportHonoraria>>()));
}
