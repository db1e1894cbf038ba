//! The audit log on SQLite. Appends queue on the store's audit lock and run
//! under `BEGIN IMMEDIATE`, so reading the head and extending it is atomic.

use crate::sqlite::SqliteStore;

impl SqliteStore {
    /// A transaction that owns the log's head until it ends.
    pub(crate) async fn begin_audit_append(
        &self,
    ) -> Result<(sqlx::Transaction<'_, sqlx::Sqlite>, tokio::sync::MutexGuard<'_, ()>), StoreError> {
        let guard = self.audit_lock.lock().await;
        Ok((self.pool.begin_with("BEGIN IMMEDIATE").await?, guard))
    }
}

// Under SQLite's 32,766 parameters: 11 a log row, 2 an entity row.
crate::audit::audit_impl!(SqliteStore, sqlx::Sqlite, entry_rows = 2_000, entity_rows = 10_000);
