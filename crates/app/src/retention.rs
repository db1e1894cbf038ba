//! Retention review: what is due, extending with a reason, erasing. Each
//! decision is written to the audit log with the reason as its purpose; if
//! the audit write fails, the decision is not taken.

use crate::{Access, AppError, Purpose, Veza};
use chrono::NaiveDate;
use veza_store::RetentionItem;
use veza_store::audit::{AuditAction, AuditOutcome};

impl Veza {
    /// Entities the caller may see that are due for review on or before
    /// `due`. Audited as a consultation of the ids listed.
    pub async fn retention_due(
        &self,
        access: &Access,
        due: NaiveDate,
        limit: u32,
    ) -> Result<Vec<RetentionItem>, AppError> {
        let detail = format!("retention due by {due}");
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let items = self.store.retention_due(&access.caller, due, limit).await?;
        let ids = items.iter().map(|i| i.id.clone()).collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
        Ok(items)
    }

    /// Keeps an entity until `until`, for the reason given.
    pub async fn extend_retention(
        &self,
        access: &Access,
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
        self.audit_decision(access, id, AuditAction::Alter, reason, &format!("retention review moved to {until}"))
            .await?;
        match self.store.set_retention_review(&access.caller, id, until).await? {
            true => Ok(()),
            false => Err(AppError::NotFound(format!("entity {id}"))),
        }
    }

    /// Erases an entity, for the reason given.
    pub async fn erase_entity(&self, access: &Access, id: &str, reason: &str) -> Result<(), AppError> {
        let reason = required_reason(reason)?;
        self.audit_decision(access, id, AuditAction::Erase, reason, "erased at retention review").await?;
        self.screening.touch();
        match self.store.delete_entity(&access.caller, id).await? {
            true => Ok(()),
            false => Err(AppError::NotFound(format!("entity {id}"))),
        }
    }

    /// The decision's entry: the reason is its purpose (it overrides the
    /// access's own), written through the one audit path.
    async fn audit_decision(
        &self,
        access: &Access,
        id: &str,
        action: AuditAction,
        reason: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let decision = Access::new(access.caller.clone(), Some(Purpose::parse(reason)?));
        self.audit_access(&decision, action, vec![id.to_owned()], AuditOutcome::Ok, detail).await
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
