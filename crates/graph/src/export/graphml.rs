//! GraphML (graphml.graphdrawing.org, 1.0): typed keys for every node and
//! edge attribute, then the nodes and edges.

use super::xml::Xml;
use super::{Column, attribute, attribute_names, format_number, format_time};
use crate::graph::Graph;
use std::io::{self, Write};

/// Writes `graph` as GraphML, with the nodes' own attributes, their label
/// and type, and `columns`; edges carry kind, weight and time.
pub fn graphml<W: Write>(graph: &Graph, columns: &[Column], out: &mut W) -> io::Result<()> {
    let mut x = Xml::new(out)?;
    x.open(
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
    )?;
    let own = attribute_names(graph);
    // Node keys: label, type, own attributes, columns. Edge keys: kind, weight, time.
    let mut keys: Vec<(String, &str, &str)> =
        vec![("label".into(), "node", "string"), ("type".into(), "node", "string")];
    keys.extend(own.iter().map(|n| (n.clone(), "node", "string")));
    keys.extend(columns.iter().map(|c| (c.name.clone(), "node", if c.is_number() { "double" } else { "string" })));
    keys.extend([
        ("kind".into(), "edge", "string"),
        ("weight".into(), "edge", "double"),
        ("time".into(), "edge", "string"),
    ]);
    for (i, (name, domain, kind)) in keys.iter().enumerate() {
        let id = format!("d{i}");
        x.empty("key", &[("id", &id), ("for", domain), ("attr.name", name), ("attr.type", kind)])?;
    }
    let edge_key = keys.len() - 3;
    let directed = if graph.is_directed() { "directed" } else { "undirected" };
    x.open("graph", &[("id", "G"), ("edgedefault", directed)])?;
    for (v, node) in graph.nodes().iter().enumerate() {
        x.open("node", &[("id", &node.id)])?;
        x.text("data", &[("key", "d0")], node.caption())?;
        if !node.kind.is_empty() {
            x.text("data", &[("key", "d1")], &node.kind)?;
        }
        for (i, name) in own.iter().enumerate() {
            if let Some(value) = attribute(node, name) {
                x.text("data", &[("key", &format!("d{}", i + 2))], value)?;
            }
        }
        for (i, c) in columns.iter().enumerate() {
            x.text("data", &[("key", &format!("d{}", i + 2 + own.len()))], &c.value(v))?;
        }
        x.close("node")?;
    }
    for (i, e) in graph.edges().iter().enumerate() {
        let (s, t) = (&graph.node(e.source).id, &graph.node(e.target).id);
        x.open("edge", &[("id", &format!("e{i}")), ("source", s), ("target", t)])?;
        if !e.kind.is_empty() {
            x.text("data", &[("key", &format!("d{edge_key}"))], &e.kind)?;
        }
        x.text("data", &[("key", &format!("d{}", edge_key + 1))], &format_number(e.weight))?;
        if let Some(t) = e.time {
            x.text("data", &[("key", &format!("d{}", edge_key + 2))], &format_time(t))?;
        }
        x.close("edge")?;
    }
    x.close("graph")?;
    x.close("graphml")?;
    x.finish()
}
