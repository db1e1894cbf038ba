-- Lists of one type, newest first (the home page's cases and hits, the
-- search page's type filter without text): an index on the type and the
-- row order, so they read the newest rows of that type and not the table.
CREATE INDEX IF NOT EXISTS entity_schema_rid ON entity(schema, rid);
