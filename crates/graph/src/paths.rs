//! Paths between two entities and neighbourhoods around one, in hops.
//! Paths follow the direction of a directed graph; neighbourhoods ignore it.

use crate::graph::{Adjacency, Graph, NodeIndex};
use std::collections::VecDeque;

/// Breadth-first hop distances from `from` and the number of shortest
/// paths to each node; `u32::MAX` where unreachable.
fn bfs(adj: &Adjacency, from: NodeIndex, stop_at: Option<NodeIndex>) -> Vec<u32> {
    let mut dist = vec![u32::MAX; adj.node_count()];
    dist[from as usize] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        if Some(v) == stop_at {
            break;
        }
        for &w in adj.neighbours(v) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    dist
}

/// One shortest path from `from` to `to` (both included), or `None` when
/// `to` cannot be reached. Among equal paths, the one through the lowest
/// node indices.
pub fn shortest_path(graph: &Graph, from: NodeIndex, to: NodeIndex) -> Option<Vec<NodeIndex>> {
    all_shortest_paths(graph, from, to, 1).into_iter().next()
}

/// Every shortest path from `from` to `to`, up to `limit` of them, in
/// order of their node indices.
pub fn all_shortest_paths(graph: &Graph, from: NodeIndex, to: NodeIndex, limit: usize) -> Vec<Vec<NodeIndex>> {
    let adj = graph.out();
    let dist = bfs(adj, from, Some(to));
    if dist[to as usize] == u32::MAX || limit == 0 {
        return Vec::new();
    }
    // Walk back from `to` over predecessors (incoming neighbours one hop
    // closer), depth first; reverse each path found.
    let inn = graph.incoming();
    let mut paths = Vec::new();
    let mut path = vec![to];
    let mut stack: Vec<(NodeIndex, usize)> = vec![(to, 0)];
    while let Some(&mut (v, ref mut pos)) = stack.last_mut() {
        if v == from {
            let mut p = path.clone();
            p.reverse();
            paths.push(p);
            if paths.len() >= limit {
                break;
            }
            stack.pop();
            path.pop();
            continue;
        }
        let row = inn.neighbours(v);
        let dv = dist[v as usize];
        let mut next = None;
        while *pos < row.len() {
            let u = row[*pos];
            *pos += 1;
            if dist[u as usize] != u32::MAX && dist[u as usize] + 1 == dv {
                next = Some(u);
                break;
            }
        }
        match next {
            Some(u) => {
                stack.push((u, 0));
                path.push(u);
            }
            None => {
                stack.pop();
                path.pop();
            }
        }
    }
    paths.sort();
    paths
}

/// The nodes within `hops` hops of `centre` (itself at 0), with their
/// distance, nearest first, then by index.
pub fn neighbourhood(graph: &Graph, centre: NodeIndex, hops: u32) -> Vec<(NodeIndex, u32)> {
    let adj = graph.undirected();
    let mut dist = vec![u32::MAX; adj.node_count()];
    dist[centre as usize] = 0;
    let mut found = vec![(centre, 0)];
    let mut head = 0;
    while head < found.len() {
        let (v, d) = found[head];
        head += 1;
        if d == hops {
            continue;
        }
        for &w in adj.neighbours(v) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = d + 1;
                found.push((w, d + 1));
            }
        }
    }
    found.sort_by_key(|&(v, d)| (d, v));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};

    fn diamond(directed: bool) -> Graph {
        // a → b → d, a → c → d, d → e
        let mut b = GraphBuilder::new(directed);
        for (x, y) in [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")] {
            b.edge_adding_nodes(x, y, EdgeSpec::default()).unwrap();
        }
        b.build()
    }

    #[test]
    fn both_routes_through_a_diamond_are_shortest() {
        let g = diamond(false);
        let p = all_shortest_paths(&g, 0, 4, 10);
        assert_eq!(p, vec![vec![0, 1, 3, 4], vec![0, 2, 3, 4]]);
        assert_eq!(shortest_path(&g, 0, 4), Some(vec![0, 1, 3, 4]));
        assert_eq!(all_shortest_paths(&g, 0, 4, 1).len(), 1);
    }

    #[test]
    fn directed_paths_follow_the_arrows() {
        let g = diamond(true);
        assert_eq!(shortest_path(&g, 4, 0), None);
        assert_eq!(shortest_path(&g, 0, 0), Some(vec![0]));
        assert_eq!(shortest_path(&diamond(false), 4, 0).map(|p| p.len()), Some(4));
    }

    #[test]
    fn neighbourhood_stops_at_k_hops() {
        let g = diamond(true);
        assert_eq!(neighbourhood(&g, 0, 1), vec![(0, 0), (1, 1), (2, 1)]);
        assert_eq!(neighbourhood(&g, 4, 2), vec![(4, 0), (3, 1), (1, 2), (2, 2)]);
    }
}
