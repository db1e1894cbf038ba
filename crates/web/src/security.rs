//! What every response carries and every request is held to: security
//! headers, `Cache-Control: no-store` unless said otherwise, the body size limit, and JSON errors on the API whatever
//! produced them.

use crate::error::ApiError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// Largest request body accepted: 2 MiB.
pub(crate) const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Largest import upload accepted (`POST /import`, the file plus the form).
pub(crate) const IMPORT_BODY_LIMIT: usize = crate::routes::import::MAX_IMPORT_BYTES as usize + 64 * 1024;

/// Largest evidence file upload accepted (the file plus the form around it).
pub(crate) const EVIDENCE_BODY_LIMIT: usize = veza_app::MAX_EVIDENCE_BYTES + 64 * 1024;

/// The content security policy: nothing inline, nothing from elsewhere.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Wraps `router` in the body limit, the API error net and the security
/// headers (outermost, so that they are on every response, errors included).
pub(crate) fn protect(router: Router) -> Router {
    let headers: [(HeaderName, &'static str); 4] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = router
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(limit_body))
        .layer(middleware::from_fn(api_errors_as_json));
    for (name, value) in headers {
        // A handler may set a stricter policy (evidence downloads: a sandbox).
        router = if name == header::CONTENT_SECURITY_POLICY {
            router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)))
        } else {
            router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
        };
    }
    // Pages and API answers carry personal data: no cache keeps them, unless
    // a response (a static asset) says otherwise.
    router.layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// Holds every request body to [`BODY_LIMIT`], except evidence uploads
/// (`POST /cases/{id}/evidence`), held to [`EVIDENCE_BODY_LIMIT`], and
/// import uploads (`POST /import`), held to [`IMPORT_BODY_LIMIT`]. A body
/// announced larger is refused at once with 413.
async fn limit_body(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let post = request.method() == axum::http::Method::POST;
    let evidence = post && path.starts_with("/cases/") && path.ends_with("/evidence");
    let import = post && path == "/import";
    let limit = if evidence {
        EVIDENCE_BODY_LIMIT
    } else if import {
        IMPORT_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let announced =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        let message = if evidence {
            "the file is larger than 25 MiB: evidence files are kept up to 25 MiB each\n"
        } else if import {
            "the file is larger than 200 MiB: split it, or import it with `veza import` on the server\n"
        } else {
            "the request body is larger than 2 MiB\n"
        };
        return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    }
    let request = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// Whether `path` belongs to the JSON API (including yente's `/match/…`).
pub(crate) fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/healthz" || path.starts_with("/match/")
}

/// Makes sure an API client gets the error shape it was promised even when
/// the error comes from below the handlers (a body over the limit, a method
/// the route does not have, a path that cannot be decoded): any error
/// response on an API path that is not JSON is replaced by a JSON error with
/// the same status. 422 never leaves the API: it becomes 400.
async fn api_errors_as_json(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json && status != StatusCode::UNPROCESSABLE_ENTITY {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut replaced = ApiError::from_status(status).into_response();
    if let Some(allow) = allow {
        replaced.headers_mut().insert(header::ALLOW, allow);
    }
    replaced
}
