//! Communities: Leiden (Traag, Waltman & van Eck 2019) and Louvain (Blondel
//! et al. 2008), optimising modularity or the Constant Potts Model, with a
//! resolution parameter, seeded and reproducible, keeping each level of
//! the hierarchy.
//!
//! Directed graphs are partitioned on their undirected view (the weights of
//! u→v and v→u summed), as igraph does for these methods.

use crate::graph::Graph;
use crate::parallel::{map_chunks, map_chunks_with, thread_count};
use crate::rng::Rng;
use std::collections::VecDeque;

/// What a partition should maximise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// Newman–Girvan modularity with resolution γ: Σ_c [w_c/m − γ (K_c/2m)²].
    Modularity,
    /// Constant Potts Model: Σ_c [w_c − γ n_c²/2]; γ is a density threshold.
    Cpm,
}

/// Which method to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Leiden: local moving, refinement (communities are always connected), aggregation.
    Leiden,
    /// Louvain: local moving and aggregation.
    Louvain,
}

/// How to find communities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommunityOptions {
    /// Leiden or Louvain.
    pub method: Method,
    /// Modularity or CPM.
    pub quality: Quality,
    /// Resolution γ (1.0 is classic modularity); larger gives smaller communities.
    pub resolution: f64,
    /// Seed of the random node order: the same seed gives the same partition.
    pub seed: u64,
    /// Leiden only: how many runs, each starting from the previous
    /// partition (as igraph's `n_iterations`, default 2); it stops earlier
    /// when a run changes nothing.
    pub iterations: usize,
    /// Independent starts (seeds `seed`, `seed + 1`, …); the partition of
    /// highest quality is kept. Cheap on small networks, where one start
    /// may end in a local optimum.
    pub restarts: usize,
    /// Threads for large networks (0: every core). With one thread nodes
    /// move one at a time, with more in batches: the partition depends on
    /// the seed and on whether more than one thread is used, never on
    /// timing.
    pub threads: usize,
}

impl Default for CommunityOptions {
    fn default() -> Self {
        CommunityOptions {
            method: Method::Leiden,
            quality: Quality::Modularity,
            resolution: 1.0,
            seed: 1,
            iterations: 2,
            restarts: 1,
            threads: 0,
        }
    }
}

/// A partition of the nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// Community of each node: 0 is the largest community, then by size
    /// (ties: the one holding the lowest node index first).
    pub membership: Vec<u32>,
    /// The hierarchy, finest first: each level's community of each node
    /// (the last level equals `membership` up to numbering).
    pub levels: Vec<Vec<u32>>,
    /// Number of communities.
    pub count: usize,
    /// The optimised quality (modularity with the resolution used, or CPM).
    pub quality: f64,
}

/// Finds communities.
pub fn communities(graph: &Graph, options: &CommunityOptions) -> Communities {
    let net = Net::from_graph(graph);
    let factor = match options.quality {
        Quality::Modularity if net.two_m > 0.0 => options.resolution / net.two_m,
        Quality::Modularity => 0.0,
        Quality::Cpm => options.resolution,
    };
    let mut best: Option<(f64, Vec<u32>, Vec<Vec<u32>>)> = None;
    for start in 0..options.restarts.max(1) {
        let mut rng = Rng::new(options.seed.wrapping_add(start as u64));
        let (quality, membership, levels) = one_start(&net, options, factor, &mut rng);
        if best.as_ref().is_none_or(|(q, _, _)| quality > *q) {
            best = Some((quality, membership, levels));
        }
    }
    let (quality, membership, levels) = best.unwrap_or_default();
    let membership = by_size(&membership);
    let count = membership.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    Communities { membership, levels, count, quality }
}

/// One start: a Louvain run, or Leiden runs each from the previous partition.
fn one_start(net: &Net, options: &CommunityOptions, factor: f64, rng: &mut Rng) -> (f64, Vec<u32>, Vec<Vec<u32>>) {
    let mut membership: Vec<u32> = (0..net.n as u32).collect();
    let mut levels = Vec::new();
    let mut best_quality = f64::NEG_INFINITY;
    let runs = match options.method {
        Method::Leiden => options.iterations.max(1),
        Method::Louvain => 1,
    };
    // The first level of the run whose partition is kept: a later run whose
    // first moving phase changes nothing starts from the same refinement.
    let mut first: Option<FirstLevel> = None;
    for _ in 0..runs {
        let (q, next, next_levels, next_first) = run(net, &membership, options, factor, rng, first.take());
        let changed = next != membership;
        if q >= best_quality {
            best_quality = q;
            membership = next;
            levels = next_levels;
            first = next_first;
        }
        if !changed {
            break;
        }
    }
    (best_quality, membership, levels)
}

/// Modularity of a partition (resolution γ) on the undirected view.
pub fn modularity(graph: &Graph, membership: &[u32], resolution: f64) -> f64 {
    let net = Net::from_graph(graph);
    quality_of(&net, membership, Quality::Modularity, resolution)
}

fn quality_of(net: &Net, membership: &[u32], quality: Quality, resolution: f64) -> f64 {
    let c = membership.iter().map(|&x| x as usize + 1).max().unwrap_or(0);
    let mut inside = vec![0.0; c];
    let mut mass = vec![0.0; c];
    for v in 0..net.n {
        let cv = membership[v] as usize;
        inside[cv] += net.self_w[v];
        for (u, w) in net.row(v) {
            if membership[u as usize] as usize == cv {
                inside[cv] += w / 2.0;
            }
        }
        mass[cv] += match quality {
            Quality::Modularity => net.k[v],
            Quality::Cpm => net.size[v],
        };
    }
    match quality {
        Quality::Modularity => {
            if net.two_m == 0.0 {
                return 0.0;
            }
            let m = net.two_m / 2.0;
            (0..c).map(|i| inside[i] / m - resolution * (mass[i] / net.two_m).powi(2)).sum()
        }
        Quality::Cpm => (0..c).map(|i| inside[i] - resolution * mass[i] * mass[i] / 2.0).sum(),
    }
}

/// Renumbers communities by size, largest first.
fn by_size(membership: &[u32]) -> Vec<u32> {
    let c = membership.iter().map(|&x| x as usize + 1).max().unwrap_or(0);
    let mut size = vec![0usize; c];
    let mut first = vec![usize::MAX; c];
    for (v, &m) in membership.iter().enumerate() {
        size[m as usize] += 1;
        first[m as usize] = first[m as usize].min(v);
    }
    let mut order: Vec<usize> = (0..c).filter(|&i| size[i] > 0).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(size[i]), first[i]));
    let mut rank = vec![0u32; c];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as u32;
    }
    membership.iter().map(|&m| rank[m as usize]).collect()
}

/// Renumbers to 0..count in order of first appearance; returns the count.
fn compact(labels: &mut [u32]) -> usize {
    let mut map: Vec<u32> = vec![u32::MAX; labels.len() + 1];
    let mut next = 0u32;
    for l in labels.iter_mut() {
        let slot = &mut map[*l as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *l = *slot;
    }
    next as usize
}

/// The first level of a Leiden run: the refined groups of the original
/// nodes and the network aggregated from them.
struct FirstLevel {
    groups: Vec<u32>,
    count: usize,
    net: Net,
}

/// What [`run`] gives back: the quality, the final membership of the
/// original nodes, the levels and (Leiden) the first level.
type RunResult = (f64, Vec<u32>, Vec<Vec<u32>>, Option<FirstLevel>);

/// One Leiden or Louvain run from an initial partition.
///
/// `previous` is the first level of the run that produced `initial`. Every
/// community of `initial` is a union of its refined groups (aggregated
/// nodes never split), so when the first moving phase moves no node those
/// groups are a valid refinement of the partition and their network is
/// reused instead of refining and aggregating again (the costliest part of
/// a second run, which usually only confirms the first).
fn run(
    net0: &Net,
    initial: &[u32],
    options: &CommunityOptions,
    factor: f64,
    rng: &mut Rng,
    mut previous: Option<FirstLevel>,
) -> RunResult {
    let mut levels: Vec<Vec<u32>> = Vec::new();
    let mut to_agg: Vec<u32> = (0..net0.n as u32).collect();
    let mut part: Vec<u32> = initial.to_vec();
    compact(&mut part);
    let mut first: Option<FirstLevel> = None;
    let mut owned: Option<Net> = None;
    loop {
        let net = owned.as_ref().or(first.as_ref().map(|f| &f.net)).unwrap_or(net0);
        let at_first = first.is_none();
        let mass: &[f64] = match options.quality {
            Quality::Modularity => &net.k,
            Quality::Cpm => &net.size,
        };
        let threads = thread_count(options.threads);
        let moved = if threads > 1 && net.n >= BATCHED_FROM {
            move_nodes_batched(net, &mut part, mass, factor, rng, threads)
        } else {
            move_nodes(net, &mut part, mass, factor, rng)
        };
        let count = compact(&mut part);
        let level: Vec<u32> = to_agg.iter().map(|&a| part[a as usize]).collect();
        if levels.last() != Some(&level) {
            levels.push(level);
        }
        let done = match options.method {
            Method::Leiden => count == net.n,
            Method::Louvain => !moved || count == net.n,
        };
        if done {
            // The last network keeps the weight inside its nodes: the same
            // quality as on the original network, for a fraction of the work.
            let q = quality_of(net, &part, options.quality, options.resolution);
            let membership = levels.last().cloned().unwrap_or_default();
            return (q, membership, levels, first);
        }
        let agg_threads = if net.targets.len() < 1 << 16 { 1 } else { threads };
        let (groups, group_count, agg) = match options.method {
            Method::Leiden
                if let Some(reused) = previous.take().filter(|_| at_first).and_then(|p| p.repaired(net, &part)) =>
            {
                (reused.groups, reused.count, reused.net)
            }
            Method::Leiden => {
                let by_tie = net.n >= COARSE_REFINEMENT_FROM;
                let mut refined = refine(net, &part, count, mass, factor, rng, agg_threads, by_tie);
                let rc = compact(&mut refined);
                let agg = net.aggregate(&refined, rc, agg_threads);
                (refined, rc, agg)
            }
            Method::Louvain => {
                let agg = net.aggregate(&part, count, agg_threads);
                (part.clone(), count, agg)
            }
        };
        let mut next_part = vec![0u32; group_count];
        for v in 0..net.n {
            next_part[groups[v] as usize] = part[v];
        }
        for a in to_agg.iter_mut() {
            *a = groups[*a as usize];
        }
        part = next_part;
        if at_first && options.method == Method::Leiden {
            first = Some(FirstLevel { groups, count: group_count, net: agg });
        } else {
            owned = Some(agg);
        }
    }
}

/// Whether every group lies inside one community of `part`.
#[cfg(test)]
fn nests(groups: &[u32], count: usize, part: &[u32]) -> bool {
    let mut community = vec![u32::MAX; count];
    groups.iter().zip(part).all(|(&g, &c)| {
        let slot = &mut community[g as usize];
        if *slot == u32::MAX {
            *slot = c;
        }
        *slot == c
    })
}

/// A second run reuses the first refinement when at most one node in this
/// many (or 16 nodes) must leave their group; otherwise it refines anew.
const REPAIR_SHARE: usize = 64;

impl FirstLevel {
    /// These groups made to lie inside the communities of `part` (on the
    /// network `net0` they were built from): a group whose nodes the moving
    /// phase has split between communities is dissolved into single nodes
    /// (each trivially connected), and the aggregated network is patched
    /// rather than rebuilt. `None` when too many nodes would be dissolved.
    fn repaired(self, net0: &Net, part: &[u32]) -> Option<FirstLevel> {
        let count = self.count;
        let mut community = vec![u32::MAX; count];
        let mut broken = vec![false; count];
        for (&g, &c) in self.groups.iter().zip(part) {
            let slot = &mut community[g as usize];
            if *slot == u32::MAX {
                *slot = c;
            } else if *slot != c {
                broken[g as usize] = true;
            }
        }
        let pieces: Vec<u32> = (0..net0.n as u32).filter(|&v| broken[self.groups[v as usize] as usize]).collect();
        if pieces.is_empty() {
            return Some(self);
        }
        if pieces.len() > (net0.n / REPAIR_SHARE).max(16) {
            return None;
        }
        // The first node of a dissolved group keeps its number, the others
        // come after the groups.
        let mut groups = self.groups;
        let mut piece_of = Vec::with_capacity(pieces.len());
        let mut kept = vec![false; count];
        let mut next = count as u32;
        for &v in &pieces {
            let g = groups[v as usize] as usize;
            let id = if kept[g] {
                next += 1;
                next - 1
            } else {
                kept[g] = true;
                g as u32
            };
            groups[v as usize] = id;
            piece_of.push(id);
        }
        let new_n = next as usize;
        // Each piece's row from the original network, and what its
        // neighbouring groups gain towards it.
        let mut piece_rows: Vec<Vec<(u32, f64)>> = Vec::with_capacity(pieces.len());
        let mut piece_self = Vec::with_capacity(pieces.len());
        let mut towards: std::collections::BTreeMap<u32, Vec<(u32, f64)>> = std::collections::BTreeMap::new();
        for (&v, &id) in pieces.iter().zip(&piece_of) {
            let mut row: Vec<(u32, f64)> = Vec::new();
            let mut inside = 0.0;
            for (u, w) in net0.row(v as usize) {
                let h = groups[u as usize];
                if h == id {
                    inside += w;
                } else if let Some(slot) = row.iter_mut().find(|(x, _)| *x == h) {
                    slot.1 += w;
                } else {
                    row.push((h, w));
                }
            }
            for &(h, w) in &row {
                if (h as usize) < count && !broken[h as usize] {
                    towards.entry(h).or_default().push((id, w));
                }
            }
            piece_self.push(net0.self_w[v as usize] + inside / 2.0);
            piece_rows.push(row);
        }
        let mut old = self.net;
        let mut net = Net {
            n: new_n,
            offsets: Vec::with_capacity(new_n + 1),
            targets: Vec::with_capacity(old.targets.len()),
            weights: Vec::with_capacity(old.weights.len()),
            self_w: std::mem::take(&mut old.self_w),
            k: std::mem::take(&mut old.k),
            size: std::mem::take(&mut old.size),
            two_m: old.two_m,
        };
        net.self_w.resize(new_n, 0.0);
        net.k.resize(new_n, 0.0);
        net.size.resize(new_n, 0.0);
        let mut piece_at = vec![usize::MAX; new_n];
        for (i, (&v, &id)) in pieces.iter().zip(&piece_of).enumerate() {
            piece_at[id as usize] = i;
            net.self_w[id as usize] = piece_self[i];
            net.k[id as usize] = net0.k[v as usize];
            net.size[id as usize] = net0.size[v as usize];
        }
        net.offsets.push(0);
        for h in 0..new_n {
            if piece_at[h] != usize::MAX {
                for &(t, w) in &piece_rows[piece_at[h]] {
                    net.targets.push(t);
                    net.weights.push(w);
                }
            } else {
                for (t, w) in old.row(h) {
                    if !broken[t as usize] {
                        net.targets.push(t);
                        net.weights.push(w);
                    }
                }
                for &(t, w) in towards.get(&(h as u32)).map(Vec::as_slice).unwrap_or_default() {
                    net.targets.push(t);
                    net.weights.push(w);
                }
            }
            net.offsets.push(net.targets.len());
        }
        Some(FirstLevel { groups, count: new_n, net })
    }
}

/// Fast local moving: nodes in a queue, each moved to the community with
/// the largest gain; the neighbours of a moved node outside its new
/// community go back into the queue. Returns whether any node moved.
fn move_nodes(net: &Net, part: &mut [u32], mass: &[f64], factor: f64, rng: &mut Rng) -> bool {
    let n = net.n;
    let mut comm_mass = vec![0.0; n];
    let mut comm_nodes = vec![0u32; n];
    for v in 0..n {
        comm_mass[part[v] as usize] += mass[v];
        comm_nodes[part[v] as usize] += 1;
    }
    let mut empty: Vec<u32> = (0..n as u32).filter(|&c| comm_nodes[c as usize] == 0).collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut queue: VecDeque<u32> = order.into_iter().collect();
    let mut in_queue = vec![true; n];
    // Weight from the node to each neighbouring community; NaN: not a neighbour.
    let mut neigh_w = vec![f64::NAN; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut moved = false;
    while let Some(v) = queue.pop_front() {
        let vi = v as usize;
        in_queue[vi] = false;
        let cv = part[vi];
        neigh_w[cv as usize] = 0.0;
        touched.push(cv);
        for (u, w) in net.row(vi) {
            let slot = &mut neigh_w[part[u as usize] as usize];
            if slot.is_nan() {
                *slot = w;
                touched.push(part[u as usize]);
            } else {
                *slot += w;
            }
        }
        let a = mass[vi];
        comm_mass[cv as usize] -= a;
        comm_nodes[cv as usize] -= 1;
        let mut best = cv;
        let mut best_gain = neigh_w[cv as usize] - factor * a * comm_mass[cv as usize];
        for &c in &touched {
            let gain = neigh_w[c as usize] - factor * a * comm_mass[c as usize];
            if gain > best_gain {
                best = c;
                best_gain = gain;
            }
        }
        if best_gain < 0.0
            && comm_nodes[cv as usize] > 0
            && let Some(&e) = empty.last()
        {
            best = e;
        }
        if comm_nodes[cv as usize] == 0 && best != cv {
            empty.push(cv);
        }
        if empty.last() == Some(&best) {
            empty.pop();
        }
        comm_mass[best as usize] += a;
        comm_nodes[best as usize] += 1;
        for &c in &touched {
            neigh_w[c as usize] = f64::NAN;
        }
        touched.clear();
        if best != cv {
            part[vi] = best;
            moved = true;
            for &u in net.neighbours(vi) {
                if !in_queue[u as usize] && part[u as usize] != best {
                    in_queue[u as usize] = true;
                    queue.push_back(u);
                }
            }
        }
    }
    moved
}

/// With more than one thread, networks with at least this many nodes are
/// moved in batches ([`move_nodes_batched`]); smaller ones, or with one
/// thread, one node at a time.
const BATCHED_FROM: usize = 32_768;
/// Nodes per batch: small beside the network (few neighbours decide in the
/// same batch), large enough to keep threads busy between joins.
const BATCH: usize = 2048;

/// Per-thread buffers of [`move_nodes_batched`]: the weight from a node to
/// each neighbouring community (NaN: not a neighbour) and which were set.
struct MoveScratch {
    neigh_w: Vec<f64>,
    touched: Vec<u32>,
}

/// What a node in a batch should do.
const STAY: u32 = u32::MAX;
const ALONE: u32 = u32::MAX - 1;

/// Local moving in batches, the parallel form of [`move_nodes`]: the nodes
/// of a batch choose their best community at once (split over `threads`)
/// against the state before the batch, and flag their neighbours outside
/// the chosen community for another look; the moves are then made one by
/// one in batch order, except a move into a community the batch has just
/// emptied (two singletons would swap places). Each round visits the
/// flagged nodes in the seeded order. Choices and flags depend only on the
/// state before each batch, so the result depends on the seed, never on
/// the number of threads or their timing.
#[inline(never)]
fn move_nodes_batched(net: &Net, part: &mut [u32], mass: &[f64], factor: f64, rng: &mut Rng, threads: usize) -> bool {
    let n = net.n;
    let mut comm_mass = vec![0.0; n];
    let mut comm_nodes = vec![0u32; n];
    for v in 0..n {
        comm_mass[part[v] as usize] += mass[v];
        comm_nodes[part[v] as usize] += 1;
    }
    let mut empty: Vec<u32> = (0..n as u32).filter(|&c| comm_nodes[c as usize] == 0).collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut flagged = vec![false; n];
    let mut round = order.clone();
    let mut scratch: Vec<MoveScratch> =
        (0..threads.max(1)).map(|_| MoveScratch { neigh_w: vec![f64::NAN; n], touched: Vec::new() }).collect();
    let mut moved = false;
    while !round.is_empty() {
        for batch in round.chunks(BATCH) {
            for &v in batch {
                flagged[v as usize] = false;
            }
            let (part_now, comm_now, nodes_now) = (&*part, &comm_mass, &comm_nodes);
            let choices: Vec<(Vec<u32>, Vec<u32>)> = map_chunks_with(batch, &mut scratch, |nodes, s| {
                let mut to_flag = Vec::new();
                let choices = nodes
                    .iter()
                    .map(|&v| {
                        let choice = choose(net, part_now, comm_now, nodes_now, mass, factor, v, s);
                        if choice != STAY {
                            to_flag
                                .extend(net.neighbours(v as usize).iter().filter(|&&u| part_now[u as usize] != choice));
                        }
                        choice
                    })
                    .collect();
                (choices, to_flag)
            });
            let mut all = Vec::with_capacity(batch.len());
            for (c, f) in choices {
                all.extend(c);
                for u in f {
                    flagged[u as usize] = true;
                }
            }
            for (&v, choice) in batch.iter().zip(all) {
                let vi = v as usize;
                let cv = part[vi];
                let target = match choice {
                    STAY => continue,
                    ALONE if comm_nodes[cv as usize] > 1 => match empty.pop() {
                        Some(e) => e,
                        None => continue,
                    },
                    ALONE => continue,
                    c if comm_nodes[c as usize] == 0 => continue,
                    c => c,
                };
                comm_mass[cv as usize] -= mass[vi];
                comm_nodes[cv as usize] -= 1;
                if comm_nodes[cv as usize] == 0 {
                    empty.push(cv);
                }
                comm_mass[target as usize] += mass[vi];
                comm_nodes[target as usize] += 1;
                part[vi] = target;
                moved = true;
            }
        }
        round.clear();
        for &v in &order {
            if flagged[v as usize] {
                flagged[v as usize] = false;
                round.push(v);
            }
        }
    }
    moved
}

/// The best community for `v` against the current state: [`STAY`],
/// [`ALONE`] (every neighbouring community loses and its own has others)
/// or a community to join.
#[allow(clippy::too_many_arguments)]
#[inline]
fn choose(
    net: &Net,
    part: &[u32],
    comm_mass: &[f64],
    comm_nodes: &[u32],
    mass: &[f64],
    factor: f64,
    v: u32,
    s: &mut MoveScratch,
) -> u32 {
    let vi = v as usize;
    let cv = part[vi];
    let (neigh_w, touched) = (&mut s.neigh_w, &mut s.touched);
    neigh_w[cv as usize] = 0.0;
    touched.push(cv);
    for (u, w) in net.row(vi) {
        let c = part[u as usize];
        let slot = &mut neigh_w[c as usize];
        if slot.is_nan() {
            *slot = w;
            touched.push(c);
        } else {
            *slot += w;
        }
    }
    let a = mass[vi];
    let mut best = cv;
    let mut best_gain = neigh_w[cv as usize] - factor * a * (comm_mass[cv as usize] - a);
    for &c in touched.iter() {
        if c == cv {
            continue;
        }
        let gain = neigh_w[c as usize] - factor * a * comm_mass[c as usize];
        if gain > best_gain {
            best = c;
            best_gain = gain;
        }
    }
    for &c in touched.iter() {
        neigh_w[c as usize] = f64::NAN;
    }
    touched.clear();
    if best_gain < 0.0 && comm_nodes[cv as usize] > 1 {
        ALONE
    } else if best == cv {
        STAY
    } else {
        best
    }
}

/// Networks with at least this many nodes are refined by tie strength
/// ([`refine`]): there it halves the time of a run; on smaller ones the
/// finer groups of the largest gain cost little and, over restarts, reach
/// igraph's best partitions of the development networks.
const COARSE_REFINEMENT_FROM: usize = 32_768;

/// Leiden's refinement: inside each community, singletons that are well
/// connected merge into well-connected refined communities, so every
/// refined community is connected. Any group whose join does not lower the
/// quality may be chosen (the Leiden paper draws one at random, leidenalg
/// takes the largest gain). Without `by_tie` the largest gain is taken;
/// with it, the group the node is most strongly tied to, the larger on a
/// tie: where the gain prefers a lone neighbour by a hair, this grows the
/// groups, so the next level is far smaller (on a 100,000-node LFR graph
/// 2,700 groups instead of 38,700, at equal modularity).
///
/// Communities are refined independently, each visiting its nodes in the
/// seeded order, so they are split over `threads` in ranges of about equal
/// work: the result does not depend on the number of threads. Each refined
/// community is labelled by the node that founded it.
#[allow(clippy::too_many_arguments)]
fn refine(
    net: &Net,
    part: &[u32],
    count: usize,
    mass: &[f64],
    factor: f64,
    rng: &mut Rng,
    threads: usize,
    by_tie: bool,
) -> Vec<u32> {
    let n = net.n;
    let mut total = vec![0.0; count];
    for v in 0..n {
        total[part[v] as usize] += mass[v];
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    // The nodes of each community in the seeded order, community after community.
    let mut start = vec![0usize; count + 1];
    for &c in part {
        start[c as usize + 1] += 1;
    }
    for c in 0..count {
        start[c + 1] += start[c];
    }
    let mut fill = start.clone();
    let mut members = vec![0u32; n];
    let mut local = vec![0u32; n];
    for &v in &order {
        let slot = &mut fill[part[v as usize] as usize];
        members[*slot] = v;
        local[v as usize] = (*slot - start[part[v as usize] as usize]) as u32;
        *slot += 1;
    }
    let threads = threads.max(1);
    // Cut the communities where their arcs reach each share of the total.
    let mut cuts = vec![0usize];
    let mut arcs = 0usize;
    let share = net.targets.len().div_ceil(threads).max(1);
    for c in 0..count {
        for &v in &members[start[c]..start[c + 1]] {
            arcs += net.offsets[v as usize + 1] - net.offsets[v as usize];
        }
        if arcs >= share * cuts.len() && cuts.len() < threads {
            cuts.push(c + 1);
        }
    }
    cuts.push(count);
    cuts.dedup();
    let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let context = RefineContext {
        net,
        part,
        mass,
        factor,
        total: &total,
        by_tie,
        members: &members,
        local: &local,
        start: &start,
    };
    let labels = map_chunks(&ranges, ranges.len(), |chunk| {
        let mut scratch = RefineScratch::default();
        let mut out = Vec::new();
        for &(from, to) in chunk {
            for c in from..to {
                context.refine_one(c, &mut scratch, &mut out);
            }
        }
        out
    });
    let mut refined = vec![0u32; n];
    for (&v, label) in members.iter().zip(labels.into_iter().flatten()) {
        refined[v as usize] = label;
    }
    refined
}

/// What the refinement of every community reads.
struct RefineContext<'a> {
    net: &'a Net,
    part: &'a [u32],
    mass: &'a [f64],
    factor: f64,
    /// Each community's mass.
    total: &'a [f64],
    /// Join the group of strongest tie rather than of largest gain.
    by_tie: bool,
    /// The nodes of each community in the seeded order ([`Self::start`] gives the ranges).
    members: &'a [u32],
    /// Each node's position among its community's members.
    local: &'a [u32],
    start: &'a [usize],
}

/// Per-thread buffers of the refinement, indexed by position in the community.
#[derive(Default)]
struct RefineScratch {
    refined: Vec<u32>,
    r_mass: Vec<f64>,
    r_ext: Vec<f64>,
    single: Vec<bool>,
    neigh_w: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl RefineContext<'_> {
    /// Refines community `c`; pushes the founder node of each member's
    /// refined community, in member order, onto `out`.
    fn refine_one(&self, c: usize, s: &mut RefineScratch, out: &mut Vec<u32>) {
        let (net, part, mass, factor) = (self.net, self.part, self.mass, self.factor);
        let members = &self.members[self.start[c]..self.start[c + 1]];
        let size = members.len();
        let cu = c as u32;
        s.refined.clear();
        s.refined.extend(0..size as u32);
        s.r_mass.clear();
        s.r_mass.extend(members.iter().map(|&v| mass[v as usize]));
        s.r_ext.clear();
        s.r_ext.extend(
            members
                .iter()
                .map(|&v| net.row(v as usize).filter(|&(u, _)| part[u as usize] == cu).map(|(_, w)| w).sum::<f64>()),
        );
        s.single.clear();
        s.single.resize(size, true);
        s.neigh_w.clear();
        s.neigh_w.resize(size, 0.0);
        s.seen.clear();
        s.seen.resize(size, false);
        let whole = self.total[c];
        for (li, &v) in members.iter().enumerate() {
            if !s.single[li] {
                continue;
            }
            let vi = v as usize;
            let a = mass[vi];
            if s.r_ext[li] < factor * a * (whole - a) {
                continue;
            }
            for (u, w) in net.row(vi) {
                if part[u as usize] != cu {
                    continue;
                }
                let r = s.refined[self.local[u as usize] as usize];
                if !s.seen[r as usize] {
                    s.seen[r as usize] = true;
                    s.touched.push(r);
                }
                s.neigh_w[r as usize] += w;
            }
            // Among the groups it may join without lowering the quality: the
            // one of largest gain or (large networks) the one it is most
            // strongly tied to, the larger on a tie.
            let mut best: Option<u32> = None;
            let (mut best_key, mut best_mass) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
            for &r in &s.touched {
                let (rm, rw) = (s.r_mass[r as usize], s.neigh_w[r as usize]);
                let gain = rw - factor * a * rm;
                if s.r_ext[r as usize] < factor * rm * (whole - rm) || gain < 0.0 {
                    continue;
                }
                let better =
                    if self.by_tie { rw > best_key || (rw == best_key && rm > best_mass) } else { gain > best_key };
                if better {
                    best = Some(r);
                    (best_key, best_mass) = (if self.by_tie { rw } else { gain }, rm);
                }
            }
            if let Some(r) = best {
                let ri = r as usize;
                s.refined[li] = r;
                s.r_mass[ri] += a;
                s.r_mass[li] = 0.0;
                s.r_ext[ri] = s.r_ext[ri] + s.r_ext[li] - 2.0 * s.neigh_w[ri];
                s.single[ri] = false;
                s.single[li] = false;
            }
            for &r in &s.touched {
                s.neigh_w[r as usize] = 0.0;
                s.seen[r as usize] = false;
            }
            s.touched.clear();
        }
        out.extend(s.refined.iter().map(|&r| members[r as usize]));
    }
}

/// The working network: undirected, weighted, with self-weights and node
/// sizes (aggregated nodes stand for several original ones).
#[derive(Debug, Clone)]
struct Net {
    n: usize,
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// Weight of the edges inside an aggregated node (each once).
    self_w: Vec<f64>,
    /// Strength: 2·self_w + the row's weights.
    k: Vec<f64>,
    /// Number of original nodes.
    size: Vec<f64>,
    two_m: f64,
}

impl Net {
    fn from_graph(graph: &Graph) -> Net {
        let adj = graph.undirected();
        let n = adj.node_count();
        let k: Vec<f64> = (0..n as u32).map(|v| adj.strength(v)).collect();
        let two_m = k.iter().sum();
        Net {
            n,
            offsets: adj.offsets().to_vec(),
            targets: adj.targets().to_vec(),
            weights: adj.all_weights().to_vec(),
            self_w: vec![0.0; n],
            k,
            size: vec![1.0; n],
            two_m,
        }
    }

    #[inline]
    fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    #[inline]
    fn row(&self, v: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let range = self.offsets[v]..self.offsets[v + 1];
        self.targets[range.clone()].iter().copied().zip(self.weights[range].iter().copied())
    }

    /// The network of the groups: one node per group, the weights between
    /// groups summed, the weight inside a group kept as its self-weight.
    /// Groups are split over `threads` in contiguous ranges of about equal
    /// work, whose rows are joined in order (the same network whatever the
    /// number of threads).
    fn aggregate(&self, groups: &[u32], count: usize, threads: usize) -> Net {
        let mut start = vec![0usize; count + 1];
        for &g in groups {
            start[g as usize + 1] += 1;
        }
        for i in 0..count {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; self.n];
        for (v, &g) in groups.iter().enumerate() {
            members[fill[g as usize]] = v as u32;
            fill[g as usize] += 1;
        }
        // Cut the groups where the members' arcs reach each share of the total.
        let threads = threads.max(1);
        let mut cuts = vec![0usize];
        let mut arcs = 0usize;
        let share = self.targets.len().div_ceil(threads).max(1);
        for g in 0..count {
            for &v in &members[start[g]..start[g + 1]] {
                arcs += self.offsets[v as usize + 1] - self.offsets[v as usize];
            }
            if arcs >= share * cuts.len() && cuts.len() < threads {
                cuts.push(g + 1);
            }
        }
        cuts.push(count);
        cuts.dedup();
        let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let pieces = map_chunks(&ranges, ranges.len(), |chunk| {
            chunk
                .iter()
                .map(|&(from, to)| self.aggregate_rows(groups, &members, &start, from, to, count))
                .collect::<Vec<_>>()
        });
        let mut net = Net {
            n: count,
            offsets: Vec::with_capacity(count + 1),
            targets: Vec::new(),
            weights: Vec::new(),
            self_w: Vec::with_capacity(count),
            k: Vec::with_capacity(count),
            size: Vec::with_capacity(count),
            two_m: self.two_m,
        };
        net.offsets.push(0);
        for piece in pieces.into_iter().flatten() {
            let base = net.targets.len();
            net.offsets.extend(piece.row_ends.iter().map(|&e| base + e));
            net.targets.extend(piece.targets);
            net.weights.extend(piece.weights);
            net.self_w.extend(piece.self_w);
            net.k.extend(piece.k);
            net.size.extend(piece.size);
        }
        net
    }

    /// The rows of groups `from..to` of [`Self::aggregate`].
    fn aggregate_rows(
        &self,
        groups: &[u32],
        members: &[u32],
        start: &[usize],
        from: usize,
        to: usize,
        count: usize,
    ) -> Rows {
        let mut rows = Rows::default();
        let mut acc = vec![0.0; count];
        let mut seen = vec![false; count];
        let mut touched: Vec<u32> = Vec::new();
        for g in from..to {
            let (mut self_w, mut k, mut size, mut inside) = (0.0, 0.0, 0.0, 0.0);
            for &v in &members[start[g]..start[g + 1]] {
                let vi = v as usize;
                self_w += self.self_w[vi];
                k += self.k[vi];
                size += self.size[vi];
                for (u, w) in self.row(vi) {
                    let h = groups[u as usize];
                    if h as usize == g {
                        inside += w;
                    } else {
                        if !seen[h as usize] {
                            seen[h as usize] = true;
                            touched.push(h);
                        }
                        acc[h as usize] += w;
                    }
                }
            }
            rows.self_w.push(self_w + inside / 2.0);
            rows.k.push(k);
            rows.size.push(size);
            for &h in &touched {
                rows.targets.push(h);
                rows.weights.push(acc[h as usize]);
                acc[h as usize] = 0.0;
                seen[h as usize] = false;
            }
            touched.clear();
            rows.row_ends.push(rows.targets.len());
        }
        rows
    }
}

/// Rows of an aggregated network built by one thread.
#[derive(Default)]
struct Rows {
    row_ends: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    self_w: Vec<f64>,
    k: Vec<f64>,
    size: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeSpec, GraphBuilder};

    fn two_cliques() -> Graph {
        let mut b = GraphBuilder::new(false);
        for group in [["a", "b", "c", "d"], ["e", "f", "g", "h"]] {
            for i in 0..4 {
                for j in i + 1..4 {
                    b.edge_adding_nodes(group[i], group[j], EdgeSpec::default()).unwrap();
                }
            }
        }
        b.edge_adding_nodes("d", "e", EdgeSpec::default()).unwrap();
        b.build()
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let g = two_cliques();
        for method in [Method::Leiden, Method::Louvain] {
            let c = communities(&g, &CommunityOptions { method, ..Default::default() });
            assert_eq!(c.count, 2, "{method:?}");
            assert_eq!(c.membership, vec![0, 0, 0, 0, 1, 1, 1, 1]);
            let expected = 2.0 * (6.0 / 13.0 - (13.0f64 / 26.0).powi(2));
            assert!((c.quality - expected).abs() < 1e-12);
            assert!((modularity(&g, &c.membership, 1.0) - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn batched_moving_splits_two_cliques_and_ignores_the_thread_count() {
        let net = Net::from_graph(&two_cliques());
        let factor = 1.0 / net.two_m;
        let moved = |threads| {
            let mut part: Vec<u32> = (0..net.n as u32).collect();
            move_nodes_batched(&net, &mut part, &net.k, factor, &mut Rng::new(7), threads);
            compact(&mut part);
            part
        };
        assert_eq!(moved(1), vec![0, 0, 0, 0, 1, 1, 1, 1]);
        let karate = Net::from_graph(&crate::testing::karate());
        let on_karate = |threads| {
            let mut part: Vec<u32> = (0..karate.n as u32).collect();
            move_nodes_batched(&karate, &mut part, &karate.k, 1.0 / karate.two_m, &mut Rng::new(3), threads);
            part
        };
        assert_eq!(on_karate(1), on_karate(2));
        assert_eq!(on_karate(2), on_karate(3));
    }

    #[test]
    fn aggregation_is_the_same_over_any_number_of_threads() {
        let net = Net::from_graph(&crate::testing::karate());
        let groups: Vec<u32> = (0..net.n as u32).map(|v| v % 5).collect();
        let one = net.aggregate(&groups, 5, 1);
        let q = |agg: &Net| quality_of(agg, &[0, 1, 2, 3, 4], Quality::Modularity, 1.0);
        assert!((q(&one) - quality_of(&net, &groups, Quality::Modularity, 1.0)).abs() < 1e-12);
        let many = net.aggregate(&groups, 5, 3);
        assert_eq!(
            (one.offsets, one.targets, one.weights, one.self_w),
            (many.offsets, many.targets, many.weights, many.self_w)
        );
    }

    /// Whether each refined group lies in one community and is connected.
    fn groups_nest_and_are_connected(net: &Net, part: &[u32], refined: &[u32]) -> bool {
        let mut groups: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
        for (v, &r) in refined.iter().enumerate() {
            groups.entry(r).or_default().push(v);
        }
        groups.values().all(|members| {
            let inside: std::collections::HashSet<usize> = members.iter().copied().collect();
            let mut reached = std::collections::HashSet::from([members[0]]);
            let mut stack = vec![members[0]];
            while let Some(v) = stack.pop() {
                for &u in net.neighbours(v) {
                    if inside.contains(&(u as usize)) && reached.insert(u as usize) {
                        stack.push(u as usize);
                    }
                }
            }
            reached.len() == members.len() && members.iter().all(|&v| part[v] == part[members[0]])
        })
    }

    #[test]
    fn refinement_splits_communities_into_connected_groups_whatever_the_threads() {
        let net = Net::from_graph(&crate::testing::karate());
        // Two halves by index: each holds several loosely tied groups.
        let part: Vec<u32> = (0..net.n as u32).map(|v| u32::from(v >= 17)).collect();
        for by_tie in [false, true] {
            let refine_with =
                |threads| refine(&net, &part, 2, &net.k, 1.0 / net.two_m, &mut Rng::new(5), threads, by_tie);
            let one = refine_with(1);
            assert!(groups_nest_and_are_connected(&net, &part, &one), "by_tie {by_tie}");
            let count = one.iter().collect::<std::collections::HashSet<_>>().len();
            assert!(count > 2 && count < net.n, "by_tie {by_tie}: {count} groups");
            assert_eq!(one, refine_with(2), "by_tie {by_tie}");
            assert_eq!(one, refine_with(3), "by_tie {by_tie}");
        }
    }

    #[test]
    fn refinement_by_tie_strength_makes_fewer_groups() {
        let g = crate::testing::karate();
        let net = Net::from_graph(&g);
        let part = communities(&g, &CommunityOptions::default()).membership;
        let count = |by_tie| {
            (0..20u64)
                .map(|seed| {
                    let r = refine(&net, &part, 4, &net.k, 1.0 / net.two_m, &mut Rng::new(seed), 1, by_tie);
                    assert!(groups_nest_and_are_connected(&net, &part, &r));
                    r.iter().collect::<std::collections::HashSet<_>>().len()
                })
                .sum::<usize>()
        };
        assert!(count(true) < count(false), "{} vs {}", count(true), count(false));
    }

    #[test]
    fn a_repaired_first_level_equals_the_network_aggregated_afresh() {
        let net = Net::from_graph(&crate::testing::karate());
        let groups: Vec<u32> = (0..net.n as u32).map(|v| v / 4).collect();
        let count = net.n.div_ceil(4);
        let first = FirstLevel { groups: groups.clone(), count, net: net.aggregate(&groups, count, 1) };
        // Nodes 1 and 9 leave their groups' communities.
        let mut part: Vec<u32> = groups.clone();
        part[1] = 100;
        part[9] = 101;
        let repaired = first.repaired(&net, &part).expect("few nodes moved");
        assert!(nests(&repaired.groups, repaired.count, &part));
        for g in [0u32, 2] {
            let members: Vec<usize> = (0..net.n).filter(|&v| groups[v] == g).collect();
            let ids: std::collections::HashSet<u32> = members.iter().map(|&v| repaired.groups[v]).collect();
            assert_eq!(ids.len(), members.len(), "group {g} is dissolved");
        }
        let fresh = net.aggregate(&repaired.groups, repaired.count, 1);
        let rows = |n: &Net| {
            (0..n.n)
                .map(|v| {
                    let mut row: Vec<(u32, u64)> = n.row(v).map(|(u, w)| (u, w.to_bits())).collect();
                    row.sort_unstable();
                    (row, n.self_w[v].to_bits(), n.k[v].to_bits(), n.size[v].to_bits())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&repaired.net), rows(&fresh));
        let untouched = FirstLevel { groups: groups.clone(), count, net: net.aggregate(&groups, count, 1) };
        assert_eq!(untouched.repaired(&net, &groups).map(|f| f.count), Some(count));
    }

    #[test]
    fn a_second_run_is_never_worse_than_the_first() {
        let g = crate::testing::karate();
        let one = communities(&g, &CommunityOptions { iterations: 1, ..Default::default() });
        let two = communities(&g, &CommunityOptions { iterations: 2, ..Default::default() });
        assert!(two.quality >= one.quality - 1e-12);
    }

    #[test]
    fn same_seed_same_partition() {
        let g = crate::testing::karate();
        let o = CommunityOptions { seed: 42, ..Default::default() };
        assert_eq!(communities(&g, &o), communities(&g, &o));
    }

    #[test]
    fn karate_club_leiden_reaches_the_known_optimum() {
        let g = crate::testing::karate();
        let best = (1..=10)
            .map(|seed| communities(&g, &CommunityOptions { seed, ..Default::default() }).quality)
            .fold(f64::MIN, f64::max);
        // The maximum modularity of Zachary's karate club is 0.4198 (Brandes et al. 2008).
        assert!((best - 0.419_789).abs() < 1e-4, "{best}");
    }

    #[test]
    fn higher_cpm_resolution_gives_more_communities() {
        let g = crate::testing::karate();
        let count = |resolution| {
            communities(&g, &CommunityOptions { quality: Quality::Cpm, resolution, ..Default::default() }).count
        };
        assert!(count(0.05) < count(0.5));
        assert_eq!(count(1.01), 34, "above density 1 every node stands alone");
    }

    #[test]
    fn levels_go_from_fine_to_coarse() {
        let g = crate::testing::karate();
        let c = communities(&g, &CommunityOptions { method: Method::Louvain, ..Default::default() });
        let counts: Vec<usize> =
            c.levels.iter().map(|l| l.iter().collect::<std::collections::HashSet<_>>().len()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        assert_eq!(*counts.last().unwrap(), c.count);
    }
}
