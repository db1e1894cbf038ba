//! The academy's demo: the four programmes published, the exercise records
//! the Policing Capabilities practice runs on (invented notices and a
//! stolen passport), learners with pre-test, post-test and module attempts
//! (one short answer waiting for a grader), and a needs assessment for every
//! country of the region: round 1 answered by each agency, and in Serbia a
//! round 2 open for the national THB coordinator to answer.

use crate::academy::{PROGRAMMES, outline_from_yaml, to_json};
use crate::academy_practice::EXERCISE_DATASET;
use crate::assessment::questionnaire;
use crate::{AppError, Veza};
use std::collections::BTreeMap;
use veza_model::academy::{Answer, Grade, grade};
use veza_model::{Entity, Handling, Owner, SourceRef, Visibility};
use veza_store::{Agency, AttemptResult, AttemptStatus, Caller, NewAttempt};

/// An exercise record: id, schema and its property values.
type ExerciseRecord<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// Countries assessed in the demo, with their agencies.
const ASSESSED: &[(&str, &[&str])] = &[
    ("al", &["al-bp", "al-thb", "al-ncb"]),
    ("ba", &["ba-bp", "ba-thb", "ba-ncb"]),
    ("hr", &["hr-bp", "hr-thb"]),
    ("me", &["me-bp", "me-thb", "me-ncb"]),
    ("mk", &["mk-bp", "mk-thb", "mk-ncb"]),
    ("rs", &["rs-bp", "rs-thb", "rs-ncb"]),
    ("xk", &["xk-bp", "xk-thb"]),
];

/// Demo learners: (user, agency, country, pre-test answers right of 4, post-test right of 4).
const LEARNERS: &[(&str, &str, &str, usize, usize)] =
    &[("learner.ba", "ba-pa", "ba", 1, 4), ("learner.rs", "rs-bp", "rs", 2, 3), ("learner.mk", "mk-bp", "mk", 1, 3)];

/// A deterministic rating 0–4 for a demo agency and statement: every
/// country gets its own profile of strengths and gaps.
fn demo_rating(agency: &str, item: &str, round: u32) -> u8 {
    let h = agency.bytes().chain(item.bytes()).fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    ((h % 4) as u8 + if round > 1 { 1 } else { 0 }).min(4)
}

impl Veza {
    /// Loads the academy demo (safe to call again: what exists is kept).
    pub(crate) async fn load_academy_demo(&self) -> Result<(), AppError> {
        let system = Caller::system("demo loader");
        self.install_programmes(&system).await?;
        self.demo_exercise_records().await?;
        self.demo_attempts().await?;
        self.demo_assessments().await
    }

    async fn demo_exercise_records(&self) -> Result<(), AppError> {
        for (code, name) in [("hr-bp", "Croatia Border Police"), ("hr-thb", "Croatia Criminal Police, THB Unit")] {
            if self.store.agency(code).await?.is_none() {
                let kind = if code.ends_with("bp") { "border_police" } else { "thb_unit" };
                self.store
                    .put_agency(&Agency {
                        code: code.into(),
                        name: name.into(),
                        country: "hr".into(),
                        kind: kind.into(),
                    })
                    .await?;
            }
        }
        self.ensure_source(EXERCISE_DATASET, "Academy exercise records (invented)", "demo", "int-gs").await?;
        let records: &[ExerciseRecord] = &[
            (
                "academy-ex-notice-1",
                "Notice",
                &[
                    ("noticeType", "red"),
                    ("noticeId", "EX/2026/001"),
                    ("name", "Dragan Vukotić"),
                    ("firstName", "Dragan"),
                    ("lastName", "Vukotić"),
                    ("birthDate", "1979-08-14"),
                    ("nationality", "me"),
                    ("issuingCountry", "hr"),
                    ("charge", "Trafficking in human beings (exercise)"),
                    ("status", "active"),
                ],
            ),
            (
                "academy-ex-notice-2",
                "Notice",
                &[
                    ("noticeType", "yellow"),
                    ("noticeId", "EX/2026/002"),
                    ("name", "Ana Marković"),
                    ("firstName", "Ana"),
                    ("lastName", "Marković"),
                    ("birthDate", "2008-02-02"),
                    ("nationality", "ba"),
                    ("issuingCountry", "ba"),
                    ("status", "active"),
                ],
            ),
            (
                "academy-ex-doc-1",
                "DocumentStatus",
                &[
                    ("documentNumber", "MK4471093"),
                    ("status", "stolen"),
                    ("documentType", "passport"),
                    ("issuingCountry", "mk"),
                    ("reportedDate", "2025-06-01"),
                    ("reportingCountry", "mk"),
                ],
            ),
        ];
        let mut batch = Vec::new();
        for (id, schema, values) in records {
            let mut e = Entity::new(*id, *schema);
            e.provenance.owner = Owner { agency: "int-gs".into(), country: "zz".into() };
            e.provenance.source = SourceRef { dataset: EXERCISE_DATASET.into(), record: Some((*id).to_owned()) };
            e.handling = Handling { visibility: Visibility::All, ..Handling::default() };
            if let Err(errors) = e.add_all(self.model(), values.iter().copied()) {
                tracing::warn!(id, ?errors, "academy exercise record has invalid values");
            }
            e.complete(self.model());
            batch.push(e);
        }
        self.store.write_entities(&Caller::system("demo loader"), &batch).await?;
        self.screening.touch();
        Ok(())
    }

    async fn demo_attempts(&self) -> Result<(), AppError> {
        let (id, _, yaml) = PROGRAMMES[0];
        if !self.store.quiz_attempts(id, None).await?.is_empty() {
            return Ok(());
        }
        let outline = outline_from_yaml(yaml)?;
        let version = self.published_course(id, Some(1)).await?.version;
        let now = self.now().timestamp_micros();
        let day = 86_400_000_000i64;
        for (n, (learner, agency, country, pre_right, post_right)) in LEARNERS.iter().enumerate() {
            for (quiz_key, right, days_ago, seed) in [
                ("pc-pre", *pre_right, 40, n as u64),
                ("pc-post", *post_right, 10, 100 + n as u64),
                ("pc-q2", 1, 20, 0),
            ] {
                let quiz = outline.quiz(quiz_key).ok_or_else(|| AppError::Internal(format!("no {quiz_key}")))?;
                let keys = outline.draw(quiz, seed);
                let questions: Vec<_> = keys.iter().filter_map(|k| outline.question(k)).collect();
                let max: f64 = questions.iter().filter(|q| q.kind.is_scored()).map(|q| q.points).sum();
                let started = now - days_ago * day;
                let attempt = NewAttempt {
                    course_id: id.into(),
                    version,
                    quiz_key: quiz_key.into(),
                    purpose: quiz.purpose.code().into(),
                    learner: (*learner).into(),
                    learner_agency: (*agency).into(),
                    learner_country: (*country).into(),
                    questions: to_json(&keys)?,
                    max_score: max,
                    started_at: started,
                    deadline_at: quiz.time_limit_minutes.map(|m| started + i64::from(m) * 60_000_000),
                };
                let attempt_id = self.store.start_attempt(&attempt).await?;
                // The first `right` questions answered right, the rest wrong.
                let mut answers = BTreeMap::new();
                let mut marks = BTreeMap::new();
                let mut waiting = false;
                for (i, q) in questions.iter().enumerate() {
                    let a = demo_answer(q, i < right);
                    match grade(q, Some(&a)) {
                        Grade::Points(p) => {
                            marks.insert(q.key.clone(), p);
                        }
                        Grade::ToGrader => waiting = true,
                        Grade::Unscored => {}
                    }
                    answers.insert(q.key.clone(), a);
                }
                let score: f64 = marks.values().sum();
                let result = AttemptResult {
                    answers: to_json(&answers)?,
                    marks: to_json(&marks)?,
                    score: (!waiting).then_some(score),
                    passed: (!waiting).then_some(max <= 0.0 || score / max * 100.0 >= quiz.pass_percent),
                    status: if waiting { AttemptStatus::Pending } else { AttemptStatus::Graded },
                };
                self.store.submit_attempt(attempt_id, &result, started + 600_000_000).await?;
            }
            for lesson in outline.lessons() {
                self.store.record_lesson_view(learner, id, &lesson.key, version, now - 30 * day).await?;
            }
        }
        Ok(())
    }

    async fn demo_assessments(&self) -> Result<(), AppError> {
        if !self.store.assessments(None).await?.is_empty() {
            return Ok(());
        }
        let q = questionnaire();
        let now = self.now().timestamp_micros();
        let year = 365 * 86_400_000_000i64;
        for (country, agencies) in ASSESSED {
            for agency in *agencies {
                let respondent =
                    if *agency == "rs-thb" { "coordinator.rs".to_owned() } else { format!("respondent.{agency}") };
                let Some(id) =
                    self.store.nominate_respondent(country, agency, 1, &respondent, "academy", now - year).await?
                else {
                    continue;
                };
                let ratings: BTreeMap<String, u8> =
                    q.items.iter().map(|i| (i.key.clone(), demo_rating(agency, &i.key, 1))).collect();
                let scores = q.scores(&ratings);
                self.store
                    .submit_assessment(
                        id,
                        &respondent,
                        &to_json(&ratings)?,
                        &to_json(&scores)?,
                        now - year + 86_400_000_000,
                    )
                    .await?;
            }
        }
        // The re-assessment a year later: Serbia's THB unit has it open.
        self.store.nominate_respondent("rs", "rs-thb", 2, "coordinator.rs", "academy", now).await?;
        Ok(())
    }
}

/// A demo answer to a question: right or wrong.
fn demo_answer(q: &veza_model::academy::Question, right: bool) -> Answer {
    use veza_model::academy::QuestionKind::*;
    match &q.kind {
        Single { correct, options } => Answer::Choice(if right { *correct } else { (*correct + 1) % options.len() }),
        Multiple { correct, .. } => Answer::Choices(if right { correct.clone() } else { vec![] }),
        TrueFalse { correct } => Answer::Bool(if right { *correct } else { !*correct }),
        Matching { pairs } => {
            Answer::Pairs(if right { (0..pairs.len()).collect() } else { (0..pairs.len()).rev().collect() })
        }
        ShortAnswer { .. } => {
            Answer::Text("Hold the traveller; confirm the hit with the issuing country via the NCB.".into())
        }
        Scale { .. } => Answer::Rating(4),
        Comment => Answer::Text("More practice on real tools.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ratings_are_ratings_and_improve_in_round_two() {
        for item in ["lf1", "id2", "dp1"] {
            let one = demo_rating("rs-thb", item, 1);
            let two = demo_rating("rs-thb", item, 2);
            assert!(one <= 4 && two <= 4 && two >= one);
        }
    }
}
