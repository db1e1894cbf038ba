//! Pure conversion between entities and the rows both back ends store:
//! statements, links and the folded search text. No SQL here.

use veza_model::{Entity, Model, PropertyType};

/// Folded names and identifiers of an entity, as the search index holds them.
pub(crate) struct SearchText {
    pub names: String,
    pub identifiers: String,
}

/// The search text of an entity: every name-typed value (and, for people,
/// the name parts), folded; every identifier, phone, e-mail and IBAN, folded
/// and also without separators.
pub(crate) fn search_text(model: &Model, entity: &Entity) -> SearchText {
    let mut names: Vec<String> = Vec::new();
    let mut identifiers: Vec<String> = Vec::new();
    let Ok(schema) = model.schema(&entity.schema) else {
        return SearchText { names: String::new(), identifiers: String::new() };
    };
    for (prop, values) in &entity.properties {
        let Some(p) = schema.properties.get(prop) else { continue };
        let name_part = matches!(prop.as_str(), "firstName" | "lastName" | "middleName" | "secondName" | "fatherName");
        for v in values {
            if p.kind == PropertyType::Name || name_part {
                names.push(veza_text::fold(v));
            } else if p.kind.is_searchable() {
                let folded = veza_text::fold(v);
                let compact = veza_text::fold_identifier(v);
                if compact != folded {
                    identifiers.push(compact);
                }
                identifiers.push(folded);
            }
        }
    }
    names.dedup();
    identifiers.dedup();
    SearchText { names: names.join(" "), identifiers: identifiers.join(" ") }
}

/// One edge row: the referring property (`None` for a link schema) and the
/// two ends.
pub(crate) struct LinkRow {
    pub prop: Option<String>,
    pub source: String,
    pub target: String,
}

/// The links an entity makes: for link schemata, every pair of its two
/// ends; for every other entity-typed property, a reference from the entity.
pub(crate) fn link_rows(model: &Model, entity: &Entity) -> Vec<LinkRow> {
    let Ok(schema) = model.schema(&entity.schema) else { return Vec::new() };
    let mut rows = Vec::new();
    let mut edge_props: Vec<&str> = Vec::new();
    if let Some(edge) = &schema.edge {
        edge_props.push(&edge.source);
        edge_props.push(&edge.target);
        for s in entity.values(&edge.source) {
            for t in entity.values(&edge.target) {
                rows.push(LinkRow { prop: None, source: s.clone(), target: t.clone() });
            }
        }
    }
    for (prop, target) in entity.references(model) {
        if edge_props.contains(&prop) {
            continue;
        }
        rows.push(LinkRow { prop: Some(prop.to_owned()), source: entity.id.clone(), target: target.to_owned() });
    }
    rows
}

/// The comma-framed list of handling countries (`,ba,me,`), so that one
/// parameterised `LIKE '%,ba,%'` finds a country.
pub(crate) fn framed_countries(countries: &[String]) -> String {
    if countries.is_empty() { String::new() } else { format!(",{},", countries.join(",")) }
}

/// The list back from its framed form.
pub(crate) fn unframe_countries(framed: &str) -> Vec<String> {
    framed.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

/// FTS5 query for folded search text: every token must match; the last one
/// also as a prefix, so results come while a user is still typing. Tokens
/// are quoted, so user input is never read as query syntax.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let tokens = veza_text::tokens(text);
    let last = tokens.len().checked_sub(1)?;
    let parts: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| if i == last && t.len() >= 3 { format!("\"{t}\"*") } else { format!("\"{t}\"") })
        .collect();
    Some(parts.join(" AND "))
}

/// PostgreSQL tsquery for folded search text, with the same meaning as
/// [`fts_query`]. Tokens are folded to `[a-z0-9]` only, so they need no quoting.
pub(crate) fn ts_query(text: &str) -> Option<String> {
    let tokens = veza_text::tokens(text);
    let last = tokens.len().checked_sub(1)?;
    let parts: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| if i == last && t.len() >= 3 { format!("{t}:*") } else { t.clone() })
        .collect();
    Some(parts.join(" & "))
}

/// The cases an entity belongs to, framed (`,case-1,case-2,`): a Case
/// itself, and the targets of every property whose range is a Case (a
/// victim's, suspect's or seizure's `case`). The policy opens a case's
/// records to its members through this list.
pub(crate) fn framed_cases(model: &Model, entity: &Entity) -> String {
    let Ok(schema) = model.schema(&entity.schema) else { return String::new() };
    let mut cases: Vec<&str> = Vec::new();
    if schema.is_a("Case") {
        cases.push(&entity.id);
    }
    for (prop, values) in &entity.properties {
        let Some(p) = schema.properties.get(prop) else { continue };
        let to_case = p.kind == PropertyType::Entity
            && p.range.as_deref().and_then(|r| model.schema(r).ok()).is_some_and(|r| r.is_a("Case"));
        // A case's links to other cases do not make it part of them.
        if to_case && !schema.is_a("Case") {
            cases.extend(values.iter().map(String::as_str));
        }
    }
    cases.sort_unstable();
    cases.dedup();
    if cases.is_empty() { String::new() } else { format!(",{},", cases.join(",")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Entity {
        let model = Model::builtin();
        let mut e = Entity::new("p1", "Person");
        e.add_all(model, [("name", "Đorđe Petrović"), ("passportNumber", "AB 123-456"), ("firstName", "Đorđe")])
            .unwrap();
        e
    }

    #[test]
    fn search_text_is_folded() {
        let t = search_text(Model::builtin(), &person());
        assert!(t.names.contains("djordje petrovic"), "{}", t.names);
        assert!(t.identifiers.contains("ab123456"), "{}", t.identifiers);
        assert!(t.identifiers.contains("ab 123 456"), "{}", t.identifiers);
    }

    #[test]
    fn link_schemata_make_edges_and_references_make_references() {
        let model = Model::builtin();
        let mut f = Entity::new("f1", "Family");
        f.add_all(model, [("person", "p1"), ("relative", "p2"), ("relationship", "brother")]).unwrap();
        let rows = link_rows(model, &f);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].source.as_str(), rows[0].target.as_str()), ("p1", "p2"));
        assert!(rows[0].prop.is_none());
        let mut pass = Entity::new("d1", "Passport");
        pass.add_all(model, [("holder", "p1"), ("number", "X1")]).unwrap();
        let rows = link_rows(model, &pass);
        assert_eq!(rows[0].prop.as_deref(), Some("holder"));
        assert_eq!(rows[0].source, "d1");
    }

    #[test]
    fn user_text_cannot_inject_query_syntax() {
        assert_eq!(fts_query("petr\" OR x").unwrap(), "\"petr\" AND \"or\" AND \"x\"");
        assert_eq!(fts_query("José Petrov").unwrap(), "\"jose\" AND \"petrov\"*");
        assert!(fts_query("  ,, ").is_none());
        assert_eq!(ts_query("José Petrov").unwrap(), "jose & petrov:*");
    }

    #[test]
    fn countries_frame_and_unframe() {
        let c = vec!["ba".to_owned(), "me".to_owned()];
        assert_eq!(framed_countries(&c), ",ba,me,");
        assert_eq!(unframe_countries(",ba,me,"), c);
        assert_eq!(framed_countries(&[]), "");
    }
}
