//! What the server-rendered pages share (the opt-out page, the dispatch answer page): the
//! frame of a page, its language, its stylesheet and the per-address throttle. No JavaScript;
//! Japanese first, English with `?lang=en`.

use crate::error::ApiError;
use crate::scope::RequestMeta;
use crate::state::AppState;
use crate::store::throttle::{Reservation, ThrottleRules};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use ouen_shared::Lang;
use serde::Deserialize;

/// Requests to one kind of page one client address may make per hour.
const PER_ADDRESS_PER_HOUR: i64 = 120;

/// The pages' stylesheet (the page policy allows only styles from this server).
const STYLE: &str = include_str!("page.css");

/// The stylesheet's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/assets/page.css", get(stylesheet))
}

/// `?lang=en` picks English; Japanese otherwise.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    /// The language asked for.
    pub fn lang(&self) -> Lang {
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

/// Counts one request from the caller's address to pages of `kind`; refused once over the
/// hourly limit.
pub async fn throttle(state: &AppState, meta: &RequestMeta, kind: &str) -> Result<(), ApiError> {
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
        .reserve_attempts(&[(format!("{kind}:{ip}"), rules)], crate::store::now())
        .await?
    {
        Reservation::Granted => Ok(()),
        Reservation::Refused { .. } => Err(ApiError::Throttled {
            retry_after_seconds: 3600,
        }),
    }
}

/// The `?lang=…` suffix keeping the page's language across a form post.
pub fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "",
        Lang::En => "?lang=en",
    }
}

/// A whole page: the head every page has, the brand, the title and `body`.
pub fn layout(lang: Lang, title: &str, body: Markup) -> Markup {
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
