//! The search page: the form, and the results table that htmx swaps alone.

use super::{DayRange, Directory, Layout, country_label, entity_href, query_string};
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
    /// What was asked: text and filters, as typed.
    pub(crate) form: SearchForm,
    /// The day-of-change filter, with the reason beside a field that is not a date.
    pub(crate) days: DayRange,
    /// Whether any filter beyond the text is set.
    pub(crate) filtered: bool,
    /// The schemata that have entities, for the filter.
    pub(crate) schema_options: Vec<SchemaOption>,
    /// Owning agencies of visible records.
    pub(crate) owner_options: Vec<SchemaOption>,
    /// Countries of those agencies.
    pub(crate) country_options: Vec<SchemaOption>,
    /// Source datasets of visible records.
    pub(crate) dataset_options: Vec<SchemaOption>,
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

/// The search form as the user filled it in.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchForm {
    pub(crate) q: String,
    pub(crate) schema: String,
    pub(crate) owner: String,
    pub(crate) country: String,
    pub(crate) dataset: String,
    /// Changed on or after (YYYY-MM-DD).
    pub(crate) from: String,
    /// Changed on or before (YYYY-MM-DD).
    pub(crate) to: String,
}

impl SearchForm {
    /// The form as query parameters (empty ones left out), for links.
    pub(crate) fn query(&self, offset: &str) -> String {
        query_string(&[
            ("q", &self.q),
            ("schema", &self.schema),
            ("owner", &self.owner),
            ("country", &self.country),
            ("dataset", &self.dataset),
            ("from", &self.from),
            ("to", &self.to),
            ("offset", offset),
        ])
    }

    /// Whether a filter beyond the text is set.
    pub(crate) fn filtered(&self) -> bool {
        [&self.schema, &self.owner, &self.country, &self.dataset, &self.from, &self.to].iter().any(|v| !v.is_empty())
    }
}

/// Choices from counts: (value, label) by label, with the selected value
/// kept even when it has no records.
fn options(counts: Vec<(String, String, u64)>, selected: &str) -> Vec<SchemaOption> {
    let mut options: Vec<SchemaOption> = counts
        .into_iter()
        .map(|(name, label, count)| SchemaOption { selected: name == selected, name, label, count })
        .collect();
    if !selected.is_empty() && !options.iter().any(|o| o.selected) {
        options.push(SchemaOption { name: selected.to_owned(), label: selected.to_owned(), count: 0, selected: true });
    }
    options.sort_by(|a, b| a.label.cmp(&b.label));
    options
}

/// The owner filter's choices: agencies owning visible records.
pub(crate) fn owner_options(dir: &Directory, by_owner: &[(String, u64)], selected: &str) -> Vec<SchemaOption> {
    options(by_owner.iter().map(|(code, n)| (code.clone(), dir.agency_name(code), *n)).collect(), selected)
}

/// The country filter's choices: the countries of those agencies, summed.
pub(crate) fn country_options(dir: &Directory, by_owner: &[(String, u64)], selected: &str) -> Vec<SchemaOption> {
    let mut by_country: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (code, n) in by_owner {
        if let Some(c) = dir.agency_country(code) {
            *by_country.entry(c.to_owned()).or_default() += n;
        }
    }
    options(by_country.into_iter().map(|(c, n)| (c.clone(), country_label(&c), n)).collect(), selected)
}

/// The dataset filter's choices.
pub(crate) fn dataset_options(dir: &Directory, by_source: &[(String, u64)], selected: &str) -> Vec<SchemaOption> {
    options(
        by_source.iter().map(|(d, n)| (d.clone(), dir.source_title(d).unwrap_or_else(|| d.clone()), *n)).collect(),
        selected,
    )
}

/// The counts behind the search page's filter choices (visible records by
/// type, dataset and owner), per caller, kept for a minute: counting a
/// million visible records costs about a second, and the choices need not
/// follow every write. Results are never cached.
#[derive(Default)]
pub(crate) struct FilterCounts {
    by_caller: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, veza_app::Stats)>>,
}

/// How long filter counts are kept.
const COUNTS_KEPT: std::time::Duration = std::time::Duration::from_secs(60);

impl FilterCounts {
    /// The caller's counts, from the cache when fresh, else from the store.
    pub(crate) async fn of(
        &self,
        app: &veza_app::Veza,
        caller: &veza_app::Caller,
    ) -> Result<veza_app::Stats, veza_app::AppError> {
        // The caller's whole standing (agency, roles, cases, grants, exercise) is the key.
        let key = format!("{caller:?}");
        {
            let map = self.by_caller.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, stats)) = map.get(&key).filter(|(at, _)| at.elapsed() < COUNTS_KEPT) {
                return Ok(stats.clone());
            }
        }
        let stats = app.stats(caller).await?;
        let mut map = self.by_caller.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 1_000 {
            map.retain(|_, (at, _)| at.elapsed() < COUNTS_KEPT);
        }
        map.insert(key, (std::time::Instant::now(), stats.clone()));
        Ok(stats)
    }
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
    /// The rows, grouped by schema: groups in the order of their best
    /// result, each keeping the results' order.
    pub(crate) groups: Vec<ResultGroup>,
    /// Link to the previous page.
    pub(crate) prev_href: Option<String>,
    /// Link to the next page.
    pub(crate) next_href: Option<String>,
}

/// The results of one schema on a page.
pub(crate) struct ResultGroup {
    /// The schema's plural label.
    pub(crate) label: String,
    pub(crate) rows: Vec<ResultRow>,
}

/// One entity in the results.
pub(crate) struct ResultRow {
    /// Who may see it, in words.
    pub(crate) handling: String,
    /// The owner's conditions on use, if any.
    pub(crate) caveats: String,
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
pub(crate) fn schema_options(tr: &Tr, model: &Model, by_schema: &[(String, u64)], selected: &str) -> Vec<SchemaOption> {
    let mut options: Vec<SchemaOption> = by_schema
        .iter()
        .map(|(name, count)| SchemaOption {
            name: name.clone(),
            label: tr.plural_named(model, name),
            count: *count,
            selected: name == selected,
        })
        .collect();
    if !selected.is_empty() && !options.iter().any(|o| o.selected) {
        let label = tr.plural_named(model, selected);
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
    form: &SearchForm,
    limit: u32,
    offset: u32,
) -> ResultsView {
    let q = form.q.as_str();
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
                handling: tr.t(match e.handling.visibility {
                    veza_model::Visibility::Agency => "visibility-agency",
                    veza_model::Visibility::Country => "visibility-country",
                    veza_model::Visibility::Countries => "visibility-countries",
                    veza_model::Visibility::All => "visibility-all",
                }),
                caveats: e.handling.caveats.join("; "),
                href: entity_href(&e.id),
                caption: e.caption(model),
                schema_label: tr.schema_named(model, &e.schema),
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
        (0, true) if !form.filtered() => tr.t("search-none-yet"),
        (0, true) => tr.t("search-none-filter"),
        (0, false) => tr.t1("search-none-match", "q", q),
        (_, true) => range("search-range-newest"),
        (_, false) if !page.ranked => range("search-range-unranked"),
        (_, false) => range("search-range"),
    };
    let href = |offset: u32| {
        let offset = if offset == 0 { String::new() } else { offset.to_string() };
        format!("/search{}", form.query(&offset))
    };
    let prev_href = (offset > 0).then(|| href(offset.saturating_sub(limit)));
    let more = last < page.total || !page.total_is_exact;
    let next_href = (shown > 0 && more).then(|| href(offset.saturating_add(limit)));
    let mut groups: Vec<ResultGroup> = Vec::new();
    for (row, e) in rows.into_iter().zip(&page.results) {
        let label = tr.plural_named(model, &e.schema);
        match groups.iter_mut().find(|g| g.label == label) {
            Some(g) => g.rows.push(row),
            None => groups.push(ResultGroup { label, rows: vec![row] }),
        }
    }
    ResultsView { summary, groups, prev_href, next_href }
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
        let form = SearchForm { q: "ana".into(), owner: "rs-bp".into(), ..SearchForm::default() };
        let v = results_view(&Tr::default(), model, &Directory::default(), &page, &form, 20, 20);
        assert_eq!(v.summary, "21–40 of 45 for “ana”");
        assert_eq!(v.prev_href.as_deref(), Some("/search?q=ana&owner=rs-bp"));
        assert_eq!(v.next_href.as_deref(), Some("/search?q=ana&owner=rs-bp&offset=40"));
        let hr = crate::i18n::Tr::new(crate::i18n::Language::Hr);
        let v = results_view(&hr, model, &Directory::default(), &page, &form, 20, 20);
        assert_eq!(v.summary, "21–40 od 45 za „ana”");
    }

    #[test]
    fn the_selected_schema_stays_selectable() {
        let opts = schema_options(&Tr::default(), Model::builtin(), &[("Person".into(), 3)], "Vehicle");
        assert!(opts.iter().any(|o| o.name == "Vehicle" && o.selected));
        assert!(opts.iter().any(|o| o.name == "Person" && !o.selected));
    }
}
