-- Entity resolution in the platform: pairs of records the resolver proposes
-- as the same person, and the analysts' decisions on them. A confirmed pair
-- is a merge; a split undoes it; every decision is kept in match_decision
-- (and in the audit log). Times are microseconds since 1970.
CREATE TABLE match_candidate (
    id INTEGER PRIMARY KEY,
    left_id TEXT NOT NULL,
    right_id TEXT NOT NULL,
    score REAL NOT NULL,
    explanation TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'rejected', 'unsure', 'split')),
    proposed_at INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    reason TEXT,
    CHECK (left_id < right_id),
    UNIQUE (left_id, right_id)
);
CREATE INDEX match_candidate_status ON match_candidate(status, score);
CREATE INDEX match_candidate_right ON match_candidate(right_id);

CREATE TABLE match_decision (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES match_candidate(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX match_decision_match ON match_decision(match_id);
