//! GEXF 1.3 (gexf.net), Gephi's format: declared attributes, then nodes
//! and edges with their values.

use super::xml::Xml;
use super::{Column, attribute, attribute_names, format_number, format_time};
use crate::graph::Graph;
use std::io::{self, Write};

/// Writes `graph` as GEXF 1.3 with the nodes' type, own attributes and
/// `columns`; edges carry their weight, kind (as label and attribute) and
/// time (as an ISO 8601 attribute).
pub fn gexf<W: Write>(graph: &Graph, columns: &[Column], out: &mut W) -> io::Result<()> {
    let mut x = Xml::new(out)?;
    x.open(
        "gexf",
        &[
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"),
            ("version", "1.3"),
        ],
    )?;
    x.open("meta", &[])?;
    x.text("creator", &[], "Veza")?;
    x.close("meta")?;
    let directed = if graph.is_directed() { "directed" } else { "undirected" };
    x.open("graph", &[("defaultedgetype", directed), ("mode", "static")])?;
    let own = attribute_names(graph);
    x.open("attributes", &[("class", "node"), ("mode", "static")])?;
    x.empty("attribute", &[("id", "0"), ("title", "type"), ("type", "string")])?;
    for (i, name) in own.iter().enumerate() {
        x.empty("attribute", &[("id", &(i + 1).to_string()), ("title", name), ("type", "string")])?;
    }
    for (i, c) in columns.iter().enumerate() {
        let kind = if c.is_number() { "double" } else { "string" };
        x.empty("attribute", &[("id", &(i + 1 + own.len()).to_string()), ("title", &c.name), ("type", kind)])?;
    }
    x.close("attributes")?;
    x.open("attributes", &[("class", "edge"), ("mode", "static")])?;
    x.empty("attribute", &[("id", "0"), ("title", "kind"), ("type", "string")])?;
    x.empty("attribute", &[("id", "1"), ("title", "time"), ("type", "string")])?;
    x.close("attributes")?;
    x.open("nodes", &[])?;
    for (v, node) in graph.nodes().iter().enumerate() {
        x.open("node", &[("id", &node.id), ("label", node.caption())])?;
        x.open("attvalues", &[])?;
        x.empty("attvalue", &[("for", "0"), ("value", &node.kind)])?;
        for (i, name) in own.iter().enumerate() {
            if let Some(value) = attribute(node, name) {
                x.empty("attvalue", &[("for", &(i + 1).to_string()), ("value", value)])?;
            }
        }
        for (i, c) in columns.iter().enumerate() {
            x.empty("attvalue", &[("for", &(i + 1 + own.len()).to_string()), ("value", &c.value(v))])?;
        }
        x.close("attvalues")?;
        x.close("node")?;
    }
    x.close("nodes")?;
    x.open("edges", &[])?;
    for (i, e) in graph.edges().iter().enumerate() {
        let id = i.to_string();
        let weight = format_number(e.weight);
        let mut attrs = vec![
            ("id", id.as_str()),
            ("source", graph.node(e.source).id.as_str()),
            ("target", graph.node(e.target).id.as_str()),
        ];
        if !e.kind.is_empty() {
            attrs.push(("label", e.kind.as_str()));
        }
        attrs.push(("weight", &weight));
        x.open("edge", &attrs)?;
        x.open("attvalues", &[])?;
        x.empty("attvalue", &[("for", "0"), ("value", &e.kind)])?;
        if let Some(t) = e.time {
            x.empty("attvalue", &[("for", "1"), ("value", &format_time(t))])?;
        }
        x.close("attvalues")?;
        x.close("edge")?;
    }
    x.close("edges")?;
    x.close("graph")?;
    x.close("gexf")?;
    x.finish()
}
