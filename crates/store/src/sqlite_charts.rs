//! Saved charts and chart reads on SQLite (the SQL is shared: see [`crate::charts`]).

crate::charts::charts_impl!(crate::sqlite::SqliteStore);
