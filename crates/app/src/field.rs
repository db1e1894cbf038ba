//! Field mode: the signed, encrypted snapshot a checkpoint with a bad
//! connection checks against, and the checks it sends back when the link
//! returns.
//!
//! **What goes in a snapshot.** The persons, lost/stolen documents (and
//! wanted vehicles) of the operation's watchlists that (1) the exporting
//! caller may read — the store's policy, as for any read — and (2) whose
//! owner's handling allows release to the checkpoint's country: visibility
//! `all`; `country` when the checkpoint is in the owner's country;
//! `countries` when it is the owner's or a listed one. An `agency`-only
//! record never leaves its owner's systems. Values the owner restricted
//! further are left out (as in the screening index). Victim-compartment
//! schemata are never persons here. Each entry carries its watchlist's
//! instruction.
//!
//! **Audit.** Exporting is a disclosure: one entry written before the file
//! is given out, naming the operation, checkpoint, snapshot id, counts and
//! expiry (not the ids: a million would swamp the log; the snapshot id and
//! the policy make the set reproducible).
//!
//! **Uploads.** A field node sends its queued checks with the snapshot's
//! signed header and an HMAC under the snapshot key; [`Veza::verify_field_upload`]
//! recomputes that key from the issuer key and refuses a header not signed
//! by it, an upload whose code does not match, a check dated outside the
//! snapshot's validity, or one for another operation or checkpoint.

use crate::{Access, AppError, AuditKey, Veza};
use std::time::Duration;
use veza_model::{Handling, Visibility};
use veza_snapshot::{Contents, Header, Issue, KdfParams, ListedDocument, ListedPerson, ListedVehicle, SnapshotError};
use veza_store::audit::{AuditAction, AuditOutcome};

/// Entities read per round trip while exporting.
const PAGE: u32 = 5_000;
/// Longest validity of a snapshot: a field node must come back for a fresh one.
pub const MAX_VALIDITY: Duration = Duration::from_secs(30 * 24 * 3600);
/// Shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 12;

/// What to export.
#[derive(Debug, Clone)]
pub struct SnapshotRequest {
    /// The operation's id.
    pub operation: String,
    /// The checkpoint's code.
    pub checkpoint: String,
    /// How long the snapshot may be used.
    pub valid_for: Duration,
    /// The field node's passphrase (wraps the snapshot key).
    pub passphrase: String,
    /// argon2id cost (the default outside tests).
    pub kdf: KdfParams,
}

/// An exported snapshot: the file's bytes and its header.
#[derive(Debug, Clone)]
pub struct SnapshotExport {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// Its signed header.
    pub header: Header,
}

/// What the platform knows of the operation for a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotPlan {
    /// The operation's id.
    pub operation: String,
    /// The checkpoint's code.
    pub checkpoint: String,
    /// The checkpoint's country, lower case.
    pub country: String,
    /// (dataset, instruction) of each watchlist in use; `{ncb}` in an
    /// instruction stands for the contact NCB of the record owner's country.
    pub watchlists: Vec<(String, String)>,
    /// (country, contact NCB) of the participating countries.
    pub ncbs: Vec<(String, String)>,
}

/// Stands for the contact NCB in an instruction (as the operations use it).
pub const NCB_PLACEHOLDER: &str = "{ncb}";
/// The instruction of a watchlist that gives none.
pub const DEFAULT_FIELD_INSTRUCTION: &str = "possible match: hold the person for confirmation; contact {ncb}";

impl SnapshotPlan {
    /// The instruction for a record of `owner_country` on `template`'s list.
    pub fn instruction(&self, template: &str, owner_country: &str) -> String {
        let template = if template.trim().is_empty() { DEFAULT_FIELD_INSTRUCTION } else { template };
        let ncb = self
            .ncbs
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(owner_country))
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("the NCB of {}", owner_country.to_uppercase()));
        template.replace(NCB_PLACEHOLDER, &ncb)
    }
}

/// Whether the owner's handling lets a record be held at a checkpoint of
/// `country` (lower-case alpha-2).
pub fn releasable_to(handling: &Handling, owner_country: &str, country: &str) -> bool {
    match handling.visibility {
        Visibility::All => true,
        Visibility::Country => owner_country.eq_ignore_ascii_case(country),
        Visibility::Countries => {
            owner_country.eq_ignore_ascii_case(country)
                || handling.countries.iter().any(|c| c.eq_ignore_ascii_case(country))
        }
        Visibility::Agency => false,
    }
}

fn snapshot_error(e: SnapshotError) -> AppError {
    match e {
        SnapshotError::Invalid(m) => AppError::Invalid { field: None, message: m },
        other => AppError::Forbidden(other.to_string()),
    }
}

fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Veza {
    /// Gathers what `plan`'s checkpoint may hold, as `access.caller` may read
    /// it: see the module's comment.
    pub async fn snapshot_contents(&self, access: &Access, plan: &SnapshotPlan) -> Result<Contents, AppError> {
        let mut contents = Contents::default();
        let mut lists = std::collections::HashMap::new();
        for (dataset, template) in &plan.watchlists {
            lists.insert(dataset.as_str(), (contents.watchlist_number(dataset), template.as_str()));
        }
        let mut instructions: std::collections::HashMap<(u16, String), u32> = std::collections::HashMap::new();
        let mut cursor = 0;
        loop {
            let (page, next) = self.store.scan(&access.caller, cursor, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for entity in &page {
                let Some(&(watchlist, template)) = lists.get(entity.provenance.source.dataset.as_str()) else {
                    continue;
                };
                let owner_country = &entity.provenance.owner.country;
                if !releasable_to(&entity.handling, owner_country, &plan.country) {
                    continue;
                }
                let instruction = match instructions.get(&(watchlist, owner_country.clone())) {
                    Some(&i) => i,
                    None => {
                        let i = contents.instruction_number(&plan.instruction(template, owner_country));
                        instructions.insert((watchlist, owner_country.clone()), i);
                        i
                    }
                };
                let entity = entity.unrestricted();
                if let Some(person) = crate::screening::person_of(self.model, &entity) {
                    contents.persons.push(ListedPerson { person, watchlist, instruction });
                } else if let Some((number, country)) = crate::screening::report_of(self.model, &entity) {
                    contents.documents.push(ListedDocument {
                        id: entity.id.clone(),
                        number,
                        country,
                        watchlist,
                        instruction,
                    });
                } else if let Some((registration, country)) = crate::screening::vehicle_of(self.model, &entity) {
                    contents.vehicles.push(ListedVehicle {
                        id: entity.id.clone(),
                        registration,
                        country,
                        watchlist,
                        instruction,
                    });
                }
            }
            cursor = next;
        }
        Ok(contents)
    }

    /// Exports the snapshot of `plan` for the field node that knows the
    /// passphrase, signed with `key`; audited as a disclosure before the
    /// bytes are returned.
    pub async fn export_snapshot_for(
        &self,
        access: &Access,
        key: &AuditKey,
        plan: &SnapshotPlan,
        request: &SnapshotRequest,
    ) -> Result<SnapshotExport, AppError> {
        if request.passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(AppError::Invalid {
                field: Some("passphrase".into()),
                message: format!("the passphrase needs at least {MIN_PASSPHRASE} characters"),
            });
        }
        if request.valid_for.is_zero() || request.valid_for > MAX_VALIDITY {
            return Err(AppError::Invalid {
                field: Some("valid_for".into()),
                message: format!("a snapshot is valid for 1 second to {} days", MAX_VALIDITY.as_secs() / 86_400),
            });
        }
        let what = format!("field snapshot of operation {} for checkpoint {}", plan.operation, plan.checkpoint);
        self.purpose_of(access, AuditAction::Disclose, &[], &what).await?;
        let contents = self.snapshot_contents(access, plan).await?;
        let issued_at = now_seconds();
        let issue = Issue {
            operation: plan.operation.clone(),
            checkpoint: plan.checkpoint.clone(),
            country: Some(plan.country.clone()),
            exported_by: access.caller.actor(),
            issued_at,
            expires_at: issued_at + request.valid_for.as_secs() as i64,
            kdf: request.kdf,
        };
        let signing = key.signing_key().clone();
        let passphrase = request.passphrase.clone();
        let bytes = tokio::task::spawn_blocking(move || veza_snapshot::seal(&contents, &issue, &signing, &passphrase))
            .await
            .map_err(|e| AppError::Internal(format!("sealing the snapshot: {e}")))?
            .map_err(snapshot_error)?;
        let header = veza_snapshot::inspect(&bytes, &key.public_key(), issued_at)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let detail = format!(
            "{what}: snapshot {} with {} persons, {} documents, {} vehicles, expires {}",
            header.id_hex(),
            header.persons,
            header.documents,
            header.vehicles,
            chrono::DateTime::from_timestamp(header.expires_at, 0).map_or_else(String::new, |t| t.to_rfc3339())
        );
        self.audit_access(access, AuditAction::Disclose, Vec::new(), AuditOutcome::Ok, &detail).await?;
        Ok(SnapshotExport { bytes, header })
    }

    /// Checks an upload from a field node: its signed header (issued by
    /// `key`, for this operation), the HMAC of `body` under the snapshot key,
    /// and that every check time falls in the snapshot's validity. Returns
    /// the header.
    pub fn verify_field_upload(
        &self,
        key: &AuditKey,
        operation: &str,
        signed_header: &[u8],
        body: &[u8],
        code: &str,
        check_times: &[i64],
    ) -> Result<Header, AppError> {
        let header = veza_snapshot::verify_signed_header(signed_header, &key.public_key()).map_err(snapshot_error)?;
        if header.operation != operation {
            return Err(AppError::Forbidden(format!(
                "the snapshot was issued for operation {}, not {operation}",
                header.operation
            )));
        }
        let snapshot_key = veza_snapshot::snapshot_key(key.signing_key(), &header.snapshot_id);
        veza_snapshot::verify_upload_mac(&snapshot_key, body, code).map_err(snapshot_error)?;
        for &t in check_times {
            if t < header.issued_at - veza_snapshot::CLOCK_SKEW || t >= header.expires_at {
                return Err(AppError::Forbidden(format!(
                    "a check dated {t} (unix seconds) is outside the snapshot's validity ({} to {}): refused",
                    header.issued_at, header.expires_at
                )));
            }
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_follows_the_owners_handling() {
        let h = |visibility, countries: &[&str]| Handling {
            visibility,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            ..Handling::default()
        };
        assert!(releasable_to(&h(Visibility::All, &[]), "rs", "mk"));
        assert!(releasable_to(&h(Visibility::Country, &[]), "mk", "mk"));
        assert!(!releasable_to(&h(Visibility::Country, &[]), "rs", "mk"));
        assert!(releasable_to(&h(Visibility::Countries, &["mk", "al"]), "rs", "mk"));
        assert!(!releasable_to(&h(Visibility::Countries, &["al"]), "rs", "mk"));
        assert!(!releasable_to(&h(Visibility::Agency, &[]), "mk", "mk"), "agency-only data never travels");
    }

    #[test]
    fn instructions_name_the_owners_ncb() {
        let plan = SnapshotPlan {
            operation: "op".into(),
            checkpoint: "cp".into(),
            country: "mk".into(),
            watchlists: vec![],
            ncbs: vec![("mk".into(), "NCB Skopje".into())],
        };
        assert_eq!(plan.instruction("do not arrest; contact {ncb}", "mk"), "do not arrest; contact NCB Skopje");
        assert_eq!(
            plan.instruction("", "al"),
            "possible match: hold the person for confirmation; contact the NCB of AL"
        );
    }
}

impl Veza {
    /// What the operation's checkpoint may hold: its country and the
    /// operation's watchlists. A user must be of a coordinating agency of the
    /// operation (the platform operator may always).
    pub async fn snapshot_plan(
        &self,
        access: &Access,
        operation: &str,
        checkpoint: &str,
    ) -> Result<SnapshotPlan, AppError> {
        let Some(op) = self.store.operation(operation).await? else {
            return Err(AppError::NotFound(format!("operation {operation}")));
        };
        if let veza_store::Caller::User { agency, .. } = &access.caller {
            let coordinates = op.agencies.iter().any(|a| &a.agency == agency && a.coordinator);
            if !coordinates {
                if op.agencies.iter().any(|a| &a.agency == agency) {
                    return Err(AppError::Forbidden(format!(
                        "only a coordinating agency of operation {operation} exports field snapshots"
                    )));
                }
                return Err(AppError::NotFound(format!("operation {operation}")));
            }
        }
        let checkpoints = self.store.operation_checkpoints(operation).await?;
        let Some(cp) = checkpoints.iter().find(|c| c.code == checkpoint) else {
            let known: Vec<&str> = checkpoints.iter().map(|c| c.code.as_str()).collect();
            return Err(AppError::Invalid {
                field: Some("checkpoint".into()),
                message: format!(
                    "operation {operation} has no checkpoint {checkpoint}; its checkpoints: {}",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                ),
            });
        };
        if op.watchlists.is_empty() {
            return Err(AppError::Invalid {
                field: Some("operation".into()),
                message: format!("operation {operation} names no watchlist: nothing to take to the field"),
            });
        }
        Ok(SnapshotPlan {
            operation: op.id.clone(),
            checkpoint: cp.code.clone(),
            country: cp.country.to_ascii_lowercase(),
            watchlists: op.watchlists.iter().map(|w| (w.dataset.clone(), w.instruction.clone())).collect(),
            ncbs: op.countries.iter().map(|c| (c.country.clone(), c.contact_ncb.clone())).collect(),
        })
    }

    /// Exports the snapshot of an operation's checkpoint: [`Veza::snapshot_plan`],
    /// then [`Veza::export_snapshot_for`].
    pub async fn export_snapshot(
        &self,
        access: &Access,
        key: &AuditKey,
        request: &SnapshotRequest,
    ) -> Result<SnapshotExport, AppError> {
        let plan = self.snapshot_plan(access, &request.operation, &request.checkpoint).await?;
        self.export_snapshot_for(access, key, &plan, request).await
    }
}

/// A batch of checks a field node sends back: each with the node's
/// reference and the time it was made (unix seconds), the snapshot's signed
/// header and the HMAC of [`crate::upload_canonical`] under the upload key.
#[derive(Debug, Clone)]
pub struct FieldUpload {
    /// (client ref, checked at, check).
    pub checks: Vec<(String, i64, crate::FieldCheckInput)>,
    /// The snapshot's signed header.
    pub signed_header: Vec<u8>,
    /// The HMAC, hex.
    pub mac: String,
}

/// The answer to one uploaded check.
#[derive(Debug, Clone)]
pub struct FieldUploadAnswer {
    /// The node's reference.
    pub client_ref: String,
    /// The server's answer (the stored check).
    pub answer: crate::operations::CheckAnswer,
    /// Whether it was there already (an earlier upload whose answer was lost).
    pub duplicate: bool,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn check_input(c: &crate::FieldCheckInput) -> crate::operations::CheckInput {
    use crate::operations::{CheckInput, DocumentInput, PersonInput, VehicleInput};
    CheckInput {
        checkpoint: c.checkpoint.clone(),
        person: c.person.as_ref().map(|p| PersonInput {
            name: opt(&p.name),
            birth_date: opt(&p.birth_date),
            nationality: opt(&p.nationality),
            gender: opt(&p.gender),
        }),
        document: c.document.as_ref().map(|d| DocumentInput {
            number: d.number.clone(),
            country: opt(&d.country),
            kind: opt(&d.kind),
        }),
        vehicle: c
            .vehicle
            .as_ref()
            .map(|v| VehicleInput { registration: v.registration.clone(), country: opt(&v.country) }),
    }
}

impl Veza {
    /// Sets the key field snapshots are signed with, so that uploads can be
    /// checked (`veza serve` sets the audit key).
    pub fn set_field_issuer(&self, key: AuditKey) {
        let _ = self.field_issuer.set(key);
    }

    /// Records a field node's upload: verified by [`Veza::verify_field_upload`]
    /// (and every check must be for the snapshot's checkpoint), checks already
    /// recorded under their reference answered from the store (no second
    /// record), the others re-screened and stored as any check
    /// (`run_checks`: policy, hits, one audit entry each), then their
    /// references. The stored check's time is the upload's; the node's time
    /// is kept with the reference.
    pub async fn record_field_upload(
        &self,
        caller: &veza_store::Caller,
        terminal: Option<&crate::operations::Terminal>,
        operation_id: &str,
        upload: &FieldUpload,
    ) -> Result<Vec<FieldUploadAnswer>, AppError> {
        let key = self
            .field_issuer
            .get()
            .ok_or_else(|| AppError::Forbidden("this server does not accept field uploads (no issuer key)".into()))?;
        let times: Vec<i64> = upload.checks.iter().map(|c| c.1).collect();
        let body = crate::upload_canonical(&upload.checks);
        let header = self.verify_field_upload(key, operation_id, &upload.signed_header, &body, &upload.mac, &times)?;
        for (i, (_, _, c)) in upload.checks.iter().enumerate() {
            if c.checkpoint != header.checkpoint {
                return Err(AppError::Forbidden(format!(
                    "checks[{i}]: the snapshot was issued for checkpoint {}, not {}",
                    header.checkpoint, c.checkpoint
                )));
            }
        }
        let refs: Vec<String> = upload.checks.iter().map(|c| c.0.clone()).collect();
        let known: std::collections::HashMap<String, i64> = self
            .store
            .field_checks(operation_id, &refs)
            .await?
            .into_iter()
            .map(|r| (r.client_ref, r.check_id))
            .collect();
        let fresh: Vec<&(String, i64, crate::FieldCheckInput)> =
            upload.checks.iter().filter(|c| !known.contains_key(&c.0)).collect();
        let mut answered = std::collections::HashMap::new();
        if !fresh.is_empty() {
            // The checks and their references in one transaction: a check
            // is never stored without its reference (a resent batch would
            // store it twice), nor a reference without its check.
            let inputs: Vec<_> = fresh.iter().map(|c| check_input(&c.2)).collect();
            let snapshot_id = header.id_hex();
            let refs: Vec<veza_store::FieldCheckRef> = fresh
                .iter()
                .map(|c| veza_store::FieldCheckRef {
                    client_ref: c.0.clone(),
                    check_id: 0,
                    snapshot_id: snapshot_id.clone(),
                    checked_at: c.1.saturating_mul(1_000_000),
                })
                .collect();
            let answers = self.run_field_checks(caller, terminal, operation_id, &inputs, &refs).await?;
            for (c, a) in fresh.iter().zip(answers) {
                answered.entry(c.0.clone()).or_insert(a);
            }
        }
        let mut out = Vec::with_capacity(upload.checks.len());
        for (client_ref, _, _) in &upload.checks {
            if let Some((answer, duplicate)) = answered.get(client_ref) {
                out.push(FieldUploadAnswer {
                    client_ref: client_ref.clone(),
                    answer: answer.clone(),
                    duplicate: *duplicate,
                });
                continue;
            }
            let Some(&id) = known.get(client_ref) else { continue };
            let answer = match self.stored_answer(operation_id, id).await {
                Ok(a) => a,
                Err(AppError::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            out.push(FieldUploadAnswer { client_ref: client_ref.clone(), answer, duplicate: true });
        }
        Ok(out)
    }
}
