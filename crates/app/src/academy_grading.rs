//! The grading queue as a trainer sees it: attempts with short answers
//! waiting for a grader, limited to the trainer's own courses (those they
//! created) and to learners of the cohorts they facilitate; an academy
//! administrator sees every waiting attempt.

use crate::academy::{academy_access, person_of};
use crate::cohorts::{AcademyStanding, academy_standing};
use crate::{Access, AppError, Veza};
use std::collections::{BTreeMap, BTreeSet};
use veza_store::Attempt;
use veza_store::audit::{AuditAction, AuditOutcome};

/// An attempt waiting for a grader, with what the queue shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingAttempt {
    /// The attempt.
    pub attempt: Attempt,
    /// The course's title.
    pub course_title: String,
    /// The quiz's title.
    pub quiz_title: String,
}

impl Veza {
    /// The attempts the caller is to grade, oldest first (see the module).
    /// Learners get `Forbidden`; reading the queue is audited as a
    /// consultation of the learners' attempts.
    pub async fn my_grading_queue(&self, access: &Access) -> Result<Vec<WaitingAttempt>, AppError> {
        let standing = academy_standing(&access.caller);
        if standing == AcademyStanding::Learner {
            return Err(AppError::Forbidden("only trainers and academy administrators grade".into()));
        }
        let (me, _, _) = person_of(&access.caller);
        let mut own_courses = BTreeSet::new();
        let mut cohort_learners: BTreeSet<(String, String)> = BTreeSet::new();
        if standing == AcademyStanding::Trainer {
            for c in self.store.courses().await? {
                if c.created_by == access.caller.actor() || c.created_by == me {
                    own_courses.insert(c.id);
                }
            }
            for cohort in self.store.cohorts(Some(&me), None).await? {
                for e in self.store.enrolments(cohort.id).await? {
                    cohort_learners.insert((cohort.course_id.clone(), e.learner));
                }
            }
        }
        let all = self.store.grading_queue(None).await?;
        let mut titles: BTreeMap<(String, i64), (String, BTreeMap<String, String>)> = BTreeMap::new();
        let mut out = Vec::new();
        for attempt in all {
            let in_scope = standing == AcademyStanding::Administrator
                || own_courses.contains(&attempt.course_id)
                || cohort_learners.contains(&(attempt.course_id.clone(), attempt.learner.clone()));
            if !in_scope {
                continue;
            }
            let key = (attempt.course_id.clone(), attempt.version);
            let (course_title, quizzes) = match titles.get(&key) {
                Some(known) => known.clone(),
                None => {
                    let course = self.published_course(&attempt.course_id, Some(attempt.version)).await?;
                    let quizzes: BTreeMap<String, String> =
                        course.outline.quizzes.iter().map(|q| (q.key.clone(), q.title.clone())).collect();
                    titles.insert(key, (course.outline.title.clone(), quizzes.clone()));
                    (course.outline.title, quizzes)
                }
            };
            out.push(WaitingAttempt {
                course_title,
                quiz_title: quizzes.get(&attempt.quiz_key).cloned().unwrap_or_else(|| attempt.quiz_key.clone()),
                attempt,
            });
        }
        if !out.is_empty() {
            let ids = out.iter().map(|w| format!("academy-attempt:{}", w.attempt.id)).collect();
            let audit = academy_access(&access.caller, "grading short answers")?;
            self.audit_access(&audit, AuditAction::Consult, ids, AuditOutcome::Ok, "grading queue").await?;
        }
        Ok(out)
    }

    /// Whether a trainer or administrator may read and grade this learner's
    /// attempt: administrators any; a trainer those in courses they wrote or
    /// of learners in the cohorts they facilitate for the attempt's course.
    pub(crate) async fn may_grade(&self, caller: &veza_store::Caller, attempt: &Attempt) -> Result<bool, AppError> {
        match academy_standing(caller) {
            AcademyStanding::Administrator => Ok(true),
            AcademyStanding::Learner => Ok(false),
            AcademyStanding::Trainer => {
                let (me, _, _) = person_of(caller);
                if let Some(course) = self.store.courses().await?.into_iter().find(|c| c.id == attempt.course_id)
                    && (course.created_by == caller.actor() || course.created_by == me)
                {
                    return Ok(true);
                }
                for cohort in self.store.cohorts(Some(&me), None).await? {
                    if cohort.course_id == attempt.course_id
                        && self.store.enrolments(cohort.id).await?.iter().any(|e| e.learner == attempt.learner)
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}
