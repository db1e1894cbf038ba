//! The JSON API under `/api/v1` (and `/healthz`). Each handler is one call
//! on [`veza_app::Veza`]; errors leave as [`ApiError`].

use super::API_ROUTES;
use crate::caller::CurrentCaller;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::{AppState, openapi, views};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use veza_app::{Lookup, NewEntity, Veza};
use veza_model::{Entity, Model};

/// Page size of a search when the client gives none.
pub(crate) const DEFAULT_LIMIT: u32 = 20;
/// Largest page size of a search.
pub(crate) const MAX_LIMIT: u32 = 500;

/// The API routes from [`API_ROUTES`], and a JSON 404 for any other path
/// under `/api`.
pub(crate) fn router() -> Router<AppState> {
    API_ROUTES
        .iter()
        .fold(Router::new(), |router, route| router.route(route.path, (route.endpoint)()))
        .route("/api", any(unknown_route))
        .route("/api/{*rest}", any(unknown_route))
}

/// The entity as FtM JSON with its caption.
pub(crate) fn entity_json(entity: &Entity, model: &Model) -> Value {
    let mut value = entity.to_ftm();
    if let Value::Object(map) = &mut value {
        map.insert("caption".into(), Value::String(entity.caption(model)));
    }
    value
}

/// `GET /healthz`: the process answers, with its version and database.
pub(crate) async fn healthz(State(s): State<AppState>) -> Json<Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "database": s.app.backend().as_str()}))
}

/// Any path under `/api` that is not a route.
async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no API route {}: see /api/v1/openapi.json", uri.path()))
}

/// `GET /api/v1/entities/{id}`.
pub(crate) async fn entity(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let entity = visible(&s.app, &caller, &id).await?;
    Ok(Json(entity_json(&entity, s.app.model())))
}

/// `GET /api/v1/entities/{id}/links`.
pub(crate) async fn links(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    visible(&s.app, &caller, &id).await?;
    let links = s.app.links(&caller, &id).await?;
    Ok(Json(json!({"entity": id, "links": links})))
}

/// `GET /api/v1/entities/{id}/statements`.
pub(crate) async fn statements(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    visible(&s.app, &caller, &id).await?;
    let statements = s.app.statements(&caller, &id).await?;
    Ok(Json(json!({"entity": id, "statements": statements})))
}

/// The entity `id` if the caller may see it; 400 for a malformed id, 403
/// `restricted` naming whom to ask, or 404.
async fn visible(app: &Veza, caller: &veza_app::Caller, id: &str) -> Result<Entity, ApiError> {
    if !veza_model::entity::valid_id(id) {
        return Err(ApiError::invalid(
            Some("id"),
            format!("'{id}' is not an entity id: ids are 1–200 letters, digits, '.', '-', '_' or ':'"),
        ));
    }
    match app.entity(caller, id).await? {
        Lookup::Found(entity) => Ok(entity),
        Lookup::Restricted { id, schema, owner_agency } => {
            let owner = views::agency_label(app, &owner_agency).await;
            Err(ApiError::restricted(format!(
                "{schema} {id} is restricted by its owner: ask {owner} for access, quoting the id"
            )))
        }
        Lookup::NotFound => Err(ApiError::not_found(format!("entity {id} not found"))),
    }
}

/// Query string of a search, read as text so that each bad parameter is
/// reported by name.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    /// Free text.
    #[serde(default)]
    pub(crate) q: Option<String>,
    /// Schema filter.
    #[serde(default)]
    pub(crate) schema: Option<String>,
    /// Page size.
    #[serde(default)]
    pub(crate) limit: Option<String>,
    /// Offset.
    #[serde(default)]
    pub(crate) offset: Option<String>,
}

/// Reads a non-negative integer parameter; empty or absent gives `default`.
pub(crate) fn number(field: &str, raw: Option<&str>, default: u32) -> Result<u32, ApiError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(default),
        Some(r) => r
            .parse::<u32>()
            .map_err(|_| ApiError::invalid(Some(field), format!("{field} must be a whole number ≥ 0, not '{r}'"))),
    }
}

/// `GET /api/v1/search?q=&schema=&limit=&offset=`.
pub(crate) async fn search(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::invalid(None, e.body_text()))?;
    let limit = number("limit", params.limit.as_deref(), DEFAULT_LIMIT)?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(Some("limit"), format!("limit must be between 1 and {MAX_LIMIT}, not {limit}")));
    }
    let offset = number("offset", params.offset.as_deref(), 0)?;
    let schema = params.schema.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let text = params.q.as_deref().unwrap_or("").trim();
    let page = s.app.search(&caller, text, schema, limit, offset).await?;
    let model = s.app.model();
    let results: Vec<Value> = page.results.iter().map(|e| entity_json(e, model)).collect();
    Ok(Json(json!({
        "total": page.total,
        "total_is_exact": page.total_is_exact,
        "ranked": page.ranked,
        "limit": limit,
        "offset": offset,
        "results": results,
    })))
}

/// `POST /api/v1/entities`: 201 with the stored entity and its `Location`.
pub(crate) async fn create_entity(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    JsonBody(input): JsonBody<NewEntity>,
) -> Result<Response, ApiError> {
    let entity = s.app.create_entity(&caller, input).await?;
    let location = format!("/api/v1/entities/{}", views::path_segment(&entity.id));
    let location = HeaderValue::from_str(&location).map_err(|e| ApiError::internal(&e))?;
    let body = Json(entity_json(&entity, s.app.model()));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], body).into_response())
}

/// `GET /api/v1/stats`.
pub(crate) async fn stats(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
) -> Result<Json<veza_app::Stats>, ApiError> {
    Ok(Json(s.app.stats(&caller).await?))
}

/// `GET /api/v1/schemata`: every schema with its properties, by name.
pub(crate) async fn schemata(State(s): State<AppState>) -> Json<Value> {
    let list: Vec<Value> = s
        .app
        .model()
        .schemata()
        .map(|schema| {
            let properties: Vec<Value> = schema
                .properties
                .values()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "label": p.label,
                        "type": p.kind.name(),
                        "range": p.range,
                        "stub": p.stub,
                    })
                })
                .collect();
            json!({
                "name": schema.name,
                "label": schema.label,
                "plural": schema.plural,
                "description": schema.description,
                "abstract": schema.is_abstract,
                "extends": schema.extends,
                "featured": schema.featured,
                "required": schema.required,
                "caption": schema.caption,
                "edge": schema.edge.as_ref().map(|e| json!({
                    "source": e.source,
                    "target": e.target,
                    "label": e.label,
                    "directed": e.directed,
                })),
                "properties": properties,
            })
        })
        .collect();
    Json(Value::Array(list))
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi() -> Result<Json<Value>, ApiError> {
    Ok(Json(openapi::document()?.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_by_name() {
        assert_eq!(number("limit", None, 20).unwrap(), 20);
        assert_eq!(number("limit", Some(" "), 20).unwrap(), 20);
        assert_eq!(number("offset", Some("40"), 0).unwrap(), 40);
        let e = number("offset", Some("-1"), 0).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("offset"));
    }
}
