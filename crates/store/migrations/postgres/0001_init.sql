-- Veza store, PostgreSQL back end: reference data, sources, entities,
-- fragments (values by dataset), links and the search index (tsvector + trigram).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

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
    rid BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    schema TEXT NOT NULL,
    caption TEXT NOT NULL,
    owner_agency TEXT NOT NULL REFERENCES agency(code),
    owner_country TEXT NOT NULL,
    dataset TEXT NOT NULL REFERENCES source(dataset),
    source_record TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('agency', 'country', 'countries', 'all')),
    handling_countries TEXT NOT NULL DEFAULT '',
    existence_visible BOOLEAN NOT NULL DEFAULT FALSE,
    caveats TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    retention_review TEXT NOT NULL,
    search_names TEXT NOT NULL DEFAULT '',
    search_identifiers TEXT NOT NULL DEFAULT '',
    search TSVECTOR GENERATED ALWAYS AS (
        to_tsvector('simple', search_names || ' ' || search_identifiers)
    ) STORED
);
CREATE INDEX entity_schema ON entity(schema);
CREATE INDEX entity_source_record ON entity(dataset, source_record);
CREATE INDEX entity_owner ON entity(owner_agency);
CREATE INDEX entity_search ON entity USING GIN (search);
CREATE INDEX entity_search_trgm ON entity USING GIN (search_names gin_trgm_ops);

CREATE TABLE fragment (
    entity_rid BIGINT NOT NULL REFERENCES entity(rid) ON DELETE CASCADE,
    dataset TEXT NOT NULL,
    properties TEXT NOT NULL,
    since TEXT,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (entity_rid, dataset)
);

CREATE TABLE link (
    entity_rid BIGINT NOT NULL REFERENCES entity(rid) ON DELETE CASCADE,
    prop TEXT,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL
);
CREATE INDEX link_entity ON link(entity_rid);
CREATE INDEX link_source ON link(source_id);
CREATE INDEX link_target ON link(target_id);
