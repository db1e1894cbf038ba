-- Veza store, SQLite back end: reference data, sources, entities, fragments,
-- links and the full-text index.

CREATE TABLE country (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE agency (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL REFERENCES country(code),
    kind TEXT NOT NULL
);

CREATE TABLE source (
    dataset TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_agency TEXT NOT NULL REFERENCES agency(code),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE entity (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    schema TEXT NOT NULL,
    caption TEXT NOT NULL,
    owner_agency TEXT NOT NULL REFERENCES agency(code),
    owner_country TEXT NOT NULL,
    dataset TEXT NOT NULL REFERENCES source(dataset),
    source_record TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('agency', 'country', 'countries', 'all')),
    handling_countries TEXT NOT NULL DEFAULT '',
    existence_visible INTEGER NOT NULL DEFAULT 0,
    caveats TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    retention_review TEXT NOT NULL
);
-- Deliberately few secondary indexes: bulk imports pay for each one. Lists by
-- schema go through the search index; counts scan.

-- One row per entity per dataset: the values that dataset gives (FtM's
-- "fragment"), as a JSON object of lists. Every value's provenance is its
-- fragment's dataset (hence owner) and times; `since` records, sparsely, the
-- values first seen after the fragment was (JSON {prop: {value: micros}}).
CREATE TABLE fragment (
    entity_rid INTEGER NOT NULL REFERENCES entity(rid) ON DELETE CASCADE,
    dataset TEXT NOT NULL,
    properties TEXT NOT NULL,
    since TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (entity_rid, dataset)
) WITHOUT ROWID;

-- Edges between entities: link schemata (Family, Payment, …) by their two
-- ends, and every other entity-typed property as a reference.
CREATE TABLE link (
    entity_rid INTEGER NOT NULL REFERENCES entity(rid) ON DELETE CASCADE,
    prop TEXT,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL
);
CREATE INDEX link_entity ON link(entity_rid);
CREATE INDEX link_source ON link(source_id);
CREATE INDEX link_target ON link(target_id);

-- Names and identifiers, folded by veza-text (case, accents, script) before
-- they are written; rowid = entity.rid. Contentless: the index keeps tokens
-- only (the values live in `fragment`), and rows can still be deleted.
CREATE VIRTUAL TABLE entity_fts USING fts5(
    names,
    identifiers,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
