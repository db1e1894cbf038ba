//! The link chart and the timeline: the pages (`/entities/{id}/chart`,
//! `/cases/{id}/chart`, `/charts`, `/charts/{id}`, `/entities/{id}/timeline`,
//! `/cases/{id}/timeline`) and the API `chart.js` calls (neighbours by link
//! type, shortest path, a case's network, saved charts and their export).

use super::api::number;
use super::pages::{error_page, failure, page_failure, render};
use crate::AppState;
use crate::assets;
use crate::caller::CurrentAccess;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::views::chart::{
    ChartTemplate, ChartsTemplate, ExportLink, KindOption, TimelineTemplate, anchor_href, axis_width, chart_data,
    chart_href, chart_tables, saved_row, script_json, timeline_href, timeline_parts,
};
use crate::views::{Frame, Layout, path_segment};
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use veza_app::{
    AppError, ChartAnchor, ChartDraft, ChartView, Lookup, MAX_CASE_HOPS, MAX_HOPS, NetworkFormat, PathView,
    TimelineFilter,
};

/// Query of the chart routes.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChartParams {
    #[serde(default)]
    hops: Option<String>,
    #[serde(default)]
    link_type: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// Query of the path route.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PathParams {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    max_hops: Option<String>,
}

fn chart_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found(format!("saved chart {raw} not found")))
}

fn format_of(raw: Option<&str>) -> Result<NetworkFormat, ApiError> {
    let raw = raw.unwrap_or("");
    NetworkFormat::parse(raw).ok_or_else(|| {
        ApiError::invalid(Some("format"), format!("format is anx, graphml, gexf or cytoscape, not '{raw}'"))
    })
}

/// `GET /api/v1/entities/{id}/neighbours?link_type=`: the entities one link
/// away, through links of one type (a property or a link schema) or any.
pub(crate) async fn neighbours(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(params): Query<ChartParams>,
) -> Result<Json<ChartView>, ApiError> {
    let link_type = params.link_type.as_deref().map(str::trim).filter(|t| !t.is_empty());
    Ok(Json(s.app.neighbours(&access, &id, link_type).await?))
}

/// `GET /api/v1/cases/{id}/network?hops=0`: a case's entities and their links.
pub(crate) async fn case_network(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(params): Query<ChartParams>,
) -> Result<Json<ChartView>, ApiError> {
    let hops = number("hops", params.hops.as_deref(), 0)?;
    Ok(Json(s.app.case_chart(&access, &id, hops).await?))
}

/// `GET /api/v1/network/path?from=&to=&max_hops=4`.
pub(crate) async fn path(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Query(params): Query<PathParams>,
) -> Result<Json<PathView>, ApiError> {
    let from = params.from.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let to = params.to.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::invalid(Some("from"), "give both from and to (entity ids)".to_owned()));
    };
    let max_hops = number("max_hops", params.max_hops.as_deref(), 4)?;
    Ok(Json(s.app.network_path(&access, from, to, max_hops).await?))
}

/// `GET /api/v1/charts`: the caller's saved charts.
pub(crate) async fn list_charts(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
) -> Result<Json<Value>, ApiError> {
    let charts = s.app.saved_charts(&access).await?;
    Ok(Json(json!({ "charts": charts })))
}

/// `POST /api/v1/charts`: saves a chart (a new one, or a new version of one
/// of the caller's when `id` is given); 201 with its number.
pub(crate) async fn save_chart(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    JsonBody(draft): JsonBody<ChartDraft>,
) -> Result<Response, ApiError> {
    let id = s.app.save_chart(&access, draft).await?;
    let location = HeaderValue::from_str(&format!("/charts/{id}")).map_err(|e| ApiError::internal(&e))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(json!({ "id": id, "href": format!("/charts/{id}") })),
    )
        .into_response())
}

/// `GET /api/v1/charts/{id}`: a saved chart, its nodes read again through the policy.
pub(crate) async fn open_chart(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<Json<ChartView>, ApiError> {
    Ok(Json(s.app.open_chart(&access, chart_id(&id)?).await?))
}

/// `DELETE /api/v1/charts/{id}`.
pub(crate) async fn delete_chart(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.app.delete_chart(&access, chart_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/charts/{id}/export?format=anx`: the saved chart's nodes
/// and links as a file (a disclosure).
pub(crate) async fn export_chart(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(id): Path<String>,
    Query(params): Query<ChartParams>,
) -> Result<Response, ApiError> {
    let format = format_of(params.format.as_deref())?;
    let id = chart_id(&id)?;
    let bytes = s.app.export_chart(&access, id, format).await?;
    let (ext, media) = format.file();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"veza-chart-{id}.{ext}\""))
        .map_err(|e| ApiError::internal(&e))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(media)), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// The caption of a chart's anchor (read through the policy), or its id.
async fn heading_of(s: &AppState, access: &veza_app::Access, id: &str) -> String {
    match s.app.entity(access, id).await {
        Ok(Lookup::Found(e)) => e.caption(s.app.model()),
        _ => id.to_owned(),
    }
}

/// Renders a chart page.
async fn chart_page(s: &AppState, frame: &Frame, access: &veza_app::Access, view: ChartView) -> Response {
    let model = s.app.model();
    let heading = heading_of(s, access, &view.anchor_id).await;
    let (nodes, edges) = chart_tables(&frame.tr, model, &view);
    let csrf = frame.csrf();
    let base = chart_href(view.anchor, &view.anchor_id);
    let (hop_links, exports) = match (&view.saved, view.anchor) {
        (Some((id, _)), _) => (
            Vec::new(),
            ["anx", "graphml", "gexf"]
                .into_iter()
                .map(|f| ExportLink { label: label_of(f), href: format!("/api/v1/charts/{id}/export?format={f}") })
                .collect(),
        ),
        (None, ChartAnchor::Entity) => (
            (1..=MAX_HOPS).map(|h| (h, format!("{base}?hops={h}"))).collect(),
            ["anx", "graphml", "gexf"]
                .into_iter()
                .map(|f| ExportLink {
                    label: label_of(f),
                    href: format!(
                        "/api/v1/entities/{}/network/export?hops={}&format={f}",
                        path_segment(&view.anchor_id),
                        view.hops
                    ),
                })
                .collect(),
        ),
        (None, ChartAnchor::Case) => {
            ((0..=MAX_CASE_HOPS).map(|h| (h, format!("{base}?hops={h}"))).collect(), Vec::new())
        }
    };
    let tr = &frame.tr;
    let summary = tr.ta(
        "chart-summary",
        &[
            ("nodes", tr.number(view.nodes.len()).into()),
            ("edges", tr.number(view.edges.len()).into()),
            ("communities", tr.number(view.communities).into()),
            ("modularity", format!("{:.3}", view.modularity).into()),
        ],
    );
    let page = ChartTemplate {
        layout: Layout::new(frame, tr.t1("chart-title-of", "name", &heading)),
        summary,
        anchor_href: anchor_href(view.anchor, &view.anchor_id),
        timeline_href: timeline_href(view.anchor, &view.anchor_id),
        heading,
        hops: view.hops,
        hop_links,
        node_total: view.nodes.len(),
        edge_total: view.edges.len(),
        nodes,
        edges,
        truncated: view.truncated,
        exports,
        saved_title: view.saved.as_ref().map(|(_, t)| t.clone()),
        data: script_json(&chart_data(tr, model, &view, &csrf)),
        script: assets::CHART_JS,
        cytoscape: assets::CYTOSCAPE,
        chart_css: assets::CHART_CSS,
    };
    render(StatusCode::OK, &page)
}

fn label_of(format: &str) -> &'static str {
    match format {
        "anx" => "ANX (i2)",
        "graphml" => "GraphML",
        _ => "GEXF (Gephi)",
    }
}

fn page_hops(frame: &Frame, raw: Option<&str>, default: u32) -> Result<u32, Box<Response>> {
    number("hops", raw, default)
        .map_err(|e| Box::new(error_page(frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), e.message)))
}

/// `GET /entities/{id}/chart?hops=2`: the link chart of an entity.
pub(crate) async fn entity_chart_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    Query(params): Query<ChartParams>,
) -> Response {
    let hops = match page_hops(&frame, params.hops.as_deref(), 2) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    match s.app.entity_chart(&access, &id, hops).await {
        Ok(view) => chart_page(&s, &frame, &access, view).await,
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /cases/{id}/chart?hops=0`: the link chart of a case.
pub(crate) async fn case_chart_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    Query(params): Query<ChartParams>,
) -> Response {
    let hops = match page_hops(&frame, params.hops.as_deref(), 1) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    match s.app.case_chart(&access, &id, hops).await {
        Ok(view) => chart_page(&s, &frame, &access, view).await,
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// `GET /charts`: the user's saved charts.
pub(crate) async fn charts_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
) -> Response {
    match s.app.saved_charts(&access).await {
        Ok(list) => {
            let page = ChartsTemplate {
                layout: Layout::new(&frame, frame.tr.t("chart-saved-charts")),
                charts: list.iter().map(|c| saved_row(&frame.tr, c)).collect(),
            };
            render(StatusCode::OK, &page)
        }
        Err(e) => failure(&frame, e),
    }
}

/// `GET /charts/{id}`: a saved chart, read again through the policy.
pub(crate) async fn saved_chart_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return failure(&frame, AppError::NotFound(format!("saved chart {id}")));
    };
    match s.app.open_chart(&access, id).await {
        Ok(view) => chart_page(&s, &frame, &access, view).await,
        Err(e) => page_failure(&frame, &uri, e),
    }
}

/// The timeline filter from the query string (`kind` may repeat).
fn timeline_filter(raw: Option<&str>) -> (TimelineFilter, Vec<String>, u32, String, String) {
    let mut filter = TimelineFilter::default();
    let (mut from, mut to, mut hops) = (String::new(), String::new(), 2);
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = v.trim().to_owned();
        match k.as_ref() {
            "kind" if !v.is_empty() => filter.kinds.push(v),
            "from" => from = v,
            "to" => to = v,
            "hops" => hops = if v == "1" { 1 } else { 2 },
            _ => {}
        }
    }
    let valid = |d: &str| {
        let n = d.len();
        (n == 4 || n == 7 || n == 10) && d.chars().all(|c| c.is_ascii_digit() || c == '-')
    };
    filter.from = Some(from.clone()).filter(|d| valid(d));
    filter.to = Some(to.clone()).filter(|d| valid(d));
    let kinds = filter.kinds.clone();
    (filter, kinds, hops, from, to)
}

async fn timeline_page(
    s: &AppState,
    frame: &Frame,
    access: &veza_app::Access,
    uri: &Uri,
    anchor: ChartAnchor,
    id: &str,
    raw: Option<&str>,
) -> Response {
    let (filter, kinds, hops, from, to) = timeline_filter(raw);
    let found = match anchor {
        ChartAnchor::Entity => s.app.entity_timeline(access, id, hops, &filter).await,
        ChartAnchor::Case => s.app.case_timeline(access, id, &filter).await,
    };
    let view = match found {
        Ok(v) => v,
        Err(e) => return page_failure(frame, uri, e),
    };
    let model = s.app.model();
    let heading = heading_of(s, access, id).await;
    let (days, ticks, marks, axis_height) = timeline_parts(&frame.tr, model, &view);
    let page = TimelineTemplate {
        layout: Layout::new(frame, frame.tr.t1("chart-timeline-of", "name", &heading)),
        anchor_href: anchor_href(anchor, id),
        chart_href: chart_href(anchor, id),
        action: timeline_href(anchor, id),
        heading,
        kinds: view
            .kinds
            .iter()
            .map(|(code, count)| KindOption {
                label: frame.tr.plural_named(model, code),
                checked: kinds.contains(code),
                code: code.clone(),
                count: *count,
            })
            .collect(),
        from,
        to,
        total: view.events.len(),
        truncated: view.truncated,
        days,
        ticks,
        marks,
        axis_width: axis_width(),
        axis_height,
        chart_css: assets::CHART_CSS,
    };
    render(StatusCode::OK, &page)
}

/// `GET /entities/{id}/timeline?kind=&from=&to=&hops=2`.
pub(crate) async fn entity_timeline_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    timeline_page(&s, &frame, &access, &uri, ChartAnchor::Entity, &id, raw.as_deref()).await
}

/// `GET /cases/{id}/timeline?kind=&from=&to=`.
pub(crate) async fn case_timeline_page(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    timeline_page(&s, &frame, &access, &uri, ChartAnchor::Case, &id, raw.as_deref()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_filter_reads_repeated_kinds_and_refuses_odd_dates() {
        let (f, kinds, hops, from, _) = timeline_filter(Some("kind=Call&kind=Payment&from=2024-05&to=soon&hops=1"));
        assert_eq!(kinds, ["Call", "Payment"]);
        assert_eq!(f.from.as_deref(), Some("2024-05"));
        assert_eq!(f.to, None);
        assert_eq!((hops, from.as_str()), (1, "2024-05"));
    }
}
