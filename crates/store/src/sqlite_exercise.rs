//! Table-top exercises on SQLite (the SQL is shared with PostgreSQL: see
//! [`crate::exercise`]).

crate::exercise::exercise_impl!(crate::sqlite::SqliteStore, sqlx::sqlite::SqliteRow);
