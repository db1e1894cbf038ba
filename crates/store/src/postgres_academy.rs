//! The academy on PostgreSQL (the SQL is shared: see [`crate::academy`]).

crate::academy::academy_impl!(crate::postgres::PgStore);
