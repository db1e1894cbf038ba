//! Case files as investigators work them: create a case (and become its
//! lead investigator), open it with what belongs to it, attach and detach
//! records, evidence files, notes, tasks, and shares with other agencies.
//!
//! Every read is one consultation entry; every change is audited before it
//! is made ([`Veza::audited_change`]), with a second entry when the store
//! refuses it. The store decides who may: this module only validates input.

use crate::{Access, AppError, NewEntity, Veza};
use chrono::{NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use veza_model::{Entity, Handling, PropertyType, SourceRef, Visibility};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{
    Attached, Caller, Capacity, CaseMember, CaseNote, CaseShare, CaseTask, Evidence, Lookup, NetworkNode, NewEvidence,
    NewShare, NewTask, SearchQuery, ShareHandling, Standing, StoreError, TaskStatus,
};

/// The largest evidence file accepted, in bytes (25 MiB).
pub const MAX_EVIDENCE_BYTES: usize = 25 * 1024 * 1024;

/// Dataset of the `case` values set by attaching records to cases by hand.
pub const CASEWORK_DATASET: &str = "casework";

/// The properties of the Case schema the creation form asks for, in order.
pub const CASE_FORM_PROPERTIES: [&str; 14] = [
    "name",
    "caseNumber",
    "status",
    "caseType",
    "caseOrigin",
    "openedDate",
    "exploitationType",
    "recruitmentMethod",
    "methodOfControl",
    "originCountry",
    "transitCountry",
    "exploitationCountry",
    "estimatedVictimCount",
    "summary",
];

/// How many records of a case a case page lists at most.
pub const MAX_CASE_RECORDS: usize = 500;

/// One problem of a form, for the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The form field (a property name, or `handling`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A case as the creation form sends it.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    /// Values by property of the Case schema (several for multi-valued ones).
    pub properties: BTreeMap<String, Vec<String>>,
    /// Who may see the case record: `agency` (default) or `country`.
    pub visibility: Option<String>,
}

/// A case as a list of cases shows it.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    /// The Case entity.
    pub case: Entity,
    /// The caller's capacity in it, when a member.
    pub capacity: Option<Capacity>,
    /// Whether the caller's agency owns it.
    pub owned: bool,
    /// Records of the case the caller may see.
    pub records: usize,
    /// Tasks not done yet (0 when the working file is closed to the caller).
    pub open_tasks: usize,
}

/// The working file of a case, for those who work on it.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Owner (manages members and shares) and/or writer.
    pub owner: bool,
    /// Whether the caller may add notes, tasks and evidence.
    pub writes: bool,
    /// The members.
    pub members: Vec<CaseMember>,
    /// The files, newest first.
    pub evidence: Vec<Evidence>,
    /// The notes, oldest first.
    pub notes: Vec<CaseNote>,
    /// The tasks, open first.
    pub tasks: Vec<CaseTask>,
    /// The shares (owner agency only; empty otherwise).
    pub shares: Vec<CaseShare>,
}

/// A case with what belongs to it, as the caller may see it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The Case entity.
    pub case: Entity,
    /// Records one link from the case (those naming it, those it names).
    pub records: Vec<NetworkNode>,
    /// More records than [`MAX_CASE_RECORDS`].
    pub truncated: bool,
    /// The working file; `None` for a caller who reads the case through a
    /// share or its handling only.
    pub workspace: Option<Workspace>,
}

/// A store error of these use cases as the app reports it.
fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::Missing(m) => AppError::NotFound(m),
        other => other.into(),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The media type of a file read from its first bytes, never from its name:
/// `application/octet-stream` when they match no known type.
pub fn sniff_media_type(bytes: &[u8]) -> &'static str {
    infer::get(bytes).map(|t| t.mime_type()).unwrap_or("application/octet-stream")
}

/// A declared file name made safe to keep and show: the last path part,
/// without control characters, at most 200 characters; `file` when nothing
/// is left.
pub fn clean_file_name(declared: &str) -> String {
    let last = declared.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "file".to_owned() } else { cleaned }
}

impl Veza {
    /// Checks a case form against the Case schema: every bad value, by field.
    pub fn check_case(&self, input: &NewCase) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut scratch = Entity::new("check", "Case");
        for (prop, values) in &input.properties {
            if !CASE_FORM_PROPERTIES.contains(&prop.as_str()) {
                problems.push(FieldProblem { field: prop.clone(), message: "not a field of the case form".into() });
                continue;
            }
            for v in values.iter().filter(|v| !v.trim().is_empty()) {
                if let Err(e) = scratch.add(self.model, prop, v.trim()) {
                    problems.push(FieldProblem { field: prop.clone(), message: e.to_string() });
                }
            }
        }
        if scratch.values("name").is_empty() && !problems.iter().any(|p| p.field == "name") {
            problems.push(FieldProblem { field: "name".into(), message: "a case needs a name".into() });
        }
        if let Some(v) = &input.visibility
            && !matches!(v.as_str(), "agency" | "country")
        {
            problems.push(FieldProblem { field: "handling".into(), message: "choose agency or country".into() });
        }
        problems
    }

    /// Creates a case owned by the caller's agency (audited as a collection)
    /// and makes the caller its investigator (audited as a grant). The input
    /// must pass [`Veza::check_case`].
    pub async fn create_case(&self, access: &Access, input: NewCase) -> Result<Entity, AppError> {
        if let Some(p) = self.check_case(&input).into_iter().next() {
            return Err(AppError::Invalid { field: Some(p.field), message: p.message });
        }
        let properties = input
            .properties
            .into_iter()
            .map(|(p, vs)| (p, vs.into_iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect()))
            .collect();
        let visibility = match input.visibility.as_deref() {
            Some("country") => Visibility::Country,
            _ => Visibility::Agency,
        };
        let new = NewEntity {
            id: None,
            schema: "Case".into(),
            properties,
            handling: Some(Handling { visibility, ..Handling::default() }),
            value_handling: BTreeMap::new(),
        };
        let case = self.create_entity(access, new).await?;
        if let Caller::User { username, .. } = &access.caller {
            self.put_case_member(access, &case.id, username, Capacity::Investigator).await?;
        }
        Ok(case)
    }

    /// The Case entity, if the caller may see it and it is a case; the
    /// `denied` entry is written otherwise.
    async fn visible_case(&self, access: &Access, case_id: &str, detail: &str) -> Result<Entity, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[case_id], detail).await?;
        let found = match self.store.entity(&access.caller, case_id).await? {
            Lookup::Found(e) if self.model.schema(&e.schema).is_ok_and(|s| s.is_a("Case")) => Some(e),
            _ => None,
        };
        match found {
            Some(e) => Ok(e),
            None => {
                let ids = vec![case_id.to_owned()];
                self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Denied, detail).await?;
                Err(AppError::NotFound(format!("case {case_id}")))
            }
        }
    }

    /// The working file, when the caller may open it.
    async fn workspace(&self, caller: &Caller, case_id: &str) -> Result<Option<Workspace>, AppError> {
        let Standing { owner, writes } = match self.store.standing(caller, case_id).await {
            Ok(s) => s,
            Err(StoreError::Missing(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(Workspace {
            owner,
            writes,
            members: self.store.members(caller, case_id).await.map_err(not_found)?,
            evidence: self.store.evidence(caller, case_id).await.map_err(not_found)?,
            notes: self.store.notes(caller, case_id).await.map_err(not_found)?,
            tasks: self.store.tasks(caller, case_id).await.map_err(not_found)?,
            shares: if owner { self.store.shares(caller, case_id).await.map_err(not_found)? } else { Vec::new() },
        }))
    }

    /// A case with its records and, for those who work on it, its working
    /// file. One consultation entry naming the case and the records shown.
    pub async fn case_file(&self, access: &Access, case_id: &str) -> Result<CaseFile, AppError> {
        let case = self.visible_case(access, case_id, "case file").await?;
        let slice = self.store.network(&access.caller, &[case_id.to_owned()], 1, MAX_CASE_RECORDS + 1).await?;
        let records: Vec<NetworkNode> = slice.nodes.into_iter().filter(|n| n.id != case_id).collect();
        let workspace = self.workspace(&access.caller, case_id).await?;
        let mut ids = vec![case_id.to_owned()];
        ids.extend(records.iter().map(|n| n.id.clone()));
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, "case file").await?;
        Ok(CaseFile { case, truncated: slice.truncated, records, workspace })
    }

    /// The caller's cases: those they are a member of and those their agency
    /// owns, newest first (at most 200). One consultation entry.
    pub async fn my_cases(&self, access: &Access) -> Result<Vec<CaseSummary>, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[], "my cases").await?;
        let query = SearchQuery {
            text: String::new(),
            schemata: vec!["Case".into()],
            filters: veza_store::SearchFilters::default(),
            limit: 200,
            offset: 0,
        };
        let page = self.store.search(&access.caller, &query).await?;
        let mut cases = Vec::new();
        for case in page.results {
            let capacity = access.caller.membership(&case.id);
            let owned = match &access.caller {
                Caller::User { agency, .. } => &case.provenance.owner.agency == agency,
                Caller::System { .. } => true,
            };
            if !owned && capacity.is_none() {
                continue;
            }
            let slice = self.store.network(&access.caller, std::slice::from_ref(&case.id), 1, 1000).await?;
            let open_tasks = match self.store.tasks(&access.caller, &case.id).await {
                Ok(tasks) => tasks.iter().filter(|t| t.status == TaskStatus::Open).count(),
                Err(_) => 0,
            };
            let records = slice.nodes.len().saturating_sub(1);
            cases.push(CaseSummary { case, capacity, owned, records, open_tasks });
        }
        let ids = cases.iter().map(|c| c.case.id.clone()).collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, "my cases").await?;
        Ok(cases)
    }

    /// Puts a record into a case by setting its `case` property (the value
    /// goes into the [`CASEWORK_DATASET`] fragment). Only the record's owner
    /// changes it; the record's schema must have a `case` property (a
    /// person joins a case through a Suspect or Victim record naming it).
    pub async fn attach_to_case(&self, access: &Access, case_id: &str, entity_id: &str) -> Result<(), AppError> {
        self.change_case_value(access, case_id, entity_id, true).await
    }

    /// Takes a record out of a case: removes the `case` value set by
    /// [`Veza::attach_to_case`]. A value from another source stays.
    pub async fn detach_from_case(&self, access: &Access, case_id: &str, entity_id: &str) -> Result<(), AppError> {
        self.change_case_value(access, case_id, entity_id, false).await
    }

    async fn change_case_value(
        &self,
        access: &Access,
        case_id: &str,
        entity_id: &str,
        attach: bool,
    ) -> Result<(), AppError> {
        let entity_id = entity_id.trim();
        if entity_id.is_empty() {
            return Err(invalid("entity", "give the id of the record to attach"));
        }
        self.visible_case(access, case_id, "case file").await?;
        let caller = &access.caller;
        let stored = match self.store.entity(caller, entity_id).await? {
            Lookup::Found(e) => e,
            _ => return Err(invalid("entity", format!("no record {entity_id} that you may see"))),
        };
        let schema = self.model.schema(&stored.schema).map_err(|e| AppError::Internal(e.to_string()))?;
        let takes_case = schema
            .properties
            .get("case")
            .is_some_and(|p| p.kind == PropertyType::Entity && p.range.as_deref() == Some("Case"));
        if !takes_case {
            return Err(invalid(
                "entity",
                format!(
                    "a {} record does not name cases itself: attach a record that names it, such as a Suspect \
                     or Victim record",
                    schema.label
                ),
            ));
        }
        let statements = self.store.statements(caller, entity_id).await?;
        let mut mine: Vec<String> = statements
            .iter()
            .filter(|s| s.prop == "case" && s.dataset == CASEWORK_DATASET)
            .map(|s| s.value.clone())
            .collect();
        let elsewhere =
            statements.iter().find(|s| s.prop == "case" && s.value == case_id && s.dataset != CASEWORK_DATASET);
        if attach {
            if mine.iter().any(|c| c == case_id) || elsewhere.is_some() {
                return Err(AppError::Conflict(format!("{entity_id} is in case {case_id} already")));
            }
            mine.push(case_id.to_owned());
        } else {
            if let Some(s) = elsewhere {
                return Err(invalid(
                    "entity",
                    format!("{entity_id} names case {case_id} in its source {}; change it there", s.dataset),
                ));
            }
            if !mine.iter().any(|c| c == case_id) {
                return Err(AppError::NotFound(format!("{entity_id} in case {case_id}")));
            }
            mine.retain(|c| c != case_id);
        }
        let mut update = Entity::new(stored.id.clone(), stored.schema.clone());
        update.provenance = stored.provenance.clone();
        update.provenance.source = SourceRef { dataset: CASEWORK_DATASET.into(), record: None };
        update.handling = stored.handling.clone();
        for c in mine {
            update.push("case", c);
        }
        self.ensure_source(CASEWORK_DATASET, "Attached to cases by hand", "manual", &stored.provenance.owner.agency)
            .await?;
        let (action, detail) = if attach {
            (AuditAction::Combine, format!("{entity_id} attached to case {case_id}"))
        } else {
            (AuditAction::Alter, format!("{entity_id} detached from case {case_id}"))
        };
        let store = self.store.clone();
        let caller = caller.clone();
        let change = async move { store.write_entities(&caller, std::slice::from_ref(&update)).await };
        self.audited_change(access, action, vec![entity_id.to_owned(), case_id.to_owned()], &detail, change).await?;
        Ok(())
    }

    /// Attaches a file to a case: its SHA-256, the declared name (cleaned)
    /// and the type read from its bytes are kept. The same bytes twice give
    /// [`Attached::AlreadyThere`].
    pub async fn attach_evidence(
        &self,
        access: &Access,
        case_id: &str,
        declared_name: &str,
        bytes: &[u8],
    ) -> Result<Attached, AppError> {
        if bytes.is_empty() {
            return Err(invalid("file", "choose a file to upload: this one is empty"));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(invalid("file", "the file is larger than 25 MiB"));
        }
        let sha256 = sha256_hex(bytes);
        let file_name = clean_file_name(declared_name);
        let media_type = sniff_media_type(bytes);
        let detail = format!("evidence {file_name} ({media_type}, {} bytes, sha256 {sha256})", bytes.len());
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let file = NewEvidence { sha256: &sha256, file_name: &file_name, media_type, content: bytes };
        let change = async move { store.attach_evidence(&caller, case_id, file, now).await };
        self.audited_change(access, AuditAction::Collect, vec![case_id.to_owned()], &detail, change).await
    }

    /// One evidence file with its bytes, for download; a consultation.
    pub async fn evidence_file(
        &self,
        access: &Access,
        case_id: &str,
        evidence_id: i64,
    ) -> Result<(Evidence, Vec<u8>), AppError> {
        let detail = format!("evidence {evidence_id} downloaded");
        self.purpose_of(access, AuditAction::Consult, &[case_id], &detail).await?;
        let ids = vec![case_id.to_owned()];
        match self.store.evidence_file(&access.caller, case_id, evidence_id).await {
            Ok(file) => {
                self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
                Ok(file)
            }
            Err(e) => {
                self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Denied, &detail).await?;
                Err(not_found(e))
            }
        }
    }

    /// Adds a note (1–10,000 characters) to a case.
    pub async fn add_case_note(&self, access: &Access, case_id: &str, body: &str) -> Result<CaseNote, AppError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 10_000 {
            return Err(invalid("note", "write the note: 1 to 10,000 characters"));
        }
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move { store.add_note(&caller, case_id, body, now).await };
        self.audited_change(access, AuditAction::Collect, vec![case_id.to_owned()], "case note added", change).await
    }

    /// Adds a task for a member of the case, due by `due` if given.
    pub async fn add_case_task(
        &self,
        access: &Access,
        case_id: &str,
        title: &str,
        assignee: &str,
        due: Option<NaiveDate>,
    ) -> Result<CaseTask, AppError> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 300 {
            return Err(invalid("title", "say what is to be done: 1 to 300 characters"));
        }
        if assignee.trim().is_empty() {
            return Err(invalid("assignee", "choose the member who does it"));
        }
        let due = due.map(|d| d.format("%Y-%m-%d").to_string());
        let detail = format!("case task for {assignee}");
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let assignee = assignee.trim();
        let change = async move {
            let task = NewTask { title, assignee, due_date: due.as_deref() };
            store.add_task(&caller, case_id, task, now).await
        };
        self.audited_change(access, AuditAction::Collect, vec![case_id.to_owned()], &detail, change).await
    }

    /// Marks a task done, or open again.
    pub async fn set_case_task_status(
        &self,
        access: &Access,
        case_id: &str,
        task_id: i64,
        status: TaskStatus,
    ) -> Result<CaseTask, AppError> {
        let detail = format!("case task {task_id} {}", status.as_str());
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move { store.set_task_status(&caller, case_id, task_id, status, now).await };
        self.audited_change(access, AuditAction::Alter, vec![case_id.to_owned()], &detail, change).await
    }

    /// Shares the case (`entity_ids` `None`) or records of it with another
    /// agency under a handling code; audited as a disclosure naming them.
    pub async fn share_case(
        &self,
        access: &Access,
        case_id: &str,
        agency: &str,
        entity_ids: Option<Vec<String>>,
        handling: ShareHandling,
    ) -> Result<CaseShare, AppError> {
        let agency = agency.trim();
        if agency.is_empty() {
            return Err(invalid("agency", "choose the agency to share with"));
        }
        let mut ids = vec![case_id.to_owned()];
        ids.extend(entity_ids.iter().flatten().cloned());
        let detail = match &entity_ids {
            None => format!("case shared with {agency} ({})", handling.code()),
            Some(list) => format!("{} records of the case shared with {agency} ({})", list.len(), handling.code()),
        };
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move {
            let share = NewShare { agency, entity_ids: entity_ids.as_deref(), handling };
            store.share_case(&caller, case_id, share, now).await
        };
        self.audited_change(access, AuditAction::Disclose, ids, &detail, change).await
    }

    /// Revokes a share; false when it was revoked already.
    pub async fn revoke_case_share(&self, access: &Access, case_id: &str, share_id: i64) -> Result<bool, AppError> {
        let detail = format!("case share {share_id} revoked");
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move { store.revoke_share(&caller, case_id, share_id, now).await };
        self.audited_change(access, AuditAction::Refuse, vec![case_id.to_owned()], &detail, change).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_last_part_only() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\x\\photo.jpg"), "photo.jpg");
        assert_eq!(clean_file_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
    }

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff_media_type(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(sniff_media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
        assert_eq!(sniff_media_type(b"<html><script>alert(1)</script>"), "text/html", "named .pdf or not");
        assert_eq!(sniff_media_type(b"plain words"), "application/octet-stream");
    }

    #[test]
    fn sha256_is_lower_case_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
