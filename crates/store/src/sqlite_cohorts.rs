//! Cohorts, certificates and the cascade on SQLite (the SQL is shared: see [`crate::cohorts`]).

crate::cohorts::cohorts_impl!(crate::sqlite::SqliteStore, sqlx::sqlite::SqliteRow);
