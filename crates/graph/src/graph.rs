//! The graph: typed nodes, typed weighted time-stamped edges, and compact
//! adjacency (CSR) views that the algorithms read.

use std::collections::HashMap;
use thiserror::Error;

/// A node's position in a [`Graph`]: 0 .. `node_count()`.
pub type NodeIndex = u32;

/// A node: an entity as the analyst sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable identifier (an entity id, a phone number, a name in a file).
    pub id: String,
    /// The node's type (`Person`, `Company`, `Phone`…); empty when unknown.
    pub kind: String,
    /// What to show; the id when absent.
    pub label: Option<String>,
    /// Further attributes as (name, value), in the order given.
    pub attributes: Vec<(String, String)>,
}

impl Node {
    /// The label, or the id when the node has none.
    pub fn caption(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// An edge as given: a link of some kind between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Where it starts (for undirected graphs, one of the two ends).
    pub source: NodeIndex,
    /// Where it ends.
    pub target: NodeIndex,
    /// The link's kind (`call`, `payment`, `crossing`…); empty when unknown.
    pub kind: String,
    /// A strength (number of calls, amount): finite and not negative.
    pub weight: f64,
    /// When it happened, in seconds since 1970-01-01 UTC, if known.
    pub time: Option<i64>,
}

/// Why a graph cannot be built as asked.
#[derive(Debug, Error, PartialEq)]
pub enum GraphError {
    /// An edge names a node that was not added (and the builder adds none by itself).
    #[error("edge {source_id} → {target_id}: node '{missing}' is not in the graph")]
    UnknownNode {
        /// The edge's source id.
        source_id: String,
        /// The edge's target id.
        target_id: String,
        /// The id that is missing.
        missing: String,
    },
    /// An edge weight that is negative, infinite or not a number.
    #[error("edge {source_id} → {target_id}: weight {weight} must be a finite number ≥ 0")]
    InvalidWeight {
        /// The edge's source id.
        source_id: String,
        /// The edge's target id.
        target_id: String,
        /// The weight given.
        weight: f64,
    },
    /// A node id that does not exist in the graph.
    #[error("node '{0}' is not in the graph")]
    NoSuchNode(String),
}

/// Compressed sparse rows: for each node, its neighbours (sorted, distinct)
/// and the summed weight of the edges to each.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<NodeIndex>,
    weights: Vec<f64>,
}

impl Adjacency {
    /// Builds rows from (from, to, weight) arcs; arcs between the same pair are summed.
    fn from_arcs(n: usize, arcs: &[(NodeIndex, NodeIndex, f64)]) -> Self {
        let mut offsets = vec![0usize; n + 1];
        for &(a, _, _) in arcs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut slots: Vec<(NodeIndex, f64)> = vec![(0, 0.0); arcs.len()];
        for &(a, b, w) in arcs {
            slots[fill[a as usize]] = (b, w);
            fill[a as usize] += 1;
        }
        let mut targets = Vec::with_capacity(arcs.len());
        let mut weights = Vec::with_capacity(arcs.len());
        let mut new_offsets = vec![0usize; n + 1];
        for v in 0..n {
            let row = &mut slots[offsets[v]..offsets[v + 1]];
            row.sort_unstable_by_key(|&(t, _)| t);
            let mut last: Option<NodeIndex> = None;
            for &(t, w) in row.iter() {
                if last == Some(t) {
                    if let Some(x) = weights.last_mut() {
                        *x += w;
                    }
                } else {
                    targets.push(t);
                    weights.push(w);
                    last = Some(t);
                }
            }
            new_offsets[v + 1] = targets.len();
        }
        Adjacency { offsets: new_offsets, targets, weights }
    }

    /// Number of rows (nodes).
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of entries (arcs after merging).
    pub fn entry_count(&self) -> usize {
        self.targets.len()
    }

    /// The distinct neighbours of `v`, sorted.
    #[inline]
    pub fn neighbours(&self, v: NodeIndex) -> &[NodeIndex] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// The summed weights towards each of [`Self::neighbours`].
    #[inline]
    pub fn weights(&self, v: NodeIndex) -> &[f64] {
        &self.weights[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// Number of distinct neighbours of `v`.
    #[inline]
    pub fn degree(&self, v: NodeIndex) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    /// Sum of the weights of `v`'s row.
    pub fn strength(&self, v: NodeIndex) -> f64 {
        self.weights(v).iter().sum()
    }

    /// Raw row offsets (length n + 1), for algorithms that walk the arrays.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Raw targets array.
    pub fn targets(&self) -> &[NodeIndex] {
        &self.targets
    }

    /// Raw weights array.
    pub fn all_weights(&self) -> &[f64] {
        &self.weights
    }
}

/// A graph of typed nodes and typed, weighted, time-stamped edges.
///
/// The edges are kept as given (for exports and time windows). The
/// algorithms read adjacency views in which self-loops are left out and
/// parallel edges (same ends, any kind or time) are one neighbour with the
/// summed weight. Directed graphs have out-, in- and undirected views;
/// undirected graphs one view for all three.
#[derive(Debug, Clone)]
pub struct Graph {
    directed: bool,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    index: HashMap<String, NodeIndex>,
    out: Adjacency,
    inn: Option<Adjacency>,
    und: Option<Adjacency>,
}

impl Graph {
    /// Builds a graph from nodes and edges whose ends are node indices
    /// (< `nodes.len()`). Self-loops are dropped; they carry no structure
    /// for any algorithm here.
    fn assemble(directed: bool, nodes: Vec<Node>, edges: Vec<Edge>) -> Self {
        let n = nodes.len();
        let edges: Vec<Edge> = edges.into_iter().filter(|e| e.source != e.target).collect();
        let index = nodes.iter().enumerate().map(|(i, v)| (v.id.clone(), i as NodeIndex)).collect();
        let mut arcs = Vec::with_capacity(edges.len() * if directed { 1 } else { 2 });
        for e in &edges {
            arcs.push((e.source, e.target, e.weight));
            if !directed {
                arcs.push((e.target, e.source, e.weight));
            }
        }
        let out = Adjacency::from_arcs(n, &arcs);
        let (inn, und) = if directed {
            let reversed: Vec<_> = arcs.iter().map(|&(a, b, w)| (b, a, w)).collect();
            let inn = Adjacency::from_arcs(n, &reversed);
            let mut both = arcs;
            both.extend(reversed);
            (Some(inn), Some(Adjacency::from_arcs(n, &both)))
        } else {
            (None, None)
        };
        Graph { directed, nodes, edges, index, out, inn, und }
    }

    /// Whether edges have a direction.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of edges as given (self-loops excluded).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The nodes, by index.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// One node.
    pub fn node(&self, v: NodeIndex) -> &Node {
        &self.nodes[v as usize]
    }

    /// The edges as given.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The index of the node with this id.
    pub fn index_of(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Like [`Self::index_of`], but an error naming the id when absent.
    pub fn require(&self, id: &str) -> Result<NodeIndex, GraphError> {
        self.index_of(id).ok_or_else(|| GraphError::NoSuchNode(id.to_string()))
    }

    /// Outgoing neighbours (all neighbours when undirected).
    pub fn out(&self) -> &Adjacency {
        &self.out
    }

    /// Incoming neighbours (all neighbours when undirected).
    pub fn incoming(&self) -> &Adjacency {
        self.inn.as_ref().unwrap_or(&self.out)
    }

    /// Neighbours ignoring direction; for a directed graph the weights of
    /// u→v and v→u are summed.
    pub fn undirected(&self) -> &Adjacency {
        self.und.as_ref().unwrap_or(&self.out)
    }

    /// The graph with only the edges whose time lies in `window`. Every node
    /// stays (so indices and ids match the whole graph); edges without a
    /// time are left out.
    pub fn window(&self, window: TimeWindow) -> Graph {
        let edges = self.edges.iter().filter(|e| e.time.is_some_and(|t| window.contains(t))).cloned().collect();
        Graph::assemble(self.directed, self.nodes.clone(), edges)
    }

    /// The subgraph of the nodes where `keep[v]` is true, renumbered in order.
    pub fn induced(&self, keep: &[bool]) -> Graph {
        let mut map = vec![NodeIndex::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (v, node) in self.nodes.iter().enumerate() {
            if keep.get(v).copied().unwrap_or(false) {
                map[v] = nodes.len() as NodeIndex;
                nodes.push(node.clone());
            }
        }
        let edges = self
            .edges
            .iter()
            .filter(|e| map[e.source as usize] != NodeIndex::MAX && map[e.target as usize] != NodeIndex::MAX)
            .map(|e| Edge { source: map[e.source as usize], target: map[e.target as usize], ..e.clone() })
            .collect();
        Graph::assemble(self.directed, nodes, edges)
    }

    /// Total weight of the undirected view's edges (each pair once).
    pub fn total_weight(&self) -> f64 {
        self.undirected().all_weights().iter().sum::<f64>() / 2.0
    }
}

/// A half-open time interval `[from, to)` in seconds since 1970; an open
/// end is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeWindow {
    /// First second inside, if bounded.
    pub from: Option<i64>,
    /// First second after, if bounded.
    pub to: Option<i64>,
}

impl TimeWindow {
    /// Whether `t` lies inside.
    pub fn contains(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e)
    }
}

/// Builds a [`Graph`] from nodes and links of any kind.
///
/// Nodes are added with [`GraphBuilder::node`]; edges with
/// [`GraphBuilder::edge`] must name nodes already added (so a caller that
/// filters nodes — by policy, by selection — cannot bring a node back
/// through an edge), while [`GraphBuilder::edge_adding_nodes`] adds missing
/// ends with an empty type (for edge files).
///
/// ```
/// use veza_graph::{GraphBuilder, EdgeSpec};
/// let mut b = GraphBuilder::new(false);
/// b.node("p1", "Person", vec![("name".into(), "Ana".into())]);
/// b.node("p2", "Person", vec![]);
/// b.edge("p1", "p2", EdgeSpec::new("call").weight(3.0)).unwrap();
/// let g = b.build();
/// assert_eq!((g.node_count(), g.edge_count()), (2, 1));
/// ```
#[derive(Debug, Clone, Default)]
pub struct GraphBuilder {
    directed: bool,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    index: HashMap<String, NodeIndex>,
    self_loops: usize,
}

/// The kind, weight and time of an edge to add.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeSpec {
    /// The link's kind.
    pub kind: String,
    /// Its weight (default 1).
    pub weight: f64,
    /// Its time in seconds since 1970, if known.
    pub time: Option<i64>,
}

impl EdgeSpec {
    /// An edge of this kind with weight 1 and no time.
    pub fn new(kind: impl Into<String>) -> Self {
        EdgeSpec { kind: kind.into(), weight: 1.0, time: None }
    }
    /// With this weight.
    pub fn weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }
    /// With this time (seconds since 1970).
    pub fn time(mut self, time: Option<i64>) -> Self {
        self.time = time;
        self
    }
}

impl Default for EdgeSpec {
    fn default() -> Self {
        EdgeSpec::new("")
    }
}

impl GraphBuilder {
    /// An empty builder for a directed or undirected graph.
    pub fn new(directed: bool) -> Self {
        GraphBuilder { directed, ..Default::default() }
    }

    /// Adds a node, or returns the existing one with this id; for an
    /// existing node a non-empty `kind` replaces an empty one and the
    /// attributes are appended.
    pub fn node(&mut self, id: &str, kind: &str, attributes: Vec<(String, String)>) -> NodeIndex {
        if let Some(&v) = self.index.get(id) {
            let node = &mut self.nodes[v as usize];
            if node.kind.is_empty() {
                node.kind = kind.to_string();
            }
            node.attributes.extend(attributes);
            return v;
        }
        let v = self.nodes.len() as NodeIndex;
        self.nodes.push(Node { id: id.to_string(), kind: kind.to_string(), label: None, attributes });
        self.index.insert(id.to_string(), v);
        v
    }

    /// Sets the label shown for a node already added.
    pub fn label(&mut self, id: &str, label: &str) -> Result<(), GraphError> {
        let v = *self.index.get(id).ok_or_else(|| GraphError::NoSuchNode(id.to_string()))?;
        self.nodes[v as usize].label = Some(label.to_string());
        Ok(())
    }

    /// Adds an edge between two nodes already added. Self-loops are
    /// counted ([`Self::self_loops`]) and left out.
    pub fn edge(&mut self, source: &str, target: &str, spec: EdgeSpec) -> Result<(), GraphError> {
        let missing = |id: &str| GraphError::UnknownNode {
            source_id: source.to_string(),
            target_id: target.to_string(),
            missing: id.to_string(),
        };
        let s = *self.index.get(source).ok_or_else(|| missing(source))?;
        let t = *self.index.get(target).ok_or_else(|| missing(target))?;
        self.push_edge(source, target, s, t, spec)
    }

    /// Adds an edge, adding either end with an empty type if it is missing.
    pub fn edge_adding_nodes(&mut self, source: &str, target: &str, spec: EdgeSpec) -> Result<(), GraphError> {
        let s = self.node(source, "", Vec::new());
        let t = self.node(target, "", Vec::new());
        self.push_edge(source, target, s, t, spec)
    }

    fn push_edge(
        &mut self,
        source: &str,
        target: &str,
        s: NodeIndex,
        t: NodeIndex,
        spec: EdgeSpec,
    ) -> Result<(), GraphError> {
        if !spec.weight.is_finite() || spec.weight < 0.0 {
            return Err(GraphError::InvalidWeight {
                source_id: source.to_string(),
                target_id: target.to_string(),
                weight: spec.weight,
            });
        }
        if s == t {
            self.self_loops += 1;
            return Ok(());
        }
        self.edges.push(Edge { source: s, target: t, kind: spec.kind, weight: spec.weight, time: spec.time });
        Ok(())
    }

    /// Builds a graph from lists: nodes as (id, type, attributes) and edges
    /// as (source, target, kind, weight, time). Strict: an edge whose end is
    /// not in the node list is an error, so a filtered node list (by
    /// policy, by selection) is never widened by its links.
    ///
    /// ```
    /// let g = veza_graph::GraphBuilder::from_lists(
    ///     false,
    ///     [("p1", "Person", vec![]), ("p2", "Person", vec![])],
    ///     [("p1", "p2", "call", 2.0, Some(1_767_225_600))],
    /// ).unwrap();
    /// assert_eq!(g.edges()[0].weight, 2.0);
    /// ```
    pub fn from_lists<'a>(
        directed: bool,
        nodes: impl IntoIterator<Item = (&'a str, &'a str, Vec<(String, String)>)>,
        edges: impl IntoIterator<Item = (&'a str, &'a str, &'a str, f64, Option<i64>)>,
    ) -> Result<Graph, GraphError> {
        let mut b = GraphBuilder::new(directed);
        for (id, kind, attributes) in nodes {
            b.node(id, kind, attributes);
        }
        for (source, target, kind, weight, time) in edges {
            b.edge(source, target, EdgeSpec::new(kind).weight(weight).time(time))?;
        }
        Ok(b.build())
    }

    /// How many self-loops were left out.
    pub fn self_loops(&self) -> usize {
        self.self_loops
    }

    /// The graph.
    pub fn build(self) -> Graph {
        Graph::assemble(self.directed, self.nodes, self.edges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_edges_are_one_neighbour_with_summed_weight() {
        let mut b = GraphBuilder::new(false);
        b.edge_adding_nodes("a", "b", EdgeSpec::new("call").weight(2.0)).unwrap();
        b.edge_adding_nodes("b", "a", EdgeSpec::new("sms").weight(3.0)).unwrap();
        b.edge_adding_nodes("a", "a", EdgeSpec::new("call")).unwrap();
        assert_eq!(b.self_loops(), 1);
        let g = b.build();
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.out().neighbours(0), &[1]);
        assert_eq!(g.out().weights(0), &[5.0]);
    }

    #[test]
    fn directed_graph_has_in_and_undirected_views() {
        let mut b = GraphBuilder::new(true);
        b.edge_adding_nodes("a", "b", EdgeSpec::default()).unwrap();
        b.edge_adding_nodes("b", "a", EdgeSpec::default().weight(2.0)).unwrap();
        b.edge_adding_nodes("b", "c", EdgeSpec::default()).unwrap();
        let g = b.build();
        assert_eq!(g.out().neighbours(1), &[0, 2]);
        assert_eq!(g.incoming().neighbours(2), &[1]);
        assert_eq!(g.undirected().weights(0), &[3.0]);
    }

    #[test]
    fn strict_edges_refuse_unknown_nodes_and_bad_weights() {
        let mut b = GraphBuilder::new(false);
        b.node("a", "Person", vec![]);
        assert!(matches!(b.edge("a", "hidden", EdgeSpec::default()), Err(GraphError::UnknownNode { .. })));
        b.node("b", "Person", vec![]);
        assert!(b.edge("a", "b", EdgeSpec::default().weight(-1.0)).is_err());
        assert!(b.edge("a", "b", EdgeSpec::default().weight(f64::NAN)).is_err());
        assert_eq!(b.build().node_count(), 2);
    }

    #[test]
    fn lists_with_an_edge_to_an_absent_node_are_refused() {
        let nodes = [("a", "Person", vec![])];
        let edges = [("a", "hidden", "call", 1.0, None)];
        assert_eq!(
            GraphBuilder::from_lists(false, nodes, edges).unwrap_err(),
            GraphError::UnknownNode { source_id: "a".into(), target_id: "hidden".into(), missing: "hidden".into() }
        );
    }

    #[test]
    fn window_keeps_nodes_and_timed_edges_inside() {
        let mut b = GraphBuilder::new(false);
        b.edge_adding_nodes("a", "b", EdgeSpec::default().time(Some(10))).unwrap();
        b.edge_adding_nodes("b", "c", EdgeSpec::default().time(Some(20))).unwrap();
        b.edge_adding_nodes("c", "d", EdgeSpec::default()).unwrap();
        let g = b.build().window(TimeWindow { from: Some(15), to: None });
        assert_eq!(g.node_count(), 4);
        assert_eq!(g.edge_count(), 1);
        assert_eq!(g.edges()[0].time, Some(20));
    }
}
