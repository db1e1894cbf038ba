//! Cytoscape.js elements JSON: `{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}`.

use super::{Column, Values, format_time};
use crate::graph::Graph;
use serde_json::{Map, Value, json};

/// The graph as Cytoscape.js JSON, in the shape networkx's `cytoscape_data`
/// also writes and reads (top-level `directed` and `multigraph`; node
/// `name` and `value` repeat the id). Node data: `id`, `label`, `type`, the
/// node's own attributes, then `columns`; edge data: `id`, `source`,
/// `target`, `kind`, `weight` and `time` (ISO 8601) when known.
pub fn cytoscape(graph: &Graph, columns: &[Column]) -> String {
    let nodes: Vec<Value> = graph
        .nodes()
        .iter()
        .enumerate()
        .map(|(v, node)| {
            let mut data = Map::new();
            data.insert("id".into(), json!(node.id));
            data.insert("name".into(), json!(node.id));
            data.insert("value".into(), json!(node.id));
            data.insert("label".into(), json!(node.caption()));
            data.insert("type".into(), json!(node.kind));
            for (name, value) in &node.attributes {
                if !data.contains_key(name) {
                    data.insert(name.clone(), json!(value));
                }
            }
            for c in columns {
                let value = match &c.values {
                    Values::Number(x) => x.get(v).map(|f| json!(f)).unwrap_or(Value::Null),
                    Values::Text(x) => x.get(v).map(|s| json!(s)).unwrap_or(Value::Null),
                };
                data.insert(c.name.clone(), value);
            }
            json!({ "data": data })
        })
        .collect();
    let edges: Vec<Value> = graph
        .edges()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut data = json!({
                "id": format!("e{i}"),
                "source": graph.node(e.source).id,
                "target": graph.node(e.target).id,
                "kind": e.kind,
                "weight": e.weight,
            });
            if let Some(t) = e.time {
                data["time"] = json!(format_time(t));
            }
            json!({ "data": data })
        })
        .collect();
    let directed = graph.is_directed();
    let mut pairs = std::collections::HashSet::new();
    let multigraph = !graph.edges().iter().all(|e| {
        let key = if directed || e.source < e.target { (e.source, e.target) } else { (e.target, e.source) };
        pairs.insert(key)
    });
    json!({ "data": [], "directed": directed, "multigraph": multigraph, "elements": { "nodes": nodes, "edges": edges } })
        .to_string()
}
