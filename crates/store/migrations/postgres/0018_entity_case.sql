-- The entities of each case, for the case page, its chart and its timeline:
-- one row per (case, entity) for every case an entity's `cases` or
-- `case_refs` names, so that a case's records are read through the primary
-- key and not by a LIKE scan of the whole entity table. Triggers keep it in
-- step with every write of those two columns (imports, forms, links,
-- erasure), whichever code path makes it; only rows that name a case pay.
CREATE TABLE entity_case (
    case_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (case_id, entity_id)
);
CREATE INDEX entity_case_entity ON entity_case(entity_id);

CREATE FUNCTION entity_case_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM entity_case WHERE entity_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO entity_case (case_id, entity_id)
        SELECT DISTINCT c, NEW.id FROM unnest(string_to_array(NEW.cases || NEW.case_refs, ',')) AS c
        WHERE c <> ''
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER entity_case_insert AFTER INSERT ON entity
FOR EACH ROW WHEN (NEW.cases <> '' OR NEW.case_refs <> '')
EXECUTE FUNCTION entity_case_sync();

CREATE TRIGGER entity_case_update AFTER UPDATE OF id, cases, case_refs ON entity
FOR EACH ROW WHEN (OLD.cases IS DISTINCT FROM NEW.cases OR OLD.case_refs IS DISTINCT FROM NEW.case_refs
    OR OLD.id IS DISTINCT FROM NEW.id)
EXECUTE FUNCTION entity_case_sync();

CREATE TRIGGER entity_case_delete AFTER DELETE ON entity
FOR EACH ROW WHEN (OLD.cases <> '' OR OLD.case_refs <> '')
EXECUTE FUNCTION entity_case_sync();

INSERT INTO entity_case (case_id, entity_id)
SELECT DISTINCT c, e.id FROM entity e, unnest(string_to_array(e.cases || e.case_refs, ',')) AS c
WHERE (e.cases <> '' OR e.case_refs <> '') AND c <> ''
ON CONFLICT DO NOTHING;
