//! The operations API: plans, checks from checkpoint terminals, hit
//! decisions and the live picture. Checks are answered only after they are
//! stored and audited (the use case commits before it returns).
//!
//! A terminal's API token (scope `operation:<id>`, maybe `checkpoint:<code>`)
//! reaches only [`terminal_may_reach`]: the authentication layer refuses it
//! anywhere else, and puts its [`Terminal`] in the request's extensions.

use crate::AppState;
use crate::caller::{CurrentAccess, CurrentCaller};
use crate::error::ApiError;
use crate::json::JsonBody;
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::Method;
use axum::http::request::Parts;
use serde::Deserialize;
use serde_json::{Value, json};
use std::convert::Infallible;
use veza_app::operations::{
    CheckFilter, CheckInput, CheckResult, HitAction, HitFilter, HitStatus, MAX_CHECK_BATCH, Terminal,
};

/// The terminal the request comes from, if a terminal token authenticated it.
pub(crate) struct MaybeTerminal(pub(crate) Option<Terminal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeTerminal {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeTerminal(parts.extensions.get::<Terminal>().cloned()))
    }
}

/// Whether a terminal token may make this request: send checks to its
/// operation and read back a check. Everything else is refused (deny by default).
pub(crate) fn terminal_may_reach(t: &Terminal, method: &Method, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/operations/") else { return false };
    let Some(rest) = rest.strip_prefix(t.operation_id.as_str()) else { return false };
    match (method, rest) {
        (&Method::POST, "/checks") => true,
        (&Method::GET, r) => {
            r.strip_prefix("/checks/").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        }
        _ => false,
    }
}

/// `GET /api/v1/operations`: the operations the caller takes part in.
pub(crate) async fn list(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
) -> Result<Json<Value>, ApiError> {
    let ops = s.app.operations(&caller).await?;
    Ok(Json(json!({ "operations": ops })))
}

/// `GET /api/v1/operations/{id}`: the plan with its checkpoints.
pub(crate) async fn show(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = s.app.operation_view(&caller, &id).await?;
    Ok(Json(serde_json::to_value(view).map_err(|e| ApiError::internal(&e))?))
}

/// Body of `POST /api/v1/operations/{id}/checks`: one check, or `{"checks": […]}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ChecksBody {
    /// A batch.
    Batch {
        /// The checks.
        checks: Vec<CheckInput>,
    },
    /// One check.
    One(Box<CheckInput>),
}

/// `POST /api/v1/operations/{id}/checks`: screens, stores and audits each
/// check, then answers `{"check_id","result","hits":[…]}` per check (a batch:
/// `{"checks":[…]}` in the same order).
pub(crate) async fn checks(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    MaybeTerminal(terminal): MaybeTerminal,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    // A field node sending the checks it made offline: its signed upload is
    // verified, resent checks are answered from the store, new ones screened.
    if crate::field::is_upload(&body) {
        let upload = crate::field::parse_upload(&body).map_err(|e| ApiError::invalid(Some("upload"), e))?;
        let answers = s.app.record_field_upload(&caller, terminal.as_ref(), &id, &upload).await?;
        return Ok(Json(crate::field::upload_answer(&answers)));
    }
    let value: Value = crate::json::parse(&body)?;
    let batch = value.get("checks").is_some();
    let inputs = if batch {
        match crate::json::parse::<ChecksBody>(&body)? {
            ChecksBody::Batch { checks } => checks,
            ChecksBody::One(c) => vec![*c],
        }
    } else {
        vec![crate::json::parse::<CheckInput>(&body)?]
    };
    if inputs.len() > MAX_CHECK_BATCH {
        return Err(ApiError::invalid(Some("checks"), format!("at most {MAX_CHECK_BATCH} checks per request")));
    }
    let answers = s.app.run_checks(&caller, terminal.as_ref(), &id, &inputs).await?;
    fn to_value<T: serde::Serialize>(a: T) -> Result<Value, ApiError> {
        serde_json::to_value(a).map_err(|e| ApiError::internal(&e))
    }
    if batch {
        Ok(Json(json!({ "checks": to_value(answers)? })))
    } else {
        let one = answers.into_iter().next().ok_or_else(|| ApiError::internal(&"no answer"))?;
        Ok(Json(to_value(one)?))
    }
}

/// `GET /api/v1/operations/{id}/checks/{check_id}`: a check with the state
/// of its hits (confirmed, rejected, the action taken).
pub(crate) async fn check(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    MaybeTerminal(terminal): MaybeTerminal,
    Path((id, check_id)): Path<(String, i64)>,
) -> Result<Json<Value>, ApiError> {
    let state = s.app.check_state(&access, terminal.as_ref(), &id, check_id).await?;
    Ok(Json(serde_json::to_value(state).map_err(|e| ApiError::internal(&e))?))
}

/// `GET /api/v1/operations/{id}/results`: the live picture.
pub(crate) async fn results(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let r = s.app.operation_results(&access, &id).await?;
    Ok(Json(serde_json::to_value(r).map_err(|e| ApiError::internal(&e))?))
}

/// Query of `GET /api/v1/operations/{id}/hits`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HitsQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    watchlist: Option<String>,
}

/// `GET /api/v1/operations/{id}/hits`: the caller's hit queue.
pub(crate) async fn hits(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(q): Query<HitsQuery>,
) -> Result<Json<Value>, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(x) => Some(
            HitStatus::parse(x).ok_or_else(|| ApiError::invalid(Some("status"), "pending, confirmed or rejected"))?,
        ),
    };
    let filter =
        HitFilter { status, watchlist: q.watchlist.filter(|w| !w.is_empty()), limit: 500, ..Default::default() };
    let hits = s.app.hit_queue(&access, &id, &filter).await?;
    Ok(Json(json!({ "hits": hits })))
}

/// Body of a hit decision.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionBody {
    status: HitStatus,
    action: HitAction,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/operations/{id}/hits/{hit_id}/decision`: the owner's answer.
pub(crate) async fn decide(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path((id, hit_id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<Value>, ApiError> {
    let hit = s.app.decide_hit(&access, &id, hit_id, body.status, body.action, &body.reason).await?;
    Ok(Json(serde_json::to_value(hit).map_err(|e| ApiError::internal(&e))?))
}

/// Body of a terminal token request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenBody {
    name: String,
    #[serde(default)]
    checkpoint: Option<String>,
    #[serde(default)]
    days: Option<i64>,
}

/// `POST /api/v1/operations/{id}/tokens`: a terminal token (shown once).
pub(crate) async fn issue_token(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    let days = body.days.unwrap_or(14);
    let t = s.app.issue_terminal_token(&access, &id, &body.name, body.checkpoint.as_deref(), days).await?;
    Ok(Json(serde_json::to_value(t).map_err(|e| ApiError::internal(&e))?))
}

/// `GET /api/v1/operations/{id}/tokens`: the operation's terminal tokens (never the tokens themselves).
pub(crate) async fn tokens(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "tokens": s.app.terminal_tokens(&caller, &id).await? })))
}

/// `DELETE /api/v1/operations/{id}/tokens/{token_id}`: revokes a terminal token.
pub(crate) async fn revoke_token(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path((id, token_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let revoked = s.app.revoke_terminal_token(&access, &id, &token_id).await?;
    if !revoked {
        return Err(ApiError::not_found(format!("token {token_id} not found")));
    }
    Ok(Json(json!({ "revoked": true })))
}

/// Query of the check lists (pages behind the dashboard's figures).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChecksQuery {
    #[serde(default)]
    pub(crate) checkpoint: Option<i64>,
    #[serde(default)]
    pub(crate) result: Option<String>,
    #[serde(default)]
    pub(crate) from: Option<i64>,
    #[serde(default)]
    pub(crate) to: Option<i64>,
    #[serde(default)]
    pub(crate) watchlist: Option<String>,
}

impl ChecksQuery {
    /// The store's filter.
    pub(crate) fn filter(&self) -> CheckFilter {
        CheckFilter {
            checkpoint_id: self.checkpoint,
            result: self.result.as_deref().and_then(CheckResult::parse),
            from: self.from,
            to: self.to,
            watchlist: self.watchlist.clone().filter(|w| !w.is_empty()),
            limit: 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_reaches_only_its_checks() {
        let t = Terminal { name: "t".into(), operation_id: "op-1".into(), checkpoint: None };
        assert!(terminal_may_reach(&t, &Method::POST, "/api/v1/operations/op-1/checks"));
        assert!(terminal_may_reach(&t, &Method::GET, "/api/v1/operations/op-1/checks/42"));
        assert!(!terminal_may_reach(&t, &Method::GET, "/api/v1/operations/op-1"));
        assert!(!terminal_may_reach(&t, &Method::POST, "/api/v1/operations/op-10/checks"));
        assert!(!terminal_may_reach(&t, &Method::GET, "/api/v1/operations/op-1/results"));
        assert!(!terminal_may_reach(&t, &Method::GET, "/api/v1/search"));
        assert!(!terminal_may_reach(&t, &Method::DELETE, "/api/v1/operations/op-1/checks/1"));
    }
}
