//! Veza's persistence. One [`Store`] trait, two back ends: SQLite (embedded,
//! the default) and PostgreSQL (multi-node). Only this crate knows SQL.
//!
//! Every read of personal data takes the [`Caller`] and passes the policy in
//! [`policy`]: a caller sees an entity only where its owner's handling allows.
//!
//! ```no_run
//! # async fn demo() -> Result<(), veza_store::StoreError> {
//! let store = veza_store::open("sqlite://./veza-data/veza.db").await?;
//! let page = store.search(&veza_store::Caller::system("doc"), &veza_store::SearchQuery::text("petrovic")).await?;
//! println!("{} hits", page.total);
//! # Ok(()) }
//! ```

pub mod academy;
pub mod audit;
mod batch;
pub mod casefile;
pub mod casework;
pub mod charts;
pub mod cohorts;
mod common;
pub mod directory;
mod error;
pub mod exercise;
pub mod field_checks;
pub mod identity;
pub mod matches;
mod migrations;
mod network;
pub mod operations;
pub mod policy;
mod postgres;
mod postgres_academy;
mod postgres_audit;
mod postgres_casefile;
mod postgres_casework;
mod postgres_charts;
mod postgres_cohorts;
mod postgres_directory;
mod postgres_exercise;
mod postgres_field_checks;
mod postgres_identity;
mod postgres_matches;
mod postgres_operations;
mod rows;
mod sqlite;
mod sqlite_academy;
mod sqlite_audit;
mod sqlite_casefile;
mod sqlite_casework;
mod sqlite_charts;
mod sqlite_cohorts;
mod sqlite_directory;
mod sqlite_exercise;
mod sqlite_field_checks;
mod sqlite_identity;
mod sqlite_matches;
mod sqlite_operations;
mod types;

pub use academy::{
    AcademyStore, AssessmentRecord, Attempt, AttemptResult, AttemptStatus, CourseRecord, CourseVersion, ExerciseResult,
    LessonImage, LessonView, NewAttempt, NewImage,
};
pub use audit::AuditLog;
pub use casefile::{AccessRequest, CaseFiles, CaseMember, Decision, RequestStatus};
pub use casework::{
    Attached, CaseNote, CaseShare, CaseTask, CaseWork, Evidence, NewEvidence, NewShare, NewTask, ShareHandling,
    Standing, TaskStatus,
};
pub use charts::{ChartAnchor, Charts, NewChart, SavedChart};
pub use cohorts::Cohorts;
pub use directory::Directory;
pub use error::StoreError;
pub use exercise::{
    CorrectiveAction, Exercise, ExerciseStatus, Exercises, ExpectedAction, HotwashItem, HotwashKind, Inject, NewInject,
    NewResponse, Part, Participant, Rating, Response,
};
pub use field_checks::{FieldCheckRef, FieldChecks};
pub use identity::{ApiTokenRecord, Identity, SessionRecord, UserRecord};
pub use matches::{MatchCandidate, MatchDecision, MatchReview, MatchStatus, NewMatch};
pub use operations::Operations;
pub use policy::{Caller, Capacity, Membership, Scope};
pub use types::*;

use async_trait::async_trait;
use chrono::NaiveDate;
use std::sync::Arc;
use veza_model::Entity;

/// The persistence interface every face and use case goes through.
#[async_trait]
pub trait Store:
    Send
    + Sync
    + AcademyStore
    + AuditLog
    + CaseFiles
    + CaseWork
    + Charts
    + Directory
    + Identity
    + MatchReview
    + Operations
    + FieldChecks
    + Exercises
    + Cohorts
{
    /// Which back end this is.
    fn backend(&self) -> Backend;

    /// Writes a batch of entities in one transaction: new ids are created,
    /// known ids updated. Values a dataset no longer gives are removed; values
    /// from other datasets stay. Every entity's dataset must be a known source.
    async fn write_entities(&self, caller: &Caller, batch: &[Entity]) -> Result<WriteReport, StoreError> {
        self.write(caller, batch, WriteMode::Replace).await
    }
    /// Writes entities as [`Store::write_entities`] does, but adds their
    /// values to what their dataset said before instead of replacing it:
    /// for FtM fragments of one entity that arrive in several batches.
    async fn merge_entities(&self, caller: &Caller, batch: &[Entity]) -> Result<WriteReport, StoreError> {
        self.write(caller, batch, WriteMode::Merge).await
    }
    /// Writes a batch in the given mode; see the two methods above.
    async fn write(&self, caller: &Caller, batch: &[Entity], mode: WriteMode) -> Result<WriteReport, StoreError>;
    /// One entity, as the caller may see it.
    async fn entity(&self, caller: &Caller, id: &str) -> Result<Lookup, StoreError>;
    /// Several entities at once, as [`Store::entity`] would answer for
    /// each, in the order of `ids` (one answer per id, duplicates included).
    async fn entities(&self, caller: &Caller, ids: &[String]) -> Result<Vec<Lookup>, StoreError>;
    /// The value-level provenance of an entity the caller may see.
    async fn statements(&self, caller: &Caller, id: &str) -> Result<Vec<veza_model::Statement>, StoreError>;
    /// Links from and to an entity the caller may see, limited to links and
    /// ends the caller may see.
    async fn links(&self, caller: &Caller, id: &str) -> Result<Vec<LinkView>, StoreError>;
    /// Full-text search over names and identifiers, accent-, case- and
    /// script-insensitive. An empty text lists entities newest first.
    async fn search(&self, caller: &Caller, query: &SearchQuery) -> Result<SearchPage, StoreError>;
    /// Entities after `after` (by storage order), for export; returns the
    /// cursor of the last one.
    async fn scan(&self, caller: &Caller, after: i64, limit: u32) -> Result<(Vec<Entity>, i64), StoreError>;
    /// Counts by schema, source and owner, of what the caller may see.
    async fn stats(&self, caller: &Caller) -> Result<Stats, StoreError>;

    /// Entities the caller may see whose retention review falls on or before
    /// `due`, earliest first.
    async fn retention_due(
        &self,
        caller: &Caller,
        due: NaiveDate,
        limit: u32,
    ) -> Result<Vec<RetentionItem>, StoreError>;
    /// Moves an entity's retention review; only its owner may. False when
    /// the caller sees no such entity.
    async fn set_retention_review(&self, caller: &Caller, id: &str, review: NaiveDate) -> Result<bool, StoreError>;
    /// Erases an entity with its values, links and index entry; only its
    /// owner may. False when the caller sees no such entity.
    async fn delete_entity(&self, caller: &Caller, id: &str) -> Result<bool, StoreError>;
    /// The network within `hops` links of `seeds`, as the caller may see it:
    /// hidden records are neither nodes nor the reason for an edge. At most
    /// `max_nodes` nodes (then `truncated`).
    async fn network(
        &self,
        caller: &Caller,
        seeds: &[String],
        hops: u32,
        max_nodes: usize,
    ) -> Result<NetworkSlice, StoreError>;
}

/// Opens (creating and migrating if needed) the store at `url`:
/// `sqlite://PATH` (or `sqlite::memory:`) or `postgres://…`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let model = veza_model::Model::builtin();
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url, model).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::open(url, model).await?))
    } else {
        Err(StoreError::Config(format!("database URL '{}' is neither sqlite://… nor postgres://…", redact(url))))
    }
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
