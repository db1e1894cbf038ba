-- The audit log: a hash chain of entries (see src/audit.rs) and signed
-- checkpoints of its head. Rows are only ever inserted.

CREATE TABLE audit_entry (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_ids TEXT NOT NULL, -- JSON array of strings
    outcome TEXT NOT NULL,
    purpose TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash BYTEA NOT NULL,
    hash BYTEA NOT NULL
);
CREATE INDEX audit_entry_actor ON audit_entry (actor, at);
CREATE INDEX audit_entry_at ON audit_entry (at);

-- Which entries concern an entity: "who looked at this person".
CREATE TABLE audit_entity (
    entity_id TEXT NOT NULL,
    seq BIGINT NOT NULL REFERENCES audit_entry (seq),
    PRIMARY KEY (entity_id, seq)
);

CREATE TABLE audit_checkpoint (
    seq BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    at BIGINT NOT NULL
);
