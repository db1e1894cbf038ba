//! Screening in the platform: persons against watchlists (notices, national
//! lists, the case database itself) and documents against lost/stolen lists.
//!
//! A watchlist is a dataset (a source), or `default`: every dataset. Its
//! in-memory index ([`veza_screen::Watchlist`] and
//! [`veza_screen::DocumentIndex`]) is built by the platform from the stored
//! records, from unrestricted values only (a value its owner marked apart is
//! never a key), and shared by all callers. The policy applies to results,
//! not to the index: every candidate is looked up in the store *as the
//! caller* before it is shown, so a record the caller may not see never
//! appears, nor changes a count. Each check is one audit entry
//! (consultation): the purpose, the number of queries, the ids of the hits
//! shown.
//!
//! Freshness: writes through this platform mark every index stale; a stale
//! index of up to [`SYNC_REBUILD_MAX`] entries is rebuilt before the check,
//! a larger one in the background while the old one answers. Writes by
//! another process (a CLI import next to a running server) are picked up
//! within [`MAX_AGE`]. A stale index can miss a record written seconds ago,
//! never show one the caller may not see or that was erased (the look-up
//! finds nothing).

use crate::{Access, AppError, Veza};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use veza_model::Entity;
use veza_screen::{
    BirthDate, DocumentIndex, DocumentMatchKind, Gender, Hit, Person, ScreenOptions, VehicleIndex, Watchlist,
};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{Caller, Lookup};

/// The watchlist of every dataset.
pub const DEFAULT_WATCHLIST: &str = "default";
/// Most queries in one check.
pub const MAX_SCREEN_BATCH: usize = 1_000;
/// Most results per query.
pub const MAX_SCREEN_LIMIT: usize = 100;
/// Most documents in one check.
pub const MAX_DOCUMENT_BATCH: usize = 10_000;
/// An index older than this is rebuilt (in the background) on its next use.
pub const MAX_AGE: Duration = Duration::from_secs(300);
/// A stale index this small is rebuilt before answering; a larger one in the
/// background.
pub const SYNC_REBUILD_MAX: usize = 50_000;
/// Entities read per round trip while building.
const PAGE: u32 = 5_000;

thread_local! {
    /// The screening engine's work space of this thread, reused between checks.
    static SCRATCH: std::cell::RefCell<veza_screen::Scratch> = std::cell::RefCell::new(veza_screen::Scratch::default());
}

/// Runs `f` with this thread's screening work space (operations' checks use it too).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut veza_screen::Scratch) -> R) -> R {
    SCRATCH.with(|scratch| f(&mut scratch.borrow_mut()))
}

/// One watchlist's index.
pub(crate) struct WatchlistIndex {
    generation: u64,
    built: Instant,
    pub(crate) persons: Watchlist,
    pub(crate) documents: DocumentIndex,
    pub(crate) document_ids: Vec<String>,
    pub(crate) vehicles: VehicleIndex,
    pub(crate) vehicle_ids: Vec<String>,
}

impl WatchlistIndex {
    fn entries(&self) -> usize {
        self.persons.len() + self.document_ids.len() + self.vehicle_ids.len()
    }
}

/// The platform's watchlist indexes, by dataset.
#[derive(Default)]
pub(crate) struct ScreeningCache {
    generation: AtomicU64,
    indexes: tokio::sync::Mutex<HashMap<String, Arc<WatchlistIndex>>>,
    rebuilding: std::sync::Mutex<std::collections::HashSet<String>>,
    // Serialises first builds so concurrent first checks build once.
    building: tokio::sync::Mutex<()>,
    warned: AtomicBool,
}

impl ScreeningCache {
    /// Marks every index stale: records were written.
    pub(crate) fn touch(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }
}

/// One person to screen, in the words of the platform's API.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenQuery {
    /// The caller's id for the query, echoed in the answer.
    #[serde(default)]
    pub id: Option<String>,
    /// The name as written, any script or order.
    #[serde(default)]
    pub name: Option<String>,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Birth dates, ISO 8601, possibly partial (`1980`, `1980-05`).
    #[serde(default)]
    pub birth_date: Vec<String>,
    /// `M`, `F` (or `male`, `female`).
    #[serde(default)]
    pub gender: Option<String>,
    /// Nationalities, ISO 3166-1 alpha-2.
    #[serde(default)]
    pub nationality: Vec<String>,
    /// Identity document numbers.
    #[serde(default)]
    pub document_number: Vec<String>,
}

/// A result of a check, as the caller may see it.
#[derive(Debug, Clone, Serialize)]
pub struct ScreenResult {
    /// The matched record's id.
    pub id: String,
    /// Its caption.
    pub caption: String,
    /// Its schema.
    pub schema: String,
    /// Its values, as the caller may see them.
    pub properties: std::collections::BTreeMap<String, Vec<String>>,
    /// Its dataset.
    pub datasets: Vec<String>,
    /// The owning agency, who must confirm the hit before anyone acts on it.
    pub owner_agency: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Whether the score reached the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Why, per feature.
    pub explanations: veza_screen::Explanation,
}

/// The results of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryResults {
    /// The query's id.
    pub query_id: String,
    /// Best first.
    pub results: Vec<ScreenResult>,
}

/// A document to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// The caller's id for the document, echoed.
    #[serde(default)]
    pub id: Option<String>,
    /// The number as read (spaces, dashes, case do not matter).
    pub number: String,
    /// Issuing country, ISO 3166-1 alpha-2, when known.
    #[serde(default)]
    pub country: Option<String>,
}

/// A lost/stolen report a document matched.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentHit {
    /// The report's id.
    pub id: String,
    /// Its caption.
    pub caption: String,
    /// `exact`, or `ocr_confusion` (the same number once O/0, I/1, S/5, B/8
    /// are folded: possibly a misread, to be checked by eye).
    pub kind: DocumentMatchKind,
    /// The report's values, as the caller may see them.
    pub properties: std::collections::BTreeMap<String, Vec<String>>,
    /// The owning agency, who must confirm the hit.
    pub owner_agency: String,
}

/// The hits of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentResults {
    /// The document's id (or its position).
    pub query_id: String,
    /// The number checked.
    pub number: String,
    /// Reports found, exact ones first.
    pub hits: Vec<DocumentHit>,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.into()), message: message.into() }
}

impl ScreenQuery {
    /// The engine's person for this query; errors name the field.
    pub fn to_person(&self, field: &str, fallback_id: &str) -> Result<Person, AppError> {
        let mut p = Person { id: self.id.clone().unwrap_or_else(|| fallback_id.to_owned()), ..Person::default() };
        p.names.extend(self.name.iter().chain(&self.aliases).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()));
        if p.names.is_empty() && self.document_number.is_empty() {
            return Err(invalid(format!("{field}.name"), "a query needs a name or a document number"));
        }
        for (i, d) in self.birth_date.iter().enumerate() {
            let date = BirthDate::parse(d).map_err(|e| {
                invalid(
                    format!("{field}.birth_date[{i}]"),
                    format!("'{d}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {e}"),
                )
            })?;
            p.birth_dates.push(date);
        }
        if let Some(g) = self.gender.as_deref().filter(|g| !g.trim().is_empty()) {
            p.gender = Some(
                Gender::parse(g).ok_or_else(|| invalid(format!("{field}.gender"), format!("'{g}' is not M or F")))?,
            );
        }
        for (i, c) in self.nationality.iter().enumerate() {
            let code = veza_model::types::clean_country(c).ok_or_else(|| {
                invalid(format!("{field}.nationality[{i}]"), format!("'{c}' is not an ISO 3166-1 alpha-2 code"))
            })?;
            p.nationalities.push(code);
        }
        p.documents.extend(self.document_number.iter().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()));
        Ok(p)
    }
}

impl ScreenQuery {
    /// The query FtM properties make (`get` gives a property's values):
    /// names from `name`, `alias`, `previousName` and, when there are
    /// parts, "firstName secondName middleName fatherName lastName"; dates
    /// from `birthDate`; `gender`; `nationality` and `citizenship`;
    /// documents from `passportNumber` and `idNumber`. The one mapping of
    /// FtM to screening, for stored records and yente queries alike.
    pub fn from_ftm<'a>(id: &str, get: impl Fn(&str) -> &'a [String]) -> ScreenQuery {
        let mut names: Vec<String> = Vec::new();
        for v in ["name", "alias", "previousName"].iter().flat_map(|p| get(p)) {
            if !names.contains(v) {
                names.push(v.clone());
            }
        }
        let parts: Vec<&str> = ["firstName", "secondName", "middleName", "fatherName", "lastName"]
            .iter()
            .filter_map(|p| get(p).first().map(String::as_str))
            .collect();
        if !parts.is_empty() {
            let full = parts.join(" ");
            if !names.contains(&full) {
                names.push(full);
            }
        }
        let mut nationality = get("nationality").to_vec();
        nationality.extend(get("citizenship").iter().filter(|c| !get("nationality").contains(c)).cloned());
        let mut document_number = get("passportNumber").to_vec();
        document_number.extend(get("idNumber").iter().cloned());
        ScreenQuery {
            id: Some(id.to_owned()),
            name: None,
            aliases: names,
            birth_date: get("birthDate").to_vec(),
            gender: get("gender").first().cloned(),
            nationality,
            document_number,
        }
    }

    /// The engine's person for a stored record: values the engine cannot
    /// use (a gender "other") are left out rather than refused.
    fn to_entry(&self) -> Person {
        Person {
            id: self.id.clone().unwrap_or_default(),
            names: self.aliases.clone(),
            birth_dates: self.birth_date.iter().filter_map(|d| BirthDate::parse(d).ok()).collect(),
            gender: self.gender.as_deref().and_then(Gender::parse),
            nationalities: self.nationality.clone(),
            documents: self.document_number.clone(),
        }
    }
}

/// The screening person a stored record makes, if it names one: persons
/// and notices, from their unrestricted values.
pub(crate) fn person_of(model: &veza_model::Model, e: &Entity) -> Option<Person> {
    let schema = model.schema(&e.schema).ok()?;
    if !(schema.is_a("Person") || schema.is_a("Notice")) {
        return None;
    }
    let p = ScreenQuery::from_ftm(&e.id, |prop| e.values(prop)).to_entry();
    (!p.names.is_empty()).then_some(p)
}

/// A lost/stolen report in force: (number, issuing country).
pub(crate) fn report_of(model: &veza_model::Model, e: &Entity) -> Option<(String, Option<String>)> {
    let schema = model.schema(&e.schema).ok()?;
    if !schema.is_a("DocumentStatus") || e.first("recordStatus") == Some("withdrawn") {
        return None;
    }
    Some((e.first("documentNumber")?.to_owned(), e.first("issuingCountry").map(str::to_owned)))
}

/// A vehicle to look for: (registration number, registration country) of
/// a `Vehicle` (or a schema extending it) that names its registration. The
/// model has no stolen/wanted status on vehicles: a vehicle is looked for
/// because it is on a watchlist (a stolen-vehicles list) or in the case
/// database.
pub(crate) fn vehicle_of(model: &veza_model::Model, e: &Entity) -> Option<(String, Option<String>)> {
    let schema = model.schema(&e.schema).ok()?;
    if !schema.is_a("Vehicle") {
        return None;
    }
    Some((e.first("registrationNumber")?.to_owned(), e.first("country").map(str::to_owned)))
}

impl Veza {
    /// The datasets a check may name: `default` and every source.
    pub async fn watchlists(&self) -> Result<Vec<String>, AppError> {
        let mut names = vec![DEFAULT_WATCHLIST.to_owned()];
        names.extend(self.store.sources().await?.into_iter().map(|s| s.dataset));
        Ok(names)
    }

    /// Screens persons against a watchlist. Each query gets at most `limit`
    /// results at or above `threshold`, best first, of records the caller
    /// may see. One audit entry for the whole check.
    pub async fn screen(
        &self,
        access: &Access,
        dataset: &str,
        queries: &[Person],
        threshold: f64,
        limit: usize,
    ) -> Result<Vec<QueryResults>, AppError> {
        if queries.is_empty() || queries.len() > MAX_SCREEN_BATCH {
            return Err(invalid("queries", format!("a check has 1–{MAX_SCREEN_BATCH} queries, not {}", queries.len())));
        }
        if !(0.0..=1.0).contains(&threshold) {
            return Err(invalid("threshold", format!("threshold is between 0 and 1, not {threshold}")));
        }
        if !(1..=MAX_SCREEN_LIMIT).contains(&limit) {
            return Err(invalid("limit", format!("limit is 1–{MAX_SCREEN_LIMIT}, not {limit}")));
        }
        let detail = format!("screening against {dataset}: {} queries", queries.len());
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let index = self.watchlist_index(&realm_key(dataset, access.caller.exercise())).await?;
        // Ask the engine for more than the limit: some candidates may be
        // records the caller may not see.
        let options = ScreenOptions { threshold, limit: (limit * 4).max(limit + 8), ..ScreenOptions::default() };
        // Each thread keeps its work space: a fresh one per check would zero
        // a slot per watchlist entry every time. One query (a fraction of a
        // millisecond) is screened where the request runs; handing it to a
        // blocking thread would cost more in thread switches than it takes.
        let raw: Vec<Vec<Hit>> = if queries.len() == 1 {
            with_scratch(|scratch| queries.iter().map(|q| index.persons.screen_with(q, &options, scratch)).collect())
        } else {
            let queries_owned = queries.to_vec();
            let engine = Arc::clone(&index);
            tokio::task::spawn_blocking(move || {
                with_scratch(|scratch| {
                    queries_owned.iter().map(|q| engine.persons.screen_with(q, &options, scratch)).collect()
                })
            })
            .await
            .map_err(|e| AppError::Internal(format!("screening task: {e}")))?
        };
        let mut out = Vec::with_capacity(queries.len());
        let mut shown = Vec::new();
        let visible = self.visible_hits(&access.caller, &raw, limit).await?;
        for (query, hits) in queries.iter().zip(raw) {
            let mut results = Vec::new();
            for hit in hits {
                if results.len() == limit {
                    break;
                }
                let Some(entity) = visible.get(&hit.id).cloned() else { continue };
                shown.push(entity.id.clone());
                results.push(ScreenResult {
                    caption: entity.caption(self.model),
                    datasets: vec![entity.provenance.source.dataset.clone()],
                    owner_agency: entity.provenance.owner.agency.clone(),
                    id: entity.id,
                    schema: entity.schema,
                    properties: entity.properties,
                    score: hit.score,
                    is_match: hit.is_match,
                    explanations: hit.explanations,
                });
            }
            out.push(QueryResults { query_id: query.id.clone(), results });
        }
        shown.sort();
        shown.dedup();
        let detail = format!("{detail}, {} records shown", shown.len());
        self.audit_access(access, AuditAction::Consult, shown, AuditOutcome::Ok, &detail).await?;
        Ok(out)
    }

    /// Checks documents against the lost/stolen reports of a watchlist:
    /// exact look-ups by number and issuing country, and OCR-confusion
    /// matches flagged as such. One audit entry for the whole check.
    pub async fn check_documents(
        &self,
        access: &Access,
        dataset: &str,
        documents: &[DocumentQuery],
    ) -> Result<Vec<DocumentResults>, AppError> {
        if documents.is_empty() || documents.len() > MAX_DOCUMENT_BATCH {
            return Err(invalid(
                "documents",
                format!("a check has 1–{MAX_DOCUMENT_BATCH} documents, not {}", documents.len()),
            ));
        }
        let mut countries = Vec::with_capacity(documents.len());
        for (i, d) in documents.iter().enumerate() {
            if veza_text::normalise_identifier(&d.number).len() < 4 {
                return Err(invalid(
                    format!("documents[{i}].number"),
                    format!("'{}' is too short to be a document number (at least 4 letters or digits)", d.number),
                ));
            }
            let country = match d.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => None,
                Some(c) => Some(veza_model::types::clean_country(c).ok_or_else(|| {
                    invalid(format!("documents[{i}].country"), format!("'{c}' is not an ISO 3166-1 alpha-2 code"))
                })?),
            };
            countries.push(country);
        }
        let detail = format!("document check against {dataset}: {} documents", documents.len());
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let index = self.watchlist_index(&realm_key(dataset, access.caller.exercise())).await?;
        let mut out = Vec::with_capacity(documents.len());
        let mut shown = Vec::new();
        let mut found = Vec::new();
        for (i, (d, country)) in documents.iter().zip(&countries).enumerate() {
            found.clear();
            index.documents.find_into(&d.number, country.as_deref(), &mut found);
            let mut hits = Vec::new();
            let ids: Vec<String> =
                found.iter().filter_map(|m| index.document_ids.get(m.record as usize).cloned()).collect();
            let visible = self.visible_all(&access.caller, &ids).await?;
            for m in &found {
                let Some(id) = index.document_ids.get(m.record as usize) else { continue };
                let Some(entity) = visible.get(id).cloned() else { continue };
                shown.push(entity.id.clone());
                hits.push(DocumentHit {
                    caption: entity.caption(self.model),
                    owner_agency: entity.provenance.owner.agency.clone(),
                    id: entity.id,
                    kind: m.kind,
                    properties: entity.properties,
                });
            }
            out.push(DocumentResults {
                query_id: d.id.clone().unwrap_or_else(|| i.to_string()),
                number: d.number.clone(),
                hits,
            });
        }
        shown.sort();
        shown.dedup();
        let detail = format!("{detail}, {} reports shown", shown.len());
        self.audit_access(access, AuditAction::Consult, shown, AuditOutcome::Ok, &detail).await?;
        Ok(out)
    }

    /// The record as the caller may see it, or `None`.
    async fn visible_all(&self, caller: &Caller, ids: &[String]) -> Result<HashMap<String, Entity>, AppError> {
        Ok(self
            .store
            .entities(caller, ids)
            .await?
            .into_iter()
            .filter_map(|l| match l {
                Lookup::Found(e) => Some((e.id.clone(), e)),
                _ => None,
            })
            .collect())
    }

    /// The records behind the engine's hits that the caller may see, read in
    /// as few batches as the policy allows: first the best `limit` of each
    /// query, then, only for queries where some of those were hidden, the
    /// next ones.
    async fn visible_hits(
        &self,
        caller: &Caller,
        raw: &[Vec<Hit>],
        limit: usize,
    ) -> Result<HashMap<String, Entity>, AppError> {
        let mut visible = HashMap::new();
        let mut asked: HashSet<String> = HashSet::new();
        let mut window = limit;
        loop {
            let mut ids = Vec::new();
            for hits in raw {
                let shown = hits.iter().filter(|h| visible.contains_key(&h.id)).count();
                if shown >= limit {
                    continue;
                }
                ids.extend(hits.iter().take(window).filter(|h| asked.insert(h.id.clone())).map(|h| h.id.clone()));
            }
            if ids.is_empty() {
                return Ok(visible);
            }
            visible.extend(self.visible_all(caller, &ids).await?);
            window += limit;
        }
    }

    /// The index of `dataset`, fresh enough (see the module's comment).
    pub(crate) async fn watchlist_index(&self, key: &str) -> Result<Arc<WatchlistIndex>, AppError> {
        // A dataset indexed once exists (sources are never removed): only a
        // new name costs a look-up in the directory.
        let indexed = self.screening.indexes.lock().await.contains_key(key);
        let (dataset, _) = split_realm_key(key);
        if dataset != DEFAULT_WATCHLIST && !indexed && !self.store.sources().await?.iter().any(|s| s.dataset == dataset)
        {
            return Err(AppError::NotFound(format!(
                "watchlist '{dataset}': no such dataset; use '{DEFAULT_WATCHLIST}' or one of GET /api/v1/watchlists"
            )));
        }
        let cache = &self.screening;
        let generation = cache.generation.load(Ordering::Relaxed);
        let current = cache.indexes.lock().await.get(key).cloned();
        if let Some(ix) = &current {
            let fresh = ix.generation == generation && ix.built.elapsed() < MAX_AGE;
            if fresh {
                return Ok(Arc::clone(ix));
            }
            if ix.entries() > SYNC_REBUILD_MAX {
                self.rebuild_in_background(key);
                return Ok(Arc::clone(ix));
            }
        }
        let _one_at_a_time = cache.building.lock().await;
        if let Some(ix) = cache.indexes.lock().await.get(key)
            && ix.generation == cache.generation.load(Ordering::Relaxed)
            && ix.built.elapsed() < MAX_AGE
        {
            return Ok(Arc::clone(ix));
        }
        let ix = Arc::new(self.build_watchlist(key).await?);
        cache.indexes.lock().await.insert(key.to_owned(), Arc::clone(&ix));
        Ok(ix)
    }

    fn rebuild_in_background(&self, dataset: &str) {
        {
            let Ok(mut running) = self.screening.rebuilding.lock() else { return };
            if !running.insert(dataset.to_owned()) {
                return;
            }
        }
        let veza = self.clone();
        let dataset = dataset.to_owned();
        tokio::spawn(async move {
            match veza.build_watchlist(&dataset).await {
                Ok(ix) => {
                    veza.screening.indexes.lock().await.insert(dataset.clone(), Arc::new(ix));
                }
                Err(e) => {
                    if !veza.screening.warned.swap(true, Ordering::Relaxed) {
                        tracing::warn!("rebuilding watchlist {dataset} failed: {e}");
                    }
                }
            }
            if let Ok(mut running) = veza.screening.rebuilding.lock() {
                running.remove(&dataset);
            }
        });
    }

    /// Reads every record of `dataset` (all datasets for `default`) as the
    /// platform and indexes its persons, lost/stolen reports and vehicles.
    async fn build_watchlist(&self, key: &str) -> Result<WatchlistIndex, AppError> {
        let (dataset, realm) = split_realm_key(key);
        let generation = self.screening.generation.load(Ordering::Relaxed);
        let platform = Caller::system("screening index");
        let mut persons = Vec::new();
        let mut documents = DocumentIndex::new();
        let mut document_ids = Vec::new();
        let mut vehicles = VehicleIndex::new();
        let mut vehicle_ids = Vec::new();
        let mut cursor = 0;
        loop {
            let (page, next) = self.store.scan(&platform, cursor, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for entity in &page {
                if (dataset != DEFAULT_WATCHLIST && entity.provenance.source.dataset != dataset)
                    || entity.provenance.exercise.as_deref() != realm
                {
                    continue;
                }
                let entity = entity.unrestricted();
                if let Some(p) = person_of(self.model, &entity) {
                    persons.push(p);
                } else if let Some((number, country)) = report_of(self.model, &entity) {
                    documents.insert(&number, country.as_deref(), document_ids.len() as u32);
                    document_ids.push(entity.id.clone());
                } else if let Some((registration, country)) = vehicle_of(self.model, &entity) {
                    vehicles.insert(&registration, country.as_deref(), vehicle_ids.len() as u32);
                    vehicle_ids.push(entity.id.clone());
                }
            }
            cursor = next;
        }
        let persons = tokio::task::spawn_blocking(move || Watchlist::build_parallel(&persons))
            .await
            .map_err(|e| AppError::Internal(format!("building the watchlist: {e}")))?;
        tracing::info!(
            dataset,
            persons = persons.len(),
            documents = document_ids.len(),
            vehicles = vehicle_ids.len(),
            "watchlist index built"
        );
        Ok(WatchlistIndex {
            generation,
            built: Instant::now(),
            persons,
            documents,
            document_ids,
            vehicles,
            vehicle_ids,
        })
    }
}

/// The cache key of a watchlist in a realm: the dataset for real work,
/// `dataset` + U+001F + the exercise for a table-top exercise. Each realm has
/// its own index, so exercise records never take a real check's candidate
/// slots (nor real records an exercise's).
pub(crate) fn realm_key(dataset: &str, exercise: Option<&str>) -> String {
    match exercise {
        None => dataset.to_owned(),
        Some(x) => format!("{dataset}\u{1f}{x}"),
    }
}

/// The dataset and realm of a [`realm_key`].
fn split_realm_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('\u{1f}') {
        Some((dataset, x)) => (dataset, Some(x)),
        None => (key, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_realm_has_its_own_watchlist_key() {
        assert_eq!(split_realm_key(&realm_key("default", None)), ("default", None));
        assert_eq!(split_realm_key(&realm_key("default", Some("ttx-1"))), ("default", Some("ttx-1")));
        assert_ne!(realm_key("default", Some("ttx-1")), realm_key("default", None));
    }

    #[test]
    fn queries_are_checked_field_by_field() {
        let field = |r: Result<Person, AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field.unwrap_or_default(),
            other => panic!("{other:?}"),
        };
        let q =
            ScreenQuery {
                name: Some("Ana Kovač".into()), birth_date: vec!["1987-13-01".into()], ..Default::default()
            };
        assert_eq!(field(q.to_person("persons[2]", "2")), "persons[2].birth_date[0]");
        let q = ScreenQuery { name: Some("Ana".into()), gender: Some("X".into()), ..Default::default() };
        assert_eq!(field(q.to_person("person", "0")), "person.gender");
        let q = ScreenQuery { name: Some("Ana".into()), nationality: vec!["Atlantis".into()], ..Default::default() };
        assert_eq!(field(q.to_person("person", "0")), "person.nationality[0]");
        assert_eq!(field(ScreenQuery::default().to_person("person", "0")), "person.name");
        let q = ScreenQuery {
            name: Some("Ђорђе Петровић".into()),
            birth_date: vec!["1980".into()],
            gender: Some("male".into()),
            nationality: vec!["RS".into()],
            ..Default::default()
        };
        let p = q.to_person("person", "7").unwrap();
        assert_eq!((p.id.as_str(), p.nationalities[0].as_str(), p.gender), ("7", "rs", Some(Gender::Male)));
    }

    #[test]
    fn persons_and_notices_are_indexed_from_their_names() {
        let model = veza_model::Model::builtin();
        let mut notice = Entity::new("n1", "Notice");
        for (p, v) in
            [("noticeType", "red"), ("firstName", "DRAGAN"), ("lastName", "STOJANOVIC"), ("birthDate", "1974")]
        {
            notice.add(model, p, v).unwrap();
        }
        let p = person_of(model, &notice).unwrap();
        assert_eq!(p.names, vec!["DRAGAN STOJANOVIC".to_owned()]);
        assert_eq!(p.birth_dates.len(), 1);
        let mut report = Entity::new("d1", "DocumentStatus");
        for (p, v) in [("documentNumber", "BA4471190"), ("status", "stolen"), ("issuingCountry", "al")] {
            report.add(model, p, v).unwrap();
        }
        assert!(person_of(model, &report).is_none());
        assert_eq!(report_of(model, &report), Some(("BA4471190".into(), Some("al".into()))));
        report.add(model, "recordStatus", "withdrawn").unwrap();
        assert_eq!(report_of(model, &report), None, "a withdrawn report is not checked");
        let nameless = Entity::new("p0", "Person");
        assert!(person_of(model, &nameless).is_none());
    }

    #[test]
    fn vehicles_are_indexed_by_registration_and_country() {
        let model = veza_model::Model::builtin();
        let mut car = Entity::new("v1", "Vehicle");
        for (p, v) in [("name", "Škoda Octavia"), ("registrationNumber", "SK-4471-AB"), ("country", "mk")] {
            car.add(model, p, v).unwrap();
        }
        assert_eq!(vehicle_of(model, &car), Some(("SK-4471-AB".into(), Some("mk".into()))));
        assert!(person_of(model, &car).is_none() && report_of(model, &car).is_none());
        let mut unregistered = Entity::new("v2", "Vehicle");
        unregistered.add(model, "name", "Trailer").unwrap();
        assert_eq!(vehicle_of(model, &unregistered), None, "nothing to look for without a registration");
        let mut person = Entity::new("p1", "Person");
        person.add(model, "name", "Ana").unwrap();
        assert_eq!(vehicle_of(model, &person), None);
    }
}
