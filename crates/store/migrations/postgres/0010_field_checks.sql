-- Field mode (issue 9): checks made offline at a field node and sent when the
-- link returned. The check itself is an operation_check like any other; this
-- row keeps the node's reference for it (so a batch sent twice is recorded
-- once), the snapshot it was answered from and when it was made at the node.
CREATE TABLE field_check (
    operation_id TEXT NOT NULL REFERENCES operation(id),
    -- The node's id for the check: field-<snapshot id>-<number in its queue>.
    client_ref TEXT NOT NULL,
    check_id BIGINT NOT NULL REFERENCES operation_check(id),
    -- The snapshot's id (hex).
    snapshot_id TEXT NOT NULL,
    -- When it was made at the node, microseconds since 1970 (UTC).
    checked_at BIGINT NOT NULL,
    PRIMARY KEY (operation_id, client_ref)
);
CREATE INDEX field_check_by_check ON field_check(check_id);
