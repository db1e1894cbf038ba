//! The follow-up survey (Kirkpatrick level 3) and the survey aggregates.
//!
//! A course's outline sets `follow_up_months` (default 3). When a learner's
//! certificate of the course is that old and the course has a `follow_up`
//! quiz they have not answered, the survey is offered on their academy home;
//! it is answered like the reaction survey (level 1): an attempt of an
//! unscored quiz, stored with its answers. The reports show only aggregates
//! of both surveys — ratings averaged, choices counted, free text counted
//! and never quoted.

use crate::academy::person_of;
use crate::{Access, AppError, Veza};
use chrono::{Months, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use veza_model::academy::{Answer, QuestionKind, QuizPurpose};
use veza_store::academy::AttemptStatus;
use veza_store::audit::AuditAction;

/// A follow-up survey waiting for the caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpDue {
    /// The course.
    pub course_id: String,
    /// Its title.
    pub course_title: String,
    /// The survey's quiz key (started at `/academy/courses/{id}/quizzes/{key}/start`).
    pub quiz_key: String,
    /// The survey's title.
    pub quiz_title: String,
    /// When the course was completed (the certificate's day).
    pub completed_on: String,
    /// When the survey became due.
    pub due_on: String,
}

/// The aggregate answers to one survey question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyItem {
    /// The course's title.
    pub course_title: String,
    /// `reaction` (level 1) or `follow_up` (level 3).
    pub purpose: String,
    /// The question.
    pub prompt: String,
    /// Learners who answered it.
    pub answers: usize,
    /// Mean rating 1–5 (rating questions).
    pub mean: Option<f64>,
    /// Choices and how often each was taken (choice questions), in option order.
    pub counts: Vec<(String, usize)>,
}

/// The survey aggregates of the academy, for the reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SurveySummary {
    /// Learners who answered a reaction survey.
    pub reaction_respondents: usize,
    /// Learners who answered a follow-up survey.
    pub follow_up_respondents: usize,
    /// Per question.
    pub items: Vec<SurveyItem>,
}

/// The day a follow-up is due: `months` after `completed_on` (YYYY-MM-DD).
pub fn follow_up_due_on(completed_on: &str, months: u32) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(completed_on.get(..10).unwrap_or(completed_on), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_months(Months::new(months)))
}

/// Aggregates one question's answers.
fn item(course_title: &str, purpose: QuizPurpose, q: &veza_model::academy::Question, given: &[&Answer]) -> SurveyItem {
    let mut mean = None;
    let mut counts = Vec::new();
    match &q.kind {
        QuestionKind::Scale { .. } => {
            let ratings: Vec<f64> = given
                .iter()
                .filter_map(|a| if let Answer::Rating(r) = a { Some(f64::from(*r)) } else { None })
                .collect();
            if !ratings.is_empty() {
                mean = Some(ratings.iter().sum::<f64>() / ratings.len() as f64);
            }
        }
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
            counts = options.iter().map(|o| (o.clone(), 0)).collect();
            for a in given {
                let chosen: Vec<usize> = match a {
                    Answer::Choice(i) => vec![*i],
                    Answer::Choices(v) => v.clone(),
                    _ => vec![],
                };
                for i in chosen {
                    if let Some(c) = counts.get_mut(i) {
                        c.1 += 1;
                    }
                }
            }
        }
        QuestionKind::TrueFalse { .. } => {
            let yes = given.iter().filter(|a| matches!(a, Answer::Bool(true))).count();
            let no = given.iter().filter(|a| matches!(a, Answer::Bool(false))).count();
            counts = vec![("true".into(), yes), ("false".into(), no)];
        }
        _ => {}
    }
    SurveyItem {
        course_title: course_title.to_owned(),
        purpose: purpose.code().to_owned(),
        prompt: q.prompt.clone(),
        answers: given.len(),
        mean,
        counts,
    }
}

impl Veza {
    /// The follow-up surveys due for the caller (see the module), oldest first.
    pub async fn follow_ups_due(&self, access: &Access) -> Result<Vec<FollowUpDue>, AppError> {
        let (me, _, _) = person_of(&access.caller);
        if me.is_empty() {
            return Ok(Vec::new());
        }
        let certificates = self.store.certificates_of(&me).await?;
        let today = Utc::now().date_naive();
        let mut out = Vec::new();
        for c in &certificates {
            let Ok(course) = self.published_course(&c.course_id, None).await else { continue };
            let Some(quiz) = course.outline.quiz_for(QuizPurpose::FollowUp) else { continue };
            let Some(due) = follow_up_due_on(&c.issued_on, course.outline.follow_up_months) else { continue };
            if due > today || out.iter().any(|d: &FollowUpDue| d.course_id == c.course_id) {
                continue;
            }
            let answered = self
                .store
                .learner_attempts(&me, Some(&c.course_id))
                .await?
                .iter()
                .any(|a| a.quiz_key == quiz.key && a.status != AttemptStatus::Open);
            if !answered {
                out.push(FollowUpDue {
                    course_id: c.course_id.clone(),
                    course_title: course.outline.title.clone(),
                    quiz_key: quiz.key.clone(),
                    quiz_title: quiz.title.clone(),
                    completed_on: c.issued_on.clone(),
                    due_on: due.to_string(),
                });
            }
        }
        if !certificates.is_empty() {
            self.academy_audit(access, AuditAction::Consult, std::slice::from_ref(&me), "follow-up surveys due")
                .await?;
        }
        out.sort_by(|a, b| a.due_on.cmp(&b.due_on));
        Ok(out)
    }

    /// The aggregate answers to every course's reaction and follow-up
    /// surveys (latest published version's questions; submitted answers).
    pub async fn survey_summary(&self) -> Result<SurveySummary, AppError> {
        let mut summary = SurveySummary::default();
        let mut reaction: std::collections::BTreeSet<String> = Default::default();
        let mut follow_up: std::collections::BTreeSet<String> = Default::default();
        for version in self.store.latest_versions().await? {
            let Ok(course) = self.published_course(&version.course_id, Some(version.version)).await else { continue };
            for purpose in [QuizPurpose::Reaction, QuizPurpose::FollowUp] {
                for quiz in course.outline.quizzes.iter().filter(|q| q.purpose == purpose) {
                    let attempts = self.store.quiz_attempts(&version.course_id, Some(&quiz.key)).await?;
                    let mut by_question: BTreeMap<&str, Vec<Answer>> = BTreeMap::new();
                    let mut answered: Vec<(String, BTreeMap<String, Answer>)> = Vec::new();
                    for a in attempts.iter().filter(|a| a.status == AttemptStatus::Graded) {
                        let answers: BTreeMap<String, Answer> = serde_json::from_str(&a.answers).unwrap_or_default();
                        answered.push((a.learner.clone(), answers));
                    }
                    for (learner, answers) in &answered {
                        match purpose {
                            QuizPurpose::Reaction => reaction.insert(learner.clone()),
                            _ => follow_up.insert(learner.clone()),
                        };
                        for q in &quiz.questions {
                            if let Some(a) = answers.get(&q.key) {
                                by_question.entry(q.key.as_str()).or_default().push(a.clone());
                            }
                        }
                    }
                    for q in &quiz.questions {
                        let given: Vec<&Answer> = by_question.get(q.key.as_str()).into_iter().flatten().collect();
                        summary.items.push(item(&course.outline.title, purpose, q, &given));
                    }
                }
            }
        }
        summary.reaction_respondents = reaction.len();
        summary.follow_up_respondents = follow_up.len();
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use veza_model::academy::Question;

    #[test]
    fn the_follow_up_is_due_months_after_completion() {
        assert_eq!(follow_up_due_on("2026-01-31", 3), NaiveDate::from_ymd_opt(2026, 4, 30));
        assert_eq!(follow_up_due_on("2026-08-29", 3), NaiveDate::from_ymd_opt(2026, 11, 29));
        assert_eq!(follow_up_due_on("yesterday", 3), None);
    }

    #[test]
    fn ratings_are_averaged_choices_counted_and_text_only_counted() {
        let scale = Question {
            key: "f1".into(),
            prompt: "Used at work".into(),
            points: 1.0,
            kind: QuestionKind::Scale { low: "never".into(), high: "weekly".into() },
        };
        let given = [Answer::Rating(2), Answer::Rating(5)];
        let i = item("C", QuizPurpose::FollowUp, &scale, &given.iter().collect::<Vec<_>>());
        assert_eq!((i.answers, i.mean, i.purpose.as_str()), (2, Some(3.5), "follow_up"));
        let single = Question {
            key: "f2".into(),
            prompt: "How often".into(),
            points: 1.0,
            kind: QuestionKind::Single { options: vec!["never".into(), "often".into()], correct: 0 },
        };
        let given = [Answer::Choice(1), Answer::Choice(1), Answer::Choice(7)];
        let i = item("C", QuizPurpose::FollowUp, &single, &given.iter().collect::<Vec<_>>());
        assert_eq!(i.counts, vec![("never".to_owned(), 0), ("often".to_owned(), 2)], "an unknown index is ignored");
        let comment = Question { key: "f3".into(), prompt: "Tell".into(), points: 1.0, kind: QuestionKind::Comment };
        let given = [Answer::Text("secret detail".into())];
        let i = item("C", QuizPurpose::FollowUp, &comment, &given.iter().collect::<Vec<_>>());
        assert_eq!((i.answers, i.mean, i.counts.len()), (1, None, 0));
    }
}
