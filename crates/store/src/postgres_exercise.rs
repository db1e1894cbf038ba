//! Table-top exercises on PostgreSQL (the SQL is shared with SQLite: see
//! [`crate::exercise`]).

crate::exercise::exercise_impl!(crate::postgres::PgStore, sqlx::postgres::PgRow);
