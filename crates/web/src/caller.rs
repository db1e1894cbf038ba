//! Who is asking. Every handler that reads or writes data takes a
//! [`CurrentCaller`]; this is the one place that decides it, so that
//! authentication slots in here, below the routes, without touching them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;
use veza_app::Caller;

/// The name under which unauthenticated web requests act, in logs and audit.
pub const LOCAL_WEB_CALLER: &str = "web (local, unauthenticated)";

/// The caller of the current request.
///
/// A layer below the routes may identify the caller and put a [`Caller`]
/// into the request's extensions (extensions never come from the wire, so a
/// client cannot set one); that caller is used. Until sign-in exists no such
/// layer is installed and every request acts as the local operator,
/// `Caller::system("web (local, unauthenticated)")` — which is why every
/// page warns and `serve` warns when bound beyond loopback. When sign-in
/// lands, the fallback below becomes a rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for CurrentCaller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = match parts.extensions.get::<Caller>() {
            Some(identified) => identified.clone(),
            None => Caller::system(LOCAL_WEB_CALLER),
        };
        Ok(CurrentCaller(caller))
    }
}
