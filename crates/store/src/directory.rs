//! Reference data: countries, agencies (the owners of records) and sources
//! (datasets). One body of SQL serves both back ends (both accept `$1`
//! parameters and `ON CONFLICT`), like [`crate::identity`].

use crate::error::StoreError;
use crate::types::{Agency, Country, Source};
use async_trait::async_trait;

/// Countries, agencies and sources.
#[async_trait]
pub trait Directory: Send + Sync {
    /// Adds or updates a country.
    async fn put_country(&self, country: &Country) -> Result<(), StoreError>;
    /// All countries, by code.
    async fn countries(&self) -> Result<Vec<Country>, StoreError>;
    /// Adds or updates an agency; its country must exist.
    async fn put_agency(&self, agency: &Agency) -> Result<(), StoreError>;
    /// All agencies, by code.
    async fn agencies(&self) -> Result<Vec<Agency>, StoreError>;
    /// One agency.
    async fn agency(&self, code: &str) -> Result<Option<Agency>, StoreError>;
    /// Adds or updates a source (dataset); its owner agency must exist.
    async fn put_source(&self, source: &Source) -> Result<(), StoreError>;
    /// All sources, by dataset name.
    async fn sources(&self) -> Result<Vec<Source>, StoreError>;
}

/// The one implementation of [`Directory`], for a store type with a `pool`
/// field of either back end.
macro_rules! directory_impl {
    ($store:ty) => {
        use crate::common::read;
        use crate::directory::Directory;
        use crate::error::StoreError;
        use crate::types::{Agency, Country, Source};
        use async_trait::async_trait;
        use sqlx::Row;

        #[async_trait]
        impl Directory for $store {
            async fn put_country(&self, country: &Country) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO country(code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                )
                .bind(&country.code)
                .bind(&country.name)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn countries(&self) -> Result<Vec<Country>, StoreError> {
                let rows = sqlx::query("SELECT code, name FROM country ORDER BY code").fetch_all(&self.pool).await?;
                rows.iter().map(|r| Ok(Country { code: r.try_get(0)?, name: r.try_get(1)? })).collect()
            }

            async fn put_agency(&self, agency: &Agency) -> Result<(), StoreError> {
                let known: i64 = sqlx::query_scalar("SELECT count(*) FROM country WHERE code = $1")
                    .bind(&agency.country)
                    .fetch_one(&self.pool)
                    .await?;
                if known == 0 {
                    return Err(StoreError::Missing(format!(
                        "unknown country '{}' for agency {}",
                        agency.country, agency.code
                    )));
                }
                sqlx::query(
                    "INSERT INTO agency(code, name, country, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (code) \
                     DO UPDATE SET name = excluded.name, country = excluded.country, kind = excluded.kind",
                )
                .bind(&agency.code)
                .bind(&agency.name)
                .bind(&agency.country)
                .bind(&agency.kind)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                let rows = sqlx::query("SELECT code, name, country, kind FROM agency ORDER BY code")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(read::agency).collect()
            }

            async fn agency(&self, code: &str) -> Result<Option<Agency>, StoreError> {
                let row = sqlx::query("SELECT code, name, country, kind FROM agency WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(read::agency).transpose()
            }

            async fn put_source(&self, source: &Source) -> Result<(), StoreError> {
                if self.agency(&source.owner_agency).await?.is_none() {
                    return Err(StoreError::Missing(format!(
                        "unknown agency '{}' for source {}: add it with `veza agency add`",
                        source.owner_agency, source.dataset
                    )));
                }
                sqlx::query(
                    "INSERT INTO source(dataset, title, kind, owner_agency, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dataset) DO UPDATE SET title = excluded.title, \
                     kind = excluded.kind, updated_at = excluded.updated_at",
                )
                .bind(&source.dataset)
                .bind(&source.title)
                .bind(&source.kind)
                .bind(&source.owner_agency)
                .bind(&source.created_at)
                .bind(&source.updated_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn sources(&self) -> Result<Vec<Source>, StoreError> {
                let rows = sqlx::query(
                    "SELECT dataset, title, kind, owner_agency, created_at, updated_at FROM source ORDER BY dataset",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(read::source).collect()
            }
        }
    };
}
pub(crate) use directory_impl;
