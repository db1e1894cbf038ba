//! Users, sessions and tokens on SQLite.

use crate::identity::Identity;
use crate::sqlite::SqliteStore;

impl Identity for SqliteStore {}
