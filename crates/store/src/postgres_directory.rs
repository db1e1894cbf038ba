//! Countries, agencies and sources on PostgreSQL (the SQL is shared with
//! SQLite: see [`crate::directory`]).

crate::directory::directory_impl!(crate::postgres::PgStore);
