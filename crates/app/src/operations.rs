//! Regional operations (issue 9): the plan, checks at the front line, hit
//! handling and the live picture.
//!
//! Who may do what (deny by default):
//! - a user **takes part** when their agency is one of the operation's
//!   agencies; anyone else sees nothing of it, not even that it exists
//!   (`NotFound`);
//! - **coordinators** (users of an agency marked coordinator) change the
//!   plan, issue and revoke terminal tokens and may decide any hit;
//! - a hit is decided by the **NCB of the data's owner**: a participant of
//!   the owner's country, or a coordinator;
//! - a **terminal** (an API token scoped `operation:<id>` and possibly
//!   `checkpoint:<code>`) only sends checks to that operation (and
//!   checkpoint) and reads back the checks it sent;
//! - checks are accepted only while the operation is running.
//!
//! Every check is stored with its hits and one audit entry in one
//! transaction, before it is answered, whether it hit or not.

use crate::casework::FieldProblem;
use crate::{Access, AppError, Veza};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use veza_model::Entity;
use veza_screen::{Person, ScreenOptions};
use veza_store::audit::{AuditAction, AuditOutcome, NewAuditEntry};
use veza_store::operations::*;
use veza_store::{Caller, Lookup};

pub use veza_store::operations::{
    CheckCounts, CheckFilter, CheckRecord, CheckResult, CheckedDocument, CheckedPerson, CheckedVehicle, Checkpoint,
    CheckpointKind, HitAction, HitDecision, HitFilter, HitRecord, HitStatus, NewHit, Operation, OperationAgency,
    OperationCountry, OperationMode, OperationStatus, OperationWatchlist, Shift,
};

/// Most checks in one request.
pub const MAX_CHECK_BATCH: usize = 1_000;
/// The watchlist name hits on the case database carry.
pub const CASE_DATABASE: &str = "veza";
/// Instruction placeholder replaced by the contact NCB of the data owner's country.
pub const NCB_PLACEHOLDER: &str = "{ncb}";
/// What an officer is told on a hit when the watchlist gives no instruction.
pub const DEFAULT_INSTRUCTION: &str = "possible match: hold the person for confirmation; contact {ncb}";
/// Score of a document or registration that matches a record's exactly.
pub const EXACT_IDENTIFIER_SCORE: f64 = 1.0;
/// Score of a document or registration that matches a record's only once
/// characters often misread (O/0, I/1, S/5, B/8 …) are folded.
pub const OCR_CONFUSION_SCORE: f64 = 0.8;
/// What a hit on a possibly misread number or plate says before its
/// instruction (the answer has no other place for an explanation).
pub const OCR_CONFUSION_NOTE: &str =
    "possible misreading (OCR confusion: O/0, I/1, S/5, B/8…), not an exact match; compare by eye first: ";

/// A terminal's token, as the web face read it: the operation (and
/// checkpoint) it is scoped to and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    /// The token's name (`tabanovce-lane-1`).
    pub name: String,
    /// The operation it may send checks to.
    pub operation_id: String,
    /// The checkpoint it is bound to, if any.
    pub checkpoint: Option<String>,
}

impl Terminal {
    /// The terminal scopes of a token, if it has any: `operation:<id>` and
    /// optionally `checkpoint:<code>`. A token with an operation scope is a
    /// terminal and nothing else.
    pub fn from_scopes(name: &str, scopes: &[String]) -> Option<Terminal> {
        let operation_id = scopes.iter().find_map(|s| s.strip_prefix("operation:"))?.to_owned();
        let checkpoint = scopes.iter().find_map(|s| s.strip_prefix("checkpoint:")).map(str::to_owned);
        Some(Terminal { name: name.to_owned(), operation_id, checkpoint })
    }
}

/// The person part of a check, as the API takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Name as written or read from the document.
    #[serde(default)]
    pub name: Option<String>,
    /// Birth date (`1990`, `1990-05`, `1990-05-17`).
    #[serde(default)]
    pub birth_date: Option<String>,
    /// Nationality, ISO 3166-1 alpha-2.
    #[serde(default)]
    pub nationality: Option<String>,
    /// `male`/`female` (or `M`/`F`).
    #[serde(default)]
    pub gender: Option<String>,
}

/// The document part of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// Number.
    pub number: String,
    /// Issuing country.
    #[serde(default)]
    pub country: Option<String>,
    /// `passport`, `id_card`, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// Checks with at most this many persons are screened on the request's own
/// task rather than on a blocking thread.
const INLINE_SCREENING: usize = 4;

/// The vehicle part of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleInput {
    /// Registration number.
    pub registration: String,
    /// Registration country.
    #[serde(default)]
    pub country: Option<String>,
}

/// One check as a checkpoint sends it (the issue's shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    /// The checkpoint's code.
    pub checkpoint: String,
    /// The person.
    #[serde(default)]
    pub person: Option<PersonInput>,
    /// The document.
    #[serde(default)]
    pub document: Option<DocumentInput>,
    /// The vehicle.
    #[serde(default)]
    pub vehicle: Option<VehicleInput>,
}

/// A hit as the checkpoint is told of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitAnswer {
    /// The watchlist (dataset) of the matched record.
    pub watchlist: String,
    /// The matched record's id.
    pub match_id: String,
    /// Score, 0–1.
    pub score: f64,
    /// What to do.
    pub instruction: String,
}

/// The answer to one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckAnswer {
    /// The stored check's number.
    pub check_id: i64,
    /// `hit` or `no_hit`.
    pub result: CheckResult,
    /// The hits, best first.
    pub hits: Vec<HitAnswer>,
}

/// A hit with where it stands, as the checkpoint that raised it reads it later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitState {
    /// The hit's number.
    pub hit_id: i64,
    /// What matched and what to do.
    #[serde(flatten)]
    pub hit: HitAnswer,
    /// Pending, confirmed or rejected.
    pub status: HitStatus,
    /// The action taken once decided.
    pub action: Option<HitAction>,
    /// Why.
    pub reason: String,
}

/// A stored check with its hits' states.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckState {
    /// The check's number.
    pub check_id: i64,
    /// `hit` or `no_hit`.
    pub result: CheckResult,
    /// The checkpoint's code.
    pub checkpoint: String,
    /// When, RFC 3339.
    pub checked_at: String,
    /// What was checked.
    pub person: CheckedPerson,
    /// The document.
    pub document: CheckedDocument,
    /// The vehicle.
    pub vehicle: CheckedVehicle,
    /// The hits with their states.
    pub hits: Vec<HitState>,
}

/// A plan as the form or the API gives it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct OperationDraft {
    /// Code name.
    pub code: String,
    /// Name.
    pub name: String,
    /// `live` or `exercise`.
    pub mode: String,
    /// `planned`, `running`, `closed`.
    pub status: String,
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// Objectives.
    #[serde(default)]
    pub objectives: String,
    /// Participating countries and their contact NCB.
    #[serde(default)]
    pub countries: Vec<OperationCountry>,
    /// Participating agencies (the creator's agency is added as coordinator).
    #[serde(default)]
    pub agencies: Vec<OperationAgency>,
    /// Watchlists with their default instruction.
    #[serde(default)]
    pub watchlists: Vec<OperationWatchlist>,
}

/// A checkpoint as the form gives it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct CheckpointDraft {
    /// Code, unique in the operation.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Country code.
    pub country: String,
    /// Responsible agency (a participating one).
    pub agency: String,
    /// Latitude.
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Teams and shifts.
    #[serde(default)]
    pub shifts: Vec<Shift>,
}

/// An operation as a participant sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationView {
    /// The plan.
    #[serde(flatten)]
    pub operation: Operation,
    /// Its checkpoints.
    pub checkpoints: Vec<Checkpoint>,
    /// Whether the caller coordinates it.
    pub coordinator: bool,
}

/// A count with the list of its records (every figure is traceable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// What is counted (a checkpoint code, a watchlist, a gender…).
    pub key: String,
    /// How many.
    pub count: i64,
    /// Where its records are listed (a page of this platform).
    pub records: String,
}

/// The live picture of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationResults {
    /// The operation.
    pub operation_id: String,
    /// Its code.
    pub code: String,
    /// `live` or `exercise` (an exercise never counts in real statistics).
    pub mode: OperationMode,
    /// Its status.
    pub status: OperationStatus,
    /// Every check.
    pub checks: Figure,
    /// Checks with at least one hit.
    pub checks_with_hits: Figure,
    /// Checks per hour (key: the hour, RFC 3339).
    pub checks_per_hour: Vec<Figure>,
    /// Checks per checkpoint (key: its code).
    pub checks_per_checkpoint: Vec<Figure>,
    /// Hits per watchlist.
    pub hits_by_watchlist: Vec<Figure>,
    /// Hits confirmed by their owner.
    pub hits_confirmed: Figure,
    /// Hits awaiting their owner.
    pub hits_pending: Figure,
    /// Victims by gender.
    pub victims_by_gender: Vec<Figure>,
    /// Victims by age group.
    pub victims_by_age_group: Vec<Figure>,
    /// Victims by nationality.
    pub victims_by_nationality: Vec<Figure>,
    /// Victims by type of exploitation.
    pub victims_by_exploitation: Vec<Figure>,
    /// Arrests.
    pub arrests: Figure,
    /// Seizures.
    pub seizures: Figure,
    /// New cases.
    pub new_cases: Figure,
}

/// A token issued for a terminal (the token is shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerminalToken {
    /// The token itself.
    pub token: String,
    /// Its name.
    pub name: String,
    /// When it expires, RFC 3339.
    pub expires_at: String,
}

/// A terminal token as the coordinator lists it (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerminalTokenInfo {
    /// The hash that names it (for revocation).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The checkpoint it is bound to, if any.
    pub checkpoint: Option<String>,
    /// Who issued it.
    pub issued_by: String,
    /// When it was issued, RFC 3339.
    pub created_at: String,
    /// When it expires, RFC 3339.
    pub expires_at: String,
    /// Whether revoked.
    pub revoked: bool,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.into()), message: message.into() }
}

fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros).map(|t| t.to_rfc3339()).unwrap_or_default()
}

fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// The checks of a plan draft, field by field (empty when it is good).
pub fn check_operation_draft(d: &OperationDraft) -> Vec<FieldProblem> {
    let mut p = Vec::new();
    let mut problem =
        |field: &str, message: &str| p.push(FieldProblem { field: field.into(), message: message.into() });
    let code_ok = !d.code.trim().is_empty()
        && d.code.trim().len() <= 40
        && d.code.trim().chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if !code_ok {
        problem("code", "a code of 1–40 letters, digits, '-' or '_'");
    }
    if d.name.trim().is_empty() || d.name.chars().count() > 200 {
        problem("name", "a name of 1–200 characters");
    }
    if OperationMode::parse(&d.mode).is_none() {
        problem("mode", "live or exercise");
    }
    if OperationStatus::parse(&d.status).is_none() {
        problem("status", "planned, running or closed");
    }
    if !is_date(&d.start_date) {
        problem("start_date", "a date YYYY-MM-DD");
    }
    if !is_date(&d.end_date) {
        problem("end_date", "a date YYYY-MM-DD");
    } else if is_date(&d.start_date) && d.end_date < d.start_date {
        problem("end_date", "the last day comes after the first");
    }
    for c in &d.countries {
        if veza_model::types::clean_country(&c.country).is_none() {
            problem("countries", &format!("'{}' is not an ISO 3166-1 alpha-2 country code", c.country));
        } else if c.contact_ncb.trim().is_empty() {
            problem("countries", &format!("name the contact NCB of '{}'", c.country));
        }
    }
    p
}

/// The checks of a checkpoint draft.
pub fn check_checkpoint_draft(d: &CheckpointDraft) -> Vec<FieldProblem> {
    let mut p = Vec::new();
    let mut problem =
        |field: &str, message: &str| p.push(FieldProblem { field: field.into(), message: message.into() });
    if d.code.trim().is_empty() || d.code.len() > 40 || d.code.chars().any(|c| c.is_whitespace() || c == ',') {
        problem("code", "a code of 1–40 characters without spaces or commas");
    }
    if d.name.trim().is_empty() {
        problem("name", "name the checkpoint");
    }
    if CheckpointKind::parse(&d.kind).is_none() {
        problem("kind", "border_crossing, airport, bus_station, railway_station, seaport, hotspot or mobile_patrol");
    }
    if veza_model::types::clean_country(&d.country).is_none() {
        problem("country", "an ISO 3166-1 alpha-2 country code");
    }
    if d.latitude.is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
        problem("latitude", "between -90 and 90");
    }
    if d.longitude.is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
        problem("longitude", "between -180 and 180");
    }
    for s in &d.shifts {
        if s.team.trim().is_empty() || s.ends_at <= s.starts_at {
            problem("shifts", "each shift names its team and ends after it starts");
        }
    }
    p
}

fn problems_error(problems: Vec<FieldProblem>) -> AppError {
    let first = &problems[0];
    AppError::Invalid { field: Some(first.field.clone()), message: first.message.clone() }
}

/// Whether the caller takes part in the operation.
pub fn takes_part(caller: &Caller, op: &Operation) -> bool {
    match caller {
        Caller::System { .. } => true,
        Caller::User { agency, .. } => op.agencies.iter().any(|a| &a.agency == agency),
    }
}

/// Whether the caller may plan a new operation: THB coordinators, NCB
/// officers and administrators (and the local operator).
pub fn may_plan(caller: &Caller) -> bool {
    use veza_model::Role;
    match caller {
        Caller::System { .. } => true,
        Caller::User { roles, .. } => {
            roles.iter().any(|r| matches!(r, Role::ThbCoordinator | Role::NcbOfficer | Role::Administrator))
        }
    }
}

/// Whether the caller coordinates the operation.
pub fn coordinates(caller: &Caller, op: &Operation) -> bool {
    match caller {
        Caller::System { .. } => true,
        Caller::User { agency, .. } => op.agencies.iter().any(|a| &a.agency == agency && a.coordinator),
    }
}

/// Whether the caller may decide a hit on data of `owner_country`: the
/// owner's NCB (a participant of that country) or a coordinator.
pub fn may_decide(caller: &Caller, op: &Operation, owner_country: &str) -> bool {
    coordinates(caller, op)
        || matches!(caller, Caller::User { country, .. } if country == owner_country && takes_part(caller, op))
}

/// The instruction of a hit: the watchlist's, with `{ncb}` replaced by the
/// contact NCB of the data owner's country (or "the owner's NCB").
pub fn instruction_for(op: &Operation, watchlist: &str, owner_country: &str) -> String {
    let template = op
        .watchlists
        .iter()
        .find(|w| w.dataset == watchlist)
        .map(|w| w.instruction.as_str())
        .filter(|i| !i.trim().is_empty())
        .unwrap_or(DEFAULT_INSTRUCTION);
    let ncb = op
        .countries
        .iter()
        .find(|c| c.country == owner_country)
        .map(|c| c.contact_ncb.clone())
        .unwrap_or_else(|| format!("the NCB of {}", owner_country.to_uppercase()));
    template.replace(NCB_PLACEHOLDER, &ncb)
}

/// The country whose NCB confirms a hit on `entity`: for a notice the
/// country that requested it; for a record held by an owner that is not a
/// country (INTERPOL's General Secretariat keeps the stolen-document and
/// stolen-vehicle lists for its members) the country that reported it — a
/// report's reporting country, a vehicle's registration country; for any
/// other record its owner's.
fn owner_country_of(entity: &Entity) -> String {
    let owner = &entity.provenance.owner.country;
    let reported = match entity.schema.as_str() {
        "Notice" => entity.first("issuingCountry"),
        _ if veza_model::types::clean_country(owner).is_some_and(|c| !matches!(c.as_str(), "zz" | "eu" | "un")) => None,
        "DocumentStatus" => entity.first("reportingCountry"),
        _ => entity.first("country").filter(|_| !entity.values("registrationNumber").is_empty()),
    };
    reported.unwrap_or(owner).to_owned()
}

/// The score of a document or registration hit.
fn identifier_score(exact: bool) -> f64 {
    if exact { EXACT_IDENTIFIER_SCORE } else { OCR_CONFUSION_SCORE }
}

/// A check made ready for screening.
struct Prepared {
    checkpoint_id: i64,
    person: Option<Person>,
    document: Option<(String, Option<String>)>,
    vehicle: Option<(String, Option<String>)>,
    record: NewCheck,
}

fn clean_opt(s: &Option<String>) -> String {
    s.as_deref().map(str::trim).unwrap_or("").to_owned()
}

impl Veza {
    /// The operation if the caller takes part in it; `NotFound` otherwise
    /// (an outsider does not learn it exists).
    pub async fn operation_for(&self, caller: &Caller, id: &str) -> Result<Operation, AppError> {
        match self.store.operation(id).await? {
            Some(op) if takes_part(caller, &op) => Ok(op),
            _ => Err(AppError::NotFound(format!("operation {id}"))),
        }
    }

    /// The operations the caller takes part in, newest first.
    pub async fn operations(&self, caller: &Caller) -> Result<Vec<Operation>, AppError> {
        Ok(self.store.operations().await?.into_iter().filter(|op| takes_part(caller, op)).collect())
    }

    /// An operation with its checkpoints, as a participant sees it.
    pub async fn operation_view(&self, caller: &Caller, id: &str) -> Result<OperationView, AppError> {
        let operation = self.operation_for(caller, id).await?;
        let checkpoints = self.store.operation_checkpoints(id).await?;
        let coordinator = coordinates(caller, &operation);
        Ok(OperationView { operation, checkpoints, coordinator })
    }

    /// Creates an operation (`id` None) or replaces a plan the caller
    /// coordinates. The creator's agency takes part as coordinator. Audited.
    pub async fn save_operation(
        &self,
        access: &Access,
        id: Option<&str>,
        draft: OperationDraft,
    ) -> Result<Operation, AppError> {
        let problems = check_operation_draft(&draft);
        if !problems.is_empty() {
            return Err(problems_error(problems));
        }
        let caller = &access.caller;
        let now = now_micros();
        let (id, created_by, created_at, lead) = match id {
            Some(id) => {
                let old = self.operation_for(caller, id).await?;
                if !coordinates(caller, &old) {
                    return Err(AppError::Forbidden("only the operation's coordinators change its plan".into()));
                }
                (old.id, old.created_by, old.created_at, old.lead_agency)
            }
            None => {
                let agency = match caller {
                    Caller::User { agency, .. } => {
                        if !may_plan(caller) {
                            return Err(AppError::Forbidden(
                                "operations are planned by THB coordinators, NCB officers or administrators".into(),
                            ));
                        }
                        agency.clone()
                    }
                    Caller::System { .. } => crate::LOCAL_AGENCY.to_owned(),
                };
                let id = format!("op-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
                (id, caller.actor(), now, agency)
            }
        };
        let mut agencies: Vec<OperationAgency> = Vec::new();
        for a in
            draft.agencies.iter().chain(std::iter::once(&OperationAgency { agency: lead.clone(), coordinator: true }))
        {
            let code = a.agency.trim();
            if code.is_empty() {
                continue;
            }
            if self.store.agency(code).await?.is_none() {
                return Err(invalid("agencies", format!("unknown agency '{code}'")));
            }
            match agencies.iter_mut().find(|x| x.agency == code) {
                Some(x) => x.coordinator |= a.coordinator,
                None => agencies.push(OperationAgency { agency: code.to_owned(), coordinator: a.coordinator }),
            }
        }
        agencies.sort_by(|a, b| a.agency.cmp(&b.agency));
        let mut countries: Vec<OperationCountry> = draft
            .countries
            .iter()
            .filter_map(|c| {
                veza_model::types::clean_country(&c.country)
                    .map(|country| OperationCountry { country, contact_ncb: c.contact_ncb.trim().to_owned() })
            })
            .collect();
        countries.sort_by(|a, b| a.country.cmp(&b.country));
        countries.dedup_by(|a, b| a.country == b.country);
        let mut watchlists: Vec<OperationWatchlist> = draft
            .watchlists
            .iter()
            .filter(|w| !w.dataset.trim().is_empty())
            .map(|w| OperationWatchlist {
                dataset: w.dataset.trim().to_owned(),
                instruction: w.instruction.trim().to_owned(),
            })
            .collect();
        watchlists.sort_by(|a, b| a.dataset.cmp(&b.dataset));
        watchlists.dedup_by(|a, b| a.dataset == b.dataset);
        let known: Vec<String> = self.store.sources().await?.into_iter().map(|s| s.dataset).collect();
        if let Some(w) = watchlists.iter().find(|w| !known.contains(&w.dataset)) {
            return Err(invalid("watchlists", format!("no dataset '{}'", w.dataset)));
        }
        let op = Operation {
            id,
            code: draft.code.trim().to_owned(),
            name: draft.name.trim().to_owned(),
            mode: OperationMode::parse(&draft.mode).unwrap_or(OperationMode::Live),
            status: OperationStatus::parse(&draft.status).unwrap_or(OperationStatus::Planned),
            start_date: draft.start_date,
            end_date: draft.end_date,
            lead_agency: lead,
            objectives: draft.objectives.trim().to_owned(),
            created_by,
            created_at,
            changed_at: now,
            countries,
            agencies,
            watchlists,
        };
        if self.store.operations().await?.iter().any(|o| o.code == op.code && o.id != op.id) {
            return Err(invalid("code", format!("an operation with code '{}' exists", op.code)));
        }
        self.store.put_operation(&op).await?;
        self.operations_cache.clear();
        self.audit_access(access, AuditAction::Alter, vec![op.id.clone()], AuditOutcome::Ok, "operation plan saved")
            .await?;
        Ok(op)
    }

    /// Adds (`id` 0) or replaces a checkpoint of an operation the caller coordinates.
    pub async fn save_checkpoint(
        &self,
        access: &Access,
        operation_id: &str,
        id: i64,
        draft: CheckpointDraft,
    ) -> Result<Checkpoint, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        if !coordinates(&access.caller, &op) {
            return Err(AppError::Forbidden("only the operation's coordinators change its checkpoints".into()));
        }
        let problems = check_checkpoint_draft(&draft);
        if !problems.is_empty() {
            return Err(problems_error(problems));
        }
        self.check_participation(&op, &draft).await?;
        let existing = self.store.operation_checkpoints(operation_id).await?;
        if existing.iter().any(|c| c.code == draft.code.trim() && c.id != id) {
            return Err(invalid("code", format!("checkpoint '{}' exists in this operation", draft.code.trim())));
        }
        let mut cp = Checkpoint {
            id,
            operation_id: operation_id.to_owned(),
            code: draft.code.trim().to_owned(),
            name: draft.name.trim().to_owned(),
            kind: CheckpointKind::parse(&draft.kind).unwrap_or(CheckpointKind::BorderCrossing),
            country: veza_model::types::clean_country(&draft.country).unwrap_or_default(),
            agency: draft.agency.trim().to_owned(),
            latitude: draft.latitude,
            longitude: draft.longitude,
            shifts: draft.shifts,
        };
        cp.shifts.sort_by_key(|s| s.starts_at);
        cp.id = self.store.put_checkpoint(&cp).await?;
        self.operations_cache.clear();
        self.audit_access(
            &access.clone(),
            AuditAction::Alter,
            vec![operation_id.to_owned()],
            AuditOutcome::Ok,
            &format!("checkpoint {} saved", cp.code),
        )
        .await?;
        Ok(cp)
    }

    /// Issues a terminal token for an operation the caller coordinates,
    /// optionally bound to one checkpoint; acting for the caller, able only
    /// to send checks. Shown once, stored hashed.
    pub async fn issue_terminal_token(
        &self,
        access: &Access,
        operation_id: &str,
        name: &str,
        checkpoint: Option<&str>,
        days: i64,
    ) -> Result<TerminalToken, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let Caller::User { username, .. } = &access.caller else {
            return Err(AppError::Forbidden("a terminal token acts for a user".into()));
        };
        if !coordinates(&access.caller, &op) {
            return Err(AppError::Forbidden("only the operation's coordinators issue terminal tokens".into()));
        }
        let mut scopes = vec![operation_scope(&op.id)];
        if let Some(code) = checkpoint.map(str::trim).filter(|c| !c.is_empty()) {
            if !self.store.operation_checkpoints(&op.id).await?.iter().any(|c| c.code == code) {
                return Err(invalid("checkpoint", format!("no checkpoint '{code}' in this operation")));
            }
            scopes.push(format!("checkpoint:{code}"));
        }
        let purpose = format!("operation {}", op.code);
        let issued =
            self.issue_api_token(username, name, &scopes, chrono::Duration::days(days), Some(&purpose)).await?;
        self.audit_access(
            access,
            AuditAction::Grant,
            vec![op.id.clone()],
            AuditOutcome::Ok,
            &format!("terminal token '{}' issued", name.trim()),
        )
        .await?;
        Ok(TerminalToken {
            token: issued.token,
            name: name.trim().to_owned(),
            expires_at: issued.expires_at.to_rfc3339(),
        })
    }

    /// The terminal tokens of an operation the caller coordinates.
    pub async fn terminal_tokens(
        &self,
        caller: &Caller,
        operation_id: &str,
    ) -> Result<Vec<TerminalTokenInfo>, AppError> {
        let op = self.operation_for(caller, operation_id).await?;
        if !coordinates(caller, &op) {
            return Err(AppError::Forbidden("only the operation's coordinators see its tokens".into()));
        }
        Ok(self
            .store
            .operation_tokens(&op.id)
            .await?
            .into_iter()
            .map(|t| TerminalTokenInfo {
                checkpoint: t.scopes.iter().find_map(|s| s.strip_prefix("checkpoint:")).map(str::to_owned),
                id: t.token_hash,
                name: t.name,
                issued_by: t.username,
                created_at: rfc3339(t.created_at),
                expires_at: rfc3339(t.expires_at),
                revoked: t.revoked,
            })
            .collect())
    }

    /// Revokes a terminal token of an operation the caller coordinates.
    pub async fn revoke_terminal_token(
        &self,
        access: &Access,
        operation_id: &str,
        token_id: &str,
    ) -> Result<bool, AppError> {
        let tokens = self.terminal_tokens(&access.caller, operation_id).await?;
        let Some(t) = tokens.iter().find(|t| t.id == token_id) else { return Ok(false) };
        let done = self.store.revoke_api_token(&t.id).await?;
        self.audit_access(
            access,
            AuditAction::Refuse,
            vec![operation_id.to_owned()],
            AuditOutcome::Ok,
            &format!("terminal token '{}' revoked", t.name),
        )
        .await?;
        Ok(done)
    }

    /// Screens checks against the operation's watchlists and the case
    /// database, stores each with its hits and one audit entry (one
    /// transaction for the batch), and answers each. `terminal` is the
    /// token's scope when a terminal sends them: it must name this
    /// operation (and, if bound, the checkpoint).
    pub async fn run_checks(
        &self,
        caller: &Caller,
        terminal: Option<&Terminal>,
        operation_id: &str,
        inputs: &[CheckInput],
    ) -> Result<Vec<CheckAnswer>, AppError> {
        let answers = self.screen_and_record(caller, terminal, operation_id, inputs, None).await?;
        Ok(answers.into_iter().map(|(a, _)| a).collect())
    }

    /// [`Veza::run_checks`] for checks made at a field node: each check is
    /// stored with its field reference (`refs[i]` for `inputs[i]`) in one
    /// transaction; a check whose reference is there already is answered
    /// from the store (`true`: a duplicate) and not stored again.
    pub(crate) async fn run_field_checks(
        &self,
        caller: &Caller,
        terminal: Option<&Terminal>,
        operation_id: &str,
        inputs: &[CheckInput],
        refs: &[veza_store::FieldCheckRef],
    ) -> Result<Vec<(CheckAnswer, bool)>, AppError> {
        if refs.len() != inputs.len() {
            return Err(AppError::Internal("one field reference per check is needed".into()));
        }
        self.screen_and_record(caller, terminal, operation_id, inputs, Some(refs)).await
    }

    /// The answer to a stored check, as it was given.
    pub(crate) async fn stored_answer(&self, operation_id: &str, check_id: i64) -> Result<CheckAnswer, AppError> {
        let Some((record, hits)) = self.store.check(operation_id, check_id).await? else {
            return Err(AppError::NotFound(format!("check {check_id}")));
        };
        Ok(CheckAnswer {
            check_id: record.id,
            result: record.result,
            hits: hits
                .into_iter()
                .map(|h| HitAnswer {
                    watchlist: h.hit.watchlist,
                    match_id: h.hit.match_id,
                    score: h.hit.score,
                    instruction: h.hit.instruction,
                })
                .collect(),
        })
    }

    async fn screen_and_record(
        &self,
        caller: &Caller,
        terminal: Option<&Terminal>,
        operation_id: &str,
        inputs: &[CheckInput],
        field: Option<&[veza_store::FieldCheckRef]>,
    ) -> Result<Vec<(CheckAnswer, bool)>, AppError> {
        if let Some(t) = terminal
            && t.operation_id != operation_id
        {
            return Err(AppError::Forbidden("this terminal's token is for another operation".into()));
        }
        if inputs.is_empty() || inputs.len() > MAX_CHECK_BATCH {
            return Err(invalid("checks", format!("1–{MAX_CHECK_BATCH} checks per request, not {}", inputs.len())));
        }
        let plan = self.cached_plan(caller, operation_id).await?;
        let (op, checkpoints) = (&plan.0, &plan.1);
        if op.status != OperationStatus::Running {
            return Err(AppError::Conflict(format!("operation {} is {}, not running", op.code, op.status)));
        }
        let (officer, agency) = match caller {
            Caller::User { username, agency, .. } => (username.clone(), agency.clone()),
            Caller::System { .. } => (caller.actor(), String::new()),
        };
        let now = now_micros();
        let mut prepared = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            prepared.push(self.prepare_check(
                op,
                checkpoints,
                terminal,
                i,
                inputs.len(),
                input,
                &officer,
                &agency,
                now,
            )?);
        }
        let options = ScreenOptions::default();
        let mut datasets: Vec<&str> = op.watchlists.iter().map(|w| w.dataset.as_str()).collect();
        let case_db = self.store.sources().await?.iter().any(|s| s.dataset == crate::CASEWORK_DATASET);
        if case_db {
            datasets.push(crate::CASEWORK_DATASET);
        }
        // (check index, dataset, entity id, score, possibly misread)
        let mut raw: Vec<(usize, String, String, f64, bool)> = Vec::new();
        for dataset in datasets {
            // An exercise's checks screen the exercise's own records only.
            let index = self.watchlist_index(&crate::screening::realm_key(dataset, caller.exercise())).await?;
            let persons: Vec<(usize, Person)> =
                prepared.iter().enumerate().filter_map(|(i, p)| p.person.clone().map(|x| (i, x))).collect();
            let engine = Arc::clone(&index);
            let opts = options;
            let screen = move |persons: &[(usize, Person)]| {
                crate::screening::with_scratch(|scratch| {
                    let mut out = Vec::new();
                    for (i, p) in persons {
                        for h in engine.persons.screen_with(p, &opts, scratch) {
                            if h.is_match {
                                out.push((*i, h.id.clone(), h.score));
                            }
                        }
                    }
                    out
                })
            };
            // A terminal's check (one or a few persons, a fraction of a
            // millisecond each) is screened where the request runs; a
            // blocking thread would cost more in thread switches. Batches
            // go to a blocking thread.
            let found: Vec<(usize, String, f64)> = if persons.len() <= INLINE_SCREENING {
                screen(&persons)
            } else {
                tokio::task::spawn_blocking(move || screen(&persons))
                    .await
                    .map_err(|e| AppError::Internal(format!("screening task: {e}")))?
            };
            let name = if dataset == crate::CASEWORK_DATASET { CASE_DATABASE } else { dataset };
            raw.extend(found.into_iter().map(|(i, id, s)| (i, name.to_owned(), id, s, false)));
            let mut docs = Vec::new();
            let mut cars = Vec::new();
            for (i, p) in prepared.iter().enumerate() {
                if let Some((number, country)) = &p.document {
                    docs.clear();
                    index.documents.find_into(number, country.as_deref(), &mut docs);
                    for m in &docs {
                        if let Some(id) = index.document_ids.get(m.record as usize) {
                            let exact = m.kind == veza_screen::DocumentMatchKind::Exact;
                            raw.push((i, name.to_owned(), id.clone(), identifier_score(exact), !exact));
                        }
                    }
                }
                if let Some((registration, country)) = &p.vehicle {
                    cars.clear();
                    index.vehicles.find_into(registration, country.as_deref(), &mut cars);
                    for m in &cars {
                        if let Some(id) = index.vehicle_ids.get(m.record as usize) {
                            let exact = m.kind == veza_screen::VehicleMatchKind::Exact;
                            raw.push((i, name.to_owned(), id.clone(), identifier_score(exact), !exact));
                        }
                    }
                }
            }
        }
        // Only records the caller may see become hits (the policy applies to
        // results, as in screening).
        // One batch look-up for every candidate of every check.
        let ids: Vec<String> = raw
            .iter()
            .map(|(_, _, id, _, _)| id.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let seen: BTreeMap<String, Entity> = self
            .store
            .entities(caller, &ids)
            .await?
            .into_iter()
            .filter_map(|l| match l {
                Lookup::Found(e) => Some((e.id.clone(), e)),
                _ => None,
            })
            .collect();
        for (i, watchlist, id, score, misread) in raw {
            let Some(entity) = seen.get(&id) else { continue };
            let record = &mut prepared[i].record;
            if record.hits.iter().any(|h| h.match_id == id && h.watchlist == watchlist) {
                continue;
            }
            let owner_country = owner_country_of(entity);
            let instruction = instruction_for(op, &watchlist, &owner_country);
            record.hits.push(NewHit {
                instruction: if misread { format!("{OCR_CONFUSION_NOTE}{instruction}") } else { instruction },
                match_caption: entity.caption(self.model),
                owner_agency: entity.provenance.owner.agency.clone(),
                owner_country,
                watchlist,
                match_id: id,
                score: (score * 1000.0).round() / 1000.0,
            });
        }
        let purpose = format!("operation {}", op.code);
        let mut records = Vec::with_capacity(prepared.len());
        let mut audit = Vec::with_capacity(prepared.len());
        for p in prepared {
            let mut rec = p.record;
            rec.hits.sort_by(|a, b| b.score.total_cmp(&a.score));
            let via = if rec.terminal.is_empty() { String::new() } else { format!(" via terminal {}", rec.terminal) };
            audit.push(NewAuditEntry {
                actor: caller.actor(),
                agency: agency.clone(),
                action: AuditAction::Consult,
                entity_ids: rec.hits.iter().map(|h| h.match_id.clone()).collect(),
                outcome: AuditOutcome::Ok,
                purpose: purpose.clone(),
                detail: format!(
                    "operation check at checkpoint {}{via}: {}",
                    p.checkpoint_id,
                    if rec.hits.is_empty() { "no hit" } else { "hit" }
                ),
            });
            records.push(rec);
        }
        let ids: Vec<(i64, bool)> = match field {
            None => self.store.record_checks(&records, audit).await?.into_iter().map(|id| (id, true)).collect(),
            Some(refs) => self.store.record_field_check_batch(&records, audit, refs).await?,
        };
        let mut out = Vec::with_capacity(ids.len());
        for ((check_id, stored_now), r) in ids.into_iter().zip(records) {
            if !stored_now {
                out.push((self.stored_answer(operation_id, check_id).await?, true));
                continue;
            }
            let answer = CheckAnswer {
                check_id,
                result: if r.hits.is_empty() { CheckResult::NoHit } else { CheckResult::Hit },
                hits: r
                    .hits
                    .into_iter()
                    .map(|h| HitAnswer {
                        watchlist: h.watchlist,
                        match_id: h.match_id,
                        score: h.score,
                        instruction: h.instruction,
                    })
                    .collect(),
            };
            out.push((answer, false));
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare_check(
        &self,
        op: &Operation,
        checkpoints: &[Checkpoint],
        terminal: Option<&Terminal>,
        i: usize,
        n: usize,
        input: &CheckInput,
        officer: &str,
        agency: &str,
        now: i64,
    ) -> Result<Prepared, AppError> {
        let field = |f: &str| if n == 1 { f.to_owned() } else { format!("checks[{i}].{f}") };
        let code = input.checkpoint.trim();
        let Some(cp) = checkpoints.iter().find(|c| c.code == code) else {
            return Err(invalid(field("checkpoint"), format!("no checkpoint '{code}' in operation {}", op.code)));
        };
        if let Some(t) = terminal
            && t.checkpoint.as_deref().is_some_and(|bound| bound != code)
        {
            return Err(AppError::Forbidden(format!(
                "this terminal's token is bound to another checkpoint than '{code}'"
            )));
        }
        let mut record = NewCheck {
            operation_id: op.id.clone(),
            checkpoint_id: cp.id,
            checked_at: now,
            officer: officer.to_owned(),
            agency: agency.to_owned(),
            terminal: terminal.map(|t| t.name.clone()).unwrap_or_default(),
            person: CheckedPerson::default(),
            document: CheckedDocument::default(),
            vehicle: CheckedVehicle::default(),
            hits: Vec::new(),
        };
        let mut person = None;
        if let Some(p) = &input.person {
            let q = crate::ScreenQuery {
                name: p.name.clone().filter(|n| !n.trim().is_empty()),
                birth_date: p.birth_date.iter().filter(|d| !d.trim().is_empty()).cloned().collect(),
                gender: p.gender.clone().filter(|g| !g.trim().is_empty()),
                nationality: p.nationality.iter().filter(|c| !c.trim().is_empty()).cloned().collect(),
                ..Default::default()
            };
            if q.name.is_some() {
                let mut screened = q.to_person(&field("person"), "0")?;
                screened.id = i.to_string();
                person = Some(screened);
            } else if q.birth_date.len() + q.nationality.len() > 0 {
                return Err(invalid(field("person.name"), "a person is checked by name"));
            }
            record.person = CheckedPerson {
                name: clean_opt(&p.name),
                birth_date: clean_opt(&p.birth_date),
                nationality: q.nationality.first().map(|c| c.trim().to_lowercase()).unwrap_or_default(),
                gender: clean_opt(&p.gender).to_lowercase(),
            };
        }
        let mut document = None;
        if let Some(d) = &input.document {
            if veza_text::normalise_identifier(&d.number).len() < 4 {
                return Err(invalid(field("document.number"), "a document number has at least 4 letters or digits"));
            }
            let country = match d.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => None,
                Some(c) => Some(veza_model::types::clean_country(c).ok_or_else(|| {
                    invalid(field("document.country"), format!("'{c}' is not an ISO 3166-1 alpha-2 code"))
                })?),
            };
            record.document = CheckedDocument {
                number: d.number.trim().to_owned(),
                country: country.clone().unwrap_or_default(),
                kind: clean_opt(&d.kind),
            };
            document = Some((d.number.clone(), country));
        }
        let mut vehicle = None;
        if let Some(v) = &input.vehicle {
            if veza_text::normalise_identifier(&v.registration).len() < veza_screen::MIN_REGISTRATION_LEN {
                return Err(invalid(
                    field("vehicle.registration"),
                    format!(
                        "a registration number has at least {} letters or digits",
                        veza_screen::MIN_REGISTRATION_LEN
                    ),
                ));
            }
            let country = match v.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => None,
                Some(c) => Some(veza_model::types::clean_country(c).ok_or_else(|| {
                    invalid(field("vehicle.country"), format!("'{c}' is not an ISO 3166-1 alpha-2 code"))
                })?),
            };
            record.vehicle = CheckedVehicle {
                registration: v.registration.trim().to_owned(),
                country: country.clone().unwrap_or_default(),
            };
            vehicle = Some((v.registration.clone(), country));
        }
        if person.is_none() && document.is_none() && vehicle.is_none() {
            return Err(invalid(field("person"), "a check names a person, a document or a vehicle"));
        }
        Ok(Prepared { checkpoint_id: cp.id, person, document, vehicle, record })
    }

    /// The plan and checkpoints of an operation the caller takes part in,
    /// kept for a few seconds so a stream of checks does not read it each time.
    async fn cached_plan(&self, caller: &Caller, id: &str) -> Result<Arc<(Operation, Vec<Checkpoint>)>, AppError> {
        let cached = self.operations_cache.get(id);
        let plan = match cached {
            Some(p) => p,
            None => {
                let Some(op) = self.store.operation(id).await? else {
                    return Err(AppError::NotFound(format!("operation {id}")));
                };
                let cps = self.store.operation_checkpoints(id).await?;
                let plan = Arc::new((op, cps));
                self.operations_cache.put(id, Arc::clone(&plan));
                plan
            }
        };
        if !takes_part(caller, &plan.0) {
            return Err(AppError::NotFound(format!("operation {id}")));
        }
        Ok(plan)
    }

    /// One check with its hits' states, for a participant, or for the
    /// terminal that sent it. Audited as a consultation.
    pub async fn check_state(
        &self,
        access: &Access,
        terminal: Option<&Terminal>,
        operation_id: &str,
        check_id: i64,
    ) -> Result<CheckState, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        if terminal.is_some_and(|t| t.operation_id != op.id) {
            return Err(AppError::NotFound(format!("check {check_id}")));
        }
        let Some((check, hits)) = self.store.check(&op.id, check_id).await? else {
            return Err(AppError::NotFound(format!("check {check_id}")));
        };
        if let Some(t) = terminal
            && t.name != check.check.terminal
        {
            return Err(AppError::NotFound(format!("check {check_id}")));
        }
        let checkpoints = self.store.operation_checkpoints(&op.id).await?;
        let access = self.operation_access(access, &op);
        self.audit_access(
            &access,
            AuditAction::Consult,
            std::iter::once(check_entity_id(check.id)).chain(hits.iter().map(|h| h.hit.match_id.clone())).collect(),
            AuditOutcome::Ok,
            "operation check read",
        )
        .await?;
        Ok(CheckState {
            check_id: check.id,
            result: check.result,
            checkpoint: checkpoints
                .iter()
                .find(|c| c.id == check.check.checkpoint_id)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            checked_at: rfc3339(check.check.checked_at),
            person: check.check.person,
            document: check.check.document,
            vehicle: check.check.vehicle,
            hits: hits
                .into_iter()
                .map(|h| HitState {
                    hit_id: h.id,
                    hit: HitAnswer {
                        watchlist: h.hit.watchlist,
                        match_id: h.hit.match_id,
                        score: h.hit.score,
                        instruction: h.hit.instruction,
                    },
                    status: h.status,
                    action: h.action,
                    reason: h.reason,
                })
                .collect(),
        })
    }

    /// The access of a participant in an operation: their stated purpose,
    /// or the operation itself as purpose.
    fn operation_access(&self, access: &Access, op: &Operation) -> Access {
        if access.purpose.is_some() {
            return access.clone();
        }
        Access::with_purpose(access.caller.clone(), &format!("operation {}", op.code))
            .unwrap_or_else(|_| access.clone())
    }

    /// Checks of an operation, newest first. Audited as a consultation.
    pub async fn operation_checks(
        &self,
        access: &Access,
        operation_id: &str,
        filter: &CheckFilter,
    ) -> Result<Vec<CheckRecord>, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let checks = self.store.checks(&op.id, filter).await?;
        let access = self.operation_access(access, &op);
        self.audit_access(
            &access,
            AuditAction::Consult,
            checks.iter().map(|c| check_entity_id(c.id)).collect(),
            AuditOutcome::Ok,
            "operation checks listed",
        )
        .await?;
        Ok(checks)
    }

    /// The hit queue: hits of an operation the caller may decide (the NCB of
    /// the data's owner; a coordinator sees them all), oldest first.
    pub async fn hit_queue(
        &self,
        access: &Access,
        operation_id: &str,
        filter: &HitFilter,
    ) -> Result<Vec<HitRecord>, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let mut filter = filter.clone();
        if !coordinates(&access.caller, &op) {
            match &access.caller {
                Caller::User { country, .. } => filter.owner_country = Some(country.clone()),
                Caller::System { .. } => {}
            }
        }
        let hits = self.store.hits(&op.id, &filter).await?;
        let access = self.operation_access(access, &op);
        self.audit_access(
            &access,
            AuditAction::Consult,
            hits.iter().map(|h| hit_entity_id(h.id)).collect(),
            AuditOutcome::Ok,
            "operation hit queue read",
        )
        .await?;
        Ok(hits)
    }

    /// Records the data owner's decision on a pending hit (confirmed or
    /// rejected with a reason, and the action taken). Audited in the same
    /// transaction.
    pub async fn decide_hit(
        &self,
        access: &Access,
        operation_id: &str,
        hit_id: i64,
        status: HitStatus,
        action: HitAction,
        reason: &str,
    ) -> Result<HitRecord, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        if status == HitStatus::Pending {
            return Err(invalid("status", "confirmed or rejected"));
        }
        if status == HitStatus::Rejected && reason.trim().is_empty() {
            return Err(invalid("reason", "say why the hit is rejected"));
        }
        let all = self.store.hits(&op.id, &HitFilter { limit: u32::MAX, ..Default::default() }).await?;
        let Some(hit) = all.into_iter().find(|h| h.id == hit_id) else {
            return Err(AppError::NotFound(format!("hit {hit_id}")));
        };
        if !may_decide(&access.caller, &op, &hit.hit.owner_country) {
            return Err(AppError::Forbidden("the hit is decided by the NCB of the data's owner".into()));
        }
        let access = self.operation_access(access, &op);
        let purpose = access.purpose.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default();
        let (actor, agency) = match &access.caller {
            Caller::User { username, agency, .. } => (username.clone(), agency.clone()),
            c => (c.actor(), String::new()),
        };
        let decision = HitDecision {
            status,
            reason: reason.trim().to_owned(),
            action,
            decided_by: actor.clone(),
            decided_at: now_micros(),
        };
        let entry = NewAuditEntry {
            actor,
            agency,
            action: AuditAction::Alter,
            entity_ids: vec![hit.hit.match_id.clone()],
            outcome: AuditOutcome::Ok,
            purpose,
            detail: format!("hit {status}: {action}"),
        };
        if !self.store.decide_hit(&op.id, hit_id, &decision, entry).await? {
            return Err(AppError::Conflict(format!("hit {hit_id} was decided already")));
        }
        Ok(HitRecord {
            status,
            action: Some(action),
            reason: decision.reason,
            decided_by: decision.decided_by,
            decided_at: Some(decision.decided_at),
            ..hit
        })
    }

    /// The live picture of an operation: checks per hour and checkpoint,
    /// hits by watchlist, victims (from Victim entities whose `operation`
    /// names it; counts only), arrests, seizures and new cases. Every figure
    /// carries the page that lists its records. Built from
    /// [`Veza::operation_figures`], like the reports.
    pub async fn operation_results(&self, access: &Access, operation_id: &str) -> Result<OperationResults, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let figures = self.operation_figures(&op, None).await?;
        let counts = &figures.counts;
        let checkpoints = self.store.operation_checkpoints(&op.id).await?;
        let base = format!("/operations/{}", op.id);
        let fig = |key: &str, count: i64, records: String| Figure { key: key.to_owned(), count, records };
        let code_of = |id: i64| checkpoints.iter().find(|c| c.id == id).map(|c| c.code.clone()).unwrap_or_default();
        let group = |tallies: Vec<crate::operation_figures::Tally>, prop: &str| -> Vec<Figure> {
            tallies
                .into_iter()
                .map(|t| fig(&t.key, t.count, format!("{base}/records?schema=Victim&{prop}={}", t.key)))
                .collect()
        };
        let results = OperationResults {
            operation_id: op.id.clone(),
            code: op.code.clone(),
            mode: op.mode,
            status: op.status,
            checks: fig("checks", counts.checks, format!("{base}/checks")),
            checks_with_hits: fig("checks_with_hits", counts.checks_with_hits, format!("{base}/checks?result=hit")),
            checks_per_hour: counts
                .per_hour
                .iter()
                .map(|(h, n, _)| fig(&rfc3339(*h), *n, format!("{base}/checks?from={h}&to={}", h + 3_600_000_000)))
                .collect(),
            checks_per_checkpoint: counts
                .per_checkpoint
                .iter()
                .map(|(id, n, _)| fig(&code_of(*id), *n, format!("{base}/checks?checkpoint={id}")))
                .collect(),
            hits_by_watchlist: counts
                .hits_by_watchlist
                .iter()
                .map(|(w, n, _, _)| fig(w, *n, format!("{base}/hits?watchlist={w}")))
                .collect(),
            hits_confirmed: fig("hits_confirmed", figures.hits_confirmed(), format!("{base}/hits?status=confirmed")),
            hits_pending: fig("hits_pending", figures.hits_pending(), format!("{base}/hits?status=pending")),
            victims_by_gender: group(figures.victims_by_gender(), "gender"),
            victims_by_age_group: group(figures.victims_by_age_group(), "age_group"),
            victims_by_nationality: group(figures.victims_by_nationality(), "nationality"),
            victims_by_exploitation: group(figures.victims_by_exploitation(), "exploitationType"),
            arrests: fig("arrests", figures.arrests.len() as i64, format!("{base}/records?schema=Arrest")),
            seizures: fig("seizures", figures.seizures.len() as i64, format!("{base}/records?schema=Seizure")),
            new_cases: fig("new_cases", figures.cases.len() as i64, format!("{base}/records?schema=Case")),
        };
        let access = self.operation_access(access, &op);
        self.audit_access(&access, AuditAction::Consult, vec![op.id.clone()], AuditOutcome::Ok, "operation results")
            .await?;
        Ok(results)
    }

    /// Entities of one schema whose `operation` names this operation, as
    /// the caller may see them (the list behind a figure), through the
    /// store's indexed reference look-up.
    pub async fn operation_records(
        &self,
        access: &Access,
        operation_id: &str,
        schema: &str,
    ) -> Result<Vec<Entity>, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let visible = self
            .store
            .entities_referencing(
                &access.caller,
                crate::operation_figures::OPERATION_PROPERTY,
                &op.id,
                &[schema],
                crate::operation_figures::MAX_OPERATION_RECORDS,
            )
            .await?;
        let access = self.operation_access(access, &op);
        self.audit_access(
            &access,
            AuditAction::Consult,
            visible.iter().map(|e| e.id.clone()).collect(),
            AuditOutcome::Ok,
            &format!("operation {schema} records"),
        )
        .await?;
        Ok(visible)
    }
}

/// An operation's plan with its checkpoints.
type Plan = (Operation, Vec<Checkpoint>);

/// The plans of running operations, kept a few seconds.
#[derive(Default)]
pub(crate) struct OperationsCache {
    plans: std::sync::Mutex<BTreeMap<String, (std::time::Instant, Arc<Plan>)>>,
}

impl OperationsCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(5);

    fn get(&self, id: &str) -> Option<Arc<(Operation, Vec<Checkpoint>)>> {
        let map = self.plans.lock().ok()?;
        map.get(id).filter(|(at, _)| at.elapsed() < Self::TTL).map(|(_, p)| Arc::clone(p))
    }

    fn put(&self, id: &str, plan: Arc<(Operation, Vec<Checkpoint>)>) {
        if let Ok(mut map) = self.plans.lock() {
            map.insert(id.to_owned(), (std::time::Instant::now(), plan));
        }
    }

    /// Forgets every plan (a plan or checkpoint changed).
    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.plans.lock() {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> Operation {
        Operation {
            id: "op-1".into(),
            code: "X".into(),
            name: "X".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: "2026-01-01".into(),
            end_date: "2026-01-02".into(),
            lead_agency: "mk-mvr".into(),
            objectives: String::new(),
            created_by: "a".into(),
            created_at: 0,
            changed_at: 0,
            countries: vec![OperationCountry { country: "mk".into(), contact_ncb: "NCB Skopje".into() }],
            agencies: vec![
                OperationAgency { agency: "mk-mvr".into(), coordinator: true },
                OperationAgency { agency: "rs-bp".into(), coordinator: false },
            ],
            watchlists: vec![OperationWatchlist {
                dataset: "notices".into(),
                instruction: "do not arrest; contact {ncb}".into(),
            }],
        }
    }

    #[test]
    fn instructions_name_the_owners_ncb() {
        assert_eq!(instruction_for(&op(), "notices", "mk"), "do not arrest; contact NCB Skopje");
        assert_eq!(
            instruction_for(&op(), "other", "al"),
            "possible match: hold the person for confirmation; contact the NCB of AL"
        );
    }

    #[test]
    fn only_participants_take_part_and_only_the_owners_ncb_decides() {
        let op = op();
        let rs = Caller::user("ivan", "rs-bp", "rs", &[]);
        let mk = Caller::user("ana", "mk-mvr", "mk", &[]);
        let al = Caller::user("besa", "al-asp", "al", &[]);
        assert!(takes_part(&rs, &op) && takes_part(&mk, &op) && !takes_part(&al, &op));
        assert!(coordinates(&mk, &op) && !coordinates(&rs, &op));
        assert!(may_decide(&rs, &op, "rs"), "the owner's NCB decides");
        assert!(!may_decide(&rs, &op, "al"), "another country's hit is not for it");
        assert!(!may_decide(&al, &op, "al"), "not without taking part");
        assert!(may_decide(&mk, &op, "al"), "a coordinator may");
    }

    #[test]
    fn terminal_scopes_are_read_from_the_token() {
        let t = Terminal::from_scopes("lane-1", &["operation:op-1".into(), "checkpoint:TAB".into()]).unwrap();
        assert_eq!((t.operation_id.as_str(), t.checkpoint.as_deref()), ("op-1", Some("TAB")));
        assert!(Terminal::from_scopes("x", &["read".into()]).is_none());
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        let d = OperationDraft {
            code: "bad code".into(),
            name: "N".into(),
            mode: "live".into(),
            status: "running".into(),
            start_date: "2026-02-01".into(),
            end_date: "2026-01-01".into(),
            ..Default::default()
        };
        let fields: Vec<String> = check_operation_draft(&d).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["code", "end_date"]);
        let c = CheckpointDraft {
            code: "A".into(),
            name: "A".into(),
            kind: "castle".into(),
            country: "mk".into(),
            ..Default::default()
        };
        assert_eq!(check_checkpoint_draft(&c).into_iter().map(|p| p.field).collect::<Vec<_>>(), ["kind"]);
    }
}

/// An arrest, seizure or new investigation to record against an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct OutcomeDraft {
    /// `arrest`, `seizure` or `case`.
    #[serde(default)]
    pub kind: String,
    /// The person (entity id): arrested, or seized from.
    #[serde(default)]
    pub person: String,
    /// The case (entity id) it belongs to, if any.
    #[serde(default)]
    pub case: String,
    /// The checkpoint's code, if it happened at one.
    #[serde(default)]
    pub checkpoint: String,
    /// Arrest: legal basis; seizure: what was seized; case: its name.
    #[serde(default)]
    pub detail: String,
}

impl Veza {
    /// Records an arrest, a seizure or a new investigation (a Case) against
    /// an operation the caller takes part in: an entity with the operation
    /// (and person, case, checkpoint) references, created through the entity
    /// use case, so the policy and the audit apply.
    pub async fn record_outcome(
        &self,
        access: &Access,
        operation_id: &str,
        d: OutcomeDraft,
    ) -> Result<Entity, AppError> {
        let op = self.operation_for(&access.caller, operation_id).await?;
        let mut props: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            if !v.trim().is_empty() {
                props.entry(k.to_owned()).or_default().push(v.trim().to_owned());
            }
        };
        put("operation", &op.id);
        if !d.checkpoint.trim().is_empty() {
            let cps = self.store.operation_checkpoints(&op.id).await?;
            let Some(cp) = cps.iter().find(|c| c.code == d.checkpoint.trim()) else {
                return Err(invalid(
                    "checkpoint",
                    format!("no checkpoint '{}' in this operation", d.checkpoint.trim()),
                ));
            };
            put("country", &cp.country);
            put("location", &cp.name);
        }
        let schema = match d.kind.as_str() {
            "arrest" => {
                if d.person.trim().is_empty() {
                    return Err(invalid("person", "name the person arrested (their record's id)"));
                }
                put("person", &d.person);
                put("case", &d.case);
                put("legalBasis", if d.detail.trim().is_empty() { "other" } else { &d.detail });
                put("date", &chrono::Utc::now().date_naive().to_string());
                "Arrest"
            }
            "seizure" => {
                put("seizedFrom", &d.person);
                put("case", &d.case);
                put("itemType", if d.detail.trim().is_empty() { "other" } else { &d.detail });
                put("date", &chrono::Utc::now().date_naive().to_string());
                "Seizure"
            }
            "case" => {
                if d.detail.trim().is_empty() {
                    return Err(invalid("detail", "name the new investigation"));
                }
                put("name", &d.detail);
                put("caseOrigin", "checkpoint_hit");
                "Case"
            }
            _ => return Err(invalid("kind", "arrest, seizure or case")),
        };
        if schema == "Case" {
            // The new investigation carries the operation (the figures find
            // it by that reference) and a case number naming it.
            props.remove("location");
            props.remove("country");
            let n = chrono::Utc::now().timestamp_micros() % 1_000_000;
            props.insert("caseNumber".into(), vec![format!("{}-{n:06}", op.code)]);
            props.insert("openedDate".into(), vec![chrono::Utc::now().date_naive().to_string()]);
        }
        let access = self.operation_access(access, &op);
        let entity = crate::NewEntity {
            id: None,
            schema: schema.into(),
            properties: props,
            handling: None,
            value_handling: BTreeMap::new(),
        };
        self.create_entity(&access, entity).await
    }
}
