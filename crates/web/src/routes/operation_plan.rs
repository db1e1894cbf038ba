//! Planning an operation in the browser: the plan (new or edited), its
//! checkpoints with teams and shifts, and the terminal tokens of its
//! checkpoints. Every change goes through the use cases, which check who may
//! make it and audit it; the forms need no JavaScript and show each problem
//! beside its field. A change needs a stated purpose: the forms send a user
//! without one to the purpose page first.

use super::form::{field, fields};
use super::pages::{failure, page_failure, render, see_other};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::views::operation_plan::*;
use crate::views::{Frame, Layout, path_segment};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use std::collections::BTreeMap;
use veza_app::operation_plan::{shift_input, shift_time};
use veza_app::operations::*;
use veza_app::{Access, AppError, FieldProblem};

/// Most rows of a repeated group a form may send.
const MAX_ROWS: usize = 200;

/// The rows of a repeated group: fields named `<name>-<n>`, by row number,
/// one value per name (empty when absent); rows left wholly empty dropped.
fn rows(f: &[(String, String)], names: &[&str]) -> Vec<Vec<String>> {
    let mut by_row: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (key, value) in f {
        for (n, name) in names.iter().enumerate() {
            let row = key.strip_prefix(name).and_then(|r| r.strip_prefix('-')).and_then(|i| i.parse::<usize>().ok());
            if let Some(i) = row.filter(|i| *i < MAX_ROWS) {
                by_row.entry(i).or_insert_with(|| vec![String::new(); names.len()])[n] = value.trim().to_owned();
            }
        }
    }
    by_row.into_values().filter(|r| r.iter().any(|v| !v.is_empty())).collect()
}

fn problem(field: &str, message: impl Into<String>) -> FieldProblem {
    FieldProblem { field: field.into(), message: message.into() }
}

/// A stated purpose, or the purpose page that comes back here.
fn needs_purpose(frame: &Frame, uri: &Uri, access: &Access) -> Option<Response> {
    access.purpose.is_none().then(|| page_failure(frame, uri, AppError::PurposeRequired))
}

/// What a coordinator's form page found, once the caller has stated a
/// purpose: the error page otherwise.
#[allow(clippy::result_large_err, reason = "the error is the handler's answer, returned at once")]
fn gate<T>(frame: &Frame, uri: &Uri, access: &Access, found: Result<T, AppError>) -> Result<T, Response> {
    let found = found.map_err(|e| failure(frame, e))?;
    match needs_purpose(frame, uri, access) {
        Some(r) => Err(r),
        None => Ok(found),
    }
}

fn operation_href(id: &str) -> String {
    format!("/operations/{}", path_segment(id))
}

// ---------------------------------------------------------------- the plan

fn plan_form_of(op: &Operation) -> PlanForm {
    PlanForm {
        code: op.code.clone(),
        name: op.name.clone(),
        status: op.status.code().to_owned(),
        start_date: op.start_date.clone(),
        end_date: op.end_date.clone(),
        objectives: op.objectives.clone(),
        countries: op.countries.iter().map(|c| (c.country.clone(), c.contact_ncb.clone())).collect(),
        agencies: op.agencies.iter().map(|a| (a.agency.clone(), a.coordinator)).collect(),
        watchlists: op.watchlists.iter().map(|w| (w.dataset.clone(), w.instruction.clone())).collect(),
    }
}

fn read_plan(f: &[(String, String)]) -> PlanForm {
    PlanForm {
        code: field(f, "code"),
        name: field(f, "name"),
        status: field(f, "status"),
        start_date: field(f, "start_date"),
        end_date: field(f, "end_date"),
        objectives: field(f, "objectives"),
        countries: rows(f, &["country", "ncb"]).into_iter().map(|r| (r[0].clone(), r[1].clone())).collect(),
        agencies: rows(f, &["agency", "coordinator"])
            .into_iter()
            .filter(|r| !r[0].is_empty())
            .map(|r| (r[0].clone(), !r[1].is_empty()))
            .collect(),
        watchlists: rows(f, &["watchlist", "instruction"]).into_iter().map(|r| (r[0].clone(), r[1].clone())).collect(),
    }
}

fn draft_of(form: &PlanForm, mode: &str) -> OperationDraft {
    OperationDraft {
        code: form.code.clone(),
        name: form.name.clone(),
        mode: mode.to_owned(),
        status: form.status.clone(),
        start_date: form.start_date.clone(),
        end_date: form.end_date.clone(),
        objectives: form.objectives.clone(),
        countries: form
            .countries
            .iter()
            .map(|(country, ncb)| OperationCountry { country: country.clone(), contact_ncb: ncb.clone() })
            .collect(),
        agencies: form
            .agencies
            .iter()
            .map(|(agency, coordinator)| OperationAgency { agency: agency.clone(), coordinator: *coordinator })
            .collect(),
        watchlists: form
            .watchlists
            .iter()
            .map(|(dataset, instruction)| OperationWatchlist {
                dataset: dataset.clone(),
                instruction: instruction.clone(),
            })
            .collect(),
    }
}

async fn plan_page(
    s: &AppState,
    frame: &Frame,
    op_id: Option<String>,
    mut form: PlanForm,
    problems: Vec<FieldProblem>,
) -> Result<PlanPage, AppError> {
    let tr = frame.tr;
    form.countries.extend(std::iter::repeat_n((String::new(), String::new()), SPARE_ROWS));
    form.agencies.extend(std::iter::repeat_n((String::new(), false), SPARE_ROWS));
    form.watchlists.extend(std::iter::repeat_n((String::new(), String::new()), SPARE_ROWS));
    let datasets =
        s.app.watchlists().await?.into_iter().filter(|w| w != veza_app::DEFAULT_WATCHLIST).collect::<Vec<_>>();
    let agency_choices = s.app.agencies().await?.into_iter().map(|a| (a.code, a.name)).collect();
    let (title, action) = match &op_id {
        None => (tr.t("operations-plan-new-title"), "/operations/new".to_owned()),
        Some(id) => (tr.t("operations-plan-edit-title"), format!("{}/plan", operation_href(id))),
    };
    Ok(PlanPage {
        layout: Layout::new(frame, title),
        csrf: frame.csrf(),
        action,
        op_id,
        form,
        problems,
        statuses: OperationStatus::ALL
            .iter()
            .map(|s| (s.code(), tr.t(&format!("operations-status-{}", s.code()))))
            .collect(),
        agency_choices,
        datasets,
    })
}

/// Checks the draft field by field, then saves it; the problems otherwise.
async fn save_plan(
    s: &AppState,
    access: &Access,
    id: Option<&str>,
    draft: OperationDraft,
) -> Result<Operation, Result<Vec<FieldProblem>, AppError>> {
    let problems = check_operation_draft(&draft);
    if !problems.is_empty() {
        return Err(Ok(problems));
    }
    match s.app.save_operation(access, id, draft).await {
        Ok(op) => Ok(op),
        Err(AppError::Invalid { field, message }) => {
            Err(Ok(vec![problem(field.as_deref().unwrap_or("code"), message)]))
        }
        Err(e) => Err(Err(e)),
    }
}

/// `GET /operations/new`: the plan form, for those who may plan.
pub(crate) async fn new_form(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
) -> Response {
    if !may_plan(&access.caller) {
        return failure(&frame, AppError::Forbidden(frame.tr.t("operations-plan-forbidden")));
    }
    if let Some(r) = needs_purpose(&frame, &uri, &access) {
        return r;
    }
    let form = PlanForm { status: OperationStatus::Planned.code().into(), ..Default::default() };
    match plan_page(&s, &frame, None, form, vec![]).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/new`: creates a live operation (exercises are made on
/// `/exercises`) and goes to it, or shows the form with its problems.
pub(crate) async fn create(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    body: Bytes,
) -> Response {
    if !may_plan(&access.caller) {
        return failure(&frame, AppError::Forbidden(frame.tr.t("operations-plan-forbidden")));
    }
    if let Some(r) = needs_purpose(&frame, &uri, &access) {
        return r;
    }
    let form = read_plan(&fields(&body));
    let problems = match save_plan(&s, &access, None, draft_of(&form, OperationMode::Live.code())).await {
        Ok(op) => return see_other(&operation_href(&op.id)),
        Err(Ok(problems)) => problems,
        Err(Err(e)) => return failure(&frame, e),
    };
    match plan_page(&s, &frame, None, form, problems).await {
        Ok(page) => render(StatusCode::BAD_REQUEST, &page),
        Err(e) => failure(&frame, e),
    }
}

/// The operation if the caller coordinates it (404 for an outsider, 403
/// for a participant who does not coordinate).
async fn coordinated(s: &AppState, access: &Access, id: &str) -> Result<OperationView, AppError> {
    let view = s.app.operation_view(&access.caller, id).await?;
    if !view.coordinator {
        return Err(AppError::Forbidden("only the operation's coordinators change its plan".into()));
    }
    Ok(view)
}

/// `GET /operations/{id}/plan`: the plan form, filled (coordinators).
pub(crate) async fn edit_form(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Response {
    let view = match gate(&frame, &uri, &access, coordinated(&s, &access, &id).await) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match plan_page(&s, &frame, Some(id), plan_form_of(&view.operation), vec![]).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/plan`: replaces the plan (its mode is kept).
pub(crate) async fn update(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let view = match gate(&frame, &uri, &access, coordinated(&s, &access, &id).await) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let form = read_plan(&fields(&body));
    let problems = match save_plan(&s, &access, Some(&id), draft_of(&form, view.operation.mode.code())).await {
        Ok(op) => return see_other(&operation_href(&op.id)),
        Err(Ok(problems)) => problems,
        Err(Err(e)) => return failure(&frame, e),
    };
    match plan_page(&s, &frame, Some(id), form, problems).await {
        Ok(page) => render(StatusCode::BAD_REQUEST, &page),
        Err(e) => failure(&frame, e),
    }
}

// --------------------------------------------------------- the checkpoints

fn checkpoint_form_of(c: &Checkpoint) -> CheckpointForm {
    CheckpointForm {
        code: c.code.clone(),
        name: c.name.clone(),
        kind: c.kind.code().to_owned(),
        country: c.country.clone(),
        agency: c.agency.clone(),
        latitude: c.latitude.map(|l| l.to_string()).unwrap_or_default(),
        longitude: c.longitude.map(|l| l.to_string()).unwrap_or_default(),
        shifts: c
            .shifts
            .iter()
            .map(|s| ShiftRow { team: s.team.clone(), start: shift_input(s.starts_at), end: shift_input(s.ends_at) })
            .collect(),
    }
}

fn read_checkpoint(f: &[(String, String)]) -> CheckpointForm {
    CheckpointForm {
        code: field(f, "code"),
        name: field(f, "name"),
        kind: field(f, "kind"),
        country: field(f, "country"),
        agency: field(f, "agency"),
        latitude: field(f, "latitude"),
        longitude: field(f, "longitude"),
        shifts: rows(f, &["team", "start", "end"])
            .into_iter()
            .map(|r| ShiftRow { team: r[0].clone(), start: r[1].clone(), end: r[2].clone() })
            .collect(),
    }
}

/// The draft of a checkpoint form, or the problems of the fields the use
/// case cannot read (coordinates that are not numbers, times that are not times).
fn checkpoint_draft(form: &CheckpointForm) -> Result<CheckpointDraft, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut coordinate = |name: &str, raw: &str| -> Option<f64> {
        if raw.is_empty() {
            return None;
        }
        let parsed = raw.replace(',', ".").parse::<f64>().ok();
        if parsed.is_none() {
            problems.push(problem(name, "a number in decimal degrees, such as 42.3051"));
        }
        parsed
    };
    let latitude = coordinate("latitude", &form.latitude);
    let longitude = coordinate("longitude", &form.longitude);
    let mut shifts = Vec::new();
    for row in &form.shifts {
        match (shift_time(&row.start), shift_time(&row.end)) {
            (Some(starts_at), Some(ends_at)) => shifts.push(Shift { team: row.team.clone(), starts_at, ends_at }),
            _ => problems.push(problem("shifts", "each shift has a start and an end date and time")),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(CheckpointDraft {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        country: form.country.clone(),
        agency: form.agency.clone(),
        latitude,
        longitude,
        shifts,
    })
}

async fn checkpoint_page(
    s: &AppState,
    frame: &Frame,
    view: &OperationView,
    existing: Option<&str>,
    mut form: CheckpointForm,
    problems: Vec<FieldProblem>,
) -> Result<CheckpointPage, AppError> {
    let tr = frame.tr;
    form.shifts.extend(std::iter::repeat_n(ShiftRow::default(), SPARE_ROWS));
    let op = &view.operation;
    let (title, action) = match existing {
        None => (tr.t("operations-checkpoint-new-title"), format!("{}/checkpoints/new", operation_href(&op.id))),
        Some(code) => (
            tr.t1("operations-checkpoint-edit-title", "code", code),
            format!("{}/checkpoints/{}", operation_href(&op.id), path_segment(code)),
        ),
    };
    Ok(CheckpointPage {
        layout: Layout::new(frame, title),
        csrf: frame.csrf(),
        action,
        op_id: op.id.clone(),
        op_code: op.code.clone(),
        form,
        problems,
        kinds: CheckpointKind::ALL
            .iter()
            .map(|k| (k.code(), tr.t(&format!("operations-kind-{}", k.code().replace('_', "-")))))
            .collect(),
        countries: s.app.participating_countries(op).await?,
        agencies: op.agencies.iter().map(|a| a.agency.clone()).collect(),
    })
}

/// Saves a checkpoint form (`id` 0 for a new one) and goes back to the
/// operation, or shows the form with its problems.
async fn save_checkpoint_form(
    s: &AppState,
    frame: &Frame,
    access: &Access,
    view: &OperationView,
    existing: Option<&Checkpoint>,
    body: &[u8],
) -> Response {
    let form = read_checkpoint(&fields(body));
    let id = existing.map(|c| c.id).unwrap_or(0);
    let problems = match checkpoint_draft(&form) {
        Err(problems) => problems,
        Ok(draft) => {
            let problems = check_checkpoint_draft(&draft);
            if !problems.is_empty() {
                problems
            } else {
                match s.app.save_checkpoint(access, &view.operation.id, id, draft).await {
                    Ok(_) => return see_other(&format!("{}#checkpoints", operation_href(&view.operation.id))),
                    Err(AppError::Invalid { field, message }) => {
                        vec![problem(field.as_deref().unwrap_or("code"), message)]
                    }
                    Err(e) => return failure(frame, e),
                }
            }
        }
    };
    match checkpoint_page(s, frame, view, existing.map(|c| c.code.as_str()), form, problems).await {
        Ok(page) => render(StatusCode::BAD_REQUEST, &page),
        Err(e) => failure(frame, e),
    }
}

/// `GET /operations/{id}/checkpoints/new` (coordinators).
pub(crate) async fn new_checkpoint_form(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Response {
    let view = match gate(&frame, &uri, &access, coordinated(&s, &access, &id).await) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let form = CheckpointForm { kind: CheckpointKind::BorderCrossing.code().into(), ..Default::default() };
    match checkpoint_page(&s, &frame, &view, None, form, vec![]).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/checkpoints/new`.
pub(crate) async fn create_checkpoint(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let view = match gate(&frame, &uri, &access, coordinated(&s, &access, &id).await) {
        Ok(v) => v,
        Err(r) => return r,
    };
    save_checkpoint_form(&s, &frame, &access, &view, None, &body).await
}

/// The operation (coordinated by the caller) and its checkpoint `code`.
async fn coordinated_checkpoint(
    s: &AppState,
    access: &Access,
    id: &str,
    code: &str,
) -> Result<(OperationView, Checkpoint), AppError> {
    let view = coordinated(s, access, id).await?;
    let cp = view
        .checkpoints
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("checkpoint {code}")))?;
    Ok((view, cp))
}

/// `GET /operations/{id}/checkpoints/{checkpoint}`: a checkpoint's form, filled.
pub(crate) async fn checkpoint_form(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path((id, code)): Path<(String, String)>,
) -> Response {
    let (view, cp) = match gate(&frame, &uri, &access, coordinated_checkpoint(&s, &access, &id, &code).await) {
        Ok(x) => x,
        Err(r) => return r,
    };
    match checkpoint_page(&s, &frame, &view, Some(&cp.code), checkpoint_form_of(&cp), vec![]).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/checkpoints/{checkpoint}`: replaces it.
pub(crate) async fn update_checkpoint(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path((id, code)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (view, cp) = match gate(&frame, &uri, &access, coordinated_checkpoint(&s, &access, &id, &code).await) {
        Ok(x) => x,
        Err(r) => return r,
    };
    save_checkpoint_form(&s, &frame, &access, &view, Some(&cp), &body).await
}

// ---------------------------------------------------------- terminal tokens

/// Longest a terminal token lives, in days.
const MAX_TOKEN_DAYS: i64 = 90;

/// The address this server is reached at, for the `curl` example.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost:8080");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}")
}

/// A `curl` command that sends one check with `token`.
fn curl_example(base: &str, op_id: &str, token: &str, checkpoint: &str) -> String {
    let body = serde_json::json!({
        "checkpoint": checkpoint,
        "person": {"name": "Ana Petrova", "birth_date": "1990-04-02", "nationality": "mk", "gender": "female"},
        "document": {"number": "A1234567", "country": "mk", "type": "passport"}
    });
    format!(
        "curl -sS -X POST '{base}/api/v1/operations/{}/checks' \\\n  -H 'Authorization: Bearer {token}' \\\n  \
         -H 'Content-Type: application/json' \\\n  -d '{body}'",
        path_segment(op_id)
    )
}

async fn tokens_page(s: &AppState, frame: &Frame, access: &Access, id: &str) -> Result<TokensPage, AppError> {
    let view = s.app.operation_view(&access.caller, id).await?;
    let tr = frame.tr;
    let when = |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map(|t| tr.datetime(t.with_timezone(&chrono::Utc)))
            .unwrap_or_default()
    };
    let tokens = s
        .app
        .terminal_tokens(&access.caller, id)
        .await?
        .into_iter()
        .map(|info| TokenRow { created: when(&info.created_at), expires: when(&info.expires_at), info })
        .collect();
    Ok(TokensPage {
        layout: Layout::new(frame, tr.t("operations-tokens-title")),
        csrf: frame.csrf(),
        op_id: view.operation.id.clone(),
        op_code: view.operation.code.clone(),
        tokens,
        checkpoints: view.checkpoints.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
        label: String::new(),
        checkpoint: String::new(),
        days: "14".into(),
        problems: vec![],
        issued: None,
    })
}

/// `GET /operations/{id}/tokens`: the terminal tokens (coordinators).
pub(crate) async fn tokens(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Response {
    match tokens_page(&s, &frame, &access, &id).await {
        Ok(page) => match needs_purpose(&frame, &uri, &access) {
            Some(r) => r,
            None => render(StatusCode::OK, &page),
        },
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/tokens`: issues a token and shows it once.
pub(crate) async fn issue_token(
    State(s): State<AppState>,
    frame: Frame,
    uri: Uri,
    headers: HeaderMap,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let mut page = match tokens_page(&s, &frame, &access, &id).await {
        Ok(p) => p,
        Err(e) => return failure(&frame, e),
    };
    if let Some(r) = needs_purpose(&frame, &uri, &access) {
        return r;
    }
    let f = fields(&body);
    page.label = field(&f, "label");
    page.checkpoint = field(&f, "checkpoint");
    page.days = field(&f, "days");
    if page.label.is_empty() || page.label.chars().count() > 100 {
        page.problems.push(problem("label", frame.tr.t("operations-token-label-problem")));
    }
    let days = page.days.parse::<i64>().ok().filter(|d| (1..=MAX_TOKEN_DAYS).contains(d));
    if days.is_none() {
        page.problems.push(problem("days", frame.tr.t1("operations-token-days-problem", "max", MAX_TOKEN_DAYS)));
    }
    let (Some(days), true) = (days, page.problems.is_empty()) else {
        return render(StatusCode::BAD_REQUEST, &page);
    };
    let checkpoint = Some(page.checkpoint.as_str()).filter(|c| !c.is_empty());
    match s.app.issue_terminal_token(&access, &id, &page.label, checkpoint, days).await {
        Ok(token) => {
            let example_checkpoint =
                checkpoint.or(page.checkpoints.first().map(|(c, _)| c.as_str())).unwrap_or("CHECKPOINT").to_owned();
            let curl = curl_example(&base_url(&headers), &id, &token.token, &example_checkpoint);
            // The list again, with the new token in it.
            match tokens_page(&s, &frame, &access, &id).await {
                Ok(mut fresh) => {
                    fresh.issued = Some(IssuedToken { token, curl });
                    render(StatusCode::OK, &fresh)
                }
                Err(e) => failure(&frame, e),
            }
        }
        Err(AppError::Invalid { field, message }) => {
            page.problems.push(problem(field.as_deref().unwrap_or("label"), message));
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/tokens/{token_id}/revoke`.
pub(crate) async fn revoke_token(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path((id, token_id)): Path<(String, String)>,
) -> Response {
    if let Err(e) = s.app.terminal_tokens(&access.caller, &id).await {
        return failure(&frame, e);
    }
    // Without a purpose: the purpose page, then back to the token list.
    let list: Uri = format!("{}/tokens", operation_href(&id)).parse().unwrap_or_default();
    if let Some(r) = needs_purpose(&frame, &list, &access) {
        return r;
    }
    match s.app.revoke_terminal_token(&access, &id, &token_id).await {
        Ok(true) => see_other(&format!("{}/tokens", operation_href(&id))),
        Ok(false) => failure(&frame, AppError::NotFound(format!("token {token_id}"))),
        Err(e) => failure(&frame, e),
    }
}
