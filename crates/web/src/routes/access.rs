//! Who else may see records: case members and access requests, under
//! `/api/v1/cases/{id}/members` and `/api/v1/access-requests`. Each handler
//! is one call on [`veza_app::Veza`], which audits it.

use super::api::number;
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::error::ApiError;
use crate::json::JsonBody;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use veza_app::Capacity;

/// Body of `PUT /api/v1/cases/{id}/members/{username}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberInput {
    /// investigator | analyst | prosecutor | judge | observer.
    capacity: String,
}

/// `GET /api/v1/cases/{id}/members`.
pub(crate) async fn case_members(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let members = s.app.case_members(&access, &id).await?;
    Ok(Json(json!({"case": id, "members": members})))
}

/// `PUT /api/v1/cases/{id}/members/{username}`: adds a member or changes
/// their capacity (the case's owner agency only).
pub(crate) async fn put_case_member(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path((id, username)): Path<(String, String)>,
    JsonBody(input): JsonBody<MemberInput>,
) -> Result<Json<Value>, ApiError> {
    let capacity = Capacity::parse(&input.capacity).ok_or_else(|| {
        ApiError::invalid(
            Some("capacity"),
            format!(
                "'{}' is not a capacity: one of {}",
                input.capacity,
                Capacity::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    s.app.put_case_member(&access, &id, &username, capacity).await?;
    Ok(Json(json!({"case": id, "username": username, "capacity": capacity.code()})))
}

/// `DELETE /api/v1/cases/{id}/members/{username}`.
pub(crate) async fn remove_case_member(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path((id, username)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    match s.app.remove_case_member(&access, &id, &username).await? {
        true => Ok(StatusCode::NO_CONTENT.into_response()),
        false => Err(ApiError::not_found(format!("{username} is not a member of case {id}"))),
    }
}

/// Body of `POST /api/v1/entities/{id}/access-requests`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestInput {
    /// Why the record is needed (a case reference or a short reason).
    reason: String,
}

/// `POST /api/v1/entities/{id}/access-requests`: asks the owner of a
/// record whose existence is visible to open it.
pub(crate) async fn request_access(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<RequestInput>,
) -> Result<Response, ApiError> {
    let request = s.app.request_access(&access, &id, &input.reason).await?;
    let location = HeaderValue::from_str(&format!("/api/v1/access-requests/{}", request.id))
        .map_err(|e| ApiError::internal(&e))?;
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(request)).into_response())
}

/// `GET /api/v1/access-requests/{id}`: one request to the caller's agency,
/// or of the caller.
pub(crate) async fn access_request(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<veza_app::AccessRequest>, ApiError> {
    let request_id = i64::from(number("id", Some(&id), 0)?);
    let found = s.app.access_request(&access, request_id).await?;
    found.map(Json).ok_or_else(|| ApiError::not_found(format!("no access request {request_id}")))
}

/// Query of `GET /api/v1/access-requests`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestsParams {
    /// `true` for undecided requests only.
    #[serde(default)]
    pending: Option<String>,
}

/// `GET /api/v1/access-requests`: requests to the caller's agency and the
/// caller's own, newest first.
pub(crate) async fn access_requests(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Query(params): Query<RequestsParams>,
) -> Result<Json<Value>, ApiError> {
    let pending = match params.pending.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(ApiError::invalid(Some("pending"), format!("pending is true or false, not '{other}'")));
        }
    };
    let requests = s.app.access_requests(&access, pending).await?;
    Ok(Json(json!({"requests": requests})))
}

/// Body of `POST /api/v1/access-requests/{id}/decision`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionInput {
    /// Grant (true) or refuse (false).
    grant: bool,
    /// Why (kept in the audit log).
    reason: String,
    /// Until when a grant holds: a date (to its end) or an RFC 3339 time.
    #[serde(default)]
    until: Option<String>,
}

/// `POST /api/v1/access-requests/{id}/decision`: the owner's answer.
pub(crate) async fn decide_access(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<DecisionInput>,
) -> Result<Json<veza_app::AccessRequest>, ApiError> {
    let request_id = i64::from(number("id", Some(&id), 0)?);
    let until = input.until.as_deref().map(parse_until).transpose()?;
    Ok(Json(s.app.decide_access(&access, request_id, input.grant, &input.reason, until).await?))
}

/// A grant's end: `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339.
fn parse_until(raw: &str) -> Result<DateTime<Utc>, ApiError> {
    let raw = raw.trim();
    if let Ok(d) = raw.parse::<NaiveDate>() {
        return Ok(veza_app::end_of_day(d));
    }
    DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        ApiError::invalid(Some("until"), format!("until is a date (2027-06-30) or an RFC 3339 time, not '{raw}'"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn grant_ends_are_dates_or_times() {
        assert_eq!(super::parse_until("2027-06-30").unwrap().to_rfc3339(), "2027-06-30T23:59:59+00:00");
        assert!(super::parse_until("2027-06-30T10:00:00Z").is_ok());
        assert!(super::parse_until("next week").is_err());
    }
}
