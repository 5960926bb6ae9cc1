//! The one-click opt-out pages (RFC 8058), server-rendered HTML outside `/api/v1` and outside
//! the OpenAPI description: `GET /unsubscribe/{token}` explains and offers a button,
//! `POST /unsubscribe/{token}` (the page's form, or a mail client's
//! `List-Unsubscribe=One-Click`) opts out, `POST /unsubscribe/{token}/undo` opts in again.
//! No JavaScript; Japanese first, English with `?lang=en`. An unknown token answers the same
//! 404 page whatever it looks like. Throttled per client address.

use super::page::{lang_query, layout, throttle, LangQuery};
use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::opt_out::OptOutState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use ouen_shared::Lang;

/// The routes of the opt-out pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/unsubscribe/{token}", get(show).post(opt_out))
        .route("/unsubscribe/{token}/undo", axum::routing::post(opt_in))
}

async fn show(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = query.lang();
    let result = match throttle(&state, &meta, "unsubscribe").await {
        Ok(()) => state.store.opt_out_state(&token).await,
        Err(e) => Err(e),
    };
    answer(lang, &token, result, false)
}

async fn opt_out(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    change(state, meta, token, query.lang(), true).await
}

async fn opt_in(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
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
    let result = match throttle(&state, &meta, "unsubscribe").await {
        Ok(()) => state.store.set_opt_out_by_token(&meta, &token, out).await,
        Err(e) => Err(e),
    };
    answer(lang, &token, result, true)
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
