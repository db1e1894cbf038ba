//! Reference data: agencies (the owners of records) and sources (datasets).
//! Not personal data, so no purpose is asked; the faces read it through
//! these use cases, never from the store directly.

use crate::{AppError, Veza};
use std::path::Path;
use veza_store::{Agency, Source};

/// What [`Veza::import_agencies`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyImport {
    /// Agencies added or updated.
    pub saved: usize,
    /// Rows refused: (line, reason). The other rows are saved.
    pub rejected: Vec<(u64, String)>,
}

impl Veza {
    /// All agencies, by code.
    pub async fn agencies(&self) -> Result<Vec<Agency>, AppError> {
        Ok(self.store.agencies().await?)
    }

    /// One agency.
    pub async fn agency(&self, code: &str) -> Result<Option<Agency>, AppError> {
        Ok(self.store.agency(code).await?)
    }

    /// All sources, by dataset name.
    pub async fn sources(&self) -> Result<Vec<Source>, AppError> {
        Ok(self.store.sources().await?)
    }

    /// Adds an agency or changes its name, country or kind. The country may
    /// be given as an ISO code or an English name.
    pub async fn save_agency(&self, code: &str, name: &str, country: &str, kind: &str) -> Result<Agency, AppError> {
        let invalid = |field: &str, message: String| AppError::Invalid { field: Some(field.into()), message };
        let code = code.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(invalid(
                "code",
                format!("'{code}' is not an agency code: use letters, digits, '-' and '_' (e.g. rs-bp)"),
            ));
        }
        let Some(country) = veza_model::types::clean_country(country) else {
            return Err(invalid(
                "country",
                format!("'{country}' is not a country: use an ISO code such as RS, BA, ME, MK, AL or XK"),
            ));
        };
        let agency = Agency { code: code.into(), name: name.trim().into(), country, kind: kind.trim().into() };
        self.store.put_agency(&agency).await?;
        Ok(agency)
    }

    /// Adds or updates the agencies of a CSV file with the columns
    /// `code,name,country,kind` (as `veza synth` writes `agencies.csv`). A
    /// bad row is reported with its line and saves nothing; the good rows are
    /// saved. A file that cannot be read or lacks a column is refused whole.
    pub async fn import_agencies(&self, path: &Path) -> Result<AgencyImport, AppError> {
        let file_error = |reason: String| AppError::File { path: path.display().to_string(), reason };
        let mut reader = csv::Reader::from_path(path).map_err(|e| file_error(e.to_string()))?;
        let header = reader.headers().map_err(|e| file_error(e.to_string()))?.clone();
        let column = |name: &str| {
            header.iter().position(|h| h.trim() == name).ok_or_else(|| {
                file_error(format!("the header has no column '{name}' (it needs code,name,country,kind)"))
            })
        };
        let (code, name, country, kind) = (column("code")?, column("name")?, column("country")?, column("kind")?);
        let mut done = AgencyImport::default();
        for row in reader.records() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    done.rejected.push((line, e.to_string()));
                    continue;
                }
            };
            let line = row.position().map_or(0, |p| p.line());
            let field = |at: usize| row.get(at).unwrap_or("").trim();
            match self.save_agency(field(code), field(name), field(country), field(kind)).await {
                Ok(_) => done.saved += 1,
                Err(AppError::Store(e)) => return Err(AppError::Store(e)),
                Err(e) => done.rejected.push((line, e.to_string())),
            }
        }
        Ok(done)
    }
}
