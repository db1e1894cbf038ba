//! Brokers: nodes and links whose loss splits the network, and each node's
//! role between communities (Guimerà & Amaral 2005).
//!
//! All on the undirected view.

use crate::graph::{Graph, NodeIndex};

/// Articulation points and bridges of the undirected view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutStructure {
    /// Nodes whose removal increases the number of connected parts, ascending.
    pub articulation_points: Vec<NodeIndex>,
    /// Links whose removal increases the number of connected parts, as (lower, higher) index pairs, sorted.
    pub bridges: Vec<(NodeIndex, NodeIndex)>,
}

/// Finds articulation points and bridges (Hopcroft–Tarjan, iterative).
pub fn cut_structure(graph: &Graph) -> CutStructure {
    let adj = graph.undirected();
    let n = adj.node_count();
    let mut disc = vec![0u32; n];
    let mut low = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut bridges = Vec::new();
    let mut time = 0u32;
    // Stack of (node, parent, next neighbour position).
    let mut stack: Vec<(u32, u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if disc[root as usize] != 0 {
            continue;
        }
        time += 1;
        disc[root as usize] = time;
        low[root as usize] = time;
        let mut root_children = 0;
        stack.push((root, u32::MAX, 0));
        while let Some(&mut (v, parent, ref mut pos)) = stack.last_mut() {
            let row = adj.neighbours(v);
            if *pos < row.len() {
                let w = row[*pos];
                *pos += 1;
                if w == parent {
                    continue;
                }
                if disc[w as usize] == 0 {
                    time += 1;
                    disc[w as usize] = time;
                    low[w as usize] = time;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w, v, 0));
                } else {
                    low[v as usize] = low[v as usize].min(disc[w as usize]);
                }
            } else {
                stack.pop();
                if parent != u32::MAX {
                    let (p, vi) = (parent as usize, v as usize);
                    low[p] = low[p].min(low[vi]);
                    if low[vi] > disc[p] {
                        bridges.push((parent.min(v), parent.max(v)));
                    }
                    if parent != root && low[vi] >= disc[p] {
                        is_cut[p] = true;
                    }
                }
            }
        }
        if root_children > 1 {
            is_cut[root as usize] = true;
        }
    }
    bridges.sort_unstable();
    CutStructure { articulation_points: (0..n as u32).filter(|&v| is_cut[v as usize]).collect(), bridges }
}

/// A node's role in the Guimerà–Amaral scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// R1: non-hub, nearly all links inside its community.
    UltraPeripheral,
    /// R2: non-hub, most links inside its community.
    Peripheral,
    /// R3: non-hub with many links to other communities.
    Connector,
    /// R4: non-hub whose links spread evenly over communities.
    Kinless,
    /// R5: hub with most links inside its community.
    ProvincialHub,
    /// R6: hub with many links to other communities — a broker between groups.
    ConnectorHub,
    /// R7: hub whose links spread evenly over communities.
    KinlessHub,
}

impl RoleKind {
    /// Short code (R1…R7).
    pub fn code(self) -> &'static str {
        match self {
            RoleKind::UltraPeripheral => "R1",
            RoleKind::Peripheral => "R2",
            RoleKind::Connector => "R3",
            RoleKind::Kinless => "R4",
            RoleKind::ProvincialHub => "R5",
            RoleKind::ConnectorHub => "R6",
            RoleKind::KinlessHub => "R7",
        }
    }

    /// Name in words.
    pub fn name(self) -> &'static str {
        match self {
            RoleKind::UltraPeripheral => "ultra-peripheral",
            RoleKind::Peripheral => "peripheral",
            RoleKind::Connector => "connector",
            RoleKind::Kinless => "kinless",
            RoleKind::ProvincialHub => "provincial hub",
            RoleKind::ConnectorHub => "connector hub",
            RoleKind::KinlessHub => "kinless hub",
        }
    }
}

/// A node's position between communities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Role {
    /// Participation coefficient P = 1 − Σ_s (k_is / k_i)²: 0 when all
    /// links stay in one community, towards 1 when spread over many.
    pub participation: f64,
    /// Within-module degree z-score: how many standard deviations the
    /// node's links inside its community lie above its community's mean.
    pub within_module_z: f64,
    /// The role these two give (hubs have z ≥ 2.5).
    pub kind: RoleKind,
}

/// Each node's role, given a community of each node (degrees count
/// distinct neighbours, as in Guimerà & Amaral).
pub fn roles(graph: &Graph, membership: &[u32]) -> Vec<Role> {
    let adj = graph.undirected();
    let n = adj.node_count();
    let c = membership.iter().map(|&m| m as usize + 1).max().unwrap_or(0);
    let mut inside = vec![0.0; n];
    let mut participation = vec![0.0; n];
    let mut per = vec![0.0f64; c];
    let mut touched: Vec<u32> = Vec::new();
    for v in 0..n {
        let k = adj.degree(v as u32) as f64;
        for &u in adj.neighbours(v as u32) {
            let s = membership[u as usize];
            if per[s as usize] == 0.0 {
                touched.push(s);
            }
            per[s as usize] += 1.0;
        }
        inside[v] = per[membership[v] as usize];
        let spread: f64 = touched.iter().map(|&s| (per[s as usize] / k).powi(2)).sum();
        participation[v] = if k > 0.0 { 1.0 - spread } else { 0.0 };
        for &s in &touched {
            per[s as usize] = 0.0;
        }
        touched.clear();
    }
    let mut sum = vec![0.0; c];
    let mut sum_sq = vec![0.0; c];
    let mut count = vec![0.0; c];
    for v in 0..n {
        let s = membership[v] as usize;
        sum[s] += inside[v];
        sum_sq[s] += inside[v] * inside[v];
        count[s] += 1.0;
    }
    (0..n)
        .map(|v| {
            let s = membership[v] as usize;
            let mean = sum[s] / count[s];
            let sd = (sum_sq[s] / count[s] - mean * mean).max(0.0).sqrt();
            let z = if sd > 0.0 { (inside[v] - mean) / sd } else { 0.0 };
            let p = participation[v];
            let kind = if z >= 2.5 {
                if p <= 0.3 {
                    RoleKind::ProvincialHub
                } else if p <= 0.75 {
                    RoleKind::ConnectorHub
                } else {
                    RoleKind::KinlessHub
                }
            } else if p <= 0.05 {
                RoleKind::UltraPeripheral
            } else if p <= 0.62 {
                RoleKind::Peripheral
            } else if p <= 0.8 {
                RoleKind::Connector
            } else {
                RoleKind::Kinless
            };
            Role { participation: p, within_module_z: z, kind }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};

    fn bowtie() -> Graph {
        // Two triangles sharing node c, and a tail c–f.
        let mut b = GraphBuilder::new(false);
        for (x, y) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "c"), ("c", "f")] {
            b.edge_adding_nodes(x, y, EdgeSpec::default()).unwrap();
        }
        b.build()
    }

    #[test]
    fn the_shared_node_is_the_cut_point_and_the_tail_the_bridge() {
        let g = bowtie();
        let cut = cut_structure(&g);
        assert_eq!(cut.articulation_points, vec![g.index_of("c").unwrap()]);
        assert_eq!(cut.bridges, vec![(2, 5)]);
    }

    #[test]
    fn a_cycle_has_no_cut_points() {
        let mut b = GraphBuilder::new(false);
        for (x, y) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")] {
            b.edge_adding_nodes(x, y, EdgeSpec::default()).unwrap();
        }
        let cut = cut_structure(&b.build());
        assert!(cut.articulation_points.is_empty() && cut.bridges.is_empty());
    }

    #[test]
    fn a_node_linking_two_groups_participates_more() {
        let g = bowtie();
        // a, b, c | d, e, f
        let r = roles(&g, &[0, 0, 0, 1, 1, 1]);
        assert_eq!(r[0].participation, 0.0);
        // c: 2 links to its own group, 3 to the other: 1 − (0.4² + 0.6²) = 0.48.
        assert!((r[2].participation - 0.48).abs() < 1e-12);
        assert_eq!(r[0].kind, RoleKind::UltraPeripheral);
        assert_eq!(r[2].kind, RoleKind::Peripheral);
    }
}
