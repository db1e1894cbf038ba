//! Who is asking. Every handler that reads or writes data takes a
//! [`CurrentCaller`]; this is the one place that decides it, so that
//! the routes never see credentials.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use veza_app::Caller;

/// The caller of the current request.
///
/// The authentication layer (`auth::authenticate`) puts the signed-in
/// user's [`Caller`] into the request's extensions (extensions never come
/// from the wire, so a client cannot set one); a test may put one there
/// itself. A request without one is refused: 401 on the API, a redirect to
/// the log-in page elsewhere — the layer does that first, so this rejection
/// only guards a route mistakenly left public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for CurrentCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Caller>() {
            Some(identified) => Ok(CurrentCaller(identified.clone())),
            None => Err(crate::auth::unauthenticated_api()),
        }
    }
}
