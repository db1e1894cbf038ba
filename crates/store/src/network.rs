//! A part of the network around some entities, as the caller may see it:
//! a breadth-first walk over the link table, hop by hop, in batches (one
//! query for the links touching a whole frontier, one for their far ends,
//! each split in two halves read at once on two connections), with the
//! policy applied to every link entity and every end in Rust by the same
//! `Caller::can_see` the other read paths use. A record the caller may not
//! see is neither a node nor the reason for an edge.
//!
//! A link is read once: the links of a frontier leave out those whose
//! other end was in an earlier frontier (read then, with their edge made
//! then: a visible link's far end is kept one hop later at most), and the
//! last frontier reads only the links inside it.

use crate::common::EntityRow;
use crate::error::StoreError;
use crate::policy::Caller;
use crate::types::{NetworkEdge, NetworkNode, NetworkSlice};
use async_trait::async_trait;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What each back end reads for the walk (no policy here: the walk applies it).
#[async_trait]
pub(crate) trait LinkSource: Sync {
    /// Entity rows by id.
    async fn rows_by_id(&self, ids: &[String]) -> Result<Vec<EntityRow>, StoreError>;
    /// Link rows with one end in `ids` and the other not in `skip`, each
    /// once: (prop, source, target, the row of the entity holding the
    /// link). With `within`, only the links with both ends in `ids`.
    async fn links_touching(&self, ids: &[String], skip: &[String], within: bool) -> Result<Vec<LinkRow>, StoreError>;
}

/// A link read by the walk: (prop, source, target, the row of the entity holding the link).
pub(crate) type LinkRow = (Option<String>, String, String, EntityRow);

/// Below this many ids a batch is read in one query.
const SPLIT_FROM: usize = 256;

/// The links touching `ids` (see [`LinkSource::links_touching`]), read in
/// two halves at once: the second half also skips the first (a link
/// between the halves is read once).
async fn links_of(
    source: &impl LinkSource,
    ids: &[String],
    skip: &[String],
    within: bool,
) -> Result<Vec<LinkRow>, StoreError> {
    if ids.len() < SPLIT_FROM || within {
        return source.links_touching(ids, skip, within).await;
    }
    let (first, second) = ids.split_at(ids.len() / 2);
    let skip_more: Vec<String> = skip.iter().chain(first).cloned().collect();
    let (mut a, b) =
        tokio::try_join!(source.links_touching(first, skip, false), source.links_touching(second, &skip_more, false))?;
    a.extend(b);
    Ok(a)
}

/// Entity rows by id, read in two halves at once.
async fn rows_of(source: &impl LinkSource, ids: &[String]) -> Result<Vec<EntityRow>, StoreError> {
    if ids.len() < SPLIT_FROM {
        return source.rows_by_id(ids).await;
    }
    let (first, second) = ids.split_at(ids.len() / 2);
    let (mut a, b) = tokio::try_join!(source.rows_by_id(first), source.rows_by_id(second))?;
    a.extend(b);
    Ok(a)
}

/// Walks `hops` links out from `seeds` (those the caller may see), keeping
/// at most `max_nodes` nodes; edges join two kept nodes through a link
/// entity the caller may see.
pub(crate) async fn walk(
    source: &impl LinkSource,
    caller: &Caller,
    seeds: &[String],
    hops: u32,
    max_nodes: usize,
) -> Result<NetworkSlice, StoreError> {
    let mut nodes: Vec<NetworkNode> = Vec::new();
    let mut kept: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut truncated = false;
    let mut frontier: Vec<String> = Vec::new();
    let seeds: Vec<String> = seeds.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    for row in rows_of(source, &seeds).await? {
        seen.insert(row.id.clone());
        if row.visible_to(caller) && nodes.len() < max_nodes {
            kept.insert(row.id.clone(), nodes.len());
            frontier.push(row.id.clone());
            nodes.push(node(row, 0));
        }
    }
    let mut edges: Vec<NetworkEdge> = Vec::new();
    let mut edge_keys: HashSet<(String, Option<String>, String, String)> = HashSet::new();
    // The earlier frontiers: their links have been read.
    let mut done: Vec<String> = Vec::new();
    let mut hop = 0;
    while !frontier.is_empty() {
        frontier.sort();
        let links = links_of(source, &frontier, &done, hop >= hops).await?;
        let visible: Vec<LinkRow> = links.into_iter().filter(|(_, _, _, via)| via.visible_to(caller)).collect();
        let mut next = Vec::new();
        if hop < hops {
            let candidates: Vec<String> = visible
                .iter()
                .flat_map(|(_, s, t, _)| [s, t])
                .filter(|id| !seen.contains(*id))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut rows = rows_of(source, &candidates).await?;
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            for row in rows {
                seen.insert(row.id.clone());
                if !row.visible_to(caller) {
                    continue;
                }
                if nodes.len() >= max_nodes {
                    truncated = true;
                    continue;
                }
                kept.insert(row.id.clone(), nodes.len());
                next.push(row.id.clone());
                nodes.push(node(row, hop + 1));
            }
            for id in candidates {
                seen.insert(id);
            }
        }
        for (prop, s, t, via) in visible {
            if s == t || !kept.contains_key(&s) || !kept.contains_key(&t) {
                continue;
            }
            let key = (via.id.clone(), prop.clone(), s.clone(), t.clone());
            if edge_keys.insert(key) {
                edges.push(NetworkEdge { via_id: via.id, via_schema: via.schema, prop, source: s, target: t });
            }
        }
        if hop >= hops {
            break;
        }
        done.append(&mut frontier);
        frontier = next;
        hop += 1;
    }
    edges.sort_by(|a, b| (&a.source, &a.target, &a.via_id).cmp(&(&b.source, &b.target, &b.via_id)));
    Ok(NetworkSlice { nodes, edges, truncated })
}

fn node(row: EntityRow, hop: u32) -> NetworkNode {
    NetworkNode { id: row.id, schema: row.schema, caption: row.caption, owner_agency: row.owner_agency, hop }
}
