//! Countries, agencies and sources on SQLite (the SQL is shared with
//! PostgreSQL: see [`crate::directory`]).

crate::directory::directory_impl!(crate::sqlite::SqliteStore);
