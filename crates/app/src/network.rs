//! The network around an entity, for an analyst: the part of the link
//! graph the caller may see (the store's walk applies the policy), with
//! communities (Leiden), degree, betweenness and PageRank computed on that
//! part only — so a hidden record changes no figure the caller sees — and
//! exports for i2 Analyst's Notebook, Gephi, yEd and Cytoscape. A view is a
//! consultation of every node shown; an export is a disclosure. The entry
//! is written while the figures are computed, and before anything is
//! returned.

use crate::{Access, AppError, Veza};
use serde::Serialize;
use veza_graph::centrality::{self, Sources};
use veza_graph::export::{self, AnxOptions, Column};
use veza_graph::{CommunityOptions, Graph, GraphBuilder, communities};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{NetworkEdge, NetworkSlice};

/// Largest number of nodes a network view holds.
pub const MAX_NETWORK_NODES: usize = 10_000;
/// Most hops a network view walks.
pub const MAX_HOPS: u32 = 4;

/// One entity of a network view, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkNodeView {
    /// Entity id.
    pub id: String,
    /// Schema.
    pub schema: String,
    /// Caption.
    pub caption: String,
    /// Owning agency.
    pub owner_agency: String,
    /// Links from the entity asked about.
    pub hop: u32,
    /// Community (0 is the largest).
    pub community: u32,
    /// Number of links.
    pub degree: f64,
    /// Share of shortest paths through it.
    pub betweenness: f64,
    /// PageRank.
    pub pagerank: f64,
}

/// A network view: nodes with figures, links, and the partition's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkView {
    /// The entity asked about.
    pub center: String,
    /// Hops walked.
    pub hops: u32,
    /// Nodes, the centre first.
    pub nodes: Vec<NetworkNodeView>,
    /// Links between them.
    pub edges: Vec<NetworkEdge>,
    /// Number of communities.
    pub communities: usize,
    /// Modularity of the partition.
    pub modularity: f64,
    /// True when the view stopped at [`MAX_NETWORK_NODES`].
    pub truncated: bool,
}

/// Formats of a network export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    /// IBM i2 Analyst's Notebook exchange (ANX XML).
    Anx,
    /// GraphML.
    Graphml,
    /// GEXF (Gephi).
    Gexf,
    /// Cytoscape.js JSON.
    Cytoscape,
}

impl NetworkFormat {
    /// The format named `s` (`anx`, `graphml`, `gexf`, `cytoscape`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "anx" => Some(NetworkFormat::Anx),
            "graphml" => Some(NetworkFormat::Graphml),
            "gexf" => Some(NetworkFormat::Gexf),
            "cytoscape" => Some(NetworkFormat::Cytoscape),
            _ => None,
        }
    }

    /// The file extension and media type.
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            NetworkFormat::Anx => ("anx", "application/xml"),
            NetworkFormat::Graphml => ("graphml", "application/xml"),
            NetworkFormat::Gexf => ("gexf", "application/xml"),
            NetworkFormat::Cytoscape => ("json", "application/json"),
        }
    }
}

fn check_hops(hops: u32) -> Result<(), AppError> {
    if (1..=MAX_HOPS).contains(&hops) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: Some("hops".into()), message: format!("hops is 1–{MAX_HOPS}, not {hops}") })
    }
}

/// The graph engine's graph of a slice (undirected, one edge per link, weights summed).
pub(crate) fn graph_of(slice: &NetworkSlice) -> Result<Graph, AppError> {
    let mut b = GraphBuilder::new(false);
    for n in &slice.nodes {
        b.node(&n.id, &n.schema, vec![("owner".into(), n.owner_agency.clone()), ("hop".into(), n.hop.to_string())]);
        b.label(&n.id, &n.caption).map_err(|e| AppError::Invalid { field: None, message: e.to_string() })?;
    }
    for e in &slice.edges {
        let kind = e.prop.clone().unwrap_or_else(|| e.via_schema.clone());
        b.edge(&e.source, &e.target, veza_graph::EdgeSpec::new(kind))
            .map_err(|e| AppError::Invalid { field: None, message: e.to_string() })?;
    }
    Ok(b.build())
}

/// The figures of every node: community, degree, betweenness, PageRank.
struct Figures {
    community: Vec<u32>,
    communities: usize,
    modularity: f64,
    degree: Vec<f64>,
    betweenness: Vec<f64>,
    pagerank: Vec<f64>,
}

fn figures(graph: &Graph) -> Figures {
    let found = communities(graph, &CommunityOptions { restarts: 5, ..CommunityOptions::default() });
    let sources = if graph.node_count() > 2_000 { Sources::Sample { count: 200, seed: 1 } } else { Sources::All };
    Figures {
        modularity: veza_graph::modularity(graph, &found.membership, 1.0),
        communities: found.count,
        community: found.membership,
        degree: centrality::degree(graph),
        betweenness: centrality::betweenness(graph, sources, 0),
        pagerank: centrality::pagerank(graph, 0.85, 0),
    }
}

impl Veza {
    /// The caller's slice of the network within `hops` of `id`.
    async fn slice(&self, access: &Access, id: &str, hops: u32) -> Result<NetworkSlice, AppError> {
        check_hops(hops)?;
        Ok(self.store.network(&access.caller, &[id.to_owned()], hops, MAX_NETWORK_NODES).await?)
    }

    /// The network within `hops` links of `id`, with communities and
    /// centralities; a consultation of every node shown. `NotFound` when the
    /// caller may not see `id`.
    pub async fn network(&self, access: &Access, id: &str, hops: u32) -> Result<NetworkView, AppError> {
        let detail = format!("network of {id}, {hops} hops");
        self.purpose_of(access, AuditAction::Consult, &[id], &detail).await?;
        let slice = self.slice(access, id, hops).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Denied, &detail).await?;
            return Err(AppError::NotFound(format!("entity {id}")));
        }
        let ids = slice.nodes.iter().map(|n| n.id.clone()).collect();
        // The figures are computed while the consultation is written down.
        let (view, audited) = tokio::join!(
            view_of(id, hops, slice),
            self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail)
        );
        audited?;
        view
    }

    /// The network within `hops` links of `id` as a file in `format`, with
    /// community and centralities as node attributes; a disclosure of every
    /// node in it, logged before it is returned.
    pub async fn export_network(
        &self,
        access: &Access,
        id: &str,
        hops: u32,
        format: NetworkFormat,
    ) -> Result<Vec<u8>, AppError> {
        let detail = format!("network of {id}, {hops} hops, exported as {}", format.file().0);
        self.purpose_of(access, AuditAction::Disclose, &[id], &detail).await?;
        let slice = self.slice(access, id, hops).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Disclose, vec![id.to_owned()], AuditOutcome::Denied, &detail)
                .await?;
            return Err(AppError::NotFound(format!("entity {id}")));
        }
        let bytes = export_slice(&slice, format).await?;
        let ids = slice.nodes.iter().map(|n| n.id.clone()).collect();
        self.audit_access(access, AuditAction::Disclose, ids, AuditOutcome::Ok, &detail).await?;
        Ok(bytes)
    }
}

/// The view of a slice: the engine's figures for every node (on a blocking
/// thread), the edges as the slice has them.
pub(crate) async fn view_of(center: &str, hops: u32, slice: NetworkSlice) -> Result<NetworkView, AppError> {
    let graph = graph_of(&slice)?;
    let f = tokio::task::spawn_blocking(move || figures(&graph))
        .await
        .map_err(|e| AppError::Invalid { field: None, message: format!("internal error: {e}") })?;
    let nodes = slice
        .nodes
        .into_iter()
        .enumerate()
        .map(|(i, n)| NetworkNodeView {
            id: n.id,
            schema: n.schema,
            caption: n.caption,
            owner_agency: n.owner_agency,
            hop: n.hop,
            community: f.community.get(i).copied().unwrap_or_default(),
            degree: f.degree.get(i).copied().unwrap_or_default(),
            betweenness: f.betweenness.get(i).copied().unwrap_or_default(),
            pagerank: f.pagerank.get(i).copied().unwrap_or_default(),
        })
        .collect();
    Ok(NetworkView {
        center: center.to_owned(),
        hops,
        nodes,
        edges: slice.edges,
        communities: f.communities,
        modularity: f.modularity,
        truncated: slice.truncated,
    })
}

/// A slice as a file in `format`, with community and centralities as node
/// attributes (on a blocking thread).
pub(crate) async fn export_slice(slice: &NetworkSlice, format: NetworkFormat) -> Result<Vec<u8>, AppError> {
    let graph = graph_of(slice)?;
    tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        let f = figures(&graph);
        let columns = vec![
            Column::number("community", f.community.iter().map(|c| f64::from(*c)).collect()),
            Column::number("degree", f.degree),
            Column::number("betweenness", f.betweenness),
            Column::number("pagerank", f.pagerank),
        ];
        let mut out = Vec::new();
        match format {
            NetworkFormat::Anx => export::anx(&graph, &columns, &AnxOptions::default(), &mut out)?,
            NetworkFormat::Graphml => export::graphml(&graph, &columns, &mut out)?,
            NetworkFormat::Gexf => export::gexf(&graph, &columns, &mut out)?,
            NetworkFormat::Cytoscape => out = export::cytoscape(&graph, &columns).into_bytes(),
        }
        Ok(out)
    })
    .await
    .map_err(|e| AppError::Invalid { field: None, message: format!("internal error: {e}") })?
    .map_err(|e| AppError::Invalid { field: None, message: format!("the export failed: {e}") })
}
