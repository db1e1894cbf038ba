//! The case pages: `/cases` (my cases), `/cases/new` (the form generated
//! from the Case schema) and `/cases/{id}` with its forms for records,
//! members, evidence, notes, tasks and shares. Plain HTML forms; a change
//! answers with a redirect back to the page (POST/redirect/GET), a refusal
//! with the page and the reason beside the form that caused it.
//!
//! Evidence is only ever downloaded: `application/octet-stream`, as an
//! attachment, `nosniff`, and a sandboxing content security policy.

use super::form::{field, fields};
use super::pages::{failure, page_failure, render, see_other};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::i18n::Tr;
use crate::views::cases::{
    CaseNewTemplate, CaseTemplate, CasesTemplate, FoundRow, case_form, case_rows, overview, record_groups, work_view,
};
use crate::views::{Directory, Frame, Layout, country_label, entity_href, path_segment};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use veza_app::{Access, AppError, Attached, Capacity, NewCase, ShareHandling, TaskStatus};

fn case_base(id: &str) -> String {
    format!("/cases/{}", path_segment(id))
}

/// `GET /cases`: the cases the user is a member of or their agency owns.
pub(crate) async fn list(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    let cases = match s.app.my_cases(&access).await {
        Ok(c) => c,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let dir = Directory::load(&s.app).await;
    let page =
        CasesTemplate { layout: Layout::new(&frame, tr.t("case-list-title")), rows: case_rows(&tr, &dir, &cases), tr };
    render(StatusCode::OK, &page)
}

/// `GET /cases/new`: the empty form.
pub(crate) async fn new_form(State(s): State<AppState>, frame: Frame, tr: Tr) -> Response {
    let page = CaseNewTemplate {
        layout: Layout::new(&frame, tr.t("case-new-title")),
        csrf: frame.csrf(),
        fields: case_form(&tr, s.app.model(), &BTreeMap::new(), &[]),
        visibility: "agency".into(),
        visibility_error: None,
        error_count: 0,
        tr,
    };
    render(StatusCode::OK, &page)
}

/// `POST /cases/new`: checks every field; creates the case and goes to it,
/// or shows the form again with the problems beside their fields.
pub(crate) async fn create(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    body: Bytes,
) -> Response {
    let mut input = NewCase::default();
    for (k, v) in fields(&body) {
        match k.as_str() {
            "csrf" => {}
            "handling" => input.visibility = Some(v),
            _ if v.trim().is_empty() => {}
            "originCountry" | "transitCountry" | "exploitationCountry" => {
                let list = input.properties.entry(k).or_default();
                list.extend(v.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned));
            }
            _ => input.properties.entry(k).or_default().push(v),
        }
    }
    let mut problems = s.app.check_case(&input);
    if problems.is_empty() {
        match s.app.create_case(&access, input.clone()).await {
            Ok(case) => return see_other(&case_base(&case.id)),
            Err(AppError::Invalid { field, message }) => {
                problems.push(veza_app::FieldProblem { field: field.unwrap_or_else(|| "name".into()), message })
            }
            Err(e) => return page_failure(&frame, &uri, e),
        }
    }
    let visibility_error = problems.iter().find(|p| p.field == "handling").map(|p| p.message.clone());
    let page = CaseNewTemplate {
        layout: Layout::new(&frame, tr.t("case-new-title")),
        csrf: frame.csrf(),
        fields: case_form(&tr, s.app.model(), &input.properties, &problems),
        visibility: input.visibility.unwrap_or_else(|| "agency".into()),
        visibility_error,
        error_count: problems.len(),
        tr,
    };
    render(StatusCode::BAD_REQUEST, &page)
}

/// What the case page's address may ask for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CaseParams {
    #[serde(default)]
    find: String,
    /// A file just stored (its number).
    #[serde(default)]
    stored: Option<i64>,
    /// A file that was there already (its number).
    #[serde(default)]
    duplicate: Option<i64>,
}

/// The case page with `errors` beside their forms.
#[allow(clippy::too_many_arguments)]
async fn case_page(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &Access,
    uri: &Uri,
    id: &str,
    params: CaseParams,
    errors: BTreeMap<&'static str, String>,
    status: StatusCode,
) -> Response {
    let file = match s.app.case_file(access, id).await {
        Ok(f) => f,
        Err(e) => return page_failure(frame, uri, e),
    };
    let model = s.app.model();
    let dir = Directory::load(&s.app).await;
    let own_agency = match &access.caller {
        veza_app::Caller::User { agency, .. } => agency.clone(),
        veza_app::Caller::System { .. } => String::new(),
    };
    let agencies: Vec<(String, String)> = match s.app.agencies().await {
        Ok(list) => list
            .into_iter()
            .filter(|a| a.code != file.case.provenance.owner.agency && a.code != own_agency && a.code != "local")
            .map(|a| (a.code.clone(), format!("{} ({}, {})", a.name, a.code, country_label(&a.country))))
            .collect(),
        Err(e) => return failure(frame, e),
    };
    let work = work_view(&tr, &dir, &agencies, &file);
    let find = params.find.trim().to_owned();
    let mut found = Vec::new();
    if !find.is_empty() && work.as_ref().is_some_and(|w| w.writes) {
        match s.app.search(access, &find, None, 10, 0).await {
            Ok(page) => {
                found = page
                    .results
                    .iter()
                    .filter(|e| e.id != file.case.id && !file.records.iter().any(|r| r.id == e.id))
                    .map(|e| FoundRow {
                        id: e.id.clone(),
                        href: entity_href(&e.id),
                        caption: e.caption(model),
                        schema: tr.schema_named(model, &e.schema),
                    })
                    .collect()
            }
            Err(e) => return page_failure(frame, uri, e),
        }
    }
    let evidence = |n: Option<i64>| {
        n.and_then(|n| file.workspace.as_ref()?.evidence.iter().find(|e| e.id == n).map(|e| e.sha256.clone()))
    };
    let notice = match (evidence(params.stored), evidence(params.duplicate)) {
        (Some(sha), _) => Some(tr.t1("case-evidence-stored", "sha256", sha)),
        (None, Some(sha)) => Some(tr.t1("case-evidence-duplicate", "sha256", sha)),
        _ => None,
    };
    let name = file.case.first("name").unwrap_or(&file.case.id).to_owned();
    let page = CaseTemplate {
        layout: Layout::new(frame, name.clone()),
        csrf: frame.csrf(),
        id: file.case.id.clone(),
        base: case_base(&file.case.id),
        overview: overview(&tr, model, &file.case),
        owner: dir.agency_name(&file.case.provenance.owner.agency),
        groups: record_groups(&tr, model, &dir, &file),
        record_count: file.records.len(),
        truncated: file.truncated,
        name,
        find,
        found,
        work,
        notice,
        errors,
        tr,
    };
    render(status, &page)
}

/// `GET /cases/{id}`: the case page.
pub(crate) async fn show(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    params: Result<Query<CaseParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    case_page(&s, &frame, tr, &access, &uri, &id, params, BTreeMap::new(), StatusCode::OK).await
}

/// After a change: back to the section on success; the page with the
/// reason beside the section's form otherwise (the case itself missing
/// stays a 404 page).
#[allow(clippy::too_many_arguments)]
async fn after<T>(
    s: &AppState,
    frame: &Frame,
    tr: Tr,
    access: &Access,
    uri: &Uri,
    id: &str,
    section: &'static str,
    outcome: Result<T, AppError>,
) -> Response {
    let e = match outcome {
        Ok(_) => return see_other(&format!("{}#{section}", case_base(id))),
        Err(e) => e,
    };
    let status = match &e {
        AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::NotFound(_) if s.app.case_file(access, id).await.is_ok() => StatusCode::NOT_FOUND,
        _ => return page_failure(frame, uri, e),
    };
    let errors = BTreeMap::from([(section, e.to_string())]);
    case_page(s, frame, tr, access, uri, id, CaseParams::default(), errors, status).await
}

/// `POST /cases/{id}/records`: attaches a record (field `entity`).
pub(crate) async fn attach(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let entity = field(&fields(&body), "entity");
    let outcome = s.app.attach_to_case(&access, &id, &entity).await;
    after(&s, &frame, tr, &access, &uri, &id, "records", outcome).await
}

/// `POST /cases/{id}/records/detach`: takes a record out (field `entity`).
pub(crate) async fn detach(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let entity = field(&fields(&body), "entity");
    let outcome = s.app.detach_from_case(&access, &id, &entity).await;
    after(&s, &frame, tr, &access, &uri, &id, "records", outcome).await
}

/// `POST /cases/{id}/members`: adds a member (`username`, `capacity`).
pub(crate) async fn add_member(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let outcome = match Capacity::parse(&field(&f, "capacity")) {
        Some(c) => s.app.put_case_member(&access, &id, &field(&f, "username"), c).await,
        None => Err(AppError::Invalid { field: Some("capacity".into()), message: tr.t("case-error-capacity") }),
    };
    after(&s, &frame, tr, &access, &uri, &id, "members", outcome).await
}

/// `POST /cases/{id}/members/remove`: removes a member (`username`).
pub(crate) async fn remove_member(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let username = field(&fields(&body), "username");
    let outcome = s.app.remove_case_member(&access, &id, &username).await;
    after(&s, &frame, tr, &access, &uri, &id, "members", outcome).await
}

/// `POST /cases/{id}/evidence`: a multipart upload (field `file`, ≤ 25 MiB;
/// the CSRF token in the query). Back to the page with the SHA-256.
pub(crate) async fn upload(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let too_large = || AppError::Invalid { field: Some("file".into()), message: tr.t("case-error-too-large") };
    let not_sent = || AppError::Invalid { field: Some("file".into()), message: tr.t("case-error-no-file") };
    let mut file: Option<(String, Bytes)> = None;
    let mut problem = None;
    match multipart {
        Err(_) => problem = Some(not_sent()),
        Ok(mut m) => loop {
            match m.next_field().await {
                Ok(Some(f)) if f.name() == Some("file") => {
                    let name = f.file_name().unwrap_or("file").to_owned();
                    match f.bytes().await {
                        Ok(b) => file = Some((name, b)),
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            problem = Some(too_large());
                            break;
                        }
                        Err(_) => {
                            problem = Some(not_sent());
                            break;
                        }
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    problem = Some(if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { not_sent() });
                    break;
                }
            }
        },
    }
    let outcome = match (problem, file) {
        (Some(p), _) => Err(p),
        (None, None) => Err(not_sent()),
        (None, Some((name, bytes))) => s.app.attach_evidence(&access, &id, &name, &bytes).await,
    };
    match outcome {
        Ok(Attached::New(e)) => see_other(&format!("{}?stored={}#evidence", case_base(&id), e.id)),
        Ok(Attached::AlreadyThere(e)) => see_other(&format!("{}?duplicate={}#evidence", case_base(&id), e.id)),
        Err(e) => {
            let status = if e.to_string() == tr.t("case-error-too-large") {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            match e {
                AppError::Invalid { .. } => {
                    let errors = BTreeMap::from([("evidence", e.to_string())]);
                    case_page(&s, &frame, tr, &access, &uri, &id, CaseParams::default(), errors, status).await
                }
                other => after(&s, &frame, tr, &access, &uri, &id, "evidence", Err::<(), _>(other)).await,
            }
        }
    }
}

/// `GET /cases/{id}/evidence/{n}`: the file, as a download only.
pub(crate) async fn download(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let Ok(n) = n.parse::<i64>() else {
        return failure(&frame, AppError::NotFound(format!("evidence {n}")));
    };
    let (evidence, bytes) = match s.app.evidence_file(&access, &id, n).await {
        Ok(f) => f,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let ascii: String = evidence
        .file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(evidence.file_name.as_bytes()).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encoded.replace('+', "%20"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (StatusCode::OK, headers, bytes).into_response()
}

/// `POST /cases/{id}/notes`: adds a note (`body`).
pub(crate) async fn add_note(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let text = field(&fields(&body), "body");
    let outcome = s.app.add_case_note(&access, &id, &text).await;
    after(&s, &frame, tr, &access, &uri, &id, "notes", outcome).await
}

/// `POST /cases/{id}/tasks`: adds a task (`title`, `assignee`, `due`).
pub(crate) async fn add_task(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let due = field(&f, "due");
    let outcome = match due.as_str() {
        "" => s.app.add_case_task(&access, &id, &field(&f, "title"), &field(&f, "assignee"), None).await,
        d => match d.parse::<chrono::NaiveDate>() {
            Ok(d) => s.app.add_case_task(&access, &id, &field(&f, "title"), &field(&f, "assignee"), Some(d)).await,
            Err(_) => Err(AppError::Invalid { field: Some("due".into()), message: tr.t("case-error-due") }),
        },
    };
    after(&s, &frame, tr, &access, &uri, &id, "tasks", outcome).await
}

/// `POST /cases/{id}/tasks/{n}/status`: marks a task `done` or `open`.
pub(crate) async fn task_status(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path((id, n)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let status = TaskStatus::parse(&field(&fields(&body), "status"));
    let outcome = match (n.parse::<i64>(), status) {
        (Ok(n), Some(status)) => s.app.set_case_task_status(&access, &id, n, status).await,
        _ => Err(AppError::NotFound(format!("task {n}"))),
    };
    after(&s, &frame, tr, &access, &uri, &id, "tasks", outcome).await
}

/// `POST /cases/{id}/shares`: shares the case (no `entity` ticked) or the
/// ticked records with `agency` under `handling`.
pub(crate) async fn share(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let chosen: Vec<String> = f.iter().filter(|(k, _)| k == "entity").map(|(_, v)| v.clone()).collect();
    let outcome = match ShareHandling::parse(&field(&f, "handling")) {
        Some(h) => {
            let part = if chosen.is_empty() { None } else { Some(chosen) };
            s.app.share_case(&access, &id, &field(&f, "agency"), part, h).await
        }
        None => Err(AppError::Invalid { field: Some("handling".into()), message: tr.t("case-error-handling") }),
    };
    after(&s, &frame, tr, &access, &uri, &id, "shares", outcome).await
}

/// `POST /cases/{id}/shares/{n}/revoke`: revokes a share.
pub(crate) async fn revoke(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let outcome = match n.parse::<i64>() {
        Ok(n) => s.app.revoke_case_share(&access, &id, n).await,
        Err(_) => Err(AppError::NotFound(format!("share {n}"))),
    };
    after(&s, &frame, tr, &access, &uri, &id, "shares", outcome).await
}
