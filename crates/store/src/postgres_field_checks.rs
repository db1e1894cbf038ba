//! Field checks on PostgreSQL (the SQL is shared: see [`crate::field_checks`]).

crate::field_checks::field_checks_impl!(crate::postgres::PgStore);
