//! The network around an entity: `GET /api/v1/entities/{id}/network` (the
//! caller's part of the link graph with communities and centralities) and
//! `GET /api/v1/entities/{id}/network/export` (ANX, GraphML, GEXF or
//! Cytoscape.js, audited as a disclosure).

use super::api::number;
use crate::AppState;
use crate::caller::CurrentAccess;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use veza_app::{MAX_HOPS, NetworkFormat, NetworkView};

/// Query of the network routes.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NetworkParams {
    /// Links to walk out (1–4, default 2).
    #[serde(default)]
    hops: Option<String>,
    /// Export format.
    #[serde(default)]
    format: Option<String>,
}

fn hops_of(params: &NetworkParams) -> Result<u32, ApiError> {
    let hops = number("hops", params.hops.as_deref(), 2)?;
    if !(1..=MAX_HOPS).contains(&hops) {
        return Err(ApiError::invalid(Some("hops"), format!("hops is 1–{MAX_HOPS}, not {hops}")));
    }
    Ok(hops)
}

/// `GET /api/v1/entities/{id}/network?hops=2`.
pub(crate) async fn network(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(params): Query<NetworkParams>,
) -> Result<Json<NetworkView>, ApiError> {
    let hops = hops_of(&params)?;
    Ok(Json(s.app.network(&access, &id, hops).await?))
}

/// `GET /api/v1/entities/{id}/network/export?hops=2&format=anx`.
pub(crate) async fn export(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(params): Query<NetworkParams>,
) -> Result<Response, ApiError> {
    let hops = hops_of(&params)?;
    let raw = params.format.as_deref().unwrap_or("");
    let format = NetworkFormat::parse(raw).ok_or_else(|| {
        ApiError::invalid(Some("format"), format!("format is anx, graphml, gexf or cytoscape, not '{raw}'"))
    })?;
    let bytes = s.app.export_network(&access, &id, hops, format).await?;
    let (ext, media) = format.file();
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"veza-network-{safe}.{ext}\""))
        .map_err(|e| ApiError::internal(&e))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(media)), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
