-- The academy: courses with immutable published versions, uploaded lesson
-- images, quiz attempts (also surveys), lesson views, practice-exercise
-- results, and the needs assessment of each country and agency. Course
-- content (modules, lessons, quizzes, questions) is one JSON document per
-- version in the app's shape (`veza_model::academy::CourseOutline`): a
-- published version is never changed, so an attempt always names the exact
-- questions it was drawn from. Times are microseconds since 1970.

-- A course: its stable id (`policing-capabilities`), kind and draft. The
-- draft is what authors edit; publishing copies it into a new version.
CREATE TABLE academy_course (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('course', 'spoc', 'ttt')),
    draft TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);

-- A published version: title and languages copied out of the outline for
-- lists; never updated (the trigger refuses).
CREATE TABLE academy_course_version (
    course_id TEXT NOT NULL REFERENCES academy_course(id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    languages TEXT NOT NULL,
    outline TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (course_id, version)
);
CREATE TRIGGER academy_course_version_immutable BEFORE UPDATE ON academy_course_version
BEGIN
    SELECT RAISE(ABORT, 'a published course version is immutable');
END;

-- An image a lesson shows, kept by its SHA-256 (one copy per content).
CREATE TABLE academy_image (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);

-- One try at a quiz, test or survey of a published course version, by one
-- learner (with their agency and country, for reports). `questions` are the
-- question keys drawn for it (in order), `answers` the learner's answers,
-- `marks` the points per question key (JSON objects). `deadline_at` is set
-- when the quiz has a time limit; an answer submitted after it is refused.
-- status: open (started) | pending (short answers wait for a grader) | graded.
CREATE TABLE academy_attempt (
    id INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    quiz_key TEXT NOT NULL,
    purpose TEXT NOT NULL,
    learner TEXT NOT NULL,
    learner_agency TEXT NOT NULL,
    learner_country TEXT NOT NULL,
    questions TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    marks TEXT NOT NULL DEFAULT '{}',
    score REAL,
    max_score REAL NOT NULL,
    passed INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'graded')),
    started_at INTEGER NOT NULL,
    deadline_at INTEGER,
    submitted_at INTEGER,
    graded_by TEXT,
    graded_at INTEGER,
    FOREIGN KEY (course_id, version) REFERENCES academy_course_version(course_id, version)
);
CREATE INDEX academy_attempt_learner ON academy_attempt(learner, course_id, quiz_key);
CREATE INDEX academy_attempt_course ON academy_attempt(course_id, quiz_key, status);
CREATE INDEX academy_attempt_status ON academy_attempt(status, submitted_at);

-- A lesson a learner opened (first time only).
CREATE TABLE academy_lesson_view (
    learner TEXT NOT NULL,
    course_id TEXT NOT NULL,
    lesson_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    viewed_at INTEGER NOT NULL,
    PRIMARY KEY (learner, course_id, lesson_key)
);

-- The result of a practice exercise on the platform's own tools (screening
-- a name, checking a document, reading a notice), judged from what the
-- learner did; `detail` says what was expected and what was found.
CREATE TABLE academy_exercise_result (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    course_id TEXT NOT NULL,
    lesson_key TEXT NOT NULL,
    exercise_key TEXT NOT NULL,
    passed INTEGER NOT NULL,
    detail TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX academy_exercise_learner ON academy_exercise_result(learner, course_id, lesson_key);

-- One round of the needs assessment of one agency of a country, answered
-- by the respondent nominated for it (only they may answer). `answers` are
-- the ratings per question key, `scores` the mean per capacity area (0-100),
-- both JSON objects, filled when submitted.
CREATE TABLE academy_assessment (
    id INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    agency TEXT NOT NULL,
    round INTEGER NOT NULL,
    respondent TEXT NOT NULL,
    nominated_by TEXT NOT NULL,
    nominated_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'submitted')),
    answers TEXT NOT NULL DEFAULT '{}',
    scores TEXT NOT NULL DEFAULT '{}',
    submitted_at INTEGER,
    UNIQUE (country, agency, round)
);
CREATE INDEX academy_assessment_respondent ON academy_assessment(respondent);
