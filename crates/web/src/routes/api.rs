//! The JSON API under `/api/v1` (and `/healthz`). Each handler is one call
//! on [`veza_app::Veza`]; errors leave as [`ApiError`].

use super::API_ROUTES;
use crate::auth::{self, ClientIp, Credential, MaybeSignedIn};
use crate::caller::{CurrentAccess, CurrentCaller};
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
use veza_app::{Access, Lookup, NewEntity, Veza};
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

/// `GET /api/v1/entities/{id}` (a consultation: needs a purpose).
pub(crate) async fn entity(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let entity = visible(&s.app, &access, &id).await?;
    Ok(Json(entity_json(&entity, s.app.model())))
}

/// `GET /api/v1/entities/{id}/links` (a consultation: needs a purpose).
pub(crate) async fn links(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let links = s.app.links(&access, &id).await?;
    Ok(Json(json!({"entity": id, "links": links})))
}

/// `GET /api/v1/entities/{id}/statements` (a consultation: needs a purpose).
pub(crate) async fn statements(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let statements = s.app.statements(&access, &id).await?;
    Ok(Json(json!({"entity": id, "statements": statements})))
}

/// 400 for a malformed id.
fn valid_id(id: &str) -> Result<(), ApiError> {
    if !veza_model::entity::valid_id(id) {
        return Err(ApiError::invalid(
            Some("id"),
            format!("'{id}' is not an entity id: ids are 1–200 letters, digits, '.', '-', '_' or ':'"),
        ));
    }
    Ok(())
}

/// The entity `id` if the caller may see it; 400 for a malformed id, 403
/// `restricted` naming whom to ask, or 404.
async fn visible(app: &Veza, access: &Access, id: &str) -> Result<Entity, ApiError> {
    valid_id(id)?;
    match app.entity(access, id).await? {
        Lookup::Found(entity) => Ok(entity),
        Lookup::Restricted { id, schema, owner_agency } => {
            let owner = views::agency_label(app, &owner_agency).await;
            Err(ApiError::restricted(format!(
                "{schema} {id} is restricted by its owner: ask {owner} for access \
                 (POST /api/v1/entities/{id}/access-requests with your reason)"
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

/// `GET /api/v1/search?q=&schema=&limit=&offset=` (a consultation: needs a purpose).
pub(crate) async fn search(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
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
    let page = s.app.search(&access, text, schema, limit, offset).await?;
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

/// `POST /api/v1/entities`: 201 with the stored entity and its `Location`
/// (a collection: needs a purpose).
pub(crate) async fn create_entity(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    JsonBody(input): JsonBody<NewEntity>,
) -> Result<Response, ApiError> {
    let entity = s.app.create_entity(&access, input).await?;
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

/// The body of `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginInput {
    username: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

/// `POST /api/v1/auth/login`: 200 with `{"token","expires_at","csrf_token"}`
/// and the session and CSRF cookies; 401/423 with a code saying why not;
/// 429 with `Retry-After` past ten attempts a minute per address or user.
pub(crate) async fn login(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(input): JsonBody<LoginInput>,
) -> Result<Response, Response> {
    if let Err(wait) = s.limiter.attempt(&auth::limiter_keys(&ip, &input.username)) {
        let mut r = ApiError::rate_limited(wait).into_response();
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Err(r);
    }
    let session = match s.app.login(&input.username, &input.password, input.totp.as_deref()).await {
        Ok(session) => session,
        Err(e) => {
            let locked_until = match &e {
                veza_app::AuthError::Locked { until } => Some(*until),
                _ => None,
            };
            let mut r = ApiError::auth(e).into_response();
            if let Some(until) = locked_until {
                let wait = (until - chrono::Utc::now()).num_seconds().max(1) as u64;
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
            }
            return Err(r);
        }
    };
    let csrf = auth::new_csrf_token();
    let body = json!({"token": session.token, "expires_at": session.expires_at, "csrf_token": csrf});
    let mut response = Json(body).into_response();
    auth::set_session_cookies(&mut response, &session, &csrf);
    Ok(response)
}

/// `POST /api/v1/auth/logout`: ends the session that authenticated the
/// request (cookie or bearer) and clears the cookies; 204. An API token is
/// not a session: 400 (revoke it instead).
pub(crate) async fn logout(State(s): State<AppState>, MaybeSignedIn(who): MaybeSignedIn) -> Result<Response, ApiError> {
    match who.map(|w| w.via) {
        Some(Credential::Cookie(token) | Credential::BearerSession(token)) => s.app.logout(&token).await?,
        Some(Credential::ApiToken) => {
            return Err(ApiError::invalid(None, "an API token is not a session: revoke the token instead"));
        }
        None => {}
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    for c in auth::cleared_cookies() {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

/// `GET /api/v1/auth/me`: who the request is signed in as.
pub(crate) async fn me(MaybeSignedIn(who): MaybeSignedIn, CurrentCaller(caller): CurrentCaller) -> Json<Value> {
    match who {
        Some(w) => {
            let roles: Vec<&str> = w.user.roles.iter().map(|r| r.as_str()).collect();
            let via = if matches!(w.via, Credential::ApiToken) { "api_token" } else { "session" };
            Json(json!({
                "username": w.user.username,
                "display_name": w.user.display_name,
                "agency": w.user.agency,
                "country": w.user.country,
                "roles": roles,
                "via": via,
                "cases": w.user.scope.cases.iter().map(|m| json!({"case": m.case_id, "capacity": m.capacity.code()})).collect::<Vec<_>>(),
                "exercise": caller.exercise(),
            }))
        }
        None => match caller {
            veza_app::Caller::User { username, agency, country, roles, .. } => Json(json!({
                "username": username, "display_name": username, "agency": agency, "country": country,
                "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(), "via": "session",
            })),
            veza_app::Caller::System { name } => Json(json!({
                "username": name, "display_name": name, "agency": veza_app::LOCAL_AGENCY, "country": "zz",
                "roles": [], "via": "system",
            })),
        },
    }
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
