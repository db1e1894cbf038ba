//! The schema migrations of each back end, embedded in the binary. A change
//! to the schema is a new numbered file in both folders and one line in each
//! list below; released migrations are never edited.

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

fn migration(version: i64, description: &'static str, sql: &'static str) -> Migration {
    Migration::new(version, description.into(), MigrationType::Simple, sql.into_sql_str(), false)
}

/// SQLite migrations, in order.
pub(crate) fn sqlite() -> Migrator {
    Migrator::with_migrations(vec![
        migration(1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
        migration(2, "audit", include_str!("../migrations/sqlite/0002_audit.sql")),
        migration(3, "identity", include_str!("../migrations/sqlite/0003_identity.sql")),
        migration(4, "cases and access", include_str!("../migrations/sqlite/0004_cases_access.sql")),
        migration(5, "match review", include_str!("../migrations/sqlite/0005_match_review.sql")),
        migration(6, "case workspace", include_str!("../migrations/sqlite/0006_case_workspace.sql")),
        migration(7, "saved charts", include_str!("../migrations/sqlite/0007_chart.sql")),
        migration(8, "entity schema index", include_str!("../migrations/sqlite/0008_entity_schema_index.sql")),
        migration(9, "operations", include_str!("../migrations/sqlite/0009_operations.sql")),
        migration(10, "field checks", include_str!("../migrations/sqlite/0010_field_checks.sql")),
        migration(12, "table-top exercises", include_str!("../migrations/sqlite/0012_exercise.sql")),
        migration(13, "academy", include_str!("../migrations/sqlite/0013_academy.sql")),
        migration(14, "academy cohorts", include_str!("../migrations/sqlite/0014_academy_cohorts.sql")),
        migration(18, "entity case index", include_str!("../migrations/sqlite/0018_entity_case.sql")),
    ])
}

/// PostgreSQL migrations, in order.
pub(crate) fn postgres() -> Migrator {
    Migrator::with_migrations(vec![
        migration(1, "init", include_str!("../migrations/postgres/0001_init.sql")),
        migration(2, "audit", include_str!("../migrations/postgres/0002_audit.sql")),
        migration(3, "identity", include_str!("../migrations/postgres/0003_identity.sql")),
        migration(4, "cases and access", include_str!("../migrations/postgres/0004_cases_access.sql")),
        migration(5, "match review", include_str!("../migrations/postgres/0005_match_review.sql")),
        migration(6, "case workspace", include_str!("../migrations/postgres/0006_case_workspace.sql")),
        migration(7, "saved charts", include_str!("../migrations/postgres/0007_chart.sql")),
        migration(8, "entity schema index", include_str!("../migrations/postgres/0008_entity_schema_index.sql")),
        migration(9, "operations", include_str!("../migrations/postgres/0009_operations.sql")),
        migration(10, "field checks", include_str!("../migrations/postgres/0010_field_checks.sql")),
        migration(12, "table-top exercises", include_str!("../migrations/postgres/0012_exercise.sql")),
        migration(13, "academy", include_str!("../migrations/postgres/0013_academy.sql")),
        migration(14, "academy cohorts", include_str!("../migrations/postgres/0014_academy_cohorts.sql")),
        migration(18, "entity case index", include_str!("../migrations/postgres/0018_entity_case.sql")),
    ])
}
