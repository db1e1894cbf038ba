//! Practice on the real tools: a lesson of the Policing Capabilities course
//! opens an exercise (screen a name, check a document, read a notice) that
//! runs through the platform's own use cases — `screen`, `check_documents`,
//! `entity` — as the learner, on the academy's exercise records (the
//! `academy-exercise` dataset, all invented). The exercise is graded by what
//! the learner's own check returned: passed when it found the expected
//! record. The check is audited as any other (its purpose names the lesson),
//! and the result is kept as the learner's exercise result.

use crate::academy::academy_access;
use crate::{AppError, DocumentQuery, Lookup, ScreenPerson, Veza};
use serde::Serialize;
use veza_model::academy::ExerciseTask;
use veza_store::{Caller, ExerciseResult};

/// The dataset of the academy's exercise records.
pub const EXERCISE_DATASET: &str = "academy-exercise";

/// What the learner did and what it showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseOutcome {
    /// The task.
    pub task: ExerciseTask,
    /// Whether the learner's check found the expected record.
    pub passed: bool,
    /// What the check returned: (id, caption) of each result.
    pub found: Vec<(String, String)>,
    /// The record the exercise expects.
    pub expected: String,
}

impl Veza {
    /// Runs the learner's action of the exercise of `lesson_key` — `input`
    /// is the name to screen, the document number to check, or the notice
    /// id to open — and records whether it found the expected record.
    pub async fn practise(
        &self,
        caller: &Caller,
        course_id: &str,
        lesson_key: &str,
        input: &str,
    ) -> Result<ExerciseOutcome, AppError> {
        let Caller::User { username, .. } = caller else {
            return Err(AppError::Forbidden("only a signed-in learner practises".into()));
        };
        let course = self.published_course(course_id, None).await?;
        let (_, lesson) =
            course.outline.lesson(lesson_key).ok_or_else(|| AppError::NotFound(format!("lesson {lesson_key}")))?;
        let exercise =
            lesson.exercise.clone().ok_or_else(|| AppError::NotFound(format!("an exercise in lesson {lesson_key}")))?;
        let input = input.trim();
        if input.is_empty() || input.chars().count() > 200 {
            return Err(AppError::Invalid { field: Some("input".into()), message: "type 1–200 characters".into() });
        }
        let access = academy_access(caller, &format!("practice exercise {course_id}/{lesson_key}"))?;
        let found: Vec<(String, String)> = match exercise.task {
            ExerciseTask::ScreenName => {
                let person = ScreenPerson::named("practice", input);
                let results = self.screen(&access, EXERCISE_DATASET, &[person], 0.7, 10).await?;
                results.into_iter().flat_map(|r| r.results).map(|h| (h.id, h.caption)).collect()
            }
            ExerciseTask::CheckDocument => {
                let q = DocumentQuery { number: input.to_owned(), ..DocumentQuery::default() };
                let results = self.check_documents(&access, EXERCISE_DATASET, &[q]).await?;
                results.into_iter().flat_map(|r| r.hits).map(|h| (h.id, h.caption)).collect()
            }
            ExerciseTask::ReadNotice => match self.entity(&access, input).await? {
                Lookup::Found(e) if e.provenance.source.dataset == EXERCISE_DATASET => {
                    vec![(e.id.clone(), e.first("name").unwrap_or_default().to_owned())]
                }
                _ => vec![],
            },
        };
        let passed = found.iter().any(|(id, _)| *id == exercise.expected);
        let detail = format!(
            "expected {}; found {}",
            exercise.expected,
            if found.is_empty() {
                "nothing".to_owned()
            } else {
                found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>().join(", ")
            }
        );
        self.store
            .record_exercise(&ExerciseResult {
                id: 0,
                learner: username.clone(),
                course_id: course_id.to_owned(),
                lesson_key: lesson_key.to_owned(),
                exercise_key: exercise.task.code().to_owned(),
                passed,
                detail,
                recorded_at: self.now().timestamp_micros(),
            })
            .await?;
        Ok(ExerciseOutcome { task: exercise.task, passed, found, expected: exercise.expected })
    }

    /// The caller's exercise results in a course.
    pub async fn my_exercise_results(&self, caller: &Caller, course_id: &str) -> Result<Vec<ExerciseResult>, AppError> {
        Ok(self.store.exercise_results(&caller.actor(), course_id).await?)
    }
}
