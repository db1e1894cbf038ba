//! Case membership and access requests on PostgreSQL (the SQL is shared with
//! SQLite: see [`crate::casefile`]).

crate::casefile::casefile_impl!(crate::postgres::PgStore);
