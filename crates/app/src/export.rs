//! Export of entities as FtM JSON lines, readable by Aleph and
//! OpenSanctions tools and by `veza import`.

use crate::{Access, AppError, Veza};
use std::io::Write;
use veza_store::audit::{AuditAction, AuditOutcome};

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Entities written.
    pub entities: u64,
}

/// Entities read from the store per round trip.
const PAGE: u32 = 2_000;

impl Veza {
    /// Writes every entity the caller may see to `out`, one FtM JSON object
    /// per line, in storage order. `progress` is called after each page with
    /// the running count. `target` names where it goes (a file, standard
    /// output) for the audit log: one disclosure entry, with the count and
    /// the target as detail, written before the output is flushed, so an
    /// export whose entry cannot be written fails.
    pub async fn export_ftm(
        &self,
        access: &Access,
        target: &str,
        out: &mut dyn Write,
        mut progress: impl FnMut(u64),
    ) -> Result<ExportSummary, AppError> {
        self.purpose_of(access, AuditAction::Disclose, &[], &format!("export to {target}")).await?;
        let caller = &access.caller;
        let mut cursor = 0;
        let mut summary = ExportSummary::default();
        let io = |e: std::io::Error| AppError::File { path: "export output".into(), reason: e.to_string() };
        loop {
            let (page, next) = self.store.scan(caller, cursor, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for entity in &page {
                serde_json::to_writer(&mut *out, &entity.to_ftm())
                    .map_err(|e| AppError::File { path: "export output".into(), reason: e.to_string() })?;
                out.write_all(b"\n").map_err(io)?;
            }
            summary.entities += page.len() as u64;
            progress(summary.entities);
            cursor = next;
        }
        let detail = format!("export of {} entities as FtM JSON to {target}", summary.entities);
        self.audit_access(access, AuditAction::Disclose, Vec::new(), AuditOutcome::Ok, &detail).await?;
        out.flush().map_err(io)?;
        Ok(summary)
    }
}
