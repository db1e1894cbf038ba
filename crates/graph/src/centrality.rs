//! Centrality: who is central by ties, by position on shortest paths, by
//! closeness, by the importance of their contacts, by core membership.
//!
//! Path-based measures (betweenness, closeness, harmonic) count hops:
//! weights in these networks are strengths (calls, payments), not
//! distances. Betweenness follows the direction of a directed graph;
//! closeness, harmonic, eigenvector and k-core use the undirected view;
//! PageRank follows direction and weights. These are igraph's defaults.

use crate::graph::{Adjacency, Graph, NodeIndex};
use crate::parallel::{map_chunks, thread_count};
use crate::rng::Rng;
use std::collections::VecDeque;

/// Number of links of each node (for a directed graph, in plus out),
/// counting a neighbour once however many parallel edges lead to it.
pub fn degree(graph: &Graph) -> Vec<f64> {
    let n = graph.node_count() as u32;
    (0..n)
        .map(|v| {
            let d = graph.out().degree(v) + if graph.is_directed() { graph.incoming().degree(v) } else { 0 };
            d as f64
        })
        .collect()
}

/// Summed weight of each node's links (for a directed graph, in plus out).
pub fn weighted_degree(graph: &Graph) -> Vec<f64> {
    let n = graph.node_count() as u32;
    (0..n)
        .map(|v| graph.out().strength(v) + if graph.is_directed() { graph.incoming().strength(v) } else { 0.0 })
        .collect()
}

/// Which sources betweenness starts shortest paths from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// Every node: exact betweenness (Brandes 2001).
    All,
    /// A seeded uniform sample of this many nodes; the sums are scaled by
    /// n / count, an unbiased estimate (Brandes & Pich 2007).
    Sample {
        /// How many sources.
        count: usize,
        /// Seed of the sample.
        seed: u64,
    },
}

/// Betweenness: how many shortest paths between other pairs pass through
/// each node (pairs counted once in an undirected graph, as igraph does).
/// `threads` 0 uses every core.
pub fn betweenness(graph: &Graph, sources: Sources, threads: usize) -> Vec<f64> {
    betweenness_among(graph, sources, threads, None)
}

/// Betweenness on the nodes where `alive` is true (the others are as if removed).
pub(crate) fn betweenness_among(graph: &Graph, sources: Sources, threads: usize, alive: Option<&[bool]>) -> Vec<f64> {
    let n = graph.node_count();
    let adj = graph.out();
    let is_alive = |v: usize| alive.is_none_or(|a| a[v]);
    let mut starts: Vec<u32> = (0..n as u32).filter(|&v| is_alive(v as usize)).collect();
    let mut scale = if graph.is_directed() { 1.0 } else { 0.5 };
    if let Sources::Sample { count, seed } = sources
        && count < starts.len()
    {
        let mut rng = Rng::new(seed);
        rng.shuffle(&mut starts);
        scale *= starts.len() as f64 / count as f64;
        starts.truncate(count);
        starts.sort_unstable();
    }
    let parts = map_chunks(&starts, thread_count(threads), |chunk| {
        let mut acc = vec![0.0; n];
        let mut state = Brandes::new(adj, alive);
        for &s in chunk {
            state.accumulate(adj, s, &mut acc);
        }
        acc
    });
    let mut total = vec![0.0; n];
    for part in parts {
        for (t, x) in total.iter_mut().zip(part) {
            *t += x;
        }
    }
    total.iter_mut().for_each(|x| *x *= scale);
    total
}

/// Level of a node the search has not reached.
const UNREACHED: u32 = u32::MAX;
/// Level of a node taken out (disruption): never reached, never counted.
const REMOVED: u32 = u32::MAX - 1;

/// The per-thread buffers of Brandes' algorithm, allocated once per thread
/// and reset only where a search reached.
///
/// `level` is the hop distance from the source ([`UNREACHED`], [`REMOVED`]),
/// the only array read on every arc of the forward pass. That pass also
/// writes each reached node's arcs of the shortest-path DAG (`next`, the
/// neighbours one level further, grouped by the node's position in `order`),
/// so the backward pass reads only those arcs, without testing levels.
/// `share` is (1 + dependency) / paths: the backward pass adds one number
/// per DAG arc and divides once per node.
struct Brandes {
    level: Vec<u32>,
    paths: Vec<f64>,
    share: Vec<f64>,
    order: Vec<u32>,
    next_start: Vec<u32>,
    next: Vec<u32>,
}

impl Brandes {
    fn new(adj: &Adjacency, alive: Option<&[bool]>) -> Self {
        let n = adj.node_count();
        let mut level = vec![UNREACHED; n];
        if let Some(alive) = alive {
            for (l, &a) in level.iter_mut().zip(alive) {
                if !a {
                    *l = REMOVED;
                }
            }
        }
        Brandes {
            level,
            paths: vec![0.0; n],
            share: vec![0.0; n],
            order: vec![0; n],
            next_start: vec![0; n + 1],
            next: vec![0; adj.entry_count()],
        }
    }

    /// Adds the dependencies of source `s` (which must not be removed) to `acc`.
    fn accumulate(&mut self, adj: &Adjacency, s: NodeIndex, acc: &mut [f64]) {
        let Brandes { level, paths, share, order, next_start, next } = self;
        let offsets = adj.offsets();
        let targets = adj.targets();
        level[s as usize] = 0;
        paths[s as usize] = 1.0;
        order[0] = s;
        let (mut head, mut tail, mut arcs) = (0, 1, 0usize);
        while head < tail {
            let v = order[head] as usize;
            next_start[head] = arcs as u32;
            head += 1;
            let below = level[v] + 1;
            let sv = paths[v];
            for &w in &targets[offsets[v]..offsets[v + 1]] {
                let wi = w as usize;
                let lw = level[wi];
                if lw == UNREACHED {
                    level[wi] = below;
                    paths[wi] = sv;
                    order[tail] = w;
                    tail += 1;
                    next[arcs] = w;
                    arcs += 1;
                } else if lw == below {
                    paths[wi] += sv;
                    next[arcs] = w;
                    arcs += 1;
                }
            }
        }
        next_start[tail] = arcs as u32;
        // order[0] is the source, which lies on no path between two other nodes.
        for i in (1..tail).rev() {
            let vi = order[i] as usize;
            let mut sum = 0.0;
            for &w in &next[next_start[i] as usize..next_start[i + 1] as usize] {
                sum += share[w as usize];
            }
            let dependency = sum * paths[vi];
            acc[vi] += dependency;
            share[vi] = (1.0 + dependency) / paths[vi];
        }
        for &v in &order[..tail] {
            level[v as usize] = UNREACHED;
        }
    }
}

/// Hop distances from `s` over `adj` (-1 where unreachable), reusing `dist`.
fn hops(adj: &Adjacency, s: NodeIndex, dist: &mut [i32], queue: &mut VecDeque<u32>, visit: &mut impl FnMut(i32)) {
    dist.iter_mut().for_each(|d| *d = -1);
    dist[s as usize] = 0;
    queue.clear();
    queue.push_back(s);
    while let Some(v) = queue.pop_front() {
        let dv = dist[v as usize];
        visit(dv);
        for &w in adj.neighbours(v) {
            if dist[w as usize] < 0 {
                dist[w as usize] = dv + 1;
                queue.push_back(w);
            }
        }
    }
}

/// Runs `per_node(distances-visitor)` for every node in parallel.
fn per_source(graph: &Graph, threads: usize, score: impl Fn(usize, f64) -> f64 + Sync, harmonic: bool) -> Vec<f64> {
    let n = graph.node_count();
    let adj = graph.undirected();
    let nodes: Vec<u32> = (0..n as u32).collect();
    map_chunks(&nodes, thread_count(threads), |chunk| {
        let mut dist = vec![-1; n];
        let mut queue = VecDeque::new();
        chunk
            .iter()
            .map(|&s| {
                let mut reached = 0usize;
                let mut sum = 0.0;
                hops(adj, s, &mut dist, &mut queue, &mut |d| {
                    reached += 1;
                    if d > 0 {
                        sum += if harmonic { 1.0 / d as f64 } else { d as f64 };
                    }
                });
                if harmonic { sum } else { score(reached, sum) }
            })
            .collect::<Vec<f64>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Closeness: (reached − 1) / sum of hop distances to the nodes it
/// reaches (igraph's normalised closeness); 0 for an isolated node.
pub fn closeness(graph: &Graph, threads: usize) -> Vec<f64> {
    per_source(graph, threads, |reached, sum| if sum > 0.0 { (reached - 1) as f64 / sum } else { 0.0 }, false)
}

/// Harmonic centrality: mean of 1 / hop distance over all other nodes
/// (unreachable ones count 0), as igraph's normalised harmonic centrality.
pub fn harmonic(graph: &Graph, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    let mut h = per_source(graph, threads, |_, s| s, true);
    if n > 1 {
        h.iter_mut().for_each(|x| *x /= (n - 1) as f64);
    }
    h
}

/// PageRank with damping `damping` (0.85 is usual), following weights and
/// direction; a node without out-links spreads its rank evenly over all
/// nodes. Sums to 1. `threads` 0 uses every core.
pub fn pagerank(graph: &Graph, damping: f64, threads: usize) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let out = graph.out();
    let inn = graph.incoming();
    let strength: Vec<f64> = (0..n as u32).map(|v| out.strength(v)).collect();
    let nf = n as f64;
    let mut rank = vec![1.0 / nf; n];
    let mut share = vec![0.0; n];
    let threads = thread_count(threads);
    let blocks: Vec<(usize, usize)> = {
        let size = n.div_ceil(threads * 4).max(1024);
        (0..n).step_by(size).map(|s| (s, (s + size).min(n))).collect()
    };
    for _ in 0..10_000 {
        let mut dangling = 0.0;
        for v in 0..n {
            if strength[v] > 0.0 {
                share[v] = rank[v] / strength[v];
            } else {
                share[v] = 0.0;
                dangling += rank[v];
            }
        }
        let base = (1.0 - damping) / nf + damping * dangling / nf;
        let share_ref = &share;
        let parts = map_chunks(&blocks, threads, |chunk| {
            let mut out = Vec::new();
            for &(a, b) in chunk {
                for v in a..b {
                    let s: f64 = inn
                        .neighbours(v as u32)
                        .iter()
                        .zip(inn.weights(v as u32))
                        .map(|(&u, &w)| share_ref[u as usize] * w)
                        .sum();
                    out.push(base + damping * s);
                }
            }
            out
        });
        let next: Vec<f64> = parts.into_iter().flatten().collect();
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < 1e-10 {
            break;
        }
    }
    let total: f64 = rank.iter().sum();
    rank.iter_mut().for_each(|x| *x /= total);
    rank
}

/// Eigenvector centrality on the weighted undirected view, scaled so the
/// largest is 1 (igraph's `scale=True`).
pub fn eigenvector(graph: &Graph) -> Vec<f64> {
    let n = graph.node_count();
    let adj = graph.undirected();
    if n == 0 {
        return Vec::new();
    }
    if adj.entry_count() == 0 {
        return vec![1.0; n];
    }
    // Power iteration on A + I: the same eigenvectors, and it converges on
    // bipartite graphs too. Start from the strengths, as igraph does.
    let mut x: Vec<f64> = (0..n as u32).map(|v| adj.strength(v) + 1e-3).collect();
    normalise_max(&mut x);
    let mut y = vec![0.0; n];
    for _ in 0..100_000 {
        for v in 0..n {
            let row: f64 =
                adj.neighbours(v as u32).iter().zip(adj.weights(v as u32)).map(|(&u, &w)| w * x[u as usize]).sum();
            y[v] = row + x[v];
        }
        normalise_max(&mut y);
        let change = x.iter().zip(&y).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        std::mem::swap(&mut x, &mut y);
        if change < 1e-13 {
            break;
        }
    }
    x
}

fn normalise_max(x: &mut [f64]) {
    let m = x.iter().copied().fold(0.0, f64::max);
    if m > 0.0 {
        x.iter_mut().for_each(|v| *v /= m);
    }
}

/// Coreness: the largest k such that the node is in the k-core (every
/// member has ≥ k neighbours inside), on the undirected view
/// (Batagelj & Zaveršnik 2003).
pub fn k_core(graph: &Graph) -> Vec<u32> {
    let adj = graph.undirected();
    let n = adj.node_count();
    let mut deg: Vec<usize> = (0..n as u32).map(|v| adj.degree(v)).collect();
    let max = deg.iter().copied().max().unwrap_or(0);
    let mut bin = vec![0usize; max + 2];
    for &d in &deg {
        bin[d] += 1;
    }
    let mut start = 0;
    for b in bin.iter_mut() {
        let c = *b;
        *b = start;
        start += c;
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0u32; n];
    for v in 0..n {
        pos[v] = bin[deg[v]];
        vert[pos[v]] = v as u32;
        bin[deg[v]] += 1;
    }
    for d in (1..=max + 1).rev() {
        bin[d] = bin[d - 1];
    }
    bin[0] = 0;
    for i in 0..n {
        let v = vert[i] as usize;
        for &u in adj.neighbours(v as u32) {
            let u = u as usize;
            if deg[u] > deg[v] {
                let du = deg[u];
                let pu = pos[u];
                let pw = bin[du];
                let w = vert[pw] as usize;
                if u != w {
                    pos[u] = pw;
                    vert[pu] = w as u32;
                    pos[w] = pu;
                    vert[pw] = u as u32;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        }
    }
    deg.into_iter().map(|d| d as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};
    use crate::testing::karate;

    fn path(n: usize) -> Graph {
        let mut b = GraphBuilder::new(false);
        for i in 1..n {
            b.edge_adding_nodes(&i.to_string(), &(i + 1).to_string(), EdgeSpec::default()).unwrap();
        }
        b.build()
    }

    #[test]
    fn betweenness_of_a_path() {
        // On 1-2-3-4-5 the middle node lies on the paths of 2·2 pairs.
        assert_eq!(betweenness(&path(5), Sources::All, 2), vec![0.0, 3.0, 4.0, 3.0, 0.0]);
    }

    #[test]
    fn betweenness_of_a_star_centre_counts_each_pair_once() {
        let mut b = GraphBuilder::new(false);
        for leaf in ["b", "c", "d", "e"] {
            b.edge_adding_nodes("a", leaf, EdgeSpec::default()).unwrap();
        }
        assert_eq!(betweenness(&b.build(), Sources::All, 1)[0], 6.0);
    }

    #[test]
    fn karate_betweenness_matches_igraph() {
        let b = betweenness(&karate(), Sources::All, 2);
        // igraph 0.11: g.betweenness() for vertices 0, 33, 32, 2.
        for (v, want) in
            [(0, 231.0714285714286), (33, 160.5515873015873), (32, 76.69047619047619), (2, 75.85079365079366)]
        {
            assert!((b[v] - want).abs() < 1e-9 * want, "{v}: {}", b[v]);
        }
    }

    #[test]
    fn sampling_every_node_is_exact() {
        let g = karate();
        let exact = betweenness(&g, Sources::All, 1);
        let sampled = betweenness(&g, Sources::Sample { count: 34, seed: 3 }, 2);
        for (a, b) in exact.iter().zip(&sampled) {
            assert!((a - b).abs() <= 1e-9 * a.max(1.0));
        }
        let estimate = betweenness(&g, Sources::Sample { count: 17, seed: 3 }, 2);
        assert!(estimate[0] > estimate[9], "the instructor stays far above a peripheral member");
    }

    #[test]
    fn closeness_and_harmonic_of_a_path() {
        let g = path(3);
        assert_eq!(closeness(&g, 1), vec![2.0 / 3.0, 1.0, 2.0 / 3.0]);
        assert_eq!(harmonic(&g, 2), vec![0.75, 1.0, 0.75]);
    }

    #[test]
    fn pagerank_of_karate_matches_igraph_and_sums_to_one() {
        let pr = pagerank(&karate(), 0.85, 2);
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // igraph 0.11: g.pagerank() for vertices 33 and 0.
        assert!((pr[33] - 0.1009191823326258).abs() < 1e-7, "{}", pr[33]);
        assert!((pr[0] - 0.09699728538829475).abs() < 1e-7, "{}", pr[0]);
    }

    #[test]
    fn eigenvector_of_karate_matches_igraph() {
        let e = eigenvector(&karate());
        // igraph 0.11: g.eigenvector_centrality() for vertices 33, 0, 2.
        for (v, want) in [(33, 1.0), (0, 0.9521323664766556), (2, 0.8495542004653025)] {
            assert!((e[v] - want).abs() < 1e-6, "{v}: {}", e[v]);
        }
    }

    #[test]
    fn k_core_of_a_triangle_with_a_tail() {
        let mut b = GraphBuilder::new(false);
        for (x, y) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
            b.edge_adding_nodes(x, y, EdgeSpec::default()).unwrap();
        }
        assert_eq!(k_core(&b.build()), vec![2, 2, 2, 1]);
    }

    #[test]
    fn degree_counts_distinct_neighbours_and_strength_sums_weights() {
        let mut b = GraphBuilder::new(true);
        b.edge_adding_nodes("a", "b", EdgeSpec::default().weight(2.0)).unwrap();
        b.edge_adding_nodes("a", "b", EdgeSpec::default().weight(3.0)).unwrap();
        b.edge_adding_nodes("c", "a", EdgeSpec::default()).unwrap();
        let g = b.build();
        assert_eq!(degree(&g), vec![2.0, 1.0, 1.0]);
        assert_eq!(weighted_degree(&g), vec![6.0, 5.0, 1.0]);
    }
}
