//! The server-rendered workspace: the search page and the entity page. Plain
//! HTML forms and links that work without JavaScript; htmx only swaps the
//! results region when it is there.

use super::api::{DEFAULT_LIMIT, SearchParams, number};
use crate::caller::CurrentCaller;
use crate::views::entity::{RestrictedTemplate, entity_page};
use crate::views::search::{ResultsTemplate, SearchTemplate, results_view, schema_options};
use crate::views::{Directory, ErrorPage, Layout, agency_label};
use crate::{AppState, WebOptions, assets};
use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use veza_app::{AppError, Lookup};

/// The page routes and the HTML 404 for every other path.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search))
        .route("/entities/{id}", get(entity))
        .route("/assets/{name}", get(assets::serve))
        .fallback(not_found)
}

/// Renders `template` with `status`; a template that fails to render is
/// logged and answered with a bare 500.
fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error: the page could not be rendered\n").into_response()
        }
    }
}

/// An error page.
fn error_page(opts: &WebOptions, status: StatusCode, heading: &str, message: String) -> Response {
    let page =
        ErrorPage { layout: Layout::new(opts, heading), status: status.as_u16(), heading: heading.to_owned(), message };
    render(status, &page)
}

/// The error page for a failed use case. Internal details are logged only.
fn failure(opts: &WebOptions, e: AppError) -> Response {
    match e {
        AppError::Invalid { message, .. } => error_page(opts, StatusCode::BAD_REQUEST, "Invalid request", message),
        AppError::NotFound(what) => error_page(opts, StatusCode::NOT_FOUND, "Not found", format!("{what} not found.")),
        AppError::Forbidden(m) => error_page(opts, StatusCode::FORBIDDEN, "Not allowed", m),
        AppError::Conflict(m) => error_page(opts, StatusCode::CONFLICT, "Conflict", m),
        other @ (AppError::File { .. } | AppError::Store(_)) => {
            tracing::error!(error = %other, "page failed");
            error_page(
                opts,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The server could not complete the request. The details are in its log; try again, and tell \
                 the administrator if it keeps happening."
                    .into(),
            )
        }
    }
}

/// Any path without a page.
async fn not_found(State(s): State<AppState>) -> Response {
    error_page(
        &s.opts,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Search for what you are looking for instead.".into(),
    )
}

/// Whether htmx asks for the results region only (and not to restore a
/// whole page from history).
fn wants_partial(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request")
}

/// `GET /?q=&schema=&offset=`: the search page, or only its results region
/// for htmx.
async fn search(
    State(s): State<AppState>,
    CurrentCaller(caller): CurrentCaller,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return error_page(&s.opts, StatusCode::BAD_REQUEST, "Invalid request", e.body_text()),
    };
    let q = params.q.as_deref().unwrap_or("").trim().to_owned();
    let schema = params.schema.as_deref().unwrap_or("").trim().to_owned();
    let offset = match number("offset", params.offset.as_deref(), 0) {
        Ok(o) => o,
        Err(e) => return error_page(&s.opts, StatusCode::BAD_REQUEST, "Invalid request", e.message),
    };
    let page = match s.app.search(&caller, &q, Some(&schema), DEFAULT_LIMIT, offset).await {
        Ok(p) => p,
        Err(e) => return failure(&s.opts, e),
    };
    let model = s.app.model();
    let dir = Directory::load(&s.app).await;
    let results = results_view(model, &dir, &page, &q, &schema, DEFAULT_LIMIT, offset);
    let mut response = if wants_partial(&headers) {
        render(StatusCode::OK, &ResultsTemplate { results })
    } else {
        let stats = match s.app.stats(&caller).await {
            Ok(st) => st,
            Err(e) => return failure(&s.opts, e),
        };
        let title = if q.is_empty() { "Entities".to_owned() } else { format!("“{q}” — search") };
        let page = SearchTemplate {
            layout: Layout::new(&s.opts, title),
            schema_options: schema_options(model, &stats.by_schema, &schema),
            total_entities: stats.entities,
            q,
            results,
        };
        render(StatusCode::OK, &page)
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("HX-Request"));
    response
}

/// `GET /entities/{id}`: the entity page; for a restricted record, whom to
/// ask; otherwise 404.
async fn entity(State(s): State<AppState>, CurrentCaller(caller): CurrentCaller, Path(id): Path<String>) -> Response {
    let model = s.app.model();
    match s.app.entity(&caller, &id).await {
        Ok(Lookup::Found(entity)) => {
            let links = match s.app.links(&caller, &id).await {
                Ok(l) => l,
                Err(e) => return failure(&s.opts, e),
            };
            let statements = match s.app.statements(&caller, &id).await {
                Ok(st) => st,
                Err(e) => return failure(&s.opts, e),
            };
            let dir = Directory::load(&s.app).await;
            let layout = Layout::new(&s.opts, entity.caption(model));
            render(StatusCode::OK, &entity_page(layout, model, &dir, &entity, &links, &statements))
        }
        Ok(Lookup::Restricted { id, schema, owner_agency }) => {
            let page = RestrictedTemplate {
                layout: Layout::new(&s.opts, "Restricted record"),
                schema_label: model.schema(&schema).map(|sc| sc.label.clone()).unwrap_or(schema),
                owner: agency_label(&s.app, &owner_agency).await,
                id,
            };
            render(StatusCode::FORBIDDEN, &page)
        }
        Ok(Lookup::NotFound) => error_page(
            &s.opts,
            StatusCode::NOT_FOUND,
            "Entity not found",
            format!("No entity with the id “{id}” exists, or its owner does not let you know of it."),
        ),
        Err(e) => failure(&s.opts, e),
    }
}
