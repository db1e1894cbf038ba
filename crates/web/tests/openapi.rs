//! The OpenAPI document against what is served: the same routes both ways,
//! and real answers of every route with a documented status and a body that
//! fits the documented schema.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use veza_web::API_ROUTES;

/// The document as the API serves it; it must equal the YAML source.
async fn document() -> Value {
    let app = app().await;
    let a = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let served = a.json();
    let source: Value = serde_norway::from_str(include_str!("../openapi.yaml")).expect("openapi.yaml is valid YAML");
    assert_eq!(served, source, "openapi.json differs from openapi.yaml");
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["info"]["version"], env!("CARGO_PKG_VERSION"));
    served
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_is_served() {
    let doc = document().await;
    let paths = doc["paths"].as_object().expect("paths");
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .filter(|m| METHODS.contains(&m.as_str()))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> =
        API_ROUTES.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    assert_eq!(routed.len(), API_ROUTES.len(), "a route is listed twice");
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(undocumented.is_empty(), "routes missing from openapi.yaml: {undocumented:?}");
    assert!(unrouted.is_empty(), "documented but not routed: {unrouted:?}");

    // And the router really answers them: not the unknown-route 404, not 405.
    let app = app().await;
    for (method, path) in &documented {
        let uri = path.replace("{id}", MARKO);
        let req = Request::builder().method(method.as_str()).uri(&uri).body(Body::empty()).expect("request");
        let a = send(&app, req).await;
        assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(!a.text().contains("no API route"), "{method} {uri} is not routed: {}", a.text());
    }
}

#[tokio::test]
async fn every_operation_documents_its_errors_with_the_error_schema() {
    let doc = document().await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let responses = op["responses"].as_object().expect("responses");
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path}: no success response");
            for (status, response) in responses {
                let response = resolve(&doc, response);
                if !status.starts_with('2') {
                    let schema = &response["content"]["application/json"]["schema"];
                    assert_eq!(schema["$ref"], "#/components/schemas/Error", "{method} {path} {status}");
                }
            }
        }
    }
}

/// One real exchange: request, and the operation it belongs to.
struct Case {
    method: &'static str,
    path: &'static str,
    uri: String,
    body: Option<(Option<&'static str>, String)>,
    outsider: bool,
    anonymous: bool,
    purposeless: bool,
    expect: u16,
}

fn case(method: &'static str, path: &'static str, uri: impl Into<String>, expect: u16) -> Case {
    Case { method, path, uri: uri.into(), body: None, outsider: false, anonymous: false, purposeless: false, expect }
}

fn with_body(mut c: Case, content_type: Option<&'static str>, body: impl Into<String>) -> Case {
    c.body = Some((content_type, body.into()));
    c
}

fn as_outsider(mut c: Case) -> Case {
    c.outsider = true;
    c
}

/// As a signed-in user who states no purpose.
fn without_purpose(mut c: Case) -> Case {
    c.purposeless = true;
    c
}

fn anonymously(mut c: Case) -> Case {
    c.anonymous = true;
    c
}

fn cases() -> Vec<Case> {
    let login = "/api/v1/auth/login";
    let creds = |user: &str, pw: &str| json!({"username": user, "password": pw}).to_string();
    let entity = "/api/v1/entities/{id}";
    let links = "/api/v1/entities/{id}/links";
    let statements = "/api/v1/entities/{id}/statements";
    let create = "/api/v1/entities";
    let json = Some("application/json");
    let person = json!({"schema": "Person", "properties": {"name": ["Ivana Horvat"], "nationality": ["hr"]}});
    let members = "/api/v1/cases/{id}/members";
    let network = "/api/v1/entities/{id}/network";
    let network_export = "/api/v1/entities/{id}/network/export";
    let neighbours = "/api/v1/entities/{id}/neighbours";
    let case_network = "/api/v1/cases/{id}/network";
    let path = "/api/v1/network/path";
    let charts = "/api/v1/charts";
    let saved = "/api/v1/charts/{id}";
    let saved_export = "/api/v1/charts/{id}/export";
    let chart = json!({"title": "Ana's contacts", "anchor": "entity", "anchor_id": ANA,
        "layout": {"nodes": [{"id": ANA, "x": 1.5, "y": -2.0, "pinned": true}], "groups": []}});
    let member = "/api/v1/cases/{id}/members/{username}";
    let member_a = format!("/api/v1/cases/{CASE}/members/{BORDER_A}");
    let ask = "/api/v1/entities/{id}/access-requests";
    let requests = "/api/v1/access-requests";
    let decide = "/api/v1/access-requests/{id}/decision";
    let reason = json!({"reason": "case RS-2026-7"}).to_string();
    let refusal = json!({"grant": false, "reason": "not needed"}).to_string();
    vec![
        case("GET", "/healthz", "/healthz", 200),
        // Operations: the seeded platform has none, so each by-id route answers 404.
        case("GET", "/api/v1/operations", "/api/v1/operations", 200),
        case("GET", "/api/v1/operations/{id}", "/api/v1/operations/op-none", 404),
        with_body(
            case("POST", "/api/v1/operations/{id}/checks", "/api/v1/operations/op-none/checks", 404),
            json,
            json!({"checkpoint": "X", "person": {"name": "Ivana Horvat"}}).to_string(),
        ),
        case("GET", "/api/v1/operations/{id}/checks/{check_id}", "/api/v1/operations/op-none/checks/1", 404),
        case("GET", "/api/v1/operations/{id}/results", "/api/v1/operations/op-none/results", 404),
        case("GET", "/api/v1/operations/{id}/hits", "/api/v1/operations/op-none/hits", 404),
        with_body(
            case(
                "POST",
                "/api/v1/operations/{id}/hits/{hit_id}/decision",
                "/api/v1/operations/op-none/hits/1/decision",
                404,
            ),
            json,
            json!({"status": "confirmed", "action": "none"}).to_string(),
        ),
        case("GET", "/api/v1/operations/{id}/tokens", "/api/v1/operations/op-none/tokens", 404),
        with_body(
            case("POST", "/api/v1/operations/{id}/tokens", "/api/v1/operations/op-none/tokens", 404),
            json,
            json!({"name": "lane"}).to_string(),
        ),
        case("DELETE", "/api/v1/operations/{id}/tokens/{token_id}", "/api/v1/operations/op-none/tokens/x", 404),
        case("GET", entity, format!("/api/v1/entities/{MARKO}"), 200),
        case("GET", entity, "/api/v1/entities/test.nobody", 404),
        case("GET", entity, "/api/v1/entities/bad%20id", 400),
        as_outsider(case("GET", entity, format!("/api/v1/entities/{SECRET_KNOWN}"), 403)),
        as_outsider(case("GET", entity, format!("/api/v1/entities/{SECRET_HIDDEN}"), 404)),
        case("GET", links, format!("/api/v1/entities/{MARKO}/links"), 200),
        case("GET", links, format!("/api/v1/entities/{ANA}/links"), 200),
        case("GET", links, "/api/v1/entities/test.nobody/links", 404),
        as_outsider(case("GET", links, format!("/api/v1/entities/{SECRET_KNOWN}/links"), 403)),
        case("GET", statements, format!("/api/v1/entities/{MARKO}/statements"), 200),
        case("GET", statements, "/api/v1/entities/test.nobody/statements", 404),
        without_purpose(case("GET", entity, format!("/api/v1/entities/{ANA}"), 428)),
        without_purpose(case("GET", links, format!("/api/v1/entities/{ANA}/links"), 428)),
        without_purpose(case("GET", statements, format!("/api/v1/entities/{ANA}/statements"), 428)),
        without_purpose(case("GET", "/api/v1/search", "/api/v1/search?q=ana", 428)),
        without_purpose(with_body(case("POST", create, create, 428), json, person.to_string())),
        case("GET", "/api/v1/search", "/api/v1/search?q=petrovic", 200),
        case("GET", "/api/v1/search", "/api/v1/search?schema=Person&limit=1&offset=1", 200),
        case("GET", "/api/v1/search", "/api/v1/search?limit=501", 400),
        case("GET", "/api/v1/search", "/api/v1/search?schema=Nonsense", 400),
        with_body(case("POST", create, create, 201), json, person.to_string()),
        with_body(
            case("POST", create, create, 409),
            json,
            json!({"id": MARKO, "schema": "Person",
            "properties": {"name": ["X"]}})
            .to_string(),
        ),
        with_body(case("POST", create, create, 400), json, json!({"schema": "Person"}).to_string()),
        with_body(case("POST", create, create, 400), json, "{".to_owned()),
        with_body(case("POST", create, create, 415), Some("text/plain"), person.to_string()),
        with_body(case("POST", create, create, 413), json, "x".repeat(3 * 1024 * 1024)),
        case("GET", "/api/v1/stats", "/api/v1/stats", 200),
        case("GET", "/api/v1/schemata", "/api/v1/schemata", 200),
        case("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", 200),
        anonymously(case("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", 200)),
        anonymously(case("GET", "/api/v1/stats", "/api/v1/stats", 401)),
        anonymously(case("GET", entity, format!("/api/v1/entities/{MARKO}"), 401)),
        anonymously(with_body(case("POST", create, create, 401), json, person.to_string())),
        anonymously(with_body(case("POST", login, login, 200), json, creds(BORDER_A, PW))),
        anonymously(with_body(case("POST", login, login, 401), json, creds(BORDER_A, "wrong password!"))),
        anonymously(with_body(case("POST", login, login, 401), json, creds("nobody", PW))),
        anonymously(with_body(case("POST", login, login, 400), json, json!({"username": "x"}).to_string())),
        anonymously(with_body(case("POST", login, login, 415), Some("text/plain"), creds(BORDER_A, PW))),
        anonymously(case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", 401)),
        case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", 204),
        case("GET", "/api/v1/auth/me", "/api/v1/auth/me", 200),
        anonymously(case("GET", "/api/v1/auth/me", "/api/v1/auth/me", 401)),
        case("GET", network, format!("/api/v1/entities/{MARKO}/network?hops=2"), 200),
        case("GET", network, format!("/api/v1/entities/{MARKO}/network?hops=9"), 400),
        case("GET", network, "/api/v1/entities/test.nobody/network", 404),
        without_purpose(case("GET", network, format!("/api/v1/entities/{MARKO}/network"), 428)),
        case("GET", network_export, format!("/api/v1/entities/{MARKO}/network/export?format=pdf"), 400),
        case("GET", network_export, "/api/v1/entities/test.nobody/network/export?format=gexf", 404),
        case("GET", members, format!("/api/v1/cases/{CASE}/members"), 200),
        case("GET", members, "/api/v1/cases/test.nobody/members", 404),
        as_outsider(case("GET", members, format!("/api/v1/cases/{CASE}/members"), 404)),
        with_body(case("PUT", member, member_a.clone(), 200), json, json!({"capacity": "observer"}).to_string()),
        with_body(case("PUT", member, member_a.clone(), 400), json, json!({"capacity": "chef"}).to_string()),
        with_body(
            case("PUT", member, format!("/api/v1/cases/{CASE}/members/nobody"), 404),
            json,
            json!({"capacity": "judge"}).to_string(),
        ),
        case("DELETE", member, member_a.clone(), 204),
        case("DELETE", member, member_a, 404),
        as_outsider(with_body(
            case("POST", ask, format!("/api/v1/entities/{SECRET_KNOWN}/access-requests"), 201),
            json,
            reason.clone(),
        )),
        as_outsider(with_body(
            case("POST", ask, format!("/api/v1/entities/{SECRET_HIDDEN}/access-requests"), 404),
            json,
            reason.clone(),
        )),
        with_body(case("POST", ask, format!("/api/v1/entities/{MARKO}/access-requests"), 403), json, reason),
        as_outsider(case("GET", requests, "/api/v1/access-requests?pending=true", 200)),
        as_outsider(case("GET", "/api/v1/access-requests/{id}", "/api/v1/access-requests/1", 200)),
        case("GET", "/api/v1/access-requests/{id}", "/api/v1/access-requests/1", 404),
        case("GET", "/api/v1/access-requests/{id}", "/api/v1/access-requests/x", 400),
        case("GET", requests, "/api/v1/access-requests?pending=maybe", 400),
        as_outsider(with_body(case("POST", decide, "/api/v1/access-requests/1/decision", 403), json, refusal.clone())),
        with_body(case("POST", decide, "/api/v1/access-requests/99/decision", 404), json, refusal),
        with_body(
            case("POST", decide, "/api/v1/access-requests/1/decision", 400),
            json,
            json!({"grant": true}).to_string(),
        ),
        with_body(
            case("POST", "/match/{dataset}", "/match/default?threshold=0.6&algorithm=logic-v2", 200),
            json,
            json!({"queries": {"q1": {"schema": "Person", "properties": {
                "name": ["Марко Петровић"], "birthDate": ["1987"], "nationality": ["rs"]}}}})
            .to_string(),
        ),
        with_body(
            case("POST", "/match/{dataset}", "/match/no-such-list", 404),
            json,
            json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["x"]}}}}).to_string(),
        ),
        with_body(
            case("POST", "/match/{dataset}", "/match/default?limit=0", 400),
            json,
            json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["x"]}}}}).to_string(),
        ),
        with_body(
            case("POST", "/match/{dataset}", "/match/default", 400),
            json,
            json!({"queries": {"q1": {"schema": "Vessel", "properties": {"name": ["x"]}}}}).to_string(),
        ),
        without_purpose(with_body(
            case("POST", "/api/v1/screen", "/api/v1/screen", 428),
            json,
            json!({"person": {"name": "Marko Petrovic"}}).to_string(),
        )),
        with_body(
            case("POST", "/api/v1/screen", "/api/v1/screen", 200),
            json,
            json!({"persons": [{"id": "a", "name": "PETROVIC MARKO", "birth_date": ["1987"]}]}).to_string(),
        ),
        with_body(
            case("POST", "/api/v1/screen", "/api/v1/screen", 200),
            json,
            json!({"person": {"name": "Marko Petrovic", "birth_date": ["1987-03-14"], "gender": "M"}}).to_string(),
        ),
        with_body(
            case("POST", "/api/v1/screen", "/api/v1/screen", 400),
            json,
            json!({"person": {"name": "Marko", "birth_date": ["14.03.1987"]}}).to_string(),
        ),
        with_body(
            case("POST", "/api/v1/screen", "/api/v1/screen", 400),
            json,
            json!({"persons": (0..1001).map(|i| json!({"name": format!("P {i}")})).collect::<Vec<_>>()}).to_string(),
        ),
        with_body(case("POST", "/api/v1/screen", "/api/v1/screen", 415), None, "{}"),
        with_body(
            case("POST", "/api/v1/documents/check", "/api/v1/documents/check", 200),
            json,
            json!({"documents": [{"number": "AB 123-4567", "country": "rs"}]}).to_string(),
        ),
        with_body(
            case("POST", "/api/v1/documents/check", "/api/v1/documents/check", 400),
            json,
            json!({"number": "AB", "country": "rs"}).to_string(),
        ),
        case("GET", "/api/v1/watchlists", "/api/v1/watchlists", 200),
        with_body(case("POST", "/api/v1/xref", "/api/v1/xref", 200), json, json!({"dataset": "manual"}).to_string()),
        with_body(case("POST", "/api/v1/xref", "/api/v1/xref", 404), json, json!({"dataset": "nope"}).to_string()),
        with_body(
            case("POST", "/api/v1/xref", "/api/v1/xref", 400),
            json,
            json!({"dataset": "manual", "case": "x"}).to_string(),
        ),
        case("GET", "/api/v1/matches", "/api/v1/matches?status=proposed", 200),
        case("GET", "/api/v1/matches", "/api/v1/matches?status=maybe", 400),
        case("GET", "/api/v1/matches/{id}", "/api/v1/matches/1", 404),
        case("GET", "/api/v1/matches/{id}", "/api/v1/matches/x", 400),
        with_body(
            case("POST", "/api/v1/matches/{id}/decision", "/api/v1/matches/1/decision", 400),
            json,
            json!({"decision": "proposed", "reason": "back to the queue"}).to_string(),
        ),
        with_body(
            case("POST", "/api/v1/matches/{id}/decision", "/api/v1/matches/1/decision", 404),
            json,
            json!({"decision": "confirmed", "reason": "same passport"}).to_string(),
        ),
        // The link chart's API: neighbours by link type, a case's network,
        // paths, and saved charts (a user's own: the operator keeps none).
        case("GET", neighbours, format!("/api/v1/entities/{MARKO}/neighbours?link_type=Family"), 200),
        case("GET", neighbours, "/api/v1/entities/test.nobody/neighbours", 404),
        without_purpose(case("GET", neighbours, format!("/api/v1/entities/{MARKO}/neighbours"), 428)),
        case("GET", case_network, format!("/api/v1/cases/{CASE}/network?hops=1"), 200),
        case("GET", case_network, format!("/api/v1/cases/{CASE}/network?hops=3"), 400),
        as_outsider(case("GET", case_network, format!("/api/v1/cases/{CASE}/network"), 404)),
        without_purpose(case("GET", case_network, format!("/api/v1/cases/{CASE}/network"), 428)),
        case("GET", path, format!("/api/v1/network/path?from={MARKO}&to={ANA}&max_hops=2"), 200),
        case("GET", path, format!("/api/v1/network/path?from={MARKO}"), 400),
        case("GET", path, format!("/api/v1/network/path?from=test.nobody&to={ANA}"), 404),
        without_purpose(case("GET", path, format!("/api/v1/network/path?from={MARKO}&to={ANA}"), 428)),
        case("GET", charts, charts, 403),
        anonymously(case("GET", charts, charts, 401)),
        as_outsider(with_body(case("POST", charts, charts, 201), json, chart.to_string())),
        as_outsider(with_body(case("POST", charts, charts, 400), json, json!({"title": ""}).to_string())),
        as_outsider(with_body(case("POST", charts, charts, 415), Some("text/plain"), chart.to_string())),
        as_outsider(case("GET", charts, charts, 200)),
        as_outsider(case("GET", saved, "/api/v1/charts/1", 200)),
        as_outsider(case("GET", saved, "/api/v1/charts/99", 404)),
        as_outsider(case("GET", saved_export, "/api/v1/charts/1/export?format=pdf", 400)),
        as_outsider(case("GET", saved_export, "/api/v1/charts/99/export?format=gexf", 404)),
        as_outsider(case("DELETE", saved, "/api/v1/charts/1", 204)),
        as_outsider(case("DELETE", saved, "/api/v1/charts/1", 404)),
        // The academy: the course list, and a country's assessment for the academy only.
        case("GET", "/api/v1/courses", "/api/v1/courses", 200),
        anonymously(case("GET", "/api/v1/courses", "/api/v1/courses", 401)),
        case("GET", "/api/v1/assessments/{country}", "/api/v1/assessments/rs", 200),
        as_outsider(case("GET", "/api/v1/assessments/{country}", "/api/v1/assessments/rs", 403)),
    ]
}

#[tokio::test]
async fn real_answers_have_documented_statuses_and_shapes() {
    let doc = document().await;
    let (app, outsider, anonymous) = (app().await, app_as_outsider().await, anonymous_app().await);
    let purposeless = app_without_purpose().await;
    let mut covered: BTreeSet<(&str, &str)> = BTreeSet::new();
    for c in cases() {
        let mut req = Request::builder().method(c.method).uri(&c.uri);
        let body = match &c.body {
            Some((ct, body)) => {
                if let Some(ct) = ct {
                    req = req.header("content-type", *ct);
                }
                Body::from(body.clone())
            }
            None => Body::empty(),
        };
        let target = if c.anonymous {
            &anonymous
        } else if c.purposeless {
            &purposeless
        } else if c.outsider {
            &outsider
        } else {
            &app
        };
        let a = send(target, req.body(body).expect("request")).await;
        let label = format!("{} {} ({})", c.method, c.uri.chars().take(80).collect::<String>(), c.expect);
        assert_eq!(a.status.as_u16(), c.expect, "{label}: {}", a.text().chars().take(300).collect::<String>());
        let op = &doc["paths"][c.path][c.method.to_lowercase()];
        let response =
            op["responses"].get(a.status.as_str()).unwrap_or_else(|| panic!("{label}: status not documented"));
        let response = resolve(&doc, response);
        covered.insert((c.path, c.method));
        if a.status == StatusCode::NO_CONTENT {
            assert!(a.body.is_empty(), "{label}: 204 with a body");
            continue;
        }
        if a.status == StatusCode::UNAUTHORIZED && c.path != "/api/v1/auth/login" {
            assert_eq!(a.header("www-authenticate"), Some("Bearer realm=\"veza\""), "{label}");
        }
        let schema = &response["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{label}: no JSON schema documented");
        let mut errors = Vec::new();
        check(&doc, schema, &a.json(), "$", &mut errors);
        assert!(errors.is_empty(), "{label}: body does not fit the documented schema:\n{}", errors.join("\n"));
        if a.status == StatusCode::CREATED {
            assert!(response["headers"]["Location"].is_object(), "{label}: Location undocumented");
            assert!(a.header("location").is_some(), "{label}: no Location");
        }
    }
    for r in API_ROUTES {
        assert!(covered.contains(&(r.path, r.method)), "no real exchange checks {} {}", r.method, r.path);
    }
}

/// Follows a `$ref` within the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("only local refs: {r}"));
            let target = doc.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {r}"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// Keywords the checker understands; any other in the document fails the
/// test, so that no constraint is silently ignored.
const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "enum",
    "const",
    "oneOf",
    "minimum",
    "maximum",
    "format",
    "description",
    "example",
    "default",
];

/// A small JSON Schema (2020-12 subset) check of `value` against `schema`.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    let Some(obj) = schema.as_object() else { return errors.push(format!("{at}: schema is not an object")) };
    for k in obj.keys() {
        assert!(KEYWORDS.contains(&k.as_str()), "the checker does not know the keyword {k} (at {at})");
    }
    if let Some(c) = obj.get("const")
        && c != value
    {
        errors.push(format!("{at}: expected {c}, got {value}"));
    }
    if let Some(options) = obj.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {options:?}"));
    }
    if let Some(alternatives) = obj.get("oneOf").and_then(Value::as_array) {
        let fitting = alternatives
            .iter()
            .filter(|alt| {
                let mut errs = Vec::new();
                check(doc, alt, value, at, &mut errs);
                errs.is_empty()
            })
            .count();
        if fitting != 1 {
            errors.push(format!("{at}: fits {fitting} of the oneOf alternatives, not exactly one"));
        }
    }
    if let Some(t) = obj.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("unknown type {other} at {at}"),
        };
        if !types.iter().any(|t| fits(t)) {
            return errors.push(format!("{at}: expected {types:?}, got {value}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if obj.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) {
            errors.push(format!("{at}: {n} is below the minimum"));
        }
        if obj.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
            errors.push(format!("{at}: {n} is above the maximum"));
        }
    }
    if let (Some(format), Some(s)) = (obj.get("format").and_then(Value::as_str), value.as_str()) {
        let ok = match format {
            "date-time" => chrono_like_datetime(s),
            "date" => s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-',
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: '{s}' is not a {format}"));
        }
    }
    if let Some(map) = value.as_object() {
        for r in obj.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !map.contains_key(r) {
                errors.push(format!("{at}: missing required member {r}"));
            }
        }
        let props = obj.get("properties").and_then(Value::as_object);
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(doc, s, v, &format!("{at}.{k}"), errors),
                None => match obj.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{at}: undocumented member {k}")),
                    Some(s @ Value::Object(_)) => check(doc, s, v, &format!("{at}.{k}"), errors),
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = value.as_array() {
        let prefix = obj.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let s = prefix.and_then(|p| p.get(i)).or_else(|| obj.get("items"));
            if let Some(s) = s {
                check(doc, s, item, &format!("{at}[{i}]"), errors);
            }
        }
        if obj.get("minItems").and_then(Value::as_u64).is_some_and(|m| (items.len() as u64) < m) {
            errors.push(format!("{at}: fewer items than minItems"));
        }
        if obj.get("maxItems").and_then(Value::as_u64).is_some_and(|m| (items.len() as u64) > m) {
            errors.push(format!("{at}: more items than maxItems"));
        }
    }
}

/// `2024-05-01T14:03:00Z` and the like.
fn chrono_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && (s.ends_with('Z') || s.contains('+'))
}

#[test]
fn the_checker_catches_misfits() {
    let doc = json!({"components": {"schemas": {"E": {"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"type": "integer", "minimum": 1}}}}}});
    let schema = json!({"$ref": "#/components/schemas/E"});
    let mut errors = Vec::new();
    check(&doc, &schema, &json!({"a": 1}), "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    for bad in [json!({}), json!({"a": 0}), json!({"a": "1"}), json!({"a": 1, "b": 2}), json!([])] {
        let mut errors = Vec::new();
        check(&doc, &schema, &bad, "$", &mut errors);
        assert!(!errors.is_empty(), "{bad} passed");
    }
}
