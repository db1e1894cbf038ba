//! The academy's tables (migration 13; one body of SQL for both back ends):
//! courses with their draft and immutable published versions, lesson
//! images, quiz attempts, lesson views, practice-exercise results and the
//! needs-assessment rounds.
//!
//! Course content is kept as the JSON of `veza_model::academy::CourseOutline`;
//! the store does not read it. The store records; the app decides who may
//! do what (learners see only their own attempts, only the nominated
//! respondent answers an assessment) and writes the audit entries. Two rules
//! are the store's own, because they hold whoever calls: a published
//! version is never changed (the database refuses an update), and an
//! attempt is submitted once, while open, and graded once, while pending.

use crate::error::StoreError;
use async_trait::async_trait;
use serde::Serialize;

/// A course: its id, kind and the draft authors edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseRecord {
    /// Stable id (`policing-capabilities`).
    pub id: String,
    /// `course`, `spoc` or `ttt`.
    pub kind: String,
    /// The draft outline, JSON.
    pub draft: String,
    /// Who created it.
    pub created_by: String,
    /// When, microseconds.
    pub created_at: i64,
    /// Who changed the draft last.
    pub changed_by: String,
    /// When, microseconds.
    pub changed_at: i64,
}

/// A published, immutable version of a course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseVersion {
    /// The course.
    pub course_id: String,
    /// 1, 2, …
    pub version: i64,
    /// Title at publication.
    pub title: String,
    /// Languages offered.
    pub languages: Vec<String>,
    /// The outline, JSON.
    pub outline: String,
    /// Who published it.
    pub published_by: String,
    /// When, microseconds.
    pub published_at: i64,
}

/// An image to keep for lessons.
#[derive(Debug, Clone, PartialEq)]
pub struct NewImage {
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Media type read from the bytes.
    pub media_type: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Who uploaded it.
    pub uploaded_by: String,
}

/// A stored lesson image.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonImage {
    /// Number, as lessons link it.
    pub id: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Media type.
    pub media_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Where an attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptStatus {
    /// Started, not submitted.
    Open,
    /// Submitted; short answers wait for a grader.
    Pending,
    /// Submitted and fully graded (or a survey, collected).
    Graded,
}

impl AttemptStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AttemptStatus::Open => "open",
            AttemptStatus::Pending => "pending",
            AttemptStatus::Graded => "graded",
        }
    }

    /// The status of a stored code.
    pub fn parse(code: &str) -> Option<AttemptStatus> {
        match code {
            "open" => Some(AttemptStatus::Open),
            "pending" => Some(AttemptStatus::Pending),
            "graded" => Some(AttemptStatus::Graded),
            _ => None,
        }
    }
}

/// An attempt to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttempt {
    /// The course.
    pub course_id: String,
    /// The published version taken.
    pub version: i64,
    /// The quiz's key.
    pub quiz_key: String,
    /// The quiz's purpose code (`pre_test`, …), for reports.
    pub purpose: String,
    /// The learner's user name.
    pub learner: String,
    /// Their agency.
    pub learner_agency: String,
    /// Their country.
    pub learner_country: String,
    /// The question keys drawn, JSON array.
    pub questions: String,
    /// Full points of the questions drawn.
    pub max_score: f64,
    /// When it started, microseconds.
    pub started_at: i64,
    /// When answers stop being accepted, if timed.
    pub deadline_at: Option<i64>,
}

/// One try at a quiz, test or survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// Number.
    pub id: i64,
    /// The course.
    pub course_id: String,
    /// The version taken.
    pub version: i64,
    /// The quiz's key.
    pub quiz_key: String,
    /// The quiz's purpose code.
    pub purpose: String,
    /// The learner's user name.
    pub learner: String,
    /// Their agency.
    pub learner_agency: String,
    /// Their country.
    pub learner_country: String,
    /// Question keys drawn, JSON array.
    pub questions: String,
    /// Answers by question key, JSON object.
    pub answers: String,
    /// Points by question key, JSON object (a key is missing while a grader has not marked it).
    pub marks: String,
    /// Points in all, once graded (surveys: none).
    pub score: Option<f64>,
    /// Full points.
    pub max_score: f64,
    /// Whether it passed, once graded (surveys: none).
    pub passed: Option<bool>,
    /// Where it is.
    pub status: AttemptStatus,
    /// Started, microseconds.
    pub started_at: i64,
    /// Deadline, if timed.
    pub deadline_at: Option<i64>,
    /// Submitted, microseconds.
    pub submitted_at: Option<i64>,
    /// Who marked the short answers.
    pub graded_by: Option<String>,
    /// When.
    pub graded_at: Option<i64>,
}

/// What submitting or grading an attempt writes.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptResult {
    /// Answers by question key, JSON object.
    pub answers: String,
    /// Points by question key, JSON object.
    pub marks: String,
    /// Points in all (none while pending, and for surveys).
    pub score: Option<f64>,
    /// Whether it passed (none while pending, and for surveys).
    pub passed: Option<bool>,
    /// Pending or graded.
    pub status: AttemptStatus,
}

/// A lesson a learner opened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LessonView {
    /// The lesson's key.
    pub lesson_key: String,
    /// The version read.
    pub version: i64,
    /// First opened, microseconds.
    pub viewed_at: i64,
}

/// The result of a practice exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseResult {
    /// Number (0 before it is stored).
    pub id: i64,
    /// The learner.
    pub learner: String,
    /// The course.
    pub course_id: String,
    /// The lesson that opened the exercise.
    pub lesson_key: String,
    /// The exercise's task code (`screen_name`, …).
    pub exercise_key: String,
    /// Whether the learner's action found what was expected.
    pub passed: bool,
    /// What was expected and what was found.
    pub detail: String,
    /// When, microseconds.
    pub recorded_at: i64,
}

/// One round of one agency's needs assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRecord {
    /// Number.
    pub id: i64,
    /// Country code.
    pub country: String,
    /// Agency code.
    pub agency: String,
    /// 1 for the first assessment, 2 for the re-assessment, …
    pub round: i64,
    /// The nominated respondent's user name.
    pub respondent: String,
    /// Who nominated them.
    pub nominated_by: String,
    /// When, microseconds.
    pub nominated_at: i64,
    /// Whether answered.
    pub submitted: bool,
    /// Ratings by item key, JSON object.
    pub answers: String,
    /// Scores by capacity area, JSON object.
    pub scores: String,
    /// When answered, microseconds.
    pub submitted_at: Option<i64>,
}

/// The academy's persistence.
#[async_trait]
pub trait AcademyStore {
    /// Creates a course with its first draft; false when the id is taken.
    async fn create_course(&self, id: &str, kind: &str, draft: &str, by: &str, now: i64) -> Result<bool, StoreError>;
    /// Replaces a course's draft; false when there is no such course.
    async fn save_draft(&self, id: &str, draft: &str, by: &str, now: i64) -> Result<bool, StoreError>;
    /// One course.
    async fn course(&self, id: &str) -> Result<Option<CourseRecord>, StoreError>;
    /// Every course, by id.
    async fn courses(&self) -> Result<Vec<CourseRecord>, StoreError>;
    /// Publishes `outline` as the course's next version; returns its number.
    async fn publish_version(
        &self,
        course_id: &str,
        title: &str,
        languages: &[String],
        outline: &str,
        by: &str,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// One published version.
    async fn course_version(&self, course_id: &str, version: i64) -> Result<Option<CourseVersion>, StoreError>;
    /// The latest published version of every course that has one, by course id.
    async fn latest_versions(&self) -> Result<Vec<CourseVersion>, StoreError>;
    /// The versions of a course, newest first.
    async fn course_versions(&self, course_id: &str) -> Result<Vec<CourseVersion>, StoreError>;

    /// Keeps an image (once per SHA-256); returns its number.
    async fn put_image(&self, image: &NewImage, now: i64) -> Result<i64, StoreError>;
    /// One image.
    async fn image(&self, id: i64) -> Result<Option<LessonImage>, StoreError>;

    /// Starts an attempt; returns its number.
    async fn start_attempt(&self, attempt: &NewAttempt) -> Result<i64, StoreError>;
    /// One attempt.
    async fn attempt(&self, id: i64) -> Result<Option<Attempt>, StoreError>;
    /// A learner's attempts, of one course or all, oldest first.
    async fn learner_attempts(&self, learner: &str, course_id: Option<&str>) -> Result<Vec<Attempt>, StoreError>;
    /// The attempts at one quiz of a course (every learner), oldest first.
    async fn quiz_attempts(&self, course_id: &str, quiz_key: Option<&str>) -> Result<Vec<Attempt>, StoreError>;
    /// How many attempts a learner started at a quiz (any version).
    async fn count_attempts(&self, learner: &str, course_id: &str, quiz_key: &str) -> Result<i64, StoreError>;
    /// Submits an open attempt; false when it is not open.
    async fn submit_attempt(&self, id: i64, result: &AttemptResult, now: i64) -> Result<bool, StoreError>;
    /// Grades a pending attempt; false when it is not pending.
    async fn grade_attempt(&self, id: i64, result: &AttemptResult, by: &str, now: i64) -> Result<bool, StoreError>;
    /// Pending attempts (the grading queue), oldest submission first; of
    /// one course or all.
    async fn grading_queue(&self, course_id: Option<&str>) -> Result<Vec<Attempt>, StoreError>;

    /// Records the first view of a lesson (later views change nothing).
    async fn record_lesson_view(
        &self,
        learner: &str,
        course_id: &str,
        lesson_key: &str,
        version: i64,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The lessons of a course a learner opened.
    async fn lesson_views(&self, learner: &str, course_id: &str) -> Result<Vec<LessonView>, StoreError>;
    /// Records a practice-exercise result; returns its number.
    async fn record_exercise(&self, result: &ExerciseResult) -> Result<i64, StoreError>;
    /// A learner's exercise results in a course, oldest first.
    async fn exercise_results(&self, learner: &str, course_id: &str) -> Result<Vec<ExerciseResult>, StoreError>;

    /// Nominates the respondent of one round of an agency's assessment;
    /// returns its number, or `None` when that round exists already.
    async fn nominate_respondent(
        &self,
        country: &str,
        agency: &str,
        round: i64,
        respondent: &str,
        by: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// One assessment round.
    async fn assessment(&self, id: i64) -> Result<Option<AssessmentRecord>, StoreError>;
    /// The assessment rounds of a country, or of all, by country, agency, round.
    async fn assessments(&self, country: Option<&str>) -> Result<Vec<AssessmentRecord>, StoreError>;
    /// The rounds a user is the respondent of.
    async fn assessments_of_respondent(&self, respondent: &str) -> Result<Vec<AssessmentRecord>, StoreError>;
    /// Submits the answers of an open round by its respondent; false when
    /// the round is not open or `respondent` is not its respondent.
    async fn submit_assessment(
        &self,
        id: i64,
        respondent: &str,
        answers: &str,
        scores: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
}

/// Columns of `academy_attempt` that [`read_attempt`] reads.
pub(crate) const ATTEMPT_COLUMNS: &str = "id, course_id, version, quiz_key, purpose, learner, learner_agency, \
     learner_country, questions, answers, marks, score, max_score, passed, status, started_at, deadline_at, \
     submitted_at, graded_by, graded_at";

/// Columns of `academy_assessment` that [`read_assessment`] reads.
pub(crate) const ASSESSMENT_COLUMNS: &str = "id, country, agency, round, respondent, nominated_by, nominated_at, \
     status, answers, scores, submitted_at";

/// Columns of `academy_course` that [`read_course`] reads.
pub(crate) const COURSE_COLUMNS: &str = "id, kind, draft, created_by, created_at, changed_by, changed_at";

/// Columns of `academy_course_version` that [`read_version`] reads.
pub(crate) const VERSION_COLUMNS: &str = "course_id, version, title, languages, outline, published_by, published_at";

/// Languages as stored: comma-separated.
pub(crate) fn join_languages(languages: &[String]) -> String {
    languages.join(",")
}

fn split_languages(s: &str) -> Vec<String> {
    s.split(',').filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// A `academy_course` row.
pub(crate) fn read_course<R: sqlx::Row>(r: &R) -> Result<CourseRecord, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(CourseRecord {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        draft: r.try_get(2)?,
        created_by: r.try_get(3)?,
        created_at: r.try_get(4)?,
        changed_by: r.try_get(5)?,
        changed_at: r.try_get(6)?,
    })
}

/// A `academy_course_version` row.
pub(crate) fn read_version<R: sqlx::Row>(r: &R) -> Result<CourseVersion, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let languages: String = r.try_get(3)?;
    Ok(CourseVersion {
        course_id: r.try_get(0)?,
        version: r.try_get(1)?,
        title: r.try_get(2)?,
        languages: split_languages(&languages),
        outline: r.try_get(4)?,
        published_by: r.try_get(5)?,
        published_at: r.try_get(6)?,
    })
}

/// A `academy_attempt` row.
pub(crate) fn read_attempt<R: sqlx::Row>(r: &R) -> Result<Attempt, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<f64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<bool>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let status: String = r.try_get(14)?;
    Ok(Attempt {
        id: r.try_get(0)?,
        course_id: r.try_get(1)?,
        version: r.try_get(2)?,
        quiz_key: r.try_get(3)?,
        purpose: r.try_get(4)?,
        learner: r.try_get(5)?,
        learner_agency: r.try_get(6)?,
        learner_country: r.try_get(7)?,
        questions: r.try_get(8)?,
        answers: r.try_get(9)?,
        marks: r.try_get(10)?,
        score: r.try_get(11)?,
        max_score: r.try_get(12)?,
        passed: r.try_get(13)?,
        status: AttemptStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("attempt status '{status}'")))?,
        started_at: r.try_get(15)?,
        deadline_at: r.try_get(16)?,
        submitted_at: r.try_get(17)?,
        graded_by: r.try_get(18)?,
        graded_at: r.try_get(19)?,
    })
}

/// A `academy_assessment` row.
pub(crate) fn read_assessment<R: sqlx::Row>(r: &R) -> Result<AssessmentRecord, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let status: String = r.try_get(7)?;
    Ok(AssessmentRecord {
        id: r.try_get(0)?,
        country: r.try_get(1)?,
        agency: r.try_get(2)?,
        round: r.try_get(3)?,
        respondent: r.try_get(4)?,
        nominated_by: r.try_get(5)?,
        nominated_at: r.try_get(6)?,
        submitted: status == "submitted",
        answers: r.try_get(8)?,
        scores: r.try_get(9)?,
        submitted_at: r.try_get(10)?,
    })
}

/// Implements [`AcademyStore`] for a back end (the SQL is the same on both).
macro_rules! academy_impl {
    ($store:ty) => {
        use crate::academy::{
            ASSESSMENT_COLUMNS, ATTEMPT_COLUMNS, AcademyStore, AssessmentRecord, Attempt, AttemptResult,
            COURSE_COLUMNS, CourseRecord, CourseVersion, ExerciseResult, LessonImage, LessonView, NewAttempt, NewImage,
            VERSION_COLUMNS, join_languages, read_assessment, read_attempt, read_course, read_version,
        };
        use crate::error::StoreError;
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        #[async_trait]
        impl AcademyStore for $store {
            async fn create_course(
                &self,
                id: &str,
                kind: &str,
                draft: &str,
                by: &str,
                now: i64,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "INSERT INTO academy_course(id, kind, draft, created_by, created_at, changed_by, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $4, $5) ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(kind)
                .bind(draft)
                .bind(by)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn save_draft(&self, id: &str, draft: &str, by: &str, now: i64) -> Result<bool, StoreError> {
                let done =
                    sqlx::query("UPDATE academy_course SET draft = $1, changed_by = $2, changed_at = $3 WHERE id = $4")
                        .bind(draft)
                        .bind(by)
                        .bind(now)
                        .bind(id)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn course(&self, id: &str) -> Result<Option<CourseRecord>, StoreError> {
                let sql = format!("SELECT {COURSE_COLUMNS} FROM academy_course WHERE id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_course).transpose()
            }

            async fn courses(&self) -> Result<Vec<CourseRecord>, StoreError> {
                let sql = format!("SELECT {COURSE_COLUMNS} FROM academy_course ORDER BY id");
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                rows.iter().map(read_course).collect()
            }

            async fn publish_version(
                &self,
                course_id: &str,
                title: &str,
                languages: &[String],
                outline: &str,
                by: &str,
                now: i64,
            ) -> Result<i64, StoreError> {
                let exists: Option<String> = sqlx::query_scalar("SELECT id FROM academy_course WHERE id = $1")
                    .bind(course_id)
                    .fetch_optional(&self.pool)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::Missing(format!("no course '{course_id}'")));
                }
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_course_version(course_id, version, title, languages, outline, \
                     published_by, published_at) SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 \
                     FROM academy_course_version WHERE course_id = $1 RETURNING version",
                )
                .bind(course_id)
                .bind(title)
                .bind(join_languages(languages))
                .bind(outline)
                .bind(by)
                .bind(now)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn course_version(&self, course_id: &str, version: i64) -> Result<Option<CourseVersion>, StoreError> {
                let sql = format!(
                    "SELECT {VERSION_COLUMNS} FROM academy_course_version WHERE course_id = $1 AND version = $2"
                );
                let row =
                    sqlx::query(AssertSqlSafe(sql)).bind(course_id).bind(version).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_version).transpose()
            }

            async fn latest_versions(&self) -> Result<Vec<CourseVersion>, StoreError> {
                let sql = format!(
                    "SELECT {VERSION_COLUMNS} FROM academy_course_version v WHERE version = \
                     (SELECT MAX(version) FROM academy_course_version w WHERE w.course_id = v.course_id) \
                     ORDER BY course_id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                rows.iter().map(read_version).collect()
            }

            async fn course_versions(&self, course_id: &str) -> Result<Vec<CourseVersion>, StoreError> {
                let sql = format!(
                    "SELECT {VERSION_COLUMNS} FROM academy_course_version WHERE course_id = $1 ORDER BY version DESC"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(course_id).fetch_all(&self.pool).await?;
                rows.iter().map(read_version).collect()
            }

            async fn put_image(&self, image: &NewImage, now: i64) -> Result<i64, StoreError> {
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM academy_image WHERE sha256 = $1")
                    .bind(&image.sha256)
                    .fetch_optional(&self.pool)
                    .await?;
                if let Some(id) = known {
                    return Ok(id);
                }
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_image(sha256, media_type, size, content, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(&image.sha256)
                .bind(&image.media_type)
                .bind(image.content.len() as i64)
                .bind(&image.content)
                .bind(&image.uploaded_by)
                .bind(now)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn image(&self, id: i64) -> Result<Option<LessonImage>, StoreError> {
                let row = sqlx::query("SELECT id, sha256, media_type, content FROM academy_image WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|r| {
                    Ok(LessonImage {
                        id: r.try_get(0)?,
                        sha256: r.try_get(1)?,
                        media_type: r.try_get(2)?,
                        content: r.try_get(3)?,
                    })
                })
                .transpose()
            }

            async fn start_attempt(&self, a: &NewAttempt) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_attempt(course_id, version, quiz_key, purpose, learner, learner_agency, \
                     learner_country, questions, max_score, status, started_at, deadline_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11) RETURNING id",
                )
                .bind(&a.course_id)
                .bind(a.version)
                .bind(&a.quiz_key)
                .bind(&a.purpose)
                .bind(&a.learner)
                .bind(&a.learner_agency)
                .bind(&a.learner_country)
                .bind(&a.questions)
                .bind(a.max_score)
                .bind(a.started_at)
                .bind(a.deadline_at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn attempt(&self, id: i64) -> Result<Option<Attempt>, StoreError> {
                let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM academy_attempt WHERE id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_attempt).transpose()
            }

            async fn learner_attempts(
                &self,
                learner: &str,
                course_id: Option<&str>,
            ) -> Result<Vec<Attempt>, StoreError> {
                let sql = format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM academy_attempt WHERE learner = $1 \
                     AND ($2 IS NULL OR course_id = $2) ORDER BY id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(learner).bind(course_id).fetch_all(&self.pool).await?;
                rows.iter().map(read_attempt).collect()
            }

            async fn quiz_attempts(&self, course_id: &str, quiz_key: Option<&str>) -> Result<Vec<Attempt>, StoreError> {
                let sql = format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM academy_attempt WHERE course_id = $1 \
                     AND ($2 IS NULL OR quiz_key = $2) ORDER BY id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(course_id).bind(quiz_key).fetch_all(&self.pool).await?;
                rows.iter().map(read_attempt).collect()
            }

            async fn count_attempts(&self, learner: &str, course_id: &str, quiz_key: &str) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM academy_attempt WHERE learner = $1 AND course_id = $2 AND quiz_key = $3",
                )
                .bind(learner)
                .bind(course_id)
                .bind(quiz_key)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn submit_attempt(&self, id: i64, r: &AttemptResult, now: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE academy_attempt SET answers = $1, marks = $2, score = $3, passed = $4, status = $5, \
                     submitted_at = $6 WHERE id = $7 AND status = 'open'",
                )
                .bind(&r.answers)
                .bind(&r.marks)
                .bind(r.score)
                .bind(r.passed)
                .bind(r.status.code())
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn grade_attempt(&self, id: i64, r: &AttemptResult, by: &str, now: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE academy_attempt SET marks = $1, score = $2, passed = $3, status = $4, graded_by = $5, \
                     graded_at = $6 WHERE id = $7 AND status = 'pending'",
                )
                .bind(&r.marks)
                .bind(r.score)
                .bind(r.passed)
                .bind(r.status.code())
                .bind(by)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn grading_queue(&self, course_id: Option<&str>) -> Result<Vec<Attempt>, StoreError> {
                let sql = format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM academy_attempt WHERE status = 'pending' \
                     AND ($1 IS NULL OR course_id = $1) ORDER BY submitted_at, id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(course_id).fetch_all(&self.pool).await?;
                rows.iter().map(read_attempt).collect()
            }

            async fn record_lesson_view(
                &self,
                learner: &str,
                course_id: &str,
                lesson_key: &str,
                version: i64,
                now: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_lesson_view(learner, course_id, lesson_key, version, viewed_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (learner, course_id, lesson_key) DO NOTHING",
                )
                .bind(learner)
                .bind(course_id)
                .bind(lesson_key)
                .bind(version)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn lesson_views(&self, learner: &str, course_id: &str) -> Result<Vec<LessonView>, StoreError> {
                let rows = sqlx::query(
                    "SELECT lesson_key, version, viewed_at FROM academy_lesson_view \
                     WHERE learner = $1 AND course_id = $2 ORDER BY viewed_at",
                )
                .bind(learner)
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(LessonView { lesson_key: r.try_get(0)?, version: r.try_get(1)?, viewed_at: r.try_get(2)? })
                    })
                    .collect()
            }

            async fn record_exercise(&self, e: &ExerciseResult) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_exercise_result(learner, course_id, lesson_key, exercise_key, passed, \
                     detail, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&e.learner)
                .bind(&e.course_id)
                .bind(&e.lesson_key)
                .bind(&e.exercise_key)
                .bind(e.passed)
                .bind(&e.detail)
                .bind(e.recorded_at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn exercise_results(
                &self,
                learner: &str,
                course_id: &str,
            ) -> Result<Vec<ExerciseResult>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, learner, course_id, lesson_key, exercise_key, passed, detail, recorded_at \
                     FROM academy_exercise_result WHERE learner = $1 AND course_id = $2 ORDER BY id",
                )
                .bind(learner)
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(ExerciseResult {
                            id: r.try_get(0)?,
                            learner: r.try_get(1)?,
                            course_id: r.try_get(2)?,
                            lesson_key: r.try_get(3)?,
                            exercise_key: r.try_get(4)?,
                            passed: r.try_get(5)?,
                            detail: r.try_get(6)?,
                            recorded_at: r.try_get(7)?,
                        })
                    })
                    .collect()
            }

            async fn nominate_respondent(
                &self,
                country: &str,
                agency: &str,
                round: i64,
                respondent: &str,
                by: &str,
                now: i64,
            ) -> Result<Option<i64>, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_assessment(country, agency, round, respondent, nominated_by, \
                     nominated_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'open') \
                     ON CONFLICT (country, agency, round) DO NOTHING RETURNING id",
                )
                .bind(country)
                .bind(agency)
                .bind(round)
                .bind(respondent)
                .bind(by)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn assessment(&self, id: i64) -> Result<Option<AssessmentRecord>, StoreError> {
                let sql = format!("SELECT {ASSESSMENT_COLUMNS} FROM academy_assessment WHERE id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(read_assessment).transpose()
            }

            async fn assessments(&self, country: Option<&str>) -> Result<Vec<AssessmentRecord>, StoreError> {
                let sql = format!(
                    "SELECT {ASSESSMENT_COLUMNS} FROM academy_assessment WHERE ($1 IS NULL OR country = $1) \
                     ORDER BY country, agency, round"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(country).fetch_all(&self.pool).await?;
                rows.iter().map(read_assessment).collect()
            }

            async fn assessments_of_respondent(&self, respondent: &str) -> Result<Vec<AssessmentRecord>, StoreError> {
                let sql = format!(
                    "SELECT {ASSESSMENT_COLUMNS} FROM academy_assessment WHERE respondent = $1 \
                     ORDER BY country, agency, round"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(respondent).fetch_all(&self.pool).await?;
                rows.iter().map(read_assessment).collect()
            }

            async fn submit_assessment(
                &self,
                id: i64,
                respondent: &str,
                answers: &str,
                scores: &str,
                now: i64,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE academy_assessment SET answers = $1, scores = $2, status = 'submitted', \
                     submitted_at = $3 WHERE id = $4 AND respondent = $5 AND status = 'open'",
                )
                .bind(answers)
                .bind(scores)
                .bind(now)
                .bind(id)
                .bind(respondent)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}
pub(crate) use academy_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_languages_round_trip() {
        for s in [AttemptStatus::Open, AttemptStatus::Pending, AttemptStatus::Graded] {
            assert_eq!(AttemptStatus::parse(s.code()), Some(s));
        }
        let l = vec!["en".to_owned(), "sr-Latn".to_owned()];
        assert_eq!(split_languages(&join_languages(&l)), l);
        assert!(split_languages("").is_empty());
    }
}
