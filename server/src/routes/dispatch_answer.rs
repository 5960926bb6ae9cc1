//! The dispatch answer page: the personal link in a dispatch request's e-mail opens a one-page
//! form on which the member answers per slot, without signing in and without JavaScript,
//! Japanese first (English with `?lang=en`), usable on a phone.
//!
//! The link's token (256 random bits, issued per member and request) is the whole credential:
//! it opens only that member's answer to that request, and only while the request takes
//! answers (until the deadline). The form posts back to the same secret URL, so another site
//! cannot forge it; a browser's `Sec-Fetch-Site: cross-site` post is refused all the same.
//! Any unknown token answers the same 404 page. Throttled per client address; audited.

use super::page::{lang_query, layout, throttle, LangQuery};
use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::dispatch::answers::Answerer;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use ouen_shared::api::{AnswerDraft, AskedRequest, AssignmentStatus, DeclineRequest, SlotAnswer};
use ouen_shared::dispatch::{format_slot, Duty};
use ouen_shared::{FieldIssue, Lang};

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispatch/answer/{token}", get(show).post(submit))
        .route(
            "/dispatch/answer/{token}/assignments/{assignment}/{decision}",
            axum::routing::post(decide),
        )
}

/// The link to a member's answer page.
pub fn answer_link(public_url: &str, token: &str) -> String {
    format!(
        "{}/dispatch/answer/{token}",
        public_url.trim_end_matches('/')
    )
}

async fn show(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = query.lang();
    let result = async {
        throttle(&state, &meta, "dispatch_answer").await?;
        let key = state.store.ask_of_token(&token).await?;
        state.store.asked_request(key).await
    }
    .await;
    match result {
        Ok(request) => page(lang, &token, &request, Outcome::Shown),
        Err(error) => error_page(lang, error),
    }
}

async fn submit(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
    body: Bytes,
) -> Response {
    let lang = query.lang();
    if is_cross_site(&headers) {
        return error_page(lang, ApiError::Forbidden);
    }
    let result = async {
        throttle(&state, &meta, "dispatch_answer").await?;
        let key = state.store.ask_of_token(&token).await?;
        let current = state.store.asked_request(key).await?;
        let draft = parse_form(&body, &current);
        match state
            .store
            .answer(key, draft.clone(), Answerer::Link(&meta))
            .await
        {
            Ok(saved) => Ok((saved, Outcome::Saved)),
            Err(ApiError::Invalid(issues)) | Err(ApiError::Conflict(issues))
                if !issues.is_empty() =>
            {
                Ok((current, Outcome::Refused(issues)))
            }
            Err(error) => Err(error),
        }
    }
    .await;
    match result {
        Ok((request, outcome)) => page(lang, &token, &request, outcome),
        Err(error) => error_page(lang, error),
    }
}

/// Accepts (`decision` = `accept`) or declines (`decline`, with the form's `reason`) one of
/// the member's formal requests from the page.
async fn decide(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    Path((token, assignment, decision)): Path<(String, String, String)>,
    Query(query): Query<LangQuery>,
    body: Bytes,
) -> Response {
    let lang = query.lang();
    if is_cross_site(&headers) {
        return error_page(lang, ApiError::Forbidden);
    }
    let result = async {
        throttle(&state, &meta, "dispatch_answer").await?;
        let key = state.store.ask_of_token(&token).await?;
        let assignment: i64 = assignment.parse().map_err(|_| ApiError::NotFound)?;
        let decline = match decision.as_str() {
            "accept" => None,
            "decline" => {
                let reason = form_urlencoded::parse(&body)
                    .find(|(k, _)| k == "reason")
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                Some(DeclineRequest { reason })
            }
            _ => return Err(ApiError::NotFound),
        };
        let outcome = match state
            .store
            .decide_assignment(key, assignment, decline, Answerer::Link(&meta))
            .await
        {
            Ok(_) => Outcome::Decided,
            Err(ApiError::Invalid(issues)) | Err(ApiError::Conflict(issues))
                if !issues.is_empty() =>
            {
                Outcome::Refused(issues)
            }
            Err(error) => return Err(error),
        };
        Ok((state.store.asked_request(key).await?, outcome))
    }
    .await;
    match result {
        Ok((request, outcome)) => page(lang, &token, &request, outcome),
        Err(error) => error_page(lang, error),
    }
}

/// Whether a browser says the post comes from another site.
pub(crate) fn is_cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
}

/// The answer a posted form stands for: `slot_<id>=yes|no` per slot, `duty_<id>=<code>` for
/// each duty ticked (with a single duty, a yes means that duty), `note`. Unknown fields are
/// ignored; slots not answered are left out.
fn parse_form(body: &[u8], request: &AskedRequest) -> AnswerDraft {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut draft = AnswerDraft {
        slots: Vec::new(),
        note: value("note").unwrap_or_default().to_string(),
    };
    for slot in request.slots.iter().filter(|s| s.cancelled_at.is_none()) {
        let available = match value(&format!("slot_{}", slot.id)) {
            Some("yes") => true,
            Some("no") => false,
            _ => continue,
        };
        let duty_key = format!("duty_{}", slot.id);
        let duties: Vec<Duty> = if !available {
            Vec::new()
        } else if request.duties.len() == 1 {
            request.duties.clone()
        } else {
            pairs
                .iter()
                .filter(|(k, _)| *k == duty_key)
                .filter_map(|(_, v)| Duty::from_code(v))
                .collect()
        };
        draft.slots.push(SlotAnswer {
            slot_id: slot.id,
            available,
            duties,
        });
    }
    draft
}

/// What happened on this request of the page.
enum Outcome {
    Shown,
    Saved,
    Decided,
    Refused(Vec<FieldIssue>),
}

struct Texts {
    title: &'static str,
    from: &'static str,
    place: &'static str,
    duties: &'static str,
    deadline: &'static str,
    yes: &'static str,
    no: &'static str,
    which: &'static str,
    note: &'static str,
    send: &'static str,
    saved: &'static str,
    refused: &'static str,
    closed: &'static str,
    unanswered: &'static str,
    formal: &'static str,
    formal_what: &'static str,
    accept: &'static str,
    decline: &'static str,
    reason: &'static str,
    decided: &'static str,
    not_found_title: &'static str,
    not_found: &'static str,
    busy_title: &'static str,
    busy: &'static str,
    other: (&'static str, &'static str),
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ja => &Texts {
            title: "派遣要請への回答",
            from: "依頼元",
            place: "派遣先",
            duties: "業務",
            deadline: "回答期限",
            yes: "対応できる",
            no: "対応できない",
            which: "対応できる業務",
            note: "連絡事項（任意）",
            send: "回答を送信する",
            saved: "回答を受け付けました。期限までは何度でも変更できます。",
            refused: "回答を保存できませんでした。内容をご確認ください。",
            closed: "回答の受付は終了しました。",
            unanswered: "未回答",
            formal: "正式依頼",
            formal_what: "次の日時で正式に派遣をお願いします。承諾または辞退をお選びください（辞退は理由が必要です）。",
            accept: "承諾する",
            decline: "辞退する",
            reason: "辞退の理由（必須）",
            decided: "ご回答を受け付けました。",
            not_found_title: "ページが見つかりません",
            not_found: "このリンクは使えません。メールに記載のリンクをもう一度お確かめください。",
            busy_title: "しばらくしてからお試しください",
            busy: "ただいま処理できません。時間をおいてもう一度お試しください。",
            other: ("en", "English"),
        },
        Lang::En => &Texts {
            title: "Answer a dispatch request",
            from: "From",
            place: "Where",
            duties: "Duties",
            deadline: "Answer by",
            yes: "I can work",
            no: "I cannot work",
            which: "Duties I can do",
            note: "Note (optional)",
            send: "Send my answer",
            saved: "Your answer was received. You can change it until the deadline.",
            refused: "Your answer could not be saved. Please check it.",
            closed: "Answers are no longer taken.",
            unanswered: "Not answered",
            formal: "Formal request",
            formal_what: "You are formally asked to work at these times. Please accept or decline (a decline needs a reason).",
            accept: "Accept",
            decline: "Decline",
            reason: "Reason for declining (required)",
            decided: "Your decision was received.",
            not_found_title: "Page not found",
            not_found: "This link cannot be used. Please check the link in your e-mail.",
            busy_title: "Please try again later",
            busy: "The request cannot be handled now. Please try again in a while.",
            other: ("ja", "日本語"),
        },
    }
}

fn page(lang: Lang, token: &str, request: &AskedRequest, outcome: Outcome) -> Response {
    let t = texts(lang);
    // The token is 64 hex digits (checked by the store), so it stands in a URL as it is.
    let action = format!("/dispatch/answer/{token}{}", lang_query(lang));
    let (other_tag, other_name) = t.other;
    let switch = format!("/dispatch/answer/{token}?lang={other_tag}");
    let answer_of = |slot_id: i64| request.answer.iter().find(|a| a.slot_id == slot_id);
    let status = match &outcome {
        Outcome::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let duties =
        ouen_shared::dispatch::duties_described(&request.duties, &request.other_duty, lang);
    let markup = layout(
        lang,
        t.title,
        html! {
            @match &outcome {
                Outcome::Saved => p.notice role="status" { (t.saved) },
                Outcome::Decided => p.notice role="status" { (t.decided) },
                Outcome::Refused(issues) => div.error role="alert" {
                    p { (t.refused) }
                    ul { @for issue in issues { li { (issue.to_field_error(lang).message) } } }
                },
                Outcome::Shown => {},
            }
            h2 { (request.title) }
            dl {
                dt { (t.from) } dd { (request.organisation_name) }
                dt { (t.place) } dd { (request.health_centre_name) }
                dt { (t.duties) } dd { (duties) }
                dt { (t.deadline) } dd { (ouen_shared::time::format_jst(request.answer_deadline)) }
            }
            @if !request.notes.is_empty() { p.notes { (request.notes) } }
            @if !request.assignments.is_empty() {
                section.formal {
                    h2 { (t.formal) }
                    p { (t.formal_what) }
                    @for a in &request.assignments {
                        @let base = format!("/dispatch/answer/{token}/assignments/{}", a.id);
                        fieldset {
                            legend { (format_slot(a.starts_at, a.ends_at)) }
                            p.state { (a.status.label(lang)) }
                            @if a.status == AssignmentStatus::Requested {
                                form method="post" action=(format!("{base}/accept{}", lang_query(lang))) {
                                    button type="submit" { (t.accept) }
                                }
                            }
                            @if matches!(a.status, AssignmentStatus::Requested | AssignmentStatus::Accepted) {
                                form.decline method="post" action=(format!("{base}/decline{}", lang_query(lang))) {
                                    label for=(format!("reason_{}", a.id)) { (t.reason) }
                                    textarea id=(format!("reason_{}", a.id)) name="reason" rows="2" maxlength="500" required {}
                                    button.secondary type="submit" { (t.decline) }
                                }
                            }
                        }
                    }
                }
            }
            @if !request.open {
                p.notice { (t.closed) }
                ul.slots {
                    @for slot in request.slots.iter().filter(|s| s.cancelled_at.is_none()) {
                        li {
                            (format_slot(slot.starts_at, slot.ends_at)) " — "
                            @match answer_of(slot.id) {
                                Some(a) if a.available => (t.yes),
                                Some(_) => (t.no),
                                None => (t.unanswered),
                            }
                        }
                    }
                }
            } @else {
                form method="post" action=(action) {
                    @for slot in request.slots.iter().filter(|s| s.cancelled_at.is_none()) {
                        @let answer = answer_of(slot.id);
                        @let name = format!("slot_{}", slot.id);
                        fieldset {
                            legend { (format_slot(slot.starts_at, slot.ends_at)) }
                            label { input type="radio" name=(name) value="yes" checked[answer.is_some_and(|a| a.available)]; " " (t.yes) }
                            label { input type="radio" name=(name) value="no" checked[answer.is_some_and(|a| !a.available)]; " " (t.no) }
                            @if request.duties.len() > 1 {
                                p.which { (t.which) }
                                @for duty in &request.duties {
                                    label.duty {
                                        input type="checkbox" name=(format!("duty_{}", slot.id)) value=(duty.code())
                                            checked[answer.is_some_and(|a| a.duties.contains(duty))];
                                        " " (duty.label(lang))
                                    }
                                }
                            }
                        }
                    }
                    label for="note" { (t.note) }
                    textarea id="note" name="note" rows="3" maxlength="2000" { (request.note) }
                    button type="submit" { (t.send) }
                }
            }
            p.lang { a href=(switch) { (other_name) } }
        },
    );
    (status, Html(markup.into_string())).into_response()
}

/// The page for a link that cannot be used, too many requests, or a failure.
pub(crate) fn error_page(lang: Lang, error: ApiError) -> Response {
    let t = texts(lang);
    let message =
        |title: &str, text: &str| -> Markup { layout(lang, title, html! { p { (text) } }) };
    match error {
        ApiError::NotFound | ApiError::Forbidden => (
            StatusCode::NOT_FOUND,
            Html(message(t.not_found_title, t.not_found).into_string()),
        )
            .into_response(),
        ApiError::Throttled { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            Html(message(t.busy_title, t.busy).into_string()),
        )
            .into_response(),
        error => {
            tracing::warn!(%error, "dispatch answer page failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(message(t.busy_title, t.busy).into_string()),
            )
                .into_response()
        }
    }
}
