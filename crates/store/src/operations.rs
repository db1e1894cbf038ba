//! Regional operations: the plan (operation, countries with their contact
//! NCB, agencies, watchlists, checkpoints with shifts), the checks made at
//! checkpoints and the hits they raised. One body of SQL for both back ends
//! ([`operations_impl`]); `sqlite_operations.rs` and `postgres_operations.rs`
//! instantiate it.
//!
//! Checks and hits live in tables of their own, not in the entity table: an
//! operation makes millions. The store records; deciding who takes part and
//! may read is the app's job (`veza_app::operations`). A batch of checks is
//! written with its audit entries in one transaction ([`Operations::record_checks`]),
//! so a check is never stored unaudited nor acknowledged uncommitted.

use crate::audit::NewAuditEntry;
use crate::error::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as stored and in the API.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value of a code.
            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum!(
    /// Whether an operation is real or a table-top exercise.
    OperationMode {
        /// Real checks on real people; counts in statistics.
        Live = "live",
        /// A rehearsal on synthetic data; never counts in real statistics.
        Exercise = "exercise",
    }
);

code_enum!(
    /// Where an operation stands.
    OperationStatus {
        /// Being planned; no checks yet.
        Planned = "planned",
        /// Under way: checkpoints check.
        Running = "running",
        /// Over: no more checks.
        Closed = "closed",
    }
);

code_enum!(
    /// What kind of place a checkpoint is.
    CheckpointKind {
        /// A land border crossing.
        BorderCrossing = "border_crossing",
        /// An airport.
        Airport = "airport",
        /// A bus station.
        BusStation = "bus_station",
        /// A railway station.
        RailwayStation = "railway_station",
        /// A seaport.
        Seaport = "seaport",
        /// A place known for exploitation (a bar, a construction site).
        Hotspot = "hotspot",
        /// A mobile patrol.
        MobilePatrol = "mobile_patrol",
    }
);

code_enum!(
    /// The answer to a check.
    CheckResult {
        /// At least one possible match, awaiting confirmation.
        Hit = "hit",
        /// Nothing found.
        NoHit = "no_hit",
    }
);

code_enum!(
    /// Where a hit stands with the data owner.
    HitStatus {
        /// Awaiting the owner's confirmation.
        Pending = "pending",
        /// The owner confirmed it.
        Confirmed = "confirmed",
        /// The owner rejected it (not the person of the record).
        Rejected = "rejected",
    }
);

code_enum!(
    /// What was done on a hit (the `Hit` schema's `action` values).
    HitAction {
        /// Nothing.
        None = "none",
        /// The encounter was recorded for the owner.
        InformationRecorded = "information_recorded",
        /// A discreet check, for follow-up.
        DiscreetCheck = "discreet_check",
        /// Held for questioning.
        Detained = "detained",
        /// Arrested.
        Arrested = "arrested",
        /// Refused entry.
        RefusedEntry = "refused_entry",
        /// The document was seized.
        DocumentSeized = "document_seized",
        /// The person was identified as a possible victim.
        VictimIdentified = "victim_identified",
        /// Something else (see the reason).
        Other = "other",
    }
);

/// A participating country and its contact NCB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationCountry {
    /// ISO country code, lower case.
    pub country: String,
    /// The NCB hits on this country's data go to (e.g. `NCB Skopje`).
    pub contact_ncb: String,
}

/// A participating agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationAgency {
    /// Agency code.
    pub agency: String,
    /// Its users coordinate: plan, issue terminal tokens, decide hits.
    pub coordinator: bool,
}

/// A watchlist (source dataset) checks are screened against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationWatchlist {
    /// Dataset name.
    pub dataset: String,
    /// What an officer is told on a hit when the entry gives no instruction.
    pub instruction: String,
}

/// An operation's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Id (`op-…`).
    pub id: String,
    /// Code name, unique (`LIBERTERRA-3`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Live or exercise.
    pub mode: OperationMode,
    /// Planned, running, closed.
    pub status: OperationStatus,
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    pub end_date: String,
    /// The coordinating agency.
    pub lead_agency: String,
    /// Objectives, free text.
    pub objectives: String,
    /// Who created it.
    pub created_by: String,
    /// When created, microseconds.
    pub created_at: i64,
    /// When last changed, microseconds.
    pub changed_at: i64,
    /// Participating countries, by code.
    pub countries: Vec<OperationCountry>,
    /// Participating agencies, by code.
    pub agencies: Vec<OperationAgency>,
    /// Watchlists in use, by dataset.
    pub watchlists: Vec<OperationWatchlist>,
}

/// A team's shift at a checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    /// Team name.
    pub team: String,
    /// Start, microseconds.
    pub starts_at: i64,
    /// End, microseconds.
    pub ends_at: i64,
}

/// A checkpoint of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Number (0 for a new one).
    pub id: i64,
    /// The operation.
    pub operation_id: String,
    /// Code, unique in the operation (terminals name their checkpoint by it).
    pub code: String,
    /// Name (`Tabanovce border crossing`).
    pub name: String,
    /// Kind of place.
    pub kind: CheckpointKind,
    /// Country code.
    pub country: String,
    /// Responsible agency.
    pub agency: String,
    /// Latitude, if known.
    pub latitude: Option<f64>,
    /// Longitude, if known.
    pub longitude: Option<f64>,
    /// Teams and shifts, by start.
    pub shifts: Vec<Shift>,
}

/// The person as entered at a check (empty strings for what was not given).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckedPerson {
    /// Name.
    pub name: String,
    /// Birth date (partial ISO date).
    pub birth_date: String,
    /// Nationality, country code.
    pub nationality: String,
    /// Gender (`male`, `female`, `other`).
    pub gender: String,
}

/// The travel document as entered at a check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckedDocument {
    /// Number.
    pub number: String,
    /// Issuing country code.
    pub country: String,
    /// Type (`passport`, `id_card`, …).
    #[serde(rename = "type")]
    pub kind: String,
}

/// The vehicle as entered at a check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckedVehicle {
    /// Registration number.
    pub registration: String,
    /// Registration country code.
    pub country: String,
}

/// A hit to record with its check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewHit {
    /// The watchlist (dataset) of the matched entry, or `veza` for the case database.
    pub watchlist: String,
    /// The matched entity's id.
    pub match_id: String,
    /// Its caption when matched (the owner's queue shows it).
    pub match_caption: String,
    /// Match score, 0–1.
    pub score: f64,
    /// What the officer is told.
    pub instruction: String,
    /// The agency that owns the matched record.
    pub owner_agency: String,
    /// Its country: the queue of that country's NCB.
    pub owner_country: String,
}

/// The queue of concurrent [`Operations::record_checks`] calls: each
/// request's checks with their audit entries, answered with their ids.
pub(crate) type CheckGroup = crate::batch::Batcher<(Vec<NewCheck>, Vec<NewAuditEntry>), Vec<i64>>;

/// A check to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCheck {
    /// The operation.
    pub operation_id: String,
    /// The checkpoint's number.
    pub checkpoint_id: i64,
    /// When, microseconds.
    pub checked_at: i64,
    /// The officer (user name).
    pub officer: String,
    /// Their agency.
    pub agency: String,
    /// The terminal's token name, or empty.
    pub terminal: String,
    /// The person checked.
    pub person: CheckedPerson,
    /// The document checked.
    pub document: CheckedDocument,
    /// The vehicle checked.
    pub vehicle: CheckedVehicle,
    /// What it matched.
    pub hits: Vec<NewHit>,
}

/// A stored hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitRecord {
    /// Number.
    pub id: i64,
    /// The check that raised it.
    pub check_id: i64,
    /// The operation.
    pub operation_id: String,
    /// The checkpoint of the check.
    pub checkpoint_id: i64,
    /// What matched and where it goes.
    #[serde(flatten)]
    pub hit: NewHit,
    /// When raised, microseconds.
    pub raised_at: i64,
    /// Where it stands.
    pub status: HitStatus,
    /// Why confirmed or rejected.
    pub reason: String,
    /// What was done, once decided.
    pub action: Option<HitAction>,
    /// Who recorded the decision.
    pub decided_by: String,
    /// When, microseconds.
    pub decided_at: Option<i64>,
}

/// A stored check with its hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// Number (the API's `check_id`).
    pub id: i64,
    /// Hit or no hit.
    pub result: CheckResult,
    /// What was checked, by whom, where.
    #[serde(flatten)]
    pub check: NewCheck,
}

/// The owner's decision on a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitDecision {
    /// Confirmed or rejected (never pending).
    pub status: HitStatus,
    /// Why.
    pub reason: String,
    /// What was done.
    pub action: HitAction,
    /// Who recorded it.
    pub decided_by: String,
    /// When, microseconds.
    pub decided_at: i64,
}

/// Which checks to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckFilter {
    /// Only at this checkpoint.
    pub checkpoint_id: Option<i64>,
    /// Only with this result.
    pub result: Option<CheckResult>,
    /// Only from this time on (microseconds, inclusive).
    pub from: Option<i64>,
    /// Only before this time (microseconds, exclusive).
    pub to: Option<i64>,
    /// Only with a hit on this watchlist.
    pub watchlist: Option<String>,
    /// At most this many, newest first (0: 100).
    pub limit: u32,
}

/// Which hits to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitFilter {
    /// Only those on data of this country (an NCB's queue).
    pub owner_country: Option<String>,
    /// Only in this state.
    pub status: Option<HitStatus>,
    /// Only on this watchlist.
    pub watchlist: Option<String>,
    /// Only raised at this checkpoint.
    pub checkpoint_id: Option<i64>,
    /// At most this many, oldest first (0: 100).
    pub limit: u32,
}

pub(crate) fn effective(limit: u32) -> i64 {
    if limit == 0 { 100 } else { i64::from(limit) }
}

/// Checks and hits counted for the live picture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckCounts {
    /// Every check.
    pub checks: i64,
    /// Checks with at least one hit.
    pub checks_with_hits: i64,
    /// Per hour: (hour start in microseconds, checks, checks with hits), by hour.
    pub per_hour: Vec<(i64, i64, i64)>,
    /// Per checkpoint: (checkpoint number, checks, checks with hits), by number.
    pub per_checkpoint: Vec<(i64, i64, i64)>,
    /// Per watchlist: (dataset, hits, confirmed, rejected), by dataset.
    pub hits_by_watchlist: Vec<(String, i64, i64, i64)>,
    /// Per action taken on decided hits: (action code, hits), by code.
    #[serde(default)]
    pub hits_by_action: Vec<(String, i64)>,
}

/// A period of checks (and of the hits they raised): `[from, to)` in
/// microseconds since the epoch; `None` for the whole operation.
pub type Window = Option<(i64, i64)>;

/// The id under which a check is audited and exported (`check-12`).
pub fn check_entity_id(id: i64) -> String {
    format!("check-{id}")
}

/// The id under which a hit is audited and exported (`hit-7`).
pub fn hit_entity_id(id: i64) -> String {
    format!("hit-{id}")
}

/// The scope an operation's terminal token carries (`operation:op-1`).
pub fn operation_scope(operation_id: &str) -> String {
    format!("operation:{operation_id}")
}

/// Operations, their checkpoints, checks and hits.
#[async_trait]
pub trait Operations: Send + Sync {
    /// Creates an operation or replaces its plan (countries, agencies and
    /// watchlists included). Agencies must exist.
    async fn put_operation(&self, operation: &Operation) -> Result<(), StoreError>;
    /// One operation.
    async fn operation(&self, id: &str) -> Result<Option<Operation>, StoreError>;
    /// Every operation, newest first.
    async fn operations(&self) -> Result<Vec<Operation>, StoreError>;
    /// Adds a checkpoint (`id` 0) or replaces one, shifts included; returns its number.
    async fn put_checkpoint(&self, checkpoint: &Checkpoint) -> Result<i64, StoreError>;
    /// An operation's checkpoints, by code.
    async fn operation_checkpoints(&self, operation_id: &str) -> Result<Vec<Checkpoint>, StoreError>;
    /// Stores checks with their hits and one audit entry each (`audit[i]`
    /// for `checks[i]`; the store adds the check's id to its entity ids), in
    /// one transaction. Returns the checks' numbers, in order.
    async fn record_checks(&self, checks: &[NewCheck], audit: Vec<NewAuditEntry>) -> Result<Vec<i64>, StoreError>;
    /// Stores checks made at a field node as [`Operations::record_checks`]
    /// does and, in the same transaction, each one's field reference
    /// (`refs[i]` for `checks[i]`; its `check_id` is set here). A check whose
    /// reference is already recorded (an upload sent twice, or twice in one
    /// batch) is not stored again, nor audited. Returns, in order, each
    /// check's number and whether it was stored now (`false`: it was there).
    async fn record_field_check_batch(
        &self,
        checks: &[NewCheck],
        audit: Vec<NewAuditEntry>,
        refs: &[crate::FieldCheckRef],
    ) -> Result<Vec<(i64, bool)>, StoreError>;
    /// One check of an operation, with its hits.
    async fn check(&self, operation_id: &str, id: i64) -> Result<Option<(CheckRecord, Vec<HitRecord>)>, StoreError>;
    /// Checks of an operation, newest first (without their hits).
    async fn checks(&self, operation_id: &str, filter: &CheckFilter) -> Result<Vec<CheckRecord>, StoreError>;
    /// Hits of an operation, oldest first.
    async fn hits(&self, operation_id: &str, filter: &HitFilter) -> Result<Vec<HitRecord>, StoreError>;
    /// Records the owner's decision on a pending hit, with its audit entry,
    /// in one transaction; false when there is no such pending hit.
    async fn decide_hit(
        &self,
        operation_id: &str,
        hit_id: i64,
        decision: &HitDecision,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError>;
    /// The counts of the live picture, of the whole operation or of the
    /// checks (and their hits) within `window`: grouped in SQL, so a
    /// dashboard poll reads no check.
    async fn check_counts(&self, operation_id: &str, window: Window) -> Result<CheckCounts, StoreError>;
    /// Entities whose entity-typed `property` names `target` (for example
    /// every Victim, Arrest or Case whose `operation` is this one), limited
    /// to `schemata` when not empty, as the caller may see them. Read through
    /// the indexed reference table (`link`, by target), never by scanning
    /// the entities; at most `limit` references (0: 100), the newest.
    async fn entities_referencing(
        &self,
        caller: &crate::Caller,
        property: &str,
        target: &str,
        schemata: &[&str],
        limit: u32,
    ) -> Result<Vec<veza_model::Entity>, StoreError>;
    /// The API tokens issued for an operation (scope `operation:<id>`), newest first.
    async fn operation_tokens(&self, operation_id: &str) -> Result<Vec<crate::ApiTokenRecord>, StoreError>;
}

/// The `LIKE` pattern of a scope in a framed scope list, wildcards escaped.
pub(crate) fn scope_pattern(scope: &str) -> String {
    let mut p = String::from("%,");
    for c in scope.chars() {
        if matches!(c, '\\' | '%' | '_') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push_str(",%");
    p
}

/// A stored code that is not one.
pub(crate) fn bad_code(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{code}'"))
}

/// Implements [`Operations`] for a back end (the SQL is the same on both).
macro_rules! operations_impl {
    ($store:ty, $db:ty) => {
        use crate::audit::NewAuditEntry;
        use crate::error::StoreError;
        use crate::operations::*;
        use async_trait::async_trait;
        use sqlx::Row;

        const CHECK_COLUMNS: &str = "c.id, c.operation_id, c.checkpoint_id, c.checked_at, c.officer, c.agency, \
            c.terminal, c.person_name, c.birth_date, c.nationality, c.gender, c.document_number, c.document_country, \
            c.document_type, c.vehicle_registration, c.vehicle_country, c.result";
        const HIT_COLUMNS: &str = "h.id, h.check_id, h.operation_id, c.checkpoint_id, h.watchlist, h.match_id, \
            h.match_caption, h.score, h.instruction, h.owner_agency, h.owner_country, h.raised_at, h.status, \
            h.reason, h.action, h.decided_by, h.decided_at";

        fn check_row(r: &<$db as sqlx::Database>::Row) -> Result<CheckRecord, StoreError> {
            let result: String = r.try_get(16)?;
            Ok(CheckRecord {
                id: r.try_get(0)?,
                result: CheckResult::parse(&result).ok_or_else(|| bad_code("check result", &result))?,
                check: NewCheck {
                    operation_id: r.try_get(1)?,
                    checkpoint_id: r.try_get(2)?,
                    checked_at: r.try_get(3)?,
                    officer: r.try_get(4)?,
                    agency: r.try_get(5)?,
                    terminal: r.try_get(6)?,
                    person: CheckedPerson {
                        name: r.try_get(7)?,
                        birth_date: r.try_get(8)?,
                        nationality: r.try_get(9)?,
                        gender: r.try_get(10)?,
                    },
                    document: CheckedDocument {
                        number: r.try_get(11)?,
                        country: r.try_get(12)?,
                        kind: r.try_get(13)?,
                    },
                    vehicle: CheckedVehicle { registration: r.try_get(14)?, country: r.try_get(15)? },
                    hits: Vec::new(),
                },
            })
        }

        fn hit_row(r: &<$db as sqlx::Database>::Row) -> Result<HitRecord, StoreError> {
            let status: String = r.try_get(12)?;
            let action: String = r.try_get(14)?;
            Ok(HitRecord {
                id: r.try_get(0)?,
                check_id: r.try_get(1)?,
                operation_id: r.try_get(2)?,
                checkpoint_id: r.try_get(3)?,
                hit: NewHit {
                    watchlist: r.try_get(4)?,
                    match_id: r.try_get(5)?,
                    match_caption: r.try_get(6)?,
                    score: r.try_get(7)?,
                    instruction: r.try_get(8)?,
                    owner_agency: r.try_get(9)?,
                    owner_country: r.try_get(10)?,
                },
                raised_at: r.try_get(11)?,
                status: HitStatus::parse(&status).ok_or_else(|| bad_code("hit status", &status))?,
                reason: r.try_get(13)?,
                action: if action.is_empty() {
                    None
                } else {
                    Some(HitAction::parse(&action).ok_or_else(|| bad_code("hit action", &action))?)
                },
                decided_by: r.try_get(15)?,
                decided_at: r.try_get(16)?,
            })
        }

        fn operation_row(r: &<$db as sqlx::Database>::Row) -> Result<Operation, StoreError> {
            let mode: String = r.try_get(3)?;
            let status: String = r.try_get(4)?;
            Ok(Operation {
                id: r.try_get(0)?,
                code: r.try_get(1)?,
                name: r.try_get(2)?,
                mode: OperationMode::parse(&mode).ok_or_else(|| bad_code("operation mode", &mode))?,
                status: OperationStatus::parse(&status).ok_or_else(|| bad_code("operation status", &status))?,
                start_date: r.try_get(5)?,
                end_date: r.try_get(6)?,
                lead_agency: r.try_get(7)?,
                objectives: r.try_get(8)?,
                created_by: r.try_get(9)?,
                created_at: r.try_get(10)?,
                changed_at: r.try_get(11)?,
                countries: Vec::new(),
                agencies: Vec::new(),
                watchlists: Vec::new(),
            })
        }

        impl $store {
            /// Inserts checks with their hits inside `tx`, naming each
            /// check in its audit entry (`audit[i]` for `checks[i]`).
            async fn insert_checks(
                tx: &mut sqlx::Transaction<'_, $db>,
                checks: &[&NewCheck],
                audit: &mut [NewAuditEntry],
            ) -> Result<Vec<i64>, StoreError> {
                let mut ids = Vec::with_capacity(checks.len());
                for (c, entry) in checks.iter().zip(audit.iter_mut()) {
                    let result = if c.hits.is_empty() { CheckResult::NoHit } else { CheckResult::Hit };
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO operation_check (operation_id, checkpoint_id, checked_at, officer, agency, \
                         terminal, person_name, birth_date, nationality, gender, document_number, document_country, \
                         document_type, vehicle_registration, vehicle_country, result, hit_count) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
                         RETURNING id",
                    )
                    .bind(&c.operation_id)
                    .bind(c.checkpoint_id)
                    .bind(c.checked_at)
                    .bind(&c.officer)
                    .bind(&c.agency)
                    .bind(&c.terminal)
                    .bind(&c.person.name)
                    .bind(&c.person.birth_date)
                    .bind(&c.person.nationality)
                    .bind(&c.person.gender)
                    .bind(&c.document.number)
                    .bind(&c.document.country)
                    .bind(&c.document.kind)
                    .bind(&c.vehicle.registration)
                    .bind(&c.vehicle.country)
                    .bind(result.code())
                    .bind(c.hits.len() as i64)
                    .fetch_one(&mut **tx)
                    .await?;
                    for h in &c.hits {
                        sqlx::query(
                            "INSERT INTO operation_hit (check_id, operation_id, watchlist, match_id, match_caption, \
                             score, instruction, owner_agency, owner_country, raised_at, status) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending')",
                        )
                        .bind(id)
                        .bind(&c.operation_id)
                        .bind(&h.watchlist)
                        .bind(&h.match_id)
                        .bind(&h.match_caption)
                        .bind(h.score)
                        .bind(&h.instruction)
                        .bind(&h.owner_agency)
                        .bind(&h.owner_country)
                        .bind(c.checked_at)
                        .execute(&mut **tx)
                        .await?;
                    }
                    entry.entity_ids.insert(0, check_entity_id(id));
                    ids.push(id);
                }
                Ok(ids)
            }

            async fn operation_parts(&self, op: &mut Operation) -> Result<(), StoreError> {
                let rows = sqlx::query(
                    "SELECT country, contact_ncb FROM operation_country WHERE operation_id = $1 ORDER BY country",
                )
                .bind(&op.id)
                .fetch_all(&self.pool)
                .await?;
                op.countries = rows
                    .iter()
                    .map(|r| Ok(OperationCountry { country: r.try_get(0)?, contact_ncb: r.try_get(1)? }))
                    .collect::<Result<_, StoreError>>()?;
                let rows = sqlx::query(
                    "SELECT agency, coordinator FROM operation_agency WHERE operation_id = $1 ORDER BY agency",
                )
                .bind(&op.id)
                .fetch_all(&self.pool)
                .await?;
                op.agencies = rows
                    .iter()
                    .map(|r| Ok(OperationAgency { agency: r.try_get(0)?, coordinator: r.try_get::<i64, _>(1)? != 0 }))
                    .collect::<Result<_, StoreError>>()?;
                let rows = sqlx::query(
                    "SELECT dataset, instruction FROM operation_watchlist WHERE operation_id = $1 ORDER BY dataset",
                )
                .bind(&op.id)
                .fetch_all(&self.pool)
                .await?;
                op.watchlists = rows
                    .iter()
                    .map(|r| Ok(OperationWatchlist { dataset: r.try_get(0)?, instruction: r.try_get(1)? }))
                    .collect::<Result<_, StoreError>>()?;
                Ok(())
            }
        }

        const OPERATION_COLUMNS: &str = "id, code, name, mode, status, start_date, end_date, lead_agency, \
            objectives, created_by, created_at, changed_at";

        #[async_trait]
        impl Operations for $store {
            async fn put_operation(&self, op: &Operation) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO operation (id, code, name, mode, status, start_date, end_date, lead_agency, \
                     objectives, created_by, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, \
                     mode = excluded.mode, status = excluded.status, start_date = excluded.start_date, \
                     end_date = excluded.end_date, lead_agency = excluded.lead_agency, \
                     objectives = excluded.objectives, changed_at = excluded.changed_at",
                )
                .bind(&op.id)
                .bind(&op.code)
                .bind(&op.name)
                .bind(op.mode.code())
                .bind(op.status.code())
                .bind(&op.start_date)
                .bind(&op.end_date)
                .bind(&op.lead_agency)
                .bind(&op.objectives)
                .bind(&op.created_by)
                .bind(op.created_at)
                .bind(op.changed_at)
                .execute(&mut *tx)
                .await?;
                for table in ["operation_country", "operation_agency", "operation_watchlist"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE operation_id = $1")))
                        .bind(&op.id)
                        .execute(&mut *tx)
                        .await?;
                }
                for c in &op.countries {
                    sqlx::query(
                        "INSERT INTO operation_country (operation_id, country, contact_ncb) VALUES ($1, $2, $3)",
                    )
                    .bind(&op.id)
                    .bind(&c.country)
                    .bind(&c.contact_ncb)
                    .execute(&mut *tx)
                    .await?;
                }
                for a in &op.agencies {
                    sqlx::query(
                        "INSERT INTO operation_agency (operation_id, agency, coordinator) VALUES ($1, $2, $3)",
                    )
                    .bind(&op.id)
                    .bind(&a.agency)
                    .bind(i64::from(a.coordinator))
                    .execute(&mut *tx)
                    .await?;
                }
                for w in &op.watchlists {
                    sqlx::query(
                        "INSERT INTO operation_watchlist (operation_id, dataset, instruction) VALUES ($1, $2, $3)",
                    )
                    .bind(&op.id)
                    .bind(&w.dataset)
                    .bind(&w.instruction)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn operation(&self, id: &str) -> Result<Option<Operation>, StoreError> {
                let sql = format!("SELECT {OPERATION_COLUMNS} FROM operation WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let mut op = operation_row(&row)?;
                self.operation_parts(&mut op).await?;
                Ok(Some(op))
            }

            async fn operations(&self) -> Result<Vec<Operation>, StoreError> {
                let sql = format!("SELECT {OPERATION_COLUMNS} FROM operation ORDER BY start_date DESC, id");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in &rows {
                    let mut op = operation_row(row)?;
                    self.operation_parts(&mut op).await?;
                    out.push(op);
                }
                Ok(out)
            }

            async fn put_checkpoint(&self, cp: &Checkpoint) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = if cp.id == 0 {
                    sqlx::query_scalar(
                        "INSERT INTO checkpoint (operation_id, code, name, kind, country, agency, latitude, longitude) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(&cp.operation_id)
                    .bind(&cp.code)
                    .bind(&cp.name)
                    .bind(cp.kind.code())
                    .bind(&cp.country)
                    .bind(&cp.agency)
                    .bind(cp.latitude)
                    .bind(cp.longitude)
                    .fetch_one(&mut *tx)
                    .await?
                } else {
                    let done = sqlx::query(
                        "UPDATE checkpoint SET code = $1, name = $2, kind = $3, country = $4, agency = $5, \
                         latitude = $6, longitude = $7 WHERE id = $8 AND operation_id = $9",
                    )
                    .bind(&cp.code)
                    .bind(&cp.name)
                    .bind(cp.kind.code())
                    .bind(&cp.country)
                    .bind(&cp.agency)
                    .bind(cp.latitude)
                    .bind(cp.longitude)
                    .bind(cp.id)
                    .bind(&cp.operation_id)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("no checkpoint {} in this operation", cp.id)));
                    }
                    sqlx::query("DELETE FROM checkpoint_shift WHERE checkpoint_id = $1")
                        .bind(cp.id)
                        .execute(&mut *tx)
                        .await?;
                    cp.id
                };
                for s in &cp.shifts {
                    sqlx::query(
                        "INSERT INTO checkpoint_shift (checkpoint_id, team, starts_at, ends_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(&s.team)
                    .bind(s.starts_at)
                    .bind(s.ends_at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn operation_checkpoints(&self, operation_id: &str) -> Result<Vec<Checkpoint>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, operation_id, code, name, kind, country, agency, latitude, longitude \
                     FROM checkpoint WHERE operation_id = $1 ORDER BY code",
                )
                .bind(operation_id)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let kind: String = r.try_get(4)?;
                    out.push(Checkpoint {
                        id: r.try_get(0)?,
                        operation_id: r.try_get(1)?,
                        code: r.try_get(2)?,
                        name: r.try_get(3)?,
                        kind: CheckpointKind::parse(&kind).ok_or_else(|| bad_code("checkpoint kind", &kind))?,
                        country: r.try_get(5)?,
                        agency: r.try_get(6)?,
                        latitude: r.try_get(7)?,
                        longitude: r.try_get(8)?,
                        shifts: Vec::new(),
                    });
                }
                let shifts = sqlx::query(
                    "SELECT s.checkpoint_id, s.team, s.starts_at, s.ends_at FROM checkpoint_shift s \
                     JOIN checkpoint c ON c.id = s.checkpoint_id WHERE c.operation_id = $1 ORDER BY s.starts_at, s.id",
                )
                .bind(operation_id)
                .fetch_all(&self.pool)
                .await?;
                for r in &shifts {
                    let cp: i64 = r.try_get(0)?;
                    if let Some(c) = out.iter_mut().find(|c| c.id == cp) {
                        c.shifts.push(Shift { team: r.try_get(1)?, starts_at: r.try_get(2)?, ends_at: r.try_get(3)? });
                    }
                }
                Ok(out)
            }

            async fn record_checks(
                &self,
                checks: &[NewCheck],
                audit: Vec<NewAuditEntry>,
            ) -> Result<Vec<i64>, StoreError> {
                if audit.len() != checks.len() {
                    return Err(StoreError::Corrupt("one audit entry per check is needed".into()));
                }
                if checks.is_empty() {
                    return Ok(Vec::new());
                }
                // Concurrent requests' checks share one transaction (each
                // request still returns only after the commit): one
                // transaction per request serialised on the audit lock
                // capped the check API near 1,000 requests/s.
                self.check_group
                    .submit((checks.to_vec(), audit), |batch| async move {
                        let sizes: Vec<usize> = batch.iter().map(|(c, _)| c.len()).collect();
                        let (all, entries): (Vec<Vec<NewCheck>>, Vec<Vec<NewAuditEntry>>) = batch.into_iter().unzip();
                        let all: Vec<NewCheck> = all.into_iter().flatten().collect();
                        let mut entries: Vec<NewAuditEntry> = entries.into_iter().flatten().collect();
                        let (mut tx, _appender) = self.begin_audit_append().await?;
                        let refs: Vec<&NewCheck> = all.iter().collect();
                        let ids = Self::insert_checks(&mut tx, &refs, &mut entries).await?;
                        self.audit_within(&mut tx, entries).await?;
                        tx.commit().await?;
                        let mut ids = ids.into_iter();
                        Ok(sizes.into_iter().map(|n| ids.by_ref().take(n).collect()).collect())
                    })
                    .await
            }

            async fn record_field_check_batch(
                &self,
                checks: &[NewCheck],
                audit: Vec<NewAuditEntry>,
                refs: &[crate::FieldCheckRef],
            ) -> Result<Vec<(i64, bool)>, StoreError> {
                if audit.len() != checks.len() || refs.len() != checks.len() {
                    return Err(StoreError::Corrupt("one audit entry and one reference per check are needed".into()));
                }
                if checks.is_empty() {
                    return Ok(Vec::new());
                }
                // The audit append lock serialises writers: a reference read
                // here cannot be recorded by another upload before commit.
                let (mut tx, _appender) = self.begin_audit_append().await?;
                // Per check: Ok(id) of the stored check, or Err(position of
                // the same reference earlier in this batch), or a new one.
                let mut known: Vec<Option<Result<i64, usize>>> = Vec::with_capacity(checks.len());
                for (i, (c, r)) in checks.iter().zip(refs).enumerate() {
                    if let Some(first) = refs[..i].iter().position(|e| e.client_ref == r.client_ref) {
                        known.push(Some(Err(first)));
                        continue;
                    }
                    let stored: Option<i64> = sqlx::query_scalar(
                        "SELECT check_id FROM field_check WHERE operation_id = $1 AND client_ref = $2",
                    )
                    .bind(&c.operation_id)
                    .bind(&r.client_ref)
                    .fetch_optional(&mut *tx)
                    .await?;
                    known.push(stored.map(Ok));
                }
                let mut fresh = Vec::new();
                let mut fresh_audit = Vec::new();
                for ((c, entry), k) in checks.iter().zip(audit).zip(&known) {
                    if k.is_none() {
                        fresh.push(c);
                        fresh_audit.push(entry);
                    }
                }
                let ids = Self::insert_checks(&mut tx, &fresh, &mut fresh_audit).await?;
                let mut new_ids = ids.into_iter();
                let mut out: Vec<(i64, bool)> = Vec::with_capacity(checks.len());
                for ((c, r), k) in checks.iter().zip(refs).zip(&known) {
                    let answer = match k {
                        Some(Ok(id)) => (*id, false),
                        Some(Err(first)) => (out[*first].0, false),
                        None => {
                            let id = new_ids.next().ok_or_else(|| StoreError::Corrupt("a check was not stored".into()))?;
                            sqlx::query(
                                "INSERT INTO field_check(operation_id, client_ref, check_id, snapshot_id, checked_at) \
                                 VALUES ($1, $2, $3, $4, $5)",
                            )
                            .bind(&c.operation_id)
                            .bind(&r.client_ref)
                            .bind(id)
                            .bind(&r.snapshot_id)
                            .bind(r.checked_at)
                            .execute(&mut *tx)
                            .await?;
                            (id, true)
                        }
                    };
                    out.push(answer);
                }
                self.audit_within(&mut tx, fresh_audit).await?;
                tx.commit().await?;
                Ok(out)
            }

            async fn check(
                &self,
                operation_id: &str,
                id: i64,
            ) -> Result<Option<(CheckRecord, Vec<HitRecord>)>, StoreError> {
                let sql = format!("SELECT {CHECK_COLUMNS} FROM operation_check c WHERE c.id = $1 AND c.operation_id = $2");
                let row =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(operation_id).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let check = check_row(&row)?;
                let sql = format!(
                    "SELECT {HIT_COLUMNS} FROM operation_hit h JOIN operation_check c ON c.id = h.check_id \
                     WHERE h.check_id = $1 ORDER BY h.score DESC, h.id"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&self.pool).await?;
                let hits = rows.iter().map(hit_row).collect::<Result<Vec<_>, _>>()?;
                Ok(Some((check, hits)))
            }

            async fn checks(&self, operation_id: &str, f: &CheckFilter) -> Result<Vec<CheckRecord>, StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {CHECK_COLUMNS} FROM operation_check c WHERE c.operation_id = "
                ));
                q.push_bind(operation_id);
                if let Some(cp) = f.checkpoint_id {
                    q.push(" AND c.checkpoint_id = ").push_bind(cp);
                }
                if let Some(r) = f.result {
                    q.push(" AND c.result = ").push_bind(r.code());
                }
                if let Some(from) = f.from {
                    q.push(" AND c.checked_at >= ").push_bind(from);
                }
                if let Some(to) = f.to {
                    q.push(" AND c.checked_at < ").push_bind(to);
                }
                if let Some(w) = &f.watchlist {
                    q.push(" AND c.id IN (SELECT check_id FROM operation_hit WHERE operation_id = ")
                        .push_bind(operation_id)
                        .push(" AND watchlist = ")
                        .push_bind(w.as_str())
                        .push(")");
                }
                q.push(" ORDER BY c.checked_at DESC, c.id DESC LIMIT ").push_bind(effective(f.limit));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter().map(check_row).collect()
            }

            async fn hits(&self, operation_id: &str, f: &HitFilter) -> Result<Vec<HitRecord>, StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {HIT_COLUMNS} FROM operation_hit h JOIN operation_check c ON c.id = h.check_id \
                     WHERE h.operation_id = "
                ));
                q.push_bind(operation_id);
                if let Some(country) = &f.owner_country {
                    q.push(" AND h.owner_country = ").push_bind(country.as_str());
                }
                if let Some(s) = f.status {
                    q.push(" AND h.status = ").push_bind(s.code());
                }
                if let Some(w) = &f.watchlist {
                    q.push(" AND h.watchlist = ").push_bind(w.as_str());
                }
                if let Some(cp) = f.checkpoint_id {
                    q.push(" AND c.checkpoint_id = ").push_bind(cp);
                }
                q.push(" ORDER BY h.raised_at, h.id LIMIT ").push_bind(effective(f.limit));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter().map(hit_row).collect()
            }

            async fn decide_hit(
                &self,
                operation_id: &str,
                hit_id: i64,
                d: &HitDecision,
                mut audit: NewAuditEntry,
            ) -> Result<bool, StoreError> {
                if d.status == HitStatus::Pending {
                    return Err(StoreError::Forbidden("a decision confirms or rejects".into()));
                }
                let (mut tx, _appender) = self.begin_audit_append().await?;
                let done = sqlx::query(
                    "UPDATE operation_hit SET status = $1, reason = $2, action = $3, decided_by = $4, \
                     decided_at = $5 WHERE id = $6 AND operation_id = $7 AND status = 'pending'",
                )
                .bind(d.status.code())
                .bind(&d.reason)
                .bind(d.action.code())
                .bind(&d.decided_by)
                .bind(d.decided_at)
                .bind(hit_id)
                .bind(operation_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                audit.entity_ids.insert(0, hit_entity_id(hit_id));
                self.audit_within(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn check_counts(&self, operation_id: &str, window: Window) -> Result<CheckCounts, StoreError> {
                let mut counts = CheckCounts::default();
                let (from, to) = window.unwrap_or((i64::MIN, i64::MAX));
                let rows = sqlx::query(
                    "SELECT checked_at / 3600000000, COUNT(*), \
                     SUM(CASE WHEN result = 'hit' THEN 1 ELSE 0 END) \
                     FROM operation_check WHERE operation_id = $1 AND checked_at >= $2 AND checked_at < $3 \
                     GROUP BY checked_at / 3600000000 ORDER BY 1",
                )
                .bind(operation_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                for r in &rows {
                    let hour: i64 = r.try_get(0)?;
                    let n: i64 = r.try_get(1)?;
                    let h: i64 = r.try_get(2)?;
                    counts.checks += n;
                    counts.checks_with_hits += h;
                    counts.per_hour.push((hour * 3_600_000_000, n, h));
                }
                let rows = sqlx::query(
                    "SELECT checkpoint_id, COUNT(*), SUM(CASE WHEN result = 'hit' THEN 1 ELSE 0 END) \
                     FROM operation_check WHERE operation_id = $1 AND checked_at >= $2 AND checked_at < $3 \
                     GROUP BY checkpoint_id ORDER BY checkpoint_id",
                )
                .bind(operation_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                for r in &rows {
                    counts.per_checkpoint.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
                }
                let rows = sqlx::query(
                    "SELECT watchlist, COUNT(*), SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) \
                     FROM operation_hit WHERE operation_id = $1 AND raised_at >= $2 AND raised_at < $3 \
                     GROUP BY watchlist ORDER BY watchlist",
                )
                .bind(operation_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                for r in &rows {
                    counts.hits_by_watchlist.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
                }
                let rows = sqlx::query(
                    "SELECT action, COUNT(*) FROM operation_hit \
                     WHERE operation_id = $1 AND raised_at >= $2 AND raised_at < $3 AND action <> '' \
                     GROUP BY action ORDER BY action",
                )
                .bind(operation_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                for r in &rows {
                    counts.hits_by_action.push((r.try_get(0)?, r.try_get(1)?));
                }
                Ok(counts)
            }

            async fn entities_referencing(
                &self,
                caller: &crate::Caller,
                property: &str,
                target: &str,
                schemata: &[&str],
                limit: u32,
            ) -> Result<Vec<veza_model::Entity>, StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT e.id FROM link l JOIN entity e ON e.rid = l.entity_rid WHERE l.target_id = ",
                );
                q.push_bind(target).push(" AND l.prop = ").push_bind(property);
                if !schemata.is_empty() {
                    q.push(" AND e.schema IN (");
                    let mut list = q.separated(", ");
                    for s in schemata {
                        list.push_bind(*s);
                    }
                    q.push(")");
                }
                q.push(" ORDER BY e.rid DESC LIMIT ").push_bind(effective(limit));
                let ids: Vec<String> = q.build_query_scalar().fetch_all(&self.pool).await?;
                let mut ids = ids;
                ids.sort_unstable();
                ids.dedup();
                crate::charts::Charts::entities_by_id(self, caller, &ids).await
            }

            async fn operation_tokens(&self, operation_id: &str) -> Result<Vec<crate::ApiTokenRecord>, StoreError> {
                let rows = sqlx::query(
                    "SELECT token_hash, name, username, scopes, purpose, created_at, expires_at, revoked \
                     FROM api_token WHERE (',' || scopes || ',') LIKE $1 ESCAPE '\\' ORDER BY created_at DESC",
                )
                .bind(scope_pattern(&operation_scope(operation_id)))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let scopes: String = r.try_get(3)?;
                        Ok(crate::ApiTokenRecord {
                            token_hash: r.try_get(0)?,
                            name: r.try_get(1)?,
                            username: r.try_get(2)?,
                            scopes: scopes.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                            purpose: r.try_get(4)?,
                            created_at: r.try_get(5)?,
                            expires_at: r.try_get(6)?,
                            revoked: r.try_get(7)?,
                        })
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use operations_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for m in OperationMode::ALL {
            assert_eq!(OperationMode::parse(m.code()), Some(*m));
        }
        for k in CheckpointKind::ALL {
            assert_eq!(CheckpointKind::parse(k.code()), Some(*k));
        }
        for a in HitAction::ALL {
            assert_eq!(HitAction::parse(a.code()), Some(*a));
        }
        assert_eq!(HitStatus::parse("maybe"), None);
        assert_eq!(serde_json::to_string(&CheckResult::NoHit).unwrap(), "\"no_hit\"");
    }

    #[test]
    fn scope_patterns_escape_wildcards() {
        assert_eq!(scope_pattern("operation:op_1"), "%,operation:op\\_1,%");
    }
}
