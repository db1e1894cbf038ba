//! The match review queue on PostgreSQL (the SQL is shared: see [`crate::matches`]).

crate::matches::matches_impl!(crate::postgres::PgStore);
