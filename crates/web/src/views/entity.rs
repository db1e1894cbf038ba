//! The entity page: properties in the schema's order, provenance, handling
//! and links; and the page that says whom to ask for a restricted record.

use super::{Directory, Layout, country_label, entity_href};
use crate::i18n::Tr;
use askama::Template;
use std::collections::HashMap;
use veza_model::{Entity, Model, PropertyType, Schema, Statement, Visibility};
use veza_store::{Direction, LinkView};

/// The entity page.
#[derive(Template)]
#[template(path = "entity.html")]
pub(crate) struct EntityTemplate {
    pub(crate) layout: Layout,
    pub(crate) id: String,
    pub(crate) caption: String,
    pub(crate) schema_label: String,
    pub(crate) schema_description: String,
    pub(crate) api_href: String,
    pub(crate) properties: Vec<PropertyRow>,
    pub(crate) provenance: ProvenanceView,
    pub(crate) handling: HandlingView,
    pub(crate) link_groups: Vec<LinkGroup>,
    pub(crate) link_count: usize,
    pub(crate) statements: Vec<StatementRow>,
    /// Records an analyst confirmed as the same person: (other id, match number).
    pub(crate) same_as: Vec<(String, i64)>,
    /// Pairs with this record waiting for review: (other id, match number, probability).
    pub(crate) possible_duplicates: Vec<(String, i64, String)>,
}

/// A property with its values.
pub(crate) struct PropertyRow {
    pub(crate) label: String,
    pub(crate) description: String,
    pub(crate) long: bool,
    pub(crate) values: Vec<ValueView>,
}

/// One value: text, and a link for entity references.
pub(crate) struct ValueView {
    pub(crate) text: String,
    /// For a name in another script, its Latin transliteration, shown beside it.
    pub(crate) translit: Option<String>,
    pub(crate) href: Option<String>,
    pub(crate) title: Option<String>,
}

/// Where the record comes from and how long it is kept.
pub(crate) struct ProvenanceView {
    pub(crate) owner_name: String,
    pub(crate) owner_code: String,
    pub(crate) owner_country: String,
    pub(crate) dataset: String,
    pub(crate) dataset_title: Option<String>,
    pub(crate) record: Option<String>,
    pub(crate) created: String,
    pub(crate) changed: String,
    pub(crate) retention_review: String,
    pub(crate) retention_due: bool,
}

/// Who may see the record and on what conditions.
pub(crate) struct HandlingView {
    pub(crate) visibility: String,
    pub(crate) explanation: String,
    pub(crate) existence: String,
    pub(crate) caveats: Vec<String>,
}

/// Links of one kind.
pub(crate) struct LinkGroup {
    pub(crate) title: String,
    pub(crate) items: Vec<LinkItem>,
}

/// One link to another entity.
pub(crate) struct LinkItem {
    pub(crate) before: String,
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) after: String,
    pub(crate) schema_label: String,
    pub(crate) via_href: Option<String>,
    pub(crate) via_label: String,
}

/// One value with the dataset that gave it.
pub(crate) struct StatementRow {
    pub(crate) property: String,
    pub(crate) value: String,
    pub(crate) dataset: String,
    pub(crate) owner: String,
    pub(crate) first_seen: String,
    pub(crate) last_seen: String,
}

/// The page for a record the caller may not see, but may know exists.
#[derive(Template)]
#[template(path = "restricted.html")]
pub(crate) struct RestrictedTemplate {
    pub(crate) layout: Layout,
    pub(crate) id: String,
    pub(crate) schema_label: String,
    pub(crate) owner: String,
    /// The session's CSRF token, for the access request form.
    pub(crate) csrf: String,
}

/// Builds the entity page's content.
pub(crate) fn entity_page(
    layout: Layout,
    model: &Model,
    dir: &Directory,
    entity: &Entity,
    links: &[LinkView],
    statements: &[Statement],
) -> EntityTemplate {
    let schema = model.schema(&entity.schema).ok();
    let captions: HashMap<&str, &str> =
        links.iter().filter_map(|l| l.other_caption.as_deref().map(|c| (l.other_id.as_str(), c))).collect();
    let p = &entity.provenance;
    let today = chrono::Utc::now().date_naive();
    let layout_tr = layout.tr;
    EntityTemplate {
        same_as: Vec::new(),
        possible_duplicates: Vec::new(),
        layout,
        id: entity.id.clone(),
        caption: entity.caption(model),
        schema_label: schema.map(|s| layout_tr.schema(s)).unwrap_or_else(|| entity.schema.clone()),
        schema_description: schema.map(|s| layout_tr.schema_description(s)).unwrap_or_default(),
        api_href: format!("/api/v1{}", entity_href(&entity.id)),
        properties: property_rows(&layout_tr, schema, entity, &captions),
        provenance: ProvenanceView {
            owner_name: dir.agency_name(&p.owner.agency),
            owner_code: p.owner.agency.clone(),
            owner_country: country_label(dir.agency_country(&p.owner.agency).unwrap_or(&p.owner.country)),
            dataset: p.source.dataset.clone(),
            dataset_title: dir.source_title(&p.source.dataset).filter(|t| t != &p.source.dataset),
            record: p.source.record.clone(),
            created: layout_tr.datetime(p.created_at),
            changed: layout_tr.datetime(p.changed_at),
            retention_review: layout_tr.date(p.retention_review),
            retention_due: p.retention_review <= today,
        },
        handling: handling_view(&layout_tr, entity, dir),
        link_count: links.len(),
        link_groups: link_groups(&layout_tr, model, entity, links),
        statements: statements
            .iter()
            .map(|s| StatementRow {
                property: schema.map(|sc| layout_tr.property_named(sc, &s.prop)).unwrap_or_else(|| s.prop.clone()),
                value: s.value.clone(),
                dataset: s.dataset.clone(),
                owner: s.owner_agency.clone(),
                first_seen: layout_tr.datetime(s.first_seen),
                last_seen: layout_tr.datetime(s.last_seen),
            })
            .collect(),
    }
}

/// The entity's properties with values: the schema's featured ones first,
/// in its order, then the rest by label. Hidden properties are left out.
fn property_rows(
    tr: &Tr,
    schema: Option<&Schema>,
    entity: &Entity,
    captions: &HashMap<&str, &str>,
) -> Vec<PropertyRow> {
    let featured: Vec<&str> = schema.map(|s| s.featured.iter().map(String::as_str).collect()).unwrap_or_default();
    let mut names: Vec<&str> = entity.properties.keys().map(String::as_str).collect();
    let label_of = |name: &str| schema.map(|s| tr.property_named(s, name)).unwrap_or_else(|| name.to_owned());
    names.sort_by_key(|n| match featured.iter().position(|f| f == n) {
        Some(i) => (0, i, String::new()),
        None => (1, 0, label_of(n).to_lowercase()),
    });
    names
        .into_iter()
        .filter_map(|name| {
            let prop = schema.and_then(|s| s.properties.get(name));
            if prop.is_some_and(|p| p.hidden) {
                return None;
            }
            let kind = prop.map(|p| p.kind).unwrap_or(PropertyType::String);
            let values = entity
                .values(name)
                .iter()
                .map(|v| match kind {
                    PropertyType::Entity => ValueView {
                        text: captions.get(v.as_str()).map(|c| (*c).to_owned()).unwrap_or_else(|| v.clone()),
                        translit: None,
                        href: Some(entity_href(v)),
                        title: Some(v.clone()),
                    },
                    PropertyType::Country => ValueView {
                        text: country_label(v),
                        translit: None,
                        href: None,
                        title: Some(v.to_ascii_uppercase()),
                    },
                    PropertyType::Name | PropertyType::Address => ValueView {
                        text: v.clone(),
                        translit: veza_app::latin_transliteration(v),
                        href: None,
                        title: None,
                    },
                    _ => match prop.filter(|p| p.values.is_some()) {
                        // A code of a closed vocabulary, in words; the code itself on hover.
                        Some(p) => {
                            ValueView { text: tr.value(p, v), translit: None, href: None, title: Some(v.clone()) }
                        }
                        None => ValueView { text: v.clone(), translit: None, href: None, title: None },
                    },
                })
                .collect();
            Some(PropertyRow {
                label: label_of(name),
                description: prop.map(|p| tr.property_description(p)).unwrap_or_default(),
                long: matches!(kind, PropertyType::Text | PropertyType::Html | PropertyType::Json),
                values,
            })
        })
        .collect()
}

fn handling_view(tr: &Tr, entity: &Entity, dir: &Directory) -> HandlingView {
    let h = &entity.handling;
    let owner = dir.agency_name(&entity.provenance.owner.agency);
    let explanation = match h.visibility {
        Visibility::Agency => tr.t1("visibility-agency-why", "owner", owner),
        Visibility::Country => tr.t("visibility-country-why"),
        Visibility::Countries => tr.t1(
            "visibility-countries-why",
            "countries",
            h.countries.iter().map(|c| country_label(c)).collect::<Vec<_>>().join(", "),
        ),
        Visibility::All => tr.t("visibility-all-why"),
    };
    HandlingView {
        visibility: tr.t(match h.visibility {
            Visibility::Agency => "visibility-agency",
            Visibility::Country => "visibility-country",
            Visibility::Countries => "visibility-countries",
            Visibility::All => "visibility-all",
        }),
        explanation,
        existence: tr.t(if h.existence_visible { "existence-visible" } else { "existence-hidden" }),
        caveats: h.caveats.clone(),
    }
}

/// Links grouped by what makes them: a link schema (Family, Ownership) seen
/// from one end, or a property referring to or from this entity.
fn link_groups(tr: &Tr, model: &Model, entity: &Entity, links: &[LinkView]) -> Vec<LinkGroup> {
    let mut groups: Vec<LinkGroup> = Vec::new();
    let label = |schema: &str| tr.schema_named(model, schema);
    let plural = |via: Option<&Schema>| via.map(|v| tr.schema_plural(v)).unwrap_or_default();
    for l in links {
        let via = model.schema(&l.via_schema).ok();
        let other_schema = l.other_schema.as_deref().map(label).unwrap_or_default();
        let caption = l.other_caption.clone().unwrap_or_else(|| l.other_id.clone());
        let (title, before, after, via_href) = match (&l.prop, via.and_then(|v| v.edge.as_ref())) {
            (None, Some(edge)) => {
                let end_prop = if l.direction == Direction::Out { &edge.source } else { &edge.target };
                let end_label = via.and_then(|v| v.properties.get(end_prop)).map(|p| tr.property(p).to_lowercase());
                let title = match (edge.directed, end_label) {
                    (true, Some(end)) => tr.t2("labels-link-as", "links", plural(via), "end", end),
                    _ => plural(via),
                };
                let verb = via.map(|v| tr.edge(v)).unwrap_or_else(|| edge.label.clone());
                let (before, after) = match (edge.directed, l.direction) {
                    (false, _) | (true, Direction::Out) => (format!("{verb} "), String::new()),
                    (true, Direction::In) => (
                        String::new(),
                        format!(
                            " {}",
                            tr.t2("labels-link-in", "edge", verb, "schema", label(&entity.schema).to_lowercase())
                        ),
                    ),
                };
                (title, before, after, Some(entity_href(&l.via_id)))
            }
            (Some(prop), _) if l.direction == Direction::Out => {
                let prop_label =
                    model.schema(&entity.schema).ok().and_then(|s| s.properties.get(prop)).map(|p| tr.property(p));
                (prop_label.unwrap_or_else(|| prop.clone()), String::new(), String::new(), None)
            }
            (Some(prop), _) => {
                let prop_label = via.and_then(|v| v.properties.get(prop)).map(|p| tr.property(p).to_lowercase());
                let links = via.map(|v| tr.schema_plural(v)).unwrap_or_else(|| l.via_schema.clone());
                let title = match prop_label {
                    Some(p) => tr.t3(
                        "labels-link-referring",
                        "links",
                        links,
                        "schema",
                        label(&entity.schema).to_lowercase(),
                        "property",
                        p,
                    ),
                    None => links,
                };
                (title, String::new(), String::new(), None)
            }
            (None, None) => (label(&l.via_schema), String::new(), String::new(), Some(entity_href(&l.via_id))),
        };
        let item = LinkItem {
            before,
            href: entity_href(&l.other_id),
            caption,
            after,
            schema_label: other_schema,
            via_label: tr.t1("labels-link-record", "schema", label(&l.via_schema)),
            via_href: via_href.filter(|_| l.via_id != l.other_id),
        };
        match groups.iter_mut().find(|g| g.title == title) {
            Some(g) => g.items.push(item),
            None => groups.push(LinkGroup { title, items: vec![item] }),
        }
    }
    groups
}
