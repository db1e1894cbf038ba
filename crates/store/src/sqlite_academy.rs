//! The academy on SQLite (the SQL is shared: see [`crate::academy`]).

crate::academy::academy_impl!(crate::sqlite::SqliteStore);
