-- The audit log: a hash chain of entries (see src/audit.rs) and signed
-- checkpoints of its head. Rows are only ever inserted.

CREATE TABLE audit_entry (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_ids TEXT NOT NULL, -- JSON array of strings
    outcome TEXT NOT NULL,
    purpose TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE INDEX audit_entry_actor ON audit_entry (actor, at);
CREATE INDEX audit_entry_at ON audit_entry (at);

-- Which entries concern an entity: "who looked at this person".
CREATE TABLE audit_entity (
    entity_id TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES audit_entry (seq),
    PRIMARY KEY (entity_id, seq)
) WITHOUT ROWID;

CREATE TABLE audit_checkpoint (
    seq INTEGER PRIMARY KEY,
    hash BLOB NOT NULL,
    signature BLOB NOT NULL,
    at INTEGER NOT NULL
);
