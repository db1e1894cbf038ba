//! The academy's courses, quizzes and grading.
//!
//! Who may do what (deny by default): academy administrators and trainers
//! author and publish courses and grade; every signed-in user may take a
//! published course (learners are police officers, prosecutors, judges…)
//! and sees only their own attempts. A published version is immutable:
//! learners always read and are tested on a published version, never on a
//! draft. A learner's answers and results are personal data: writing them
//! is a *collection*, a grader's or administrator's reading of someone
//! else's is a *consultation*, each with one audit entry.

use crate::{Access, AppError, Veza};
use chrono::Utc;
use serde::Serialize;
use std::collections::BTreeMap;
use veza_model::Role;
use veza_model::academy::{Answer, CourseKind, CourseOutline, Grade, Question, QuizPurpose, clamp_points, grade};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::{Attempt, AttemptResult, AttemptStatus, Caller, CourseVersion, NewAttempt, NewImage};

/// The four programmes of Project THB Balkans, ready-made: (id, kind, outline YAML).
pub const PROGRAMMES: &[(&str, CourseKind, &str)] = &[
    ("policing-capabilities", CourseKind::Course, include_str!("../academy/policing-capabilities.yaml")),
    ("gender-transnational-crime", CourseKind::Course, include_str!("../academy/gender-transnational-crime.yaml")),
    ("countering-human-trafficking", CourseKind::Spoc, include_str!("../academy/countering-human-trafficking.yaml")),
    ("train-the-trainer", CourseKind::Ttt, include_str!("../academy/train-the-trainer.yaml")),
];

/// Seconds of grace after a time limit, for the network between the
/// learner's last click and the server.
pub const DEADLINE_GRACE_SECONDS: i64 = 30;

/// Largest lesson image, in bytes.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// A course in a list: the latest published version's title and languages,
/// or the draft's for authors when nothing is published yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseSummary {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Languages offered.
    pub languages: Vec<String>,
    /// `course`, `spoc` or `ttt`.
    pub kind: CourseKind,
    /// Latest published version, if any.
    pub version: Option<i64>,
}

/// A published course as learners read it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCourse {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: CourseKind,
    /// The version.
    pub version: i64,
    /// When published, microseconds.
    pub published_at: i64,
    /// Its content.
    pub outline: CourseOutline,
}

/// A course's draft as authors edit it.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseDraft {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: CourseKind,
    /// The draft content.
    pub outline: CourseOutline,
    /// Published versions, newest first: (version, published by, at).
    pub versions: Vec<(i64, String, i64)>,
}

/// An attempt with its questions, for the page that shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptView {
    /// The attempt.
    pub attempt: Attempt,
    /// The quiz's title.
    pub quiz_title: String,
    /// The questions asked, in order.
    pub questions: Vec<Question>,
    /// The answers given, by question key.
    pub answers: BTreeMap<String, Answer>,
    /// Points by question key (missing: awaits a grader, or unscored).
    pub marks: BTreeMap<String, f64>,
}

/// Whether the caller may author, publish and grade.
pub fn may_author(caller: &Caller) -> bool {
    has_any(caller, &[Role::AcademyAdministrator, Role::Trainer])
}

/// Whether the caller administers the academy (nominations, assessments).
pub fn may_administer(caller: &Caller) -> bool {
    has_any(caller, &[Role::AcademyAdministrator])
}

/// The platform itself, or a user holding one of `roles`.
pub(crate) fn has_any(caller: &Caller, roles: &[Role]) -> bool {
    match caller {
        Caller::System { .. } => true,
        Caller::User { roles: held, .. } => held.iter().any(|r| roles.contains(r)),
    }
}

/// The caller's user name, agency and country; the platform acts as `system`.
pub(crate) fn person_of(caller: &Caller) -> (String, String, String) {
    match caller {
        Caller::System { .. } => (caller.actor(), String::new(), String::new()),
        Caller::User { username, agency, country, .. } => (username.clone(), agency.clone(), country.clone()),
    }
}

/// The access an academy use case audits under: the caller, for `why`.
pub(crate) fn academy_access(caller: &Caller, why: &str) -> Result<Access, AppError> {
    Access::with_purpose(caller.clone(), &format!("academy: {why}"))
}

fn forbidden(what: &str) -> AppError {
    AppError::Forbidden(what.to_owned())
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

/// Reads an outline from YAML (the programmes, an author's upload), with the
/// parser's line and column in the error.
pub fn outline_from_yaml(text: &str) -> Result<CourseOutline, AppError> {
    serde_norway::from_str(text).map_err(|e| invalid("outline", format!("the course outline does not read: {e}")))
}

/// A course id: 3–64 of `a-z 0-9 -`, starting with a letter.
pub fn valid_course_id(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && id.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

fn parse_outline(json: &str, what: &str) -> Result<CourseOutline, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::Internal(format!("{what} does not read: {e}")))
}

fn check_outline(outline: &CourseOutline) -> Result<(), AppError> {
    let problems = outline.problems();
    if problems.is_empty() { Ok(()) } else { Err(invalid("outline", problems.join("; "))) }
}

/// Lesson Markdown as HTML safe to embed: tables and strikethrough on, then
/// sanitised (ammonia: no script, no event handlers, no style; links get
/// `rel="noopener noreferrer"`); images only from Veza's own lesson images.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH));
    ammonia::Builder::default()
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with("/academy/images/") {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(&raw)
        .to_string()
}

/// The media type of an image by its first bytes; only PNG, JPEG, GIF and
/// WebP are kept (never SVG: it can carry script).
pub fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    matches!(kind.mime_type(), "image/png" | "image/jpeg" | "image/gif" | "image/webp").then(|| kind.mime_type())
}

fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        return now_micros() as u64;
    }
    u64::from_le_bytes(b)
}

impl Veza {
    fn academy_now(&self) -> i64 {
        self.now().timestamp_micros()
    }

    /// Loads the four programmes as courses with their draft and a first
    /// published version; a course that exists is left as it is. Returns
    /// how many were created.
    pub async fn install_programmes(&self, caller: &Caller) -> Result<u32, AppError> {
        if !may_administer(caller) {
            return Err(forbidden("only an academy administrator installs the programmes"));
        }
        let mut n = 0;
        for (id, kind, yaml) in PROGRAMMES {
            let outline = outline_from_yaml(yaml)?;
            check_outline(&outline)?;
            if self.store.course(id).await?.is_some() {
                continue;
            }
            let json = serde_json::to_string(&outline).map_err(|e| AppError::Internal(e.to_string()))?;
            let by = caller.actor();
            let now = self.academy_now();
            self.store.create_course(id, kind.code(), &json, &by, now).await?;
            self.store.publish_version(id, &outline.title, &outline.languages, &json, &by, now).await?;
            n += 1;
        }
        Ok(n)
    }

    /// The courses: learners see published ones (in `language`, when given);
    /// authors see every course, drafts included.
    pub async fn academy_courses(
        &self,
        caller: &Caller,
        language: Option<&str>,
    ) -> Result<Vec<CourseSummary>, AppError> {
        let latest: BTreeMap<String, CourseVersion> =
            self.store.latest_versions().await?.into_iter().map(|v| (v.course_id.clone(), v)).collect();
        let author = may_author(caller);
        let mut out = Vec::new();
        for c in self.store.courses().await? {
            let kind = CourseKind::parse(&c.kind).unwrap_or(CourseKind::Course);
            let summary = match latest.get(&c.id) {
                Some(v) => CourseSummary {
                    id: c.id.clone(),
                    title: v.title.clone(),
                    languages: v.languages.clone(),
                    kind,
                    version: Some(v.version),
                },
                None if author => {
                    let o = parse_outline(&c.draft, "a draft")?;
                    CourseSummary { id: c.id.clone(), title: o.title, languages: o.languages, kind, version: None }
                }
                None => continue,
            };
            if language.is_some_and(|l| !summary.languages.iter().any(|x| x == l)) {
                continue;
            }
            out.push(summary);
        }
        Ok(out)
    }

    /// Creates a course from an outline (authors).
    pub async fn create_course(
        &self,
        caller: &Caller,
        id: &str,
        kind: CourseKind,
        outline: &CourseOutline,
    ) -> Result<(), AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators create courses"));
        }
        if !valid_course_id(id) {
            return Err(invalid("id", "a course id is 3–64 of a–z, 0–9 and '-', starting with a letter"));
        }
        if outline.title.trim().is_empty() {
            return Err(invalid("title", "a course needs a title"));
        }
        let json = serde_json::to_string(outline).map_err(|e| AppError::Internal(e.to_string()))?;
        if !self.store.create_course(id, kind.code(), &json, &caller.actor(), self.academy_now()).await? {
            return Err(AppError::Conflict(format!("a course '{id}' exists already")));
        }
        Ok(())
    }

    /// A course's draft (authors).
    pub async fn course_draft(&self, caller: &Caller, id: &str) -> Result<CourseDraft, AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators edit courses"));
        }
        let c = self.store.course(id).await?.ok_or_else(|| AppError::NotFound(format!("course {id}")))?;
        let versions = self
            .store
            .course_versions(id)
            .await?
            .into_iter()
            .map(|v| (v.version, v.published_by, v.published_at))
            .collect();
        Ok(CourseDraft {
            id: c.id,
            kind: CourseKind::parse(&c.kind).unwrap_or(CourseKind::Course),
            outline: parse_outline(&c.draft, "the draft")?,
            versions,
        })
    }

    /// Saves a course's draft (authors). Drafts may be incomplete; only
    /// publishing checks the whole outline.
    pub async fn save_course_draft(&self, caller: &Caller, id: &str, outline: &CourseOutline) -> Result<(), AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators edit courses"));
        }
        let json = serde_json::to_string(outline).map_err(|e| AppError::Internal(e.to_string()))?;
        if !self.store.save_draft(id, &json, &caller.actor(), self.academy_now()).await? {
            return Err(AppError::NotFound(format!("course {id}")));
        }
        Ok(())
    }

    /// Publishes the draft as the next immutable version (authors); the
    /// draft must pass [`CourseOutline::problems`].
    pub async fn publish_course(&self, caller: &Caller, id: &str) -> Result<i64, AppError> {
        let draft = self.course_draft(caller, id).await?;
        check_outline(&draft.outline)?;
        let json = serde_json::to_string(&draft.outline).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self
            .store
            .publish_version(
                id,
                &draft.outline.title,
                &draft.outline.languages,
                &json,
                &caller.actor(),
                self.academy_now(),
            )
            .await?)
    }

    /// A published version of a course (the latest when `version` is none).
    pub async fn published_course(&self, id: &str, version: Option<i64>) -> Result<PublishedCourse, AppError> {
        let c = self.store.course(id).await?.ok_or_else(|| AppError::NotFound(format!("course {id}")))?;
        let v = match version {
            Some(n) => self.store.course_version(id, n).await?,
            None => self.store.course_versions(id).await?.into_iter().next(),
        }
        .ok_or_else(|| AppError::NotFound(format!("a published version of course {id}")))?;
        Ok(PublishedCourse {
            id: c.id,
            kind: CourseKind::parse(&c.kind).unwrap_or(CourseKind::Course),
            version: v.version,
            published_at: v.published_at,
            outline: parse_outline(&v.outline, "a published version")?,
        })
    }

    /// Opens a lesson of the latest published version for the caller: its
    /// sanitised HTML, and the view recorded (the first one counts).
    pub async fn open_lesson(
        &self,
        caller: &Caller,
        course_id: &str,
        lesson_key: &str,
    ) -> Result<(PublishedCourse, String), AppError> {
        let course = self.published_course(course_id, None).await?;
        let (module, lesson) =
            course.outline.lesson(lesson_key).ok_or_else(|| AppError::NotFound(format!("lesson {lesson_key}")))?;
        let html = render_markdown(&lesson.body);
        if let Caller::User { username, .. } = caller {
            self.store.record_lesson_view(username, course_id, lesson_key, course.version, self.academy_now()).await?;
            self.module_opened_in_cohorts(username, course_id, &module.key).await?;
        }
        Ok((course, html))
    }

    /// The lessons of a course the caller opened.
    pub async fn my_lesson_views(&self, caller: &Caller, course_id: &str) -> Result<Vec<String>, AppError> {
        let (me, _, _) = person_of(caller);
        Ok(self.store.lesson_views(&me, course_id).await?.into_iter().map(|v| v.lesson_key).collect())
    }

    /// Keeps an uploaded lesson image (authors); returns its number, which
    /// lessons link as `/academy/images/{id}`.
    pub async fn upload_lesson_image(&self, caller: &Caller, bytes: Vec<u8>) -> Result<i64, AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators upload lesson images"));
        }
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(invalid("image", format!("an image may be at most {} MiB", MAX_IMAGE_BYTES / 1024 / 1024)));
        }
        let media_type = image_media_type(&bytes)
            .ok_or_else(|| invalid("image", "only PNG, JPEG, GIF and WebP images can be used in lessons"))?;
        let image = NewImage {
            sha256: crate::sha256_hex(&bytes),
            media_type: media_type.to_owned(),
            content: bytes,
            uploaded_by: caller.actor(),
        };
        Ok(self.store.put_image(&image, self.academy_now()).await?)
    }

    /// A lesson image: (media type, bytes).
    pub async fn lesson_image(&self, id: i64) -> Result<(String, Vec<u8>), AppError> {
        let img = self.store.image(id).await?.ok_or_else(|| AppError::NotFound(format!("image {id}")))?;
        Ok((img.media_type, img.content))
    }

    /// Starts an attempt at a quiz of the latest published version: draws
    /// its questions, sets the deadline when the quiz has a time limit, and
    /// refuses when the learner has used every attempt.
    pub async fn start_attempt(&self, caller: &Caller, course_id: &str, quiz_key: &str) -> Result<Attempt, AppError> {
        let Caller::User { .. } = caller else {
            return Err(forbidden("only a signed-in learner takes a quiz"));
        };
        let (me, agency, country) = person_of(caller);
        let course = self.published_course(course_id, None).await?;
        let quiz = course.outline.quiz(quiz_key).ok_or_else(|| AppError::NotFound(format!("quiz {quiz_key}")))?.clone();
        if let Some(max) = quiz.max_attempts {
            let used = self.store.count_attempts(&me, course_id, quiz_key).await?;
            if used >= i64::from(max) {
                return Err(forbidden(&format!("you have used all {max} attempts at this quiz")));
            }
        }
        let keys = course.outline.draw(&quiz, random_seed());
        let max_score: f64 = keys
            .iter()
            .filter_map(|k| course.outline.question(k))
            .filter(|q| q.kind.is_scored())
            .map(|q| q.points)
            .sum();
        let now = self.academy_now();
        let attempt = NewAttempt {
            course_id: course_id.to_owned(),
            version: course.version,
            quiz_key: quiz_key.to_owned(),
            purpose: quiz.purpose.code().to_owned(),
            learner: me,
            learner_agency: agency,
            learner_country: country,
            questions: serde_json::to_string(&keys).map_err(|e| AppError::Internal(e.to_string()))?,
            max_score,
            started_at: now,
            deadline_at: quiz.time_limit_minutes.map(|m| now + i64::from(m) * 60_000_000),
        };
        let id = self.store.start_attempt(&attempt).await?;
        self.store.attempt(id).await?.ok_or_else(|| AppError::Internal("attempt vanished".into()))
    }

    /// An attempt as its learner, a grader or an administrator sees it.
    /// Anyone else gets `NotFound`, as for an attempt that does not exist.
    pub async fn attempt_view(&self, caller: &Caller, id: i64) -> Result<AttemptView, AppError> {
        let attempt = self.readable_attempt(caller, id).await?;
        self.view_of(attempt).await
    }

    async fn readable_attempt(&self, caller: &Caller, id: i64) -> Result<Attempt, AppError> {
        let missing = || AppError::NotFound(format!("attempt {id}"));
        let attempt = self.store.attempt(id).await?.ok_or_else(missing)?;
        let (me, _, _) = person_of(caller);
        if attempt.learner == me {
            return Ok(attempt);
        }
        // A trainer reads and grades only the attempts of their own courses
        // and cohorts, as the grading queue lists them.
        if !may_author(caller) || !self.may_grade(caller, &attempt).await? {
            return Err(missing());
        }
        let access = academy_access(caller, "grading and reviewing a learner's attempt")?;
        self.audit_access(
            &access,
            AuditAction::Consult,
            vec![format!("academy-attempt:{id}")],
            AuditOutcome::Ok,
            &format!("attempt {id} of {} at {}/{}", attempt.learner, attempt.course_id, attempt.quiz_key),
        )
        .await?;
        Ok(attempt)
    }

    async fn view_of(&self, attempt: Attempt) -> Result<AttemptView, AppError> {
        let course = self.published_course(&attempt.course_id, Some(attempt.version)).await?;
        let keys: Vec<String> = serde_json::from_str(&attempt.questions)
            .map_err(|e| AppError::Internal(format!("attempt {} questions: {e}", attempt.id)))?;
        let questions = keys.iter().filter_map(|k| course.outline.question(k).cloned()).collect();
        let answers = serde_json::from_str(&attempt.answers).unwrap_or_default();
        let marks = serde_json::from_str(&attempt.marks).unwrap_or_default();
        let quiz_title = course.outline.quiz(&attempt.quiz_key).map(|q| q.title.clone()).unwrap_or_default();
        Ok(AttemptView { attempt, quiz_title, questions, answers, marks })
    }

    /// Submits the learner's answers to their open attempt. Answers to
    /// questions not drawn are ignored. After the deadline (plus
    /// [`DEADLINE_GRACE_SECONDS`]) the answers are refused: the attempt is
    /// closed with none, scoring 0, and the error says so. Choices,
    /// true/false and matching are graded at once; short answers wait for
    /// a grader (the attempt is then `pending`).
    pub async fn submit_attempt(
        &self,
        caller: &Caller,
        id: i64,
        answers: BTreeMap<String, Answer>,
    ) -> Result<AttemptView, AppError> {
        let (me, _, _) = person_of(caller);
        let attempt = self.store.attempt(id).await?.filter(|a| a.learner == me);
        let attempt = attempt.ok_or_else(|| AppError::NotFound(format!("attempt {id}")))?;
        if attempt.status != AttemptStatus::Open {
            return Err(AppError::Conflict("this attempt was submitted already".into()));
        }
        let now = self.academy_now();
        let late = attempt.deadline_at.is_some_and(|d| now > d + DEADLINE_GRACE_SECONDS * 1_000_000);
        let view = self.view_of(attempt.clone()).await?;
        let answers = if late { BTreeMap::new() } else { answers };
        let course = self.published_course(&attempt.course_id, Some(attempt.version)).await?;
        let quiz = course.outline.quiz(&attempt.quiz_key);
        let scored = quiz.is_some_and(|q| q.purpose.is_scored());
        let pass = quiz.map_or(100.0, |q| q.pass_percent);
        let mut marks = BTreeMap::new();
        let mut waiting = false;
        let mut kept = BTreeMap::new();
        for q in &view.questions {
            let a = answers.get(&q.key);
            if let Some(a) = a {
                kept.insert(q.key.clone(), a.clone());
            }
            match grade(q, a) {
                Grade::Points(p) => {
                    marks.insert(q.key.clone(), p);
                }
                Grade::ToGrader => waiting = true,
                Grade::Unscored => {}
            }
        }
        let result = outcome(kept, marks, attempt.max_score, pass, scored, waiting)?;
        let access = academy_access(caller, "the learner's own training record")?;
        let detail = format!("answers to {}/{} (attempt {id})", attempt.course_id, attempt.quiz_key);
        let store = self.store.clone();
        let done = self
            .audited_change(&access, AuditAction::Collect, vec![format!("academy-attempt:{id}")], &detail, async move {
                store.submit_attempt(id, &result, now).await
            })
            .await?;
        if !done {
            return Err(AppError::Conflict("this attempt was submitted already".into()));
        }
        if late {
            return Err(invalid(
                "deadline",
                "the time limit had passed: your answers were not accepted and the attempt was closed",
            ));
        }
        self.attempt_view(caller, id).await
    }

    /// The caller's own attempts, of one course or all, oldest first.
    pub async fn my_attempts(&self, caller: &Caller, course_id: Option<&str>) -> Result<Vec<Attempt>, AppError> {
        let (me, _, _) = person_of(caller);
        Ok(self.store.learner_attempts(&me, course_id).await?)
    }

    /// Attempts waiting for a grader (authors), oldest first; one
    /// consultation entry naming them.
    pub async fn grading_queue(&self, caller: &Caller, course_id: Option<&str>) -> Result<Vec<Attempt>, AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators grade"));
        }
        let queue = self.store.grading_queue(course_id).await?;
        if !queue.is_empty() {
            let access = academy_access(caller, "grading short answers")?;
            let ids = queue.iter().map(|a| format!("academy-attempt:{}", a.id)).collect();
            self.audit_access(&access, AuditAction::Consult, ids, AuditOutcome::Ok, "grading queue").await?;
        }
        Ok(queue)
    }

    /// Marks the short answers of a pending attempt (authors): `points` by
    /// question key, each held within 0 and the question's points. Every
    /// short answer must be marked; the score and pass are then final.
    pub async fn grade_attempt(
        &self,
        caller: &Caller,
        id: i64,
        points: &BTreeMap<String, f64>,
    ) -> Result<AttemptView, AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators grade"));
        }
        let view = self.attempt_view(caller, id).await?;
        if view.attempt.status != AttemptStatus::Pending {
            return Err(AppError::Conflict("this attempt is not waiting for a grader".into()));
        }
        let mut marks = view.marks.clone();
        for q in &view.questions {
            if matches!(grade(q, view.answers.get(&q.key)), Grade::ToGrader) {
                let p = points.get(&q.key).ok_or_else(|| invalid(&q.key, "mark every short answer"))?;
                marks.insert(q.key.clone(), clamp_points(q, *p));
            }
        }
        let course = self.published_course(&view.attempt.course_id, Some(view.attempt.version)).await?;
        let pass = course.outline.quiz(&view.attempt.quiz_key).map_or(100.0, |q| q.pass_percent);
        let result = outcome(view.answers.clone(), marks, view.attempt.max_score, pass, true, false)?;
        let access = academy_access(caller, "grading short answers")?;
        let (me, _, _) = person_of(caller);
        let now = self.academy_now();
        let store = self.store.clone();
        let detail = format!("marks for attempt {id} of {}", view.attempt.learner);
        let done = self
            .audited_change(&access, AuditAction::Alter, vec![format!("academy-attempt:{id}")], &detail, async move {
                store.grade_attempt(id, &result, &me, now).await
            })
            .await?;
        if !done {
            return Err(AppError::Conflict("this attempt was graded already".into()));
        }
        self.attempt_view(caller, id).await
    }

    /// The scored attempts of a course's pre-test and post-test, each
    /// learner's best, as percentages: (learner, pre, post). For the course
    /// page of authors (Kirkpatrick level 2).
    pub async fn knowledge_gain(&self, caller: &Caller, course_id: &str) -> Result<Vec<(String, f64, f64)>, AppError> {
        if !may_author(caller) {
            return Err(forbidden("only trainers and academy administrators read everyone's results"));
        }
        let attempts = self.store.quiz_attempts(course_id, None).await?;
        let mut best: BTreeMap<(String, bool), f64> = BTreeMap::new();
        for a in &attempts {
            let post = match QuizPurpose::parse(&a.purpose) {
                Some(QuizPurpose::PreTest) => false,
                Some(QuizPurpose::PostTest) => true,
                _ => continue,
            };
            if let (Some(s), true) = (a.score, a.max_score > 0.0) {
                let pct = s / a.max_score * 100.0;
                let e = best.entry((a.learner.clone(), post)).or_insert(pct);
                *e = e.max(pct);
            }
        }
        let out: Vec<(String, f64, f64)> = best
            .iter()
            .filter(|((_, post), _)| !post)
            .filter_map(|((l, _), pre)| best.get(&(l.clone(), true)).map(|post| (l.clone(), *pre, *post)))
            .collect();
        if !out.is_empty() {
            let access = academy_access(caller, "knowledge gain of a course")?;
            self.audit_access(
                &access,
                AuditAction::Consult,
                vec![],
                AuditOutcome::Ok,
                &format!("{course_id}: pre/post"),
            )
            .await?;
        }
        Ok(out)
    }
}

/// What submitting or grading writes: the score when nothing waits for a
/// grader, pass at `pass_percent` of the full points.
fn outcome(
    answers: BTreeMap<String, Answer>,
    marks: BTreeMap<String, f64>,
    max_score: f64,
    pass_percent: f64,
    scored: bool,
    waiting: bool,
) -> Result<AttemptResult, AppError> {
    let (score, passed, status) = if !scored {
        (None, None, AttemptStatus::Graded)
    } else if waiting {
        (None, None, AttemptStatus::Pending)
    } else {
        let s = (marks.values().sum::<f64>() * 100.0).round() / 100.0;
        let passed = if max_score > 0.0 { s / max_score * 100.0 >= pass_percent } else { true };
        (Some(s), Some(passed), AttemptStatus::Graded)
    };
    Ok(AttemptResult { answers: to_json(&answers)?, marks: to_json(&marks)?, score, passed, status })
}

/// A value as JSON text.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_programmes_read_and_are_publishable() {
        for (id, _, yaml) in PROGRAMMES {
            let o = outline_from_yaml(yaml).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(o.problems().is_empty(), "{id}: {:?}", o.problems());
            assert!(o.quiz_for(QuizPurpose::PreTest).is_some() && o.quiz_for(QuizPurpose::PostTest).is_some(), "{id}");
            assert_eq!(o.languages.len(), 8, "{id} is offered in the region's languages");
        }
        let pc = outline_from_yaml(PROGRAMMES[0].2).unwrap();
        assert_eq!(pc.lessons().filter(|l| l.exercise.is_some()).count(), 3, "policing capabilities has practice");
    }

    #[test]
    fn markdown_is_sanitised_and_images_stay_in_veza() {
        let html = render_markdown(
            "# Title\n\n<script>alert(1)</script>\n\n![ok](/academy/images/3) ![no](https://evil.example/x.png)\n\n\
             [link](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"src="/academy/images/3""#), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn images_are_known_by_their_bytes_and_svg_is_refused() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
        assert_eq!(image_media_type(&png), Some("image/png"));
        assert_eq!(image_media_type(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"), None);
        assert_eq!(image_media_type(b"GIF89a\x01\x00\x01\x00"), Some("image/gif"));
    }

    #[test]
    fn course_ids_are_slugs() {
        assert!(valid_course_id("policing-capabilities"));
        assert!(!valid_course_id("Policing"));
        assert!(!valid_course_id("1abc"));
        assert!(!valid_course_id("a b"));
    }

    #[test]
    fn outcomes_pass_at_the_bound_and_wait_for_graders() {
        let marks: BTreeMap<String, f64> = [("a".to_owned(), 1.0), ("b".to_owned(), 0.5)].into();
        let r = outcome(BTreeMap::new(), marks.clone(), 2.0, 75.0, true, false).unwrap();
        assert_eq!((r.score, r.passed, r.status), (Some(1.5), Some(true), AttemptStatus::Graded));
        let r = outcome(BTreeMap::new(), marks.clone(), 2.0, 76.0, true, false).unwrap();
        assert_eq!(r.passed, Some(false));
        let r = outcome(BTreeMap::new(), marks.clone(), 2.0, 75.0, true, true).unwrap();
        assert_eq!((r.score, r.status), (None, AttemptStatus::Pending));
        let r = outcome(BTreeMap::new(), marks, 2.0, 75.0, false, false).unwrap();
        assert_eq!((r.score, r.passed), (None, None), "surveys are not scored");
    }
}
