//! Case membership and access requests on SQLite (the SQL is shared with
//! PostgreSQL: see [`crate::casefile`]).

crate::casefile::casefile_impl!(crate::sqlite::SqliteStore);
