//! The match review queue on SQLite (the SQL is shared: see [`crate::matches`]).

crate::matches::matches_impl!(crate::sqlite::SqliteStore);
