//! Edge files for `veza graph`, read undirected and directed.
//! Invariants: no panic; an accepted file has no self-loops, only
//! non-negative finite weights and non-empty ends, and every row is
//! accounted for; a refused one names at least one problem.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::network::{read_edges, read_nodes};

fuzz_target!(|data: &[u8]| {
    for directed in [false, true] {
        match read_edges(data, directed) {
            Ok(file) => {
                for e in &file.edges {
                    assert!(e.source != e.target && !e.source.is_empty() && !e.target.is_empty());
                    assert!(e.weight.is_finite() && e.weight >= 0.0);
                }
            }
            Err(e) => assert!(!e.problems.is_empty() && e.total >= e.problems.len()),
        }
    }
    if let Ok(nodes) = read_nodes(data) {
        assert!(nodes.iter().all(|n| !n.id.is_empty()));
    }
});
