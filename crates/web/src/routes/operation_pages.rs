//! The operation pages. Reading works without JavaScript; the dashboard
//! refreshes itself with htmx while the operation runs (and is a plain page
//! without it). Forms are checked on the server, errors beside the field.

use super::pages::{failure, render, see_other};
use crate::AppState;
use crate::caller::{CurrentAccess, CurrentCaller};
use crate::views::Frame;
use crate::views::operations::*;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use veza_app::AppError;
use veza_app::operations::{
    CheckInput, CheckResult, DocumentInput, HitAction, HitFilter, HitStatus, OperationStatus, PersonInput, VehicleInput,
};

/// `GET /operations`.
pub(crate) async fn list(State(s): State<AppState>, frame: Frame, CurrentCaller(caller): CurrentCaller) -> Response {
    match s.app.operations(&caller).await {
        Ok(operations) => render(
            StatusCode::OK,
            &OperationsPage {
                layout: crate::views::Layout::new(&frame, frame.tr.t("operations-title")),
                operations,
                may_plan: veza_app::operations::may_plan(&caller),
            },
        ),
        Err(e) => failure(&frame, e),
    }
}

/// `GET /operations/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    match s.app.operation_view(&caller, &id).await {
        Ok(view) => {
            let layout = crate::views::Layout::new(&frame, view.operation.name.clone());
            render(StatusCode::OK, &OperationPage { layout, csrf: frame.csrf(), view })
        }
        Err(e) => failure(&frame, e),
    }
}

async fn check_page(
    s: &AppState,
    frame: &Frame,
    caller: &veza_app::Caller,
    id: &str,
    form: CheckForm,
) -> Result<CheckPage, AppError> {
    let view = s.app.operation_view(caller, id).await?;
    Ok(CheckPage {
        layout: crate::views::Layout::new(frame, frame.tr.t("operations-check-title")),
        csrf: frame.csrf(),
        op_id: view.operation.id.clone(),
        op_code: view.operation.code.clone(),
        checkpoints: view.checkpoints,
        form,
        error: None,
        answer: None,
    })
}

/// `GET /operations/{id}/check`: the fast check form.
pub(crate) async fn check_form(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    match check_page(&s, &frame, &caller, &id, CheckForm::default()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failure(&frame, e),
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `POST /operations/{id}/check`: checks one traveller; HIT or NO HIT with the instruction.
pub(crate) async fn check(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Form(form): Form<CheckForm>,
) -> Response {
    let mut page = match check_page(&s, &frame, &access.caller, &id, form.clone()).await {
        Ok(p) => p,
        Err(e) => return failure(&frame, e),
    };
    let input = CheckInput {
        checkpoint: form.checkpoint.clone(),
        person: opt(&form.name).map(|name| PersonInput {
            name: Some(name),
            birth_date: opt(&form.birth_date),
            nationality: opt(&form.nationality),
            gender: opt(&form.gender),
        }),
        document: opt(&form.document).map(|number| DocumentInput {
            number,
            country: opt(&form.document_country),
            kind: Some("passport".into()),
        }),
        vehicle: opt(&form.vehicle)
            .map(|registration| VehicleInput { registration, country: opt(&form.vehicle_country) }),
    };
    match s.app.run_checks(&access.caller, None, &id, &[input]).await {
        Ok(mut answers) => {
            let Some(a) = answers.pop() else { return failure(&frame, AppError::Internal("no answer".into())) };
            let hits = a
                .hits
                .into_iter()
                .map(|h| HitLine {
                    watchlist: h.watchlist,
                    match_id: h.match_id,
                    score: format!("{:.2}", h.score),
                    instruction: h.instruction,
                    status: HitStatus::Pending.code().to_owned(),
                })
                .collect();
            page.answer = Some((a.check_id, a.result == CheckResult::Hit, hits));
            render(StatusCode::OK, &page)
        }
        Err(AppError::Invalid { field, message }) => {
            page.error = Some((field.unwrap_or_else(|| "form".into()), message));
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /operations/{id}/checks/{check_id}`: one check with the state of its hits.
pub(crate) async fn check_state(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path((id, check_id)): Path<(String, i64)>,
) -> Response {
    let state = match s.app.check_state(&access, None, &id, check_id).await {
        Ok(x) => x,
        Err(e) => return failure(&frame, e),
    };
    let mut page = match check_page(&s, &frame, &access.caller, &id, CheckForm::default()).await {
        Ok(p) => p,
        Err(e) => return failure(&frame, e),
    };
    let hits = state
        .hits
        .into_iter()
        .map(|h| HitLine {
            watchlist: h.hit.watchlist,
            match_id: h.hit.match_id,
            score: format!("{:.2}", h.hit.score),
            instruction: h.hit.instruction,
            status: match h.action {
                Some(a) => format!("{} · {a}", h.status),
                None => h.status.code().to_owned(),
            },
        })
        .collect();
    page.answer = Some((state.check_id, state.result == CheckResult::Hit, hits));
    render(StatusCode::OK, &page)
}

/// Query of the hit queue page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HitsQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    watchlist: Option<String>,
}

/// `GET /operations/{id}/hits`: the hits for the caller's NCB.
pub(crate) async fn hits(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(q): Query<HitsQuery>,
) -> Response {
    let filter = HitFilter {
        status: q.status.as_deref().and_then(HitStatus::parse),
        watchlist: q.watchlist.filter(|w| !w.is_empty()),
        limit: 500,
        ..Default::default()
    };
    match s.app.hit_queue(&access, &id, &filter).await {
        Ok(hits) => render(
            StatusCode::OK,
            &HitsPage {
                layout: crate::views::Layout::new(&frame, frame.tr.t("operations-hits-title")),
                csrf: frame.csrf(),
                op_id: id,
                hits,
                actions: HitAction::ALL.iter().map(|a| a.code()).collect(),
            },
        ),
        Err(e) => failure(&frame, e),
    }
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// `POST /operations/{id}/hits/{hit_id}/decision`.
pub(crate) async fn decide(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path((id, hit_id)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let (Some(status), Some(action)) = (HitStatus::parse(&form.status), HitAction::parse(&form.action)) else {
        return failure(
            &frame,
            AppError::Invalid {
                field: Some("status".into()),
                message: "confirm or reject, and the action taken".into(),
            },
        );
    };
    match s.app.decide_hit(&access, &id, hit_id, status, action, &form.reason).await {
        Ok(_) => see_other(&format!("/operations/{id}/hits")),
        Err(e) => failure(&frame, e),
    }
}

/// `GET /operations/{id}/dashboard`: the live picture.
pub(crate) async fn dashboard(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Response {
    match s.app.operation_results(&access, &id).await {
        Ok(results) => {
            let live = results.status == OperationStatus::Running;
            let layout = crate::views::Layout::new(&frame, frame.tr.t("operations-dashboard-title"));
            let t = |k: &str| frame.tr.t(k);
            let r = &results;
            let sections = vec![
                (t("operations-per-checkpoint"), r.checks_per_checkpoint.clone()),
                (t("operations-per-hour"), r.checks_per_hour.clone()),
                (t("operations-by-watchlist"), r.hits_by_watchlist.clone()),
                (t("operations-victims-gender"), r.victims_by_gender.clone()),
                (t("operations-victims-age"), r.victims_by_age_group.clone()),
                (t("operations-victims-nationality"), r.victims_by_nationality.clone()),
                (t("operations-victims-exploitation"), r.victims_by_exploitation.clone()),
            ];
            render(StatusCode::OK, &DashboardPage { layout, op_id: id, results, live, sections })
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /operations/{id}/checks`: the checks behind a figure.
pub(crate) async fn checks(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(q): Query<super::operations::ChecksQuery>,
) -> Response {
    let view = match s.app.operation_view(&access.caller, &id).await {
        Ok(v) => v,
        Err(e) => return failure(&frame, e),
    };
    match s.app.operation_checks(&access, &id, &q.filter()).await {
        Ok(list) => {
            let checks = list
                .into_iter()
                .map(|c| {
                    let cp = view
                        .checkpoints
                        .iter()
                        .find(|p| p.id == c.check.checkpoint_id)
                        .map(|p| p.code.clone())
                        .unwrap_or_default();
                    let at = chrono::DateTime::from_timestamp_micros(c.check.checked_at)
                        .map(|t| frame.tr.datetime(t))
                        .unwrap_or_default();
                    (c, cp, at)
                })
                .collect();
            let layout = crate::views::Layout::new(&frame, frame.tr.t("operations-checks-title"));
            render(StatusCode::OK, &ChecksPage { layout, op_id: id, checks })
        }
        Err(e) => failure(&frame, e),
    }
}

/// Query of the records page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RecordsQuery {
    #[serde(default)]
    schema: String,
}

/// `GET /operations/{id}/records?schema=…`: victims, arrests, seizures or
/// cases of the operation, as the caller may see them.
pub(crate) async fn records(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(q): Query<RecordsQuery>,
) -> Response {
    let schema =
        if ["Victim", "Arrest", "Seizure", "Case"].contains(&q.schema.as_str()) { q.schema } else { "Arrest".into() };
    match s.app.operation_records(&access, &id, &schema).await {
        Ok(list) => {
            let model = s.app.model();
            let records = list.into_iter().map(|e| (e.caption(model), e.id)).collect();
            let layout = crate::views::Layout::new(&frame, frame.tr.t("operations-records"));
            render(StatusCode::OK, &RecordsPage { layout, op_id: id, schema, records })
        }
        Err(e) => failure(&frame, e),
    }
}

/// `POST /operations/{id}/outcomes`: records an arrest, a seizure or a new
/// investigation against the operation; back to the plan page.
pub(crate) async fn record_outcome(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Form(form): Form<veza_app::operations::OutcomeDraft>,
) -> Response {
    match s.app.record_outcome(&access, &id, form).await {
        Ok(_) => see_other(&format!("/operations/{id}/dashboard")),
        Err(e) => failure(&frame, e),
    }
}
