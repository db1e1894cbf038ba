//! Cohorts, certificates and the cascade on PostgreSQL (the SQL is shared: see [`crate::cohorts`]).

crate::cohorts::cohorts_impl!(crate::postgres::PgStore, sqlx::postgres::PgRow);
