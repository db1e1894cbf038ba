//! Entities: an id, a schema, multi-valued properties, and the provenance and
//! handling every record in Veza carries.

use crate::error::ModelError;
use crate::handling::Handling;
use crate::schema::{Model, Schema};
use crate::types::{CleanContext, PropertyType};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Who owns a record: the agency that entered it, and that agency's country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Owner {
    /// Agency code (`rs-bp` for Serbia's border police).
    pub agency: String,
    /// Lower-case alpha-2 country of the agency.
    pub country: String,
}

/// Where a record came from: a dataset (a source) and the record's id in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SourceRef {
    /// Dataset name (`febrl3`, `rs-bp-checkpoint-2023`).
    pub dataset: String,
    /// The record's id in the dataset, when it has one.
    pub record: Option<String>,
}

/// Provenance of a record: owner, source, times and retention review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The data owner.
    pub owner: Owner,
    /// The source dataset and record.
    pub source: SourceRef,
    /// When the record was first stored.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub changed_at: DateTime<Utc>,
    /// When the record must be reviewed for retention or deletion.
    pub retention_review: NaiveDate,
    /// The table-top exercise the record was made for; `None` for real
    /// data. Exercise records and real records never mix.
    pub exercise: Option<String>,
}

impl Provenance {
    /// How long a record is kept before its retention must be reviewed,
    /// unless the source says otherwise: five years.
    pub const DEFAULT_RETENTION_MONTHS: u32 = 60;

    /// Provenance for a record stored now.
    pub fn new(owner: Owner, source: SourceRef, now: DateTime<Utc>) -> Self {
        let review = now
            .date_naive()
            .checked_add_months(Months::new(Self::DEFAULT_RETENTION_MONTHS))
            .unwrap_or_else(|| now.date_naive());
        Provenance { owner, source, created_at: now, changed_at: now, retention_review: review, exercise: None }
    }
}

/// Whether `id` may name an exercise: 1–64 ASCII letters, digits, `-`,
/// `_` or `.`.
pub fn valid_exercise_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// One property value with its provenance: the unit the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The entity the value belongs to.
    pub entity_id: String,
    /// The property.
    pub prop: String,
    /// The canonical value.
    pub value: String,
    /// The dataset that said it.
    pub dataset: String,
    /// The agency that owns it.
    pub owner_agency: String,
    /// When it was first seen.
    pub first_seen: DateTime<Utc>,
    /// When it was last confirmed by its source.
    pub last_seen: DateTime<Utc>,
}

/// An entity: FtM's id, schema and properties, plus Veza's provenance and
/// handling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable id (letters, digits, `.`, `-`, `_`, `:`; at most 200).
    pub id: String,
    /// Schema name.
    pub schema: String,
    /// Canonical values by property name; each list is free of duplicates.
    pub properties: BTreeMap<String, Vec<String>>,
    /// Owner, source, times, retention.
    pub provenance: Provenance,
    /// Who may see it.
    pub handling: Handling,
    /// Handling of single values, stricter than the entity's (a phone number
    /// from an informant, an address a victim gave in confidence): property →
    /// canonical value → handling. A caller who may see the entity but not such
    /// a value gets the entity without it; captions, search and links are made
    /// from the other values only.
    pub value_handling: BTreeMap<String, BTreeMap<String, Handling>>,
}

/// Whether `id` is a valid entity id.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// Property names tried, in order, when an entity has no caption property.
const FALLBACK_CAPTION: &[&str] = &["name", "caseNumber", "number", "title", "fileName"];

impl Entity {
    /// An empty entity of `schema`, owned by nobody yet, from no source.
    pub fn new(id: impl Into<String>, schema: impl Into<String>) -> Self {
        Entity {
            id: id.into(),
            schema: schema.into(),
            properties: BTreeMap::new(),
            provenance: Provenance::new(Owner::default(), SourceRef::default(), Utc::now()),
            handling: Handling::default(),
            value_handling: BTreeMap::new(),
        }
    }

    /// Gives one value (raw, cleaned as [`Entity::add`] would) its own
    /// handling. The entity must hold the value.
    pub fn restrict(&mut self, model: &Model, prop: &str, raw: &str, handling: Handling) -> Result<(), ModelError> {
        let schema = model.schema(&self.schema)?;
        let ctx = self.clean_context(schema);
        let value = clean_value(schema, prop, raw, &ctx)?;
        if !self.values(prop).contains(&value) {
            return Err(ModelError::InvalidValue {
                property: prop.to_owned(),
                error: crate::error::ValueError::new("handling", raw, "the entity has no such value to restrict"),
            });
        }
        self.value_handling.entry(prop.to_owned()).or_default().insert(value, handling);
        Ok(())
    }

    /// Every value with its own handling: (property, value, handling).
    pub fn restricted_values(&self) -> impl Iterator<Item = (&str, &str, &Handling)> {
        self.value_handling
            .iter()
            .flat_map(|(p, vs)| vs.iter().map(move |(v, h)| (p.as_str(), v.as_str(), h)))
            .filter(|(p, v, _)| self.values(p).iter().any(|x| x == v))
    }

    /// Removes one value, and its own handling.
    pub fn remove_value(&mut self, prop: &str, value: &str) {
        if let Some(values) = self.properties.get_mut(prop) {
            values.retain(|v| v != value);
            if values.is_empty() {
                self.properties.remove(prop);
            }
        }
        if let Some(h) = self.value_handling.get_mut(prop) {
            h.remove(value);
            if h.is_empty() {
                self.value_handling.remove(prop);
            }
        }
    }

    /// The entity without the values that have their own handling: what
    /// captions, the search index and links are made from, so that none of
    /// them shows a value to someone its handling does not let see it.
    pub fn unrestricted(&self) -> std::borrow::Cow<'_, Entity> {
        if self.restricted_values().next().is_none() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut open = self.clone();
        let restricted: Vec<(String, String)> =
            self.restricted_values().map(|(p, v, _)| (p.to_owned(), v.to_owned())).collect();
        for (p, v) in restricted {
            open.remove_value(&p, &v);
        }
        std::borrow::Cow::Owned(open)
    }

    /// Validates `raw` against the property's type and adds its canonical
    /// form, unless the entity has it already.
    pub fn add(&mut self, model: &Model, prop: &str, raw: &str) -> Result<(), ModelError> {
        let schema = model.schema(&self.schema)?;
        let ctx = self.clean_context(schema);
        let value = clean_value(schema, prop, raw, &ctx)?;
        self.push(prop, value);
        Ok(())
    }

    /// Adds many raw values at once. Country-typed values are cleaned first,
    /// so a phone number can be read in the entity's own country. Every bad
    /// value is reported; the good ones are added.
    pub fn add_all<'a>(
        &mut self,
        model: &Model,
        values: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), Vec<ModelError>> {
        let schema = model.schema(&self.schema).map_err(|e| vec![e])?;
        let (countries, rest): (Vec<_>, Vec<_>) = values
            .into_iter()
            .partition(|(p, _)| schema.properties.get(*p).is_some_and(|prop| prop.kind == PropertyType::Country));
        let mut errors = Vec::new();
        for (prop, raw) in countries {
            match clean_value(schema, prop, raw, &CleanContext::default()) {
                Ok(v) => self.push(prop, v),
                Err(e) => errors.push(e),
            }
        }
        let ctx = self.clean_context(schema);
        for (prop, raw) in rest {
            match clean_value(schema, prop, raw, &ctx) {
                Ok(v) => self.push(prop, v),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Adds an already canonical value.
    pub fn push(&mut self, prop: &str, value: String) {
        let values = self.properties.entry(prop.to_owned()).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    /// The values of `prop` (empty when none).
    pub fn values(&self, prop: &str) -> &[String] {
        self.properties.get(prop).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first value of `prop`.
    pub fn first(&self, prop: &str) -> Option<&str> {
        self.values(prop).first().map(String::as_str)
    }

    /// A short human label: the first value of the schema's caption
    /// properties, or the id.
    /// For links without a caption value, the schema's label and the date
    /// (`Call 2023-03-02`); failing all, the id.
    pub fn caption(&self, model: &Model) -> String {
        let Ok(schema) = model.schema(&self.schema) else { return self.id.clone() };
        let edge_caption = schema.edge.iter().flat_map(|e| e.caption.iter());
        let found = schema
            .caption
            .iter()
            .chain(edge_caption)
            .map(String::as_str)
            .chain(FALLBACK_CAPTION.iter().copied())
            .find_map(|p| self.first(p));
        if let Some(c) = found {
            return c.to_owned();
        }
        match ["date", "startDate"].iter().find_map(|p| self.first(p)) {
            Some(date) => format!("{} {date}", schema.label),
            None => self.id.clone(),
        }
    }

    /// Values of every property of `kind`, with the property name.
    pub fn values_of_type<'a>(
        &'a self,
        model: &'a Model,
        kind: PropertyType,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let schema = model.schema(&self.schema).ok();
        self.properties
            .iter()
            .filter(move |(p, _)| {
                schema.and_then(|s| s.properties.get(p.as_str())).is_some_and(|prop| prop.kind == kind)
            })
            .flat_map(|(p, vs)| vs.iter().map(move |v| (p.as_str(), v.as_str())))
    }

    /// Fills what can be derived: a Person without `name` but with given and
    /// family names gets `name` from them.
    pub fn complete(&mut self, model: &Model) {
        let is_person = model.schema(&self.schema).is_ok_and(|s| s.is_a("Person"));
        if is_person && self.values("name").is_empty() {
            let parts: Vec<&str> =
                ["firstName", "secondName", "middleName", "lastName"].iter().filter_map(|p| self.first(p)).collect();
            if !parts.is_empty() {
                let name = parts.join(" ");
                self.push("name", name);
            }
        }
    }

    /// Checks the entity against the model: valid id, known and concrete
    /// schema, known and writable properties. Required properties are
    /// checked apart, by [`Entity::missing_required`].
    pub fn validate(&self, model: &Model) -> Result<(), Vec<ModelError>> {
        let mut errors = Vec::new();
        if !valid_id(&self.id) {
            errors.push(ModelError::InvalidId(self.id.clone()));
        }
        let schema = match model.schema(&self.schema) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        if schema.is_abstract {
            errors.push(ModelError::AbstractSchema(schema.name.clone()));
        }
        for prop in self.properties.keys() {
            match schema.properties.get(prop) {
                None => {
                    errors.push(ModelError::UnknownProperty { schema: schema.name.clone(), property: prop.clone() })
                }
                Some(p) if p.stub => errors.push(ModelError::UnknownProperty {
                    schema: schema.name.clone(),
                    property: format!(
                        "{prop} (computed from {} entities; set it there)",
                        p.range.clone().unwrap_or_default()
                    ),
                }),
                Some(_) => {}
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The schema's required properties this entity lacks. As in FtM, data
    /// from sources is kept without them (a register row may have no name);
    /// forms that create entities by hand insist on them.
    pub fn missing_required(&self, model: &Model) -> Vec<ModelError> {
        let Ok(schema) = model.schema(&self.schema) else { return Vec::new() };
        schema
            .required
            .iter()
            .filter(|req| self.values(req).is_empty())
            .map(|req| ModelError::MissingRequired { schema: schema.name.clone(), property: req.clone() })
            .collect()
    }

    /// The entity ids this entity refers to, with the property that does.
    pub fn references<'a>(&'a self, model: &'a Model) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.values_of_type(model, PropertyType::Entity)
    }

    /// The entity as one FtM JSON object. Veza's provenance and handling
    /// travel in a `veza` member that FtM tools ignore; `datasets`,
    /// `first_seen` and `last_seen` are those of FtM's statement exports.
    pub fn to_ftm(&self) -> Value {
        let p = &self.provenance;
        let mut value = json!({
            "id": self.id,
            "schema": self.schema,
            "properties": self.properties,
            "datasets": [p.source.dataset],
            "first_seen": p.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "last_seen": p.changed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "veza": {
                "owner": p.owner,
                "source": p.source,
                "handling": self.handling,
                "retention_review": p.retention_review.to_string(),
            }
        });
        if let Some(veza) = value.get_mut("veza").and_then(Value::as_object_mut) {
            if let Some(x) = &p.exercise {
                veza.insert("exercise".into(), Value::String(x.clone()));
            }
            let restricted: BTreeMap<&str, BTreeMap<&str, &Handling>> =
                self.restricted_values().fold(BTreeMap::new(), |mut m, (p, v, h)| {
                    m.entry(p).or_default().insert(v, h);
                    m
                });
            if !restricted.is_empty() {
                veza.insert("value_handling".into(), json!(restricted));
            }
        }
        value
    }

    /// Reads one FtM JSON object. Values are validated and normalised; the
    /// optional `veza` member restores source, handling, times and
    /// retention review (the owner is decided by whoever stores it).
    pub fn from_ftm(model: &Model, value: &Value) -> Result<Entity, Vec<ModelError>> {
        let bad = |p: &str, reason: &str| ModelError::InvalidValue {
            property: p.to_owned(),
            error: crate::error::ValueError::new("json", "", reason),
        };
        let obj = value.as_object().ok_or_else(|| vec![bad("(entity)", "an entity is a JSON object")])?;
        let id = obj.get("id").and_then(Value::as_str).ok_or_else(|| vec![bad("id", "missing or not a string")])?;
        let schema =
            obj.get("schema").and_then(Value::as_str).ok_or_else(|| vec![bad("schema", "missing or not a string")])?;
        let mut entity = Entity::new(id, schema);
        let empty = Map::new();
        let props = match obj.get("properties") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(m)) => m,
            Some(_) => return Err(vec![bad("properties", "must be an object of lists")]),
        };
        let mut raw: Vec<(&str, &str)> = Vec::new();
        let mut errors = Vec::new();
        for (prop, vals) in props {
            match vals {
                Value::Array(items) => {
                    for item in items {
                        match item.as_str() {
                            Some(s) => raw.push((prop.as_str(), s)),
                            None => errors.push(bad(prop, "values must be strings")),
                        }
                    }
                }
                Value::String(s) => raw.push((prop.as_str(), s.as_str())),
                _ => errors.push(bad(prop, "must be a list of strings")),
            }
        }
        if let Err(mut e) = entity.add_all(model, raw) {
            errors.append(&mut e);
        }
        if let Some(veza) = obj.get("veza").and_then(Value::as_object) {
            if let Some(src) = veza.get("source") {
                match serde_json::from_value::<SourceRef>(src.clone()) {
                    Ok(s) => entity.provenance.source = s,
                    Err(e) => errors.push(bad("veza.source", &e.to_string())),
                }
            }
            if let Some(h) = veza.get("handling") {
                match serde_json::from_value::<Handling>(h.clone())
                    .map_err(|e| e.to_string())
                    .and_then(Handling::validated)
                {
                    Ok(h) => entity.handling = h,
                    Err(e) => errors.push(bad("veza.handling", &e)),
                }
            }
            match veza.get("exercise") {
                None | Some(Value::Null) => {}
                Some(Value::String(x)) if valid_exercise_id(x) => entity.provenance.exercise = Some(x.clone()),
                Some(_) => errors.push(bad("veza.exercise", "an exercise id is 1–64 letters, digits, '-', '_' or '.'")),
            }
            match veza.get("value_handling") {
                None | Some(Value::Null) => {}
                Some(Value::Object(props)) => {
                    for (prop, values) in props {
                        let Some(values) = values.as_object() else {
                            errors.push(bad("veza.value_handling", "maps each property to {value: handling}"));
                            continue;
                        };
                        for (raw, h) in values {
                            let handling = serde_json::from_value::<Handling>(h.clone())
                                .map_err(|e| e.to_string())
                                .and_then(Handling::validated);
                            match handling {
                                Ok(h) => {
                                    if let Err(e) = entity.restrict(model, prop, raw, h) {
                                        errors.push(e);
                                    }
                                }
                                Err(e) => errors.push(bad("veza.value_handling", &e)),
                            }
                        }
                    }
                }
                Some(_) => errors.push(bad("veza.value_handling", "maps each property to {value: handling}")),
            }
            if let Some(r) = veza.get("retention_review").and_then(Value::as_str) {
                match r.parse::<NaiveDate>() {
                    Ok(d) => entity.provenance.retention_review = d,
                    Err(_) => errors.push(bad("veza.retention_review", "not a YYYY-MM-DD date")),
                }
            }
        }
        let time = |k: &str| obj.get(k).and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        if let Some(t) = time("first_seen") {
            entity.provenance.created_at = t.with_timezone(&Utc);
        }
        if let Some(t) = time("last_seen") {
            entity.provenance.changed_at = t.with_timezone(&Utc);
        }
        if entity.provenance.source.dataset.is_empty()
            && let Some(ds) =
                obj.get("datasets").and_then(Value::as_array).and_then(|d| d.first()).and_then(Value::as_str)
        {
            entity.provenance.source.dataset = ds.to_owned();
        }
        entity.complete(model);
        if let Err(mut e) = entity.validate(model) {
            errors.append(&mut e);
        }
        if errors.is_empty() { Ok(entity) } else { Err(errors) }
    }

    fn clean_context(&self, schema: &Schema) -> CleanContext {
        let mut countries: Vec<String> = Vec::new();
        for (prop, vals) in &self.properties {
            if schema.properties.get(prop).is_some_and(|p| p.kind == PropertyType::Country) {
                countries.extend(vals.iter().cloned());
            }
        }
        if !self.provenance.owner.country.is_empty() {
            countries.push(self.provenance.owner.country.clone());
        }
        countries.dedup();
        CleanContext { countries }
    }
}

fn clean_value(schema: &Schema, prop: &str, raw: &str, ctx: &CleanContext) -> Result<String, ModelError> {
    let property = schema.property(prop)?;
    if property.stub {
        return Err(ModelError::UnknownProperty {
            schema: schema.name.clone(),
            property: format!(
                "{prop} (computed from {} entities; set it there)",
                property.range.clone().unwrap_or_default()
            ),
        });
    }
    let invalid = |error| ModelError::InvalidValue { property: prop.to_owned(), error };
    let value = property.kind.clean(raw, ctx).map_err(invalid)?;
    if let Some(allowed) = &property.values
        && !allowed.iter().any(|a| a == &value)
    {
        return Err(invalid(crate::error::ValueError::new(
            property.kind.name(),
            raw,
            format!("not one of: {}", allowed.join(", ")),
        )));
    }
    if let Some(max) = property.max_length
        && value.chars().count() > max
    {
        return Err(invalid(crate::error::ValueError::new(
            property.kind.name(),
            raw,
            format!("longer than {max} characters"),
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> &'static Model {
        Model::builtin()
    }

    #[test]
    fn values_are_cleaned_and_deduplicated() {
        let mut e = Entity::new("p1", "Person");
        e.add(model(), "name", " Ana  Kovač ").unwrap();
        e.add(model(), "name", "Ana Kovač").unwrap();
        e.add(model(), "nationality", "SRB").unwrap();
        assert_eq!(e.values("name"), ["Ana Kovač"]);
        assert_eq!(e.first("nationality"), Some("rs"));
    }

    #[test]
    fn phones_are_read_in_the_entity_country() {
        let mut e = Entity::new("p1", "Person");
        e.add_all(model(), [("phone", "064 123 4567"), ("name", "Marko"), ("country", "rs")]).unwrap();
        assert_eq!(e.first("phone"), Some("+381641234567"));
    }

    #[test]
    fn bad_values_and_properties_are_reported_each() {
        let mut e = Entity::new("p1", "Person");
        let errs = e.add_all(model(), [("birthDate", "1987-02-30"), ("nope", "x"), ("name", "Ana")]).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(e.values("name"), ["Ana"]);
    }

    #[test]
    fn person_name_is_derived_from_its_parts() {
        let mut e = Entity::new("p1", "Person");
        e.add_all(model(), [("firstName", "mitchell"), ("lastName", "green")]).unwrap();
        e.complete(model());
        assert_eq!(e.first("name"), Some("mitchell green"));
        assert!(e.validate(model()).is_ok());
    }

    #[test]
    fn validation_checks_schema_required_and_id() {
        assert!(Entity::new("p1", "Thing").validate(model()).is_err());
        let errs = Entity::new("bad id!", "Person").validate(model()).unwrap_err();
        assert!(errs.iter().any(|e| matches!(e, ModelError::InvalidId(_))));
        let missing = Entity::new("p1", "Person").missing_required(model());
        assert!(matches!(&missing[..], [ModelError::MissingRequired { property, .. }] if property == "name"));
        assert!(Entity::new("x", "Nonsense").validate(model()).is_err());
    }

    #[test]
    fn reverse_stubs_cannot_be_written() {
        let mut e = Entity::new("p1", "Person");
        assert!(e.add(model(), "familyPerson", "f1").is_err());
    }

    #[test]
    fn links_are_captioned_by_their_edge_or_date() {
        let mut f = Entity::new("f1", "Family");
        f.add_all(model(), [("person", "a"), ("relative", "b"), ("relationship", "niece")]).unwrap();
        assert_eq!(f.caption(model()), "niece");
        let mut c = Entity::new("c1", "Call");
        c.add_all(model(), [("caller", "a"), ("date", "2023-03-02")]).unwrap();
        assert_eq!(c.caption(model()), "Call 2023-03-02");
    }

    #[test]
    fn caption_follows_the_schema() {
        let mut e = Entity::new("p1", "Person");
        assert_eq!(e.caption(model()), "p1");
        e.add(model(), "name", "Ana").unwrap();
        assert_eq!(e.caption(model()), "Ana");
    }

    #[test]
    fn ftm_json_round_trips() {
        let mut e = Entity::new("p1", "Person");
        e.add_all(model(), [("name", "Ana Kovač"), ("birthDate", "1987"), ("nationality", "rs")]).unwrap();
        e.provenance.source = SourceRef { dataset: "test".into(), record: Some("r1".into()) };
        e.handling.caveats.push("no judicial use".into());
        let back = Entity::from_ftm(model(), &e.to_ftm()).unwrap();
        assert_eq!(back.properties, e.properties);
        assert_eq!(back.handling, e.handling);
        assert_eq!(back.provenance.source, e.provenance.source);
        assert_eq!(back.provenance.retention_review, e.provenance.retention_review);
        assert_eq!(back.provenance.exercise, None);
        assert!(e.to_ftm()["veza"].get("exercise").is_none(), "real data says nothing of exercises");
    }

    #[test]
    fn single_values_carry_their_own_handling() {
        let mut e = Entity::new("p1", "Person");
        e.add_all(model(), [("name", "Ana Kovač"), ("phone", "+381 64 123 4567"), ("nationality", "rs")]).unwrap();
        let informant = Handling { caveats: vec!["informant".into()], ..Handling::default() };
        e.restrict(model(), "phone", "+381641234567", informant.clone()).unwrap();
        assert!(e.restrict(model(), "phone", "+381600000000", informant.clone()).is_err(), "not a value it has");
        assert_eq!(e.restricted_values().count(), 1);
        assert!(e.unrestricted().values("phone").is_empty());
        assert_eq!(e.unrestricted().values("name"), ["Ana Kovač"]);
        let back = Entity::from_ftm(model(), &e.to_ftm()).unwrap();
        assert_eq!(back.value_handling, e.value_handling, "travels in FtM JSON");
        e.remove_value("phone", "+381641234567");
        assert!(e.value_handling.is_empty() && e.values("phone").is_empty());
    }

    #[test]
    fn exercise_records_say_so_in_ftm_json() {
        let mut e = Entity::new("p1", "Person");
        e.provenance.exercise = Some("ttx-2026".into());
        let back = Entity::from_ftm(model(), &e.to_ftm()).unwrap();
        assert_eq!(back.provenance.exercise.as_deref(), Some("ttx-2026"));
        let mut bad = e.to_ftm();
        bad["veza"]["exercise"] = json!("no spaces allowed");
        assert!(Entity::from_ftm(model(), &bad).unwrap_err()[0].to_string().contains("veza.exercise"));
        assert!(valid_exercise_id("a") && !valid_exercise_id("") && !valid_exercise_id(&"x".repeat(65)));
    }

    #[test]
    fn ftm_json_errors_name_the_field() {
        let v = json!({"id": "x", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["nope"]}});
        let errs = Entity::from_ftm(model(), &v).unwrap_err();
        assert!(errs[0].to_string().contains("birthDate"), "{}", errs[0]);
        assert!(Entity::from_ftm(model(), &json!([1, 2])).is_err());
        assert!(Entity::from_ftm(model(), &json!({"schema": "Person"})).is_err());
    }
}
