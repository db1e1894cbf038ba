//! The academy's cohorts (SPOC), certificates and train-the-trainer
//! cascade (migration 14, `0014_academy_cohorts.sql`; one body of SQL for
//! both back ends).
//!
//! Like identity, this part of the store records and the app decides: who
//! may invite, read a roster or issue a certificate is checked by the use
//! cases in `veza-app` (`cohorts.rs`), which also write the audit entries.
//! What the store does guarantee: a cohort never holds more learners than
//! its capacity (the `enrolled` counter moves in the same transaction as the
//! enrolment, under a `CHECK`), an invitation is accepted once, a learner
//! holds one certificate per course, and the report figures are counts
//! (aggregates in SQL, never rows of other people's records).

use crate::error::StoreError;
use async_trait::async_trait;
use serde::Serialize;

/// A learner's profile, for the programme's disaggregation and the name on
/// certificates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnerProfile {
    /// User name.
    pub username: String,
    /// Name printed on certificates.
    pub display_name: String,
    /// `female`, `male`, `other` or `unknown`.
    pub gender: String,
    /// Agency code.
    pub agency: String,
    /// Country code of the agency.
    pub country: String,
    /// The learner's professional role (border police, prosecutor, …).
    pub role: String,
}

/// One module of a cohort's schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledModule {
    /// The course module's id.
    pub module_id: String,
    /// Its title.
    pub title: String,
    /// The day it opens (YYYY-MM-DD).
    pub opens_on: String,
}

/// A cohort to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCohort {
    /// The course it runs (academy course id).
    pub course_id: String,
    /// The course's title (printed on certificates).
    pub course_title: String,
    /// `course`, `spoc` or `ttt` (a train-the-trainer course: its
    /// certificate makes the holder a trainer).
    pub course_kind: String,
    /// Title.
    pub title: String,
    /// The facilitator's user name.
    pub facilitator: String,
    /// Most learners it takes.
    pub capacity: i64,
    /// First day (YYYY-MM-DD).
    pub starts_on: String,
    /// Last day (YYYY-MM-DD).
    pub ends_on: String,
    /// The schedule, in order.
    pub modules: Vec<ScheduledModule>,
    /// Who created it.
    pub created_by: String,
}

/// A stored cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    /// Number.
    pub id: i64,
    /// The course it runs.
    pub course_id: String,
    /// The course's title.
    pub course_title: String,
    /// `course`, `spoc` or `ttt`.
    pub course_kind: String,
    /// Title.
    pub title: String,
    /// The facilitator's user name.
    pub facilitator: String,
    /// Most learners.
    pub capacity: i64,
    /// Learners enrolled.
    pub enrolled: i64,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Who created it.
    pub created_by: String,
}

/// An invitation to a cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitation {
    /// The random code in the invitation's link.
    pub code: String,
    /// The cohort.
    pub cohort_id: i64,
    /// Who is invited: a user name or an e-mail-like address.
    pub invitee: String,
    /// Who invited.
    pub invited_by: String,
    /// When, microseconds.
    pub invited_at: i64,
    /// Who accepted it, if anyone.
    pub accepted_by: Option<String>,
}

/// A learner in a cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrolment {
    /// The cohort.
    pub cohort_id: i64,
    /// The learner's user name.
    pub learner: String,
    /// The name shown (the profile's, else the user name).
    pub display_name: String,
    /// When, microseconds.
    pub enrolled_at: i64,
    /// The facilitator who signed the learner off, if any.
    pub signed_off_by: Option<String>,
}

/// A post in a module's discussion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Post {
    /// Number.
    pub id: i64,
    /// Author's user name.
    pub author: String,
    /// Plain text.
    pub body: String,
    /// When, microseconds.
    pub posted_at: i64,
}

/// Which test a result belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The pre-test.
    Pre,
    /// The post-test.
    Post,
    /// Any other graded quiz.
    Quiz,
}

impl Stage {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Pre => "pre",
            Stage::Post => "post",
            Stage::Quiz => "quiz",
        }
    }

    /// The stage of a code.
    pub fn parse(code: &str) -> Option<Stage> {
        match code {
            "pre" => Some(Stage::Pre),
            "post" => Some(Stage::Post),
            "quiz" => Some(Stage::Quiz),
            _ => None,
        }
    }
}

/// A learner's graded result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizResult {
    /// The learner.
    pub learner: String,
    /// The course.
    pub course_id: String,
    /// The quiz or test.
    pub quiz_id: String,
    /// Pre-test, post-test or quiz.
    pub stage: Stage,
    /// Score in percent.
    pub score: f64,
    /// Whether it passed.
    pub passed: bool,
    /// When, microseconds.
    pub taken_at: i64,
}

/// What completing a course takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompletionRule {
    /// The course.
    pub course_id: String,
    /// Every scheduled module viewed.
    pub all_modules_viewed: bool,
    /// How many distinct quizzes (post-test included) must be passed.
    pub quizzes_passed: i64,
    /// Minimum best post-test score, percent (0: none).
    pub min_score: f64,
    /// The facilitator must sign the learner off.
    pub sign_off: bool,
}

/// A certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate {
    /// The verification code.
    pub code: String,
    /// The holder's user name.
    pub learner: String,
    /// The name printed.
    pub holder_name: String,
    /// The course.
    pub course_id: String,
    /// The course's title, as printed.
    pub course_title: String,
    /// The cohort it was earned in, if any.
    pub cohort_id: Option<i64>,
    /// The day of issue (YYYY-MM-DD).
    pub issued_on: String,
    /// When, microseconds.
    pub issued_at: i64,
}

/// A trainer certified by a train-the-trainer course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainer {
    /// User name.
    pub username: String,
    /// The TtT certificate.
    pub certificate_code: String,
    /// Country the trainer delivers in.
    pub country: String,
    /// Day of certification.
    pub certified_on: String,
}

/// A national course to record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewNationalCourse {
    /// The trainer delivering it.
    pub trainer: String,
    /// Country.
    pub country: String,
    /// Title.
    pub title: String,
    /// Place (town, academy).
    pub place: String,
    /// The hotspot area it serves.
    pub hotspot_area: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Who it is for (border police, labour inspectors, …).
    pub target_group: String,
}

/// A stored national course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NationalCourse {
    /// Number.
    pub id: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub course: NewNationalCourse,
    /// Trainees recorded.
    pub trainees: i64,
    /// Trainees who attended.
    pub attended: i64,
}

/// A trainee of a national course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainee {
    /// Number (0 before it is stored).
    pub id: i64,
    /// The national course.
    pub national_course_id: i64,
    /// Name.
    pub name: String,
    /// User name, when the trainee uses the platform.
    pub username: Option<String>,
    /// `female`, `male`, `other` or `unknown`.
    pub gender: String,
    /// Agency code or name.
    pub agency: String,
    /// Professional role.
    pub role: String,
    /// Attended the course.
    pub attended: bool,
    /// Pre-test score, percent.
    pub pre_score: Option<f64>,
    /// Post-test score, percent.
    pub post_score: Option<f64>,
    /// Passed.
    pub passed: bool,
}

/// One cell of the participation report: people and completions for a
/// combination of country, agency, role and gender.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipationCount {
    /// `cohort` (online SPOC) or `national` (a national course of the cascade).
    pub channel: String,
    /// Country code.
    pub country: String,
    /// Agency.
    pub agency: String,
    /// Role.
    pub role: String,
    /// Gender.
    pub gender: String,
    /// Participants.
    pub participants: i64,
    /// Completions (certificates; for national courses, passes).
    pub completions: i64,
}

/// Knowledge gain of one course: learners with both tests and their means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnowledgeGain {
    /// The course.
    pub course_id: String,
    /// Learners with a pre-test and a post-test.
    pub learners: i64,
    /// Mean of their best pre-test scores.
    pub mean_pre: f64,
    /// Mean of their best post-test scores.
    pub mean_post: f64,
}

/// Kirkpatrick level 4: what certified learners and platform-user trainees
/// later took part in. Counts only.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LaterPractice {
    /// Trained people who are platform users.
    pub trained_users: i64,
    /// Of them, those later made members of a case.
    pub users_in_cases: i64,
    /// Distinct cases they joined after their training.
    pub cases: i64,
    /// Of them, those who later recorded screening checks.
    pub users_in_checks: i64,
    /// Checks they recorded after their training.
    pub checks: i64,
    /// Of them, those who later recorded records of operations.
    pub users_in_operations: i64,
    /// Distinct operations they recorded after their training.
    pub operations: i64,
}

/// Persistence of cohorts, certificates and the cascade.
#[async_trait]
pub trait Cohorts {
    /// Keeps a learner's profile (replacing an earlier one).
    async fn put_learner(&self, learner: &LearnerProfile) -> Result<(), StoreError>;
    /// A learner's profile.
    async fn learner(&self, username: &str) -> Result<Option<LearnerProfile>, StoreError>;
    /// Creates a cohort with its schedule; returns its number.
    async fn create_cohort(&self, cohort: &NewCohort, now: i64) -> Result<i64, StoreError>;
    /// One cohort.
    async fn cohort(&self, id: i64) -> Result<Option<Cohort>, StoreError>;
    /// Cohorts, newest first: all (`None`, `None`), those a facilitator
    /// runs, or those a learner is enrolled in.
    async fn cohorts(&self, facilitator: Option<&str>, learner: Option<&str>) -> Result<Vec<Cohort>, StoreError>;
    /// A cohort's schedule, in order.
    async fn cohort_modules(&self, cohort_id: i64) -> Result<Vec<ScheduledModule>, StoreError>;
    /// Records an invitation.
    async fn invite(&self, invitation: &Invitation) -> Result<(), StoreError>;
    /// One invitation by its code.
    async fn invitation(&self, code: &str) -> Result<Option<Invitation>, StoreError>;
    /// A cohort's invitations, oldest first.
    async fn invitations(&self, cohort_id: i64) -> Result<Vec<Invitation>, StoreError>;
    /// Open invitations addressed to any of `invitees`.
    async fn open_invitations_for(&self, invitees: &[String]) -> Result<Vec<Invitation>, StoreError>;
    /// Accepts an open invitation as `learner` and enrols them, in one
    /// transaction. `Missing` for no open invitation with that code;
    /// `Forbidden` when the cohort is full or the learner is enrolled already.
    async fn accept_invitation(&self, code: &str, learner: &str, now: i64) -> Result<i64, StoreError>;
    /// A cohort's learners, by name.
    async fn enrolments(&self, cohort_id: i64) -> Result<Vec<Enrolment>, StoreError>;
    /// One learner's enrolment.
    async fn enrolment(&self, cohort_id: i64, learner: &str) -> Result<Option<Enrolment>, StoreError>;
    /// Notes that a learner opened a module (once).
    async fn mark_viewed(&self, cohort_id: i64, learner: &str, module_id: &str, now: i64) -> Result<(), StoreError>;
    /// (learner, module) pairs viewed in a cohort.
    async fn views(&self, cohort_id: i64) -> Result<Vec<(String, String)>, StoreError>;
    /// Signs a learner off; false when they are not enrolled.
    async fn sign_off(&self, cohort_id: i64, learner: &str, by: &str, now: i64) -> Result<bool, StoreError>;
    /// Adds a post to a module's thread; returns its number.
    async fn add_post(
        &self,
        cohort_id: i64,
        module_id: &str,
        author: &str,
        body: &str,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// A module's thread, oldest first.
    async fn posts(&self, cohort_id: i64, module_id: &str) -> Result<Vec<Post>, StoreError>;
    /// Records a graded result.
    async fn record_result(&self, result: &QuizResult) -> Result<(), StoreError>;
    /// A learner's results in a course, oldest first.
    async fn results(&self, learner: &str, course_id: &str) -> Result<Vec<QuizResult>, StoreError>;
    /// Sets a course's completion rule.
    async fn set_completion_rule(&self, rule: &CompletionRule, by: &str, now: i64) -> Result<(), StoreError>;
    /// A course's completion rule.
    async fn completion_rule(&self, course_id: &str) -> Result<Option<CompletionRule>, StoreError>;
    /// Stores a certificate; when the learner holds one for the course
    /// already, returns that one instead.
    async fn issue_certificate(&self, certificate: &Certificate) -> Result<Certificate, StoreError>;
    /// A certificate by its code.
    async fn certificate(&self, code: &str) -> Result<Option<Certificate>, StoreError>;
    /// A learner's certificates.
    async fn certificates_of(&self, learner: &str) -> Result<Vec<Certificate>, StoreError>;
    /// Records a trainer (replacing an earlier record).
    async fn put_trainer(&self, trainer: &Trainer) -> Result<(), StoreError>;
    /// One trainer.
    async fn trainer(&self, username: &str) -> Result<Option<Trainer>, StoreError>;
    /// Every trainer, by user name.
    async fn trainers(&self) -> Result<Vec<Trainer>, StoreError>;
    /// Records a national course; returns its number.
    async fn add_national_course(&self, course: &NewNationalCourse, now: i64) -> Result<i64, StoreError>;
    /// One national course.
    async fn national_course(&self, id: i64) -> Result<Option<NationalCourse>, StoreError>;
    /// National courses (of one trainer, or all), by start.
    async fn national_courses(&self, trainer: Option<&str>) -> Result<Vec<NationalCourse>, StoreError>;
    /// Records a trainee; returns their number.
    async fn add_trainee(&self, trainee: &Trainee) -> Result<i64, StoreError>;
    /// Trainees of a national course (or of every course: `None`), by course and name.
    async fn trainees(&self, national_course_id: Option<i64>) -> Result<Vec<Trainee>, StoreError>;
    /// Participants and completions by channel, country, agency, role and gender.
    async fn participation(&self) -> Result<Vec<ParticipationCount>, StoreError>;
    /// Knowledge gain per course (best pre- and post-test per learner).
    async fn knowledge_gain(&self) -> Result<Vec<KnowledgeGain>, StoreError>;
    /// Kirkpatrick level 4 counts.
    async fn later_practice(&self) -> Result<LaterPractice, StoreError>;
}

/// Columns of `academy_cohort` that the readers take, in order.
pub(crate) const COHORT_COLUMNS: &str =
    "id, course_id, course_title, course_kind, title, facilitator, capacity, enrolled, starts_on, ends_on, created_by";
/// Columns of `academy_invitation`.
pub(crate) const INVITATION_COLUMNS: &str = "code, cohort_id, invitee, invited_by, invited_at, accepted_by";
/// Columns of `academy_certificate`.
pub(crate) const CERTIFICATE_COLUMNS: &str =
    "code, learner, holder_name, course_id, course_title, cohort_id, issued_on, issued_at";
/// Columns of `academy_national_course`, with counts of its trainees.
pub(crate) const NATIONAL_COLUMNS: &str = "n.id, n.trainer, n.country, n.title, n.place, n.hotspot_area, \
     n.starts_on, n.ends_on, n.target_group, \
     (SELECT COUNT(*) FROM academy_trainee t WHERE t.national_course_id = n.id), \
     (SELECT COUNT(*) FROM academy_trainee t WHERE t.national_course_id = n.id AND t.attended = 1)";
/// Columns of `academy_trainee`.
pub(crate) const TRAINEE_COLUMNS: &str = "id, national_course_id, name, username, gender, agency, role, attended, \
     pre_score, post_score, passed";

/// Participation: enrolled learners (completion = a certificate of the
/// cohort's course) and national trainees (completion = passed), grouped.
pub(crate) const PARTICIPATION_SQL: &str = "\
SELECT channel, country, agency, role, gender, COUNT(*), CAST(SUM(done) AS BIGINT) FROM (
  SELECT 'cohort' AS channel, COALESCE(l.country, '') AS country, COALESCE(l.agency, '') AS agency,
         COALESCE(l.role, '') AS role, COALESCE(l.gender, 'unknown') AS gender,
         CASE WHEN EXISTS (SELECT 1 FROM academy_certificate c WHERE c.learner = e.learner
                           AND c.course_id = k.course_id) THEN 1 ELSE 0 END AS done
  FROM academy_enrolment e JOIN academy_cohort k ON k.id = e.cohort_id
  LEFT JOIN academy_learner l ON l.username = e.learner
  UNION ALL
  SELECT 'national', n.country, t.agency, t.role, t.gender, t.passed
  FROM academy_trainee t JOIN academy_national_course n ON n.id = t.national_course_id
) p GROUP BY channel, country, agency, role, gender ORDER BY channel, country, agency, role, gender";

/// Every graded result: those recorded here (`academy_result`) and the
/// graded attempts of academy-a's quizzes (`academy_attempt`: module quizzes,
/// pre- and post-tests; surveys are not scored), as percentages.
pub(crate) const RESULTS_SQL: &str = "\
SELECT learner, course_id, quiz_id, stage, score, passed, taken_at FROM academy_result
UNION ALL
SELECT learner, course_id, quiz_key,
       CASE purpose WHEN 'pre_test' THEN 'pre' WHEN 'post_test' THEN 'post' ELSE 'quiz' END,
       CASE WHEN max_score > 0 THEN COALESCE(score, 0) * 100.0 / max_score ELSE 0 END,
       CASE WHEN passed THEN 1 ELSE 0 END, COALESCE(submitted_at, started_at)
FROM academy_attempt WHERE status = 'graded' AND purpose IN ('module', 'pre_test', 'post_test')";

/// Knowledge gain: per course, learners with both tests, mean best scores.
pub(crate) fn gain_sql() -> String {
    format!(
        "SELECT course_id, COUNT(*), AVG(pre), AVG(post) FROM (
  SELECT learner, course_id,
         MAX(CASE WHEN stage = 'pre' THEN score END) AS pre,
         MAX(CASE WHEN stage = 'post' THEN score END) AS post
  FROM ({RESULTS_SQL}) r WHERE stage IN ('pre', 'post') GROUP BY learner, course_id
) b WHERE pre IS NOT NULL AND post IS NOT NULL GROUP BY course_id ORDER BY course_id"
    )
}

/// The trained platform users and when their training ended: certificate
/// holders (issue time) and passed national trainees with a user name (the
/// course's creation time).
pub(crate) const TRAINED_SQL: &str = "\
SELECT learner AS username, MIN(issued_at) AS trained_at FROM (
  SELECT learner, issued_at FROM academy_certificate
  UNION ALL
  SELECT t.username, n.created_at FROM academy_trainee t JOIN academy_national_course n ON n.id = t.national_course_id
  WHERE t.username IS NOT NULL AND t.passed = 1
) x GROUP BY learner";

/// Level 4 after training: case memberships, and checks and operation
/// records the person collected (the audit log's `collect` entries).
pub(crate) fn later_practice_sql() -> String {
    format!(
        "WITH trained AS ({TRAINED_SQL}),
         joined AS (SELECT m.username, m.case_id FROM case_member m JOIN trained t ON t.username = m.username
                    WHERE m.added_at >= t.trained_at),
         collected AS (SELECT DISTINCT a.actor, e.schema, e.id FROM audit_entry a
                    JOIN trained t ON t.username = a.actor AND a.at >= t.trained_at
                    JOIN audit_entity ae ON ae.seq = a.seq
                    JOIN entity e ON e.id = ae.entity_id
                    WHERE a.action = 'collect' AND a.outcome = 'ok' AND e.schema IN ('Check', 'Operation'))
         SELECT (SELECT COUNT(*) FROM trained),
                (SELECT COUNT(DISTINCT username) FROM joined),
                (SELECT COUNT(DISTINCT case_id) FROM joined),
                (SELECT COUNT(DISTINCT actor) FROM collected WHERE schema = 'Check'),
                (SELECT COUNT(DISTINCT id) FROM collected WHERE schema = 'Check'),
                (SELECT COUNT(DISTINCT actor) FROM collected WHERE schema = 'Operation'),
                (SELECT COUNT(DISTINCT id) FROM collected WHERE schema = 'Operation')"
    )
}

/// Implements [`Cohorts`] for a back end (the SQL is the same on both).
macro_rules! cohorts_impl {
    ($store:ty, $row:ty) => {
        use crate::cohorts::*;
        use crate::error::StoreError;
        use async_trait::async_trait;
        use sqlx::{AssertSqlSafe, Row};

        fn cohort_of(r: &$row) -> Result<Cohort, StoreError> {
            Ok(Cohort {
                id: r.try_get(0)?,
                course_id: r.try_get(1)?,
                course_title: r.try_get(2)?,
                course_kind: r.try_get(3)?,
                title: r.try_get(4)?,
                facilitator: r.try_get(5)?,
                capacity: r.try_get(6)?,
                enrolled: r.try_get(7)?,
                starts_on: r.try_get(8)?,
                ends_on: r.try_get(9)?,
                created_by: r.try_get(10)?,
            })
        }

        fn invitation_of(r: &$row) -> Result<Invitation, StoreError> {
            Ok(Invitation {
                code: r.try_get(0)?,
                cohort_id: r.try_get(1)?,
                invitee: r.try_get(2)?,
                invited_by: r.try_get(3)?,
                invited_at: r.try_get(4)?,
                accepted_by: r.try_get(5)?,
            })
        }

        fn certificate_of(r: &$row) -> Result<Certificate, StoreError> {
            Ok(Certificate {
                code: r.try_get(0)?,
                learner: r.try_get(1)?,
                holder_name: r.try_get(2)?,
                course_id: r.try_get(3)?,
                course_title: r.try_get(4)?,
                cohort_id: r.try_get(5)?,
                issued_on: r.try_get(6)?,
                issued_at: r.try_get(7)?,
            })
        }

        fn national_of(r: &$row) -> Result<NationalCourse, StoreError> {
            Ok(NationalCourse {
                id: r.try_get(0)?,
                course: NewNationalCourse {
                    trainer: r.try_get(1)?,
                    country: r.try_get(2)?,
                    title: r.try_get(3)?,
                    place: r.try_get(4)?,
                    hotspot_area: r.try_get(5)?,
                    starts_on: r.try_get(6)?,
                    ends_on: r.try_get(7)?,
                    target_group: r.try_get(8)?,
                },
                trainees: r.try_get(9)?,
                attended: r.try_get(10)?,
            })
        }

        fn trainee_of(r: &$row) -> Result<Trainee, StoreError> {
            Ok(Trainee {
                id: r.try_get(0)?,
                national_course_id: r.try_get(1)?,
                name: r.try_get(2)?,
                username: r.try_get(3)?,
                gender: r.try_get(4)?,
                agency: r.try_get(5)?,
                role: r.try_get(6)?,
                attended: r.try_get::<i64, _>(7)? == 1,
                pre_score: r.try_get(8)?,
                post_score: r.try_get(9)?,
                passed: r.try_get::<i64, _>(10)? == 1,
            })
        }

        fn result_of(r: &$row) -> Result<QuizResult, StoreError> {
            let stage: String = r.try_get(3)?;
            Ok(QuizResult {
                learner: r.try_get(0)?,
                course_id: r.try_get(1)?,
                quiz_id: r.try_get(2)?,
                stage: Stage::parse(&stage).ok_or_else(|| StoreError::Corrupt(format!("result stage '{stage}'")))?,
                score: r.try_get(4)?,
                passed: r.try_get::<i64, _>(5)? == 1,
                taken_at: r.try_get(6)?,
            })
        }

        fn flag(b: bool) -> i64 {
            i64::from(b)
        }

        #[async_trait]
        impl Cohorts for $store {
            async fn put_learner(&self, l: &LearnerProfile) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_learner(username, display_name, gender, agency, country, role) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO UPDATE SET \
                     display_name = excluded.display_name, gender = excluded.gender, agency = excluded.agency, \
                     country = excluded.country, role = excluded.role",
                )
                .bind(&l.username)
                .bind(&l.display_name)
                .bind(&l.gender)
                .bind(&l.agency)
                .bind(&l.country)
                .bind(&l.role)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn learner(&self, username: &str) -> Result<Option<LearnerProfile>, StoreError> {
                let row = sqlx::query(
                    "SELECT username, display_name, gender, agency, country, role FROM academy_learner \
                     WHERE username = $1",
                )
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| {
                    Ok(LearnerProfile {
                        username: r.try_get(0)?,
                        display_name: r.try_get(1)?,
                        gender: r.try_get(2)?,
                        agency: r.try_get(3)?,
                        country: r.try_get(4)?,
                        role: r.try_get(5)?,
                    })
                })
                .transpose()
            }

            async fn create_cohort(&self, c: &NewCohort, now: i64) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO academy_cohort(course_id, course_title, course_kind, title, facilitator, capacity, \
                     starts_on, ends_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     RETURNING id",
                )
                .bind(&c.course_id)
                .bind(&c.course_title)
                .bind(&c.course_kind)
                .bind(&c.title)
                .bind(&c.facilitator)
                .bind(c.capacity)
                .bind(&c.starts_on)
                .bind(&c.ends_on)
                .bind(&c.created_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for (i, m) in c.modules.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO academy_cohort_module(cohort_id, position, module_id, title, opens_on) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(i as i64)
                    .bind(&m.module_id)
                    .bind(&m.title)
                    .bind(&m.opens_on)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn cohort(&self, id: i64) -> Result<Option<Cohort>, StoreError> {
                let sql = format!("SELECT {COHORT_COLUMNS} FROM academy_cohort WHERE id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(cohort_of).transpose()
            }

            async fn cohorts(
                &self,
                facilitator: Option<&str>,
                learner: Option<&str>,
            ) -> Result<Vec<Cohort>, StoreError> {
                let sql = format!(
                    "SELECT {COHORT_COLUMNS} FROM academy_cohort k \
                     WHERE ($1 IS NULL OR k.facilitator = $1) AND ($2 IS NULL OR EXISTS \
                     (SELECT 1 FROM academy_enrolment e WHERE e.cohort_id = k.id AND e.learner = $2)) \
                     ORDER BY k.starts_on DESC, k.id DESC"
                );
                let rows = sqlx::query(AssertSqlSafe(sql))
                    .bind(facilitator)
                    .bind(learner)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(cohort_of).collect()
            }

            async fn cohort_modules(&self, cohort_id: i64) -> Result<Vec<ScheduledModule>, StoreError> {
                let rows = sqlx::query(
                    "SELECT module_id, title, opens_on FROM academy_cohort_module WHERE cohort_id = $1 \
                     ORDER BY position",
                )
                .bind(cohort_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| Ok(ScheduledModule { module_id: r.try_get(0)?, title: r.try_get(1)?, opens_on: r.try_get(2)? }))
                    .collect()
            }

            async fn invite(&self, i: &Invitation) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_invitation(code, cohort_id, invitee, invited_by, invited_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&i.code)
                .bind(i.cohort_id)
                .bind(&i.invitee)
                .bind(&i.invited_by)
                .bind(i.invited_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn invitation(&self, code: &str) -> Result<Option<Invitation>, StoreError> {
                let sql = format!("SELECT {INVITATION_COLUMNS} FROM academy_invitation WHERE code = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(code).fetch_optional(&self.pool).await?;
                row.as_ref().map(invitation_of).transpose()
            }

            async fn invitations(&self, cohort_id: i64) -> Result<Vec<Invitation>, StoreError> {
                let sql = format!(
                    "SELECT {INVITATION_COLUMNS} FROM academy_invitation WHERE cohort_id = $1 \
                     ORDER BY invited_at, code"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(cohort_id).fetch_all(&self.pool).await?;
                rows.iter().map(invitation_of).collect()
            }

            async fn open_invitations_for(&self, invitees: &[String]) -> Result<Vec<Invitation>, StoreError> {
                let mut out = Vec::new();
                for who in invitees {
                    let sql = format!(
                        "SELECT {INVITATION_COLUMNS} FROM academy_invitation \
                         WHERE invitee = $1 AND accepted_by IS NULL ORDER BY invited_at"
                    );
                    let rows = sqlx::query(AssertSqlSafe(sql)).bind(who).fetch_all(&self.pool).await?;
                    for r in &rows {
                        out.push(invitation_of(r)?);
                    }
                }
                Ok(out)
            }

            async fn accept_invitation(&self, code: &str, learner: &str, now: i64) -> Result<i64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let cohort: Option<i64> = sqlx::query_scalar(
                    "UPDATE academy_invitation SET accepted_by = $2, accepted_at = $3 \
                     WHERE code = $1 AND accepted_by IS NULL RETURNING cohort_id",
                )
                .bind(code)
                .bind(learner)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(cohort) = cohort else {
                    return Err(StoreError::Missing("no open invitation with this code".into()));
                };
                let already: Option<i64> = sqlx::query_scalar(
                    "SELECT cohort_id FROM academy_enrolment WHERE cohort_id = $1 AND learner = $2",
                )
                .bind(cohort)
                .bind(learner)
                .fetch_optional(&mut *tx)
                .await?;
                if already.is_some() {
                    return Err(StoreError::Forbidden("already enrolled in this cohort".into()));
                }
                let seat = sqlx::query(
                    "UPDATE academy_cohort SET enrolled = enrolled + 1 WHERE id = $1 AND enrolled < capacity",
                )
                .bind(cohort)
                .execute(&mut *tx)
                .await?;
                if seat.rows_affected() == 0 {
                    return Err(StoreError::Forbidden("the cohort is full".into()));
                }
                sqlx::query("INSERT INTO academy_enrolment(cohort_id, learner, enrolled_at) VALUES ($1, $2, $3)")
                    .bind(cohort)
                    .bind(learner)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(cohort)
            }

            async fn enrolments(&self, cohort_id: i64) -> Result<Vec<Enrolment>, StoreError> {
                let rows = sqlx::query(
                    "SELECT e.cohort_id, e.learner, COALESCE(l.display_name, e.learner), e.enrolled_at, \
                     e.signed_off_by FROM academy_enrolment e LEFT JOIN academy_learner l ON l.username = e.learner \
                     WHERE e.cohort_id = $1 ORDER BY 3, 2",
                )
                .bind(cohort_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Enrolment {
                            cohort_id: r.try_get(0)?,
                            learner: r.try_get(1)?,
                            display_name: r.try_get(2)?,
                            enrolled_at: r.try_get(3)?,
                            signed_off_by: r.try_get(4)?,
                        })
                    })
                    .collect()
            }

            async fn enrolment(&self, cohort_id: i64, learner: &str) -> Result<Option<Enrolment>, StoreError> {
                Ok(self.enrolments(cohort_id).await?.into_iter().find(|e| e.learner == learner))
            }

            async fn mark_viewed(
                &self,
                cohort_id: i64,
                learner: &str,
                module_id: &str,
                now: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_module_view(cohort_id, learner, module_id, viewed_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(cohort_id)
                .bind(learner)
                .bind(module_id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn views(&self, cohort_id: i64) -> Result<Vec<(String, String)>, StoreError> {
                let rows = sqlx::query(
                    "SELECT learner, module_id FROM academy_module_view WHERE cohort_id = $1 ORDER BY 1, 2",
                )
                .bind(cohort_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
            }

            async fn sign_off(&self, cohort_id: i64, learner: &str, by: &str, now: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE academy_enrolment SET signed_off_by = $3, signed_off_at = $4 \
                     WHERE cohort_id = $1 AND learner = $2",
                )
                .bind(cohort_id)
                .bind(learner)
                .bind(by)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn add_post(
                &self,
                cohort_id: i64,
                module_id: &str,
                author: &str,
                body: &str,
                now: i64,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_post(cohort_id, module_id, author, body, posted_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(cohort_id)
                .bind(module_id)
                .bind(author)
                .bind(body)
                .bind(now)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn posts(&self, cohort_id: i64, module_id: &str) -> Result<Vec<Post>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, author, body, posted_at FROM academy_post WHERE cohort_id = $1 AND module_id = $2 \
                     ORDER BY id",
                )
                .bind(cohort_id)
                .bind(module_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Post { id: r.try_get(0)?, author: r.try_get(1)?, body: r.try_get(2)?, posted_at: r.try_get(3)? })
                    })
                    .collect()
            }

            async fn record_result(&self, q: &QuizResult) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_result(learner, course_id, quiz_id, stage, score, passed, taken_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&q.learner)
                .bind(&q.course_id)
                .bind(&q.quiz_id)
                .bind(q.stage.code())
                .bind(q.score)
                .bind(flag(q.passed))
                .bind(q.taken_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn results(&self, learner: &str, course_id: &str) -> Result<Vec<QuizResult>, StoreError> {
                let sql = format!(
                    "SELECT learner, course_id, quiz_id, stage, score, passed, taken_at FROM ({RESULTS_SQL}) r \
                     WHERE learner = $1 AND course_id = $2 ORDER BY taken_at, quiz_id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(learner)
                .bind(course_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(result_of).collect()
            }

            async fn set_completion_rule(&self, rule: &CompletionRule, by: &str, now: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_completion_rule(course_id, all_modules_viewed, quizzes_passed, min_score, \
                     sign_off, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (course_id) DO UPDATE \
                     SET all_modules_viewed = excluded.all_modules_viewed, quizzes_passed = excluded.quizzes_passed, \
                     min_score = excluded.min_score, sign_off = excluded.sign_off, set_by = excluded.set_by, \
                     set_at = excluded.set_at",
                )
                .bind(&rule.course_id)
                .bind(flag(rule.all_modules_viewed))
                .bind(rule.quizzes_passed)
                .bind(rule.min_score)
                .bind(flag(rule.sign_off))
                .bind(by)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn completion_rule(&self, course_id: &str) -> Result<Option<CompletionRule>, StoreError> {
                let row = sqlx::query(
                    "SELECT course_id, all_modules_viewed, quizzes_passed, min_score, sign_off \
                     FROM academy_completion_rule WHERE course_id = $1",
                )
                .bind(course_id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| {
                    Ok(CompletionRule {
                        course_id: r.try_get(0)?,
                        all_modules_viewed: r.try_get::<i64, _>(1)? == 1,
                        quizzes_passed: r.try_get(2)?,
                        min_score: r.try_get(3)?,
                        sign_off: r.try_get::<i64, _>(4)? == 1,
                    })
                })
                .transpose()
            }

            async fn issue_certificate(&self, c: &Certificate) -> Result<Certificate, StoreError> {
                sqlx::query(
                    "INSERT INTO academy_certificate(code, learner, holder_name, course_id, course_title, \
                     cohort_id, issued_on, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (learner, course_id) DO NOTHING",
                )
                .bind(&c.code)
                .bind(&c.learner)
                .bind(&c.holder_name)
                .bind(&c.course_id)
                .bind(&c.course_title)
                .bind(c.cohort_id)
                .bind(&c.issued_on)
                .bind(c.issued_at)
                .execute(&self.pool)
                .await?;
                let sql = format!(
                    "SELECT {CERTIFICATE_COLUMNS} FROM academy_certificate WHERE learner = $1 AND course_id = $2"
                );
                let row = sqlx::query(AssertSqlSafe(sql)).bind(&c.learner).bind(&c.course_id).fetch_one(&self.pool).await?;
                certificate_of(&row)
            }

            async fn certificate(&self, code: &str) -> Result<Option<Certificate>, StoreError> {
                let sql = format!("SELECT {CERTIFICATE_COLUMNS} FROM academy_certificate WHERE code = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(code).fetch_optional(&self.pool).await?;
                row.as_ref().map(certificate_of).transpose()
            }

            async fn certificates_of(&self, learner: &str) -> Result<Vec<Certificate>, StoreError> {
                let sql = format!(
                    "SELECT {CERTIFICATE_COLUMNS} FROM academy_certificate WHERE learner = $1 ORDER BY issued_at"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(learner).fetch_all(&self.pool).await?;
                rows.iter().map(certificate_of).collect()
            }

            async fn put_trainer(&self, t: &Trainer) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO academy_trainer(username, certificate_code, country, certified_on) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO UPDATE SET \
                     certificate_code = excluded.certificate_code, country = excluded.country, \
                     certified_on = excluded.certified_on",
                )
                .bind(&t.username)
                .bind(&t.certificate_code)
                .bind(&t.country)
                .bind(&t.certified_on)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn trainer(&self, username: &str) -> Result<Option<Trainer>, StoreError> {
                Ok(self.trainers().await?.into_iter().find(|t| t.username == username))
            }

            async fn trainers(&self) -> Result<Vec<Trainer>, StoreError> {
                let rows = sqlx::query(
                    "SELECT username, certificate_code, country, certified_on FROM academy_trainer ORDER BY username",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Trainer {
                            username: r.try_get(0)?,
                            certificate_code: r.try_get(1)?,
                            country: r.try_get(2)?,
                            certified_on: r.try_get(3)?,
                        })
                    })
                    .collect()
            }

            async fn add_national_course(&self, n: &NewNationalCourse, now: i64) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_national_course(trainer, country, title, place, hotspot_area, starts_on, \
                     ends_on, target_group, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(&n.trainer)
                .bind(&n.country)
                .bind(&n.title)
                .bind(&n.place)
                .bind(&n.hotspot_area)
                .bind(&n.starts_on)
                .bind(&n.ends_on)
                .bind(&n.target_group)
                .bind(now)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn national_course(&self, id: i64) -> Result<Option<NationalCourse>, StoreError> {
                let sql = format!("SELECT {NATIONAL_COLUMNS} FROM academy_national_course n WHERE n.id = $1");
                let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(national_of).transpose()
            }

            async fn national_courses(&self, trainer: Option<&str>) -> Result<Vec<NationalCourse>, StoreError> {
                let sql = format!(
                    "SELECT {NATIONAL_COLUMNS} FROM academy_national_course n WHERE ($1 IS NULL OR n.trainer = $1) \
                     ORDER BY n.starts_on, n.id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(trainer).fetch_all(&self.pool).await?;
                rows.iter().map(national_of).collect()
            }

            async fn add_trainee(&self, t: &Trainee) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO academy_trainee(national_course_id, name, username, gender, agency, role, attended, \
                     pre_score, post_score, passed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(t.national_course_id)
                .bind(&t.name)
                .bind(&t.username)
                .bind(&t.gender)
                .bind(&t.agency)
                .bind(&t.role)
                .bind(flag(t.attended))
                .bind(t.pre_score)
                .bind(t.post_score)
                .bind(flag(t.passed))
                .fetch_one(&self.pool)
                .await?)
            }

            async fn trainees(&self, national_course_id: Option<i64>) -> Result<Vec<Trainee>, StoreError> {
                let sql = format!(
                    "SELECT {TRAINEE_COLUMNS} FROM academy_trainee WHERE ($1 IS NULL OR national_course_id = $1) \
                     ORDER BY national_course_id, name, id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql)).bind(national_course_id).fetch_all(&self.pool).await?;
                rows.iter().map(trainee_of).collect()
            }

            async fn participation(&self) -> Result<Vec<ParticipationCount>, StoreError> {
                let rows = sqlx::query(PARTICIPATION_SQL).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok(ParticipationCount {
                            channel: r.try_get(0)?,
                            country: r.try_get(1)?,
                            agency: r.try_get(2)?,
                            role: r.try_get(3)?,
                            gender: r.try_get(4)?,
                            participants: r.try_get(5)?,
                            completions: r.try_get::<Option<i64>, _>(6)?.unwrap_or(0),
                        })
                    })
                    .collect()
            }

            async fn knowledge_gain(&self) -> Result<Vec<KnowledgeGain>, StoreError> {
                let rows = sqlx::query(AssertSqlSafe(gain_sql())).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok(KnowledgeGain {
                            course_id: r.try_get(0)?,
                            learners: r.try_get(1)?,
                            mean_pre: r.try_get(2)?,
                            mean_post: r.try_get(3)?,
                        })
                    })
                    .collect()
            }

            async fn later_practice(&self) -> Result<LaterPractice, StoreError> {
                let row = sqlx::query(AssertSqlSafe(later_practice_sql())).fetch_one(&self.pool).await?;
                Ok(LaterPractice {
                    trained_users: row.try_get(0)?,
                    users_in_cases: row.try_get(1)?,
                    cases: row.try_get(2)?,
                    users_in_checks: row.try_get(3)?,
                    checks: row.try_get(4)?,
                    users_in_operations: row.try_get(5)?,
                    operations: row.try_get(6)?,
                })
            }
        }
    };
}
pub(crate) use cohorts_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip() {
        for s in [Stage::Pre, Stage::Post, Stage::Quiz] {
            assert_eq!(Stage::parse(s.code()), Some(s));
        }
        assert_eq!(Stage::parse("final"), None);
    }
}
