//! Speed and quality on large graphs, for scripts/bench-graph (which runs
//! igraph beside it). Reads an edge file `source,target` of integer ids
//! and an optional truth file (one community per line, by node id).
//!
//! VEZA_GRAPH_EDGES=… VEZA_GRAPH_TRUTH=… VEZA_GRAPH_TASKS=leiden,louvain,pagerank,betweenness100,betweenness
//! cargo bench -p veza-graph --bench graph   (VEZA_GRAPH_ITERATIONS: Leiden runs, default 2 as igraph's)
//! Prints one JSON object per task: {"task", "seconds", …}.

use std::time::Instant;
use veza_graph::centrality::{Sources, betweenness, pagerank};
use veza_graph::{CommunityOptions, EdgeSpec, GraphBuilder, Method, communities, modularity};

fn main() {
    let Ok(edges) = std::env::var("VEZA_GRAPH_EDGES") else {
        eprintln!("set VEZA_GRAPH_EDGES to an edge file (see scripts/bench-graph)");
        return;
    };
    let text = std::fs::read_to_string(&edges).expect("read the edge file");
    let t = Instant::now();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut n = 0u32;
    for line in text.lines().skip(1) {
        let mut it = line.split(',');
        let (Some(a), Some(b)) = (it.next(), it.next()) else { continue };
        let (a, b): (u32, u32) = (a.trim().parse().expect("integer id"), b.trim().parse().expect("integer id"));
        n = n.max(a + 1).max(b + 1);
        pairs.push((a, b));
    }
    let mut builder = GraphBuilder::new(false);
    for v in 0..n {
        builder.node(&v.to_string(), "", Vec::new());
    }
    let ids: Vec<String> = (0..n).map(|v| v.to_string()).collect();
    for (a, b) in pairs {
        builder.edge(&ids[a as usize], &ids[b as usize], EdgeSpec::default()).expect("known nodes");
    }
    let g = builder.build();
    println!(
        "{{\"task\":\"build\",\"seconds\":{:.4},\"nodes\":{},\"edges\":{}}}",
        t.elapsed().as_secs_f64(),
        g.node_count(),
        g.edge_count()
    );
    let truth: Option<Vec<u32>> = std::env::var("VEZA_GRAPH_TRUTH").ok().filter(|p| !p.is_empty()).map(|p| {
        std::fs::read_to_string(p)
            .expect("read truth")
            .lines()
            .map(|l| l.trim().parse().expect("community id"))
            .collect()
    });
    let threads: usize = std::env::var("VEZA_GRAPH_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(0);
    let tasks = std::env::var("VEZA_GRAPH_TASKS").unwrap_or_else(|_| "leiden,louvain,pagerank,betweenness100".into());
    for task in tasks.split(',') {
        let t = Instant::now();
        let cpu = cpu_seconds();
        match task {
            "leiden" | "louvain" => {
                let method = if task == "leiden" { Method::Leiden } else { Method::Louvain };
                let iterations = std::env::var("VEZA_GRAPH_ITERATIONS").ok().and_then(|i| i.parse().ok()).unwrap_or(2);
                let c = communities(&g, &CommunityOptions { method, iterations, threads, ..Default::default() });
                let secs = t.elapsed().as_secs_f64();
                let q = modularity(&g, &c.membership, 1.0);
                let nmi =
                    truth.as_ref().map(|tr| format!(",\"nmi\":{:.4}", nmi(&c.membership, tr))).unwrap_or_default();
                println!(
                    "{{\"task\":\"{task}\",\"seconds\":{secs:.4},\"modularity\":{q:.4},\"communities\":{}{nmi},\"cpu\":{:.2}}}",
                    c.count,
                    cpu_seconds() - cpu
                );
            }
            "pagerank" => {
                let pr = pagerank(&g, 0.85, threads);
                println!(
                    "{{\"task\":\"pagerank\",\"seconds\":{:.4},\"sum\":{:.6},\"cpu\":{:.2}}}",
                    t.elapsed().as_secs_f64(),
                    pr.iter().sum::<f64>(),
                    cpu_seconds() - cpu
                );
            }
            "betweenness100" => {
                let b = betweenness(&g, Sources::Sample { count: 100, seed: 1 }, threads);
                println!(
                    "{{\"task\":\"betweenness100\",\"seconds\":{:.4},\"max\":{:.1},\"cpu\":{:.2}}}",
                    t.elapsed().as_secs_f64(),
                    b.iter().copied().fold(0.0, f64::max),
                    cpu_seconds() - cpu
                );
            }
            "betweenness" => {
                let b = betweenness(&g, Sources::All, threads);
                println!(
                    "{{\"task\":\"betweenness\",\"seconds\":{:.4},\"max\":{:.1},\"cpu\":{:.2}}}",
                    t.elapsed().as_secs_f64(),
                    b.iter().copied().fold(0.0, f64::max),
                    cpu_seconds() - cpu
                );
            }
            other => eprintln!("unknown task {other}"),
        }
    }
}

/// CPU seconds this process has used (all threads), from /proc on Linux; 0 elsewhere.
/// Beside the wall time, it shows the work done when other programs share the machine.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let Some(after) = stat.rfind(')').map(|i| &stat[i + 2..]) else { return 0.0 };
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Normalised mutual information (arithmetic mean normalisation, as igraph's "nmi").
fn nmi(a: &[u32], b: &[u32]) -> f64 {
    use std::collections::HashMap;
    let n = a.len() as f64;
    let mut joint: HashMap<(u32, u32), f64> = HashMap::new();
    let mut pa: HashMap<u32, f64> = HashMap::new();
    let mut pb: HashMap<u32, f64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_default() += 1.0;
        *pa.entry(x).or_default() += 1.0;
        *pb.entry(y).or_default() += 1.0;
    }
    let h = |p: &HashMap<u32, f64>| -p.values().map(|&c| c / n * (c / n).ln()).sum::<f64>();
    let mi: f64 = joint.iter().map(|(&(x, y), &c)| c / n * ((c * n) / (pa[&x] * pb[&y])).ln()).sum();
    let (ha, hb) = (h(&pa), h(&pb));
    if ha + hb == 0.0 { 1.0 } else { 2.0 * mi / (ha + hb) }
}
