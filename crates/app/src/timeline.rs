//! The timeline of an entity or a case: the dated records around it
//! (events, calls, checks at border crossings, payments, and every other
//! entity of an Interval schema) in its 1–2 link neighbourhood or among the
//! case's entities, in date order, filtered by kind and date range.
//!
//! The neighbourhood is the store's policy-applied walk and the records are
//! read through the policy, so a hidden record is neither an event nor a
//! name beside one. One consultation entry names the events shown.

use crate::chart::{dated, dates_of};
use crate::network::MAX_NETWORK_NODES;
use crate::{Access, AppError, Veza};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use veza_store::ChartAnchor;
use veza_store::audit::{AuditAction, AuditOutcome};

/// Most events a timeline shows.
pub const MAX_TIMELINE_EVENTS: usize = 2_000;

/// What a timeline shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// Schemata to show (`Call`, `Payment`); empty for all.
    pub kinds: Vec<String>,
    /// First day (`YYYY-MM-DD`, or a prefix: `2024`, `2024-05`).
    pub from: Option<String>,
    /// Last day, as `from`.
    pub to: Option<String>,
}

/// An entity named beside an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Involved {
    /// Entity id.
    pub id: String,
    /// Caption.
    pub caption: String,
}

/// One dated record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEvent {
    /// Entity id.
    pub id: String,
    /// Schema.
    pub schema: String,
    /// Caption.
    pub caption: String,
    /// Earliest date, as written (ISO, maybe partial or with a time).
    pub start: String,
    /// Latest date, when later than the start.
    pub end: Option<String>,
    /// The entities it links (the ends of its links in the neighbourhood).
    pub involved: Vec<Involved>,
}

/// A timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineView {
    /// What it is of.
    pub anchor: ChartAnchor,
    /// The entity or case.
    pub anchor_id: String,
    /// Hops of the neighbourhood.
    pub hops: u32,
    /// The events shown, in date order.
    pub events: Vec<TimelineEvent>,
    /// Every kind in the neighbourhood with its number of events (before the filter).
    pub kinds: Vec<(String, usize)>,
    /// True when events were left out beyond [`MAX_TIMELINE_EVENTS`] or the walk's limit.
    pub truncated: bool,
}

/// The first day a date (maybe partial) can mean: `2024` → `2024-01-01`.
pub fn first_day(date: &str) -> String {
    let d = &date[..date.len().min(10)];
    match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_owned(),
    }
}

/// The last day a date (maybe partial) can mean: `2024-05` → `2024-05-31`
/// (every month taken as 31 days long: only comparisons use it).
pub fn last_day(date: &str) -> String {
    let d = &date[..date.len().min(10)];
    match d.len() {
        4 => format!("{d}-12-31"),
        7 => format!("{d}-31"),
        _ => d.to_owned(),
    }
}

impl TimelineFilter {
    fn keeps(&self, e: &TimelineEvent) -> bool {
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == &e.schema) {
            return false;
        }
        let end = e.end.as_deref().unwrap_or(&e.start);
        if let Some(from) = &self.from
            && last_day(end) < first_day(from)
        {
            return false;
        }
        if let Some(to) = &self.to
            && first_day(&e.start) > last_day(to)
        {
            return false;
        }
        true
    }
}

impl Veza {
    /// The timeline of entity `id` over its `hops` (1–2) link neighbourhood.
    /// `NotFound` when the caller may not see `id`.
    pub async fn entity_timeline(
        &self,
        access: &Access,
        id: &str,
        hops: u32,
        filter: &TimelineFilter,
    ) -> Result<TimelineView, AppError> {
        if !(1..=2).contains(&hops) {
            return Err(AppError::Invalid {
                field: Some("hops".into()), message: format!("hops is 1–2, not {hops}")
            });
        }
        let detail = format!("timeline of {id}, {hops} hops");
        self.purpose_of(access, AuditAction::Consult, &[id], &detail).await?;
        let slice = self.store.network(&access.caller, &[id.to_owned()], hops, MAX_NETWORK_NODES).await?;
        if slice.nodes.is_empty() {
            self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Denied, &detail).await?;
            return Err(AppError::NotFound(format!("entity {id}")));
        }
        self.timeline_of(access, ChartAnchor::Entity, id, hops, slice, filter, &detail).await
    }

    /// The timeline of case `case_id`: its entities and those one link
    /// from them. `NotFound` when the caller may not see the case.
    pub async fn case_timeline(
        &self,
        access: &Access,
        case_id: &str,
        filter: &TimelineFilter,
    ) -> Result<TimelineView, AppError> {
        let detail = format!("timeline of case {case_id}");
        let slice = self.case_slice(access, case_id, 1, &detail).await?;
        self.timeline_of(access, ChartAnchor::Case, case_id, 1, slice, filter, &detail).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn timeline_of(
        &self,
        access: &Access,
        anchor: ChartAnchor,
        anchor_id: &str,
        hops: u32,
        slice: veza_store::NetworkSlice,
        filter: &TimelineFilter,
        detail: &str,
    ) -> Result<TimelineView, AppError> {
        let captions: HashMap<&str, &str> = slice.nodes.iter().map(|n| (n.id.as_str(), n.caption.as_str())).collect();
        // The ends each dated record links, in the neighbourhood.
        let mut ends: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for e in &slice.edges {
            for (me, other) in
                [(&e.via_id, &e.source), (&e.via_id, &e.target), (&e.source, &e.target), (&e.target, &e.source)]
            {
                if me != other {
                    ends.entry(me.as_str()).or_default().insert(other.as_str());
                }
            }
        }
        let ids: Vec<String> = slice
            .nodes
            .iter()
            .filter(|n| dated(self.model, &n.schema))
            .map(|n| n.id.clone())
            .chain(slice.edges.iter().filter(|e| dated(self.model, &e.via_schema)).map(|e| e.via_id.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let records = self.store.entities_by_id(&access.caller, &ids).await?;
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut events = Vec::new();
        for r in records {
            let (start, end) = dates_of(&r);
            let Some(start) = start else { continue };
            *kinds.entry(r.schema.clone()).or_default() += 1;
            let involved = ends
                .get(r.id.as_str())
                .into_iter()
                .flatten()
                .filter(|o| **o != r.id)
                .filter_map(|o| captions.get(o).map(|c| Involved { id: (*o).to_owned(), caption: (*c).to_owned() }))
                .take(6)
                .collect();
            let event = TimelineEvent {
                caption: r.caption(self.model),
                end: end.filter(|e| *e > start),
                start,
                id: r.id,
                schema: r.schema,
                involved,
            };
            if filter.keeps(&event) {
                events.push(event);
            }
        }
        events.sort_by(|a, b| (first_day(&a.start), &a.start, &a.id).cmp(&(first_day(&b.start), &b.start, &b.id)));
        let truncated = slice.truncated || events.len() > MAX_TIMELINE_EVENTS;
        events.truncate(MAX_TIMELINE_EVENTS);
        let shown = events.iter().map(|e| e.id.clone()).collect();
        self.audit_access(access, AuditAction::Consult, shown, AuditOutcome::Ok, detail).await?;
        let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(TimelineView { anchor, anchor_id: anchor_id.to_owned(), hops, events, kinds, truncated })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(schema: &str, start: &str, end: Option<&str>) -> TimelineEvent {
        TimelineEvent {
            id: "e".into(),
            schema: schema.into(),
            caption: String::new(),
            start: start.into(),
            end: end.map(Into::into),
            involved: Vec::new(),
        }
    }

    #[test]
    fn partial_dates_span_their_whole_period() {
        assert_eq!(first_day("2024"), "2024-01-01");
        assert_eq!(last_day("2024-05"), "2024-05-31");
        assert_eq!(first_day("2024-05-03T10:00:00"), "2024-05-03");
    }

    #[test]
    fn the_filter_keeps_events_overlapping_the_range_of_the_kinds_asked() {
        let f =
            TimelineFilter { kinds: vec!["Call".into()], from: Some("2024-05".into()), to: Some("2024-06-10".into()) };
        assert!(f.keeps(&event("Call", "2024-05-20", None)));
        assert!(f.keeps(&event("Call", "2024-04-01", Some("2024-05-02"))));
        assert!(f.keeps(&event("Call", "2024", None)), "a year overlaps the range");
        assert!(!f.keeps(&event("Call", "2024-06-11", None)));
        assert!(!f.keeps(&event("Call", "2024-04-30", None)));
        assert!(!f.keeps(&event("Payment", "2024-05-20", None)));
    }
}
