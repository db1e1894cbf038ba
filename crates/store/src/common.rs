//! What both back ends share: the entity row as stored, batch merging, the
//! write clock, statement rows, and assembling link views under the policy.

use crate::error::StoreError;
use crate::policy::Caller;
use crate::rows::unframe_countries;
use crate::types::{Direction, LinkView, Lookup};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use veza_model::{Entity, Handling, Owner, Provenance, SourceRef, Statement, Visibility};

/// A strictly increasing clock in microseconds: two writes never share a
/// timestamp, so "not seen in this write" is exact.
#[derive(Default)]
pub(crate) struct Clock {
    last: AtomicI64,
}

impl Clock {
    pub(crate) fn tick(&self) -> i64 {
        let now = Utc::now().timestamp_micros();
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let next = now.max(prev + 1);
            match self.last.compare_exchange(prev, next, Ordering::SeqCst, Ordering::Relaxed) {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }
}

/// An entity row as stored, before its values are attached.
pub(crate) struct EntityRow {
    pub rid: i64,
    pub id: String,
    pub schema: String,
    pub caption: String,
    pub owner_agency: String,
    pub owner_country: String,
    pub dataset: String,
    pub source_record: Option<String>,
    pub visibility: String,
    pub handling_countries: String,
    pub existence_visible: bool,
    pub caveats: String,
    pub created_at: i64,
    pub changed_at: i64,
    pub retention_review: String,
}

fn micros(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap_or_default()
}

impl EntityRow {
    /// Whether the caller may see this row.
    pub(crate) fn visible_to(&self, caller: &Caller) -> bool {
        caller.can_see(&self.owner_agency, &self.owner_country, &self.visibility, &self.handling_countries)
    }

    /// What a caller who may not see the row learns of it.
    pub(crate) fn restricted(&self) -> Lookup {
        if self.existence_visible {
            Lookup::Restricted {
                id: self.id.clone(),
                schema: self.schema.clone(),
                owner_agency: self.owner_agency.clone(),
            }
        } else {
            Lookup::NotFound
        }
    }

    /// The entity without its values.
    pub(crate) fn into_entity(self) -> Result<Entity, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("entity {}: {what}", self.id));
        let visibility = Visibility::parse(&self.visibility).ok_or_else(|| corrupt("unknown visibility"))?;
        let caveats: Vec<String> =
            serde_json::from_str(&self.caveats).map_err(|_| corrupt("caveats are not a list"))?;
        let retention_review =
            self.retention_review.parse::<NaiveDate>().map_err(|_| corrupt("retention review is not a date"))?;
        Ok(Entity {
            id: self.id,
            schema: self.schema,
            properties: Default::default(),
            provenance: Provenance {
                owner: Owner { agency: self.owner_agency, country: self.owner_country },
                source: SourceRef { dataset: self.dataset, record: self.source_record },
                created_at: micros(self.created_at),
                changed_at: micros(self.changed_at),
                retention_review,
            },
            handling: Handling {
                visibility,
                countries: unframe_countries(&self.handling_countries),
                existence_visible: self.existence_visible,
                caveats,
            },
        })
    }
}

/// Merges entities of a batch that share an id (FtM fragments): values are
/// united; provenance and handling of the last fragment win.
pub(crate) fn merge_batch(batch: &[Entity]) -> std::borrow::Cow<'_, [Entity]> {
    let mut ids: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(batch.len());
    if batch.iter().all(|e| ids.insert(e.id.as_str())) {
        return std::borrow::Cow::Borrowed(batch);
    }
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
    let mut out: Vec<Entity> = Vec::with_capacity(batch.len());
    for e in batch {
        match index.get(e.id.as_str()) {
            Some(&i) => {
                let mut merged = e.clone();
                let earlier = std::mem::take(&mut out[i].properties);
                for (p, vs) in earlier {
                    for v in vs {
                        merged.push(&p, v);
                    }
                }
                out[i] = merged;
            }
            None => {
                index.insert(&e.id, out.len());
                out.push(e.clone());
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A statement to write: one value of one property from one dataset.
pub(crate) struct StatementRow<'a> {
    pub prop: &'a str,
    pub value: &'a str,
    pub dataset: &'a str,
}

impl<'a> StatementRow<'a> {
    /// Every value of an entity as a statement of its dataset.
    pub(crate) fn of(e: &'a Entity) -> impl Iterator<Item = StatementRow<'a>> + 'a {
        let dataset = e.provenance.source.dataset.as_str();
        e.properties.iter().flat_map(move |(p, vs)| vs.iter().map(move |v| StatementRow { prop: p, value: v, dataset }))
    }

    /// A stored statement back as the model's type.
    pub(crate) fn read(
        id: &str,
        prop: String,
        value: String,
        dataset: String,
        owner_agency: String,
        first_seen: i64,
        last_seen: i64,
    ) -> Statement {
        Statement {
            entity_id: id.to_owned(),
            prop,
            value,
            dataset,
            owner_agency,
            first_seen: micros(first_seen),
            last_seen: micros(last_seen),
        }
    }
}

/// The end of a link row that is not `id`. For a plain reference made by
/// the entity `id` asks about from the other side, the other end is the
/// referring entity itself.
pub(crate) fn other_end(id: &str, _prop: &Option<String>, source: &str, target: &str, via: &EntityRow) -> String {
    if source == id {
        target.to_owned()
    } else if target == id {
        source.to_owned()
    } else {
        via.id.clone()
    }
}

/// Turns link rows into views for `caller`: links whose other end is stored
/// but hidden from the caller are left out, so a link never reveals a record.
pub(crate) fn link_views(
    caller: &Caller,
    id: &str,
    raw: Vec<(Option<String>, String, String, EntityRow)>,
    ends: &HashMap<String, EntityRow>,
) -> Vec<LinkView> {
    let mut views = Vec::with_capacity(raw.len());
    for (prop, source, target, via) in raw {
        let other = other_end(id, &prop, &source, &target, &via);
        let end = ends.get(&other);
        if end.is_some_and(|e| !e.visible_to(caller)) {
            continue;
        }
        views.push(LinkView {
            via_id: via.id.clone(),
            via_schema: via.schema.clone(),
            prop,
            direction: if source == id { Direction::Out } else { Direction::In },
            other_id: other,
            other_caption: end.map(|e| e.caption.clone()),
            other_schema: end.map(|e| e.schema.clone()),
        });
    }
    views.sort_by(|a, b| {
        (&a.via_schema, &a.other_caption, &a.via_id).cmp(&(&b.via_schema, &b.other_caption, &b.via_id))
    });
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_never_repeats() {
        let c = Clock::default();
        let a = c.tick();
        let b = c.tick();
        assert!(b > a);
    }

    #[test]
    fn fragments_with_one_id_merge() {
        let model = veza_model::Model::builtin();
        let mut a = Entity::new("x", "Person");
        a.add(model, "name", "Ana").unwrap();
        let mut b = Entity::new("x", "Person");
        b.add(model, "name", "Ana K").unwrap();
        let fragments = [a, b];
        let merged = merge_batch(&fragments);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].values("name").len(), 2);
    }
}
