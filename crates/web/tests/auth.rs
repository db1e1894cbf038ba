//! Sign-in: the authorisation matrix over every route, log-in and its
//! failures, sessions, CSRF, API tokens, log-out and the rate limit.

mod common;

use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use veza_app::{AuditFilter, Caller, Clock, NewEntity, Veza, totp_code};
use veza_web::{API_ROUTES, PAGE_ROUTES, WebOptions, router};

/// Visible to agency A only; agency B does not learn it exists.
const A_ONLY: &str = "test.a-only";
/// Visible to agency A only; agency B learns that it exists, and whose it is.
const A_VISIBLE: &str = "test.a-visible";
/// A case of agency A.
const A_CASE: &str = "test.case-a";
/// The CSRF token the matrix's browser holds.
const CSRF: &str = "matrix-csrf-token";

async fn platform() -> Veza {
    let app = seeded().await;
    let a = Caller::user(BORDER_A, "rs-bp", "rs", &[]);
    let e: NewEntity = serde_json::from_value(json!({"id": A_ONLY, "schema": "Person",
        "properties": {"name": ["Only Agency A"]}, "handling": {"visibility": "agency", "existence_visible": false}}))
    .expect("valid");
    app.create_entity(&with_purpose(a.clone()), e).await.expect("stored");
    let e: NewEntity = serde_json::from_value(json!({"id": A_VISIBLE, "schema": "Person",
        "properties": {"name": ["Known To Exist"]}, "handling": {"visibility": "agency", "existence_visible": true}}))
    .expect("valid");
    app.create_entity(&with_purpose(a.clone()), e).await.expect("stored");
    let e: NewEntity = serde_json::from_value(json!({"id": A_CASE, "schema": "Case",
        "properties": {"name": ["Matrix case"]}, "handling": {"visibility": "agency"}}))
    .expect("valid");
    app.create_entity(&with_purpose(a), e).await.expect("stored");
    operations::matrix_operation(&app).await;
    app
}

/// An operation agency A takes part in (and coordinates), B not.
mod operations {
    use veza_app::operations::*;

    pub(super) async fn matrix_operation(app: &veza_app::Veza) {
        let op = Operation {
            id: "op-matrix".into(),
            code: "MATRIX".into(),
            name: "Matrix".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: "2026-01-01".into(),
            end_date: "2026-12-31".into(),
            lead_agency: "rs-bp".into(),
            objectives: String::new(),
            created_by: "test".into(),
            created_at: 0,
            changed_at: 0,
            countries: vec![],
            agencies: vec![OperationAgency { agency: "rs-bp".into(), coordinator: true }],
            watchlists: vec![],
        };
        app.store().put_operation(&op).await.expect("operation");
        let cp = Checkpoint {
            id: 0,
            operation_id: op.id.clone(),
            code: "MX".into(),
            name: "Matrix crossing".into(),
            kind: CheckpointKind::BorderCrossing,
            country: "rs".into(),
            agency: "rs-bp".into(),
            latitude: None,
            longitude: None,
            shifts: vec![],
        };
        app.store().put_checkpoint(&cp).await.expect("checkpoint");
    }
}

/// Who sends a request of the matrix.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    BorderOfficerA,
    AnalystB,
}

/// One row: a route, the request that exercises it, and the status each
/// caller gets.
struct Row {
    method: &'static str,
    path: &'static str,
    uri: &'static str,
    body: Option<(&'static str, String)>,
    anonymous: u16,
    border_a: u16,
    analyst_b: u16,
}

fn row(method: &'static str, path: &'static str, uri: &'static str, expect: [u16; 3]) -> Row {
    Row { method, path, uri, body: None, anonymous: expect[0], border_a: expect[1], analyst_b: expect[2] }
}

fn with(mut r: Row, content_type: &'static str, body: String) -> Row {
    r.body = Some((content_type, body));
    r
}

/// THE table: every route of the API and the pages, with what anonymous
/// callers, a border officer of agency A and an analyst of agency B get.
const MEMBER_B: &str = "/api/v1/cases/test.case-a/members/analyst.b";

fn matrix() -> Vec<Row> {
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let person = json!({"schema": "Person", "properties": {"name": ["Matrix Person"]}}).to_string();
    let bad_login = json!({"username": BORDER_A, "password": "not the password"}).to_string();
    vec![
        row("GET", "/healthz", "/healthz", [200, 200, 200]),
        row("GET", "/api/v1/entities/{id}", "/api/v1/entities/test.a-only", [401, 200, 404]),
        row("GET", "/api/v1/entities/{id}/links", "/api/v1/entities/test.a-only/links", [401, 200, 404]),
        row("GET", "/api/v1/entities/{id}/statements", "/api/v1/entities/test.a-only/statements", [401, 200, 404]),
        row("GET", "/api/v1/entities/{id}/network", "/api/v1/entities/test.a-only/network", [401, 200, 404]),
        row(
            "GET",
            "/api/v1/entities/{id}/network/export",
            "/api/v1/entities/test.a-only/network/export?format=graphml",
            [401, 200, 404],
        ),
        row("GET", "/api/v1/search", "/api/v1/search?q=only", [401, 200, 200]),
        with(row("POST", "/api/v1/entities", "/api/v1/entities", [401, 201, 201]), json, person),
        row("GET", "/api/v1/stats", "/api/v1/stats", [401, 200, 200]),
        row("GET", "/api/v1/schemata", "/api/v1/schemata", [401, 200, 200]),
        row("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", [200, 200, 200]),
        with(row("POST", "/api/v1/auth/login", "/api/v1/auth/login", [401, 401, 401]), json, bad_login),
        row("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", [401, 204, 204]),
        row("GET", "/api/v1/auth/me", "/api/v1/auth/me", [401, 200, 200]),
        // A adds B to its case (B then sees it, but only the owner manages
        // members: 403), then removes B (B no longer sees the case: 404).
        row("GET", "/api/v1/cases/{id}/members", "/api/v1/cases/test.case-a/members", [401, 200, 404]),
        with(
            row("PUT", "/api/v1/cases/{id}/members/{username}", MEMBER_B, [401, 200, 403]),
            json,
            json!({"capacity": "observer"}).to_string(),
        ),
        row("DELETE", "/api/v1/cases/{id}/members/{username}", MEMBER_B, [401, 204, 404]),
        // A sees the record already (403); B asks (201); A refuses request 1
        // (200); B, the requester, may not answer (403).
        with(
            row(
                "POST",
                "/api/v1/entities/{id}/access-requests",
                "/api/v1/entities/test.a-visible/access-requests",
                [401, 403, 201],
            ),
            json,
            json!({"reason": "case M-1"}).to_string(),
        ),
        row("GET", "/api/v1/access-requests", "/api/v1/access-requests?pending=true", [401, 200, 200]),
        row("GET", "/api/v1/access-requests/{id}", "/api/v1/access-requests/1", [401, 200, 200]),
        with(
            row("POST", "/api/v1/access-requests/{id}/decision", "/api/v1/access-requests/1/decision", [401, 200, 403]),
            json,
            json!({"grant": false, "reason": "not for this case"}).to_string(),
        ),
        with(
            row("POST", "/match/{dataset}", "/match/default?threshold=0.5", [401, 200, 200]),
            json,
            json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["Only Agency A"]}}}}).to_string(),
        ),
        with(
            row("POST", "/api/v1/screen", "/api/v1/screen", [401, 200, 200]),
            json,
            json!({"person": {"name": "Only Agency A"}}).to_string(),
        ),
        with(
            row("POST", "/api/v1/documents/check", "/api/v1/documents/check", [401, 200, 200]),
            json,
            json!({"number": "AB1234567", "country": "rs"}).to_string(),
        ),
        row("GET", "/api/v1/watchlists", "/api/v1/watchlists", [401, 200, 200]),
        // Border officers do not resolve records (403); analysts do.
        with(
            row("POST", "/api/v1/xref", "/api/v1/xref", [401, 403, 200]),
            json,
            json!({"dataset": "manual"}).to_string(),
        ),
        row("GET", "/api/v1/matches", "/api/v1/matches?status=all", [401, 200, 200]),
        row("GET", "/api/v1/matches/{id}", "/api/v1/matches/999", [401, 404, 404]),
        with(
            row("POST", "/api/v1/matches/{id}/decision", "/api/v1/matches/999/decision", [401, 403, 404]),
            json,
            json!({"decision": "confirmed", "reason": "same passport"}).to_string(),
        ),
        row("GET", "/screen", "/screen?name=Only+Agency+A", [303, 200, 200]),
        row("GET", "/matches", "/matches", [303, 200, 200]),
        with(
            row("POST", "/matches/xref", "/matches/xref", [303, 403, 303]),
            form,
            format!("csrf={CSRF}&dataset=manual"),
        ),
        row("GET", "/matches/{id}", "/matches/999", [303, 404, 404]),
        with(
            row("POST", "/matches/{id}/decision", "/matches/999/decision", [303, 403, 404]),
            form,
            format!("csrf={CSRF}&decision=confirmed&reason=same+passport"),
        ),
        row("GET", "/", "/", [303, 200, 200]),
        row("GET", "/search", "/search?q=only", [303, 200, 200]),
        row("GET", "/audit", "/audit", [303, 403, 403]),
        row("GET", "/import", "/import", [303, 200, 200]),
        // Not a multipart body: the form is refused beside its file field.
        with(row("POST", "/import", "/import", [303, 400, 400]), form, format!("csrf={CSRF}")),
        row("GET", "/import/{id}", "/import/0123", [303, 404, 404]),
        with(
            row("POST", "/import/{id}/preview", "/import/0123/preview", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        with(row("POST", "/import/{id}/start", "/import/0123/start", [303, 404, 404]), form, format!("csrf={CSRF}")),
        row("GET", "/import/{id}/status", "/import/0123/status", [303, 404, 404]),
        row("GET", "/entities/{id}", "/entities/test.a-only", [303, 200, 404]),
        // B's first request was refused above, so B may ask again; A sees the record.
        with(
            row("POST", "/entities/{id}/access-request", "/entities/test.a-visible/access-request", [303, 403, 201]),
            form,
            format!("csrf={CSRF}&reason=case+M-1"),
        ),
        row("GET", "/access-requests", "/access-requests", [303, 200, 200]),
        // Request 2 (B's, by the page above): A grants it; B may not answer.
        with(
            row("POST", "/access-requests/{id}/decision", "/access-requests/2/decision", [303, 303, 403]),
            form,
            format!("csrf={CSRF}&answer=refuse&reason=not+for+this+case"),
        ),
        row("GET", "/assets/{name}", "/assets/veza.css", [200, 200, 200]),
        row("GET", "/login", "/login", [200, 200, 200]),
        with(
            row("POST", "/login", "/login", [401, 401, 401]),
            form,
            format!("username={BORDER_A}&password=wrong+password&csrf={CSRF}"),
        ),
        with(row("POST", "/logout", "/logout", [303, 303, 303]), form, format!("csrf={CSRF}")),
        row("GET", "/purpose", "/purpose?next=%2F", [303, 200, 200]),
        with(row("POST", "/purpose", "/purpose", [303, 303, 303]), form, format!("csrf={CSRF}&purpose=case+M-1")),
        // Link chart and timeline. A saves chart 1 and B chart 2; each opens
        // and deletes only their own.
        row("GET", "/api/v1/entities/{id}/neighbours", "/api/v1/entities/test.a-only/neighbours", [401, 200, 404]),
        row("GET", "/api/v1/cases/{id}/network", "/api/v1/cases/test.case-a/network", [401, 200, 404]),
        row("GET", "/api/v1/network/path", "/api/v1/network/path?from=test.a-only&to=test.a-visible", [401, 200, 404]),
        row("GET", "/api/v1/charts", "/api/v1/charts", [401, 200, 200]),
        with(
            row("POST", "/api/v1/charts", "/api/v1/charts", [401, 201, 201]),
            json,
            json!({"title": "Matrix chart", "anchor": "entity", "anchor_id": A_ONLY,
                "layout": {"nodes": [{"id": A_ONLY, "x": 0.0, "y": 0.0}]}})
            .to_string(),
        ),
        row("GET", "/api/v1/charts/{id}", "/api/v1/charts/1", [401, 200, 404]),
        row("GET", "/api/v1/charts/{id}/export", "/api/v1/charts/1/export?format=graphml", [401, 200, 404]),
        row("DELETE", "/api/v1/charts/{id}", "/api/v1/charts/2", [401, 404, 204]),
        row("GET", "/entities/{id}/chart", "/entities/test.a-only/chart", [303, 200, 404]),
        row("GET", "/cases/{id}/chart", "/cases/test.case-a/chart", [303, 200, 404]),
        row("GET", "/charts", "/charts", [303, 200, 200]),
        row("GET", "/charts/{id}", "/charts/1", [303, 200, 404]),
        row("GET", "/entities/{id}/timeline", "/entities/test.a-only/timeline", [303, 200, 404]),
        row("GET", "/cases/{id}/timeline", "/cases/test.case-a/timeline", [303, 200, 404]),
        with(row("POST", "/language", "/language", [303, 303, 303]), form, format!("csrf={CSRF}&lang=sq&next=%2F")),
        // Case pages: A's agency owns test.case-a; B is outside it (404)
        // until A adds B as an observer (read-only: 403), then removes B.
        row("GET", "/cases", "/cases", [303, 200, 200]),
        row("GET", "/cases/new", "/cases/new", [303, 200, 200]),
        with(row("POST", "/cases/new", "/cases/new", [303, 303, 303]), form, format!("csrf={CSRF}&name=Matrix+two")),
        row("GET", "/cases/{id}", "/cases/test.case-a", [303, 200, 404]),
        // A person does not name cases itself: 400 beside the form.
        with(
            row("POST", "/cases/{id}/records", "/cases/test.case-a/records", [303, 400, 404]),
            form,
            format!("csrf={CSRF}&entity=test.a-only"),
        ),
        with(
            row("POST", "/cases/{id}/records/detach", "/cases/test.case-a/records/detach", [303, 400, 404]),
            form,
            format!("csrf={CSRF}&entity=test.a-only"),
        ),
        with(
            row("POST", "/cases/{id}/members", "/cases/test.case-a/members", [303, 303, 403]),
            form,
            format!("csrf={CSRF}&username=analyst.b&capacity=observer"),
        ),
        // The academy's cohorts: neither matrix user has an academy role or a
        // cohort; a cohort, invitation or certificate they cannot see is 404.
        row("GET", "/academy/cohorts", "/academy/cohorts", [303, 200, 200]),
        row("GET", "/academy/cohorts/new", "/academy/cohorts/new", [303, 200, 200]),
        with(
            row("POST", "/academy/cohorts/new", "/academy/cohorts/new", [303, 400, 400]),
            form,
            format!(
                "csrf={CSRF}&course_id=c&course_title=C&title=T&capacity=5&starts_on=2030-01-01&ends_on=2030-02-01&schedule=2030-01-01+m1+M"
            ),
        ),
        row("GET", "/academy/cohorts/{id}", "/academy/cohorts/1", [303, 404, 404]),
        with(
            row("POST", "/academy/cohorts/{id}/invitations", "/academy/cohorts/1/invitations", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&invitee=analyst.b"),
        ),
        with(
            row("POST", "/academy/cohorts/{id}/sign-off", "/academy/cohorts/1/sign-off", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&learner=analyst.b"),
        ),
        with(
            row("POST", "/academy/cohorts/{id}/certificate", "/academy/cohorts/1/certificate", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        row("GET", "/academy/cohorts/{id}/modules/{module}", "/academy/cohorts/1/modules/m1", [303, 404, 404]),
        with(
            row("POST", "/academy/cohorts/{id}/modules/{module}", "/academy/cohorts/1/modules/m1", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&body=hello"),
        ),
        row("GET", "/academy/invitations/{code}", "/academy/invitations/NOPE", [303, 404, 404]),
        with(
            row("POST", "/academy/invitations/{code}", "/academy/invitations/NOPE", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        row("GET", "/academy/certificates/{code}/pdf", "/academy/certificates/AAAA-BBBB-CCCC/pdf", [303, 404, 404]),
        // Public: an unknown code is the ordinary 404 for everyone.
        row("GET", "/certificates/verify/{code}", "/certificates/verify/AAAA-BBBB-CCCC", [404, 404, 404]),
        row("GET", "/academy/cascade", "/academy/cascade", [303, 403, 403]),
        with(
            row("POST", "/academy/national-courses", "/academy/national-courses", [303, 403, 403]),
            form,
            format!("csrf={CSRF}&title=T"),
        ),
        row("GET", "/academy/national-courses/{id}", "/academy/national-courses/1", [303, 404, 404]),
        with(
            row(
                "POST",
                "/academy/national-courses/{id}/trainees",
                "/academy/national-courses/1/trainees",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}&name=N&gender=female"),
        ),
        row("GET", "/academy/reports", "/academy/reports", [303, 403, 403]),
        row("GET", "/academy/reports/xlsx", "/academy/reports/xlsx", [303, 403, 403]),
        row("GET", "/academy/reports/pdf", "/academy/reports/pdf", [303, 403, 403]),
        // Grading queue: trainers and academy administrators only; knowledge
        // gain of a course that does not exist is 404 for everyone signed in.
        row("GET", "/academy/grading", "/academy/grading", [303, 403, 403]),
        row("GET", "/academy/courses/{id}/gain", "/academy/courses/nope/gain", [303, 404, 404]),
        // The academy: anyone signed in reads the course list; only trainers and
        // academy administrators author, grade and upload; assessments are for
        // the academy and the programme (neither matrix user).
        row("GET", "/api/v1/courses", "/api/v1/courses", [401, 200, 200]),
        row("GET", "/api/v1/assessments/{country}", "/api/v1/assessments/rs", [401, 403, 403]),
        row("GET", "/academy", "/academy", [303, 200, 200]),
        with(
            row("POST", "/academy/courses", "/academy/courses", [303, 403, 403]),
            form,
            format!("csrf={CSRF}&id=matrix&title=M"),
        ),
        row("GET", "/academy/courses/{id}", "/academy/courses/nope", [303, 404, 404]),
        row("GET", "/academy/courses/{id}/edit", "/academy/courses/nope/edit", [303, 403, 403]),
        with(
            row("POST", "/academy/courses/{id}/edit", "/academy/courses/nope/edit", [303, 403, 403]),
            form,
            format!("csrf={CSRF}&outline=x"),
        ),
        row("GET", "/academy/courses/{id}/lessons/{key}", "/academy/courses/nope/lessons/l1", [303, 404, 404]),
        with(
            row(
                "POST",
                "/academy/courses/{id}/lessons/{key}/practice",
                "/academy/courses/nope/lessons/l1/practice",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}&input=x"),
        ),
        with(
            row(
                "POST",
                "/academy/courses/{id}/quizzes/{key}/start",
                "/academy/courses/nope/quizzes/q/start",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}"),
        ),
        row("GET", "/academy/attempts/{n}", "/academy/attempts/1", [303, 404, 404]),
        with(
            row("POST", "/academy/attempts/{n}", "/academy/attempts/1", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        with(
            row("POST", "/academy/attempts/{n}/grade", "/academy/attempts/1/grade", [303, 403, 403]),
            form,
            format!("csrf={CSRF}"),
        ),
        with(
            row("POST", "/academy/images", "/academy/images?csrf=matrix-csrf-token", [303, 403, 403]),
            form,
            format!("csrf={CSRF}"),
        ),
        row("GET", "/academy/images/{n}", "/academy/images/1", [303, 404, 404]),
        row("GET", "/academy/assessments/{country}", "/academy/assessments/rs", [303, 403, 403]),
        row("GET", "/academy/assessments/rounds/{n}", "/academy/assessments/rounds/1", [303, 404, 404]),
        with(
            row("POST", "/academy/assessments/rounds/{n}", "/academy/assessments/rounds/1", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        // Exercises: neither A nor B is an exercise controller (making one: 400
        // beside the form) nor takes part in `ttx-none` (404 everywhere).
        row("GET", "/exercises", "/exercises", [303, 200, 200]),
        with(row("POST", "/exercises", "/exercises", [303, 400, 400]), form, format!("csrf={CSRF}&name=Drill&seed=1")),
        with(row("POST", "/exercises/leave", "/exercises/leave", [303, 303, 303]), form, format!("csrf={CSRF}")),
        row("GET", "/exercises/{id}", "/exercises/ttx-none", [303, 404, 404]),
        with(
            row("POST", "/exercises/{id}/enter", "/exercises/ttx-none/enter", [303, 404, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        with(
            row("POST", "/exercises/{id}/clock", "/exercises/ttx-none/clock", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&command=start"),
        ),
        with(
            row("POST", "/exercises/{id}/participants", "/exercises/ttx-none/participants", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&username=analyst.b&part=player&team=border"),
        ),
        row("GET", "/exercises/{id}/msel", "/exercises/ttx-none/msel?format=csv", [303, 404, 404]),
        with(
            row("POST", "/exercises/{id}/msel", "/exercises/ttx-none/msel", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&format=csv&msel=x"),
        ),
        with(
            row("POST", "/exercises/{id}/injects", "/exercises/ttx-none/injects", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&number=1&offset_minutes=0&sender=NCB&recipients=all&content=Go"),
        ),
        row("GET", "/exercises/{id}/injects/{n}", "/exercises/ttx-none/injects/new", [303, 404, 404]),
        with(
            row(
                "POST",
                "/exercises/{id}/injects/{n}/release",
                "/exercises/ttx-none/injects/1/release",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}"),
        ),
        with(
            row(
                "POST",
                "/exercises/{id}/injects/{n}/respond",
                "/exercises/ttx-none/injects/1/respond",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}&body=Screened"),
        ),
        row("GET", "/exercises/{id}/inbox", "/exercises/ttx-none/inbox", [303, 404, 404]),
        row("GET", "/exercises/{id}/evaluation", "/exercises/ttx-none/evaluation", [303, 404, 404]),
        with(
            row("POST", "/exercises/{id}/scores", "/exercises/ttx-none/scores", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&inject=1&position=1&rating=met"),
        ),
        with(
            row("POST", "/exercises/{id}/hotwash", "/exercises/ttx-none/hotwash", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&kind=strength&body=Fast"),
        ),
        with(
            row("POST", "/exercises/{id}/corrective", "/exercises/ttx-none/corrective", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&area=a&action=b&owner=c&due_date=2030-01-01"),
        ),
        row("GET", "/exercises/{id}/aar.pdf", "/exercises/ttx-none/aar.pdf", [303, 404, 404]),
        with(
            row("POST", "/cases/{id}/tasks", "/cases/test.case-a/tasks", [303, 303, 403]),
            form,
            format!("csrf={CSRF}&title=Call+back&assignee=analyst.b&due=2030-01-31"),
        ),
        with(
            row("POST", "/cases/{id}/tasks/{n}/status", "/cases/test.case-a/tasks/1/status", [303, 303, 403]),
            form,
            format!("csrf={CSRF}&status=done"),
        ),
        with(
            row("POST", "/cases/{id}/members/remove", "/cases/test.case-a/members/remove", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&username=analyst.b"),
        ),
        with(
            row("POST", "/cases/{id}/evidence", "/cases/test.case-a/evidence?csrf=matrix-csrf-token", [303, 303, 404]),
            "multipart/form-data; boundary=MATRIX",
            "--MATRIX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.7 matrix\r\n--MATRIX--\r\n"
                .to_owned(),
        ),
        row("GET", "/cases/{id}/evidence/{n}", "/cases/test.case-a/evidence/1", [303, 200, 404]),
        with(
            row("POST", "/cases/{id}/notes", "/cases/test.case-a/notes", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&body=Seen+at+the+border"),
        ),
        // A shares the whole case with B's agency: B then reads the case but
        // not its working file, so B's revoking finds no share (404).
        with(
            row("POST", "/cases/{id}/shares", "/cases/test.case-a/shares", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&agency=mk-thb&handling=no-onward-sharing"),
        ),
        with(
            row("POST", "/cases/{id}/shares/{n}/revoke", "/cases/test.case-a/shares/1/revoke", [303, 303, 404]),
            form,
            format!("csrf={CSRF}"),
        ),
        // Operations: A's agency takes part in op-matrix, B's does not (404).
        row("GET", "/api/v1/operations", "/api/v1/operations", [401, 200, 200]),
        row("GET", "/api/v1/operations/{id}", "/api/v1/operations/op-matrix", [401, 200, 404]),
        with(
            row("POST", "/api/v1/operations/{id}/checks", "/api/v1/operations/op-matrix/checks", [401, 200, 404]),
            json,
            json!({"checkpoint": "MX", "person": {"name": "Matrix Person"}}).to_string(),
        ),
        row(
            "GET",
            "/api/v1/operations/{id}/checks/{check_id}",
            "/api/v1/operations/op-matrix/checks/1",
            [401, 200, 404],
        ),
        row("GET", "/api/v1/operations/{id}/results", "/api/v1/operations/op-matrix/results", [401, 200, 404]),
        row("GET", "/api/v1/operations/{id}/hits", "/api/v1/operations/op-matrix/hits", [401, 200, 404]),
        with(
            row(
                "POST",
                "/api/v1/operations/{id}/hits/{hit_id}/decision",
                "/api/v1/operations/op-matrix/hits/1/decision",
                [401, 404, 404],
            ),
            json,
            json!({"status": "confirmed", "action": "none"}).to_string(),
        ),
        row("GET", "/api/v1/operations/{id}/tokens", "/api/v1/operations/op-matrix/tokens", [401, 200, 404]),
        with(
            row("POST", "/api/v1/operations/{id}/tokens", "/api/v1/operations/op-matrix/tokens", [401, 200, 404]),
            json,
            json!({"name": "matrix-lane"}).to_string(),
        ),
        row(
            "DELETE",
            "/api/v1/operations/{id}/tokens/{token_id}",
            "/api/v1/operations/op-matrix/tokens/unknown",
            [401, 404, 404],
        ),
        row("GET", "/operations", "/operations", [303, 200, 200]),
        row("GET", "/operations/{id}", "/operations/op-matrix", [303, 200, 404]),
        row("GET", "/operations/{id}/check", "/operations/op-matrix/check", [303, 200, 404]),
        with(
            row("POST", "/operations/{id}/check", "/operations/op-matrix/check", [303, 200, 404]),
            form,
            format!("csrf={CSRF}&checkpoint=MX&name=Matrix+Person"),
        ),
        row("GET", "/operations/{id}/checks", "/operations/op-matrix/checks", [303, 200, 404]),
        row("GET", "/operations/{id}/checks/{check_id}", "/operations/op-matrix/checks/1", [303, 200, 404]),
        row("GET", "/operations/{id}/hits", "/operations/op-matrix/hits", [303, 200, 404]),
        with(
            row(
                "POST",
                "/operations/{id}/hits/{hit_id}/decision",
                "/operations/op-matrix/hits/1/decision",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}&status=confirmed&action=none"),
        ),
        row("GET", "/operations/{id}/dashboard", "/operations/op-matrix/dashboard", [303, 200, 404]),
        row("GET", "/operations/{id}/records", "/operations/op-matrix/records?schema=Arrest", [303, 200, 404]),
        with(
            row("POST", "/operations/{id}/outcomes", "/operations/op-matrix/outcomes", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&kind=seizure&detail=cash"),
        ),
        // Possible victims: the lists and the interview open to every user;
        // a record that is not a victim record (or one the compartment
        // closes) is not found, and so cannot be referred or moved on.
        row("GET", "/victims", "/victims", [303, 200, 200]),
        row("GET", "/victims/new", "/victims/new?check=ops.check-1&operation=ops.op-1", [303, 200, 200]),
        with(
            row("POST", "/victims/new", "/victims/new", [303, 200, 200]),
            form,
            format!("csrf={CSRF}&step=assess&officer_gender=female&ind-cd-documents=yes"),
        ),
        row("GET", "/victims/{id}", "/victims/test.a-only", [303, 404, 404]),
        with(
            row("POST", "/victims/{id}/referrals", "/victims/test.a-only/referrals", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&service_type=shelter&to_service=Safe+house"),
        ),
        row("GET", "/referrals", "/referrals", [303, 200, 200]),
        with(
            row("POST", "/referrals/{id}/status", "/referrals/test.a-only/status", [303, 404, 404]),
            form,
            format!("csrf={CSRF}&status=accepted"),
        ),
        // Reports of an operation nobody here takes part in: not found.
        row("GET", "/operations/{id}/reports/daily", "/operations/op-x/reports/daily?date=2026-11-28", [303, 404, 404]),
        row("GET", "/operations/{id}/reports/final", "/operations/op-x/reports/final?format=xlsx", [303, 404, 404]),
        // Planning: only THB coordinators, NCB officers and administrators
        // plan a new operation (A is a border officer: 403); only the
        // operation's coordinators (A) change it, issue and revoke tokens.
        row("GET", "/operations/new", "/operations/new", [303, 403, 403]),
        with(
            row("POST", "/operations/new", "/operations/new", [303, 403, 403]),
            form,
            format!("csrf={CSRF}&code=NEW-OP&name=New&status=planned&start_date=2026-01-01&end_date=2026-01-02"),
        ),
        row("GET", "/operations/{id}/plan", "/operations/op-matrix/plan", [303, 200, 404]),
        with(
            row("POST", "/operations/{id}/plan", "/operations/op-matrix/plan", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&code=MATRIX&name=Matrix&status=running&start_date=2026-01-01&end_date=2026-12-31"),
        ),
        row("GET", "/operations/{id}/checkpoints/new", "/operations/op-matrix/checkpoints/new", [303, 200, 404]),
        with(
            row("POST", "/operations/{id}/checkpoints/new", "/operations/op-matrix/checkpoints/new", [303, 303, 404]),
            form,
            format!("csrf={CSRF}&code=MX2&name=Second&kind=airport&country=rs&agency=rs-bp"),
        ),
        row(
            "GET",
            "/operations/{id}/checkpoints/{checkpoint}",
            "/operations/op-matrix/checkpoints/MX",
            [303, 200, 404],
        ),
        with(
            row(
                "POST",
                "/operations/{id}/checkpoints/{checkpoint}",
                "/operations/op-matrix/checkpoints/MX",
                [303, 303, 404],
            ),
            form,
            format!("csrf={CSRF}&code=MX&name=Matrix+crossing&kind=border_crossing&country=rs&agency=rs-bp"),
        ),
        row("GET", "/operations/{id}/tokens", "/operations/op-matrix/tokens", [303, 200, 404]),
        with(
            row("POST", "/operations/{id}/tokens", "/operations/op-matrix/tokens", [303, 200, 404]),
            form,
            format!("csrf={CSRF}&label=matrix-lane-2&days=7"),
        ),
        with(
            row(
                "POST",
                "/operations/{id}/tokens/{token_id}/revoke",
                "/operations/op-matrix/tokens/unknown/revoke",
                [303, 404, 404],
            ),
            form,
            format!("csrf={CSRF}"),
        ),
    ]
}

#[tokio::test]
async fn the_authorisation_matrix_covers_every_route() {
    let served: BTreeSet<(&str, &str)> =
        API_ROUTES.iter().map(|r| (r.method, r.path)).chain(PAGE_ROUTES.iter().map(|r| (r.method, r.path))).collect();
    let rows = matrix();
    let listed: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r.method, r.path)).collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&served).collect();
    assert!(missing.is_empty(), "routes without a row in the authorisation matrix: {missing:?}");
    assert!(extra.is_empty(), "rows for routes that are not served: {extra:?}");
    assert_eq!(listed.len(), rows.len(), "a route has two rows");

    let veza = platform().await;
    let web = router(veza.clone(), WebOptions::default());
    for r in &rows {
        for (who, expect) in
            [(Who::Anonymous, r.anonymous), (Who::BorderOfficerA, r.border_a), (Who::AnalystB, r.analyst_b)]
        {
            // A fresh session per request (log-out ends one), by cookie as a browser.
            let session = match who {
                Who::Anonymous => None,
                Who::BorderOfficerA => Some(veza.login(BORDER_A, PW, None).await.expect("A logs in").token),
                Who::AnalystB => Some(veza.login(ANALYST_B, PW, None).await.expect("B logs in").token),
            };
            // With a purpose: the API's header and the pages' cookie (the
            // refusals without one are tested on their own).
            let cookie = match &session {
                Some(t) => format!("__Host-veza_session={t}; __Host-veza_csrf={CSRF}; __Host-veza_purpose=case+M-1"),
                None => format!("__Host-veza_csrf={CSRF}"),
            };
            let headers = [("cookie", cookie.as_str()), ("x-purpose", "case M-1"), ("x-csrf-token", CSRF)];
            let headers: &[(&str, &str)] =
                if r.body.as_ref().is_some_and(|(ct, _)| ct.contains("form")) { &headers[..2] } else { &headers };
            let a = request(&web, r.method, r.uri, headers, r.body.clone()).await;
            assert_eq!(a.status.as_u16(), expect, "{who:?} {} {}: {}", r.method, r.uri, a.text());
            if a.status == StatusCode::UNAUTHORIZED && r.path.starts_with("/api/") && r.path != "/api/v1/auth/login" {
                assert_eq!(a.error().0, "unauthenticated");
                assert!(a.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")));
            }
            if matches!(who, Who::Anonymous) && a.status == StatusCode::SEE_OTHER && r.method == "GET" {
                let to = a.header("location").unwrap_or_default();
                assert!(to.starts_with("/login"), "{} {} goes to {to}", r.method, r.uri);
            }
        }
    }
}

#[tokio::test]
async fn anonymous_pages_go_to_the_log_in_page_and_come_back() {
    let web = anonymous_app().await;
    let a = get(&web, "/entities/test.marko?x=1").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.header("location"), Some("/login?next=%2Fentities%2Ftest.marko%3Fx%3D1"));
    assert_eq!(get(&web, "/").await.header("location"), Some("/login"));
    assert_eq!(get(&web, "/nowhere").await.status, StatusCode::SEE_OTHER);
    assert_eq!(get(&web, "/api/v1/nowhere").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&web, "/healthz").await.status, StatusCode::OK);
}

/// Logs in through the page; returns the Cookie header a browser would send.
async fn page_login(web: &Router, username: &str, password: &str, next: &str) -> (StatusCode, Answer, String) {
    let form = get(web, &format!("/login?next={next}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let set = form.header("set-cookie").expect("a pre-session CSRF cookie").to_owned();
    assert!(set.starts_with("__Host-veza_csrf=") && set.contains("Secure") && set.contains("SameSite=Strict"));
    let csrf = set.split(';').next().unwrap_or_default().trim_start_matches("__Host-veza_csrf=").to_owned();
    assert!(form.text().contains(&format!(r#"name="csrf" value="{csrf}""#)), "the token is in the form");
    let body = format!("username={username}&password={}&csrf={csrf}&next={next}", password.replace(' ', "+"));
    let cookie = format!("__Host-veza_csrf={csrf}");
    let a =
        request(web, "POST", "/login", &[("cookie", &cookie)], Some(("application/x-www-form-urlencoded", body))).await;
    let cookies: Vec<String> = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect();
    let jar = if cookies.is_empty() { cookie } else { cookies.join("; ") };
    (a.status, a, jar)
}

#[tokio::test]
async fn the_log_in_page_signs_in_and_the_top_bar_signs_out() {
    let web = anonymous_app().await;
    let (status, a, jar) = page_login(&web, BORDER_A, PW, "%2Fentities%2Ftest.marko").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(a.header("location"), Some("/entities/test.marko"));
    let session = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("__Host-veza_session="))
        .expect("a session cookie")
        .to_owned();
    for attr in ["Path=/", "HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(session.contains(attr), "{attr} missing: {session}");
    }
    let jar = state_purpose(&web, &jar, "/").await;
    let page = request(&web, "GET", "/", &[("cookie", &jar)], None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Border officer A") && html.contains("Serbia Border Police"), "who is signed in");
    assert!(html.contains("case RS-2026-7") && html.contains(r#"href="/purpose""#), "the purpose, with a change link");
    assert!(html.contains(r#"action="/logout""#) && html.contains("Sign out"));
    assert!(!html.contains("demo-banner"), "no banner outside demo mode");

    // Sign out without the token fails; with it, the session ends.
    let session_only = jar.split("; ").find(|c| c.starts_with("__Host-veza_session=")).unwrap_or_default().to_owned();
    let form = "application/x-www-form-urlencoded";
    let refused = request(&web, "POST", "/logout", &[("cookie", &session_only)], Some((form, String::new()))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let csrf = jar.split("; ").find_map(|c| c.strip_prefix("__Host-veza_csrf=")).expect("csrf cookie").to_owned();
    let out = request(&web, "POST", "/logout", &[("cookie", &jar)], Some((form, format!("csrf={csrf}")))).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), Some("/login"));
    assert!(out.headers.get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or("").contains("Max-Age=0")));
    assert_eq!(request(&web, "GET", "/", &[("cookie", &jar)], None).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_log_in_page_does_not_tell_which_part_was_wrong_nor_redirect_elsewhere() {
    let web = anonymous_app().await;
    let (s1, wrong_pw, _) = page_login(&web, BORDER_A, "wrong password!", "%2F").await;
    let (s2, no_user, _) = page_login(&web, "nobody", "wrong password!", "%2F").await;
    assert_eq!((s1, s2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    let msg = "Wrong user name, password or one-time code.";
    assert!(wrong_pw.text().contains(msg) && no_user.text().contains(msg));
    let (status, a, _) = page_login(&web, BORDER_A, PW, "%2F%2Fevil.example%2F").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(a.header("location"), Some("/"), "no open redirect");
    // A form without the pre-session token is refused.
    let body = format!("username={BORDER_A}&password=correct+horse+battery");
    let a = request(&web, "POST", "/login", &[], Some(("application/x-www-form-urlencoded", body))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

async fn api_login(web: &Router, body: Value) -> Answer {
    post_json(web, "/api/v1/auth/login", &body).await
}

#[tokio::test]
async fn wrong_passwords_are_401_and_unknown_users_look_the_same() {
    let web = anonymous_app().await;
    let wrong = api_login(&web, json!({"username": BORDER_A, "password": "not the password"})).await;
    let unknown = api_login(&web, json!({"username": "nobody", "password": "not the password"})).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.error().0, "invalid_credentials");
    assert_eq!(wrong.json(), unknown.json());
    assert!(wrong.header("set-cookie").is_none());
}

#[tokio::test]
async fn five_failures_lock_the_account() {
    let web = anonymous_app().await;
    for _ in 0..5 {
        let a = api_login(&web, json!({"username": BORDER_A, "password": "not the password"})).await;
        assert!(matches!(a.status.as_u16(), 401 | 423), "{}", a.text());
    }
    let a = api_login(&web, json!({"username": BORDER_A, "password": PW})).await;
    assert_eq!(a.status, StatusCode::LOCKED, "{}", a.text());
    assert_eq!(a.error().0, "locked");
    assert!(a.header("retry-after").and_then(|r| r.parse::<u64>().ok()).is_some_and(|r| r > 0));
}

#[tokio::test]
async fn a_user_with_an_authenticator_needs_the_code() {
    let veza = seeded().await;
    let secret = veza.enroll_totp(BORDER_A).await.expect("enrolled");
    let web = router(veza, WebOptions::default());
    let a = api_login(&web, json!({"username": BORDER_A, "password": PW})).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::UNAUTHORIZED, "totp_required"));
    let a = api_login(&web, json!({"username": BORDER_A, "password": PW, "totp": "000000"})).await;
    // 000000 may, once in a million, be the right code.
    if a.status != StatusCode::OK {
        assert_eq!((a.status, a.error().0.as_str()), (StatusCode::UNAUTHORIZED, "totp_invalid"));
    }
    let code = totp_code(&secret, Utc::now().timestamp() as u64).expect("a code");
    let a = api_login(&web, json!({"username": BORDER_A, "password": PW, "totp": code})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

#[tokio::test]
async fn an_idle_session_expires() {
    let now = Arc::new(AtomicI64::new(Utc::now().timestamp_micros()));
    let n = now.clone();
    let clock = Clock::from_fn(move || DateTime::from_timestamp_micros(n.load(Ordering::SeqCst)).unwrap_or_default());
    let web = router(seeded_with(Some(clock)).await, WebOptions::default());
    let (token, _, _) = login(&web, BORDER_A, PW).await;
    let bearer = format!("Bearer {token}");
    let me = request(&web, "GET", "/api/v1/auth/me", &[("authorization", &bearer)], None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["username"], BORDER_A);
    assert_eq!(me.json()["agency"], "rs-bp");
    assert_eq!(me.json()["country"], "rs");
    assert_eq!(me.json()["roles"], json!(["border_officer"]));
    now.fetch_add(Duration::minutes(31).num_microseconds().unwrap_or_default(), Ordering::SeqCst);
    let me = request(&web, "GET", "/api/v1/auth/me", &[("authorization", &bearer)], None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.error().0, "unauthenticated");
}

/// A page read without a purpose goes to the purpose form; the form (with
/// its CSRF token) keeps the purpose in a cookie and goes back. Returns the
/// jar with the purpose cookie.
async fn state_purpose(web: &Router, jar: &str, page: &str) -> String {
    let a = request(web, "GET", page, &[("cookie", jar)], None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let to = a.header("location").unwrap_or_default().to_owned();
    assert!(to.starts_with("/purpose?next="), "goes to {to}");
    let form_page = request(web, "GET", &to, &[("cookie", jar)], None).await;
    assert_eq!(form_page.status, StatusCode::OK);
    assert!(form_page.text().contains("Why are you looking?"));
    let csrf = jar.split("; ").find_map(|c| c.strip_prefix("__Host-veza_csrf=")).expect("csrf cookie").to_owned();
    let form = "application/x-www-form-urlencoded";
    let bad =
        request(web, "POST", "/purpose", &[("cookie", jar)], Some((form, format!("csrf={csrf}&purpose=x")))).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "too short");
    let no_csrf = request(web, "POST", "/purpose", &[("cookie", jar)], Some((form, "purpose=case+1".into()))).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let next: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
    let body = format!("csrf={csrf}&next={next}&purpose=case+RS-2026-7");
    let done = request(web, "POST", "/purpose", &[("cookie", jar)], Some((form, body))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(done.header("location"), Some(page));
    let cookie = done.header("set-cookie").expect("purpose cookie").to_owned();
    assert!(cookie.starts_with("__Host-veza_purpose=") && cookie.contains("HttpOnly") && cookie.contains("Secure"));
    format!("{jar}; {}", cookie.split(';').next().unwrap_or_default())
}

#[tokio::test]
async fn cookie_changes_need_the_csrf_token() {
    let web = anonymous_app().await;
    let (_, csrf, jar) = login(&web, BORDER_A, PW).await;
    assert!(jar.contains("__Host-veza_session=vzs_") && jar.contains(&format!("__Host-veza_csrf={csrf}")));
    let body = json!({"schema": "Person", "properties": {"name": ["Cookie Person"]}}).to_string();
    let post = |headers: Vec<(&'static str, String)>| {
        let web = web.clone();
        let body = body.clone();
        async move {
            let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            request(&web, "POST", "/api/v1/entities", &h, Some(("application/json", body))).await
        }
    };
    let a = post(vec![("cookie", jar.clone())]).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::FORBIDDEN, "csrf"));
    let a = post(vec![("cookie", jar.clone()), ("x-csrf-token", "wrong".into())]).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::FORBIDDEN, "csrf"));
    let a = post(vec![("cookie", jar.clone()), ("x-csrf-token", csrf.clone())]).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::PRECONDITION_REQUIRED, "purpose_required"));
    let a = post(vec![("cookie", jar.clone()), ("x-csrf-token", csrf.clone()), ("x-purpose", "case 9".into())]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(a.json()["veza"]["owner"]["agency"], "rs-bp", "owned by the signed-in user's agency");
    // Reads need no token.
    assert_eq!(request(&web, "GET", "/api/v1/stats", &[("cookie", &jar)], None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn api_tokens_work_without_csrf_until_their_user_is_disabled() {
    let veza = seeded().await;
    let issued = veza
        .issue_api_token(BORDER_A, "checkpoint", &[], Duration::days(1), Some("checkpoint Horgoš duty"))
        .await
        .expect("token issued");
    let session = veza.login(BORDER_A, PW, None).await.expect("session");
    let web = router(veza.clone(), WebOptions::default());
    let bearer = format!("Bearer {}", issued.token);
    let body = json!({"schema": "Person", "properties": {"name": ["Token Person"]}}).to_string();
    let a = request(&web, "POST", "/api/v1/entities", &[("authorization", &bearer)], Some(("application/json", body)))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let me = request(&web, "GET", "/api/v1/auth/me", &[("authorization", &bearer)], None).await;
    assert_eq!(me.json()["via"], "api_token");
    // The token's purpose stands in for the header; a token without one needs it.
    let read = request(&web, "GET", "/api/v1/entities/test.ana", &[("authorization", &bearer)], None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text());
    let found = veza.search_audit(&AuditFilter { entity: Some("test.ana".into()), ..AuditFilter::default() }).await;
    assert_eq!(found.expect("audit search")[0].purpose, "checkpoint Horgoš duty");
    let plain = veza.issue_api_token(BORDER_A, "script", &[], Duration::days(1), None).await.expect("issued");
    let plain = format!("Bearer {}", plain.token);
    let read = request(&web, "GET", "/api/v1/entities/test.ana", &[("authorization", &plain)], None).await;
    assert_eq!((read.status, read.error().0.as_str()), (StatusCode::PRECONDITION_REQUIRED, "purpose_required"));
    // A bearer that fails is not rescued by a cookie.
    let cookie = format!("__Host-veza_session={}", session.token);
    let bad =
        request(&web, "GET", "/api/v1/stats", &[("authorization", "Bearer vzt_nope"), ("cookie", &cookie)], None).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);

    veza.disable_user(BORDER_A).await.expect("disabled");
    let a = request(&web, "GET", "/api/v1/stats", &[("authorization", &bearer)], None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a =
        request(&web, "GET", "/api/v1/stats", &[("authorization", &format!("Bearer {}", session.token))], None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "the disabled user's session ends too");
}

#[tokio::test]
async fn log_out_really_ends_the_session() {
    let web = anonymous_app().await;
    let (token, _, _) = login(&web, BORDER_A, PW).await;
    let bearer = format!("Bearer {token}");
    assert_eq!(request(&web, "GET", "/api/v1/stats", &[("authorization", &bearer)], None).await.status, StatusCode::OK);
    let out = request(&web, "POST", "/api/v1/auth/logout", &[("authorization", &bearer)], None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let again = request(&web, "GET", "/api/v1/stats", &[("authorization", &bearer)], None).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);

    // By cookie: the CSRF token is needed, and the cookies are cleared.
    let (_, csrf, jar) = login(&web, BORDER_A, PW).await;
    let refused = request(&web, "POST", "/api/v1/auth/logout", &[("cookie", &jar)], None).await;
    assert_eq!((refused.status, refused.error().0.as_str()), (StatusCode::FORBIDDEN, "csrf"));
    let out = request(&web, "POST", "/api/v1/auth/logout", &[("cookie", &jar), ("x-csrf-token", &csrf)], None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let cleared: Vec<&str> = out.headers.get_all("set-cookie").iter().filter_map(|c| c.to_str().ok()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("__Host-veza_session=;") && c.contains("Max-Age=0")), "{cleared:?}");
    assert_eq!(request(&web, "GET", "/api/v1/stats", &[("cookie", &jar)], None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn log_in_attempts_are_rate_limited() {
    let web = anonymous_app().await;
    for i in 0..10 {
        let a = api_login(&web, json!({"username": "nobody", "password": "not the password"})).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let a = api_login(&web, json!({"username": "nobody", "password": "not the password"})).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(a.header("retry-after").and_then(|r| r.parse::<u64>().ok()).is_some_and(|r| (1..=60).contains(&r)));
    // The page shares the limit.
    let (status, page, _) = page_login(&web, "nobody", "not the password", "%2F").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.header("retry-after").is_some());
}

#[tokio::test]
async fn the_demo_password_signs_in_on_the_page() {
    let veza = Veza::open_with("sqlite::memory:", test_identity(None)).await.expect("opens");
    let (users, password) = veza.create_demo_users(None).await.expect("demo users");
    assert!(users.iter().any(|(name, _, _)| name == "border.rs"));
    let web = router(veza, WebOptions { demo: true });
    let (status, a, jar) = page_login(&web, "border.rs", &password, "%2F").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", a.text());
    let jar = state_purpose(&web, &jar, "/").await;
    let html = request(&web, "GET", "/", &[("cookie", &jar)], None).await.text();
    assert!(html.contains("Demo with synthetic data — do not load real personal data"));
    assert!(html.contains("Border officer, Serbia"));
}

#[tokio::test]
async fn a_chosen_language_is_kept_for_the_user_and_follows_them_to_a_new_session() {
    let web = anonymous_app().await;
    // Before signing in: the browser's language, then a pick on the log-in page.
    let browser = request(&web, "GET", "/login", &[("accept-language", "mk-MK,mk;q=0.9,en;q=0.5")], None).await;
    assert!(browser.text().contains(r#"<html lang="mk">"#) && browser.text().contains("Најава"));
    let picked = get(&web, "/login?lang=sq").await;
    assert!(picked.text().contains(r#"<html lang="sq">"#) && picked.text().contains("Fjalëkalimi"));
    assert!(
        picked
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or("").starts_with("__Host-veza_lang=sq"))
    );

    let (_, _, jar) = page_login(&web, BORDER_A, PW, "%2F").await;
    let jar = state_purpose(&web, &jar, "/").await;
    let csrf = jar.split("; ").find_map(|c| c.strip_prefix("__Host-veza_csrf=")).expect("csrf cookie").to_owned();
    let form = "application/x-www-form-urlencoded";
    let unknown =
        request(&web, "POST", "/language", &[("cookie", &jar)], Some((form, format!("csrf={csrf}&lang=de")))).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let body = format!("csrf={csrf}&lang=sr-Cyrl&next=%2F%3Fq%3Dx");
    let set = request(&web, "POST", "/language", &[("cookie", &jar)], Some((form, body))).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(set.header("location"), Some("/?q=x"));
    let lang = set.header("set-cookie").unwrap_or_default().split(';').next().unwrap_or_default().to_owned();
    assert_eq!(lang, "__Host-veza_lang=sr-Cyrl");
    let page = request(&web, "GET", "/", &[("cookie", &format!("{jar}; {lang}"))], None).await;
    let html = page.text();
    assert!(
        html.contains(r#"<html lang="sr-Cyrl">"#) && html.contains("Одјава") && html.contains("Претрага"),
        "{html}"
    );

    // A new session on another browser (no language cookie) gets the choice back at sign-in.
    let (_, again, _) = page_login(&web, BORDER_A, PW, "%2F").await;
    let cookies: Vec<&str> = again.headers.get_all("set-cookie").iter().filter_map(|c| c.to_str().ok()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("__Host-veza_lang=sr-Cyrl")), "{cookies:?}");
}
