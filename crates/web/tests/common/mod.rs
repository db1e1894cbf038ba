//! Shared set-up of the web tests: a seeded in-memory platform and a way to
//! send one request to the router.

#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use veza_app::{Caller, NewEntity, Veza};
use veza_web::{WebOptions, router};

/// Ids of the seeded entities.
pub const MARKO: &str = "test.marko";
pub const ANA: &str = "test.ana";
pub const FAMILY: &str = "test.family";
pub const PASSPORT: &str = "test.passport";
/// Owned by the local agency, visible to it only, existence known to others.
pub const SECRET_KNOWN: &str = "test.secret-known";
/// Owned by the local agency, visible to it only, existence hidden.
pub const SECRET_HIDDEN: &str = "test.secret-hidden";

fn new_entity(value: Value) -> NewEntity {
    serde_json::from_value(value).expect("seed entity is valid NewEntity JSON")
}

/// A platform in memory with two people, a family link between them, a
/// passport, and two records restricted to the local agency.
pub async fn seeded() -> Veza {
    let app = Veza::open("sqlite::memory:").await.expect("in-memory store opens");
    let caller = Caller::system("test seed");
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
    ];
    for seed in seeds {
        app.create_entity(&caller, new_entity(seed)).await.expect("seed entity is stored");
    }
    app
}

/// The router over a seeded platform, acting as the local operator.
pub async fn app() -> Router {
    router(seeded().await, WebOptions::default())
}

/// The router over a seeded platform, acting as a user of another agency
/// (as an authentication layer would make it).
pub async fn app_as_outsider() -> Router {
    let outsider = Caller::User { username: "officer".into(), agency: "rs-bp".into(), country: "rs".into() };
    router(seeded().await, WebOptions::default()).layer(axum::Extension(outsider))
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
