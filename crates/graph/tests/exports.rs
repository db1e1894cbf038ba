//! The exports are well-formed XML/JSON with the structure their tools read:
//! GraphML and GEXF as their schemas lay out (keys/attributes declared
//! before use, ids referenced exist), ANX as i2 Analyst's Notebook 9 reads
//! it (the element order and references of its exchange format).

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use veza_graph::export::{AnxOptions, Column, anx, cytoscape, gexf, graphml};
use veza_graph::{EdgeSpec, Graph, GraphBuilder};

/// An element: name, attributes, children, text.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<El>,
    text: String,
}

impl El {
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.all(name, out);
        }
    }
    fn find_all(&self, name: &str) -> Vec<&El> {
        let mut v = Vec::new();
        self.all(name, &mut v);
        v
    }
    fn attr(&self, k: &str) -> &str {
        self.attrs.get(k).map(String::as_str).unwrap_or_else(|| panic!("<{}> lacks {k}", self.name))
    }
    fn child_names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

/// Parses a whole document (panics on anything not well-formed).
fn parse(xml: &str) -> El {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = vec![El::default()];
    let element = |e: &quick_xml::events::BytesStart| El {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                let key = a.key.as_ref().to_string();
                (key, a.normalized_value(XmlVersion::Implicit1_0).expect("escaped value").into_owned())
            })
            .collect(),
        ..Default::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content().into_owned();
                let c = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

fn sample(directed: bool) -> Graph {
    let mut b = GraphBuilder::new(directed);
    b.node("p1", "Person", vec![("nationality".into(), "rs".into())]);
    b.label("p1", "Ana <\"Kovač\"> & co").unwrap();
    b.node("p2", "Person", vec![]);
    b.node("+381601234567", "Phone", vec![("carrier".into(), "A1\u{1}".into())]);
    b.edge("p1", "p2", EdgeSpec::new("call").weight(3.0).time(Some(1_767_225_600))).unwrap();
    b.edge("p2", "+381601234567", EdgeSpec::new("uses")).unwrap();
    b.edge("p1", "+381601234567", EdgeSpec::new("")).unwrap();
    b.build()
}

fn columns() -> Vec<Column> {
    vec![
        Column::number("betweenness", vec![0.0, 1.5, 0.0]),
        Column::text("role", vec!["peripheral".into(), "connector".into(), "peripheral".into()]),
    ]
}

fn write(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn graphml_declares_every_key_before_the_graph_and_references_only_them() {
    for directed in [false, true] {
        let g = sample(directed);
        let root = parse(&write(|o| graphml(&g, &columns(), o)));
        assert_eq!(root.name, "graphml");
        assert_eq!(root.attr("xmlns"), "http://graphml.graphdrawing.org/xmlns");
        let names = root.child_names();
        let first_graph = names.iter().position(|n| *n == "graph").unwrap();
        assert!(names[..first_graph].iter().all(|n| *n == "key"), "keys come first: {names:?}");
        let keys: HashMap<&str, &El> = root.find_all("key").into_iter().map(|k| (k.attr("id"), k)).collect();
        for k in keys.values() {
            assert!(["node", "edge"].contains(&k.attr("for")));
            assert!(["string", "double", "int", "long", "float", "boolean"].contains(&k.attr("attr.type")));
        }
        let graph = &root.children[first_graph];
        assert_eq!(graph.attr("edgedefault"), if directed { "directed" } else { "undirected" });
        let nodes: HashSet<&str> = graph.find_all("node").iter().map(|n| n.attr("id")).collect();
        assert_eq!(nodes.len(), 3);
        for el in ["node", "edge"] {
            for item in graph.find_all(el) {
                for d in &item.children {
                    assert_eq!(d.name, "data");
                    assert_eq!(keys[d.attr("key")].attr("for"), el);
                }
            }
        }
        let edges = graph.find_all("edge");
        assert_eq!(edges.len(), 3);
        for e in &edges {
            assert!(nodes.contains(e.attr("source")) && nodes.contains(e.attr("target")));
        }
        let label = graph.find_all("data").into_iter().find(|d| d.attr("key") == "d0").unwrap();
        assert_eq!(label.text, "Ana <\"Kovač\"> & co");
        assert!(graph.find_all("data").iter().all(|d| !d.text.contains('\u{1}')), "control characters removed");
    }
}

#[test]
fn gexf_has_attributes_then_nodes_then_edges_with_declared_values() {
    let g = sample(true);
    let root = parse(&write(|o| gexf(&g, &columns(), o)));
    assert_eq!((root.name.as_str(), root.attr("version")), ("gexf", "1.3"));
    assert_eq!(root.attr("xmlns"), "http://gexf.net/1.3");
    let graph = root.find_all("graph")[0];
    assert_eq!(graph.attr("defaultedgetype"), "directed");
    assert_eq!(graph.child_names(), vec!["attributes", "attributes", "nodes", "edges"]);
    let declared = |class: &str| -> HashMap<String, String> {
        let a = graph.children.iter().find(|c| c.name == "attributes" && c.attr("class") == class).unwrap();
        a.children.iter().map(|x| (x.attr("id").to_string(), x.attr("type").to_string())).collect()
    };
    let (node_attrs, edge_attrs) = (declared("node"), declared("edge"));
    let ids: HashSet<&str> = graph.find_all("node").iter().map(|n| n.attr("id")).collect();
    for node in graph.find_all("node") {
        for v in node.find_all("attvalue") {
            let kind = &node_attrs[v.attr("for")];
            if kind == "double" {
                v.attr("value").parse::<f64>().unwrap();
            }
        }
    }
    for edge in graph.find_all("edge") {
        assert!(ids.contains(edge.attr("source")) && ids.contains(edge.attr("target")));
        edge.attr("weight").parse::<f64>().unwrap();
        for v in edge.find_all("attvalue") {
            assert!(edge_attrs.contains_key(v.attr("for")));
        }
    }
    let timed = graph.find_all("attvalue").into_iter().find(|v| v.attr("value").starts_with("2026")).unwrap();
    assert_eq!(timed.attr("value"), "2026-01-01T00:00:00");
}

#[test]
fn anx_follows_the_chart_structure_i2_reads() {
    let g = sample(true);
    let root = parse(&write(|o| anx(&g, &columns(), &AnxOptions::default(), o)));
    assert_eq!(root.name, "Chart");
    assert_eq!(
        root.child_names(),
        vec![
            "ApplicationVersion",
            "StrengthCollection",
            "AttributeClassCollection",
            "LinkTypeCollection",
            "ChartItemCollection",
            "PaletteCollection"
        ]
    );
    let classes: HashMap<&str, &str> =
        root.find_all("AttributeClass").iter().map(|c| (c.attr("Id"), c.attr("Name"))).collect();
    for c in root.find_all("AttributeClass") {
        assert!(["AttText", "AttNumber"].contains(&c.attr("Type")));
    }
    let link_types: HashMap<&str, &str> =
        root.find_all("LinkType").iter().map(|c| (c.attr("Id"), c.attr("Name"))).collect();
    let mut all_ids: Vec<&str> = classes.keys().chain(link_types.keys()).copied().collect();
    let items = root.find_all("ChartItem");
    all_ids.extend(items.iter().map(|i| i.attr("Id")));
    all_ids.extend(root.find_all("Strength").iter().map(|s| s.attr("Id")));
    assert_eq!(all_ids.iter().collect::<HashSet<_>>().len(), all_ids.len(), "Id values are unique");
    let mut entity_ids = HashSet::new();
    let mut icons = Vec::new();
    for item in &items {
        if let Some(end) = item.children.iter().find(|c| c.name == "End") {
            let entity = &end.children[0];
            assert_eq!(entity.name, "Entity");
            entity_ids.insert(entity.attr("EntityId"));
            icons.push(entity.find_all("IconStyle")[0].attr("Type"));
            assert_eq!(end.attr("Z"), "0");
            end.attr("X").parse::<i64>().unwrap();
        }
    }
    assert_eq!(icons, vec!["Person", "Person", "Phone"]);
    let links: Vec<&&El> = items.iter().filter(|i| i.children.iter().any(|c| c.name == "Link")).collect();
    assert_eq!(links.len(), 3);
    for item in &links {
        let link = item.children.iter().find(|c| c.name == "Link").unwrap();
        assert!(entity_ids.contains(link.attr("End1Id")) && entity_ids.contains(link.attr("End2Id")));
        let style = &link.children[0];
        assert_eq!(style.name, "LinkStyle");
        assert_eq!(style.attr("ArrowStyle"), "ArrowOnHead");
        assert_eq!(link_types[style.attr("LinkTypeReference")], style.attr("Type"));
    }
    assert_eq!(links[0].attr("Label"), "call");
    assert_eq!(links[0].attr("DateTime"), "2026-01-01T00:00:00.000");
    assert_eq!((links[0].attr("DateSet"), links[0].attr("TimeSet")), ("true", "true"));
    for a in root.find_all("Attribute") {
        assert_eq!(classes[a.attr("AttributeClassReference")], a.attr("AttributeClass"));
    }
    let palette = root.find_all("Palette")[0];
    assert_eq!(palette.child_names(), vec!["AttributeClassEntryCollection", "LinkTypeEntryCollection"]);
    let first = items[0];
    assert_eq!(
        (first.attr("Label"), first.find_all("Entity")[0].attr("LabelIsIdentity")),
        ("Ana <\"Kovač\"> & co", "false")
    );
}

#[test]
fn anx_maps_types_to_icons_and_undirected_links_have_no_arrow() {
    let g = sample(false);
    let options = AnxOptions { icons: vec![("Phone".into(), "Telephone".into())], default_icon: "Person".into() };
    let root = parse(&write(|o| anx(&g, &[], &options, o)));
    let icons: Vec<&str> = root.find_all("IconStyle").iter().map(|i| i.attr("Type")).collect();
    assert_eq!(icons, vec!["Person", "Person", "Telephone"]);
    assert!(root.find_all("LinkStyle").iter().all(|s| s.attr("ArrowStyle") == "ArrowNone"));
}

#[test]
fn cytoscape_json_has_elements_with_data() {
    let g = sample(false);
    let v: serde_json::Value = serde_json::from_str(&cytoscape(&g, &columns())).unwrap();
    let nodes = v["elements"]["nodes"].as_array().unwrap();
    let edges = v["elements"]["edges"].as_array().unwrap();
    assert_eq!((nodes.len(), edges.len()), (3, 3));
    assert_eq!(nodes[0]["data"]["id"], "p1");
    assert_eq!(nodes[0]["data"]["value"], "p1");
    assert_eq!((v["directed"].as_bool(), v["multigraph"].as_bool()), (Some(false), Some(false)));
    assert_eq!(nodes[0]["data"]["type"], "Person");
    assert_eq!(nodes[1]["data"]["betweenness"], 1.5);
    assert_eq!(nodes[0]["data"]["nationality"], "rs");
    assert_eq!(edges[0]["data"]["source"], "p1");
    assert_eq!(edges[0]["data"]["weight"], 3.0);
    assert_eq!(edges[0]["data"]["time"], "2026-01-01T00:00:00");
}
