//! Properties that hold on any graph: random graphs from proptest.

use proptest::prelude::*;
use veza_graph::brokers::cut_structure;
use veza_graph::centrality::{Sources, betweenness, closeness, degree, harmonic, k_core, pagerank};
use veza_graph::disruption::{Strategy as Removal, components, disrupt};
use veza_graph::paths::{all_shortest_paths, neighbourhood};
use veza_graph::{CommunityOptions, EdgeSpec, Graph, GraphBuilder, Method, Quality, communities, modularity};

fn graph(n: usize, edges: &[(usize, usize, u8)], directed: bool) -> Graph {
    let mut b = GraphBuilder::new(directed);
    for v in 0..n {
        b.node(&format!("n{v}"), "Person", Vec::new());
    }
    for &(a, c, w) in edges {
        let spec = EdgeSpec::new("call").weight(f64::from(w % 5 + 1));
        b.edge(&format!("n{}", a % n), &format!("n{}", c % n), spec).unwrap();
    }
    b.build()
}

fn arb_graph() -> impl Strategy<Value = (usize, Vec<(usize, usize, u8)>)> {
    (1usize..24).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 0..n, any::<u8>()), 0..60)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn removing_nodes_never_grows_the_largest_part((n, edges) in arb_graph(), order in proptest::collection::vec(0u32..24, 0..24)) {
        let g = graph(n, &edges, false);
        let list: Vec<u32> = order.into_iter().filter(|&v| (v as usize) < n).collect();
        for strategy in [Removal::Degree, Removal::BetweennessRecomputed, Removal::DegreeRecomputed, Removal::Given(list)] {
            let steps = disrupt(&g, &strategy, n, 1);
            for w in steps.windows(2) {
                prop_assert!(w[1].largest_component_fraction <= w[0].largest_component_fraction + 1e-12);
            }
            prop_assert_eq!(steps[0].largest_component_fraction, if n > 0 { components(&g, &vec![true; n]).0 as f64 / n as f64 } else { 0.0 });
        }
    }

    #[test]
    fn pagerank_sums_to_one_and_is_positive((n, edges) in arb_graph(), directed in any::<bool>()) {
        let pr = pagerank(&graph(n, &edges, directed), 0.85, 2);
        prop_assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(pr.iter().all(|&x| x > 0.0));
    }

    #[test]
    fn betweenness_is_bounded_and_zero_for_leaves((n, edges) in arb_graph()) {
        let g = graph(n, &edges, false);
        let b = betweenness(&g, Sources::All, 2);
        let d = degree(&g);
        let pairs = ((n.saturating_sub(1)) * (n.saturating_sub(2))) as f64 / 2.0;
        for v in 0..n {
            prop_assert!(b[v] >= 0.0 && b[v] <= pairs + 1e-9);
            if d[v] <= 1.0 { prop_assert!(b[v].abs() < 1e-12, "a leaf or isolated node brokers nothing"); }
        }
        // Σ betweenness = Σ over connected pairs of (distance − 1).
        let mut excess = 0.0;
        for s in 0..n as u32 {
            for t in s + 1..n as u32 {
                if let Some(p) = all_shortest_paths(&g, s, t, 1).first() { excess += (p.len() - 2) as f64; }
            }
        }
        prop_assert!((b.iter().sum::<f64>() - excess).abs() < 1e-6 * excess.max(1.0));
    }

    #[test]
    fn articulation_points_are_exactly_the_nodes_whose_loss_splits((n, edges) in arb_graph()) {
        let g = graph(n, &edges, false);
        let cut = cut_structure(&g);
        let base = components(&g, &vec![true; n]).1;
        for v in 0..n {
            let mut alive = vec![true; n];
            alive[v] = false;
            let after = components(&g, &alive).1;
            let isolated = degree(&g)[v] == 0.0;
            let splits = after > base - usize::from(isolated);
            prop_assert_eq!(cut.articulation_points.contains(&(v as u32)), splits, "node {}", v);
        }
    }

    #[test]
    fn communities_are_reproducible_and_leiden_communities_connected((n, edges) in arb_graph(), seed in 0u64..1000) {
        let g = graph(n, &edges, false);
        for quality in [Quality::Modularity, Quality::Cpm] {
            let o = CommunityOptions { seed, quality, resolution: if quality == Quality::Cpm { 0.3 } else { 1.0 }, ..Default::default() };
            let c = communities(&g, &o);
            prop_assert_eq!(&c, &communities(&g, &o));
            prop_assert_eq!(c.membership.len(), n);
            for k in 0..c.count as u32 {
                let members: Vec<bool> = c.membership.iter().map(|&m| m == k).collect();
                prop_assert!(members.iter().any(|&x| x));
                prop_assert_eq!(components(&g, &members).1, 1, "community {} is connected", k);
            }
        }
        let louvain = communities(&g, &CommunityOptions { method: Method::Louvain, seed, ..Default::default() });
        let singletons: Vec<u32> = (0..n as u32).collect();
        prop_assert!(modularity(&g, &louvain.membership, 1.0) >= modularity(&g, &singletons, 1.0) - 1e-12);
    }

    #[test]
    fn closeness_harmonic_and_cores_are_within_their_ranges((n, edges) in arb_graph()) {
        let g = graph(n, &edges, false);
        let (c, h, k, d) = (closeness(&g, 2), harmonic(&g, 1), k_core(&g), degree(&g));
        for v in 0..n {
            prop_assert!((0.0..=1.0).contains(&c[v]) && (0.0..=1.0 + 1e-12).contains(&h[v]));
            prop_assert!(f64::from(k[v]) <= d[v]);
        }
        if n > 0 {
            let ring = neighbourhood(&g, 0, 1);
            prop_assert_eq!(ring.len() - 1, d[0] as usize);
        }
    }
}
