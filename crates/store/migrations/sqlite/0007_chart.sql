-- Link charts an analyst saved: who saved it, its title, what it was opened
-- from (an entity or a case), and its layout as JSON (node ids with their
-- positions, hidden and pinned marks, groups). Only ids are kept, never
-- names: opening a chart reads every node again through the policy, so a
-- chart never shows a record its opener may not see. Times are microseconds.
CREATE TABLE saved_chart (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    owner_agency TEXT NOT NULL,
    title TEXT NOT NULL,
    anchor_kind TEXT NOT NULL CHECK (anchor_kind IN ('entity', 'case')),
    anchor_id TEXT NOT NULL,
    layout TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX saved_chart_owner ON saved_chart(owner, changed_at);
