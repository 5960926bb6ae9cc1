//! The application: shared state, the router with its layers, and a running server.

use crate::config::Config;
use crate::error::{render_errors, ApiError};
use crate::http;
use crate::reference::Reference;
use crate::store::Store;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::get;
use axum::{Json, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

pub use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "ouen API", description = "Public-health surge workforce: roster, dispatch, shifts, reports, trainings, postings."),
    components(schemas(ouen_shared::ErrorBody, ouen_shared::FieldError, ouen_shared::ErrorCode)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The OpenAPI description of every route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = crate::routes::api().split_for_parts();
    describe(api)
}

/// The whole description: the routes' own, merged into the document and completed.
fn describe(routes: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(routes);
    crate::openapi::complete(&mut doc);
    doc
}

/// Builds the router with every layer.
pub fn router(state: AppState) -> Router {
    let (api, described) = crate::routes::api().split_for_parts();
    let doc = Arc::new(describe(described));
    let timeout = Duration::from_secs(state.config.http.request_timeout_seconds.max(1));
    let body_limit = state.config.http.body_limit_bytes;
    let layers = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
        ]))
        .layer(axum::middleware::from_fn(http::request_id::assign))
        .layer(axum::middleware::from_fn(http::access_log::log))
        .layer(axum::middleware::from_fn(http::headers::secure))
        .layer(axum::middleware::from_fn(render_errors))
        .layer(axum::middleware::from_fn(http::limits::enforce))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::new(timeout))
        .layer(DefaultBodyLimit::max(body_limit));
    Router::new()
        .merge(api)
        .merge(crate::routes::unsubscribe::router())
        .merge(crate::routes::page::router())
        .merge(crate::routes::dispatch_answer::router())
        .merge(crate::routes::report_page::router())
        .route(
            "/api/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
        .layer(layers)
}

/// A server running on a background task.
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    /// Closed on stop, so that open event streams end and requests in flight can finish.
    events: Arc<crate::live::Hub>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The live-update hub of this server (e.g. to see how many streams are open).
    pub fn events(&self) -> &Arc<crate::live::Hub> {
        &self.events
    }

    /// Stops accepting, lets requests in flight finish, and waits for the end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.events.close();
        let _ = (&mut self.task).await;
    }
}

/// Serves `state` on `listener` on a background task until [`RunningServer::stop`].
pub fn spawn(listener: TcpListener, state: AppState) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let events = Arc::clone(&state.events);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        events,
        task,
    })
}

/// Connects the store and builds the state for a configuration.
pub async fn state_for(config: Config) -> Result<AppState, ApiError> {
    config.check().map_err(ApiError::Config)?;
    crate::auth::password::gate().set_queue_limit(config.security.password_hash_queue);
    let url = config.database_url().map_err(ApiError::Config)?;
    let store = Store::connect(&url).await?;
    let events = crate::live::Hub::start(store.clone(), config.events.clone()).await?;
    Ok(AppState {
        events,
        store,
        config: Arc::new(config),
        reference: Arc::new(Reference::load()),
    })
}
