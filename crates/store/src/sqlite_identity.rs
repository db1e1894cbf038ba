//! Users, sessions and tokens on SQLite (the SQL is shared with PostgreSQL:
//! see [`crate::identity`]).

crate::identity::identity_impl!(crate::sqlite::SqliteStore);
