//! Users, log-in, sessions and API tokens: the use cases below the web layer.
//!
//! - Passwords: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane),
//!   at least 12 characters. Unknown user names are checked against a dummy
//!   hash of the same cost, so they take as long as known ones.
//! - Lock-out: 5 failed log-ins (wrong password or TOTP code) lock the user for
//!   15 minutes; while locked no password is checked.
//! - TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step) is required of a user
//!   who has a secret, and of every holder of a role in the setting
//!   `mfa_required_roles` (comma-separated role names, in the `setting`
//!   table; see [`Veza::set_mfa_required_roles`]). A holder of such a role
//!   without a secret cannot log in until an administrator enrols them. A
//!   code is accepted once.
//! - Sessions: 256-bit random tokens (base64url), stored only as their
//!   SHA-256; a new one at every log-in; ended after 30 minutes idle, 12
//!   hours after log-in, and by any change of the user's rights (roles,
//!   disabling, TOTP) through the user's rights version.
//! - API tokens: the same kind of secret, scoped, expiring, revocable,
//!   stored as SHA-256 and shown once.
//!
//! Who may call the administrative use cases (add, roles, disable) is the
//! face's concern: the command line acts as the local operator, the web
//! layer will require the administrator role.

use crate::{AppError, Veza};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::{Arc, OnceLock};
use veza_model::Role;
use veza_store::{ApiTokenRecord, Caller, Scope, SessionRecord, StoreError, UserRecord};

/// The setting keeping a user's chosen page language.
fn language_setting(username: &str) -> String {
    format!("language.{username}")
}

/// The setting naming the roles whose holders must use TOTP.
pub const MFA_REQUIRED_ROLES: &str = "mfa_required_roles";
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (hashing cost is bounded anyway; this keeps requests small).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Session tokens start with this, API tokens with [`API_TOKEN_PREFIX`], so a face can tell them apart.
pub const SESSION_PREFIX: &str = "vzs_";
/// See [`SESSION_PREFIX`].
pub const API_TOKEN_PREFIX: &str = "vzt_";

/// The cost of argon2id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl HashCost {
    /// OWASP's recommendation for argon2id: m=19456 KiB, t=2, p=1. Production uses this.
    pub const OWASP: HashCost = HashCost { memory_kib: 19_456, iterations: 2, parallelism: 1 };
    /// The smallest cost argon2 allows: for tests only, never in production.
    pub const TEST_ONLY: HashCost = HashCost { memory_kib: 8, iterations: 1, parallelism: 1 };

    fn hasher(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .unwrap_or_else(|_| Params::new(19_456, 2, 1, None).expect("OWASP parameters are valid"));
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

/// What time it is, for sessions, lock-out and TOTP; replaceable in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }
    /// A clock that asks `f`.
    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }
    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// How log-in and sessions behave.
#[derive(Debug, Clone)]
pub struct IdentityConfig {
    /// argon2id cost for new hashes (verification uses the cost in each hash).
    pub hash_cost: HashCost,
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after log-in, used or not.
    pub session_lifetime: Duration,
    /// Failed log-ins in a row that lock a user.
    pub max_failures: i64,
    /// How long a lock lasts.
    pub lockout: Duration,
    /// The clock.
    pub clock: Clock,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        IdentityConfig {
            hash_cost: HashCost::OWASP,
            idle_timeout: Duration::minutes(30),
            session_lifetime: Duration::hours(12),
            max_failures: 5,
            lockout: Duration::minutes(15),
            clock: Clock::system(),
        }
    }
}

/// The identity settings of a running platform, with the dummy hash.
pub(crate) struct IdentityState {
    pub(crate) config: IdentityConfig,
    dummy_hash: OnceLock<String>,
}

impl IdentityState {
    pub(crate) fn new(config: IdentityConfig) -> Arc<IdentityState> {
        Arc::new(IdentityState { config, dummy_hash: OnceLock::new() })
    }

    fn dummy_hash(&self) -> String {
        self.dummy_hash
            .get_or_init(|| {
                let pw = random_token_body();
                hash_password(self.config.hash_cost, &pw).unwrap_or_default()
            })
            .clone()
    }
}

/// Why a log-in or an authentication failed. The messages do not say which
/// of user name, password or account state was wrong.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown user, wrong password, or a disabled user.
    #[error("wrong user name or password")]
    InvalidCredentials,
    /// Too many failed log-ins.
    #[error("too many failed log-ins: try again after {until}")]
    Locked {
        /// When the lock ends.
        until: DateTime<Utc>,
    },
    /// The password was right but a TOTP code is needed.
    #[error("a one-time code (TOTP) is required")]
    TotpRequired,
    /// The TOTP code is wrong, out of its window or used before.
    #[error("wrong one-time code")]
    TotpInvalid,
    /// A role of the user requires TOTP but no authenticator is enrolled.
    #[error("your role requires a one-time code, but no authenticator is enrolled: ask an administrator")]
    MfaNotEnrolled,
    /// No valid session or token: missing, unknown, expired, ended, revoked,
    /// or the user's rights changed.
    #[error("not signed in or the session has ended")]
    Unauthenticated,
    /// Something else failed.
    #[error(transparent)]
    Internal(#[from] AppError),
}

impl From<StoreError> for AuthError {
    fn from(e: StoreError) -> Self {
        AuthError::Internal(e.into())
    }
}

/// A new session: the token is shown once, here, and stored only as a hash.
#[derive(Clone)]
pub struct Session {
    /// The session token (`vzs_…`), for the cookie or a bearer header.
    pub token: String,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").field("token", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// A new API token, shown once.
#[derive(Clone)]
pub struct IssuedToken {
    /// The token (`vzt_…`), for `Authorization: Bearer …`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken").field("token", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// A signed-in user, as a session or token proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedUser {
    /// User name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Agency code.
    pub agency: String,
    /// The agency's country.
    pub country: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Cases and grants, as they stand when the request came in.
    pub scope: Scope,
}

impl AuthenticatedUser {
    /// The caller the store's policy checks.
    pub fn caller(&self) -> Caller {
        Caller::User {
            username: self.username.clone(),
            agency: self.agency.clone(),
            country: self.country.clone(),
            roles: self.roles.clone(),
            scope: self.scope.clone(),
        }
    }
    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A machine client, as an API token proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAuth {
    /// The user the token acts for.
    pub user: AuthenticatedUser,
    /// The token's name.
    pub name: String,
    /// Scopes granted.
    pub scopes: Vec<String>,
    /// The purpose stated when it was issued.
    pub purpose: Option<String>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A user as administrators see them (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// User name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Agency code.
    pub agency: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Whether disabled.
    pub disabled: bool,
    /// Whether a TOTP authenticator is enrolled.
    pub totp: bool,
    /// Locked until, if locked now.
    pub locked_until: Option<DateTime<Utc>>,
}

fn micros(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap_or_default()
}

fn roles_of(names: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n)).collect();
    roles.sort();
    roles.dedup();
    roles
}

fn role_names(roles: &[Role]) -> Vec<String> {
    let mut names: Vec<String> = roles.iter().map(|r| r.as_str().to_owned()).collect();
    names.sort();
    names.dedup();
    names
}

/// Checks the password policy: 12 to 256 characters.
pub fn check_password_policy(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    let message = if n < MIN_PASSWORD_CHARS {
        format!(
            "the password has {n} characters: use at least {MIN_PASSWORD_CHARS} (a phrase of several words is easiest)"
        )
    } else if n > MAX_PASSWORD_CHARS {
        format!("the password is longer than {MAX_PASSWORD_CHARS} characters")
    } else {
        return Ok(());
    };
    Err(AppError::Invalid { field: Some("password".into()), message })
}

/// Hashes a password with argon2id at `cost`, with a random 128-bit salt: a PHC string.
pub fn hash_password(cost: HashCost, password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    fill_random(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(internal)?;
    Ok(cost.hasher().hash_password(password.as_bytes(), &salt).map_err(internal)?.to_string())
}

/// Whether `password` matches the PHC string `hash` (at the cost in the hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

fn internal(e: impl fmt::Display) -> AppError {
    AppError::Invalid { field: None, message: format!("internal error: {e}") }
}

fn fill_random(buf: &mut [u8]) -> Result<(), AppError> {
    getrandom::fill(buf).map_err(|e| internal(format!("no randomness from the system: {e}")))
}

/// 256 random bits, base64url without padding.
fn random_token_body() -> String {
    let mut bytes = [0u8; 32];
    // The system's random source failing is not recoverable; an all-zero token must never be made.
    getrandom::fill(&mut bytes).expect("the system's random number generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a token: the only form in which tokens are stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random password of `len` characters from letters and digits without
/// look-alikes (0/O, 1/l/I).
pub fn random_password(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buf).expect("the system's random number generator failed");
        for b in buf {
            // Rejection sampling: no bias towards the first letters.
            let limit = 256 - 256 % ALPHABET.len();
            if (b as usize) < limit && out.len() < len {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    out
}

/// A new TOTP secret: 160 random bits, base32 (what authenticator apps take).
pub fn new_totp_secret() -> Result<String, AppError> {
    let mut bytes = vec![0u8; 20];
    fill_random(&mut bytes)?;
    Ok(totp_rs::Secret::new(bytes.into_boxed_slice()).to_base32())
}

fn totp(secret_base32: &str) -> Option<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).ok()?;
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(secret)
        .build()
        .ok()
}

/// The time step a TOTP code is valid for at `unix_secs` (±1 step), if any.
pub fn check_totp(secret_base32: &str, code: &str, unix_secs: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret_base32)?.check(code, unix_secs)
}

/// The TOTP code at `unix_secs` (for tests and enrolment checks).
pub fn totp_code(secret_base32: &str, unix_secs: u64) -> Option<String> {
    Some(totp(secret_base32)?.generate(unix_secs).to_string())
}

fn valid_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

impl Veza {
    /// The identity settings (hash cost, timeouts, clock).
    pub fn identity_config(&self) -> &IdentityConfig {
        &self.identity.config
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.identity.config.clock.now()
    }

    async fn hash_blocking(&self, password: String) -> Result<String, AppError> {
        let cost = self.identity.config.hash_cost;
        tokio::task::spawn_blocking(move || hash_password(cost, &password)).await.map_err(internal)?
    }

    /// Adds a user of an existing agency with at least one role and a
    /// password that passes the policy.
    pub async fn add_user(
        &self,
        username: &str,
        display_name: &str,
        agency: &str,
        roles: &[Role],
        password: &str,
    ) -> Result<UserInfo, AppError> {
        if !valid_username(username) {
            return Err(AppError::Invalid {
                field: Some("username".into()),
                message: format!(
                    "'{username}' is not a user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-'"
                ),
            });
        }
        if roles.is_empty() {
            return Err(AppError::Invalid {
                field: Some("roles".into()),
                message: "give the user at least one role".into(),
            });
        }
        check_password_policy(password)?;
        if self.store.agency(agency).await?.is_none() {
            return Err(AppError::Invalid {
                field: Some("agency".into()),
                message: format!("unknown agency '{agency}': add it with `veza agency add` first"),
            });
        }
        if self.store.user(username).await?.is_some() {
            return Err(AppError::Conflict(format!("user '{username}' exists already")));
        }
        let hash = self.hash_blocking(password.to_owned()).await?;
        let display_name = if display_name.trim().is_empty() { username } else { display_name.trim() };
        let record = UserRecord {
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            agency: agency.to_owned(),
            password_hash: hash,
            totp_secret: None,
            totp_last_step: None,
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            created_at: self.now().timestamp_micros(),
            rights_version: 1,
            roles: role_names(roles),
        };
        self.store.put_user(&record).await?;
        Ok(self.user_info(&record))
    }

    fn user_info(&self, u: &UserRecord) -> UserInfo {
        let now = self.now().timestamp_micros();
        UserInfo {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            agency: u.agency.clone(),
            roles: roles_of(&u.roles),
            disabled: u.disabled,
            totp: u.totp_secret.is_some(),
            locked_until: u.locked_until.filter(|&t| t > now).map(micros),
        }
    }

    /// All users, by name.
    pub async fn users(&self) -> Result<Vec<UserInfo>, AppError> {
        Ok(self.store.users().await?.iter().map(|u| self.user_info(u)).collect())
    }

    /// One user.
    pub async fn user(&self, username: &str) -> Result<UserInfo, AppError> {
        let u = self.store.user(username).await?.ok_or_else(|| AppError::NotFound(format!("user '{username}'")))?;
        Ok(self.user_info(&u))
    }

    /// Replaces a user's roles. Their sessions end (the rights changed).
    pub async fn set_roles(&self, username: &str, roles: &[Role]) -> Result<(), AppError> {
        if roles.is_empty() {
            return Err(AppError::Invalid {
                field: Some("roles".into()),
                message: "a user keeps at least one role".into(),
            });
        }
        if !self.store.set_user_roles(username, &role_names(roles)).await? {
            return Err(AppError::NotFound(format!("user '{username}'")));
        }
        self.store.delete_user_sessions(username).await?;
        Ok(())
    }

    /// Disables a user: no more log-ins, their sessions end and their API tokens stop working.
    pub async fn disable_user(&self, username: &str) -> Result<(), AppError> {
        if !self.store.disable_user(username).await? {
            return Err(AppError::NotFound(format!("user '{username}'")));
        }
        Ok(())
    }

    /// Enrols a new TOTP authenticator for a user and returns its base32
    /// secret (shown once, for the authenticator app). Their sessions end.
    pub async fn enroll_totp(&self, username: &str) -> Result<String, AppError> {
        let secret = new_totp_secret()?;
        if !self.store.set_totp_secret(username, Some(&secret)).await? {
            return Err(AppError::NotFound(format!("user '{username}'")));
        }
        self.store.delete_user_sessions(username).await?;
        Ok(secret)
    }

    /// Sets the roles whose holders must use TOTP.
    pub async fn set_mfa_required_roles(&self, roles: &[Role]) -> Result<(), AppError> {
        self.store.put_setting(MFA_REQUIRED_ROLES, &role_names(roles).join(",")).await?;
        Ok(())
    }

    /// The roles whose holders must use TOTP.
    pub async fn mfa_required_roles(&self) -> Result<Vec<Role>, AppError> {
        let value = self.store.setting(MFA_REQUIRED_ROLES).await?.unwrap_or_default();
        Ok(roles_of(&value.split(',').map(str::to_owned).collect::<Vec<_>>()))
    }

    /// The language a user chose for the pages (a tag such as `sr-Cyrl`),
    /// if they chose one. Kept as a setting so it follows them to any device.
    pub async fn user_language(&self, username: &str) -> Result<Option<String>, AppError> {
        Ok(self.store.setting(&language_setting(username)).await?)
    }

    /// Records the language a user chose for the pages. The caller (the web
    /// face) checks that the tag is one it has a catalogue for.
    pub async fn set_user_language(&self, username: &str, tag: &str) -> Result<(), AppError> {
        Ok(self.store.put_setting(&language_setting(username), tag).await?)
    }

    /// Logs a user in: password, then TOTP where required; a new session.
    pub async fn login(&self, username: &str, password: &str, totp: Option<&str>) -> Result<Session, AuthError> {
        let cfg = &self.identity.config;
        let now = self.now();
        let user = self.store.user(username).await?;
        if let Some(until) = user.as_ref().and_then(|u| u.locked_until).filter(|&t| t > now.timestamp_micros()) {
            return Err(AuthError::Locked { until: micros(until) });
        }
        // Always one argon2 verification, against a dummy hash for unknown users.
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            None => self.identity.dummy_hash(),
        };
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &pw)).await.map_err(internal)?;
        let Some(user) = user else { return Err(AuthError::InvalidCredentials) };
        if user.disabled {
            return Err(AuthError::InvalidCredentials);
        }
        if !ok {
            return Err(self.failed(&user.username, now).await?.unwrap_or(AuthError::InvalidCredentials));
        }
        let roles = roles_of(&user.roles);
        let required = self.mfa_required_roles().await?;
        let needs_totp = user.totp_secret.is_some() || roles.iter().any(|r| required.contains(r));
        let mut step = None;
        if needs_totp {
            let Some(secret) = &user.totp_secret else { return Err(AuthError::MfaNotEnrolled) };
            let Some(code) = totp.filter(|c| !c.trim().is_empty()) else { return Err(AuthError::TotpRequired) };
            match check_totp(secret, code, now.timestamp().max(0) as u64) {
                Some(s) => step = Some(s as i64),
                None => return Err(self.failed(&user.username, now).await?.unwrap_or(AuthError::TotpInvalid)),
            }
        }
        if !self.store.record_successful_login(&user.username, step).await? {
            // The code was used before: a replay.
            return Err(self.failed(&user.username, now).await?.unwrap_or(AuthError::TotpInvalid));
        }
        let token = format!("{SESSION_PREFIX}{}", random_token_body());
        let expires_at = now + cfg.session_lifetime;
        self.store
            .create_session(&SessionRecord {
                token_hash: token_hash(&token),
                username: user.username.clone(),
                created_at: now.timestamp_micros(),
                last_seen: now.timestamp_micros(),
                expires_at: expires_at.timestamp_micros(),
                rights_version: user.rights_version,
            })
            .await?;
        Ok(Session { token, expires_at })
    }

    /// Counts a failure; `Some(Locked)` when it locked the user.
    async fn failed(&self, username: &str, now: DateTime<Utc>) -> Result<Option<AuthError>, AuthError> {
        let cfg = &self.identity.config;
        let until = (now + cfg.lockout).timestamp_micros();
        let locked = self.store.record_failed_login(username, cfg.max_failures, until).await?;
        Ok(locked.map(|t| AuthError::Locked { until: micros(t) }))
    }

    async fn authenticated(&self, username: &str) -> Result<Option<(UserRecord, AuthenticatedUser)>, AuthError> {
        let Some(u) = self.store.user(username).await? else { return Ok(None) };
        if u.disabled {
            return Ok(None);
        }
        let country = self.store.agency(&u.agency).await?.map(|a| a.country).unwrap_or_default();
        let scope = self.store.scope_of(&u.username, self.now().timestamp_micros()).await?;
        let au = AuthenticatedUser {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            agency: u.agency.clone(),
            country,
            roles: roles_of(&u.roles),
            scope,
        };
        Ok(Some((u, au)))
    }

    /// The user a session token belongs to, if the session is still valid:
    /// not idle for longer than the idle timeout, not past its lifetime, the
    /// user enabled and their rights unchanged since log-in. An invalid
    /// session is deleted.
    pub async fn authenticate_session(&self, token: &str) -> Result<AuthenticatedUser, AuthError> {
        let cfg = &self.identity.config;
        let now = self.now().timestamp_micros();
        let hash = token_hash(token);
        let Some(s) = self.store.session(&hash).await? else { return Err(AuthError::Unauthenticated) };
        let idle = cfg.idle_timeout.num_microseconds().unwrap_or(i64::MAX);
        let mut valid = now - s.last_seen <= idle && now < s.expires_at;
        let mut user = None;
        if valid {
            user = self.authenticated(&s.username).await?;
            valid = user.as_ref().is_some_and(|(u, _)| u.rights_version == s.rights_version);
        }
        let Some((_, au)) = user.filter(|_| valid) else {
            self.store.delete_session(&hash).await?;
            return Err(AuthError::Unauthenticated);
        };
        // One write per minute at most per session.
        if now - s.last_seen >= 60_000_000 {
            self.store.touch_session(&hash, now).await?;
        }
        Ok(au)
    }

    /// Ends a session. Unknown tokens are ignored (the session is gone either way).
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        self.store.delete_session(&token_hash(token)).await?;
        Ok(())
    }

    /// Issues an API token for a machine client acting for `username`; the
    /// token is returned once and stored only as its hash.
    pub async fn issue_api_token(
        &self,
        username: &str,
        name: &str,
        scopes: &[String],
        ttl: Duration,
        purpose: Option<&str>,
    ) -> Result<IssuedToken, AppError> {
        if name.trim().is_empty() {
            return Err(AppError::Invalid { field: Some("name".into()), message: "name the token".into() });
        }
        if ttl <= Duration::zero() || ttl > Duration::days(366) {
            return Err(AppError::Invalid {
                field: Some("ttl".into()),
                message: "a token lives more than nothing and at most a year".into(),
            });
        }
        let user = self.store.user(username).await?.ok_or_else(|| AppError::NotFound(format!("user '{username}'")))?;
        if user.disabled {
            return Err(AppError::Forbidden(format!("user '{username}' is disabled")));
        }
        let now = self.now();
        let token = format!("{API_TOKEN_PREFIX}{}", random_token_body());
        let expires_at = now + ttl;
        self.store
            .create_api_token(&ApiTokenRecord {
                token_hash: token_hash(&token),
                name: name.trim().to_owned(),
                username: username.to_owned(),
                scopes: scopes.to_vec(),
                purpose: purpose.map(str::to_owned).filter(|p| !p.trim().is_empty()),
                created_at: now.timestamp_micros(),
                expires_at: expires_at.timestamp_micros(),
                revoked: false,
            })
            .await?;
        Ok(IssuedToken { token, expires_at })
    }

    /// The client an API token proves, if it is known, unrevoked, unexpired
    /// and its user enabled.
    pub async fn authenticate_token(&self, token: &str) -> Result<TokenAuth, AuthError> {
        let now = self.now().timestamp_micros();
        let Some(t) = self.store.api_token(&token_hash(token)).await? else { return Err(AuthError::Unauthenticated) };
        if t.revoked || now >= t.expires_at {
            return Err(AuthError::Unauthenticated);
        }
        let Some((_, user)) = self.authenticated(&t.username).await? else { return Err(AuthError::Unauthenticated) };
        Ok(TokenAuth { user, name: t.name, scopes: t.scopes, purpose: t.purpose, expires_at: micros(t.expires_at) })
    }

    /// Revokes an API token; `false` when it was unknown.
    pub async fn revoke_token(&self, token: &str) -> Result<bool, AppError> {
        Ok(self.store.revoke_api_token(&token_hash(token)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password(HashCost::TEST_ONLY, "correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{h}");
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
        let h2 = hash_password(HashCost::TEST_ONLY, "correct horse battery").unwrap();
        assert_ne!(h, h2, "salts differ");
    }

    #[test]
    fn production_cost_is_owasp() {
        assert_eq!(IdentityConfig::default().hash_cost, HashCost { memory_kib: 19_456, iterations: 2, parallelism: 1 });
        let h = hash_password(HashCost::OWASP, "correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
    }

    #[test]
    fn password_policy_wants_12_characters() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("elevenchars").is_err());
        assert!(check_password_policy("twelve chars").is_ok());
        assert!(check_password_policy("ćšđžćšđžćšđž").is_ok(), "characters, not bytes");
        assert!(check_password_policy(&"x".repeat(257)).is_err());
    }

    #[test]
    fn totp_accepts_one_step_either_side_only() {
        // RFC 6238 appendix B secret "12345678901234567890", SHA-1.
        let secret = totp_rs::Secret::new(b"12345678901234567890".to_vec().into_boxed_slice()).to_base32();
        // RFC 6238 test vector: T=59 → 94287082 (8 digits); 6 digits → 287082.
        assert_eq!(totp_code(&secret, 59).as_deref(), Some("287082"));
        let t = 1_111_111_109u64; // RFC: 07081804 → 081804
        assert_eq!(totp_code(&secret, t).as_deref(), Some("081804"));
        let code = totp_code(&secret, t).unwrap();
        assert_eq!(check_totp(&secret, &code, t), Some(t / 30));
        assert!(check_totp(&secret, &code, t + 30).is_some(), "one step late");
        assert!(check_totp(&secret, &code, t - 30).is_some(), "one step early");
        assert!(check_totp(&secret, &code, t + 90).is_none(), "three steps late");
        assert!(check_totp(&secret, &code, t - 90).is_none(), "three steps early");
        assert!(check_totp(&secret, "12345", t).is_none());
        assert!(check_totp(&secret, "abcdef", t).is_none());
        assert!(check_totp("not base32!", &code, t).is_none());
    }

    #[test]
    fn tokens_are_256_bit_base64url_and_stored_as_sha256() {
        let a = random_token_body();
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, random_token_body());
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn random_passwords_pass_the_policy() {
        let p = random_password(20);
        assert_eq!(p.chars().count(), 20);
        assert!(check_password_policy(&p).is_ok());
        assert_ne!(p, random_password(20));
    }

    #[test]
    fn user_names_are_plain() {
        for ok in ["admin", "border.rs", "investigator.al", "a_b-c1"] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["", "Admin", ".x", "a b", "ä", &"x".repeat(65)] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}
