//! Evidence, notes, tasks and shares of cases on SQLite (the SQL is shared
//! with PostgreSQL: see [`crate::casework`]).

crate::casework::casework_impl!(crate::sqlite::SqliteStore);
