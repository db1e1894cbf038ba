//! The audit log on PostgreSQL.

use crate::audit::AuditLog;
use crate::postgres::PgStore;

impl AuditLog for PgStore {}
