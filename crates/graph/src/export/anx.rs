//! IBM i2 Analyst's Notebook exchange format (ANX XML), in the structure
//! ANB 9 reads: strengths, attribute classes, link types, then chart items
//! (entities with an icon type and attributes, links with a type, a label,
//! an arrow and a date), and a palette.

use super::xml::Xml;
use super::{Column, attribute, attribute_names, format_number, format_time};
use crate::graph::Graph;
use std::io::{self, Write};

/// How node types become i2 entity types (icons).
#[derive(Debug, Clone, PartialEq)]
pub struct AnxOptions {
    /// (node type, i2 entity type) pairs; checked in order.
    pub icons: Vec<(String, String)>,
    /// The entity type for nodes without a type.
    pub default_icon: String,
}

impl Default for AnxOptions {
    fn default() -> Self {
        let pairs = [
            ("Person", "Person"),
            ("Suspect", "Person"),
            ("Victim", "Person"),
            ("Company", "Organisation"),
            ("Organization", "Organisation"),
            ("LegalEntity", "Organisation"),
            ("Phone", "Phone"),
            ("Vehicle", "Vehicle"),
            ("Address", "Address"),
            ("BankAccount", "Account"),
            ("Passport", "Document"),
            ("Identification", "Document"),
        ];
        AnxOptions {
            icons: pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            default_icon: "Person".into(),
        }
    }
}

impl AnxOptions {
    /// The i2 entity type for a node type: the mapped one, else the node
    /// type itself, else the default.
    pub fn icon<'a>(&'a self, kind: &'a str) -> &'a str {
        if kind.is_empty() {
            return &self.default_icon;
        }
        self.icons.iter().find(|(k, _)| k == kind).map(|(_, i)| i.as_str()).unwrap_or(kind)
    }
}

/// Writes `graph` as an ANX chart. Nodes are laid out on a grid; each
/// node's own attributes and `columns` become i2 attributes; links are
/// labelled with their kind, carry their weight as the attribute
/// `Weight`, their date when known, and an arrow when the graph is directed.
pub fn anx<W: Write>(graph: &Graph, columns: &[Column], options: &AnxOptions, out: &mut W) -> io::Result<()> {
    let mut x = Xml::new(out)?;
    let mut next_id = 0usize;
    let mut id = || {
        next_id += 1;
        format!("ID{next_id}")
    };
    x.open("Chart", &[])?;
    x.empty("ApplicationVersion", &[("Major", "9"), ("Minor", "0"), ("Point", "0"), ("Build", "0")])?;
    x.open("StrengthCollection", &[])?;
    x.empty("Strength", &[("Id", &id()), ("Name", "Default"), ("DotStyle", "DotStyleSolid")])?;
    x.close("StrengthCollection")?;

    // Attribute classes: the nodes' own (text), the columns, and Weight on links.
    let own = attribute_names(graph);
    let mut classes: Vec<(String, &str, String)> = Vec::new();
    for name in &own {
        classes.push((name.clone(), "AttText", id()));
    }
    for c in columns {
        classes.push((c.name.clone(), if c.is_number() { "AttNumber" } else { "AttText" }, id()));
    }
    let weight_class = ("Weight".to_string(), "AttNumber", id());
    classes.push(weight_class.clone());
    x.open("AttributeClassCollection", &[])?;
    for (name, kind, cid) in &classes {
        x.empty(
            "AttributeClass",
            &[
                ("Id", cid),
                ("Name", name),
                ("Type", kind),
                ("IsUser", "true"),
                ("UserCanAdd", "true"),
                ("UserCanRemove", "true"),
                ("ShowValue", "true"),
            ],
        )?;
    }
    x.close("AttributeClassCollection")?;

    let link_name = |kind: &str| if kind.is_empty() { "Link".to_string() } else { kind.to_string() };
    let mut link_types: Vec<(String, String)> = Vec::new();
    for e in graph.edges() {
        let name = link_name(&e.kind);
        if !link_types.iter().any(|(n, _)| *n == name) {
            link_types.push((name, id()));
        }
    }
    if !link_types.is_empty() {
        x.open("LinkTypeCollection", &[])?;
        for (name, lid) in &link_types {
            x.empty("LinkType", &[("Id", lid), ("Name", name)])?;
        }
        x.close("LinkTypeCollection")?;
    }

    x.open("ChartItemCollection", &[])?;
    let columns_per_row = (graph.node_count() as f64).sqrt().ceil().max(1.0) as usize;
    for (v, node) in graph.nodes().iter().enumerate() {
        let (col, row) = (v % columns_per_row, v / columns_per_row);
        let (px, py) = ((col * 160).to_string(), (row * 160).to_string());
        let label_is_identity = if node.label.is_none() { "true" } else { "false" };
        x.open("ChartItem", &[("Id", &id()), ("Label", node.caption()), ("XPosition", &px)])?;
        x.open("End", &[("X", &px), ("Y", &py), ("Z", "0")])?;
        let entity_id = (v + 1).to_string();
        x.open("Entity", &[("EntityId", &entity_id), ("Identity", &node.id), ("LabelIsIdentity", label_is_identity)])?;
        x.open("Icon", &[])?;
        x.empty("IconStyle", &[("Type", options.icon(&node.kind))])?;
        x.close("Icon")?;
        x.close("Entity")?;
        x.close("End")?;
        let mut values: Vec<(&(String, &str, String), String)> = Vec::new();
        for (i, name) in own.iter().enumerate() {
            if let Some(value) = attribute(node, name) {
                values.push((&classes[i], value.to_string()));
            }
        }
        for (i, c) in columns.iter().enumerate() {
            values.push((&classes[own.len() + i], c.value(v)));
        }
        if !values.is_empty() {
            x.open("AttributeCollection", &[])?;
            for ((name, _, cid), value) in values {
                x.empty("Attribute", &[("AttributeClass", name), ("AttributeClassReference", cid), ("Value", &value)])?;
            }
            x.close("AttributeCollection")?;
        }
        x.close("ChartItem")?;
    }
    let arrow = if graph.is_directed() { "ArrowOnHead" } else { "ArrowNone" };
    for e in graph.edges() {
        let name = link_name(&e.kind);
        let lid = link_types.iter().find(|(n, _)| *n == name).map(|(_, i)| i.clone()).unwrap_or_default();
        let item_id = id();
        let mut attrs: Vec<(&str, String)> = vec![("Id", item_id), ("Label", e.kind.clone())];
        if let Some(t) = e.time {
            attrs.push(("DateSet", "true".into()));
            attrs.push(("TimeSet", "true".into()));
            attrs.push(("DateTime", format!("{}.000", format_time(t))));
        }
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.open("ChartItem", &attrs)?;
        let (a, b) = ((e.source + 1).to_string(), (e.target + 1).to_string());
        x.open("Link", &[("End1Id", &a), ("End2Id", &b)])?;
        x.empty(
            "LinkStyle",
            &[("Strength", "Default"), ("ArrowStyle", arrow), ("Type", &name), ("LinkTypeReference", &lid)],
        )?;
        x.close("Link")?;
        x.open("AttributeCollection", &[])?;
        x.empty(
            "Attribute",
            &[
                ("AttributeClass", "Weight"),
                ("AttributeClassReference", &weight_class.2),
                ("Value", &format_number(e.weight)),
            ],
        )?;
        x.close("AttributeCollection")?;
        x.close("ChartItem")?;
    }
    x.close("ChartItemCollection")?;

    x.open("PaletteCollection", &[])?;
    x.open("Palette", &[("Name", "Veza")])?;
    x.open("AttributeClassEntryCollection", &[])?;
    for (name, _, cid) in &classes {
        x.empty("AttributeClassEntry", &[("AttributeClass", name), ("AttributeClassReference", cid)])?;
    }
    x.close("AttributeClassEntryCollection")?;
    if !link_types.is_empty() {
        x.open("LinkTypeEntryCollection", &[])?;
        for (name, lid) in &link_types {
            x.empty("LinkTypeEntry", &[("LinkType", name), ("LinkTypeReference", lid)])?;
        }
        x.close("LinkTypeEntryCollection")?;
    }
    x.close("Palette")?;
    x.close("PaletteCollection")?;
    x.close("Chart")?;
    x.finish()
}
