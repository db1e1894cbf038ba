//! The academy's results pages: `GET /academy/grading` (the attempts a
//! trainer is to grade, each linking to its grading form) and
//! `GET /academy/courses/{id}/gain` (a course's knowledge gain, Kirkpatrick
//! level 2, with its chart; each caller sees only the learners they may).

use super::pages::{page_failure, render};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::i18n::Tr;
use crate::views::Frame;
use crate::views::academy_results::{GainTemplate, GradingTemplate};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;

/// `GET /academy/grading`.
pub(crate) async fn grading(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
) -> Response {
    match s.app.my_grading_queue(&access).await {
        Ok(queue) => render(StatusCode::OK, &GradingTemplate::new(&frame, tr, queue)),
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /academy/courses/{id}/gain`.
pub(crate) async fn gain(
    State(s): State<AppState>,
    frame: Frame,
    tr: Tr,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let gain = match s.app.course_gain(&access, &id).await {
        Ok(g) => g,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    let chart = match gain.chart_svg(&tr.t("academy-gain-everyone"), &tr.t("academy-gain-chart")) {
        Ok(svg) => svg,
        Err(e) => return page_failure(&frame, &uri, e),
    };
    render(StatusCode::OK, &GainTemplate::new(&frame, tr, gain, chart))
}
