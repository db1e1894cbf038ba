//! Who is asking. Every handler that reads or writes data takes a
//! [`CurrentCaller`]; this is the one place that decides it, so that
//! the routes never see credentials.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use veza_app::{Access, Caller, Purpose};

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
        let Some(identified) = parts.extensions.get::<Caller>() else {
            return Err(crate::auth::unauthenticated_api());
        };
        // The exercise a user acts in was checked and set by the
        // authentication layer (`routes::exercise::realm`).
        let caller = identified.clone();
        Ok(CurrentCaller(caller))
    }
}

/// The header in which a client says it acts in a table-top exercise: it
/// then sees and writes only that exercise's records, never real ones.
pub const EXERCISE_HEADER: &str = "x-exercise";

/// The exercise a request says it acts in, if any; `Err` for a malformed header.
pub(crate) fn stated_exercise(headers: &axum::http::HeaderMap) -> Result<Option<String>, crate::ApiError> {
    let Some(value) = headers.get(EXERCISE_HEADER) else { return Ok(None) };
    let text = std::str::from_utf8(value.as_bytes()).unwrap_or("").trim();
    if !veza_model::valid_exercise_id(text) {
        return Err(crate::ApiError::invalid(
            Some("X-Exercise"),
            "X-Exercise names an exercise: 1–64 letters, digits, '-', '_' or '.'",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The purpose of the current request when it is not in an `X-Purpose`
/// header: the one an API token was issued for (put into the extensions by
/// the authentication layer), or one a test put there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedPurpose(pub Purpose);

/// The header in which API clients state why they read personal data.
pub const PURPOSE_HEADER: &str = "x-purpose";
/// The cookie that keeps the purpose a user gave on the purpose page.
pub const PURPOSE_COOKIE: &str = "__Host-veza_purpose";

/// Who is asking and why: the caller (see [`CurrentCaller`]) and the
/// purpose from, in this order, the `X-Purpose` header, the API token's
/// stated purpose, or the purpose cookie of the pages. A missing purpose is
/// not refused here: the use case refuses and logs it (428 on the API, the
/// purpose form on the pages). A malformed `X-Purpose` is a 400.
///
/// An [`Access`] in the extensions wins: only the in-process benchmark puts
/// one there ([`Access::unaudited_for_benchmark`]); clients cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentAccess(pub Access);

/// The purpose a request states, if any; `Err` for a malformed header.
pub(crate) fn stated_purpose(parts: &Parts) -> Result<Option<Purpose>, crate::ApiError> {
    if let Some(value) = parts.headers.get(PURPOSE_HEADER) {
        let text = std::str::from_utf8(value.as_bytes())
            .map_err(|_| crate::ApiError::invalid(Some("X-Purpose"), "X-Purpose must be UTF-8 text"))?;
        return Purpose::parse(text)
            .map(Some)
            .map_err(|e| crate::ApiError::invalid(Some("X-Purpose"), format!("X-Purpose: {e}")));
    }
    if let Some(StatedPurpose(p)) = parts.extensions.get::<StatedPurpose>() {
        return Ok(Some(p.clone()));
    }
    Ok(cookie_purpose(&parts.headers))
}

/// The purpose kept in the purpose cookie, if any.
pub(crate) fn cookie_purpose(headers: &axum::http::HeaderMap) -> Option<Purpose> {
    let raw = crate::auth::cookie(headers, PURPOSE_COOKIE)?;
    let text: String =
        url::form_urlencoded::parse(format!("p={raw}").as_bytes()).map(|(_, v)| v.into_owned()).next()?;
    Purpose::parse(&text).ok()
}

/// The `Set-Cookie` value that keeps `purpose` for the browser session.
pub(crate) fn purpose_cookie(purpose: &Purpose) -> axum::http::HeaderValue {
    let encoded: String = url::form_urlencoded::byte_serialize(purpose.as_str().as_bytes()).collect();
    axum::http::HeaderValue::from_str(&format!("{PURPOSE_COOKIE}={encoded}; Path=/; Secure; HttpOnly; SameSite=Strict"))
        .unwrap_or_else(|_| {
            axum::http::HeaderValue::from_static("__Host-veza_purpose=; Path=/; Secure; HttpOnly; SameSite=Strict")
        })
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentAccess {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(access) = parts.extensions.get::<Access>() {
            return Ok(CurrentAccess(access.clone()));
        }
        let CurrentCaller(caller) = CurrentCaller::from_request_parts(parts, state).await?;
        let purpose = stated_purpose(parts).map_err(axum::response::IntoResponse::into_response)?;
        Ok(CurrentAccess(Access::new(caller, purpose)))
    }
}
