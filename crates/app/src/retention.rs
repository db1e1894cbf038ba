//! Retention review: what is due, extending with a reason, erasing. Each
//! decision is written to the audit log with the reason as its purpose; if
//! the audit write fails, the decision is not taken.

use crate::{AppError, Veza};
use chrono::NaiveDate;
use veza_store::audit::{AuditAction, AuditOutcome, NewAuditEntry};
use veza_store::{Caller, RetentionItem};

impl Veza {
    /// Entities the caller may see that are due for review on or before `due`.
    pub async fn retention_due(
        &self,
        caller: &Caller,
        due: NaiveDate,
        limit: u32,
    ) -> Result<Vec<RetentionItem>, AppError> {
        Ok(self.store.retention_due(caller, due, limit).await?)
    }

    /// Keeps an entity until `until`, for the reason given.
    pub async fn extend_retention(
        &self,
        caller: &Caller,
        id: &str,
        until: NaiveDate,
        reason: &str,
    ) -> Result<(), AppError> {
        let reason = required_reason(reason)?;
        if until <= chrono::Utc::now().date_naive() {
            return Err(AppError::Invalid {
                field: Some("until".into()),
                message: "the new review date must be in the future".into(),
            });
        }
        self.audit_decision(caller, id, AuditAction::Alter, reason, &format!("retention review moved to {until}"))
            .await?;
        match self.store.set_retention_review(caller, id, until).await? {
            true => Ok(()),
            false => Err(AppError::NotFound(format!("entity {id}"))),
        }
    }

    /// Erases an entity, for the reason given.
    pub async fn erase_entity(&self, caller: &Caller, id: &str, reason: &str) -> Result<(), AppError> {
        let reason = required_reason(reason)?;
        self.audit_decision(caller, id, AuditAction::Erase, reason, "erased at retention review").await?;
        match self.store.delete_entity(caller, id).await? {
            true => Ok(()),
            false => Err(AppError::NotFound(format!("entity {id}"))),
        }
    }

    async fn audit_decision(
        &self,
        caller: &Caller,
        id: &str,
        action: AuditAction,
        reason: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let (actor, agency) = match caller {
            Caller::System { name } => (format!("system:{name}"), String::new()),
            Caller::User { username, agency, .. } => (username.clone(), agency.clone()),
        };
        self.append_audit(NewAuditEntry {
            actor,
            agency,
            action,
            entity_ids: vec![id.to_owned()],
            outcome: AuditOutcome::Ok,
            purpose: reason.to_owned(),
            detail: detail.to_owned(),
        })
        .await?;
        Ok(())
    }
}

fn required_reason(reason: &str) -> Result<&str, AppError> {
    let reason = reason.trim();
    if reason.len() < 5 {
        return Err(AppError::Invalid {
            field: Some("reason".into()),
            message: "give the reason for this decision (a case reference or a few words); it is kept in the audit log"
                .into(),
        });
    }
    Ok(reason)
}
