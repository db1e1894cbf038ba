-- Regional operations (issue 9): the plan (operation, participating
-- countries with their contact NCB, agencies, watchlists, checkpoints with
-- their teams and shifts), the checks made at the checkpoints and the hits
-- they raised, with the data owner's decision. Checks and hits have tables of
-- their own (not the entity table): an operation makes millions of them.
-- They are exported as FtM `Check` and `Hit` entities. Times are
-- microseconds since 1970 (UTC); dates are ISO `YYYY-MM-DD` text.

CREATE TABLE operation (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- `exercise` operations never count in real statistics.
    mode TEXT NOT NULL CHECK (mode IN ('live', 'exercise')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'closed')),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    lead_agency TEXT NOT NULL REFERENCES agency(code),
    objectives TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);

-- A participating country and its contact NCB (the bureau hits on its data go to).
CREATE TABLE operation_country (
    operation_id TEXT NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    contact_ncb TEXT NOT NULL,
    PRIMARY KEY (operation_id, country)
);

-- A participating agency: its users take part in the operation.
CREATE TABLE operation_agency (
    operation_id TEXT NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
    agency TEXT NOT NULL REFERENCES agency(code),
    -- Coordinators plan the operation, issue terminal tokens and decide hits.
    coordinator INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (operation_id, agency)
);

-- The watchlists (source datasets) checks are screened against.
CREATE TABLE operation_watchlist (
    operation_id TEXT NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
    dataset TEXT NOT NULL,
    -- What an officer is told on a hit when the entry gives no instruction.
    instruction TEXT NOT NULL,
    PRIMARY KEY (operation_id, dataset)
);

CREATE TABLE checkpoint (
    id INTEGER PRIMARY KEY,
    operation_id TEXT NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('border_crossing', 'airport', 'bus_station', 'railway_station', 'seaport', 'hotspot', 'mobile_patrol')),
    country TEXT NOT NULL,
    agency TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    UNIQUE (operation_id, code)
);

-- A team on duty at a checkpoint for a shift.
CREATE TABLE checkpoint_shift (
    id INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoint(id) ON DELETE CASCADE,
    team TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
);
CREATE INDEX checkpoint_shift_by_checkpoint ON checkpoint_shift(checkpoint_id, starts_at);

-- One check at a checkpoint: the values as entered, who checked, the result.
CREATE TABLE operation_check (
    id INTEGER PRIMARY KEY,
    operation_id TEXT NOT NULL REFERENCES operation(id),
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoint(id),
    checked_at INTEGER NOT NULL,
    officer TEXT NOT NULL,
    agency TEXT NOT NULL,
    -- The API token's name when a terminal sent the check, else ''.
    terminal TEXT NOT NULL,
    person_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    nationality TEXT NOT NULL,
    gender TEXT NOT NULL,
    document_number TEXT NOT NULL,
    document_country TEXT NOT NULL,
    document_type TEXT NOT NULL,
    vehicle_registration TEXT NOT NULL,
    vehicle_country TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('hit', 'no_hit')),
    hit_count INTEGER NOT NULL
);
CREATE INDEX operation_check_by_time ON operation_check(operation_id, checked_at);
CREATE INDEX operation_check_by_checkpoint ON operation_check(checkpoint_id, checked_at);

-- A possible match a check raised, queued for the NCB of the data's owner.
CREATE TABLE operation_hit (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES operation_check(id),
    operation_id TEXT NOT NULL REFERENCES operation(id),
    watchlist TEXT NOT NULL,
    match_id TEXT NOT NULL,
    match_caption TEXT NOT NULL,
    score REAL NOT NULL,
    instruction TEXT NOT NULL,
    owner_agency TEXT NOT NULL,
    owner_country TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    reason TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at INTEGER
);
CREATE INDEX operation_hit_by_check ON operation_hit(check_id);
CREATE INDEX operation_hit_queue ON operation_hit(operation_id, owner_country, status);
