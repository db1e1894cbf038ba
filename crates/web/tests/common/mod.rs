//! Shared set-up of the web tests: a seeded in-memory platform and a way to
//! send one request to the router.

#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use veza_app::{Access, Caller, Clock, HashCost, IdentityConfig, NewEntity, Purpose, Role, Veza};
use veza_store::Agency;
use veza_web::{StatedPurpose, WebOptions, router};

/// Ids of the seeded entities.
pub const MARKO: &str = "test.marko";
pub const ANA: &str = "test.ana";
pub const FAMILY: &str = "test.family";
pub const PASSPORT: &str = "test.passport";
/// A case of the local agency.
pub const CASE: &str = "test.case";
/// Owned by the local agency, visible to it only, existence known to others.
pub const SECRET_KNOWN: &str = "test.secret-known";
/// Owned by the local agency, visible to it only, existence hidden.
pub const SECRET_HIDDEN: &str = "test.secret-hidden";

fn new_entity(value: Value) -> NewEntity {
    serde_json::from_value(value).expect("seed entity is valid NewEntity JSON")
}

/// The password of every test user.
pub const PW: &str = "correct horse battery";
/// A border officer of agency A (`rs-bp`, Serbia).
pub const BORDER_A: &str = "border.a";
/// An analyst of agency B (`mk-thb`, North Macedonia).
pub const ANALYST_B: &str = "analyst.b";

/// Identity settings for tests: a cheap hash, and `clock` if given.
pub fn test_identity(clock: Option<Clock>) -> IdentityConfig {
    IdentityConfig {
        hash_cost: HashCost::TEST_ONLY,
        clock: clock.unwrap_or_else(Clock::system),
        ..IdentityConfig::default()
    }
}

/// A platform in memory with two people, a family link between them, a
/// passport, two records restricted to the local agency, agencies A and B
/// and one user in each ([`BORDER_A`], [`ANALYST_B`], password [`PW`]).
pub async fn seeded() -> Veza {
    seeded_with(None).await
}

/// [`seeded`] with the given clock for sessions and lock-outs.
pub async fn seeded_with(clock: Option<Clock>) -> Veza {
    let app = Veza::open_with("sqlite::memory:", test_identity(clock)).await.expect("in-memory store opens");
    for (code, name, country, kind) in [
        ("rs-bp", "Serbia Border Police", "rs", "border_police"),
        ("mk-thb", "North Macedonia THB unit", "mk", "thb_unit"),
    ] {
        let agency = Agency { code: code.into(), name: name.into(), country: country.into(), kind: kind.into() };
        app.store().put_agency(&agency).await.expect("agency stored");
    }
    app.add_user(BORDER_A, "Border officer A", "rs-bp", &[Role::BorderOfficer], PW).await.expect("user A");
    app.add_user(ANALYST_B, "Analyst B", "mk-thb", &[Role::Analyst], PW).await.expect("user B");
    let caller = Access::new(Caller::system("test seed"), None);
    let seeds = [
        json!({"id": MARKO, "schema": "Person", "properties": {
            "name": ["Marko Petrović"], "nationality": ["rs"], "birthDate": ["1987-03-14"]}}),
        json!({"id": ANA, "schema": "Person", "properties": {"name": ["Ana Kovač"], "country": ["ba"]},
            "handling": {"visibility": "all", "caveats": ["Not for judicial use without the owner's consent"]}}),
        json!({"id": FAMILY, "schema": "Family", "properties": {
            "person": [MARKO], "relative": [ANA], "relationship": ["sister"]}}),
        json!({"id": PASSPORT, "schema": "Passport", "properties": {
            "holder": [MARKO], "number": ["AB1234567"], "country": ["rs"]}}),
        json!({"id": SECRET_KNOWN, "schema": "Person", "properties": {"name": ["Known Secret"]},
            "handling": {"visibility": "agency", "existence_visible": true}}),
        json!({"id": SECRET_HIDDEN, "schema": "Person", "properties": {"name": ["Hidden Secret"]},
            "handling": {"visibility": "agency", "existence_visible": false}}),
        json!({"id": CASE, "schema": "Case", "properties": {"name": ["Test case"]}}),
    ];
    for seed in seeds {
        app.create_entity(&caller, new_entity(seed)).await.expect("seed entity is stored");
    }
    app
}

/// `router` acting as the local operator, as if signed in (a test hook:
/// a caller in the extensions wins over authentication).
pub fn as_operator(router: Router) -> Router {
    router.layer(axum::Extension(Caller::system("test operator")))
}

/// The router over a seeded platform, acting as the local operator.
pub async fn app() -> Router {
    as_operator(router(seeded().await, WebOptions::default()))
}

/// The router over a seeded platform with nobody signed in: requests
/// authenticate for themselves.
pub async fn anonymous_app() -> Router {
    router(seeded().await, WebOptions::default())
}

/// Logs in through `POST /api/v1/auth/login`; returns (token, csrf token,
/// the Cookie header a browser would send back).
pub async fn login(router: &Router, username: &str, password: &str) -> (String, String, String) {
    let a = post_json(router, "/api/v1/auth/login", &json!({"username": username, "password": password})).await;
    assert_eq!(a.status, StatusCode::OK, "log-in of {username}: {}", a.text());
    let v = a.json();
    let token = v["token"].as_str().expect("token").to_owned();
    let csrf = v["csrf_token"].as_str().expect("csrf_token").to_owned();
    let cookies: Vec<String> = a
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect();
    (token, csrf, cookies.join("; "))
}

/// A request to `uri` with `method`, extra headers and an optional body.
pub async fn request(
    router: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = match body {
        Some((ct, b)) => {
            req = req.header(header::CONTENT_TYPE, ct);
            Body::from(b)
        }
        None => Body::empty(),
    };
    send(router, req.body(body).expect("request builds")).await
}

/// The router over a seeded platform, acting as a user of another agency
/// (as an authentication layer would make it).
pub async fn app_as_outsider() -> Router {
    let outsider = Caller::user(BORDER_A, "rs-bp", "rs", &[]);
    router(seeded().await, WebOptions::default())
        .layer(axum::Extension(outsider))
        .layer(axum::Extension(StatedPurpose(Purpose::parse(TEST_PURPOSE).expect("valid purpose"))))
}

/// The router over a seeded platform, acting as a user of another agency
/// who states no purpose.
pub async fn app_without_purpose() -> Router {
    let outsider = Caller::user(BORDER_A, "rs-bp", "rs", &[]);
    router(seeded().await, WebOptions::default()).layer(axum::Extension(outsider))
}

/// The purpose test users state.
pub const TEST_PURPOSE: &str = "case TEST-1";

/// `access` for a user of the tests, with [`TEST_PURPOSE`].
pub fn with_purpose(caller: Caller) -> Access {
    Access::with_purpose(caller, TEST_PURPOSE).expect("valid purpose")
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the API error shape and returns (code, field).
    pub fn error(&self) -> (String, Option<String>) {
        let v = self.json();
        let err = v.get("error").and_then(Value::as_object).unwrap_or_else(|| panic!("no error object: {v}"));
        let allowed = ["code", "message", "field"];
        assert!(err.keys().all(|k| allowed.contains(&k.as_str())), "unexpected members in {v}");
        assert!(v.as_object().map(|o| o.len()) == Some(1), "error envelope has extra members: {v}");
        let message = err.get("message").and_then(Value::as_str).unwrap_or_default();
        assert!(!message.is_empty(), "error without message: {v}");
        let code = err.get("code").and_then(Value::as_str).expect("error code").to_owned();
        (code, err.get("field").and_then(Value::as_str).map(str::to_owned))
    }
}

/// Sends `request` to `router`.
pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("the body is readable").to_bytes();
    Answer { status, headers, body }
}

/// `GET uri`.
pub async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).expect("request builds")).await
}

/// `GET uri` with extra headers.
pub async fn get_with(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(router, req.body(Body::empty()).expect("request builds")).await
}

/// `POST uri` with a JSON body.
pub async fn post_json(router: &Router, uri: &str, body: &Value) -> Answer {
    post_raw(router, uri, Some("application/json"), body.to_string()).await
}

/// `POST uri` with any body and content type.
pub async fn post_raw(router: &Router, uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Answer {
    let mut req = Request::builder().method(Method::POST).uri(uri);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    send(router, req.body(body.into()).expect("request builds")).await
}
