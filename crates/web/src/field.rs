//! The field node's HTTP: the local check API it serves to the checkpoint's
//! terminals from its snapshot, and the client that sends its queued checks
//! to the server's `POST /api/v1/operations/{id}/checks` when the link
//! returns.
//!
//! Local API (no sign-in: listen on loopback or the checkpoint's own
//! network): `POST /api/v1/operations/{id}/checks` with one check or
//! `{"checks":[…]}`, answered per check `{"check_id","result","hits"}` as the
//! server answers; `GET /api/v1/field/status`; `GET /healthz`.
//!
//! Upload: `{"checks":[{…check, "client_ref", "checked_at"}], "field":
//! {"snapshot": base64 signed header, "mac": hex HMAC}}` in batches of
//! [`SYNC_BATCH`]; the server de-duplicates on `client_ref`, so a batch sent
//! twice (the answer lost on the way) is recorded once.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use http_body_util::{BodyExt, Full};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use veza_app::{AppError, FieldCheckInput, FieldNode, QueuedCheck};

/// Checks per upload request.
pub const SYNC_BATCH: usize = 500;

/// A check as uploaded: the check, its client reference and its time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadedCheck {
    /// The check.
    #[serde(flatten)]
    pub check: FieldCheckInput,
    /// The node's id for it.
    pub client_ref: String,
    /// When it was made (RFC 3339).
    pub checked_at: String,
}

/// What proves an upload comes from the node holding the snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldProof {
    /// The snapshot's signed header, base64.
    pub snapshot: String,
    /// HMAC-SHA-256 of the checks' canonical bytes under the upload key, hex.
    pub mac: String,
}

/// The upload body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    /// The checks.
    pub checks: Vec<UploadedCheck>,
    /// The proof.
    pub field: FieldProof,
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Checks the server accepted.
    pub sent: u64,
    /// Of those, the ones it had already (an earlier answer was lost).
    pub duplicates: u64,
    /// Checks still queued.
    pub left: u64,
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The queue or the node failed.
    #[error(transparent)]
    Node(#[from] AppError),
    /// The server could not be reached.
    #[error("the server {0} is not reachable: {1}")]
    Unreachable(String, String),
    /// The server refused the upload.
    #[error("the server refused the checks ({0}): {1}")]
    Refused(StatusCode, String),
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.to_rfc3339())
}

/// The upload of `checks`, with its proof.
pub fn upload_of(node: &FieldNode, checks: &[QueuedCheck]) -> Upload {
    let canonical: Vec<(String, i64, FieldCheckInput)> =
        checks.iter().map(|c| (c.client_ref.clone(), c.checked_at, c.check.clone())).collect();
    Upload {
        checks: checks
            .iter()
            .map(|c| UploadedCheck {
                check: c.check.clone(),
                client_ref: c.client_ref.clone(),
                checked_at: rfc3339(c.checked_at),
            })
            .collect(),
        field: FieldProof {
            snapshot: base64::engine::general_purpose::STANDARD.encode(node.signed_header()),
            mac: node.upload_code(&canonical),
        },
    }
}

/// Sends every queued check to `server` with `token`, batch by batch; each
/// batch is marked sent only once the server has answered 2xx.
pub async fn sync(node: &FieldNode, server: &str, token: &str) -> Result<SyncSummary, SyncError> {
    let pending = node.pending()?;
    let client = client();
    let url = format!("{}/api/v1/operations/{}/checks", server.trim_end_matches('/'), node.header().operation);
    let mut summary = SyncSummary::default();
    for batch in pending.chunks(SYNC_BATCH) {
        let body = serde_json::to_vec(&upload_of(node, batch)).map_err(|e| AppError::Internal(e.to_string()))?;
        let request = Request::post(&url)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(crate::PURPOSE_HEADER, format!("field checks of checkpoint {}", node.header().checkpoint))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| SyncError::Unreachable(server.to_owned(), e.to_string()))?;
        let answer =
            client.request(request).await.map_err(|e| SyncError::Unreachable(server.to_owned(), e.to_string()))?;
        let status = answer.status();
        let bytes = answer
            .into_body()
            .collect()
            .await
            .map_err(|e| SyncError::Unreachable(server.to_owned(), e.to_string()))?
            .to_bytes();
        if !status.is_success() {
            return Err(SyncError::Refused(status, String::from_utf8_lossy(&bytes).chars().take(500).collect()));
        }
        let answers: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        summary.duplicates += answers
            .as_array()
            .or_else(|| answers.get("checks").and_then(|c| c.as_array()))
            .map_or(0, |a| a.iter().filter(|c| c.get("duplicate").and_then(|d| d.as_bool()) == Some(true)).count())
            as u64;
        if let Some(last) = batch.last() {
            node.mark_sent(last.seq)?;
        }
        summary.sent += batch.len() as u64;
    }
    summary.left = node.pending()?.len() as u64;
    Ok(summary)
}

type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

fn client() -> Client {
    let https = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https)
}

/// One check or a batch, as the check API takes them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Batch { checks: Vec<FieldCheckInput> },
    One(Box<FieldCheckInput>),
}

#[derive(Serialize)]
struct Answer<'a> {
    check_id: &'a str,
    result: &'a str,
    hits: &'a [veza_snapshot::FieldHit],
}

fn problem(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({"error": message}))).into_response()
}

async fn checks(State(node): State<Arc<FieldNode>>, Path(operation): Path<String>, body: Bytes) -> Response {
    if operation != node.header().operation {
        return problem(
            StatusCode::NOT_FOUND,
            format!("this field node serves operation {}, not {operation}", node.header().operation),
        );
    }
    let (batch, single) = match serde_json::from_slice::<Body>(&body) {
        Ok(Body::Batch { checks }) => (checks, false),
        Ok(Body::One(c)) => (vec![*c], true),
        Err(e) => return problem(StatusCode::BAD_REQUEST, format!("not a check or {{\"checks\":[…]}}: {e}")),
    };
    if batch.is_empty() || batch.len() > 1_000 {
        return problem(StatusCode::BAD_REQUEST, "a request holds 1 to 1000 checks".into());
    }
    let worker = Arc::clone(&node);
    let now = chrono::Utc::now().timestamp();
    let answered = tokio::task::spawn_blocking(move || worker.check(&batch, now)).await;
    match answered {
        Ok(Ok(answers)) => {
            let out: Vec<Answer<'_>> =
                answers.iter().map(|a| Answer { check_id: &a.client_ref, result: &a.result, hits: &a.hits }).collect();
            if single {
                Json(&out[0]).into_response()
            } else {
                Json(serde_json::json!({"checks": out})).into_response()
            }
        }
        Ok(Err(AppError::Invalid { field, message })) => problem(
            StatusCode::BAD_REQUEST,
            format!("{}{message}", field.map(|f| format!("{f}: ")).unwrap_or_default()),
        ),
        Ok(Err(AppError::Forbidden(m))) => problem(StatusCode::FORBIDDEN, m),
        Ok(Err(e)) => problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn status(State(node): State<Arc<FieldNode>>) -> Response {
    let h = node.header();
    let pending = node.pending().map(|p| p.len()).unwrap_or_default();
    Json(serde_json::json!({
        "snapshot": h.id_hex(),
        "operation": h.operation,
        "checkpoint": h.checkpoint,
        "entries": node.entries(),
        "expires_at": rfc3339(h.expires_at),
        "pending": pending,
    }))
    .into_response()
}

/// The field node's router.
pub fn router(node: Arc<FieldNode>) -> axum::Router {
    axum::Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/field/status", get(status))
        .route("/api/v1/operations/{id}/checks", post(checks))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(2 * 1024 * 1024))
        .with_state(node)
}

/// Serves the field node on `listen` until Ctrl-C; with `upstream` (server,
/// token, interval), sends the queue whenever the server answers.
pub async fn serve(
    node: Arc<FieldNode>,
    listen: SocketAddr,
    upstream: Option<(String, String, Duration)>,
) -> std::io::Result<()> {
    if let Some((server, token, every)) = upstream {
        let node = Arc::clone(&node);
        tokio::spawn(async move {
            loop {
                match sync(&node, &server, &token).await {
                    Ok(s) if s.sent > 0 => tracing::info!(sent = s.sent, left = s.left, "field checks sent"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("field sync: {e}"),
                }
                tokio::time::sleep(every).await;
            }
        });
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, router(node))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Whether a check request body is a field node's upload (it carries `field`).
pub fn is_upload(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.get("field").is_some())
}

/// Reads an upload body into the app's terms; the error names the part.
pub fn parse_upload(body: &[u8]) -> Result<veza_app::FieldUpload, String> {
    let upload: Upload = serde_json::from_slice(body).map_err(|e| format!("not a field upload: {e}"))?;
    let signed_header = base64::engine::general_purpose::STANDARD
        .decode(upload.field.snapshot.trim())
        .map_err(|e| format!("field.snapshot is not base64: {e}"))?;
    let mut checks = Vec::with_capacity(upload.checks.len());
    for (i, c) in upload.checks.into_iter().enumerate() {
        let at = chrono::DateTime::parse_from_rfc3339(&c.checked_at)
            .map_err(|e| format!("checks[{i}].checked_at is not an RFC 3339 time: {e}"))?;
        if c.client_ref.trim().is_empty() || c.client_ref.len() > 100 {
            return Err(format!("checks[{i}].client_ref must be 1–100 characters"));
        }
        checks.push((c.client_ref, at.timestamp(), c.check));
    }
    Ok(veza_app::FieldUpload { checks, signed_header, mac: upload.field.mac })
}

/// The answer to an upload: per check, the server's answer with the node's
/// reference and whether it was there already.
pub fn upload_answer(answers: &[veza_app::FieldUploadAnswer]) -> serde_json::Value {
    let checks: Vec<serde_json::Value> = answers
        .iter()
        .map(|a| {
            let mut v = serde_json::to_value(&a.answer).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("client_ref".into(), a.client_ref.clone().into());
                o.insert("duplicate".into(), a.duplicate.into());
            }
            v
        })
        .collect();
    serde_json::json!({ "checks": checks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_read_with_their_times_and_refs() {
        let body = serde_json::json!({
            "checks": [{"checkpoint": "MK-TAB", "person": {"name": "Ana"}, "client_ref": "field-ab-1",
                        "checked_at": "2026-11-29T03:00:00Z"}],
            "field": {"snapshot": "VkVaQQ==", "mac": "00"}
        });
        let bytes = serde_json::to_vec(&body).unwrap();
        assert!(is_upload(&bytes));
        let up = parse_upload(&bytes).unwrap();
        assert_eq!(up.checks[0].0, "field-ab-1");
        assert_eq!(up.checks[0].1, 1_795_921_200);
        assert_eq!(up.signed_header, b"VEZA");
        let mut bad = body.clone();
        bad["checks"][0]["checked_at"] = "yesterday".into();
        assert!(parse_upload(&serde_json::to_vec(&bad).unwrap()).unwrap_err().contains("checks[0].checked_at"));
        assert!(!is_upload(br#"{"checkpoint":"MK-TAB"}"#));
    }
}
