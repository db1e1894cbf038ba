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
) WITHOUT ROWID;
CREATE INDEX entity_case_entity ON entity_case(entity_id);

-- `,a,b,` as a JSON array: json_quote escapes everything but the commas,
-- which then become the separators (no escape sequence contains a comma).
CREATE TRIGGER entity_case_insert AFTER INSERT ON entity
WHEN NEW.cases <> '' OR NEW.case_refs <> ''
BEGIN
    INSERT OR IGNORE INTO entity_case (case_id, entity_id)
    SELECT value, NEW.id FROM json_each('[' || replace(json_quote(NEW.cases || NEW.case_refs), ',', '","') || ']')
    WHERE value <> '';
END;

CREATE TRIGGER entity_case_update AFTER UPDATE OF id, cases, case_refs ON entity
WHEN OLD.cases IS NOT NEW.cases OR OLD.case_refs IS NOT NEW.case_refs OR OLD.id IS NOT NEW.id
BEGIN
    DELETE FROM entity_case WHERE entity_id = OLD.id;
    INSERT OR IGNORE INTO entity_case (case_id, entity_id)
    SELECT value, NEW.id FROM json_each('[' || replace(json_quote(NEW.cases || NEW.case_refs), ',', '","') || ']')
    WHERE value <> '';
END;

CREATE TRIGGER entity_case_delete AFTER DELETE ON entity
WHEN OLD.cases <> '' OR OLD.case_refs <> ''
BEGIN
    DELETE FROM entity_case WHERE entity_id = OLD.id;
END;

INSERT OR IGNORE INTO entity_case (case_id, entity_id)
SELECT j.value, e.id FROM entity e, json_each('[' || replace(json_quote(e.cases || e.case_refs), ',', '","') || ']') j
WHERE (e.cases <> '' OR e.case_refs <> '') AND j.value <> '';
