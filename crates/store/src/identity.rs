//! Users, roles, sessions and API tokens. Implemented by each back end in
//! `sqlite_identity.rs` and `postgres_identity.rs`.

use async_trait::async_trait;

/// Who can sign in, with which roles, and their sessions and tokens.
#[async_trait]
pub trait Identity: Send + Sync {}
