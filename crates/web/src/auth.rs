//! Who is signed in, decided once per request below every route: a bearer
//! token (`vzs_…` session or `vzt_…` API token) or the session cookie; the
//! CSRF check for cookie-authenticated state changes; the log-in rate
//! limiter; and the cookies themselves.

use crate::AppState;
use crate::error::ApiError;
use crate::security::{BODY_LIMIT, is_api_path};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use veza_app::{API_TOKEN_PREFIX, AuthError, AuthenticatedUser, Caller, SESSION_PREFIX, Session};

/// The session cookie: HttpOnly, Secure, SameSite=Strict, host-only.
pub const SESSION_COOKIE: &str = "__Host-veza_session";
/// The CSRF cookie (double submit): readable by the page, sent back in the
/// `X-CSRF-Token` header or the `csrf` form field.
pub const CSRF_COOKIE: &str = "__Host-veza_csrf";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// How the current request proved who it is.
#[derive(Debug, Clone)]
pub(crate) enum Credential {
    /// The session cookie, with the session token.
    Cookie(String),
    /// A session token as a bearer token.
    BearerSession(String),
    /// An API token as a bearer token.
    ApiToken,
}

/// The signed-in user of the current request (in the request's extensions).
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) user: AuthenticatedUser,
    pub(crate) via: Credential,
    /// The purpose the API token was issued for, if any.
    pub(crate) token_purpose: Option<String>,
    /// The operation (and checkpoint) a terminal's API token is limited to.
    pub(crate) terminal: Option<veza_app::operations::Terminal>,
}

/// The signed-in user, if any (none for public routes and for callers a
/// test put into the extensions).
pub(crate) struct MaybeSignedIn(pub(crate) Option<SignedIn>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeSignedIn {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(parts.extensions.get::<SignedIn>().cloned()))
    }
}

/// The client's address as the listener saw it (no `X-Forwarded-For`: it
/// can be forged); `unknown` when the server was not started with it.
pub(crate) struct ClientIp(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(ClientIp(ip.unwrap_or_else(|| "unknown".into())))
    }
}

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A new random CSRF token: 256 bits, hex.
pub(crate) fn new_csrf_token() -> String {
    let mut bytes = [0u8; 32];
    if let Err(e) = getrandom::fill(&mut bytes) {
        // Without randomness no token can be trusted: fail closed.
        panic!("the operating system's random number generator failed: {e}");
    }
    hex::encode(bytes)
}

/// Compares two tokens in time that depends on their lengths only.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn header_value(s: String) -> HeaderValue {
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` for a new session.
pub(crate) fn session_cookie(session: &Session) -> HeaderValue {
    let max_age = (session.expires_at - chrono::Utc::now()).num_seconds().max(0);
    header_value(format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}",
        session.token
    ))
}

/// `Set-Cookie` for the CSRF token (not HttpOnly: the page may read it).
pub(crate) fn csrf_cookie(token: &str) -> HeaderValue {
    header_value(format!("{CSRF_COOKIE}={token}; Path=/; Secure; SameSite=Strict"))
}

/// `Set-Cookie` headers that remove the session, CSRF and purpose cookies.
pub(crate) fn cleared_cookies() -> [HeaderValue; 3] {
    [
        HeaderValue::from_static("__Host-veza_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
        HeaderValue::from_static("__Host-veza_csrf=; Path=/; Secure; SameSite=Strict; Max-Age=0"),
        HeaderValue::from_static("__Host-veza_purpose=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
    ]
}

/// Adds the session and a fresh CSRF cookie to `response`.
pub(crate) fn set_session_cookies(response: &mut Response, session: &Session, csrf: &str) {
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session_cookie(session));
    headers.append(header::SET_COOKIE, csrf_cookie(csrf));
}

/// Where to go after log-in: a relative path on this site, else `/`.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Paths anyone may reach without signing in.
fn is_public(path: &str) -> bool {
    matches!(path, "/healthz" | "/api/v1/auth/login" | "/api/v1/openapi.json" | "/login")
        || path.starts_with("/assets/")
        || path.starts_with("/certificates/verify/")
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// The API's 401, with `WWW-Authenticate: Bearer`.
pub(crate) fn unauthenticated_api() -> Response {
    let mut r = ApiError::unauthenticated().into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"veza\""));
    r
}

fn redirect_to_login(request: &Request) -> Response {
    let next = if request.method() == Method::GET {
        request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into())
    } else {
        "/".into()
    };
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    let location = if next == "%2F" { "/login".to_owned() } else { format!("/login?next={next}") };
    (StatusCode::SEE_OTHER, [(header::LOCATION, header_value(location))]).into_response()
}

/// Who the credentials in `headers` prove; `Ok(None)` when there are none or
/// they are not valid.
async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, ApiError> {
    let app = &state.app;
    let ok_or_none = |r: Result<AuthenticatedUser, AuthError>, via: Credential| match r {
        Ok(user) => Ok(Some(SignedIn { user, via, token_purpose: None, terminal: None })),
        Err(AuthError::Internal(e)) => Err(ApiError::from(e)),
        Err(_) => Ok(None),
    };
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        // A request that brings a bearer token stands or falls with it.
        // yente's clients send API keys as `ApiKey …`: the same tokens.
        let text = auth.to_str().ok();
        let bearer = text.and_then(|v| v.strip_prefix("Bearer "));
        let api_key = text.and_then(|v| v.strip_prefix("ApiKey ")).filter(|t| t.trim().starts_with(API_TOKEN_PREFIX));
        let Some(token) = bearer.or(api_key).map(str::trim) else {
            return Ok(None);
        };
        if token.starts_with(SESSION_PREFIX) {
            return ok_or_none(app.authenticate_session(token).await, Credential::BearerSession(token.to_owned()));
        }
        if token.starts_with(API_TOKEN_PREFIX) {
            return match app.authenticate_token(token).await {
                Ok(t) => Ok(Some(SignedIn {
                    terminal: veza_app::operations::Terminal::from_scopes(&t.name, &t.scopes),
                    user: t.user,
                    via: Credential::ApiToken,
                    token_purpose: t.purpose,
                })),
                Err(AuthError::Internal(e)) => Err(ApiError::from(e)),
                Err(_) => Ok(None),
            };
        }
        return Ok(None);
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(token) if token.starts_with(SESSION_PREFIX) => {
            ok_or_none(app.authenticate_session(&token).await, Credential::Cookie(token))
        }
        _ => Ok(None),
    }
}

/// The CSRF token a form body carries, if it is a form.
fn form_csrf(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return None;
    }
    url::form_urlencoded::parse(body).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned())
}

/// Whether the body is `multipart/form-data`.
fn is_multipart(headers: &HeaderMap) -> bool {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data")
}

fn csrf_failure(api: bool) -> Response {
    let e = ApiError::csrf();
    if api { e.into_response() } else { (e.status, format!("{}\n", e.message)).into_response() }
}

/// The authentication layer: identifies the caller, refuses anonymous
/// requests (401 on the API, a redirect to the log-in page elsewhere) and
/// holds cookie-authenticated state changes to the CSRF check. A [`Caller`]
/// already in the extensions (put there by a test) is used as it is.
pub(crate) async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.extensions().get::<Caller>().is_some() || is_public(request.uri().path()) {
        return next.run(request).await;
    }
    let api = is_api_path(request.uri().path());
    let signed_in = match identify(&state, request.headers()).await {
        Ok(Some(s)) => s,
        Ok(None) if api => return unauthenticated_api(),
        Ok(None) => return redirect_to_login(&request),
        Err(e) => return e.into_response(),
    };
    if matches!(signed_in.via, Credential::Cookie(_)) && changes_state(request.method()) {
        let expected = cookie(request.headers(), CSRF_COOKIE).unwrap_or_default();
        let sent = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let sent = match sent {
            Some(s) => s,
            // A file upload (multipart, up to 25 MiB): the token is in the
            // form's action, `?csrf=`, so the file is not read twice.
            None if is_multipart(request.headers()) => request
                .uri()
                .query()
                .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == CSRF_FIELD))
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default(),
            None => {
                // A form: read the body (already held to the size limit) for the field.
                let (parts, body) = request.into_parts();
                let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
                    Ok(b) => b,
                    Err(_) => return ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
                };
                let field = form_csrf(&parts.headers, &bytes).unwrap_or_default();
                request = Request::from_parts(parts, Body::from(bytes));
                field
            }
        };
        if !same_token(&expected, &sent) {
            return csrf_failure(api);
        }
    }
    // A terminal's token is good for its operation's checks and nothing else.
    if let Some(t) = &signed_in.terminal {
        if !crate::routes::operations::terminal_may_reach(t, request.method(), request.uri().path()) {
            return ApiError::from(veza_app::AppError::Forbidden(
                "a checkpoint terminal's token only sends checks to its operation".into(),
            ))
            .into_response();
        }
        request.extensions_mut().insert(t.clone());
    }
    let caller = match crate::routes::exercise::realm(&state, signed_in.user.caller(), request.headers()).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    request.extensions_mut().insert(caller);
    if let Some(p) = signed_in.token_purpose.as_deref().and_then(|p| veza_app::Purpose::parse(p).ok()) {
        request.extensions_mut().insert(crate::caller::StatedPurpose(p));
    }
    request.extensions_mut().insert(signed_in);
    next.run(request).await
}

/// At most `max` log-in attempts per key (client address, user name) in a
/// fixed window; in memory, pruned as it grows.
pub(crate) struct LoginLimiter {
    max: u32,
    window: Duration,
    buckets: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginLimiter {
    /// Ten attempts a minute.
    pub(crate) fn new() -> Self {
        LoginLimiter { max: 10, window: Duration::from_secs(60), buckets: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt under every key, or refuses it with the seconds to
    /// wait when any key has used up its window.
    pub(crate) fn attempt(&self, keys: &[String]) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 4096 {
            map.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let mut wait = None;
        for key in keys {
            if let Some((start, count)) = map.get(key) {
                let elapsed = now.duration_since(*start);
                if elapsed < self.window && *count >= self.max {
                    let secs = (self.window - elapsed).as_secs().max(1);
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        if let Some(w) = wait {
            return Err(w);
        }
        for key in keys {
            let entry = map.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(entry.0) >= self.window {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
        Ok(())
    }
}

/// The limiter keys of one attempt.
pub(crate) fn limiter_keys(ip: &str, username: &str) -> [String; 2] {
    [format!("ip:{ip}"), format!("user:{}", username.trim().to_lowercase())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_the_site() {
        assert_eq!(safe_next(Some("/entities/x?y=1")), "/entities/x?y=1");
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "evil", "", "/a\nb"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd") && !same_token("abc", "ab") && !same_token("", ""));
        assert_ne!(new_csrf_token(), new_csrf_token());
        assert_eq!(new_csrf_token().len(), 64);
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; __Host-veza_session=vzs_x; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("vzs_x"));
        assert_eq!(cookie(&h, CSRF_COOKIE), None);
    }

    #[test]
    fn the_limiter_allows_ten_a_minute_per_key() {
        let l = LoginLimiter::new();
        for _ in 0..10 {
            assert!(l.attempt(&limiter_keys("1.2.3.4", "ana")).is_ok());
        }
        let wait = l.attempt(&limiter_keys("5.6.7.8", "Ana")).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(l.attempt(&limiter_keys("5.6.7.8", "bob")).is_ok(), "another user from another address");
        assert!(l.attempt(&limiter_keys("1.2.3.4", "bob")).is_err(), "the address is spent");
    }
}
