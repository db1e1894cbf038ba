//! The table-top exercise pages: `/exercises` (list, new), the exercise's
//! board with its forms (clock, participants, MSEL, release, hot wash,
//! improvement plan), the inject form, the player's inbox, the evaluation
//! sheet, MSEL files and the AAR/IP as PDF. Plain HTML forms: a change
//! answers with a redirect back; a refusal shows the page with the reason
//! beside the form.
//!
//! **Acting in an exercise.** `POST /exercises/{id}/enter` sets the
//! `__Host-veza_exercise` cookie; from then on the authentication layer
//! ([`realm`]) checks on every request that the user takes part in that
//! exercise and puts it into the caller's scope, so every page (search,
//! entity, screening, chart) shows the exercise's records and nothing real.
//! API clients send `X-Exercise` instead (refused with 403 for
//! non-participants). `POST /exercises/leave` goes back to real work.

use super::form::{field, fields};
use super::pages::{failure, page_failure, render, see_other};
use crate::AppState;
use crate::caller::{CurrentCaller, EXERCISE_HEADER, stated_exercise};
use crate::i18n::Tr;
use crate::views::Frame;
use crate::views::exercise::*;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use veza_app::{
    AppError, Caller, ClockCommand, CorrectiveAction, HotwashKind, MselExpected, MselFormat, MselInject, Part, Rating,
    Role, Scope,
};

/// The cookie that keeps the exercise a user acts in.
pub(crate) const EXERCISE_COOKIE: &str = "__Host-veza_exercise";

/// The caller with the exercise it acts in, when the request names one
/// (the `X-Exercise` header, else the exercise cookie) and the user takes
/// part in it. A header naming an exercise the user takes no part in is
/// refused (403); a stale cookie is ignored (real work).
pub(crate) async fn realm(state: &AppState, caller: Caller, headers: &HeaderMap) -> Result<Caller, Response> {
    let stated = stated_exercise(headers).map_err(IntoResponse::into_response)?;
    let (id, from_header) = match stated {
        Some(id) => (id, true),
        None => match crate::auth::cookie(headers, EXERCISE_COOKIE).filter(|c| veza_model::valid_exercise_id(c)) {
            Some(id) => (id, false),
            None => return Ok(caller),
        },
    };
    let Caller::User { username, scope, .. } = &caller else { return Ok(caller) };
    match state.app.may_act_in_exercise(username, &id).await {
        Ok(true) => {
            let scope = Scope { exercise: Some(id), ..scope.clone() };
            Ok(caller.clone().with_scope(scope))
        }
        Ok(false) if from_header => Err(crate::ApiError::from(AppError::Forbidden(format!(
            "{EXERCISE_HEADER}: you take no part in exercise {id}"
        )))
        .into_response()),
        Ok(false) => Ok(caller),
        Err(e) => Err(crate::ApiError::from(e).into_response()),
    }
}

/// How often the server looks for injects that fell due.
const TICK: std::time::Duration = std::time::Duration::from_secs(10);

/// Starts the exercises' clock: every few seconds, the injects due in
/// running exercises are released (the logic and its clock are the app's,
/// `Veza::release_due_injects`; this only calls it).
pub(crate) fn start_ticker(app: veza_app::Veza) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(TICK);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            every.tick().await;
            match app.release_due_injects().await {
                Ok(released) if !released.is_empty() => tracing::info!(?released, "exercise injects released"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "releasing exercise injects failed"),
            }
        }
    });
}

fn form_error(form: &str, e: &AppError) -> Option<FormError> {
    match e {
        AppError::Invalid { message, .. } => Some(FormError { form: form.to_owned(), message: message.clone() }),
        AppError::Conflict(m) | AppError::Forbidden(m) => Some(FormError { form: form.to_owned(), message: m.clone() }),
        _ => None,
    }
}

/// `GET /exercises`: the exercises the user takes part in.
pub(crate) async fn list(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
) -> Response {
    list_page(&s, &frame, tr, &caller, String::new(), "1".into(), None).await
}

async fn list_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    name: String,
    seed: String,
    error: Option<FormError>,
) -> Response {
    let exercises = match s.app.my_exercises(caller).await {
        Ok(x) => x,
        Err(e) => return failure(frame, e),
    };
    let rows = exercises
        .into_iter()
        .map(|x| ExerciseRow {
            href: exercise_href(&x.exercise.id),
            id: x.exercise.id.clone(),
            name: x.exercise.name.clone(),
            status: status_label(&tr, x.exercise.status),
            part: part_label(&tr, x.standing.part),
        })
        .collect();
    let creates = matches!(caller, Caller::User { roles, .. } if roles.contains(&Role::ExerciseController));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = ExerciseListTemplate {
        layout: crate::views::Layout::new(frame, tr.t("exercise-list-title")),
        tr,
        csrf: frame.csrf(),
        rows,
        creates,
        name,
        seed,
        error,
    };
    render(status, &page)
}

/// `POST /exercises`: a new exercise with its synthetic scenario.
pub(crate) async fn create(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let (name, seed_text) = (field(&f, "name"), field(&f, "seed"));
    let seed = match seed_text.parse::<u64>() {
        Ok(seed) => seed,
        Err(_) => {
            let e = FormError { form: "new".into(), message: tr.t("exercise-seed-invalid") };
            return list_page(&s, &frame, tr, &caller, name, seed_text, Some(e)).await;
        }
    };
    match s.app.create_exercise(&caller, &name, seed, None).await {
        Ok(x) => see_other(&exercise_href(&x.id)),
        Err(e) => match form_error("new", &e) {
            Some(err) => list_page(&s, &frame, tr, &caller, name, seed_text, Some(err)).await,
            None => failure(&frame, e),
        },
    }
}

/// `GET /exercises/{id}`: the board.
pub(crate) async fn board(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    board_page(&s, &frame, tr, &caller, &id, None, String::new()).await
}

async fn board_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    error: Option<FormError>,
    msel_text: String,
) -> Response {
    let b = match s.app.exercise_board(caller, id).await {
        Ok(b) => b,
        Err(e) => return failure(frame, e),
    };
    use veza_app::ExerciseStatus::*;
    let hot = |kind: HotwashKind| {
        b.hotwash
            .iter()
            .filter(|h| h.kind == kind)
            .map(|h| HotwashRow { by: h.username.clone(), body: h.body.clone() })
            .collect::<Vec<_>>()
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = ExerciseBoardTemplate {
        layout: crate::views::Layout::new(frame, b.exercise.name.clone()),
        csrf: frame.csrf(),
        base: exercise_href(id),
        status: status_label(&tr, b.exercise.status),
        clock_minutes: b.clock_minutes,
        part: part_label(&tr, b.standing.part),
        team: b.standing.team.clone(),
        controls: b.standing.controls,
        evaluates: b.standing.evaluates,
        plays: b.standing.plays,
        inside: caller.exercise() == Some(id),
        can_start: matches!(b.exercise.status, Planned | Paused),
        can_pause: b.exercise.status == Running,
        can_end: b.exercise.status != Ended,
        participants: b
            .participants
            .iter()
            .map(|p| ParticipantRow {
                username: p.username.clone(),
                part: part_label(&tr, Some(p.part)),
                team: p.team.clone(),
            })
            .collect(),
        injects: inject_rows(&tr, &b.injects, &b.responses),
        strengths: hot(HotwashKind::Strength),
        improvements: hot(HotwashKind::Improvement),
        correctives: b
            .correctives
            .iter()
            .map(|c| CorrectiveRow {
                area: c.area.clone(),
                action: c.action.clone(),
                owner: c.owner.clone(),
                due: c.due_date.clone(),
            })
            .collect(),
        exercise: b.exercise,
        error,
        msel_text,
        tr,
    };
    render(status, &page)
}

/// Answers a board form: back to the board, or the board with the reason.
#[allow(clippy::too_many_arguments)]
async fn board_answer<T>(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    form: &str,
    anchor: &str,
    result: Result<T, AppError>,
) -> Response {
    match result {
        Ok(_) => see_other(&format!("{}#{anchor}", exercise_href(id))),
        Err(e) => match form_error(form, &e) {
            Some(err) => board_page(s, frame, tr, caller, id, Some(err), String::new()).await,
            None => failure(frame, e),
        },
    }
}

/// `POST /exercises/{id}/enter`: act in the exercise (its records only).
pub(crate) async fn enter(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    let Caller::User { username, .. } = &caller else { return see_other("/exercises") };
    match s.app.may_act_in_exercise(username, &id).await {
        Ok(true) => {
            let cookie = format!("{EXERCISE_COOKIE}={id}; Path=/; Secure; HttpOnly; SameSite=Strict");
            let mut r = see_other(&exercise_href(&id));
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Ok(false) => failure(&frame, AppError::NotFound(format!("exercise {id}"))),
        Err(e) => failure(&frame, e),
    }
}

/// `POST /exercises/leave`: back to real work.
pub(crate) async fn leave() -> Response {
    let mut r = see_other("/exercises");
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("__Host-veza_exercise=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}

/// `POST /exercises/{id}/clock`: start, pause or end.
pub(crate) async fn clock(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let result = match ClockCommand::parse(&field(&f, "command")) {
        Some(c) => s.app.exercise_clock(&caller, &id, c).await.map(|_| ()),
        None => Err(AppError::Invalid { field: Some("command".into()), message: tr.t("exercise-command-invalid") }),
    };
    board_answer(&s, &frame, tr, &caller, &id, "clock", "clock", result).await
}

/// `POST /exercises/{id}/participants`: add or change a participant.
pub(crate) async fn participants(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let result = match Part::parse(&field(&f, "part")) {
        Some(part) => {
            s.app.put_exercise_participant(&caller, &id, &field(&f, "username"), part, &field(&f, "team")).await
        }
        None => Err(AppError::Invalid { field: Some("part".into()), message: tr.t("exercise-part-invalid") }),
    };
    board_answer(&s, &frame, tr, &caller, &id, "participants", "participants", result).await
}

/// `POST /exercises/{id}/injects/{n}/release`: release by hand.
pub(crate) async fn release(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, n)): Path<(String, i64)>,
) -> Response {
    let result = s.app.release_exercise_inject(&caller, &id, n).await;
    board_answer(&s, &frame, tr, &caller, &id, "release", "msel", result).await
}

/// `POST /exercises/{id}/hotwash`: a strength or an improvement.
pub(crate) async fn hotwash(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let result = match HotwashKind::parse(&field(&f, "kind")) {
        Some(kind) => s.app.add_hotwash(&caller, &id, kind, &field(&f, "body")).await,
        None => Err(AppError::Invalid { field: Some("kind".into()), message: tr.t("exercise-kind-invalid") }),
    };
    board_answer(&s, &frame, tr, &caller, &id, "hotwash", "hotwash", result).await
}

/// `POST /exercises/{id}/corrective`: a corrective action of the plan.
pub(crate) async fn corrective(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let action = CorrectiveAction {
        id: 0,
        area: field(&f, "area"),
        action: field(&f, "action"),
        owner: field(&f, "owner"),
        due_date: field(&f, "due_date"),
    };
    let result = s.app.add_corrective_action(&caller, &id, &action).await;
    board_answer(&s, &frame, tr, &caller, &id, "corrective", "plan", result).await
}

/// What the MSEL download asks for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MselParams {
    #[serde(default)]
    format: String,
}

/// `GET /exercises/{id}/msel?format=csv|json`: the MSEL as a file.
pub(crate) async fn msel_file(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    Query(p): Query<MselParams>,
) -> Response {
    let Some(format) = MselFormat::parse(if p.format.is_empty() { "csv" } else { &p.format }) else {
        return failure(
            &frame,
            AppError::Invalid { field: Some("format".into()), message: tr.t("exercise-format-invalid") },
        );
    };
    match s.app.export_msel(&caller, &id, format).await {
        Ok(text) => {
            let (kind, ext) = match format {
                MselFormat::Csv => ("text/csv; charset=utf-8", "csv"),
                MselFormat::Json => ("application/json", "json"),
            };
            let name = format!("attachment; filename=\"msel-{}.{ext}\"", path_segment_safe(&id));
            let mut r = (StatusCode::OK, text).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            if let Ok(v) = HeaderValue::from_str(&name) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => failure(&frame, e),
    }
}

fn path_segment_safe(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}

/// `POST /exercises/{id}/msel`: imports an MSEL pasted as CSV or JSON.
pub(crate) async fn msel_import(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let text = field(&f, "msel");
    let result = match MselFormat::parse(&field(&f, "format")) {
        Some(format) => s.app.import_msel(&caller, &id, &text, format).await,
        None => Err(AppError::Invalid { field: Some("format".into()), message: tr.t("exercise-format-invalid") }),
    };
    match result {
        Ok(_) => see_other(&format!("{}#msel", exercise_href(&id))),
        Err(e) => match form_error("msel", &e) {
            Some(err) => board_page(&s, &frame, tr, &caller, &id, Some(err), text).await,
            None => failure(&frame, e),
        },
    }
}

/// `GET /exercises/{id}/injects/{n}` (`new` for a new one): the inject form.
pub(crate) async fn inject_form(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let board = match s.app.exercise_board(&caller, &id).await {
        Ok(b) if b.standing.controls => b,
        Ok(_) => return failure(&frame, AppError::Forbidden(tr.t("exercise-controllers-only"))),
        Err(e) => return failure(&frame, e),
    };
    let existing = n.parse::<i64>().ok().and_then(|n| board.injects.iter().find(|i| i.number == n));
    let next = board.injects.iter().map(|i| i.number).max().unwrap_or(0) + 1;
    let mut page = InjectFormTemplate {
        layout: crate::views::Layout::new(&frame, tr.t("exercise-inject-title")),
        csrf: frame.csrf(),
        base: exercise_href(&id),
        name: board.exercise.name.clone(),
        number: next.to_string(),
        offset: "0".into(),
        sender: String::new(),
        recipients: String::new(),
        content: String::new(),
        records: String::new(),
        expected: String::new(),
        errors: Vec::new(),
        tr,
    };
    match (existing, n.as_str()) {
        (Some(i), _) => {
            page.number = i.number.to_string();
            page.offset = i.offset_minutes.to_string();
            page.sender = i.sender.clone();
            page.recipients = i.recipients.join(", ");
            page.content = i.content.clone();
            page.records = i.records.join("\n");
            page.expected =
                i.expected.iter().map(|e| format!("{} | {}", e.action, e.objective)).collect::<Vec<_>>().join("\n");
        }
        (None, "new") => {}
        (None, _) => return failure(&frame, AppError::NotFound(format!("inject {n} of exercise {id}"))),
    }
    render(StatusCode::OK, &page)
}

/// `POST /exercises/{id}/injects`: saves the inject form.
pub(crate) async fn save_inject(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let mut errors = Vec::new();
    let whole = |name: &str, errors: &mut Vec<(String, String)>| match field(&f, name).parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            errors.push((name.to_owned(), tr.t("exercise-whole-number")));
            0
        }
    };
    let number = whole("number", &mut errors);
    let offset = whole("offset_minutes", &mut errors);
    let list = |text: String| -> Vec<String> {
        text.split([',', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    let mut expected = Vec::new();
    for line in field(&f, "expected").lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once('|') {
            Some((a, o)) => expected.push(MselExpected { action: a.trim().to_owned(), objective: o.trim().to_owned() }),
            None => errors.push(("expected".into(), tr.t1("exercise-expected-line", "line", line.to_owned()))),
        }
    }
    let inject = MselInject {
        number,
        offset_minutes: offset,
        sender: field(&f, "sender"),
        recipients: list(field(&f, "recipients")),
        content: field(&f, "content"),
        records: list(field(&f, "records")),
        expected,
    };
    if errors.is_empty() {
        match s.app.put_exercise_inject(&caller, &id, &inject).await {
            Ok(()) => return see_other(&format!("{}#msel", exercise_href(&id))),
            Err(AppError::Invalid { field, message }) => {
                let field = field.unwrap_or_default();
                let field = if field == "expected_actions" { "expected".to_owned() } else { field };
                errors.push((field, message));
            }
            Err(e) => return failure(&frame, e),
        }
    }
    let page = InjectFormTemplate {
        layout: crate::views::Layout::new(&frame, tr.t("exercise-inject-title")),
        csrf: frame.csrf(),
        base: exercise_href(&id),
        name: id.clone(),
        number: field(&f, "number"),
        offset: field(&f, "offset_minutes"),
        sender: inject.sender,
        recipients: field(&f, "recipients"),
        content: inject.content,
        records: field(&f, "records"),
        expected: field(&f, "expected"),
        errors,
        tr,
    };
    render(StatusCode::BAD_REQUEST, &page)
}

/// `GET /exercises/{id}/inbox`: the player's inbox.
pub(crate) async fn inbox(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    inbox_page(&s, &frame, tr, &caller, &id, None).await
}

async fn inbox_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    error: Option<FormError>,
) -> Response {
    let inbox = match s.app.exercise_inbox(caller, id).await {
        Ok(i) => i,
        Err(e) => return failure(frame, e),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = InboxTemplate {
        layout: crate::views::Layout::new(frame, tr.t("exercise-inbox-title")),
        csrf: frame.csrf(),
        base: exercise_href(id),
        name: inbox.exercise.name.clone(),
        team: inbox.team.clone(),
        status: status_label(&tr, inbox.exercise.status),
        inside: caller.exercise() == Some(id),
        injects: inject_rows(&tr, &inbox.injects, &inbox.responses),
        actions: inbox
            .actions
            .iter()
            .map(|a| ActionOption { seq: a.seq, label: format!("{} · {}", when(&tr, Some(a.at)), a.summary) })
            .collect(),
        error,
        tr,
    };
    render(status, &page)
}

/// `POST /exercises/{id}/injects/{n}/respond`: a player's response.
pub(crate) async fn respond(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path((id, n)): Path<(String, i64)>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let action = field(&f, "action").parse::<i64>().ok();
    match s.app.respond_to_inject(&caller, &id, n, &field(&f, "body"), action).await {
        Ok(_) => see_other(&format!("{}/inbox#inject-{n}", exercise_href(&id))),
        Err(e) => match form_error(&format!("respond-{n}"), &e) {
            Some(err) => inbox_page(&s, &frame, tr, &caller, &id, Some(err)).await,
            None => failure(&frame, e),
        },
    }
}

/// `GET /exercises/{id}/evaluation`: the evaluation sheet.
pub(crate) async fn evaluation(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    evaluation_page(&s, &frame, tr, &caller, &id, None).await
}

async fn evaluation_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    caller: &Caller,
    id: &str,
    error: Option<FormError>,
) -> Response {
    let b = match s.app.exercise_board(caller, id).await {
        Ok(b) if b.standing.evaluates => b,
        Ok(_) => return failure(frame, AppError::Forbidden(tr.t("exercise-evaluators-only"))),
        Err(e) => return failure(frame, e),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = EvaluationTemplate {
        layout: crate::views::Layout::new(frame, tr.t("exercise-evaluation-title")),
        csrf: frame.csrf(),
        base: exercise_href(id),
        name: b.exercise.name.clone(),
        injects: inject_rows(&tr, &b.injects, &b.responses),
        error,
        tr,
    };
    render(status, &page)
}

/// `POST /exercises/{id}/scores`: scores one expected action.
pub(crate) async fn score(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let number = field(&f, "inject").parse::<i64>().unwrap_or(0);
    let position = field(&f, "position").parse::<i64>().unwrap_or(0);
    let form = format!("score-{number}-{position}");
    let result = match Rating::parse(&field(&f, "rating")) {
        Some(rating) => s.app.score_expected_action(&caller, &id, number, position, rating, &field(&f, "notes")).await,
        None => Err(AppError::Invalid { field: Some("rating".into()), message: tr.t("exercise-rating-invalid") }),
    };
    match result {
        Ok(()) => see_other(&format!("{}/evaluation#inject-{number}", exercise_href(&id))),
        Err(e) => match form_error(&form, &e) {
            Some(err) => evaluation_page(&s, &frame, tr, &caller, &id, Some(err)).await,
            None => failure(&frame, e),
        },
    }
}

/// `GET /exercises/{id}/aar.pdf`: the after-action report and improvement plan.
pub(crate) async fn aar(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    uri: Uri,
) -> Response {
    match s.app.aar_pdf(&caller, &id).await {
        Ok(pdf) => {
            let name = format!("attachment; filename=\"aar-ip-{}.pdf\"", path_segment_safe(&id));
            let mut r = (StatusCode::OK, pdf).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            if let Ok(v) = HeaderValue::from_str(&name) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => page_failure(&frame, &uri, e),
    }
}
