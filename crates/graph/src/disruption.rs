//! Disruption: remove (arrest) nodes one at a time by a strategy and watch
//! the network fall apart (the largest connected part and the number of
//! parts, on the undirected view).

use crate::centrality::{Sources, betweenness_among};
use crate::graph::{Graph, NodeIndex};

/// Which node to remove next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// Highest degree in the whole network, ranked once.
    Degree,
    /// Highest degree among the remaining nodes, recomputed after each removal.
    DegreeRecomputed,
    /// Highest betweenness in the whole network, ranked once.
    Betweenness,
    /// Highest betweenness among the remaining nodes, recomputed after each removal.
    BetweennessRecomputed,
    /// These nodes, in this order.
    Given(Vec<NodeIndex>),
}

/// The network after one removal.
#[derive(Debug, Clone, PartialEq)]
pub struct DisruptionStep {
    /// 0 for the intact network, then 1, 2, …
    pub step: usize,
    /// The node removed at this step (none at step 0).
    pub removed: Option<NodeIndex>,
    /// Nodes in the largest connected part over all nodes of the intact network.
    pub largest_component_fraction: f64,
    /// Number of connected parts among the remaining nodes (a lone node is one).
    pub components: usize,
}

/// Simulates up to `steps` removals (fewer when nodes run out); the first
/// row is the intact network. Ties go to the lowest node index.
/// `threads` is used for betweenness (0: every core).
pub fn disrupt(graph: &Graph, strategy: &Strategy, steps: usize, threads: usize) -> Vec<DisruptionStep> {
    let n = graph.node_count();
    let mut alive = vec![true; n];
    let mut out = vec![measure(graph, &alive, 0, None)];
    let ranked: Option<Vec<NodeIndex>> = match strategy {
        Strategy::Degree => Some(rank(&crate::centrality::degree(graph))),
        Strategy::Betweenness => Some(rank(&betweenness_among(graph, Sources::All, threads, None))),
        Strategy::Given(list) => Some(list.iter().copied().filter(|&v| (v as usize) < n).collect()),
        _ => None,
    };
    let mut next_fixed = 0;
    for step in 1..=steps {
        let victim = match &ranked {
            Some(order) => {
                while next_fixed < order.len() && !alive[order[next_fixed] as usize] {
                    next_fixed += 1;
                }
                order.get(next_fixed).copied()
            }
            None => {
                let scores = if *strategy == Strategy::DegreeRecomputed {
                    live_degree(graph, &alive)
                } else {
                    betweenness_among(graph, Sources::All, threads, Some(&alive))
                };
                (0..n as u32).filter(|&v| alive[v as usize]).fold(None, |best: Option<NodeIndex>, v| match best {
                    Some(b) if scores[b as usize] >= scores[v as usize] => Some(b),
                    _ => Some(v),
                })
            }
        };
        let Some(v) = victim else { break };
        alive[v as usize] = false;
        out.push(measure(graph, &alive, step, Some(v)));
    }
    out
}

/// Nodes by descending score, ties by index.
fn rank(scores: &[f64]) -> Vec<NodeIndex> {
    let mut order: Vec<NodeIndex> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]).then(a.cmp(&b)));
    order
}

fn live_degree(graph: &Graph, alive: &[bool]) -> Vec<f64> {
    let adj = graph.undirected();
    (0..graph.node_count() as u32)
        .map(|v| adj.neighbours(v).iter().filter(|&&u| alive[u as usize]).count() as f64)
        .collect()
}

fn measure(graph: &Graph, alive: &[bool], step: usize, removed: Option<NodeIndex>) -> DisruptionStep {
    let (largest, components) = components(graph, alive);
    let n = graph.node_count();
    DisruptionStep {
        step,
        removed,
        largest_component_fraction: if n > 0 { largest as f64 / n as f64 } else { 0.0 },
        components,
    }
}

/// Size of the largest connected part and the number of parts among the
/// nodes where `alive` is true.
pub fn components(graph: &Graph, alive: &[bool]) -> (usize, usize) {
    let adj = graph.undirected();
    let n = adj.node_count();
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    let (mut largest, mut count) = (0, 0);
    for s in 0..n {
        if seen[s] || !alive[s] {
            continue;
        }
        count += 1;
        seen[s] = true;
        stack.push(s as u32);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in adj.neighbours(v) {
                if !seen[w as usize] && alive[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
            }
        }
        largest = largest.max(size);
    }
    (largest, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};

    fn two_stars_joined() -> Graph {
        // hub a with three leaves, hub b with two, a–b: seven nodes.
        let mut g = GraphBuilder::new(false);
        for leaf in ["a1", "a2", "a3"] {
            g.edge_adding_nodes("a", leaf, EdgeSpec::default()).unwrap();
        }
        for leaf in ["b1", "b2"] {
            g.edge_adding_nodes("b", leaf, EdgeSpec::default()).unwrap();
        }
        g.edge_adding_nodes("a", "b", EdgeSpec::default()).unwrap();
        g.build()
    }

    #[test]
    fn removing_the_hubs_shatters_the_network() {
        let g = two_stars_joined();
        let steps = disrupt(&g, &Strategy::Degree, 2, 1);
        assert_eq!(steps.len(), 3);
        assert_eq!((steps[0].largest_component_fraction, steps[0].components), (1.0, 1));
        assert_eq!(steps[1].removed, g.index_of("a"));
        assert_eq!(steps[1].components, 4);
        assert!((steps[1].largest_component_fraction - 3.0 / 7.0).abs() < 1e-12);
        assert_eq!(steps[2].removed, g.index_of("b"));
        assert_eq!(steps[2].components, 5);
    }

    #[test]
    fn recomputed_and_given_strategies() {
        let g = two_stars_joined();
        let r = disrupt(&g, &Strategy::BetweennessRecomputed, 10, 2);
        assert_eq!(r.len(), 8, "stops when no node is left");
        assert_eq!(r[7].components, 0);
        let given = disrupt(&g, &Strategy::Given(vec![1, 1, 2]), 5, 1);
        assert_eq!(given.iter().filter_map(|s| s.removed).collect::<Vec<_>>(), vec![1, 2]);
    }
}
