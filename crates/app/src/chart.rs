//! The link chart: an entity's or a case's network as the caller may see it,
//! with the engine's figures and the dates of every dated link (for the
//! time slider); a node's neighbours by link type; the shortest path
//! between two entities over what the caller may see; and charts saved
//! with their layout.
//!
//! Every read goes through the store with the caller, so the policy holds:
//! a saved chart keeps only ids and layout, and opening it reads every
//! node again, dropping the ones the opener may no longer see (from the
//! layout too). Each view is one consultation entry naming the nodes
//! shown; an export is a disclosure.

use crate::network::{MAX_HOPS, MAX_NETWORK_NODES, NetworkFormat, NetworkNodeView, export_slice, view_of};
use crate::{Access, AppError, Veza};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use veza_model::Model;
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{ChartAnchor, Lookup, NetworkEdge, NetworkSlice, NewChart, SavedChart};

/// Most hops a path search walks.
pub const MAX_PATH_HOPS: u32 = 6;
/// Most hops around a case's entities.
pub const MAX_CASE_HOPS: u32 = 2;
/// Longest chart title, in characters.
pub const MAX_CHART_TITLE: usize = 200;

/// A link of a chart, with its kind and dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartEdge {
    /// The entity that makes the link.
    pub via_id: String,
    /// Its schema.
    pub via_schema: String,
    /// The referring property; `None` for a link schema.
    pub prop: Option<String>,
    /// One end.
    pub source: String,
    /// The other end.
    pub target: String,
    /// What the link is, for filtering and expanding: the property, or the link schema.
    pub kind: String,
    /// Earliest date of the link entity (`date`, `startDate`), as written (ISO, maybe partial).
    pub start: Option<String>,
    /// Latest date (`endDate`, else `date`).
    pub end: Option<String>,
}

/// Where one node of a saved chart stands and how it is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeLayout {
    /// Entity id.
    pub id: String,
    /// Position.
    pub x: f64,
    /// Position.
    pub y: f64,
    /// Hidden by the user.
    #[serde(default)]
    pub hidden: bool,
    /// Locked in place.
    #[serde(default)]
    pub pinned: bool,
    /// The group (compound node) it is in, if any.
    #[serde(default)]
    pub group: Option<String>,
}

/// A group of nodes the user made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupLayout {
    /// Group id (chosen by the page, unique within the chart).
    pub id: String,
    /// Label shown.
    pub label: String,
}

/// The layout of a saved chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartLayout {
    /// Every node of the chart.
    pub nodes: Vec<NodeLayout>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<GroupLayout>,
}

/// A chart: nodes with figures, dated links, and, for a saved chart, its layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartView {
    /// What it was opened from.
    pub anchor: ChartAnchor,
    /// The entity or case.
    pub anchor_id: String,
    /// Hops walked from the anchor (0 for a saved chart).
    pub hops: u32,
    /// Nodes, the anchor first.
    pub nodes: Vec<NetworkNodeView>,
    /// Links between them.
    pub edges: Vec<ChartEdge>,
    /// Number of communities.
    pub communities: usize,
    /// Modularity of the partition.
    pub modularity: f64,
    /// True when the walk stopped at the node limit.
    pub truncated: bool,
    /// The saved chart shown, if any: number and title.
    pub saved: Option<(i64, String)>,
    /// Its layout, restricted to the nodes shown.
    pub layout: Option<ChartLayout>,
}

/// A shortest path between two entities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathView {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
    /// Whether a path was found within the hops, over what the caller may see.
    pub found: bool,
    /// The entities on the path, `from` first.
    pub nodes: Vec<PathNode>,
    /// One link for each step.
    pub edges: Vec<ChartEdge>,
}

/// An entity on a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathNode {
    /// Entity id.
    pub id: String,
    /// Caption.
    pub caption: String,
    /// Schema.
    pub schema: String,
}

/// A chart to save.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChartDraft {
    /// The chart to replace, if any (one of the caller's).
    #[serde(default)]
    pub id: Option<i64>,
    /// Title.
    pub title: String,
    /// What it was opened from.
    pub anchor: ChartAnchor,
    /// The entity or case.
    pub anchor_id: String,
    /// Layout.
    pub layout: ChartLayout,
}

fn hops_in(hops: u32, min: u32, max: u32, field: &str) -> Result<(), AppError> {
    if (min..=max).contains(&hops) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: Some(field.into()), message: format!("{field} is {min}–{max}, not {hops}") })
    }
}

/// The dates of an entity of an Interval schema: earliest `date`/`startDate`,
/// latest `endDate`/`date`. Values are ISO dates, maybe partial or with a time.
pub(crate) fn dates_of(e: &veza_model::Entity) -> (Option<String>, Option<String>) {
    let starts = e.values("date").iter().chain(e.values("startDate"));
    let ends = e.values("endDate").iter().chain(e.values("date"));
    (starts.min().cloned(), ends.max().cloned())
}

/// Whether entities of `schema` carry dates (FtM's Interval and its descendants).
pub(crate) fn dated(model: &Model, schema: &str) -> bool {
    model.schema(schema).is_ok_and(|s| s.is_a("Interval"))
}

impl Veza {
    /// The edges of a slice with kinds and the dates of their link entities
    /// (read through the policy).
    async fn chart_edges(&self, access: &Access, edges: Vec<NetworkEdge>) -> Result<Vec<ChartEdge>, AppError> {
        let dated_ids: Vec<String> = edges
            .iter()
            .filter(|e| dated(self.model, &e.via_schema))
            .map(|e| e.via_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let dates: HashMap<String, (Option<String>, Option<String>)> = self
            .store
            .entities_by_id(&access.caller, &dated_ids)
            .await?
            .into_iter()
            .map(|e| (e.id.clone(), dates_of(&e)))
            .collect();
        Ok(edges
            .into_iter()
            .map(|e| {
                let (start, end) = dates.get(&e.via_id).cloned().unwrap_or_default();
                ChartEdge {
                    kind: e.prop.clone().unwrap_or_else(|| e.via_schema.clone()),
                    via_id: e.via_id,
                    via_schema: e.via_schema,
                    prop: e.prop,
                    source: e.source,
                    target: e.target,
                    start,
                    end,
                }
            })
            .collect())
    }

    /// A slice as a chart, audited as a consultation of its nodes.
    async fn chart_of(
        &self,
        access: &Access,
        anchor: ChartAnchor,
        anchor_id: &str,
        hops: u32,
        slice: NetworkSlice,
        detail: &str,
    ) -> Result<ChartView, AppError> {
        let ids: Vec<String> = slice.nodes.iter().map(|n| n.id.clone()).collect();
        let view = view_of(anchor_id, hops, slice).await?;
        let edges = self.chart_edges(access, view.edges).await?;
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, detail).await?;
        Ok(ChartView {
            anchor,
            anchor_id: anchor_id.to_owned(),
            hops,
            nodes: view.nodes,
            edges,
            communities: view.communities,
            modularity: view.modularity,
            truncated: view.truncated,
            saved: None,
            layout: None,
        })
    }

    /// The chart of the network within `hops` (1–4) links of entity `id`.
    /// `NotFound` when the caller may not see `id`.
    pub async fn entity_chart(&self, access: &Access, id: &str, hops: u32) -> Result<ChartView, AppError> {
        hops_in(hops, 1, MAX_HOPS, "hops")?;
        let detail = format!("link chart of {id}, {hops} hops");
        self.purpose_of(access, AuditAction::Consult, &[id], &detail).await?;
        let slice = self.store.network(&access.caller, &[id.to_owned()], hops, MAX_NETWORK_NODES).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Denied, &detail).await?;
            return Err(AppError::NotFound(format!("entity {id}")));
        }
        self.chart_of(access, ChartAnchor::Entity, id, hops, slice, &detail).await
    }

    /// The case `case_id`, its entities the caller may see, and the links
    /// among them (`hops` = 0) or out to `hops` (≤ 2) links around them.
    /// `NotFound` when the caller may not see the case.
    pub async fn case_chart(&self, access: &Access, case_id: &str, hops: u32) -> Result<ChartView, AppError> {
        hops_in(hops, 0, MAX_CASE_HOPS, "hops")?;
        let detail = format!("link chart of case {case_id}, {hops} hops");
        let slice = self.case_slice(access, case_id, hops, &detail).await?;
        self.chart_of(access, ChartAnchor::Case, case_id, hops, slice, &detail).await
    }

    /// The slice of a case: the case, its entities, `hops` around them.
    pub(crate) async fn case_slice(
        &self,
        access: &Access,
        case_id: &str,
        hops: u32,
        detail: &str,
    ) -> Result<NetworkSlice, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[case_id], detail).await?;
        let is_case = match self.store.entity(&access.caller, case_id).await? {
            Lookup::Found(e) => self.model.schema(&e.schema).is_ok_and(|s| s.is_a("Case")),
            _ => false,
        };
        if !is_case {
            self.audit_access(access, AuditAction::Consult, vec![case_id.to_owned()], AuditOutcome::Denied, detail)
                .await?;
            return Err(AppError::NotFound(format!("case {case_id}")));
        }
        let mut seeds = vec![case_id.to_owned()];
        // Link entities (a Suspect between a person and the case) are links, not nodes.
        let members = self.store.case_entity_ids(&access.caller, case_id, MAX_NETWORK_NODES).await?;
        seeds.extend(
            members
                .into_iter()
                .filter(|(_, schema)| self.model.schema(schema).is_ok_and(|s| s.edge.is_none()))
                .map(|(id, _)| id),
        );
        Ok(self.store.network(&access.caller, &seeds, hops, MAX_NETWORK_NODES).await?)
    }

    /// The entities one link from `id`, through links of `link_type` only
    /// (a property such as `holder`, or a link schema such as `Call`) or of
    /// any type. `NotFound` when the caller may not see `id`.
    pub async fn neighbours(&self, access: &Access, id: &str, link_type: Option<&str>) -> Result<ChartView, AppError> {
        let detail = match link_type {
            Some(t) => format!("neighbours of {id} by {t}"),
            None => format!("neighbours of {id}"),
        };
        self.purpose_of(access, AuditAction::Consult, &[id], &detail).await?;
        let mut slice = self.store.network(&access.caller, &[id.to_owned()], 1, MAX_NETWORK_NODES).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Denied, &detail).await?;
            return Err(AppError::NotFound(format!("entity {id}")));
        }
        if let Some(t) = link_type {
            slice.edges.retain(|e| e.prop.as_deref().unwrap_or(&e.via_schema) == t);
            let ends: HashSet<&str> =
                slice.edges.iter().flat_map(|e| [e.source.as_str(), e.target.as_str()]).chain([id]).collect();
            let keep: HashSet<String> = ends.into_iter().map(str::to_owned).collect();
            slice.nodes.retain(|n| keep.contains(&n.id));
        }
        self.chart_of(access, ChartAnchor::Entity, id, 1, slice, &detail).await
    }

    /// A shortest path from `from` to `to` of at most `max_hops` (1–6) links,
    /// over the part of the network the caller may see (a hidden record is
    /// never a step). `NotFound` when the caller may not see `from`.
    pub async fn network_path(
        &self,
        access: &Access,
        from: &str,
        to: &str,
        max_hops: u32,
    ) -> Result<PathView, AppError> {
        hops_in(max_hops, 1, MAX_PATH_HOPS, "max_hops")?;
        let detail = format!("path from {from} to {to}, at most {max_hops} hops");
        self.purpose_of(access, AuditAction::Consult, &[from, to], &detail).await?;
        let slice = self.store.network(&access.caller, &[from.to_owned()], max_hops, MAX_NETWORK_NODES).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Consult, vec![from.to_owned()], AuditOutcome::Denied, &detail)
                .await?;
            return Err(AppError::NotFound(format!("entity {from}")));
        }
        let graph = crate::network::graph_of(&slice)?;
        let steps: Vec<String> = match (graph.index_of(from), graph.index_of(to)) {
            (Some(a), Some(b)) => veza_graph::paths::shortest_path(&graph, a, b)
                .map(|p| p.into_iter().map(|v| graph.node(v).id.clone()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut edges = Vec::new();
        for pair in steps.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if let Some(e) =
                slice.edges.iter().find(|e| (&e.source == a && &e.target == b) || (&e.source == b && &e.target == a))
            {
                edges.push(e.clone());
            }
        }
        let edges = self.chart_edges(access, edges).await?;
        self.audit_access(access, AuditAction::Consult, steps.clone(), AuditOutcome::Ok, &detail).await?;
        let nodes = steps
            .iter()
            .filter_map(|id| slice.nodes.iter().find(|n| &n.id == id))
            .map(|n| PathNode { id: n.id.clone(), caption: n.caption.clone(), schema: n.schema.clone() })
            .collect();
        Ok(PathView { from: from.to_owned(), to: to.to_owned(), found: !steps.is_empty(), nodes, edges })
    }

    /// Saves a chart of the caller's (a new one, or a new version of one of
    /// theirs); returns its number. Only ids and layout are kept.
    pub async fn save_chart(&self, access: &Access, draft: ChartDraft) -> Result<i64, AppError> {
        let title = draft.title.trim();
        if title.is_empty() || title.chars().count() > MAX_CHART_TITLE || title.chars().any(char::is_control) {
            return Err(AppError::Invalid {
                field: Some("title".into()),
                message: format!("a chart's title is 1–{MAX_CHART_TITLE} characters, without control characters"),
            });
        }
        if draft.layout.nodes.len() > MAX_NETWORK_NODES {
            return Err(AppError::Invalid {
                field: Some("layout.nodes".into()),
                message: format!("a chart holds at most {MAX_NETWORK_NODES} nodes"),
            });
        }
        if draft.layout.nodes.iter().any(|n| !n.x.is_finite() || !n.y.is_finite()) {
            return Err(AppError::Invalid {
                field: Some("layout.nodes".into()),
                message: "node positions are finite numbers".into(),
            });
        }
        let layout = serde_json::to_string(&draft.layout).map_err(|e| AppError::Internal(e.to_string()))?;
        let chart = NewChart {
            id: draft.id,
            title: title.to_owned(),
            anchor: draft.anchor,
            anchor_id: draft.anchor_id,
            layout,
        };
        let now = self.now().timestamp_micros();
        Ok(self.store.save_chart(&access.caller, &chart, now).await?)
    }

    /// The caller's saved charts, last changed first (without their layouts).
    pub async fn saved_charts(&self, access: &Access) -> Result<Vec<SavedChart>, AppError> {
        let mut list = self.store.saved_charts(&access.caller).await?;
        for c in &mut list {
            c.layout.clear();
        }
        Ok(list)
    }

    /// Deletes one of the caller's saved charts.
    pub async fn delete_chart(&self, access: &Access, id: i64) -> Result<(), AppError> {
        if self.store.delete_chart(&access.caller, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound(format!("saved chart {id}")))
        }
    }

    /// The saved chart and the slice of its nodes the caller may see now.
    async fn saved_slice(&self, access: &Access, id: i64) -> Result<(SavedChart, ChartLayout, NetworkSlice), AppError> {
        let Some(saved) = self.store.saved_chart(&access.caller, id).await? else {
            return Err(AppError::NotFound(format!("saved chart {id}")));
        };
        let mut layout: ChartLayout = serde_json::from_str(&saved.layout)
            .map_err(|e| AppError::Internal(format!("saved chart {id} has a layout that cannot be read: {e}")))?;
        let ids: Vec<String> = layout.nodes.iter().map(|n| n.id.clone()).collect();
        let slice = self.store.network(&access.caller, &ids, 0, MAX_NETWORK_NODES).await?;
        let visible: HashSet<&str> = slice.nodes.iter().map(|n| n.id.as_str()).collect();
        layout.nodes.retain(|n| visible.contains(n.id.as_str()));
        Ok((saved, layout, slice))
    }

    /// Opens one of the caller's saved charts: every node read again through
    /// the policy; the ones the caller may not see now are left out, from
    /// the layout too.
    pub async fn open_chart(&self, access: &Access, id: i64) -> Result<ChartView, AppError> {
        let detail = format!("saved link chart {id}");
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let (saved, layout, slice) = self.saved_slice(access, id).await?;
        let mut view = self.chart_of(access, saved.anchor, &saved.anchor_id, 0, slice, &detail).await?;
        view.saved = Some((saved.id, saved.title));
        view.layout = Some(layout);
        Ok(view)
    }

    /// A saved chart's nodes (those the caller may see) and their links as a
    /// file; a disclosure, logged before it is returned.
    pub async fn export_chart(&self, access: &Access, id: i64, format: NetworkFormat) -> Result<Vec<u8>, AppError> {
        let detail = format!("saved link chart {id}, exported as {}", format.file().0);
        self.purpose_of(access, AuditAction::Disclose, &[], &detail).await?;
        let (_, _, slice) = self.saved_slice(access, id).await?;
        let bytes = export_slice(&slice, format).await?;
        let ids = slice.nodes.iter().map(|n| n.id.clone()).collect();
        self.audit_access(access, AuditAction::Disclose, ids, AuditOutcome::Ok, &detail).await?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_widest_span() {
        let model = Model::builtin();
        let mut e = veza_model::Entity::new("c1", "Call");
        e.add(model, "startDate", "2024-03-02").expect("a date");
        e.add(model, "date", "2024-01").expect("a date");
        e.add(model, "endDate", "2024-05-01").expect("a date");
        assert_eq!(dates_of(&e), (Some("2024-01".into()), Some("2024-05-01".into())));
        assert!(dated(model, "Call"));
        assert!(!dated(model, "Person"));
    }

    #[test]
    fn layouts_read_without_optional_fields() {
        let l: ChartLayout = serde_json::from_str(r#"{"nodes":[{"id":"a","x":1.5,"y":-2}]}"#).expect("a layout");
        assert_eq!(l.nodes[0].group, None);
        assert!(!l.nodes[0].hidden && l.groups.is_empty());
    }
}
