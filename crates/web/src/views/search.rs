//! The search page: the form, and the results table that htmx swaps alone.

use super::{Directory, Layout, country_label, entity_href, query_string};
use crate::i18n::Tr;
use askama::Template;
use veza_app::SearchPage;
use veza_model::{Model, PropertyType};

/// The whole search page.
#[derive(Template)]
#[template(path = "search.html")]
pub(crate) struct SearchTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    /// The text searched for.
    pub(crate) q: String,
    /// The schemata that have entities, for the filter.
    pub(crate) schema_options: Vec<SchemaOption>,
    /// Entities the caller may see, all schemata.
    pub(crate) total_entities: u64,
    /// The results region.
    pub(crate) results: ResultsView,
}

/// Only the results region, for htmx requests.
#[derive(Template)]
#[template(path = "_results.html")]
pub(crate) struct ResultsTemplate {
    pub(crate) tr: Tr,
    pub(crate) results: ResultsView,
}

/// One choice of the schema filter.
pub(crate) struct SchemaOption {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) count: u64,
    pub(crate) selected: bool,
}

/// The results region: a summary, rows and pagination.
pub(crate) struct ResultsView {
    /// "1–20 of 57", or a sentence when there is nothing.
    pub(crate) summary: String,
    /// The rows.
    pub(crate) rows: Vec<ResultRow>,
    /// Link to the previous page.
    pub(crate) prev_href: Option<String>,
    /// Link to the next page.
    pub(crate) next_href: Option<String>,
}

/// One entity in the results.
pub(crate) struct ResultRow {
    pub(crate) href: String,
    pub(crate) caption: String,
    pub(crate) schema_label: String,
    pub(crate) countries: String,
    pub(crate) dataset: String,
    pub(crate) dataset_title: String,
    pub(crate) owner: String,
    pub(crate) owner_name: String,
}

/// The schema filter's choices: schemata with entities, by label, plus the
/// selected one even when it has none.
pub(crate) fn schema_options(model: &Model, by_schema: &[(String, u64)], selected: &str) -> Vec<SchemaOption> {
    let mut options: Vec<SchemaOption> = by_schema
        .iter()
        .map(|(name, count)| SchemaOption {
            name: name.clone(),
            label: model.schema(name).map(|s| s.plural.clone()).unwrap_or_else(|_| name.clone()),
            count: *count,
            selected: name == selected,
        })
        .collect();
    if !selected.is_empty() && !options.iter().any(|o| o.selected) {
        let label = model.schema(selected).map(|s| s.plural.clone()).unwrap_or_else(|_| selected.to_owned());
        options.push(SchemaOption { name: selected.to_owned(), label, count: 0, selected: true });
    }
    options.sort_by(|a, b| a.label.cmp(&b.label));
    options
}

/// The results region for one page of a search.
#[allow(clippy::too_many_arguments)]
pub(crate) fn results_view(
    tr: &Tr,
    model: &Model,
    dir: &Directory,
    page: &SearchPage,
    q: &str,
    schema: &str,
    limit: u32,
    offset: u32,
) -> ResultsView {
    let rows: Vec<ResultRow> = page
        .results
        .iter()
        .map(|e| {
            let mut countries: Vec<&str> = Vec::new();
            for (_, code) in e.values_of_type(model, PropertyType::Country) {
                if !countries.contains(&code) {
                    countries.push(code);
                }
            }
            let owner = &e.provenance.owner.agency;
            let dataset = &e.provenance.source.dataset;
            ResultRow {
                href: entity_href(&e.id),
                caption: e.caption(model),
                schema_label: model.schema(&e.schema).map(|s| s.label.clone()).unwrap_or_else(|_| e.schema.clone()),
                countries: countries.iter().map(|c| country_label(c)).collect::<Vec<_>>().join(", "),
                dataset: dataset.clone(),
                dataset_title: dir.source_title(dataset).unwrap_or_else(|| dataset.clone()),
                owner: owner.clone(),
                owner_name: dir.agency_name(owner),
            }
        })
        .collect();
    let shown = rows.len() as u64;
    let first = u64::from(offset) + 1;
    let last = u64::from(offset) + shown;
    let total = tr.number(page.total);
    let of = if page.total_is_exact { total } else { tr.t1("search-more-than", "n", total) };
    let range = |key: &str| {
        tr.ta(
            key,
            &[
                ("first", tr.number(first).into()),
                ("last", tr.number(last).into()),
                ("of", (&of).into()),
                ("q", q.into()),
            ],
        )
    };
    let summary = match (shown, q.is_empty()) {
        (0, _) if offset > 0 => tr.t1("search-none-more", "of", &of),
        (0, true) => tr.t("search-none-filter"),
        (0, false) => tr.t1("search-none-match", "q", q),
        (_, true) => range("search-range-newest"),
        (_, false) if !page.ranked => range("search-range-unranked"),
        (_, false) => range("search-range"),
    };
    let href = |offset: u32| {
        let offset = if offset == 0 { String::new() } else { offset.to_string() };
        format!("/{}", query_string(&[("q", q), ("schema", schema), ("offset", &offset)]))
    };
    let prev_href = (offset > 0).then(|| href(offset.saturating_sub(limit)));
    let more = last < page.total || !page.total_is_exact;
    let next_href = (shown > 0 && more).then(|| href(offset.saturating_add(limit)));
    ResultsView { summary, rows, prev_href, next_href }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_their_neighbours() {
        let model = Model::builtin();
        let mut e = veza_model::Entity::new("p1", "Person");
        e.add(model, "name", "Ana").unwrap();
        let page = SearchPage { total: 45, total_is_exact: true, ranked: true, results: vec![e; 20] };
        let v = results_view(&Tr::default(), model, &Directory::default(), &page, "ana", "", 20, 20);
        assert_eq!(v.summary, "21–40 of 45 for “ana”");
        let hr = crate::i18n::Tr::new(crate::i18n::Language::Hr);
        let v = results_view(&hr, model, &Directory::default(), &page, "ana", "", 20, 20);
        assert_eq!(v.summary, "21–40 od 45 za „ana”");
        assert_eq!(v.prev_href.as_deref(), Some("/?q=ana"));
        assert_eq!(v.next_href.as_deref(), Some("/?q=ana&offset=40"));
    }

    #[test]
    fn the_selected_schema_stays_selectable() {
        let opts = schema_options(Model::builtin(), &[("Person".into(), 3)], "Vehicle");
        assert!(opts.iter().any(|o| o.name == "Vehicle" && o.selected));
        assert!(opts.iter().any(|o| o.name == "Person" && !o.selected));
    }
}
