//! The daily report page: the link in a reminder (or a return) e-mail opens a one-page form
//! on which the member reports one accepted seat, without signing in and without JavaScript,
//! Japanese first (English with `?lang=en`), usable on a phone. It files the report, or
//! corrects it while it is not approved; every problem is named beside its field and nothing
//! is saved.
//!
//! The credential is the member's personal token of the request (the dispatch answer link's):
//! it opens only that member's seats of that request. The form posts back to the same secret
//! URL; a browser's `Sec-Fetch-Site: cross-site` post is refused. Unknown tokens and seats
//! answer the same 404 page. Throttled per client address; audited as the member's link.

use super::dispatch_answer::{error_page, is_cross_site};
use super::page::{lang_query, layout, throttle, LangQuery};
use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::reports::filing::Reporter;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use ouen_shared::api::{count_field, DailyReport, ReportDue, ReportStatus, TypedReport};
use ouen_shared::dispatch::{format_slot, Duty};
use ouen_shared::time::jst;
use ouen_shared::{FieldIssue, Lang};

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/dispatch/answer/{token}/reports/{assignment}",
        get(show).post(submit),
    )
}

/// The link to the report page of seat `assignment`, from the member's answer link.
pub fn report_link(answer_link: &str, assignment: i64) -> String {
    format!("{answer_link}/reports/{assignment}")
}

/// The seat and its report, if any, for the token's member.
async fn seat(
    state: &AppState,
    token: &str,
    assignment: &str,
) -> Result<(i64, ReportDue, Option<DailyReport>), ApiError> {
    let key = state.store.ask_of_token(token).await?;
    let assignment: i64 = assignment.parse().map_err(|_| ApiError::NotFound)?;
    let seat = state.store.seat_of_link(key, assignment).await?;
    let report = state.store.report_of_seat(key.1, assignment).await?;
    Ok((key.1, seat, report))
}

async fn show(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path((token, assignment)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = query.lang();
    let result = async {
        throttle(&state, &meta, "dispatch_answer").await?;
        seat(&state, &token, &assignment).await
    }
    .await;
    match result {
        Ok((_, seat, report)) => {
            let typed = Typed::of(&seat, report.as_ref());
            page(lang, &token, &seat, report.as_ref(), &typed, Outcome::Shown)
        }
        Err(error) => error_page(lang, error),
    }
}

async fn submit(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    Path((token, assignment)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
    body: Bytes,
) -> Response {
    let lang = query.lang();
    if is_cross_site(&headers) {
        return error_page(lang, ApiError::Forbidden);
    }
    let result = async {
        throttle(&state, &meta, "dispatch_answer").await?;
        let (member, seat, report) = seat(&state, &token, &assignment).await?;
        let typed = Typed::posted(&body, &seat);
        let draft = match typed.read(&seat) {
            Ok(draft) => draft,
            Err(issues) => return Ok((seat, report, typed, Outcome::Refused(issues))),
        };
        let reporter = Reporter::Link {
            member,
            meta: &meta,
        };
        let saved = match &report {
            Some(r) => {
                state
                    .store
                    .correct_daily_report(reporter, r.id, draft)
                    .await
            }
            None => state.store.file_daily_report(reporter, draft).await,
        };
        match saved {
            Ok(r) => Ok((seat, Some(r), typed, Outcome::Saved)),
            Err(ApiError::Invalid(issues)) | Err(ApiError::Conflict(issues))
                if !issues.is_empty() =>
            {
                let issues = issues
                    .into_iter()
                    .map(|mut i| {
                        i.field = ouen_shared::api::form_field(&i.field, &[])
                            .unwrap_or_else(|| "duties".into());
                        i
                    })
                    .collect();
                Ok((seat, report, typed, Outcome::Refused(issues)))
            }
            Err(error) => Err(error),
        }
    }
    .await;
    match result {
        Ok((seat, report, typed, outcome)) => {
            page(lang, &token, &seat, report.as_ref(), &typed, outcome)
        }
        Err(error) => error_page(lang, error),
    }
}

/// The form's values as typed (or as the report or the slot has them).
struct Typed {
    date: String,
    start: String,
    end: String,
    break_minutes: String,
    duties: Vec<Duty>,
    counts: Vec<(Duty, String)>,
    notes: String,
}

impl Typed {
    fn of(seat: &ReportDue, report: Option<&DailyReport>) -> Typed {
        let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&jst());
        let (starts, ends) = report.map_or((seat.slot_starts_at, seat.slot_ends_at), |r| {
            (r.starts_at, r.ends_at)
        });
        Typed {
            date: local(starts).format("%Y-%m-%d").to_string(),
            start: local(starts).format("%H:%M").to_string(),
            end: local(ends).format("%H:%M").to_string(),
            // Empty until given (read as none): a phone's keyboard types into it as it is.
            break_minutes: report
                .map(|r| r.break_minutes.to_string())
                .unwrap_or_default(),
            duties: report.map_or_else(|| seat.duties.clone(), |r| r.duties.clone()),
            counts: seat
                .duties
                .iter()
                .map(|d| {
                    let count = report
                        .and_then(|r| r.counts.iter().find(|c| c.duty == *d))
                        .map(|c| c.count.to_string())
                        .unwrap_or_default();
                    (*d, count)
                })
                .collect(),
            notes: report.map(|r| r.notes.clone()).unwrap_or_default(),
        }
    }

    /// `date`, `start`, `end`, `break_minutes`, `duty` (once per duty ticked),
    /// `count.<duty>`, `notes`; unknown fields are ignored.
    fn posted(body: &[u8], seat: &ReportDue) -> Typed {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Typed {
            date: value("date"),
            start: value("start"),
            end: value("end"),
            break_minutes: value("break_minutes"),
            duties: seat
                .duties
                .iter()
                .copied()
                .filter(|d| pairs.iter().any(|(k, v)| k == "duty" && v == d.code()))
                .collect(),
            counts: seat
                .duties
                .iter()
                .map(|d| (*d, value(count_field(*d))))
                .collect(),
            notes: value("notes"),
        }
    }

    fn read(
        &self,
        seat: &ReportDue,
    ) -> Result<ouen_shared::api::DailyReportDraft, Vec<FieldIssue>> {
        TypedReport {
            assignment_id: seat.assignment_id,
            date: &self.date,
            start: &self.start,
            end: &self.end,
            break_minutes: &self.break_minutes,
            duties: self.duties.clone(),
            counts: self.counts.iter().map(|(d, c)| (*d, c.as_str())).collect(),
            notes: &self.notes,
        }
        .read()
    }
}

enum Outcome {
    Shown,
    Saved,
    Refused(Vec<FieldIssue>),
}

struct Texts {
    title: &'static str,
    place: &'static str,
    slot: &'static str,
    state: &'static str,
    comment: &'static str,
    date: &'static str,
    start: &'static str,
    end: &'static str,
    break_minutes: &'static str,
    duties: &'static str,
    counts: &'static str,
    notes: &'static str,
    send: &'static str,
    correct: &'static str,
    saved: &'static str,
    refused: &'static str,
    locked: &'static str,
    other: (&'static str, &'static str),
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ja => &Texts {
            title: "日報の提出",
            place: "派遣先",
            slot: "枠（日本時間）",
            state: "状態",
            comment: "差戻しのコメント",
            date: "勤務日",
            start: "開始時刻（実績）",
            end: "終了時刻（実績・翌日にまたがる場合もそのまま）",
            break_minutes: "休憩（分）",
            duties: "行った業務",
            counts: "件数（任意）",
            notes: "特記事項（任意）",
            send: "日報を提出する",
            correct: "修正して提出する",
            saved: "日報を受け付けました。承認をお待ちください。",
            refused: "日報を保存できませんでした。各項目をご確認ください。",
            locked: "この日報は承認済みのため変更できません。",
            other: ("en", "English"),
        },
        Lang::En => &Texts {
            title: "Daily report",
            place: "Where",
            slot: "Slot (JST)",
            state: "Status",
            comment: "Comment on the return",
            date: "Day worked",
            start: "Started at",
            end: "Ended at (the next day is fine)",
            break_minutes: "Break (minutes)",
            duties: "Duties done",
            counts: "Counts (optional)",
            notes: "Notes (optional)",
            send: "File the report",
            correct: "Correct and file again",
            saved: "Your report was filed; it waits for approval.",
            refused: "Your report could not be saved. Please check each field.",
            locked: "This report is approved and can no longer be changed.",
            other: ("ja", "日本語"),
        },
    }
}

fn page(
    lang: Lang,
    token: &str,
    seat: &ReportDue,
    report: Option<&DailyReport>,
    typed: &Typed,
    outcome: Outcome,
) -> Response {
    let t = texts(lang);
    // The token is 64 hex digits (checked by the store), so it stands in a URL as it is.
    let base = format!("/dispatch/answer/{token}/reports/{}", seat.assignment_id);
    let action = format!("{base}{}", lang_query(lang));
    let (other_tag, other_name) = t.other;
    let switch = format!("{base}?lang={other_tag}");
    let (status, issues) = match &outcome {
        Outcome::Refused(issues) => (StatusCode::UNPROCESSABLE_ENTITY, issues.as_slice()),
        _ => (StatusCode::OK, &[][..]),
    };
    let problem = |field: &str| {
        issues
            .iter()
            .find(|i| i.field == field)
            .map(|i| i.to_field_error(lang).message)
    };
    let locked = report.is_some_and(|r| r.status == ReportStatus::Approved);
    let markup = layout(
        lang,
        t.title,
        html! {
            @match &outcome {
                Outcome::Saved => p.notice role="status" { (t.saved) },
                Outcome::Refused(issues) => div.error role="alert" {
                    p { (t.refused) }
                    ul { @for issue in issues { li { (issue.to_field_error(lang).message) } } }
                },
                Outcome::Shown => {},
            }
            h2 { (seat.request_title) }
            dl {
                dt { (t.place) } dd { (seat.health_centre_name) }
                dt { (t.slot) } dd { (format_slot(seat.slot_starts_at, seat.slot_ends_at)) }
                @if let Some(r) = report {
                    dt { (t.state) } dd { (r.status.label(lang)) }
                    @if let Some(c) = r.comment.as_deref().filter(|_| r.status == ReportStatus::Returned) {
                        dt { (t.comment) } dd { (c) }
                    }
                }
            }
            @if locked {
                p.notice { (t.locked) }
            } @else {
                form method="post" action=(action) {
                    (field("date", t.date, "date", &typed.date, problem("date")))
                    (field("start", t.start, "time", &typed.start, problem("start")))
                    (field("end", t.end, "time", &typed.end, problem("end")))
                    (field("break_minutes", t.break_minutes, "number", &typed.break_minutes, problem("break_minutes")))
                    fieldset {
                        legend { (t.duties) }
                        @for duty in &seat.duties {
                            label.duty {
                                input type="checkbox" name="duty" value=(duty.code()) checked[typed.duties.contains(duty)];
                                " " (duty.label(lang))
                            }
                        }
                        @if let Some(p) = problem("duties") { p.field-error { (p) } }
                    }
                    fieldset {
                        legend { (t.counts) }
                        @for (duty, count) in &typed.counts {
                            (field(count_field(*duty), duty.label(lang), "number", count, problem(count_field(*duty))))
                        }
                    }
                    label for="notes" { (t.notes) }
                    textarea id="notes" name="notes" rows="3" maxlength="2000" { (typed.notes) }
                    @if let Some(p) = problem("notes") { p.field-error { (p) } }
                    button type="submit" { (if report.is_some() { t.correct } else { t.send }) }
                }
            }
            p.lang { a href=(switch) { (other_name) } }
        },
    );
    (status, Html(markup.into_string())).into_response()
}

/// One labelled input with its problem under it.
fn field(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    problem: Option<String>,
) -> maud::Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            input id=(name) name=(name) type=(kind) value=(value)
                inputmode=[(kind == "number").then_some("numeric")]
                min=[(kind == "number").then_some("0")]
                placeholder=[(kind == "number").then_some("0")]
                aria-invalid=[problem.is_some().then_some("true")];
            @if let Some(p) = problem { p.field-error { (p) } }
        }
    }
}
