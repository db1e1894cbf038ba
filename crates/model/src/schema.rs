//! Schemata as data. Every schema is a YAML file in FollowTheMoney's format
//! under `schema/` (FtM's own in `schema/ftm/`, Veza's trafficking schemata
//! in `schema/veza/`); this module loads them, resolves inheritance and
//! reverse properties, and checks that they hold together.

use crate::error::ModelError;
use crate::types::PropertyType;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/schema_files.rs"));

/// A resolved set of schemata.
#[derive(Debug, Clone)]
pub struct Model {
    schemata: BTreeMap<String, Schema>,
}

/// One schema with its inherited properties resolved.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The schema's name (`Person`).
    pub name: String,
    /// Label for people (`Person`).
    pub label: String,
    /// Plural label (`People`).
    pub plural: String,
    /// What the schema stands for.
    pub description: String,
    /// Direct parents.
    pub extends: Vec<String>,
    /// The schema itself and all its ancestors, nearest first.
    pub ancestors: Vec<String>,
    /// Abstract schemata (Thing, Interval) cannot be instantiated.
    pub is_abstract: bool,
    /// Whether entities of this schema are candidates for matching.
    pub matchable: bool,
    /// Properties shown first.
    pub featured: Vec<String>,
    /// Properties an entity must have.
    pub required: Vec<String>,
    /// Properties from which a caption is taken, in order of preference.
    pub caption: Vec<String>,
    /// For link schemata: which properties are the two ends.
    pub edge: Option<Edge>,
    /// The restricted compartment the schema's records belong to (`victim`),
    /// inherited; access to it needs a role as well as the owner's handling.
    pub compartment: Option<String>,
    /// Every property, own and inherited, by name.
    pub properties: BTreeMap<String, Property>,
}

/// The two ends of a link schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Property holding the source entity (`person`).
    pub source: String,
    /// Property holding the target entity (`relative`).
    pub target: String,
    /// Label of the link (`related to`).
    pub label: String,
    /// Whether the link has a direction.
    pub directed: bool,
    /// Properties that label the link (`relationship`, `role`).
    pub caption: Vec<String>,
}

/// A property of a schema.
#[derive(Debug, Clone)]
pub struct Property {
    /// The property's name (`birthDate`).
    pub name: String,
    /// Label for people.
    pub label: String,
    /// What the property holds.
    pub description: String,
    /// The value type.
    pub kind: PropertyType,
    /// For entity references: the schema of the referenced entity.
    pub range: Option<String>,
    /// For entity references: the name of the reverse property on the range.
    pub reverse: Option<String>,
    /// For entity references: the label of the reverse property on the range
    /// (`Assets and shares` for Ownership's `owner`), when the file gives one.
    pub reverse_label: Option<String>,
    /// The schema that defines the property.
    pub defined_by: String,
    /// Reverse properties are computed from the other side and not stored.
    pub stub: bool,
    /// Hidden properties are not shown in the UI.
    pub hidden: bool,
    /// Whether values take part in matching.
    pub matchable: bool,
    /// Closed vocabulary, when the schema file gives one (`values:`).
    pub values: Option<Vec<String>>,
    /// Longest accepted value, in characters.
    pub max_length: Option<usize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct SchemaSpec {
    label: Option<String>,
    plural: Option<String>,
    description: Option<String>,
    extends: Vec<String>,
    #[serde(rename = "abstract")]
    is_abstract: bool,
    matchable: Option<bool>,
    featured: Vec<String>,
    required: Vec<String>,
    caption: Vec<String>,
    edge: Option<EdgeSpec>,
    compartment: Option<String>,
    properties: BTreeMap<String, PropertySpec>,
}

#[derive(Debug, Deserialize)]
struct EdgeSpec {
    source: String,
    target: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default = "yes")]
    directed: bool,
    #[serde(default)]
    caption: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct PropertySpec {
    label: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    range: Option<String>,
    reverse: Option<ReverseSpec>,
    hidden: bool,
    matchable: Option<bool>,
    values: Option<Vec<String>>,
    #[serde(rename = "maxLength")]
    max_length: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct ReverseSpec {
    name: String,
    #[serde(default)]
    label: Option<String>,
}

static BUILTIN: OnceLock<Model> = OnceLock::new();

impl Model {
    /// The schemata embedded in Veza: FtM's and Veza's trafficking schemata.
    ///
    /// The embedded files are checked by this crate's tests, so loading them
    /// cannot fail in a released build.
    pub fn builtin() -> &'static Model {
        BUILTIN.get_or_init(|| match Model::load(SCHEMA_FILES.iter().copied()) {
            Ok(model) => model,
            Err(e) => panic!("embedded schema files are broken: {e}"),
        })
    }

    /// Loads schemata from `(file name, YAML text)` pairs. Each file holds
    /// one or more schemata keyed by name.
    pub fn load<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Model, ModelError> {
        let mut specs: BTreeMap<String, SchemaSpec> = BTreeMap::new();
        for (file, text) in files {
            let parsed: BTreeMap<String, SchemaSpec> = serde_norway::from_str(text)
                .map_err(|e| ModelError::SchemaFile { file: file.to_owned(), reason: e.to_string() })?;
            for (name, spec) in parsed {
                if specs.insert(name.clone(), spec).is_some() {
                    return Err(ModelError::SchemaFile {
                        file: file.to_owned(),
                        reason: format!("schema {name} is defined twice"),
                    });
                }
            }
        }
        let mut schemata = BTreeMap::new();
        for name in specs.keys() {
            let ancestors = ancestors(name, &specs, &mut Vec::new())?;
            let spec = &specs[name];
            let mut properties = BTreeMap::new();
            // Farthest ancestor first, so nearer schemata override.
            for anc in ancestors.iter().rev() {
                for (pname, p) in &specs[anc].properties {
                    properties.insert(pname.clone(), own_property(anc, pname, p)?);
                }
            }
            let first_some = |f: &dyn Fn(&SchemaSpec) -> Option<bool>| ancestors.iter().find_map(|a| f(&specs[a]));
            let inherit_list = |f: &dyn Fn(&SchemaSpec) -> &Vec<String>| {
                ancestors.iter().map(|a| f(&specs[a])).find(|l| !l.is_empty()).cloned().unwrap_or_default()
            };
            let edge = ancestors.iter().find_map(|a| specs[a].edge.as_ref()).map(|e| Edge {
                source: e.source.clone(),
                target: e.target.clone(),
                label: e.label.clone().unwrap_or_else(|| "linked to".into()),
                directed: e.directed,
                caption: e.caption.clone(),
            });
            let label = spec.label.clone().unwrap_or_else(|| name.clone());
            let matchable = first_some(&|s| s.matchable).unwrap_or(false);
            let featured = inherit_list(&|s| &s.featured);
            let caption = inherit_list(&|s| &s.caption);
            let compartment = ancestors.iter().find_map(|a| specs[a].compartment.clone());
            // As in FtM, a schema requires what its own definition lists.
            let required: BTreeSet<String> = spec.required.iter().cloned().collect();
            schemata.insert(
                name.clone(),
                Schema {
                    name: name.clone(),
                    plural: spec.plural.clone().unwrap_or_else(|| label.clone()),
                    label,
                    description: spec.description.clone().unwrap_or_default().trim().to_owned(),
                    extends: spec.extends.clone(),
                    ancestors,
                    is_abstract: spec.is_abstract,
                    matchable,
                    featured,
                    required: required.into_iter().collect(),
                    caption,
                    edge,
                    compartment,
                    properties,
                },
            );
        }
        let mut model = Model { schemata };
        model.add_reverse_properties()?;
        model.check()?;
        Ok(model)
    }

    /// The schema named `name`.
    pub fn schema(&self, name: &str) -> Result<&Schema, ModelError> {
        self.schemata.get(name).ok_or_else(|| ModelError::UnknownSchema(name.to_owned()))
    }

    /// All schemata, by name.
    pub fn schemata(&self) -> impl Iterator<Item = &Schema> {
        self.schemata.values()
    }

    /// `name` and every schema that inherits from it.
    pub fn descendants(&self, name: &str) -> Vec<&str> {
        self.schemata.values().filter(|s| s.is_a(name)).map(|s| s.name.as_str()).collect()
    }

    fn add_reverse_properties(&mut self) -> Result<(), ModelError> {
        let mut stubs: Vec<(String, Property)> = Vec::new();
        for schema in self.schemata.values() {
            for p in schema.properties.values() {
                if p.defined_by != schema.name {
                    continue;
                }
                let (Some(range), Some(reverse)) = (&p.range, &p.reverse) else { continue };
                stubs.push((
                    range.clone(),
                    Property {
                        name: reverse.clone(),
                        label: p.reverse_label.clone().unwrap_or_else(|| reverse.clone()),
                        description: format!("{} that refer to this entity as {}", schema.plural, p.label),
                        kind: PropertyType::Entity,
                        range: Some(schema.name.clone()),
                        reverse: Some(p.name.clone()),
                        reverse_label: Some(p.label.clone()),
                        defined_by: range.clone(),
                        stub: true,
                        hidden: false,
                        matchable: false,
                        values: None,
                        max_length: None,
                    },
                ));
            }
        }
        for (range, stub) in stubs {
            let targets: Vec<String> = self.descendants(&range).into_iter().map(str::to_owned).collect();
            if targets.is_empty() {
                return Err(ModelError::SchemaDefinition {
                    schema: stub.range.clone().unwrap_or_default(),
                    reason: format!("range {range} does not exist"),
                });
            }
            for t in targets {
                if let Some(schema) = self.schemata.get_mut(&t) {
                    schema.properties.entry(stub.name.clone()).or_insert_with(|| stub.clone());
                }
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), ModelError> {
        for s in self.schemata.values() {
            let bad = |reason: String| ModelError::SchemaDefinition { schema: s.name.clone(), reason };
            for p in s.properties.values() {
                if p.kind == PropertyType::Entity && !p.stub {
                    match &p.range {
                        Some(r) if self.schemata.contains_key(r) => {}
                        Some(r) => return Err(bad(format!("property {} has unknown range {r}", p.name))),
                        None => {}
                    }
                }
            }
            for r in &s.required {
                if !s.properties.contains_key(r) {
                    return Err(bad(format!("required property {r} is not defined")));
                }
            }
            if let Some(e) = &s.edge {
                for end in [&e.source, &e.target] {
                    match s.properties.get(end) {
                        Some(p) if p.kind == PropertyType::Entity => {}
                        _ => return Err(bad(format!("edge end {end} is not an entity property"))),
                    }
                }
            }
        }
        Ok(())
    }
}

fn ancestors(
    name: &str,
    specs: &BTreeMap<String, SchemaSpec>,
    path: &mut Vec<String>,
) -> Result<Vec<String>, ModelError> {
    if path.iter().any(|p| p == name) {
        return Err(ModelError::SchemaDefinition {
            schema: name.to_owned(),
            reason: format!("inheritance cycle through {}", path.join(" → ")),
        });
    }
    let spec = specs.get(name).ok_or_else(|| ModelError::SchemaDefinition {
        schema: path.last().cloned().unwrap_or_default(),
        reason: format!("extends unknown schema {name}"),
    })?;
    path.push(name.to_owned());
    let mut out = vec![name.to_owned()];
    for parent in &spec.extends {
        for a in ancestors(parent, specs, path)? {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    path.pop();
    Ok(out)
}

fn own_property(schema: &str, name: &str, p: &PropertySpec) -> Result<Property, ModelError> {
    let kind = match p.kind.as_deref() {
        None => PropertyType::String,
        Some(k) => PropertyType::from_name(k).ok_or_else(|| ModelError::SchemaDefinition {
            schema: schema.to_owned(),
            reason: format!("property {name} has unknown type {k}"),
        })?,
    };
    Ok(Property {
        name: name.to_owned(),
        label: p.label.clone().unwrap_or_else(|| name.to_owned()),
        description: p.description.clone().unwrap_or_default().trim().to_owned(),
        kind,
        range: p.range.clone(),
        reverse: p.reverse.as_ref().map(|r| r.name.clone()),
        reverse_label: p.reverse.as_ref().and_then(|r| r.label.clone()),
        defined_by: schema.to_owned(),
        stub: false,
        hidden: p.hidden,
        matchable: p.matchable.unwrap_or(true),
        values: p.values.clone(),
        max_length: p.max_length,
    })
}

impl Schema {
    /// Whether this schema is `name` or inherits from it.
    pub fn is_a(&self, name: &str) -> bool {
        self.ancestors.iter().any(|a| a == name)
    }

    /// The property `name`, own or inherited.
    pub fn property(&self, name: &str) -> Result<&Property, ModelError> {
        self.properties
            .get(name)
            .ok_or_else(|| ModelError::UnknownProperty { schema: self.name.clone(), property: name.to_owned() })
    }

    /// Properties that hold values (not reverse stubs), by name.
    pub fn stored_properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values().filter(|p| !p.stub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schemata_load_and_hold_together() {
        let model = Model::builtin();
        assert!(model.schemata().count() >= 70);
    }

    #[test]
    fn person_inherits_from_legal_entity_and_thing() {
        let model = Model::builtin();
        let person = model.schema("Person").unwrap();
        assert!(person.is_a("LegalEntity"));
        assert!(person.is_a("Thing"));
        assert_eq!(person.property("name").unwrap().kind, PropertyType::Name);
        assert_eq!(person.property("phone").unwrap().kind, PropertyType::Phone);
        assert_eq!(person.property("birthDate").unwrap().kind, PropertyType::Date);
        assert!(person.required.contains(&"name".to_owned()));
    }

    #[test]
    fn link_schemata_have_two_ends() {
        let model = Model::builtin();
        for name in ["Family", "Associate", "Membership", "Employment", "Payment", "UnknownLink"] {
            let s = model.schema(name).unwrap();
            let edge = s.edge.as_ref().unwrap_or_else(|| panic!("{name} has no edge"));
            assert_eq!(s.property(&edge.source).unwrap().kind, PropertyType::Entity);
        }
    }

    #[test]
    fn reverse_properties_are_stubs_on_the_range() {
        let model = Model::builtin();
        let person = model.schema("Person").unwrap();
        let stub = person.property("familyPerson").unwrap();
        assert!(stub.stub);
        assert_eq!(stub.range.as_deref(), Some("Family"));
        // Shown with the label the schema file gives the reverse side.
        let owned = model.schema("Company").unwrap().property("ownershipAsset").unwrap();
        assert_eq!(owned.label, "Owners");
    }

    #[test]
    fn victim_records_are_a_compartment() {
        let model = Model::builtin();
        for name in ["Victim", "IndicatorAssessment", "Referral"] {
            assert_eq!(model.schema(name).unwrap().compartment.as_deref(), Some("victim"), "{name}");
        }
        assert_eq!(model.schema("Person").unwrap().compartment, None);
    }

    #[test]
    fn descendants_include_the_schema_itself() {
        let model = Model::builtin();
        let d = model.descendants("LegalEntity");
        assert!(d.contains(&"LegalEntity") && d.contains(&"Person") && d.contains(&"Company"));
        assert!(!d.contains(&"Vehicle"));
    }

    #[test]
    fn broken_definitions_are_reported() {
        let err = Model::load([("a.yaml", "A:\n  extends: [Missing]\n")]).unwrap_err();
        assert!(err.to_string().contains("Missing"), "{err}");
        let err = Model::load([("a.yaml", "A:\n  extends: [B]\nB:\n  extends: [A]\n")]).unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
        let err = Model::load([("a.yaml", "A:\n  properties:\n    x:\n      type: wat\n")]).unwrap_err();
        assert!(err.to_string().contains("unknown type"), "{err}");
        let err = Model::load([("a.yaml", ": : :")]).unwrap_err();
        assert!(err.to_string().contains("a.yaml"), "{err}");
    }
}
