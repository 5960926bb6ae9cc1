//! The one-click opt-out pages (RFC 8058), server-rendered HTML outside `/api/v1` and outside
//! the OpenAPI description: `GET /unsubscribe/{token}` explains and offers a button,
//! `POST /unsubscribe/{token}` (the page's form, or a mail client's
//! `List-Unsubscribe=One-Click`) opts out, `POST /unsubscribe/{token}/undo` opts in again.
//! No JavaScript; Japanese first, English with `?lang=en`. An unknown token answers the same
//! 404 page whatever it looks like. Throttled per client address.

use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::opt_out::OptOutState;
use crate::store::throttle::{Reservation, ThrottleRules};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use ouen_shared::Lang;
use serde::Deserialize;

/// Requests to these pages one client address may make per hour.
const PER_ADDRESS_PER_HOUR: i64 = 120;

/// The pages' stylesheet (the page policy allows only styles from this server).
const STYLE: &str = include_str!("page.css");

/// The routes of the opt-out pages and their stylesheet.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/unsubscribe/{token}", get(show).post(opt_out))
        .route("/unsubscribe/{token}/undo", axum::routing::post(opt_in))
        .route("/assets/page.css", get(stylesheet))
}

/// `?lang=en` picks English; Japanese otherwise.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLE,
    )
        .into_response()
}

async fn show(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let lang = query.lang();
    let result = match throttle(&state, &meta).await {
        Ok(()) => state.store.opt_out_state(&token).await,
        Err(e) => Err(e),
    };
    answer(lang, &token, result, false)
}

async fn opt_out(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    change(state, meta, token, query.lang(), true).await
}

async fn opt_in(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    change(state, meta, token, query.lang(), false).await
}

async fn change(
    state: AppState,
    meta: RequestMeta,
    token: String,
    lang: Lang,
    out: bool,
) -> Response {
    let result = match throttle(&state, &meta).await {
        Ok(()) => state.store.set_opt_out_by_token(&meta, &token, out).await,
        Err(e) => Err(e),
    };
    answer(lang, &token, result, true)
}

/// Counts one request from the caller's address; refused once over the hourly limit.
async fn throttle(state: &AppState, meta: &RequestMeta) -> Result<(), ApiError> {
    let Some(ip) = &meta.ip else {
        return Ok(());
    };
    let rules = ThrottleRules {
        max_attempts: PER_ADDRESS_PER_HOUR,
        window: chrono::Duration::hours(1),
        lockout: chrono::Duration::hours(1),
    };
    match state
        .store
        .reserve_attempts(&[(format!("unsubscribe:{ip}"), rules)], crate::store::now())
        .await?
    {
        Reservation::Granted => Ok(()),
        Reservation::Refused { .. } => Err(ApiError::Throttled {
            retry_after_seconds: 3600,
        }),
    }
}

/// The page for a result: the state (after a change, its confirmation), or an error page.
fn answer(
    lang: Lang,
    token: &str,
    result: Result<OptOutState, ApiError>,
    changed: bool,
) -> Response {
    match result {
        Ok(state) => (
            StatusCode::OK,
            Html(state_page(lang, token, &state, changed).into_string()),
        )
            .into_response(),
        Err(ApiError::NotFound) => (
            StatusCode::NOT_FOUND,
            Html(
                message_page(lang, texts(lang).not_found_title, texts(lang).not_found)
                    .into_string(),
            ),
        )
            .into_response(),
        Err(ApiError::Throttled { .. }) => (
            StatusCode::TOO_MANY_REQUESTS,
            Html(message_page(lang, texts(lang).busy_title, texts(lang).busy).into_string()),
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(%error, "opt-out page failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(message_page(lang, texts(lang).busy_title, texts(lang).busy).into_string()),
            )
                .into_response()
        }
    }
}

/// The words of the pages in one language.
struct Texts {
    title: &'static str,
    what: &'static str,
    still: &'static str,
    button: &'static str,
    done_title: &'static str,
    done: &'static str,
    undo: &'static str,
    back_title: &'static str,
    back: &'static str,
    not_found_title: &'static str,
    not_found: &'static str,
    busy_title: &'static str,
    busy: &'static str,
    other: (&'static str, &'static str),
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ja => &Texts {
            title: "一斉連絡・ニュースレターの配信停止",
            what: "このボタンを押すと、一斉連絡とニュースレターのメールと受信箱へのお知らせが届かなくなります。",
            still: "派遣依頼・正式依頼・研修の連絡は、これまでどおり届きます。",
            button: "配信を停止する",
            done_title: "配信を停止しました",
            done: "一斉連絡とニュースレターは今後届きません。",
            undo: "配信を再開する",
            back_title: "配信を再開しました",
            back: "一斉連絡とニュースレターがまた届くようになります。",
            not_found_title: "ページが見つかりません",
            not_found: "このリンクは使えません。メールに記載のリンクをもう一度お確かめください。",
            busy_title: "しばらくしてからお試しください",
            busy: "ただいま処理できません。時間をおいてもう一度お試しください。",
            other: ("en", "English"),
        },
        Lang::En => &Texts {
            title: "Stop bulk mail and newsletters",
            what: "Press the button to stop receiving bulk mail and newsletters, by e-mail and in your inbox.",
            still: "Dispatch requests, formal requests and training decisions still reach you.",
            button: "Stop these messages",
            done_title: "You have opted out",
            done: "You will no longer receive bulk mail or newsletters.",
            undo: "Receive them again",
            back_title: "You receive them again",
            back: "Bulk mail and newsletters will reach you again.",
            not_found_title: "Page not found",
            not_found: "This link cannot be used. Please check the link in your e-mail.",
            busy_title: "Please try again later",
            busy: "The request cannot be handled now. Please try again in a while.",
            other: ("ja", "日本語"),
        },
    }
}

/// The `?lang=…` suffix keeping the page's language across a form post.
fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "",
        Lang::En => "?lang=en",
    }
}

fn layout(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " — ouen" }
                link rel="stylesheet" href="/assets/page.css";
            }
            body {
                main {
                    p.brand { "ouen" }
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

fn state_page(lang: Lang, token: &str, state: &OptOutState, changed: bool) -> Markup {
    let t = texts(lang);
    // The token is 64 hex digits (checked by the store), so it stands in a URL as it is.
    let action = format!("/unsubscribe/{token}{}", lang_query(lang));
    let undo = format!("/unsubscribe/{token}/undo{}", lang_query(lang));
    let (other_tag, other_name) = t.other;
    let switch = format!("/unsubscribe/{token}?lang={other_tag}");
    match (&state.opted_out_at, changed) {
        (Some(_), _) => layout(
            lang,
            t.done_title,
            html! {
                p { (t.done) }
                p { (t.still) }
                form method="post" action=(undo) {
                    button type="submit" { (t.undo) }
                }
                p.lang { a href=(switch) { (other_name) } }
            },
        ),
        (None, true) => layout(
            lang,
            t.back_title,
            html! {
                p { (t.back) }
                form method="post" action=(action) {
                    input type="hidden" name="List-Unsubscribe" value="One-Click";
                    button type="submit" { (t.button) }
                }
                p.lang { a href=(switch) { (other_name) } }
            },
        ),
        (None, false) => layout(
            lang,
            t.title,
            html! {
                p { (t.what) }
                p { (t.still) }
                form method="post" action=(action) {
                    input type="hidden" name="List-Unsubscribe" value="One-Click";
                    button type="submit" { (t.button) }
                }
                p.lang { a href=(switch) { (other_name) } }
            },
        ),
    }
}

fn message_page(lang: Lang, title: &str, text: &str) -> Markup {
    layout(lang, title, html! { p { (text) } })
}
