//! The audit log on SQLite.

use crate::audit::AuditLog;
use crate::sqlite::SqliteStore;

impl AuditLog for SqliteStore {}
