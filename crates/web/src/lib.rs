//! Veza's HTTP face: the versioned JSON API under `/api/v1`, its OpenAPI
//! document, and the server-rendered workspace (search and entity pages).
//!
//! The face is thin: every route turns HTTP into one call on
//! [`veza_app::Veza`] and the result into JSON or HTML. Who is asking is
//! decided in one place: the authentication layer (`auth`) identifies the
//! session or token, and handlers read it through the [`CurrentCaller`]
//! extractor.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = veza_app::Veza::open("sqlite::memory:").await?;
//! veza_web::serve(app, "127.0.0.1:8080".parse()?, veza_web::WebOptions { demo: true }).await?;
//! # Ok(()) }
//! ```

mod assets;
mod auth;
mod caller;
mod error;
pub mod field;
pub mod i18n;
mod imports;
mod json;
pub mod model_labels;
mod openapi;
mod routes;
mod security;
mod views;

pub use auth::{CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE};
pub use caller::{CurrentAccess, CurrentCaller, PURPOSE_COOKIE, PURPOSE_HEADER, StatedPurpose};
pub use error::ApiError;
pub use routes::{API_ROUTES, ApiRoute, PAGE_ROUTES, PageRoute};

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::trace::TraceLayer;
use veza_app::Veza;

/// How the web face presents itself.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// A demo on synthetic data: the banner warns against loading real
    /// personal data.
    pub demo: bool,
}

impl WebOptions {
    /// The banner every page shows, if any: in demo mode, the warning
    /// against real data. Sign-in is always enforced, so there is no other.
    pub fn banner(&self) -> Option<&'static str> {
        self.demo.then_some("Demo with synthetic data — do not load real personal data")
    }
}

/// What every handler can reach: the platform, the options and the log-in
/// rate limiter.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) app: Veza,
    pub(crate) opts: WebOptions,
    pub(crate) limiter: Arc<auth::LoginLimiter>,
    /// Files uploaded for import, and their imports.
    pub(crate) uploads: imports::SharedUploads,
    /// The search page's filter counts per caller, kept a minute.
    pub(crate) filter_counts: Arc<views::search::FilterCounts>,
}

/// The whole HTTP face as one router: API, OpenAPI document, pages and
/// assets, behind the authentication layer, with security headers, a 2 MiB
/// body limit and request tracing.
///
/// Serve it with `into_make_service_with_connect_info::<SocketAddr>()` so
/// that log-in attempts are limited per client address too (as [`serve`]
/// does); without it they are limited per user name only.
pub fn router(app: Veza, opts: WebOptions) -> Router {
    let state = AppState {
        app,
        opts,
        limiter: Arc::new(auth::LoginLimiter::new()),
        uploads: Arc::new(imports::Uploads::default()),
        filter_counts: Arc::new(views::search::FilterCounts::default()),
    };
    let routes = routes::api::router()
        .merge(routes::pages::router())
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .with_state(state);
    security::protect(routes).layer(TraceLayer::new_for_http())
}

/// Serves [`router`] on `bind` until Ctrl-C, then finishes the requests in
/// flight and returns.
pub async fn serve(app: Veza, bind: SocketAddr, opts: WebOptions) -> std::io::Result<()> {
    if !bind.ip().is_loopback() {
        tracing::warn!(%bind, "serving plain HTTP beyond loopback: put a TLS-terminating proxy in front");
    }
    routes::exercise::start_ticker(app.clone());
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(address = %listener.local_addr()?, backend = app.backend().as_str(), "veza web listening");
    axum::serve(listener, router(app, opts).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves when the process receives Ctrl-C (SIGINT).
async fn shutdown_signal() {
    match tokio::signal::ctrl_c().await {
        Ok(()) => tracing::info!("Ctrl-C received: shutting down"),
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for Ctrl-C; serving until killed");
            std::future::pending::<()>().await
        }
    }
}
