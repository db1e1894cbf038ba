//! What the link chart, saved charts and timeline pages show: the chart's
//! nodes and links as tables (the page reads without JavaScript), the data
//! `chart.js` draws (a JSON block: the CSP allows no inline script), and the
//! timeline grouped by day with an SVG axis.

use super::{Layout, entity_href, path_segment};
use crate::i18n::Tr;
use askama::Template;
use serde_json::json;
use std::collections::HashMap;
use veza_app::{ChartAnchor, ChartView, SavedChart, TimelineView, first_day};
use veza_model::Model;

/// One node as the table shows it.
pub(crate) struct NodeRow {
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) schema_label: String,
    pub(crate) community: u32,
    pub(crate) degree: String,
    pub(crate) pagerank: String,
}

/// One link as the table shows it.
pub(crate) struct EdgeRow {
    pub(crate) source_href: String,
    pub(crate) source: String,
    pub(crate) kind: String,
    pub(crate) target_href: String,
    pub(crate) target: String,
    pub(crate) via_href: String,
    pub(crate) dates: String,
}

/// An export link.
pub(crate) struct ExportLink {
    pub(crate) label: &'static str,
    pub(crate) href: String,
}

/// The link chart page.
#[derive(Template)]
#[template(path = "chart.html")]
pub(crate) struct ChartTemplate {
    pub(crate) layout: Layout,
    pub(crate) heading: String,
    pub(crate) anchor_href: String,
    pub(crate) timeline_href: String,
    pub(crate) hops: u32,
    /// Counts of the chart, as a sentence.
    pub(crate) summary: String,
    /// Hops the page offers, with their links.
    pub(crate) hop_links: Vec<(u32, String)>,
    pub(crate) nodes: Vec<NodeRow>,
    pub(crate) edges: Vec<EdgeRow>,
    /// Nodes and links of the chart (the tables may list fewer).
    pub(crate) node_total: usize,
    pub(crate) edge_total: usize,
    pub(crate) truncated: bool,
    pub(crate) exports: Vec<ExportLink>,
    pub(crate) saved_title: Option<String>,
    /// The JSON `chart.js` reads, with `<` escaped.
    pub(crate) data: String,
    pub(crate) script: &'static str,
    pub(crate) cytoscape: &'static str,
    pub(crate) chart_css: &'static str,
}

/// The saved charts page.
#[derive(Template)]
#[template(path = "charts.html")]
pub(crate) struct ChartsTemplate {
    pub(crate) layout: Layout,
    pub(crate) charts: Vec<SavedRow>,
}

/// A saved chart in the list.
pub(crate) struct SavedRow {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) anchor: String,
    pub(crate) anchor_href: String,
    pub(crate) changed: String,
}

/// A kind the timeline filter offers.
pub(crate) struct KindOption {
    pub(crate) code: String,
    pub(crate) label: String,
    pub(crate) count: usize,
    pub(crate) checked: bool,
}

/// An event as the timeline lists it.
pub(crate) struct EventRow {
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) schema_label: String,
    pub(crate) when: String,
    pub(crate) involved: Vec<(String, String)>,
}

/// The events of one day.
pub(crate) struct DayGroup {
    /// `YYYY-MM-DD`.
    pub(crate) day: String,
    /// The day as the reader's language writes it.
    pub(crate) label: String,
    pub(crate) events: Vec<EventRow>,
}

/// A tick of the axis: x and label.
pub(crate) struct Tick {
    pub(crate) x: u32,
    pub(crate) label: String,
}

/// A mark on the axis: x, lane and what it is.
pub(crate) struct Mark {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) title: String,
    pub(crate) class: String,
}

/// The timeline page.
#[derive(Template)]
#[template(path = "timeline.html")]
pub(crate) struct TimelineTemplate {
    pub(crate) layout: Layout,
    pub(crate) heading: String,
    pub(crate) anchor_href: String,
    pub(crate) chart_href: String,
    pub(crate) action: String,
    pub(crate) kinds: Vec<KindOption>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) days: Vec<DayGroup>,
    pub(crate) total: usize,
    pub(crate) truncated: bool,
    pub(crate) ticks: Vec<Tick>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) axis_width: u32,
    pub(crate) axis_height: u32,
    pub(crate) chart_css: &'static str,
}

fn schema_label(tr: &Tr, model: &Model, schema: &str) -> String {
    tr.schema_named(model, schema)
}

/// The label of a link kind: a property's label, or a link schema's.
fn kind_label(tr: &Tr, model: &Model, via_schema: &str, prop: Option<&str>) -> String {
    match prop {
        Some(p) => model.schema(via_schema).map(|s| tr.property_named(s, p)).unwrap_or_else(|_| p.to_owned()),
        None => schema_label(tr, model, via_schema),
    }
}

/// The page of a chart's anchor (an entity page; a case's page when cases have one).
pub(crate) fn anchor_href(anchor: ChartAnchor, id: &str) -> String {
    match anchor {
        ChartAnchor::Entity => entity_href(id),
        ChartAnchor::Case => format!("/cases/{}", path_segment(id)),
    }
}

/// The chart page of an anchor.
pub(crate) fn chart_href(anchor: ChartAnchor, id: &str) -> String {
    format!("{}/chart", anchor_href(anchor, id))
}

/// The timeline page of an anchor.
pub(crate) fn timeline_href(anchor: ChartAnchor, id: &str) -> String {
    format!("{}/timeline", anchor_href(anchor, id))
}

/// JSON safe inside a `<script type="application/json">` block.
pub(crate) fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The data `chart.js` reads: the view, the labels of link kinds, the
/// CSRF token for saving, and the API paths.
pub(crate) fn chart_data(tr: &Tr, model: &Model, view: &ChartView, csrf: &str) -> serde_json::Value {
    let mut kinds: Vec<(String, String)> = Vec::new();
    for e in &view.edges {
        if !kinds.iter().any(|(k, _)| k == &e.kind) {
            kinds.push((e.kind.clone(), kind_label(tr, model, &e.via_schema, e.prop.as_deref())));
        }
    }
    kinds.sort_by(|a, b| a.1.cmp(&b.1));
    let schemata: HashMap<&str, String> =
        view.nodes.iter().map(|n| (n.schema.as_str(), schema_label(tr, model, &n.schema))).collect();
    json!({
        "view": view,
        "kinds": kinds,
        "schemata": schemata,
        "csrf": csrf,
        "labels": js_labels(tr),
        "api": {
            "neighbours": "/api/v1/entities/{id}/neighbours",
            "path": "/api/v1/network/path",
            "charts": "/api/v1/charts",
        },
    })
}

/// The messages `chart.js` shows, in the reader's language; `{name}`-style
/// marks stand where the script puts values.
fn js_labels(tr: &Tr) -> serde_json::Value {
    json!({
        "select_hint": tr.t("chart-select-hint"),
        "selected_many": tr.t1("chart-js-selected-many", "count", "{count}"),
        "select_one": tr.t("chart-js-select-one"),
        "more": tr.t2("chart-js-more", "name", "{name}", "count", "{count}"),
        "failed": tr.t("chart-js-failed"),
        "path_choose": tr.t("chart-js-path-choose"),
        "path_none": tr.t1("chart-js-path-none", "hops", "{hops}"),
        "path_found": tr.t1("chart-js-path-found", "count", "{count}"),
        "path_start": tr.t("chart-js-path-start"),
        "path_end": tr.t("chart-js-path-end"),
        "no_dates": tr.t("chart-js-no-dates"),
        "saving": tr.t("chart-js-saving"),
        "saved": tr.t("chart-js-saved"),
        "saved_link": tr.t1("chart-js-saved-link", "id", "{id}"),
        "any": tr.t("chart-any"),
        "group": tr.t1("chart-js-group", "n", "{n}"),
        "community": tr.t1("chart-js-community", "n", "{n}"),
    })
}

/// Most rows each table of the chart page lists (the drawing holds all;
/// beyond this the page says how many are left out and points to the
/// exports): a 2,000-node chart's full tables weighed ~1.5 MB of HTML.
pub(crate) const MAX_TABLE_ROWS: usize = 500;

/// The tables of a chart: the most central nodes first and the links among
/// them, at most [`MAX_TABLE_ROWS`] each.
pub(crate) fn chart_tables(tr: &Tr, model: &Model, view: &ChartView) -> (Vec<NodeRow>, Vec<EdgeRow>) {
    let captions: HashMap<&str, &str> = view.nodes.iter().map(|n| (n.id.as_str(), n.caption.as_str())).collect();
    let mut order: Vec<&veza_app::NetworkNodeView> = view.nodes.iter().collect();
    if order.len() > MAX_TABLE_ROWS {
        order.sort_by(|a, b| b.pagerank.total_cmp(&a.pagerank));
        order.truncate(MAX_TABLE_ROWS);
    }
    let listed: std::collections::HashSet<&str> = order.iter().map(|n| n.id.as_str()).collect();
    let nodes = order
        .into_iter()
        .map(|n| NodeRow {
            href: entity_href(&n.id),
            caption: n.caption.clone(),
            schema_label: schema_label(tr, model, &n.schema),
            community: n.community + 1,
            degree: format!("{}", n.degree),
            pagerank: format!("{:.4}", n.pagerank),
        })
        .collect();
    let edges = view
        .edges
        .iter()
        .filter(|e| listed.contains(e.source.as_str()) && listed.contains(e.target.as_str()))
        .take(MAX_TABLE_ROWS)
        .map(|e| EdgeRow {
            source_href: entity_href(&e.source),
            source: captions.get(e.source.as_str()).map(|c| (*c).to_owned()).unwrap_or_else(|| e.source.clone()),
            kind: kind_label(tr, model, &e.via_schema, e.prop.as_deref()),
            target_href: entity_href(&e.target),
            target: captions.get(e.target.as_str()).map(|c| (*c).to_owned()).unwrap_or_else(|| e.target.clone()),
            via_href: entity_href(&e.via_id),
            dates: match (&e.start, &e.end) {
                (Some(s), Some(t)) if s != t => format!("{s} – {t}"),
                (Some(s), _) => s.clone(),
                (None, Some(t)) => t.clone(),
                (None, None) => String::new(),
            },
        })
        .collect();
    (nodes, edges)
}

/// A saved chart as the list shows it.
pub(crate) fn saved_row(tr: &Tr, c: &SavedChart) -> SavedRow {
    SavedRow {
        href: format!("/charts/{}", c.id),
        title: c.title.clone(),
        anchor: c.anchor_id.clone(),
        anchor_href: anchor_href(c.anchor, &c.anchor_id),
        changed: chrono::DateTime::from_timestamp_micros(c.changed_at).map(|t| tr.datetime(t)).unwrap_or_default(),
    }
}

/// Days since 1970 of a `YYYY-MM-DD` day, for the axis.
fn day_number(day: &str) -> Option<i64> {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(|d| d.signed_duration_since(chrono::NaiveDate::default()).num_days())
}

/// Axis width in the SVG's units.
const AXIS_WIDTH: u32 = 960;
const LANE: u32 = 14;

/// The timeline's lists and axis.
pub(crate) fn timeline_parts(
    tr: &Tr,
    model: &Model,
    view: &TimelineView,
) -> (Vec<DayGroup>, Vec<Tick>, Vec<Mark>, u32) {
    let mut days: Vec<DayGroup> = Vec::new();
    for e in &view.events {
        let day = first_day(&e.start);
        let row = EventRow {
            href: entity_href(&e.id),
            caption: e.caption.clone(),
            schema_label: schema_label(tr, model, &e.schema),
            when: match &e.end {
                Some(end) => format!("{} – {end}", e.start),
                None => e.start.clone(),
            },
            involved: e.involved.iter().map(|i| (entity_href(&i.id), i.caption.clone())).collect(),
        };
        match days.last_mut() {
            Some(g) if g.day == day => g.events.push(row),
            _ => {
                let label =
                    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").map(|d| tr.date(d)).unwrap_or(day.clone());
                days.push(DayGroup { day, label, events: vec![row] })
            }
        }
    }
    // The axis: one lane per kind, a mark per event, ticks at year or month starts.
    let numbers: Vec<i64> = days.iter().filter_map(|d| day_number(&d.day)).collect();
    let (Some(&lo), Some(&hi)) = (numbers.iter().min(), numbers.iter().max()) else {
        return (days, Vec::new(), Vec::new(), 2 * LANE);
    };
    let span = (hi - lo).max(1) as f64;
    let x_of = |n: i64| 20 + (((n - lo) as f64 / span) * f64::from(AXIS_WIDTH - 40)) as u32;
    let mut lanes: Vec<&str> = Vec::new();
    let mut marks = Vec::new();
    for e in &view.events {
        let Some(n) = day_number(&first_day(&e.start)) else { continue };
        let lane = match lanes.iter().position(|l| *l == e.schema) {
            Some(i) => i,
            None => {
                lanes.push(&e.schema);
                lanes.len() - 1
            }
        };
        marks.push(Mark {
            x: x_of(n),
            y: LANE + lane as u32 * LANE,
            title: format!("{} · {} · {}", e.start, schema_label(tr, model, &e.schema), e.caption),
            class: format!("lane-{}", lane % 8),
        });
    }
    let height = LANE * (lanes.len() as u32 + 2);
    let first = chrono::NaiveDate::default() + chrono::Duration::days(lo);
    let last = chrono::NaiveDate::default() + chrono::Duration::days(hi);
    let months = (hi - lo) / 30;
    let mut ticks = Vec::new();
    let mut d = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&first), 1, 1).unwrap_or(first);
    while d <= last {
        let step_months = if months > 36 {
            12
        } else if months > 12 {
            3
        } else {
            1
        };
        if d >= first {
            let n = d.signed_duration_since(chrono::NaiveDate::default()).num_days();
            let label = if step_months == 12 { d.format("%Y").to_string() } else { d.format("%Y-%m").to_string() };
            ticks.push(Tick { x: x_of(n), label });
        }
        match d.checked_add_months(chrono::Months::new(step_months)) {
            Some(next) => d = next,
            None => break,
        }
    }
    (days, ticks, marks, height)
}

/// The axis width, for the template.
pub(crate) const fn axis_width() -> u32 {
    AXIS_WIDTH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_block() {
        let s = script_json(&json!({"caption": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back["caption"], "</script><script>alert(1)</script>");
    }
}
