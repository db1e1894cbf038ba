-- Users, roles, sessions, API tokens and settings. Times are microseconds
-- since 1970 (UTC). Secrets are never stored: passwords as argon2id PHC
-- strings, session and API tokens as the hex SHA-256 of the token.

CREATE TABLE app_user (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    agency TEXT NOT NULL REFERENCES agency(code),
    password_hash TEXT NOT NULL,
    -- Base32 TOTP secret (RFC 6238); NULL when the user has none.
    totp_secret TEXT,
    -- The last TOTP time step accepted, so a code is accepted only once.
    totp_last_step INTEGER,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    -- Raised on every change of rights (roles, agency, disabling); sessions
    -- made under an older version are no longer valid.
    rights_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_role (
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (username, role)
) WITHOUT ROWID;

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rights_version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_by_user ON session(username);

CREATE TABLE api_token (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    -- Comma-separated scopes.
    scopes TEXT NOT NULL,
    purpose TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX api_token_by_user ON api_token(username);

-- Settings an administrator changes at run time, e.g. `mfa_required_roles`
-- (comma-separated role names whose holders must use TOTP).
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
