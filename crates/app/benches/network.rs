//! The platform graph (issue 7's goal: the 3-hop neighbourhood of 10,000
//! entities, with the policy applied, in ≤ 200 ms).
//!
//! Imports `VEZA_BENCH_GROUPS` (default 100) groups of 100 persons into
//! SQLite: each member is linked to the group's head, heads know each other
//! (an `Associate` link per pair), and one person in ten is the Serbian
//! police's alone (hidden from the analyst). From one head, three hops reach
//! every visible person: about 10,000 entities and as many links. Times, as
//! an analyst of another agency with a purpose: the store's policy-filtered
//! walk (`Store::network`), and the whole use case (`Veza::network`: walk,
//! Leiden communities, degree, betweenness, PageRank, one audit entry).
//! Median of `VEZA_BENCH_RUNS` (default 7) after one warm-up.
//!
//! `cargo bench -p veza-app --bench network`

use std::io::Write;

/// The allocator the `veza` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;
use veza_app::{Access, Caller, ImportOptions, Veza};
use veza_store::Agency;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let groups = env("VEZA_BENCH_GROUPS", 100);
    let runs = env("VEZA_BENCH_RUNS", 7).max(1);
    let dir = tempfile::tempdir().expect("temporary folder");
    let veza = Veza::open(&format!("sqlite://{}", dir.path().join("veza.db").display())).await.expect("store");
    for (code, country) in [("mk-thb", "mk"), ("rs-mup", "rs")] {
        let a = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&a).await.expect("agency");
    }
    let file = dir.path().join("network.ftm.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        let mut line = |v: serde_json::Value| writeln!(out, "{v}").expect("write");
        let handling = |i: usize| if i % 10 == 7 { "agency" } else { "all" };
        for g in 0..groups {
            for m in 0..100 {
                let i = g * 100 + m;
                line(serde_json::json!({"id": format!("p-{i}"), "schema": "Person",
                    "properties": {"name": [format!("Person {i}")]},
                    "veza": {"handling": {"visibility": handling(i)}}}));
                if m > 0 {
                    line(serde_json::json!({"id": format!("a-{i}"), "schema": "Associate",
                        "properties": {"person": [format!("p-{}", g * 100)], "associate": [format!("p-{i}")]},
                        "veza": {"handling": {"visibility": handling(i)}}}));
                }
            }
            for h in 0..g {
                line(serde_json::json!({"id": format!("h-{g}-{h}"), "schema": "Associate",
                    "properties": {"person": [format!("p-{}", g * 100)], "associate": [format!("p-{}", h * 100)]},
                    "veza": {"handling": {"visibility": "all"}}}));
            }
        }
    }
    let op = Access::new(Caller::system("bench"), None);
    let options = ImportOptions { agency: Some("rs-mup".into()), ..ImportOptions::default() };
    let start = Instant::now();
    let s = veza.import_file(&op, &file, &options, |_| {}).await.expect("import");
    println!("import: {} entities in {:.1} s", s.created, start.elapsed().as_secs_f64());

    let analyst = Caller::user("analyst.mk", "mk-thb", "mk", &[veza_app::Role::Analyst]);
    let access = Access::with_purpose(analyst.clone(), "bench network").expect("purpose");
    let seed = vec!["p-0".to_owned()];
    let slice = veza.store().network(&analyst, &seed, 3, 100_000).await.expect("walk");
    let mut walk = Vec::new();
    let mut whole = Vec::new();
    let mut nodes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let s = veza.store().network(&analyst, &seed, 3, 100_000).await.expect("walk");
        walk.push(t.elapsed().as_secs_f64() * 1e3);
        nodes = s.nodes.len();
        let t = Instant::now();
        let view = veza.network(&access, "p-0", 3).await.expect("network");
        whole.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(view.nodes.iter().all(|n| !n.id.ends_with('7') || n.id.starts_with("h-")), "a hidden person leaked");
    }
    println!(
        "3-hop neighbourhood as an analyst of another agency: {} entities, {} links visible ({} hidden skipped)",
        nodes,
        slice.edges.len(),
        groups * 10
    );
    println!("store walk with the policy: median {:.0} ms over {runs} runs", median(walk));
    println!(
        "whole use case (walk + Leiden + degree + betweenness + PageRank + audit): median {:.0} ms",
        median(whole)
    );
}
