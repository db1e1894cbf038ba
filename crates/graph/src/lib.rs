//! Network analytics for Veza: which people form a group, who holds it
//! together, and which arrests would break it.
//!
//! A [`Graph`] is built from nodes (id, type, attributes) and links (source,
//! target, kind, weight, time) with a [`GraphBuilder`]; every algorithm
//! and export takes a `&Graph`:
//!
//! - [`communities`] — Leiden and Louvain, modularity or CPM, seeded, with levels;
//! - [`centrality`] — degree, weighted degree, betweenness (exact, sampled, parallel),
//!   closeness, harmonic, PageRank, eigenvector, k-core;
//! - [`brokers`] — articulation points, bridges, roles between communities;
//! - [`paths`] — shortest and all shortest paths, k-hop neighbourhoods;
//! - [`disruption`] — removal by a strategy, the network's parts after each step;
//! - [`time`] — restrict to a window ([`Graph::window`]), compare two windows;
//! - [`export`] — i2 ANX, GraphML, GEXF, Cytoscape.js.
//!
//! Pure: no files, no printing, no database; exports write to any
//! `std::io::Write`.
//!
//! ```
//! use veza_graph::{GraphBuilder, EdgeSpec, communities, CommunityOptions};
//! let mut b = GraphBuilder::new(false);
//! for (a, c) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")] {
//!     b.edge_adding_nodes(a, c, EdgeSpec::default()).unwrap();
//! }
//! let g = b.build();
//! let found = communities(&g, &CommunityOptions::default());
//! assert_eq!(found.count, 2);
//! ```

#![warn(missing_docs)]

pub mod brokers;
pub mod centrality;
pub mod community;
pub mod disruption;
pub mod export;
mod graph;
pub mod parallel;
pub mod paths;
mod rng;
#[cfg(test)]
mod testing;
pub mod time;

pub use crate::community::{Communities, CommunityOptions, Method, Quality, communities, modularity};
pub use crate::graph::{Adjacency, Edge, EdgeSpec, Graph, GraphBuilder, GraphError, Node, NodeIndex, TimeWindow};
