//! Users, roles, sessions and API tokens. Implemented by each back end in
//! `sqlite_identity.rs` and `postgres_identity.rs`, from one body of SQL
//! (both accept `$1` parameters, `ON CONFLICT` and `RETURNING`).
//!
//! The store keeps no secret in the clear: passwords arrive as argon2id PHC
//! strings, session and API tokens as the hex SHA-256 of the token. Times
//! are microseconds since 1970 (UTC). Deciding (lock-out, expiry, MFA) is the
//! use cases' job; this trait only records.

use crate::error::StoreError;
use async_trait::async_trait;
use std::fmt;

/// A user as stored, with their roles (stored names, e.g. `investigator`).
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Unique log-in name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Agency code.
    pub agency: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Base32 TOTP secret, when the user has one.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted (a code is accepted once).
    pub totp_last_step: Option<i64>,
    /// A disabled user cannot log in, and their sessions and tokens fail.
    pub disabled: bool,
    /// Failed log-ins since the last success or lock.
    pub failed_logins: i64,
    /// Locked until this time, if locked.
    pub locked_until: Option<i64>,
    /// When created.
    pub created_at: i64,
    /// Raised on every change of rights; older sessions are void.
    pub rights_version: i64,
    /// Role names, sorted.
    pub roles: Vec<String>,
}

impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("agency", &self.agency)
            .field("password_hash", &"<redacted>")
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "<redacted>"))
            .field("disabled", &self.disabled)
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("rights_version", &self.rights_version)
            .field("roles", &self.roles)
            .finish()
    }
}

/// A server-side session, keyed by the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Hex SHA-256 of the session token.
    pub token_hash: String,
    /// Whose session.
    pub username: String,
    /// When made (log-in).
    pub created_at: i64,
    /// Last use, for the idle timeout.
    pub last_seen: i64,
    /// Absolute end of the session.
    pub expires_at: i64,
    /// The user's rights version when made.
    pub rights_version: i64,
}

/// An API token for a machine client, keyed by the SHA-256 of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// What it is for, as its owner named it (`checkpoint-terminal-3`).
    pub name: String,
    /// The user it acts for.
    pub username: String,
    /// Scopes it grants.
    pub scopes: Vec<String>,
    /// The purpose stated when it was issued, if any.
    pub purpose: Option<String>,
    /// When issued.
    pub created_at: i64,
    /// When it stops working.
    pub expires_at: i64,
    /// Revoked tokens never work again.
    pub revoked: bool,
}

/// Who can sign in, with which roles, and their sessions and tokens.
#[async_trait]
pub trait Identity: Send + Sync {
    /// Adds a user or replaces every field and the roles of an existing one.
    /// The agency must exist.
    async fn put_user(&self, user: &UserRecord) -> Result<(), StoreError>;
    /// One user, with roles.
    async fn user(&self, username: &str) -> Result<Option<UserRecord>, StoreError>;
    /// All users, by user name.
    async fn users(&self) -> Result<Vec<UserRecord>, StoreError>;
    /// Replaces a user's roles and raises the rights version; `false` when
    /// there is no such user.
    async fn set_user_roles(&self, username: &str, roles: &[String]) -> Result<bool, StoreError>;
    /// Disables a user, raises the rights version and deletes their
    /// sessions; `false` when there is no such user.
    async fn disable_user(&self, username: &str) -> Result<bool, StoreError>;
    /// Sets or clears a user's TOTP secret (base32) and raises the rights version.
    async fn set_totp_secret(&self, username: &str, secret: Option<&str>) -> Result<bool, StoreError>;
    /// Counts a failed log-in. When the count reaches `max_failures`, locks
    /// the user until `lock_until` and starts counting anew; returns the
    /// lock's end when this failure locked the user.
    async fn record_failed_login(
        &self,
        username: &str,
        max_failures: i64,
        lock_until: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// Clears failures and lock after a successful log-in and records the
    /// TOTP step used. Returns `false` (and changes nothing) when that step
    /// was accepted before: a TOTP code is good once.
    async fn record_successful_login(&self, username: &str, totp_step: Option<i64>) -> Result<bool, StoreError>;

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// The session with this token hash.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Records a use of the session.
    async fn touch_session(&self, token_hash: &str, last_seen: i64) -> Result<(), StoreError>;
    /// Ends a session; `false` when there was none.
    async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError>;
    /// Ends every session of a user; returns how many.
    async fn delete_user_sessions(&self, username: &str) -> Result<u64, StoreError>;

    /// Stores a new API token.
    async fn create_api_token(&self, token: &ApiTokenRecord) -> Result<(), StoreError>;
    /// The API token with this hash.
    async fn api_token(&self, token_hash: &str) -> Result<Option<ApiTokenRecord>, StoreError>;
    /// A user's API tokens, newest first.
    async fn api_tokens(&self, username: &str) -> Result<Vec<ApiTokenRecord>, StoreError>;
    /// Revokes an API token; `false` when there was none.
    async fn revoke_api_token(&self, token_hash: &str) -> Result<bool, StoreError>;

    /// A run-time setting (`mfa_required_roles`).
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a run-time setting.
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
}

pub(crate) fn join_list(items: &[String]) -> String {
    items.join(",")
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

/// The one implementation of [`Identity`], for a store type with a
/// `pool` field of either back end: the SQL is the same on both.
macro_rules! identity_impl {
    ($store:ty) => {
        use crate::error::StoreError;
        use crate::identity::{ApiTokenRecord, Identity, SessionRecord, UserRecord, join_list, split_list};
        use async_trait::async_trait;
        use sqlx::Row;

        const USER_COLUMNS: &str = "SELECT username, display_name, agency, password_hash, totp_secret, totp_last_step, \
            disabled, failed_logins, locked_until, created_at, rights_version FROM app_user";
        const TOKEN_COLUMNS: &str =
            "SELECT token_hash, name, username, scopes, purpose, created_at, expires_at, revoked FROM api_token";

        fn user_row<R: Row>(r: &R) -> Result<UserRecord, sqlx::Error>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(UserRecord {
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                agency: r.try_get("agency")?,
                password_hash: r.try_get("password_hash")?,
                totp_secret: r.try_get("totp_secret")?,
                totp_last_step: r.try_get("totp_last_step")?,
                disabled: r.try_get("disabled")?,
                failed_logins: r.try_get("failed_logins")?,
                locked_until: r.try_get("locked_until")?,
                created_at: r.try_get("created_at")?,
                rights_version: r.try_get("rights_version")?,
                roles: Vec::new(),
            })
        }

        fn token_row<R: Row>(r: &R) -> Result<ApiTokenRecord, sqlx::Error>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(ApiTokenRecord {
                token_hash: r.try_get("token_hash")?,
                name: r.try_get("name")?,
                username: r.try_get("username")?,
                scopes: split_list(&r.try_get::<String, _>("scopes")?),
                purpose: r.try_get("purpose")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
                revoked: r.try_get("revoked")?,
            })
        }

        #[async_trait]
        impl Identity for $store {
            async fn put_user(&self, user: &UserRecord) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO app_user (username, display_name, agency, password_hash, totp_secret, totp_last_step, \
                     disabled, failed_logins, locked_until, created_at, rights_version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, \
                     agency = excluded.agency, password_hash = excluded.password_hash, \
                     totp_secret = excluded.totp_secret, totp_last_step = excluded.totp_last_step, \
                     disabled = excluded.disabled, failed_logins = excluded.failed_logins, \
                     locked_until = excluded.locked_until, rights_version = excluded.rights_version",
                )
                .bind(&user.username)
                .bind(&user.display_name)
                .bind(&user.agency)
                .bind(&user.password_hash)
                .bind(&user.totp_secret)
                .bind(user.totp_last_step)
                .bind(user.disabled)
                .bind(user.failed_logins)
                .bind(user.locked_until)
                .bind(user.created_at)
                .bind(user.rights_version)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM user_role WHERE username = $1").bind(&user.username).execute(&mut *tx).await?;
                for role in &user.roles {
                    sqlx::query("INSERT INTO user_role (username, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(&user.username)
                        .bind(role)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn user(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
                let sql = format!("{USER_COLUMNS} WHERE username = $1");
                let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(&self.pool).await?
                else {
                    return Ok(None);
                };
                let mut user = user_row(&row)?;
                user.roles = sqlx::query_scalar("SELECT role FROM user_role WHERE username = $1 ORDER BY role")
                    .bind(username)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(Some(user))
            }

            async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
                let sql = format!("{USER_COLUMNS} ORDER BY username");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                let mut users = rows.iter().map(user_row).collect::<Result<Vec<_>, _>>()?;
                let roles = sqlx::query("SELECT username, role FROM user_role ORDER BY username, role")
                    .fetch_all(&self.pool)
                    .await?;
                let mut by_user: std::collections::HashMap<String, Vec<String>> = Default::default();
                for r in &roles {
                    by_user.entry(r.try_get("username")?).or_default().push(r.try_get("role")?);
                }
                for u in &mut users {
                    u.roles = by_user.remove(&u.username).unwrap_or_default();
                }
                Ok(users)
            }

            async fn set_user_roles(&self, username: &str, roles: &[String]) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query("UPDATE app_user SET rights_version = rights_version + 1 WHERE username = $1")
                    .bind(username)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM user_role WHERE username = $1").bind(username).execute(&mut *tx).await?;
                for role in roles {
                    sqlx::query("INSERT INTO user_role (username, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(username)
                        .bind(role)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn disable_user(&self, username: &str) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE app_user SET disabled = $2, rights_version = rights_version + 1 WHERE username = $1",
                )
                .bind(username)
                .bind(true)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                sqlx::query("DELETE FROM session WHERE username = $1").bind(username).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(n > 0)
            }

            async fn set_totp_secret(&self, username: &str, secret: Option<&str>) -> Result<bool, StoreError> {
                let n = sqlx::query(
                    "UPDATE app_user SET totp_secret = $2, totp_last_step = NULL, \
                     rights_version = rights_version + 1 WHERE username = $1",
                )
                .bind(username)
                .bind(secret)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n > 0)
            }

            async fn record_failed_login(
                &self,
                username: &str,
                max_failures: i64,
                lock_until: i64,
            ) -> Result<Option<i64>, StoreError> {
                // Right-hand sides see the row as it was, on both back ends.
                let locked: Option<bool> = sqlx::query_scalar(
                    "UPDATE app_user SET \
                     failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
                     locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END \
                     WHERE username = $1 RETURNING failed_logins = 0",
                )
                .bind(username)
                .bind(max_failures)
                .bind(lock_until)
                .fetch_optional(&self.pool)
                .await?;
                Ok(locked.unwrap_or(false).then_some(lock_until))
            }

            async fn record_successful_login(
                &self,
                username: &str,
                totp_step: Option<i64>,
            ) -> Result<bool, StoreError> {
                let n = sqlx::query(
                    "UPDATE app_user SET failed_logins = 0, locked_until = NULL, \
                     totp_last_step = COALESCE($2, totp_last_step) \
                     WHERE username = $1 AND ($2 IS NULL OR totp_last_step IS NULL OR totp_last_step < $2)",
                )
                .bind(username)
                .bind(totp_step)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n > 0)
            }

            async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO session (token_hash, username, created_at, last_seen, expires_at, rights_version) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&s.token_hash)
                .bind(&s.username)
                .bind(s.created_at)
                .bind(s.last_seen)
                .bind(s.expires_at)
                .bind(s.rights_version)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
                let row = sqlx::query(
                    "SELECT token_hash, username, created_at, last_seen, expires_at, rights_version \
                     FROM session WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                Ok(Some(SessionRecord {
                    token_hash: r.try_get("token_hash")?,
                    username: r.try_get("username")?,
                    created_at: r.try_get("created_at")?,
                    last_seen: r.try_get("last_seen")?,
                    expires_at: r.try_get("expires_at")?,
                    rights_version: r.try_get("rights_version")?,
                }))
            }

            async fn touch_session(&self, token_hash: &str, last_seen: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE session SET last_seen = $2 WHERE token_hash = $1 AND last_seen < $2")
                    .bind(token_hash)
                    .bind(last_seen)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError> {
                let n = sqlx::query("DELETE FROM session WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n > 0)
            }

            async fn delete_user_sessions(&self, username: &str) -> Result<u64, StoreError> {
                let n = sqlx::query("DELETE FROM session WHERE username = $1")
                    .bind(username)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n)
            }

            async fn create_api_token(&self, t: &ApiTokenRecord) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO api_token (token_hash, name, username, scopes, purpose, created_at, expires_at, revoked) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&t.token_hash)
                .bind(&t.name)
                .bind(&t.username)
                .bind(join_list(&t.scopes))
                .bind(&t.purpose)
                .bind(t.created_at)
                .bind(t.expires_at)
                .bind(t.revoked)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn api_token(&self, token_hash: &str) -> Result<Option<ApiTokenRecord>, StoreError> {
                let sql = format!("{TOKEN_COLUMNS} WHERE token_hash = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(token_row).transpose()?)
            }

            async fn api_tokens(&self, username: &str) -> Result<Vec<ApiTokenRecord>, StoreError> {
                let sql = format!("{TOKEN_COLUMNS} WHERE username = $1 ORDER BY created_at DESC");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_all(&self.pool).await?;
                Ok(rows.iter().map(token_row).collect::<Result<Vec<_>, _>>()?)
            }

            async fn revoke_api_token(&self, token_hash: &str) -> Result<bool, StoreError> {
                let n = sqlx::query("UPDATE api_token SET revoked = $2 WHERE token_hash = $1")
                    .bind(token_hash)
                    .bind(true)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n > 0)
            }

            async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar("SELECT value FROM setting WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO setting (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use identity_impl;
