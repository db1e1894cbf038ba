-- The working file of a case: evidence files, notes, tasks, and shares of
-- the case (or of chosen records of it) with another agency. Times are
-- microseconds since 1970. What is here is reached only through its case:
-- the store lets a caller in only when they may work on that case.

-- A file attached to a case, kept with its SHA-256 (one file once per case),
-- the name it was uploaded under, the type read from its first bytes (never
-- from the name) and its size. It is only ever downloaded, never shown.
CREATE TABLE case_evidence (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    UNIQUE (case_id, sha256)
);

CREATE TABLE case_note (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    written_at INTEGER NOT NULL
);
CREATE INDEX case_note_case ON case_note(case_id, id);

CREATE TABLE case_task (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    title TEXT NOT NULL,
    assignee TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_by TEXT,
    closed_at INTEGER
);
CREATE INDEX case_task_case ON case_task(case_id, id);

-- A case, or chosen records of it, opened to another agency under a
-- handling code, until revoked. A whole-case share makes the agency's users
-- observers of the case; a partial share opens the listed records only.
CREATE TABLE case_share (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    agency TEXT NOT NULL REFERENCES agency(code),
    whole_case INTEGER NOT NULL,
    handling TEXT NOT NULL,
    shared_by TEXT NOT NULL,
    shared_at INTEGER NOT NULL,
    revoked_by TEXT,
    revoked_at INTEGER
);
CREATE INDEX case_share_agency ON case_share(agency, revoked_at);
CREATE INDEX case_share_case ON case_share(case_id);

CREATE TABLE case_share_entity (
    share_id INTEGER NOT NULL REFERENCES case_share(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (share_id, entity_id)
) WITHOUT ROWID;
