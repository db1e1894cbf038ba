//! Veza's HTTP face: the versioned JSON API under `/api/v1`, its OpenAPI
//! document, and the server-rendered workspace (search and entity pages).
//!
//! The face is thin: every route turns HTTP into one call on
//! [`veza_app::Veza`] and the result into JSON or HTML. Who is asking is
//! decided in one place, the [`CurrentCaller`] extractor.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = veza_app::Veza::open("sqlite::memory:").await?;
//! veza_web::serve(app, "127.0.0.1:8080".parse()?, veza_web::WebOptions { demo: true }).await?;
//! # Ok(()) }
//! ```

mod assets;
mod caller;
mod error;
mod json;
mod openapi;
mod routes;
mod security;
mod views;

pub use caller::{CurrentCaller, LOCAL_WEB_CALLER};
pub use error::ApiError;
pub use routes::{API_ROUTES, ApiRoute};

use axum::Router;
use std::net::SocketAddr;
use tower_http::trace::TraceLayer;
use veza_app::Veza;

/// How the web face presents itself.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// A local demo on synthetic data: the banner warns against loading
    /// real personal data.
    pub demo: bool,
}

impl WebOptions {
    /// The banner every page shows while there is no sign-in.
    pub fn banner(&self) -> &'static str {
        if self.demo {
            "Local demo without sign-in — do not load real personal data"
        } else {
            "No sign-in configured: serve on loopback only"
        }
    }
}

/// What every handler can reach: the platform and the options.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) app: Veza,
    pub(crate) opts: WebOptions,
}

/// The whole HTTP face as one router: API, OpenAPI document, pages and
/// assets, with security headers, a 2 MiB body limit and request tracing.
pub fn router(app: Veza, opts: WebOptions) -> Router {
    let state = AppState { app, opts };
    let routes = routes::api::router().merge(routes::pages::router()).with_state(state);
    security::protect(routes).layer(TraceLayer::new_for_http())
}

/// Serves [`router`] on `bind` until Ctrl-C, then finishes the requests in
/// flight and returns.
pub async fn serve(app: Veza, bind: SocketAddr, opts: WebOptions) -> std::io::Result<()> {
    if !bind.ip().is_loopback() {
        tracing::warn!(%bind, "serving without sign-in on a non-loopback address: anyone who can reach it sees everything");
    }
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(address = %listener.local_addr()?, backend = app.backend().as_str(), "veza web listening");
    axum::serve(listener, router(app, opts)).with_graceful_shutdown(shutdown_signal()).await
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
