//! Evidence, notes, tasks and shares of cases on PostgreSQL (the SQL is
//! shared with SQLite: see [`crate::casework`]).

crate::casework::casework_impl!(crate::postgres::PgStore);
