-- Table-top exercises (issue 9). An exercise is a realm of its own: its
-- records are entities whose `exercise` column holds the exercise's id, so
-- the policy keeps them from real work and real work from them. These
-- tables hold the rest: who takes part and how, the master scenario events
-- list (injects with their expected actions and the evaluators' scores),
-- the players' responses, the hot wash and the corrective actions of the
-- improvement plan. Times are microseconds; offsets are minutes from start.
CREATE TABLE exercise (
    id TEXT PRIMARY KEY,
    operation_id TEXT,
    name TEXT NOT NULL,
    scenario_seed BIGINT NOT NULL,
    scenario_persons BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'paused', 'ended')),
    elapsed_us BIGINT NOT NULL DEFAULT 0,
    resumed_at BIGINT,
    started_at BIGINT,
    ended_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE exercise_participant (
    exercise_id TEXT NOT NULL REFERENCES exercise(id),
    username TEXT NOT NULL,
    part TEXT NOT NULL CHECK (part IN ('controller', 'player', 'evaluator')),
    team TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (exercise_id, username)
);
CREATE INDEX exercise_participant_user ON exercise_participant(username);
CREATE TABLE exercise_inject (
    exercise_id TEXT NOT NULL REFERENCES exercise(id),
    number BIGINT NOT NULL,
    offset_minutes BIGINT NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    content TEXT NOT NULL,
    records TEXT NOT NULL DEFAULT '',
    released_at BIGINT,
    released_by TEXT,
    PRIMARY KEY (exercise_id, number)
);
CREATE TABLE exercise_expected (
    exercise_id TEXT NOT NULL,
    inject_number BIGINT NOT NULL,
    position BIGINT NOT NULL,
    action TEXT NOT NULL,
    objective TEXT NOT NULL,
    rating TEXT CHECK (rating IN ('met', 'partly', 'not_met')),
    notes TEXT NOT NULL DEFAULT '',
    scored_by TEXT,
    scored_at BIGINT,
    PRIMARY KEY (exercise_id, inject_number, position)
);
CREATE TABLE exercise_response (
    id INTEGER PRIMARY KEY,
    exercise_id TEXT NOT NULL REFERENCES exercise(id),
    inject_number BIGINT NOT NULL,
    username TEXT NOT NULL,
    body TEXT NOT NULL,
    audit_seq BIGINT,
    audit_summary TEXT NOT NULL DEFAULT '',
    responded_at BIGINT NOT NULL
);
CREATE INDEX exercise_response_inject ON exercise_response(exercise_id, inject_number);
CREATE TABLE exercise_hotwash (
    id INTEGER PRIMARY KEY,
    exercise_id TEXT NOT NULL REFERENCES exercise(id),
    username TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('strength', 'improvement')),
    body TEXT NOT NULL,
    written_at BIGINT NOT NULL
);
CREATE TABLE exercise_corrective (
    id INTEGER PRIMARY KEY,
    exercise_id TEXT NOT NULL REFERENCES exercise(id),
    area TEXT NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_date TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
