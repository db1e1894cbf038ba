//! Who works on a case, and access requests: the use cases over
//! [`veza_store::CaseFiles`]. Every change is audited before it is made (a
//! grant of access, a refusal, a member added or removed), so nothing is
//! decided that the log does not show; a change the store then refuses gets
//! a second entry saying so.

use crate::{Access, AppError, Purpose, Veza};
use chrono::{DateTime, NaiveDate, Utc};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{AccessRequest, Capacity, CaseMember, Decision, StoreError};

/// The end of a grant given as a date: the last second of that day, UTC.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

/// A store error of these use cases as the app reports it: what does not
/// exist for the caller is "not found".
fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::Missing(m) => AppError::NotFound(m),
        other => other.into(),
    }
}

fn outcome_of(e: &AppError) -> AuditOutcome {
    match e {
        AppError::NotFound(_) | AppError::Forbidden(_) => AuditOutcome::Denied,
        _ => AuditOutcome::Failed,
    }
}

impl Veza {
    /// Audits a change before it is made, makes it, and audits a refusal.
    pub(crate) async fn audited_change<T>(
        &self,
        access: &Access,
        action: AuditAction,
        ids: Vec<String>,
        detail: &str,
        change: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, AppError> {
        self.audit_access(access, action, ids.clone(), AuditOutcome::Ok, detail).await?;
        match change.await.map_err(not_found) {
            Ok(t) => Ok(t),
            Err(e) => {
                let outcome = outcome_of(&e);
                self.audit_access(access, action, ids, outcome, &format!("refused: {e}")).await?;
                Err(e)
            }
        }
    }

    /// Adds a user to a case (or changes their capacity). Only the case's
    /// owner agency may.
    pub async fn put_case_member(
        &self,
        access: &Access,
        case_id: &str,
        username: &str,
        capacity: Capacity,
    ) -> Result<(), AppError> {
        let now = Utc::now().timestamp_micros();
        let detail = format!("case member {username} added as {capacity}");
        let store = self.store.clone();
        let change = async move { store.put_member(&access.caller, case_id, username, capacity, now).await };
        self.audited_change(access, AuditAction::Grant, vec![case_id.to_owned()], &detail, change).await
    }

    /// Removes a user from a case. False when they were not a member.
    pub async fn remove_case_member(&self, access: &Access, case_id: &str, username: &str) -> Result<bool, AppError> {
        let detail = format!("case member {username} removed");
        let store = self.store.clone();
        let change = async move { store.remove_member(&access.caller, case_id, username).await };
        self.audited_change(access, AuditAction::Refuse, vec![case_id.to_owned()], &detail, change).await
    }

    /// The members of a case the caller may see; a consultation.
    pub async fn case_members(&self, access: &Access, case_id: &str) -> Result<Vec<CaseMember>, AppError> {
        self.purpose_of(access, AuditAction::Consult, &[case_id], "case members").await?;
        let members = self.store.members(&access.caller, case_id).await.map_err(not_found)?;
        self.audit_access(access, AuditAction::Consult, vec![case_id.to_owned()], AuditOutcome::Ok, "case members")
            .await?;
        Ok(members)
    }

    /// Asks the owner of a record whose existence is visible to open it to
    /// the caller, for `reason` (kept as the request's reason and the entry's
    /// purpose).
    pub async fn request_access(
        &self,
        access: &Access,
        entity_id: &str,
        reason: &str,
    ) -> Result<AccessRequest, AppError> {
        let purpose = Purpose::parse(reason).map_err(|_| AppError::Invalid {
            field: Some("reason".into()),
            message: "say why you need the record (a case reference or a short reason, 3–200 characters)".into(),
        })?;
        let asking = Access::new(access.caller.clone(), Some(purpose.clone()));
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let reason = purpose.as_str().to_owned();
        let change = async move { store.request_access(&caller, entity_id, &reason, now).await };
        self.audited_change(&asking, AuditAction::Request, vec![entity_id.to_owned()], "access requested", change).await
    }

    /// Requests to the caller's agency and the caller's own.
    pub async fn access_requests(&self, access: &Access, pending_only: bool) -> Result<Vec<AccessRequest>, AppError> {
        Ok(self.store.access_requests(&access.caller, pending_only).await?)
    }

    /// One request to the caller's agency, or of the caller.
    pub async fn access_request(&self, access: &Access, request_id: i64) -> Result<Option<AccessRequest>, AppError> {
        Ok(self.store.access_request(&access.caller, request_id).await?)
    }

    /// The owner's answer to a request: grant (until a date, if given) or
    /// refuse, with the reason; both are logged.
    pub async fn decide_access(
        &self,
        access: &Access,
        request_id: i64,
        grant: bool,
        reason: &str,
        until: Option<DateTime<Utc>>,
    ) -> Result<AccessRequest, AppError> {
        let purpose = Purpose::parse(reason).map_err(|_| AppError::Invalid {
            field: Some("reason".into()),
            message: "give the reason for your answer (3–200 characters); it is kept in the audit log".into(),
        })?;
        if let Some(u) = until
            && u <= Utc::now()
        {
            return Err(AppError::Invalid {
                field: Some("until".into()),
                message: "a grant's end must be in the future".into(),
            });
        }
        let entity_id = self
            .access_request(access, request_id)
            .await?
            .map(|r| r.entity_id)
            .ok_or_else(|| AppError::NotFound(format!("access request {request_id}")))?;
        let deciding = Access::new(access.caller.clone(), Some(purpose.clone()));
        let decision =
            Decision { grant, reason: purpose.as_str().to_owned(), expires_at: until.map(|u| u.timestamp_micros()) };
        let (action, detail) = if grant {
            (AuditAction::Grant, format!("access request {request_id} granted"))
        } else {
            (AuditAction::Refuse, format!("access request {request_id} refused"))
        };
        let now = Utc::now().timestamp_micros();
        let store = self.store.clone();
        let caller = access.caller.clone();
        let change = async move { store.decide_access(&caller, request_id, &decision, now).await };
        self.audited_change(&deciding, action, vec![entity_id], &detail, change).await
    }
}
