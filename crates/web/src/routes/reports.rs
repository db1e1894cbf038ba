//! An operation's reports as downloads: `/operations/{id}/reports/daily?date=…`
//! and `/operations/{id}/reports/final`, PDF by default or a spreadsheet with
//! `?format=xlsx`. The app decides who may have them and audits each one.

use super::pages::page_failure;
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::views::Frame;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use veza_app::{Access, AppError, ReportKind};

/// What a report's address may say.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportParams {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

async fn report(
    s: &AppState,
    frame: &Frame,
    access: &Access,
    uri: &Uri,
    id: &str,
    kind: ReportKind,
    params: ReportParams,
) -> Response {
    let xlsx = match params.format.as_deref().unwrap_or("pdf") {
        "pdf" => false,
        "xlsx" => true,
        other => {
            let e = AppError::Invalid {
                field: Some("format".into()),
                message: format!("format '{other}': choose pdf or xlsx"),
            };
            return page_failure(frame, uri, e);
        }
    };
    let built = match s.app.operation_report(access, id, kind, params.date.as_deref()).await {
        Ok(r) => r,
        Err(e) => return page_failure(frame, uri, e),
    };
    let bytes = match tokio::task::spawn_blocking(move || if xlsx { built.xlsx() } else { built.pdf() }).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return page_failure(frame, uri, e),
        Err(e) => return page_failure(frame, uri, AppError::Internal(e.to_string())),
    };
    let (media, ext) = if xlsx {
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        ("application/pdf", "pdf")
    };
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let name = format!("{safe}-{}.{ext}", kind.code());
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(media)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (StatusCode::OK, headers, bytes).into_response()
}

/// `GET /operations/{id}/reports/daily?date=YYYY-MM-DD[&format=xlsx]`.
pub(crate) async fn daily(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    report(&s, &frame, &access, &uri, &id, ReportKind::Daily, params).await
}

/// `GET /operations/{id}/reports/final[?format=xlsx]`.
pub(crate) async fn final_report(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    report(&s, &frame, &access, &uri, &id, ReportKind::Final, params).await
}
