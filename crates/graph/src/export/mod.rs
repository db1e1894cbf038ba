//! Exports of a graph (or a selection: see [`Graph::induced`](crate::Graph::induced))
//! with node and edge attributes, for the analyst's tools: IBM i2 Analyst's
//! Notebook (ANX XML), GraphML (yEd, Gephi, igraph), GEXF (Gephi) and
//! Cytoscape.js JSON. Each writes to any `std::io::Write`; nothing here
//! touches files.

mod anx;
mod cytoscape;
mod gexf;
mod graphml;
mod xml;

pub use anx::{AnxOptions, anx};
pub use cytoscape::cytoscape;
pub use gexf::gexf;
pub use graphml::graphml;

use crate::graph::Graph;

/// Values of one computed node attribute (a community, a centrality),
/// one per node, exported beside the node's own attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers.
    Number(Vec<f64>),
    /// Text.
    Text(Vec<String>),
}

/// A named computed node attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Attribute name (`community`, `betweenness`…).
    pub name: String,
    /// One value per node, by index.
    pub values: Values,
}

impl Column {
    /// A numeric column.
    pub fn number(name: &str, values: Vec<f64>) -> Self {
        Column { name: name.to_string(), values: Values::Number(values) }
    }

    /// A text column.
    pub fn text(name: &str, values: Vec<String>) -> Self {
        Column { name: name.to_string(), values: Values::Text(values) }
    }

    fn is_number(&self) -> bool {
        matches!(self.values, Values::Number(_))
    }

    fn value(&self, v: usize) -> String {
        match &self.values {
            Values::Number(x) => x.get(v).map(|f| format_number(*f)).unwrap_or_default(),
            Values::Text(x) => x.get(v).cloned().unwrap_or_default(),
        }
    }
}

/// A number as text: integers without a fraction, others in full precision.
pub(crate) fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// An edge time as ISO 8601 (UTC, seconds).
pub(crate) fn format_time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()).unwrap_or_default()
}

/// The names of the nodes' own attributes, in order of first appearance.
pub(crate) fn attribute_names(graph: &Graph) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for node in graph.nodes() {
        for (name, _) in &node.attributes {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// A node's value for an attribute (the first, if repeated).
pub(crate) fn attribute<'a>(node: &'a crate::graph::Node, name: &str) -> Option<&'a str> {
    node.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}
