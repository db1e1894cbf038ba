//! The audit log on PostgreSQL. Appends lock `audit_entry` in EXCLUSIVE mode
//! (readers go on; other appenders wait), so reading the head and extending
//! it is atomic.

use crate::postgres::PgStore;

impl PgStore {
    /// A transaction that owns the log's head until it ends.
    pub(crate) async fn begin_audit_append(&self) -> Result<(sqlx::Transaction<'_, sqlx::Postgres>, ()), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("LOCK TABLE audit_entry IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        Ok((tx, ()))
    }
}

// Under PostgreSQL's 65,535 parameters: 11 a log row, 2 an entity row.
crate::audit::audit_impl!(PgStore, sqlx::Postgres, entry_rows = 5_000, entity_rows = 30_000);
