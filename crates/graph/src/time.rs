//! Time: what changed between two windows (a month before and after a
//! raid, two phases of an investigation).

use crate::graph::{Graph, NodeIndex, TimeWindow};

/// How the network of one window differs from another's.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowComparison {
    /// Nodes with a link in the first window only.
    pub left: Vec<NodeIndex>,
    /// Nodes with a link in the second window only.
    pub joined: Vec<NodeIndex>,
    /// Nodes with links in both.
    pub stayed: Vec<NodeIndex>,
    /// Pairs linked in the first window only (lower index first).
    pub links_lost: Vec<(NodeIndex, NodeIndex)>,
    /// Pairs linked in the second window only.
    pub links_new: Vec<(NodeIndex, NodeIndex)>,
    /// Pairs linked in both.
    pub links_kept: Vec<(NodeIndex, NodeIndex)>,
    /// Each node's degree in the second window minus in the first.
    pub degree_change: Vec<i64>,
}

/// Compares the undirected views of two windows of the same graph.
pub fn compare_windows(graph: &Graph, first: TimeWindow, second: TimeWindow) -> WindowComparison {
    let a = graph.window(first);
    let b = graph.window(second);
    let (ua, ub) = (a.undirected(), b.undirected());
    let n = graph.node_count() as u32;
    let mut out = WindowComparison {
        left: Vec::new(),
        joined: Vec::new(),
        stayed: Vec::new(),
        links_lost: Vec::new(),
        links_new: Vec::new(),
        links_kept: Vec::new(),
        degree_change: Vec::with_capacity(n as usize),
    };
    for v in 0..n {
        let (da, db) = (ua.degree(v), ub.degree(v));
        match (da > 0, db > 0) {
            (true, false) => out.left.push(v),
            (false, true) => out.joined.push(v),
            (true, true) => out.stayed.push(v),
            _ => {}
        }
        out.degree_change.push(db as i64 - da as i64);
        let (ra, rb) = (ua.neighbours(v), ub.neighbours(v));
        let (mut i, mut j) = (0, 0);
        while i < ra.len() || j < rb.len() {
            let x = ra.get(i).copied().unwrap_or(u32::MAX);
            let y = rb.get(j).copied().unwrap_or(u32::MAX);
            let (w, list) = if x < y {
                i += 1;
                (x, &mut out.links_lost)
            } else if y < x {
                j += 1;
                (y, &mut out.links_new)
            } else {
                i += 1;
                j += 1;
                (x, &mut out.links_kept)
            };
            if v < w {
                list.push((v, w));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};

    #[test]
    fn a_new_contact_and_a_lost_one() {
        let mut b = GraphBuilder::new(false);
        b.edge_adding_nodes("a", "b", EdgeSpec::default().time(Some(1))).unwrap();
        b.edge_adding_nodes("a", "b", EdgeSpec::default().time(Some(11))).unwrap();
        b.edge_adding_nodes("b", "c", EdgeSpec::default().time(Some(2))).unwrap();
        b.edge_adding_nodes("a", "d", EdgeSpec::default().time(Some(12))).unwrap();
        let g = b.build();
        let c = compare_windows(
            &g,
            TimeWindow { from: Some(0), to: Some(10) },
            TimeWindow { from: Some(10), to: Some(20) },
        );
        assert_eq!(c.links_kept, vec![(0, 1)]);
        assert_eq!(c.links_lost, vec![(1, 2)]);
        assert_eq!(c.links_new, vec![(0, 3)]);
        assert_eq!((c.left.clone(), c.joined.clone(), c.stayed.clone()), (vec![2], vec![3], vec![0, 1]));
        assert_eq!(c.degree_change, vec![1, -1, -1, 1]);
    }
}
