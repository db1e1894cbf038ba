//! Reference data: agencies (the owners of records) and sources (datasets).
//! Not personal data, so no purpose is asked; the faces read it through
//! these use cases, never from the store directly.

use crate::{AppError, Veza};
use veza_store::{Agency, Source};

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
}
