//! Operations, checks and hits on PostgreSQL (the SQL is shared: see [`crate::operations`]).

crate::operations::operations_impl!(crate::postgres::PgStore, sqlx::Postgres);
