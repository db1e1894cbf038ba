//! Checks made at a field node and sent later (migration 10): the node's
//! reference for each, so that a batch sent twice (its answer lost on the
//! way) is recorded once, with the snapshot it was answered from and the
//! time it was made. The check itself is an `operation_check` like any other.

use crate::error::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// A field check's reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCheckRef {
    /// The node's id for the check.
    pub client_ref: String,
    /// The stored check's number.
    pub check_id: i64,
    /// The snapshot's id, hex.
    pub snapshot_id: String,
    /// When it was made at the node, microseconds.
    pub checked_at: i64,
}

/// Field check references.
#[async_trait]
pub trait FieldChecks: Send + Sync {
    /// The references of `client_refs` already recorded for the operation.
    async fn field_checks(&self, operation_id: &str, client_refs: &[String]) -> Result<Vec<FieldCheckRef>, StoreError>;
    /// Records references (one already there is left as it is).
    async fn record_field_checks(&self, operation_id: &str, refs: &[FieldCheckRef]) -> Result<(), StoreError>;
}

/// Implements [`FieldChecks`] for a back end (the SQL is the same on both).
macro_rules! field_checks_impl {
    ($store:ty) => {
        use crate::error::StoreError;
        use crate::field_checks::{FieldCheckRef, FieldChecks};
        use async_trait::async_trait;
        use sqlx::Row;

        #[async_trait]
        impl FieldChecks for $store {
            async fn field_checks(
                &self,
                operation_id: &str,
                client_refs: &[String],
            ) -> Result<Vec<FieldCheckRef>, StoreError> {
                let mut out = Vec::new();
                let mut conn = self.pool.acquire().await?;
                for r in client_refs {
                    let row = sqlx::query(
                        "SELECT client_ref, check_id, snapshot_id, checked_at FROM field_check \
                         WHERE operation_id = $1 AND client_ref = $2",
                    )
                    .bind(operation_id)
                    .bind(r)
                    .fetch_optional(&mut *conn)
                    .await?;
                    if let Some(row) = row {
                        out.push(FieldCheckRef {
                            client_ref: row.try_get(0)?,
                            check_id: row.try_get(1)?,
                            snapshot_id: row.try_get(2)?,
                            checked_at: row.try_get(3)?,
                        });
                    }
                }
                Ok(out)
            }

            async fn record_field_checks(&self, operation_id: &str, refs: &[FieldCheckRef]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                for r in refs {
                    sqlx::query(
                        "INSERT INTO field_check(operation_id, client_ref, check_id, snapshot_id, checked_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (operation_id, client_ref) DO NOTHING",
                    )
                    .bind(operation_id)
                    .bind(&r.client_ref)
                    .bind(r.check_id)
                    .bind(&r.snapshot_id)
                    .bind(r.checked_at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use field_checks_impl;
