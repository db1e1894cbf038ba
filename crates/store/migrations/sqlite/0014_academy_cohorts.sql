-- Academy cohorts (issue 10): small private online courses (SPOC) run as
-- invitation-only cohorts, their schedule, discussion and progress; completion
-- rules and certificates; train-the-trainer graduates, the national courses
-- they deliver and their trainees. Courses and modules are academy-a's tables:
-- they are referred to by id (TEXT) only, so this migration stands alone.
-- Times are microseconds; days are ISO dates (YYYY-MM-DD). Flags are 0/1.

-- A learner's profile for the programme's disaggregation (country, agency,
-- role, gender); the name is the one printed on certificates.
CREATE TABLE academy_learner (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
    agency TEXT NOT NULL,
    country TEXT NOT NULL,
    role TEXT NOT NULL
);
CREATE INDEX academy_learner_country ON academy_learner(country, agency);

CREATE TABLE academy_cohort (
    id INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    course_title TEXT NOT NULL,
    course_kind TEXT NOT NULL CHECK (course_kind IN ('course', 'spoc', 'ttt')),
    title TEXT NOT NULL,
    facilitator TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    enrolled BIGINT NOT NULL DEFAULT 0,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (enrolled <= capacity),
    CHECK (starts_on <= ends_on)
);
CREATE INDEX academy_cohort_facilitator ON academy_cohort(facilitator);
CREATE INDEX academy_cohort_course ON academy_cohort(course_id);

-- The schedule: which module opens on which day.
CREATE TABLE academy_cohort_module (
    cohort_id BIGINT NOT NULL REFERENCES academy_cohort(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    module_id TEXT NOT NULL,
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    PRIMARY KEY (cohort_id, module_id)
);

-- An invitation: a random code sent to one invitee (a user name or an
-- e-mail-like address); accepting it enrols whoever is signed in as that
-- invitee, once.
CREATE TABLE academy_invitation (
    code TEXT PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES academy_cohort(id) ON DELETE CASCADE,
    invitee TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    accepted_by TEXT,
    accepted_at BIGINT
);
CREATE INDEX academy_invitation_cohort ON academy_invitation(cohort_id);
CREATE INDEX academy_invitation_invitee ON academy_invitation(invitee);

CREATE TABLE academy_enrolment (
    cohort_id BIGINT NOT NULL REFERENCES academy_cohort(id) ON DELETE CASCADE,
    learner TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    signed_off_by TEXT,
    signed_off_at BIGINT,
    PRIMARY KEY (cohort_id, learner)
);
CREATE INDEX academy_enrolment_learner ON academy_enrolment(learner);

CREATE TABLE academy_module_view (
    cohort_id BIGINT NOT NULL REFERENCES academy_cohort(id) ON DELETE CASCADE,
    learner TEXT NOT NULL,
    module_id TEXT NOT NULL,
    viewed_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, learner, module_id)
);

-- One discussion thread per scheduled module; bodies are plain text,
-- escaped when shown.
CREATE TABLE academy_post (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES academy_cohort(id) ON DELETE CASCADE,
    module_id TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    posted_at BIGINT NOT NULL
);
CREATE INDEX academy_post_thread ON academy_post(cohort_id, module_id, id);

-- Scores of a learner's quizzes and tests in a course (percent): `pre` and
-- `post` are the course's knowledge tests (Kirkpatrick level 2), `quiz` any
-- other graded quiz.
CREATE TABLE academy_result (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    course_id TEXT NOT NULL,
    quiz_id TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('pre', 'post', 'quiz')),
    score DOUBLE PRECISION NOT NULL CHECK (score >= 0 AND score <= 100),
    passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
    taken_at BIGINT NOT NULL
);
CREATE INDEX academy_result_learner ON academy_result(learner, course_id);
CREATE INDEX academy_result_course ON academy_result(course_id, stage);

-- What completing a course takes.
CREATE TABLE academy_completion_rule (
    course_id TEXT PRIMARY KEY,
    all_modules_viewed BIGINT NOT NULL CHECK (all_modules_viewed IN (0, 1)),
    quizzes_passed BIGINT NOT NULL CHECK (quizzes_passed >= 0),
    min_score DOUBLE PRECISION NOT NULL CHECK (min_score >= 0 AND min_score <= 100),
    sign_off BIGINT NOT NULL CHECK (sign_off IN (0, 1)),
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL
);

-- A certificate: the code is random (unguessable) and is all the public
-- verification page asks for; it shows only holder_name, course_title and
-- issued_on. One per learner and course.
CREATE TABLE academy_certificate (
    code TEXT PRIMARY KEY,
    learner TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    course_id TEXT NOT NULL,
    course_title TEXT NOT NULL,
    cohort_id BIGINT,
    issued_on TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (learner, course_id)
);

-- Trainers certified by a train-the-trainer course.
CREATE TABLE academy_trainer (
    username TEXT PRIMARY KEY,
    certificate_code TEXT NOT NULL REFERENCES academy_certificate(code),
    country TEXT NOT NULL,
    certified_on TEXT NOT NULL
);

-- A national course a trainer delivers in a hotspot area.
CREATE TABLE academy_national_course (
    id INTEGER PRIMARY KEY,
    trainer TEXT NOT NULL REFERENCES academy_trainer(username),
    country TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    hotspot_area TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    target_group TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE INDEX academy_national_course_trainer ON academy_national_course(trainer);

-- A trainee of a national course, with attendance and results; `username`
-- when the trainee is a platform user (Kirkpatrick level 4 links, and the
-- next level of the cascade when they become a trainer).
CREATE TABLE academy_trainee (
    id INTEGER PRIMARY KEY,
    national_course_id BIGINT NOT NULL REFERENCES academy_national_course(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    username TEXT,
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
    agency TEXT NOT NULL,
    role TEXT NOT NULL,
    attended BIGINT NOT NULL CHECK (attended IN (0, 1)),
    pre_score DOUBLE PRECISION,
    post_score DOUBLE PRECISION,
    passed BIGINT NOT NULL CHECK (passed IN (0, 1))
);
CREATE INDEX academy_trainee_course ON academy_trainee(national_course_id);
CREATE INDEX academy_trainee_user ON academy_trainee(username);
