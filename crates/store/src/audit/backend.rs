//! The one implementation of [`AuditLog`](crate::audit::AuditLog) for both
//! back ends. They differ only in how an append takes the log's head for
//! itself (each store's `begin_audit_append`) and in how many rows fit in
//! one INSERT.

/// Implements `AuditLog` for `$store` on database `$db`.
macro_rules! audit_impl {
    ($store:ty, $db:ty, entry_rows = $entry_rows:expr, entity_rows = $entity_rows:expr) => {
        use crate::audit::{
            AuditAction, AuditCheckpoint, AuditEntry, AuditFilter, AuditLog, AuditOutcome, Hash, NewAuditEntry,
            corrupt, hash_from, seal_batch,
        };
        use crate::error::StoreError;
        use async_trait::async_trait;
        use sqlx::{QueryBuilder, Row};

        const COLUMNS: &str = "seq, at, actor, agency, action, entity_ids, outcome, purpose, detail, prev_hash, hash";

        fn entry_from_row(row: &<$db as sqlx::Database>::Row) -> Result<AuditEntry, StoreError> {
            let seq: i64 = row.try_get("seq")?;
            let action: &str = row.try_get("action")?;
            let outcome: &str = row.try_get("outcome")?;
            let ids: &str = row.try_get("entity_ids")?;
            Ok(AuditEntry {
                seq,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                agency: row.try_get("agency")?,
                action: AuditAction::parse(action).ok_or_else(|| corrupt("action", action, seq))?,
                entity_ids: serde_json::from_str(ids).map_err(|_| corrupt("entity id list", ids, seq))?,
                outcome: AuditOutcome::parse(outcome).ok_or_else(|| corrupt("outcome", outcome, seq))?,
                purpose: row.try_get("purpose")?,
                detail: row.try_get("detail")?,
                prev_hash: hash_from(row.try_get::<&[u8], _>("prev_hash")?, "previous hash", seq)?,
                hash: hash_from(row.try_get::<&[u8], _>("hash")?, "hash", seq)?,
            })
        }

        async fn head<'c, E: sqlx::Executor<'c, Database = $db>>(ex: E) -> Result<Option<(i64, Hash)>, StoreError> {
            let row = sqlx::query("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetch_optional(ex).await?;
            match row {
                Some(r) => {
                    let seq: i64 = r.try_get(0)?;
                    Ok(Some((seq, hash_from(r.try_get::<&[u8], _>(1)?, "hash", seq)?)))
                }
                None => Ok(None),
            }
        }

        impl $store {
            /// Seals `entries` after the log's head and inserts them within
            /// `tx`, which must come from `begin_audit_append` (it owns the
            /// head until it ends): data written in the same transaction is
            /// then committed together with its audit entries, or neither is.
            pub(crate) async fn audit_within(
                &self,
                tx: &mut sqlx::Transaction<'_, $db>,
                entries: Vec<NewAuditEntry>,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let sealed = seal_batch(head(&mut **tx).await?, entries, || self.clock.tick());
                for chunk in sealed.chunks($entry_rows) {
                    let mut q = QueryBuilder::<$db>::new(format!("INSERT INTO audit_entry ({COLUMNS}) "));
                    q.push_values(chunk, |mut b, e| {
                        b.push_bind(e.seq)
                            .push_bind(e.at)
                            .push_bind(&e.actor)
                            .push_bind(&e.agency)
                            .push_bind(e.action.as_str())
                            .push_bind(serde_json::to_string(&e.entity_ids).unwrap_or_default())
                            .push_bind(e.outcome.as_str())
                            .push_bind(&e.purpose)
                            .push_bind(&e.detail)
                            .push_bind(&e.prev_hash[..])
                            .push_bind(&e.hash[..]);
                    });
                    q.build().execute(&mut **tx).await?;
                }
                let mut links: Vec<(&str, i64)> =
                    sealed.iter().flat_map(|e| e.entity_ids.iter().map(move |id| (id.as_str(), e.seq))).collect();
                links.sort_unstable();
                links.dedup();
                for chunk in links.chunks($entity_rows) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO audit_entity (entity_id, seq) ");
                    q.push_values(chunk, |mut b, (id, seq)| {
                        b.push_bind(*id).push_bind(*seq);
                    });
                    q.build().execute(&mut **tx).await?;
                }
                Ok(sealed)
            }
        }

        #[async_trait]
        impl AuditLog for $store {
            async fn append(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError> {
                self.audit_group.append(entry, |batch| self.append_many(batch)).await
            }

            async fn append_many(&self, entries: Vec<NewAuditEntry>) -> Result<Vec<AuditEntry>, StoreError> {
                if entries.is_empty() {
                    return Ok(Vec::new());
                }
                let (mut tx, _appender) = self.begin_audit_append().await?;
                let sealed = self.audit_within(&mut tx, entries).await?;
                tx.commit().await?;
                Ok(sealed)
            }

            async fn entries(&self, from_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
                let sql = format!("SELECT {COLUMNS} FROM audit_entry WHERE seq >= $1 ORDER BY seq LIMIT $2");
                let rows =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_seq).bind(limit as i64).fetch_all(&self.pool).await?;
                rows.iter().map(entry_from_row).collect()
            }

            async fn audit_head(&self) -> Result<Option<(i64, Hash)>, StoreError> {
                head(&self.pool).await
            }

            async fn add_checkpoint(&self, c: &AuditCheckpoint) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO audit_checkpoint (seq, hash, signature, at) VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING",
                )
                .bind(c.seq)
                .bind(&c.hash[..])
                .bind(&c.signature[..])
                .bind(c.at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn checkpoints(&self) -> Result<Vec<AuditCheckpoint>, StoreError> {
                let rows = sqlx::query("SELECT seq, hash, signature, at FROM audit_checkpoint ORDER BY seq")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let seq: i64 = r.try_get("seq")?;
                        Ok(AuditCheckpoint {
                            seq,
                            hash: hash_from(r.try_get::<&[u8], _>("hash")?, "checkpoint hash", seq)?,
                            signature: r.try_get::<&[u8], _>("signature")?.try_into().map_err(|_| {
                                StoreError::Corrupt(format!("the signature of the audit checkpoint at {seq} is not 64 bytes"))
                            })?,
                            at: r.try_get("at")?,
                        })
                    })
                    .collect()
            }

            async fn search_audit(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
                let mut q = QueryBuilder::<$db>::new(format!("SELECT {COLUMNS} FROM audit_entry WHERE 1 = 1"));
                if let Some(user) = &f.user {
                    q.push(" AND actor = ").push_bind(user);
                }
                if let Some(entity) = &f.entity {
                    q.push(" AND seq IN (SELECT seq FROM audit_entity WHERE entity_id = ").push_bind(entity).push(")");
                }
                if let Some(from) = f.from {
                    q.push(" AND at >= ").push_bind(from);
                }
                if let Some(to) = f.to {
                    q.push(" AND at < ").push_bind(to);
                }
                if let Some(action) = f.action {
                    q.push(" AND action = ").push_bind(action.as_str());
                }
                q.push(" ORDER BY seq DESC LIMIT ").push_bind(f.effective_limit() as i64);
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter().map(entry_from_row).collect()
            }
        }
    };
}
pub(crate) use audit_impl;
