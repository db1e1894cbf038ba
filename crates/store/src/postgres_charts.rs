//! Saved charts and chart reads on PostgreSQL (the SQL is shared: see [`crate::charts`]).

crate::charts::charts_impl!(crate::postgres::PgStore);
