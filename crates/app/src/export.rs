//! Export of entities as FtM JSON lines, readable by Aleph and
//! OpenSanctions tools and by `veza import`.

use crate::{AppError, Veza};
use std::io::Write;
use veza_store::Caller;

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
    /// the running count.
    pub async fn export_ftm(
        &self,
        caller: &Caller,
        out: &mut dyn Write,
        mut progress: impl FnMut(u64),
    ) -> Result<ExportSummary, AppError> {
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
        out.flush().map_err(io)?;
        Ok(summary)
    }
}
