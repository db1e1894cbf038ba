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
    totp_last_step BIGINT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    -- Raised on every change of rights (roles, agency, disabling); sessions
    -- made under an older version are no longer valid.
    rights_version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE user_role (
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (username, role)
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    rights_version BIGINT NOT NULL
);
CREATE INDEX session_by_user ON session(username);

CREATE TABLE api_token (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    -- Comma-separated scopes.
    scopes TEXT NOT NULL,
    purpose TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_token_by_user ON api_token(username);

-- Settings an administrator changes at run time, e.g. `mfa_required_roles`
-- (comma-separated role names whose holders must use TOTP).
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
