//! Who is asking and why: [`Purpose`], [`Access`], and the one place that
//! writes a use case's audit entry ([`Veza::audit_access`]).
//!
//! Every use case over entities takes an [`Access`] and writes exactly one
//! audit entry (EU Directive 2016/680, Art. 25): consultation for reads (the
//! ids returned; for a search the ids on the page, with the query as detail),
//! collection for creation and import (an import writes one entry per file,
//! with dataset, counts and file name as detail and no ids — one entry per
//! batch of ids would double the cost of a large import), disclosure for an
//! export (count and file as detail), `denied` when the caller could not see
//! the entity or gave no purpose. If the audit write fails, the use case
//! fails and returns no data.

use crate::{AppError, Veza};
use veza_store::Caller;
use veza_store::audit::{AuditAction, AuditOutcome, NewAuditEntry};

/// Why personal data is used: a case reference or a short reason, 3–200
/// characters after trimming, without control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purpose(String);

impl Purpose {
    /// Shortest purpose, in characters.
    pub const MIN: usize = 3;
    /// Longest purpose, in characters.
    pub const MAX: usize = 200;

    /// Checks and trims a purpose.
    pub fn parse(text: &str) -> Result<Purpose, AppError> {
        let text = text.trim();
        let n = text.chars().count();
        let invalid = |message: String| AppError::Invalid { field: Some("purpose".into()), message };
        if !(Purpose::MIN..=Purpose::MAX).contains(&n) {
            return Err(invalid(format!(
                "a purpose is a case reference or a short reason of {}–{} characters, not {n}",
                Purpose::MIN,
                Purpose::MAX
            )));
        }
        if text.chars().any(char::is_control) {
            return Err(invalid("a purpose may not contain control characters (line breaks, tabs)".into()));
        }
        Ok(Purpose(text.to_owned()))
    }

    /// The purpose as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who is asking, and why: the context every entity use case takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Who.
    pub caller: Caller,
    /// Why; a user's read without one is refused.
    pub purpose: Option<Purpose>,
    /// Set only by [`Access::unaudited_for_benchmark`].
    unaudited: bool,
}

impl Access {
    /// A caller with a purpose, or without one.
    pub fn new(caller: Caller, purpose: Option<Purpose>) -> Access {
        Access { caller, purpose, unaudited: false }
    }

    /// A caller with a purpose given as text (checked).
    pub fn with_purpose(caller: Caller, purpose: &str) -> Result<Access, AppError> {
        Ok(Access::new(caller, Some(Purpose::parse(purpose)?)))
    }

    /// The local operator running `command` on the machine: the system
    /// caller `cli <command>` with the purpose given (`--purpose`) or the
    /// default `local operator: <command>`.
    pub fn operator(command: &str, purpose: Option<&str>) -> Result<Access, AppError> {
        let purpose = match purpose {
            Some(p) => Purpose::parse(p)?,
            None => Purpose::parse(&format!("local operator: {command}"))?,
        };
        Ok(Access::new(Caller::system(&format!("cli {command}")), Some(purpose)))
    }

    /// **Benchmarks only**: the system caller with no purpose whose reads are
    /// not audited, to measure what the audit and the policy cost. No face
    /// builds one from a request; the web face only takes it from the
    /// extensions, which a client cannot set.
    #[doc(hidden)]
    pub fn unaudited_for_benchmark() -> Access {
        Access { caller: Caller::system("benchmark without audit"), purpose: None, unaudited: true }
    }
}

/// Actor and agency as the audit log names them.
fn actor_of(caller: &Caller) -> (String, String) {
    let agency = match caller {
        Caller::System { .. } => String::new(),
        Caller::User { agency, .. } => agency.clone(),
    };
    (caller.actor(), agency)
}

impl Veza {
    /// The purpose of an access, or the refusal: a user without a purpose
    /// gets [`AppError::PurposeRequired`] and a `denied` entry is written;
    /// the platform itself without one is named by its caller. `asked` are
    /// the entities asked for, if known, for the refusal's entry.
    pub(crate) async fn purpose_of(
        &self,
        access: &Access,
        action: AuditAction,
        asked: &[&str],
        detail: &str,
    ) -> Result<String, AppError> {
        match (&access.purpose, &access.caller) {
            (Some(p), _) => Ok(p.as_str().to_owned()),
            (None, Caller::System { name }) => Ok(format!("platform: {name}")),
            (None, Caller::User { .. }) => {
                if !access.unaudited {
                    self.write_entry(
                        access,
                        action,
                        asked.iter().map(|id| (*id).to_owned()).collect(),
                        AuditOutcome::Denied,
                        "",
                        &format!("no purpose given; {detail}"),
                    )
                    .await?;
                }
                Err(AppError::PurposeRequired)
            }
        }
    }

    /// THE place a use case writes its audit entry: checks the purpose
    /// (see [`Veza::purpose_of`]) and appends one entry. An error here
    /// must fail the use case.
    pub(crate) async fn audit_access(
        &self,
        access: &Access,
        action: AuditAction,
        entity_ids: Vec<String>,
        outcome: AuditOutcome,
        detail: &str,
    ) -> Result<(), AppError> {
        if access.unaudited {
            return Ok(());
        }
        let purpose = self.purpose_of(access, action, &[], detail).await?;
        self.write_entry(access, action, entity_ids, outcome, &purpose, detail).await
    }

    async fn write_entry(
        &self,
        access: &Access,
        action: AuditAction,
        entity_ids: Vec<String>,
        outcome: AuditOutcome,
        purpose: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let (actor, agency) = actor_of(&access.caller);
        self.append_audit(NewAuditEntry {
            actor,
            agency,
            action,
            entity_ids,
            outcome,
            purpose: purpose.to_owned(),
            detail: detail.to_owned(),
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_are_trimmed_and_checked() {
        assert_eq!(Purpose::parse("  case RS-2026-14 ").unwrap().as_str(), "case RS-2026-14");
        assert!(Purpose::parse("ab").is_err());
        assert!(Purpose::parse("   ab   ").is_err());
        assert!(Purpose::parse(&"x".repeat(201)).is_err());
        assert!(Purpose::parse(&"č".repeat(200)).is_ok());
        assert!(Purpose::parse("case\n1").is_err());
        let op = Access::operator("export", None).unwrap();
        assert_eq!(op.purpose.unwrap().as_str(), "local operator: export");
    }
}
