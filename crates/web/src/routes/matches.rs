//! Entity resolution in the workspace: cross-referencing (`POST
//! /api/v1/xref`, or the form on the review page) and the review queue
//! (`/api/v1/matches…` and the pages `/matches`, `/matches/{id}`), where an
//! analyst sees both records side by side with the resolver's explanation
//! and confirms, rejects, marks unsure or splits.

use super::api::number;
use super::pages::{error_page, failure, render};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::views::Frame;
use crate::views::matches::{MatchPage, MatchesPage, field_rows, match_row, property_rows, status_label};
use axum::Form;
use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use veza_app::{MatchStatus, XrefScope};

/// Default threshold of a cross-reference.
const DEFAULT_THRESHOLD: f64 = 0.9;

fn status_of(raw: Option<&str>) -> Result<Option<MatchStatus>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty() && *s != "all") {
        None => Ok(None),
        Some(s) => MatchStatus::parse(s).map(Some).ok_or_else(|| {
            ApiError::invalid(
                Some("status"),
                format!("status is proposed, unsure, confirmed, rejected or split, not '{s}'"),
            )
        }),
    }
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .map_err(|_| ApiError::invalid(Some("id"), format!("a match number is a whole number, not '{raw}'")))
}

/// Body of `POST /api/v1/xref`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct XrefBody {
    #[serde(default)]
    dataset: Option<String>,
    #[serde(default)]
    case: Option<String>,
    #[serde(default)]
    threshold: Option<f64>,
}

fn scope_of(dataset: Option<String>, case: Option<String>) -> Result<XrefScope, ApiError> {
    match (dataset.filter(|d| !d.trim().is_empty()), case.filter(|c| !c.trim().is_empty())) {
        (Some(d), None) => Ok(XrefScope::Dataset(d)),
        (None, Some(c)) => Ok(XrefScope::Case(c)),
        (Some(_), Some(_)) => Err(ApiError::invalid(Some("case"), "give a dataset or a case, not both")),
        (None, None) => Err(ApiError::invalid(Some("dataset"), "give the dataset or the case to cross-reference")),
    }
}

/// `POST /api/v1/xref`: cross-references a dataset or a case.
pub(crate) async fn xref(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    JsonBody(body): JsonBody<XrefBody>,
) -> Result<Json<veza_app::XrefSummary>, ApiError> {
    let scope = scope_of(body.dataset, body.case)?;
    let threshold = body.threshold.unwrap_or(DEFAULT_THRESHOLD);
    Ok(Json(s.app.cross_reference(&access, &scope, threshold).await?))
}

/// Query of `GET /api/v1/matches`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    limit: Option<String>,
    #[serde(default)]
    offset: Option<String>,
}

/// `GET /api/v1/matches?status=&limit=&offset=`.
pub(crate) async fn queue(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Query(params): Query<QueueParams>,
) -> Result<Json<Value>, ApiError> {
    let status = status_of(params.status.as_deref())?;
    let limit = number("limit", params.limit.as_deref(), 50)?;
    let offset = number("offset", params.offset.as_deref(), 0)?;
    let matches = s.app.match_queue(&access, status, limit, offset).await?;
    Ok(Json(json!({"matches": matches, "limit": limit, "offset": offset})))
}

/// `GET /api/v1/matches/{id}`: both records side by side.
pub(crate) async fn detail(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<veza_app::MatchDetail>, ApiError> {
    Ok(Json(s.app.match_detail(&access, id_of(&id)?).await?))
}

/// Body of `POST /api/v1/matches/{id}/decision`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionBody {
    decision: String,
    reason: String,
}

/// `POST /api/v1/matches/{id}/decision`.
pub(crate) async fn decide(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<veza_app::MatchCandidate>, ApiError> {
    let id = id_of(&id)?;
    let to = MatchStatus::decision(&body.decision).ok_or_else(|| {
        ApiError::invalid(
            Some("decision"),
            format!("decision is confirmed, rejected, unsure or split, not '{}'", body.decision),
        )
    })?;
    Ok(Json(s.app.decide_match(&access, id, to, &body.reason).await?))
}

/// Query of the review page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueuePageParams {
    #[serde(default)]
    status: Option<String>,
}

/// `GET /matches`: the review queue.
pub(crate) async fn queue_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Query(params): Query<QueuePageParams>,
) -> Response {
    let raw = params.status.unwrap_or_else(|| "proposed".into());
    let Ok(status) = status_of(Some(&raw)) else {
        let message = frame.tr.t1("matches-bad-status", "status", &raw);
        return error_page(&frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), message);
    };
    let matches = match s.app.match_queue(&access, status, 200, 0).await {
        Ok(m) => m,
        Err(e) => return failure(&frame, e),
    };
    let datasets = match s.app.watchlists().await {
        Ok(d) => d.into_iter().filter(|d| d != veza_app::DEFAULT_WATCHLIST).collect(),
        Err(e) => return failure(&frame, e),
    };
    let page = MatchesPage {
        layout: crate::views::Layout::new(&frame, frame.tr.t("matches-title")),
        csrf: frame.csrf(),
        status: status.map(MatchStatus::code).unwrap_or("all"),
        rows: matches.into_iter().map(|m| match_row(&frame.tr, m)).collect(),
        datasets,
    };
    render(StatusCode::OK, &page)
}

/// `GET /matches/{id}`: one pair side by side.
pub(crate) async fn detail_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&frame, StatusCode::NOT_FOUND, &frame.tr.t("error-not-found"), frame.tr.t("match-no-such"));
    };
    let d = match s.app.match_detail(&access, id).await {
        Ok(d) => d,
        Err(e) => return failure(&frame, e),
    };
    let model = s.app.model();
    let page = MatchPage {
        layout: crate::views::Layout::new(&frame, frame.tr.t1("match-crumb", "id", id)),
        csrf: frame.csrf(),
        row: match_row(
            &frame.tr,
            veza_app::MatchView {
                left_caption: d.left.caption(model),
                right_caption: d.right.caption(model),
                candidate: d.candidate.clone(),
            },
        ),
        properties: property_rows(&frame.tr, model, &d.left, &d.right),
        fields: field_rows(&frame.tr, model, &d.candidate.explanation),
        history: d
            .history
            .iter()
            .map(|h| {
                (
                    status_label(&frame.tr, h.status.code()),
                    h.decided_by.clone(),
                    crate::views::matches::when(&frame.tr, h.decided_at),
                    h.reason.clone(),
                )
            })
            .collect(),
        choices: MatchStatus::ALL
            .into_iter()
            .filter(|to| d.candidate.status.may_become(*to))
            .map(|s| s.code().to_owned())
            .collect(),
    };
    render(StatusCode::OK, &page)
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /matches/{id}/decision`: records the decision; back to the pair.
pub(crate) async fn decide_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let bad = |key: &str| error_page(&frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), frame.tr.t(key));
    let Ok(Form(form)) = form else { return bad("error-form") };
    let Ok(id) = id.parse::<i64>() else { return bad("match-no-such") };
    let Some(to) = MatchStatus::decision(&form.decision) else {
        return bad("match-press");
    };
    match s.app.decide_match(&access, id, to, &form.reason).await {
        Ok(_) => match HeaderValue::from_str(&format!("/matches/{id}")) {
            Ok(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
            Err(_) => bad("match-no-such"),
        },
        Err(e) => failure(&frame, e),
    }
}

/// The cross-reference form of the review page.
#[derive(Debug, Deserialize)]
pub(crate) struct XrefForm {
    #[serde(default)]
    dataset: String,
    #[serde(default)]
    case: String,
}

/// `POST /matches/xref`: cross-references, then shows the new proposals.
pub(crate) async fn xref_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    form: Result<Form<XrefForm>, FormRejection>,
) -> Response {
    let bad = |m: String| error_page(&frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), m);
    let Ok(Form(form)) = form else { return bad(frame.tr.t("error-form")) };
    let scope = match scope_of(Some(form.dataset), Some(form.case)) {
        Ok(scope) => scope,
        Err(e) => return bad(e.message),
    };
    match s.app.cross_reference(&access, &scope, DEFAULT_THRESHOLD).await {
        Ok(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/matches?status=proposed"))])
            .into_response(),
        Err(e) => failure(&frame, e),
    }
}
