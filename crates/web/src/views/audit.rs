//! The audit trail page of a data-protection officer: who accessed what,
//! when and why, filtered by user, record, action and day; and where the
//! hash chain stands.

use super::{DayRange, Layout};
use crate::i18n::Tr;
use askama::Template;
use serde::Deserialize;
use veza_app::{AuditAction, AuditEntry, AuditFilter, AuditOutcome};

/// Most entries one page shows.
pub(crate) const AUDIT_PAGE: u32 = 500;
/// Most record ids shown on one row.
const IDS_SHOWN: usize = 5;

/// The filter form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct AuditForm {
    #[serde(default)]
    pub(crate) user: String,
    #[serde(default)]
    pub(crate) entity: String,
    #[serde(default)]
    pub(crate) action: String,
    #[serde(default)]
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: String,
}

impl AuditForm {
    /// The store's filter, or the fields in error.
    pub(crate) fn filter(&self, tr: &Tr) -> Result<AuditFilter, DayRange> {
        let days = DayRange::read(tr, &self.from, &self.to);
        if days.any_error() {
            return Err(days);
        }
        let (from, to) = (days.from, days.to);
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(AuditFilter {
            user: text(&self.user),
            entity: text(&self.entity),
            from,
            to,
            action: AuditAction::parse(self.action.trim()),
            limit: AUDIT_PAGE,
        })
    }
}

/// One entry as a row.
pub(crate) struct AuditRow {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) agency: String,
    pub(crate) action: String,
    pub(crate) entities: Vec<String>,
    pub(crate) more: usize,
    pub(crate) purpose: String,
    pub(crate) outcome: String,
    pub(crate) flagged: bool,
    pub(crate) detail: String,
}

/// An entry as the page shows it.
pub(crate) fn audit_row(tr: &Tr, e: AuditEntry) -> AuditRow {
    let at = chrono::DateTime::from_timestamp_micros(e.at).map(|t| tr.datetime(t)).unwrap_or_default();
    let more = e.entity_ids.len().saturating_sub(IDS_SHOWN);
    AuditRow {
        seq: e.seq,
        at,
        actor: e.actor,
        agency: e.agency,
        action: tr.t(&format!("audit-action-{}", e.action.as_str().replace('_', "-"))),
        entities: e.entity_ids.into_iter().take(IDS_SHOWN).collect(),
        more,
        purpose: e.purpose,
        flagged: e.outcome != AuditOutcome::Ok,
        outcome: tr.t(&format!("audit-outcome-{}", e.outcome.as_str())),
        detail: e.detail,
    }
}

/// The audit trail page.
#[derive(Template)]
#[template(path = "audit.html")]
pub(crate) struct AuditTemplate {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) form: AuditForm,
    /// The day filter, with the reason beside a field that is not a date.
    pub(crate) days: DayRange,
    /// (stored name, label) of every action.
    pub(crate) actions: Vec<(&'static str, String)>,
    pub(crate) rows: Vec<AuditRow>,
    /// The chain's last entry: (sequence number, hash).
    pub(crate) head: Option<(i64, String)>,
    /// The newest signed checkpoint, in words.
    pub(crate) checkpoint: Option<String>,
}

/// Every action with its label.
pub(crate) fn action_choices(tr: &Tr) -> Vec<(&'static str, String)> {
    AuditAction::ALL
        .iter()
        .map(|a| (a.as_str(), tr.t(&format!("audit-action-{}", a.as_str().replace('_', "-")))))
        .collect()
}
