//! Users, sessions and tokens on PostgreSQL.

use crate::identity::Identity;
use crate::postgres::PgStore;

impl Identity for PgStore {}
