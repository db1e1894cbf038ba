//! The audit log (EU Directive 2016/680, Art. 25): every collection,
//! alteration, consultation, disclosure, combination and erasure of personal
//! data, hash-chained and signed. Implemented by each back end in
//! `sqlite_audit.rs` and `postgres_audit.rs`.

use async_trait::async_trait;

/// Appending to and reading the audit log.
#[async_trait]
pub trait AuditLog: Send + Sync {}
