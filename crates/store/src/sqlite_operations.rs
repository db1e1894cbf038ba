//! Operations, checks and hits on SQLite (the SQL is shared: see [`crate::operations`]).

crate::operations::operations_impl!(crate::sqlite::SqliteStore, sqlx::Sqlite);
