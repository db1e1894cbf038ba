//! Users, sessions and tokens on PostgreSQL (the SQL is shared with SQLite:
//! see [`crate::identity`]).

crate::identity::identity_impl!(crate::postgres::PgStore);
