//! Reading, searching and creating entities.

use crate::{Access, AppError, Veza};
use serde::Deserialize;
use std::collections::BTreeMap;
use veza_model::{Entity, Handling, SourceRef};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{Caller, LinkView, Lookup, SearchFilters, SearchPage, SearchQuery, Source, Stats};

/// An entity as a client submits it: FtM JSON plus optional handling.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    /// Id; one is made when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Schema name.
    pub schema: String,
    /// Values by property.
    #[serde(default)]
    pub properties: BTreeMap<String, Vec<String>>,
    /// Who may see it; the owner's agency only when absent.
    #[serde(default)]
    pub handling: Option<Handling>,
    /// Stricter handling of single values: property → value → handling.
    #[serde(default)]
    pub value_handling: BTreeMap<String, BTreeMap<String, Handling>>,
}

/// Dataset of entities entered one by one through the API or the UI.
pub const MANUAL_DATASET: &str = "manual";

impl Veza {
    /// Searches names and identifiers. `schema` keeps that schema and its
    /// descendants. Audited as one consultation of the ids on the page, with
    /// the query as detail.
    pub async fn search(
        &self,
        access: &Access,
        text: &str,
        schema: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<SearchPage, AppError> {
        self.search_filtered(access, text, schema, &SearchFilters::default(), limit, offset).await
    }

    /// [`Veza::search`] narrowed by owner, owner's country, dataset and
    /// time of last change; the filters are named in the audit entry.
    pub async fn search_filtered(
        &self,
        access: &Access,
        text: &str,
        schema: Option<&str>,
        filters: &SearchFilters,
        limit: u32,
        offset: u32,
    ) -> Result<SearchPage, AppError> {
        let schemata = match schema.filter(|s| !s.is_empty()) {
            None => Vec::new(),
            Some(s) => {
                self.model
                    .schema(s)
                    .map_err(|e| AppError::Invalid { field: Some("schema".into()), message: e.to_string() })?;
                self.model.descendants(s).into_iter().map(str::to_owned).collect()
            }
        };
        if !(1..=500).contains(&limit) {
            return Err(AppError::Invalid {
                field: Some("limit".into()),
                message: "limit must be between 1 and 500".into(),
            });
        }
        let mut narrowed = Vec::new();
        if let Some(s) = schema.filter(|s| !s.is_empty()) {
            narrowed.push(format!("schema {s}"));
        }
        for (name, value) in
            [("owner", &filters.owner), ("country", &filters.owner_country), ("dataset", &filters.dataset)]
        {
            if let Some(v) = value {
                narrowed.push(format!("{name} {v}"));
            }
        }
        if let Some(t) = filters.changed_from {
            narrowed.push(format!("changed from {t}"));
        }
        if let Some(t) = filters.changed_to {
            narrowed.push(format!("changed before {t}"));
        }
        narrowed.push(format!("offset {offset}"));
        let detail = format!("search: {text} ({})", narrowed.join(", "));
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let query = SearchQuery { text: text.to_owned(), schemata, limit, offset, filters: filters.clone() };
        let page = self.store.search(&access.caller, &query).await?;
        let ids = page.results.iter().map(|e| e.id.clone()).collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
        Ok(page)
    }

    /// One entity as the caller may see it. Audited as a consultation;
    /// `denied` when the caller may not see it.
    pub async fn entity(&self, access: &Access, id: &str) -> Result<Lookup, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[id], "entity").await?;
        let lookup = self.store.entity(&access.caller, id).await?;
        let outcome = if matches!(lookup, Lookup::Found(_)) { AuditOutcome::Ok } else { AuditOutcome::Denied };
        self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], outcome, "entity").await?;
        Ok(lookup)
    }

    /// Looks up `id` for a read of its parts: the entity if the caller may
    /// see it; otherwise the `denied` entry is written and the error says
    /// restricted or not found.
    async fn visible_for(&self, access: &Access, id: &str, detail: &str) -> Result<Entity, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[id], detail).await?;
        let refused = match self.store.entity(&access.caller, id).await? {
            Lookup::Found(entity) => return Ok(entity),
            Lookup::Restricted { id, schema, owner_agency } => AppError::Restricted { id, schema, owner_agency },
            Lookup::NotFound => AppError::NotFound(format!("entity {id}")),
        };
        self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Denied, detail).await?;
        Err(refused)
    }

    /// The links of an entity the caller may see. Audited as one
    /// consultation of the entity and the visible other ends.
    pub async fn links(&self, access: &Access, id: &str) -> Result<Vec<LinkView>, AppError> {
        self.visible_for(access, id, "links").await?;
        let links = self.store.links(&access.caller, id).await?;
        let mut ids = vec![id.to_owned()];
        for l in &links {
            for other in [&l.via_id, &l.other_id] {
                if !ids.contains(other) {
                    ids.push(other.clone());
                }
            }
        }
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, "links").await?;
        Ok(links)
    }

    /// The value-level provenance of an entity the caller may see. Audited
    /// as a consultation.
    pub async fn statements(&self, access: &Access, id: &str) -> Result<Vec<veza_model::Statement>, AppError> {
        self.visible_for(access, id, "statements").await?;
        let statements = self.store.statements(&access.caller, id).await?;
        self.audit_access(access, AuditAction::Consult, vec![id.to_owned()], AuditOutcome::Ok, "statements").await?;
        Ok(statements)
    }

    /// Counts by schema, source and owner.
    pub async fn stats(&self, caller: &Caller) -> Result<Stats, AppError> {
        Ok(self.store.stats(caller).await?)
    }

    /// Validates and stores one new entity owned by the caller's agency.
    /// An id that exists already is a conflict: updates go through imports
    /// of the owning source. Audited as a collection (needs a purpose).
    pub async fn create_entity(&self, access: &Access, input: NewEntity) -> Result<Entity, AppError> {
        let caller = &access.caller;
        let asked: Vec<&str> = input.id.as_deref().into_iter().collect();
        self.purpose_of(access, AuditAction::Collect, &asked, "create").await?;
        let id = match input.id {
            Some(id) => id,
            None => format!("{MANUAL_DATASET}.{}", uuid::Uuid::new_v4().simple()),
        };
        if !matches!(self.store.entity(&Caller::system("create check"), &id).await?, Lookup::NotFound) {
            return Err(AppError::Conflict(format!("entity {id} exists already")));
        }
        let mut entity = Entity::new(id, input.schema);
        entity.provenance.owner = self.owner_for(caller, None).await?;
        entity.provenance.source = SourceRef { dataset: MANUAL_DATASET.into(), record: None };
        entity.provenance.exercise = caller.exercise().map(str::to_owned);
        if let Some(h) = input.handling {
            entity.handling =
                h.validated().map_err(|m| AppError::Invalid { field: Some("handling".into()), message: m })?;
        }
        let raw: Vec<(&str, &str)> =
            input.properties.iter().flat_map(|(p, vs)| vs.iter().map(move |v| (p.as_str(), v.as_str()))).collect();
        let mut problems = Vec::new();
        if let Err(errs) = entity.add_all(self.model, raw) {
            problems.extend(errs);
        }
        for (prop, values) in &input.value_handling {
            for (raw, h) in values {
                let restricted = h
                    .clone()
                    .validated()
                    .map_err(|m| AppError::Invalid { field: Some(format!("value_handling.{prop}")), message: m })?;
                if let Err(e) = entity.restrict(self.model, prop, raw, restricted) {
                    problems.push(e);
                }
            }
        }
        entity.complete(self.model);
        if problems.is_empty() {
            if let Err(errs) = entity.validate(self.model) {
                problems.extend(errs);
            }
            problems.extend(entity.missing_required(self.model));
        }
        if let Some(first) = problems.first() {
            return Err(AppError::Invalid { field: Some(field_of(first)), message: first.to_string() });
        }
        self.ensure_source(MANUAL_DATASET, "Entered by hand", "manual", &entity.provenance.owner.agency).await?;
        self.audit_access(
            access,
            AuditAction::Collect,
            vec![entity.id.clone()],
            AuditOutcome::Ok,
            &format!("created {} by hand", entity.schema),
        )
        .await?;
        self.store.write_entities(caller, std::slice::from_ref(&entity)).await?;
        self.screening.touch();
        match self.store.entity(caller, &entity.id).await? {
            Lookup::Found(stored) => Ok(stored),
            _ => Ok(entity),
        }
    }

    /// Creates the source `dataset` if it does not exist yet.
    pub async fn ensure_source(
        &self,
        dataset: &str,
        title: &str,
        kind: &str,
        owner_agency: &str,
    ) -> Result<(), AppError> {
        if self.store.sources().await?.iter().any(|s| s.dataset == dataset) {
            return Ok(());
        }
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.store
            .put_source(&Source {
                dataset: dataset.into(),
                title: title.into(),
                kind: kind.into(),
                owner_agency: owner_agency.into(),
                created_at: now.clone(),
                updated_at: now,
            })
            .await?;
        Ok(())
    }
}

/// The field an entity error is about, as the API names it.
fn field_of(e: &veza_model::ModelError) -> String {
    use veza_model::ModelError as M;
    match e {
        M::UnknownSchema(_) | M::AbstractSchema(_) => "schema".into(),
        M::UnknownProperty { property, .. } | M::MissingRequired { property, .. } => {
            format!("properties.{}", property.split(' ').next().unwrap_or(property))
        }
        M::InvalidValue { property, .. } => format!("properties.{property}"),
        M::InvalidId(_) => "id".into(),
        _ => "entity".into(),
    }
}
