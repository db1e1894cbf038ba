//! What both back ends share: the entity row as stored, batch merging, the
//! write clock, statement rows, and assembling link views under the policy.

use crate::error::StoreError;
use crate::policy::Caller;
use crate::rows::unframe_countries;
use crate::types::{Direction, LinkView, Lookup};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use veza_model::{Entity, Handling, Owner, Provenance, SourceRef, Statement, Visibility};

/// Reads rows of either back end by position into the store's types.
pub(crate) mod read {
    use crate::error::StoreError;
    use crate::types::{Agency, RetentionItem, Source};
    use sqlx::Row;

    /// `code, name, country, kind`.
    pub(crate) fn agency<R: Row>(r: &R) -> Result<Agency, StoreError>
    where
        usize: sqlx::ColumnIndex<R>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(Agency { code: r.try_get(0)?, name: r.try_get(1)?, country: r.try_get(2)?, kind: r.try_get(3)? })
    }

    /// `dataset, title, kind, owner_agency, created_at, updated_at`.
    pub(crate) fn source<R: Row>(r: &R) -> Result<Source, StoreError>
    where
        usize: sqlx::ColumnIndex<R>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(Source {
            dataset: r.try_get(0)?,
            title: r.try_get(1)?,
            kind: r.try_get(2)?,
            owner_agency: r.try_get(3)?,
            created_at: r.try_get(4)?,
            updated_at: r.try_get(5)?,
        })
    }

    /// The columns [`entity_row`] reads, from `entity e`.
    pub(crate) const ENTITY_COLUMNS: &str = "e.rid, e.id, e.schema, e.caption, e.owner_agency, e.owner_country, \
        e.dataset, e.source_record, e.visibility, e.handling_countries, e.existence_visible, e.caveats, \
        e.created_at, e.changed_at, e.retention_review, e.cases, e.exercise, e.value_handling, e.case_refs";

    /// The columns [`walk_row`] reads, from `entity e`: what a network node
    /// shows and what the policy needs, nothing else (a walk reads tens of
    /// thousands of rows).
    pub(crate) const WALK_COLUMNS: &str = "e.rid, e.id, e.schema, e.caption, e.owner_agency, e.owner_country, \
        e.visibility, e.handling_countries, e.cases || e.case_refs, e.exercise";

    /// A [`WALK_COLUMNS`] row as SQLite's `json_array` of it gives it back:
    /// a walk of tens of thousands of rows reads them as one JSON value per
    /// query rather than value by value.
    pub(crate) type WalkJson = (i64, String, String, String, String, String, String, String, String, Option<String>);

    /// An entity row with the values of its fragments as SQLite's
    /// `json_array` gives it back (see `SqliteStore::entities`): the
    /// [`ENTITY_COLUMNS`] with `cases || case_refs` as one, then the
    /// fragments' property objects as JSON texts.
    #[derive(serde::Deserialize)]
    pub(crate) struct EntityJson {
        rid: i64,
        id: String,
        schema: String,
        caption: String,
        owner_agency: String,
        owner_country: String,
        dataset: String,
        source_record: Option<String>,
        visibility: String,
        handling_countries: String,
        existence_visible: i64,
        caveats: String,
        created_at: i64,
        changed_at: i64,
        retention_review: String,
        cases: String,
        exercise: Option<String>,
        value_handling: String,
        fragments: Vec<String>,
    }

    /// The row and fragment texts of an [`EntityJson`].
    pub(crate) fn entity_row_json(r: EntityJson) -> (super::EntityRow, Vec<String>) {
        let row = super::EntityRow {
            rid: r.rid,
            id: r.id,
            schema: r.schema,
            caption: r.caption,
            owner_agency: r.owner_agency,
            owner_country: r.owner_country,
            dataset: r.dataset,
            source_record: r.source_record,
            visibility: r.visibility,
            handling_countries: r.handling_countries,
            existence_visible: r.existence_visible != 0,
            caveats: r.caveats,
            created_at: r.created_at,
            changed_at: r.changed_at,
            retention_review: r.retention_review,
            cases: r.cases,
            exercise: r.exercise,
            value_handling: r.value_handling,
        };
        (row, r.fragments)
    }

    /// An entity row for a network walk from a [`WalkJson`].
    pub(crate) fn walk_row_json(r: WalkJson) -> super::EntityRow {
        let (rid, id, schema, caption, owner_agency, owner_country, visibility, handling_countries, cases, exercise) =
            r;
        super::EntityRow {
            rid,
            id,
            schema,
            caption,
            owner_agency,
            owner_country,
            dataset: String::new(),
            source_record: None,
            visibility,
            handling_countries,
            existence_visible: false,
            caveats: String::new(),
            created_at: 0,
            changed_at: 0,
            retention_review: String::new(),
            cases,
            exercise,
            value_handling: String::new(),
        }
    }

    /// An entity row for a network walk, by position in [`WALK_COLUMNS`]
    /// after `skip` leading columns; what the walk does not read is left
    /// empty (such a row is never written back nor shown beyond its node).
    pub(crate) fn walk_row<R: Row>(row: &R, skip: usize) -> Result<super::EntityRow, StoreError>
    where
        usize: sqlx::ColumnIndex<R>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(super::EntityRow {
            rid: row.try_get(skip)?,
            id: row.try_get(skip + 1)?,
            schema: row.try_get(skip + 2)?,
            caption: row.try_get(skip + 3)?,
            owner_agency: row.try_get(skip + 4)?,
            owner_country: row.try_get(skip + 5)?,
            dataset: String::new(),
            source_record: None,
            visibility: row.try_get(skip + 6)?,
            handling_countries: row.try_get(skip + 7)?,
            existence_visible: false,
            caveats: String::new(),
            created_at: 0,
            changed_at: 0,
            retention_review: String::new(),
            cases: row.try_get(skip + 8)?,
            exercise: row.try_get(skip + 9)?,
            value_handling: String::new(),
        })
    }

    /// An entity row, by the names of [`ENTITY_COLUMNS`].
    pub(crate) fn entity_row<R: Row>(row: &R) -> Result<super::EntityRow, StoreError>
    where
        for<'a> &'a str: sqlx::ColumnIndex<R>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(super::EntityRow {
            rid: row.try_get("rid")?,
            id: row.try_get("id")?,
            schema: row.try_get("schema")?,
            caption: row.try_get("caption")?,
            owner_agency: row.try_get("owner_agency")?,
            owner_country: row.try_get("owner_country")?,
            dataset: row.try_get("dataset")?,
            source_record: row.try_get("source_record")?,
            visibility: row.try_get("visibility")?,
            handling_countries: row.try_get("handling_countries")?,
            existence_visible: row.try_get("existence_visible")?,
            caveats: row.try_get("caveats")?,
            created_at: row.try_get("created_at")?,
            changed_at: row.try_get("changed_at")?,
            retention_review: row.try_get("retention_review")?,
            // Its own cases and those it is named in, as the policy reads them.
            cases: {
                let own: String = row.try_get("cases")?;
                let refs: String = row.try_get("case_refs")?;
                own + &refs
            },
            exercise: row.try_get("exercise")?,
            value_handling: row.try_get("value_handling")?,
        })
    }

    /// `entity_rid, dataset, properties, since, first_seen, last_seen`.
    pub(crate) fn fragment<R: Row>(r: &R) -> Result<super::StoredFragment, StoreError>
    where
        usize: sqlx::ColumnIndex<R>,
        for<'a> &'a str: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> Option<&'a str>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        super::StoredFragment::read(
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get::<&str, _>(2)?,
            r.try_get::<Option<&str>, _>(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
        )
    }

    /// `id, schema, caption, owner_agency, dataset, retention_review`.
    pub(crate) fn retention_item<R: Row>(r: &R) -> Result<RetentionItem, StoreError>
    where
        usize: sqlx::ColumnIndex<R>,
        for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        Ok(RetentionItem {
            id: r.try_get(0)?,
            schema: r.try_get(1)?,
            caption: r.try_get(2)?,
            owner_agency: r.try_get(3)?,
            dataset: r.try_get(4)?,
            retention_review: r.try_get(5)?,
        })
    }
}

/// Whether `caller` may decide about the stored row `row` (`what`: "decides
/// its retention", "erases it"): `Ok(false)` when the caller does not see it
/// (it does not exist for them), an error when they see it but do not own it.
pub(crate) fn may_decide(row: &EntityRow, caller: &Caller, what: &str) -> Result<bool, StoreError> {
    if !row.visible_to(caller) {
        return Ok(false);
    }
    if !row.owned_by(caller) {
        return Err(StoreError::Forbidden(format!(
            "entity {} is owned by {}; only its owner {what}",
            row.id, row.owner_agency
        )));
    }
    Ok(true)
}

/// Handling of single values as stored (JSON).
pub(crate) fn parse_value_handling(json: &str) -> Result<ValueHandling, serde_json::Error> {
    if json.is_empty() || json == "{}" { Ok(ValueHandling::new()) } else { serde_json::from_str(json) }
}

/// Handling of single values: property → value → handling.
pub(crate) type ValueHandling = BTreeMap<String, BTreeMap<String, Handling>>;

/// Handling of single values as stored: only of values the entity has.
pub(crate) fn value_handling_json(entity: &Entity) -> String {
    let mut map: BTreeMap<&str, BTreeMap<&str, &Handling>> = BTreeMap::new();
    for (p, v, h) in entity.restricted_values() {
        map.entry(p).or_default().insert(v, h);
    }
    if map.is_empty() { "{}".to_owned() } else { serde_json::to_string(&map).unwrap_or_else(|_| "{}".to_owned()) }
}

/// Removes from `entity` the values whose own handling `caller` does not
/// pass (an entity the caller may see can still hold a value they may not).
pub(crate) fn redact(caller: &Caller, entity: &mut Entity) {
    let hidden: Vec<(String, String)> = entity
        .restricted_values()
        .filter(|(_, _, h)| !caller.can_see_value(&entity.provenance.owner.agency, &entity.provenance.owner.country, h))
        .map(|(p, v, _)| (p.to_owned(), v.to_owned()))
        .collect();
    for (p, v) in hidden {
        entity.remove_value(&p, &v);
    }
}

/// Removes the statements of values whose own handling `caller` does not pass.
pub(crate) fn redact_statements(
    caller: &Caller,
    row: &EntityRow,
    statements: &mut Vec<Statement>,
) -> Result<(), StoreError> {
    let handling = parse_value_handling(&row.value_handling)
        .map_err(|_| StoreError::Corrupt(format!("entity {}: value handling", row.id)))?;
    if handling.is_empty() {
        return Ok(());
    }
    statements.retain(|s| match handling.get(&s.prop).and_then(|vs| vs.get(&s.value)) {
        Some(h) => caller.can_see_value(&row.owner_agency, &row.owner_country, h),
        None => true,
    });
    Ok(())
}

/// The cases each of `affected` is named in by a record of a case: for each
/// link row (source, target, the linking entity's id, schema and own framed
/// cases) touching an affected id, the linking entity's cases — unless the
/// linking entity is a Case itself (a case's links to other cases do not
/// put them in it) or the affected id is the linking entity. Framed.
pub(crate) fn case_refs(
    affected: &[String],
    rows: &[(String, String, String, String, String)],
) -> HashMap<String, String> {
    let model = veza_model::Model::builtin();
    let wanted: std::collections::HashSet<&str> = affected.iter().map(String::as_str).collect();
    let mut refs: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (source, target, via, schema, cases) in rows {
        if model.schema(schema).is_ok_and(|s| s.is_a("Case")) {
            continue;
        }
        for end in [source, target] {
            if end != via && wanted.contains(end.as_str()) {
                refs.entry(end).or_default().extend(cases.split(',').filter(|c| !c.is_empty()));
            }
        }
    }
    affected
        .iter()
        .map(|id| {
            let framed = match refs.get(id.as_str()) {
                Some(set) if !set.is_empty() => format!(",{},", set.iter().copied().collect::<Vec<_>>().join(",")),
                _ => String::new(),
            };
            (id.clone(), framed)
        })
        .collect()
}

/// Who owns a stored entity that a write would change, and its realm.
pub(crate) struct StoredOwner {
    pub id: String,
    pub owner_agency: String,
    pub exercise: Option<String>,
}

/// Refuses a write that would change another agency's entity, or mix an
/// exercise with real data (or another exercise): a user writes only in the
/// realm they act in, and an id of one realm is never written from another.
pub(crate) fn check_overwrites(caller: &Caller, batch: &[Entity], stored: &[StoredOwner]) -> Result<(), StoreError> {
    if let Some(scope) = caller.scope()
        && let Some(e) = batch.iter().find(|e| e.provenance.exercise != scope.exercise)
    {
        return Err(StoreError::Forbidden(match &scope.exercise {
            Some(x) => format!("entity {}: you act in exercise {x}; exercise and real data never mix", e.id),
            None => format!("entity {}: exercise records are written only from within their exercise", e.id),
        }));
    }
    let by_id: HashMap<&str, &Entity> = batch.iter().map(|e| (e.id.as_str(), e)).collect();
    for s in stored {
        if let Caller::User { agency, .. } = caller
            && &s.owner_agency != agency
        {
            return Err(StoreError::Forbidden(format!(
                "entity {} is owned by {}; only its owner changes it",
                s.id, s.owner_agency
            )));
        }
        if let Some(e) = by_id.get(s.id.as_str())
            && e.provenance.exercise != s.exercise
        {
            let realm = |x: &Option<String>| x.as_ref().map_or("real data".to_owned(), |x| format!("exercise {x}"));
            return Err(StoreError::Forbidden(format!(
                "entity {} belongs to {}, not to {}: exercise and real data never mix",
                s.id,
                realm(&s.exercise),
                realm(&e.provenance.exercise)
            )));
        }
    }
    Ok(())
}

/// Every case a batch writes into (not counting cases written themselves).
pub(crate) fn cases_written(batch: &[Entity]) -> Vec<String> {
    let model = veza_model::Model::builtin();
    let mut cases: Vec<String> = Vec::new();
    for e in batch {
        let framed = crate::rows::framed_cases(model, e);
        cases.extend(framed.split(',').filter(|c| !c.is_empty() && *c != e.id).map(str::to_owned));
    }
    cases.sort_unstable();
    cases.dedup();
    cases
}

/// Refuses a user's write into a case (a record whose `case` names it) unless
/// the user's agency owns the case or the user is a member who may add to it
/// (not a prosecutor, judge or observer). `owners`: (case id, owner agency)
/// of the stored cases among [`cases_written`].
pub(crate) fn check_case_writes(
    caller: &Caller,
    batch: &[Entity],
    owners: &[(String, String)],
) -> Result<(), StoreError> {
    let Caller::User { agency, .. } = caller else { return Ok(()) };
    let model = veza_model::Model::builtin();
    for e in batch {
        let framed = crate::rows::framed_cases(model, e);
        for case in framed.split(',').filter(|c| !c.is_empty() && *c != e.id) {
            let Some((_, owner)) = owners.iter().find(|(id, _)| id == case) else { continue };
            if owner == agency {
                continue;
            }
            match caller.membership(case) {
                Some(c) if !c.read_only() => {}
                Some(c) => {
                    return Err(StoreError::Forbidden(format!(
                        "entity {}: case {case} is read-only for you (you are its {c})",
                        e.id
                    )));
                }
                None => {
                    return Err(StoreError::Forbidden(format!(
                        "entity {}: you are not a member of case {case}; ask its owner {owner} to add you",
                        e.id
                    )));
                }
            }
        }
    }
    Ok(())
}

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

/// Adds the values of one stored fragment (its properties as a JSON object
/// of lists) to an entity.
pub(crate) fn add_fragment_values(e: &mut Entity, properties: &str) -> Result<(), StoreError> {
    let values: Values = serde_json::from_str(properties)
        .map_err(|_| StoreError::Corrupt(format!("fragment of {}: values are not a JSON object", e.id)))?;
    for (p, vs) in values {
        for v in vs {
            e.push(&p, v);
        }
    }
    Ok(())
}

/// The answers of a batch look-up in the order asked: an entity loaded for
/// the caller, a row hidden from the caller (then what its owner lets be
/// known), or nothing.
pub(crate) fn lookups_in_order(ids: &[String], hidden: &[EntityRow], loaded: Vec<Entity>) -> Vec<Lookup> {
    let found: HashMap<String, Entity> = loaded.into_iter().map(|e| (e.id.clone(), e)).collect();
    let hidden: HashMap<&str, &EntityRow> = hidden.iter().map(|r| (r.id.as_str(), r)).collect();
    ids.iter()
        .map(|id| match (found.get(id), hidden.get(id.as_str())) {
            (Some(e), _) => Lookup::Found(e.clone()),
            (None, Some(r)) => r.restricted(),
            (None, None) => Lookup::NotFound,
        })
        .collect()
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
    /// Cases the row belongs to, framed (`,case-1,`).
    pub cases: String,
    /// The exercise the row belongs to; `None` for real data.
    pub exercise: Option<String>,
    /// Handling of single values (JSON: property → value → handling).
    pub value_handling: String,
}

fn micros(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap_or_default()
}

impl EntityRow {
    /// Whether the caller may see this row.
    pub(crate) fn visible_to(&self, caller: &Caller) -> bool {
        caller.can_see(&self.facts())
    }

    /// What the policy needs to know of this row.
    pub(crate) fn facts(&self) -> crate::policy::RecordFacts<'_> {
        crate::policy::RecordFacts {
            id: &self.id,
            schema: &self.schema,
            owner_agency: &self.owner_agency,
            owner_country: &self.owner_country,
            visibility: &self.visibility,
            countries: &self.handling_countries,
            cases: &self.cases,
            exercise: self.exercise.as_deref(),
        }
    }

    /// Whether the caller may change or erase the row: the platform itself
    /// or a user of the owning agency.
    pub(crate) fn owned_by(&self, caller: &Caller) -> bool {
        match caller {
            Caller::System { .. } => true,
            Caller::User { agency, .. } => agency == &self.owner_agency,
        }
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
        let value_handling = parse_value_handling(&self.value_handling).map_err(|_| corrupt("value handling"))?;
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
                exercise: self.exercise,
            },
            handling: Handling {
                visibility,
                countries: unframe_countries(&self.handling_countries),
                existence_visible: self.existence_visible,
                caveats,
            },
            value_handling,
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

/// Values by property, as a fragment stores them.
pub(crate) type Values = BTreeMap<String, Vec<String>>;
/// When values were first seen, by property and value, in microseconds.
pub(crate) type Since = BTreeMap<String, BTreeMap<String, i64>>;

/// A fragment as stored: what one dataset says of one entity.
pub(crate) struct StoredFragment {
    pub rid: i64,
    pub dataset: String,
    pub properties: Values,
    pub since: Since,
    pub first_seen: i64,
    pub last_seen: i64,
}

impl StoredFragment {
    /// Reads the stored columns back.
    pub(crate) fn read(
        rid: i64,
        dataset: String,
        properties: &str,
        since: Option<&str>,
        first_seen: i64,
        last_seen: i64,
    ) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("fragment {rid}/{dataset}: {what}"));
        let properties: Values =
            serde_json::from_str(properties).map_err(|_| corrupt("values are not a JSON object"))?;
        let since: Since = match since {
            Some(s) => serde_json::from_str(s).map_err(|_| corrupt("'since' is not a JSON object"))?,
            None => Since::new(),
        };
        Ok(StoredFragment { rid, dataset, properties, since, first_seen, last_seen })
    }

    /// One statement per value, with the value's own provenance.
    pub(crate) fn statements(&self, id: &str, owner_agency: &str) -> Vec<Statement> {
        let mut out = Vec::new();
        for (prop, values) in &self.properties {
            for value in values {
                let first = self.since.get(prop).and_then(|v| v.get(value)).copied().unwrap_or(self.first_seen);
                out.push(Statement {
                    entity_id: id.to_owned(),
                    prop: prop.clone(),
                    value: value.clone(),
                    dataset: self.dataset.clone(),
                    owner_agency: owner_agency.to_owned(),
                    first_seen: micros(first),
                    last_seen: micros(self.last_seen),
                });
            }
        }
        out
    }
}

/// The columns of a fragment to write: its values as JSON and, for values
/// newer than the fragment, when they were first seen.
pub(crate) struct FragmentRow {
    pub properties: String,
    pub since: Option<String>,
}

/// The fragment `entity` makes for its dataset, given what that dataset said
/// before (`old`): values it still gives keep their first-seen time, new
/// ones are first seen `now`.
pub(crate) fn next_fragment(
    entity: &Entity,
    old: Option<&StoredFragment>,
    now: i64,
) -> Result<FragmentRow, StoreError> {
    let encode = |e: serde_json::Error| StoreError::Corrupt(format!("cannot encode values of {}: {e}", entity.id));
    let properties = serde_json::to_string(&entity.properties).map_err(encode)?;
    let Some(old) = old else { return Ok(FragmentRow { properties, since: None }) };
    let mut since = Since::new();
    for (prop, values) in &entity.properties {
        for value in values {
            let before = old.properties.get(prop).is_some_and(|vs| vs.contains(value));
            let first = if before {
                old.since.get(prop).and_then(|v| v.get(value)).copied().unwrap_or(old.first_seen)
            } else {
                now
            };
            if first != old.first_seen {
                since.entry(prop.clone()).or_default().insert(value.clone(), first);
            }
        }
    }
    let since = if since.is_empty() { None } else { Some(serde_json::to_string(&since).map_err(encode)?) };
    Ok(FragmentRow { properties, since })
}

/// The entity with the values of its dataset's stored fragment added.
pub(crate) fn with_values_of(entity: &Entity, fragment: &StoredFragment) -> Entity {
    let mut out = entity.clone();
    for (p, vs) in &fragment.properties {
        for v in vs {
            out.push(p, v.clone());
        }
    }
    out
}

/// The whole entity after a write: what other datasets say (from their
/// stored fragments) and what this write says.
/// `stored_handling`: the value handling stored before, kept when the write
/// gives none (as the row keeps it).
pub(crate) fn merged(
    entity: &Entity,
    others: &[&StoredFragment],
    stored_handling: Option<&String>,
) -> Result<Entity, StoreError> {
    let mut whole = entity.clone();
    if whole.value_handling.is_empty()
        && let Some(json) = stored_handling
    {
        whole.value_handling = parse_value_handling(json)
            .map_err(|_| StoreError::Corrupt(format!("entity {}: value handling", entity.id)))?;
    }
    whole.properties.clear();
    for f in others.iter().filter(|f| f.dataset != entity.provenance.source.dataset) {
        for (p, vs) in &f.properties {
            for v in vs {
                whole.push(p, v.clone());
            }
        }
    }
    for (p, vs) in &entity.properties {
        for v in vs {
            whole.push(p, v.clone());
        }
    }
    Ok(whole)
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
    fn values_keep_their_first_seen_time_across_writes() {
        let model = veza_model::Model::builtin();
        let mut e = Entity::new("x", "Person");
        e.add_all(model, [("name", "Ana"), ("phone", "+381641234567")]).unwrap();
        let first = next_fragment(&e, None, 100).unwrap();
        assert!(first.since.is_none());
        let stored = StoredFragment::read(1, "ds".into(), &first.properties, None, 100, 100).unwrap();
        e.add(model, "name", "Ana K").unwrap();
        let second = next_fragment(&e, Some(&stored), 200).unwrap();
        let stored =
            StoredFragment::read(1, "ds".into(), &second.properties, second.since.as_deref(), 100, 200).unwrap();
        let statements = stored.statements("x", "rs-bp");
        let seen = |v: &str| statements.iter().find(|s| s.value == v).unwrap().first_seen.timestamp_micros();
        assert_eq!(seen("Ana"), 100);
        assert_eq!(seen("Ana K"), 200);
        assert!(statements.iter().all(|s| s.last_seen.timestamp_micros() == 200));
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
