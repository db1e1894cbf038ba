//! The workspace pages that gather: the audit trail of a data-protection
//! officer. (The home page is in `pages`, beside the search it leads to.)

use super::pages::{failure, page_failure, render};
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::views::DayRange;
use crate::views::Frame;
use crate::views::Layout;
use crate::views::audit::{AuditForm, AuditTemplate, action_choices, audit_row};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;

/// `GET /audit?user=&entity=&action=&from=&to=`: the audit trail, newest
/// first, for data-protection officers; reading it is itself logged.
pub(crate) async fn audit_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    query: Result<Query<AuditForm>, QueryRejection>,
) -> Response {
    let tr = frame.tr;
    let form = query.map(|Query(f)| f).unwrap_or_default();
    let (rows, days) = match form.filter(&tr) {
        Ok(filter) => match s.app.audit_trail(&access, &filter).await {
            Ok(entries) => (entries.into_iter().map(|e| audit_row(&tr, e)).collect(), DayRange::default()),
            Err(e) => return page_failure(&frame, &uri, e),
        },
        Err(days) => (Vec::new(), days),
    };
    let (head, checkpoint) = match s.app.audit_status().await {
        Ok(st) => st,
        Err(e) => return failure(&frame, e),
    };
    let checkpoint = checkpoint.map(|(seq, at)| {
        let when = chrono::DateTime::from_timestamp_micros(at).map(|t| tr.datetime(t)).unwrap_or_default();
        tr.t2("audit-checkpoint-at", "seq", seq, "when", when)
    });
    let page = AuditTemplate {
        layout: Layout::new(&frame, tr.t("audit-title")),
        tr,
        actions: action_choices(&tr),
        form,
        days,
        rows,
        head,
        checkpoint,
    };
    render(StatusCode::OK, &page)
}
