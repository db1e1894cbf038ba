-- Case membership, access requests and grants, the exercise realm, and an
-- audit log that refuses to be changed. Times are microseconds since 1970.

-- Cases a record belongs to (framed: ",case-1,case-2,"; a Case lists
-- itself), kept from its `case` values at every write; the exercise it was
-- made for (NULL: real data).
ALTER TABLE entity ADD COLUMN cases TEXT NOT NULL DEFAULT '';
ALTER TABLE entity ADD COLUMN exercise TEXT;
-- Cases the record is named in by a record of the case (a suspect's or a
-- victim's person), framed like `cases`; kept at every write.
ALTER TABLE entity ADD COLUMN case_refs TEXT NOT NULL DEFAULT '';
-- Handling of single values, stricter than the entity's (JSON: property →
-- value → handling); such values stay out of the caption, search and links.
ALTER TABLE entity ADD COLUMN value_handling TEXT NOT NULL DEFAULT '{}';

CREATE TABLE case_member (
    case_id TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    capacity TEXT NOT NULL CHECK (capacity IN ('investigator', 'analyst', 'prosecutor', 'judge', 'observer')),
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, username)
) WITHOUT ROWID;
CREATE INDEX case_member_user ON case_member(username);

-- A user's request to see a record whose existence its owner made visible,
-- and the owner's answer.
CREATE TABLE access_request (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    owner_agency TEXT NOT NULL,
    requester TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    requester_agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused', 'withdrawn')),
    requested_at INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    decision_reason TEXT,
    expires_at INTEGER
);
CREATE INDEX access_request_owner ON access_request(owner_agency, status);
CREATE INDEX access_request_requester ON access_request(requester, status);

-- Records opened to one user by their owner (a granted request).
CREATE TABLE entity_grant (
    entity_id TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES app_user(username) ON DELETE CASCADE,
    request_id INTEGER NOT NULL REFERENCES access_request(id),
    granted_at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (username, entity_id)
) WITHOUT ROWID;

-- The audit log is append-only: the database itself refuses to change or
-- remove an entry (the hash chain still catches whoever drops these).
CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entity_append_only_update BEFORE UPDATE ON audit_entity
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entity_append_only_delete BEFORE DELETE ON audit_entity
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoint_append_only_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_checkpoint_append_only_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
