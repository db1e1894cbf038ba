//! Reading, searching and creating entities.

use crate::{AppError, Veza};
use serde::Deserialize;
use std::collections::BTreeMap;
use veza_model::{Entity, Handling, SourceRef};
use veza_store::{Caller, LinkView, Lookup, SearchPage, SearchQuery, Source, Stats};

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
}

/// Dataset of entities entered one by one through the API or the UI.
pub const MANUAL_DATASET: &str = "manual";

impl Veza {
    /// Searches names and identifiers. `schema` keeps that schema and its
    /// descendants.
    pub async fn search(
        &self,
        caller: &Caller,
        text: &str,
        schema: Option<&str>,
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
        let query = SearchQuery { text: text.to_owned(), schemata, limit, offset };
        Ok(self.store.search(caller, &query).await?)
    }

    /// One entity as the caller may see it.
    pub async fn entity(&self, caller: &Caller, id: &str) -> Result<Lookup, AppError> {
        Ok(self.store.entity(caller, id).await?)
    }

    /// The links of an entity the caller may see.
    pub async fn links(&self, caller: &Caller, id: &str) -> Result<Vec<LinkView>, AppError> {
        match self.store.entity(caller, id).await? {
            Lookup::Found(_) => Ok(self.store.links(caller, id).await?),
            _ => Err(AppError::NotFound(format!("entity {id}"))),
        }
    }

    /// The value-level provenance of an entity.
    pub async fn statements(&self, caller: &Caller, id: &str) -> Result<Vec<veza_model::Statement>, AppError> {
        Ok(self.store.statements(caller, id).await?)
    }

    /// Counts by schema, source and owner.
    pub async fn stats(&self, caller: &Caller) -> Result<Stats, AppError> {
        Ok(self.store.stats(caller).await?)
    }

    /// Validates and stores one new entity owned by the caller's agency.
    /// An id that exists already is a conflict: updates go through imports
    /// of the owning source.
    pub async fn create_entity(&self, caller: &Caller, input: NewEntity) -> Result<Entity, AppError> {
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
        self.store.write_entities(caller, std::slice::from_ref(&entity)).await?;
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
