//! The academy through its use cases: authors publish immutable versions;
//! a learner's attempt draws its questions, is graded automatically where it
//! can be and by a grader otherwise, refuses answers after its time limit
//! and its last allowed try; learners see only their own attempts; the
//! needs assessment is answered by its respondent only, and a second round
//! shows the change.

use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use veza_app::{AppError, AuditAction, Caller, Clock, HashCost, IdentityConfig, Role, Veza, outline_from_yaml};
use veza_model::academy::{Answer, CourseKind, QuestionKind};
use veza_store::{Agency, AttemptStatus};

const COURSE: &str = "
title: Test course
languages: [en, sq]
modules:
  - key: m1
    title: One
    lessons:
      - { key: l1, title: First, body: '# Hello <script>x</script>' }
quizzes:
  - key: pre
    title: Pre-test
    purpose: pre_test
    time_limit_minutes: 10
    max_attempts: 2
    pass_percent: 50
    questions:
      - { key: tf, kind: true_false, prompt: Sky is blue, correct: true }
      - { key: sa, kind: short_answer, prompt: Explain, rubric: says why, points: 2 }
    draws: [{ bank: b, count: 2 }]
banks:
  - key: b
    title: Bank
    questions:
      - { key: b1, kind: single, prompt: One?, options: [a, b], correct: 0 }
      - { key: b2, kind: single, prompt: Two?, options: [a, b], correct: 1 }
      - { key: b3, kind: multiple, prompt: Three?, options: [a, b, c], correct: [0, 2] }
      - { key: b4, kind: matching, prompt: Four?, pairs: [[x, '1'], [y, '2']] }
";

struct World {
    veza: Veza,
    now: Arc<AtomicI64>,
}

impl World {
    fn advance(&self, d: Duration) {
        self.now.fetch_add(d.num_microseconds().unwrap(), Ordering::SeqCst);
    }
}

async fn world() -> World {
    let now = Arc::new(AtomicI64::new(Utc::now().timestamp_micros()));
    let clock_now = now.clone();
    let clock = Clock::from_fn(move || DateTime::from_timestamp_micros(clock_now.load(Ordering::SeqCst)).unwrap());
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, clock, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    for (code, country) in [("rs-thb", "rs"), ("ba-pa", "ba"), ("int-gs", "zz")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    for (name, agency, role) in [
        ("coord", "rs-thb", Role::ThbCoordinator),
        ("other", "rs-thb", Role::Investigator),
        ("ana", "ba-pa", Role::Learner),
        ("boris", "ba-pa", Role::Learner),
    ] {
        veza.add_user(name, name, agency, &[role], "correct horse battery").await.unwrap();
    }
    World { veza, now }
}

fn trainer() -> Caller {
    Caller::user("trainer", "int-gs", "zz", &[Role::Trainer])
}

fn admin() -> Caller {
    Caller::user("academy", "int-gs", "zz", &[Role::AcademyAdministrator])
}

fn learner(name: &str) -> Caller {
    Caller::user(name, "ba-pa", "ba", &[Role::Learner])
}

async fn published(w: &World) {
    let outline = outline_from_yaml(COURSE).unwrap();
    w.veza.create_course(&trainer(), "test-course", CourseKind::Course, &outline).await.unwrap();
    assert_eq!(w.veza.publish_course(&trainer(), "test-course").await.unwrap(), 1);
}

/// The right answer to a question.
fn right(kind: &QuestionKind) -> Answer {
    match kind {
        QuestionKind::Single { correct, .. } => Answer::Choice(*correct),
        QuestionKind::Multiple { correct, .. } => Answer::Choices(correct.clone()),
        QuestionKind::TrueFalse { correct } => Answer::Bool(*correct),
        QuestionKind::Matching { pairs } => Answer::Pairs((0..pairs.len()).collect()),
        _ => Answer::Text("because it scatters light".into()),
    }
}

#[tokio::test]
async fn authors_publish_immutable_versions_and_learners_read_the_published_one() {
    let w = world().await;
    let outline = outline_from_yaml(COURSE).unwrap();
    let refused = w.veza.create_course(&learner("ana"), "x-course", CourseKind::Course, &outline).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))));
    published(&w).await;
    let mut changed = outline.clone();
    changed.title = "Changed title".into();
    w.veza.save_course_draft(&trainer(), "test-course", &changed).await.unwrap();
    let seen = w.veza.academy_courses(&learner("ana"), None).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].title.as_str(), seen[0].version), ("Test course", Some(1)), "the draft is not shown");
    assert!(w.veza.academy_courses(&learner("ana"), Some("mk")).await.unwrap().is_empty(), "not offered in mk");
    assert_eq!(w.veza.publish_course(&trainer(), "test-course").await.unwrap(), 2);
    assert_eq!(w.veza.published_course("test-course", Some(1)).await.unwrap().outline.title, "Test course");
    assert_eq!(w.veza.published_course("test-course", None).await.unwrap().outline.title, "Changed title");
    let mut broken = changed.clone();
    broken.modules[0].quiz = Some("nope".into());
    w.veza.save_course_draft(&trainer(), "test-course", &broken).await.unwrap();
    let e = w.veza.publish_course(&trainer(), "test-course").await.unwrap_err();
    assert!(e.to_string().contains("no quiz 'nope'"), "{e}");
    let (_, html) = w.veza.open_lesson(&learner("ana"), "test-course", "l1").await.unwrap();
    assert!(html.contains("<h1>Hello") && !html.contains("<script"), "{html}");
    assert_eq!(w.veza.my_lesson_views(&learner("ana"), "test-course").await.unwrap(), ["l1"]);
}

#[tokio::test]
async fn attempts_draw_grade_wait_for_a_grader_and_stay_their_learners() {
    let w = world().await;
    published(&w).await;
    let ana = learner("ana");
    let a = w.veza.start_attempt(&ana, "test-course", "pre").await.unwrap();
    let keys: Vec<String> = serde_json::from_str(&a.questions).unwrap();
    assert_eq!(&keys[..2], ["tf", "sa"]);
    assert_eq!(keys.len(), 4, "two fixed and two drawn");
    assert!(keys[2..].iter().all(|k| k.starts_with('b')) && keys[2] != keys[3]);
    let mut draws = BTreeSet::new();
    draws.insert(keys[2..].to_vec());

    let view = w.veza.attempt_view(&ana, a.id).await.unwrap();
    let answers: BTreeMap<String, Answer> = view.questions.iter().map(|q| (q.key.clone(), right(&q.kind))).collect();
    assert!(matches!(w.veza.attempt_view(&learner("boris"), a.id).await, Err(AppError::NotFound(_))), "not boris's");
    assert!(w.veza.submit_attempt(&learner("boris"), a.id, answers.clone()).await.is_err());
    let done = w.veza.submit_attempt(&ana, a.id, answers.clone()).await.unwrap();
    assert_eq!(done.attempt.status, AttemptStatus::Pending, "the short answer waits for a grader");
    assert_eq!(done.attempt.score, None);
    assert_eq!(done.marks.len(), 3, "the others are graded at once");
    assert!(matches!(w.veza.submit_attempt(&ana, a.id, answers).await, Err(AppError::Conflict(_))));

    assert!(matches!(w.veza.grading_queue(&ana, None).await, Err(AppError::Forbidden(_))));
    let queue = w.veza.grading_queue(&trainer(), None).await.unwrap();
    assert_eq!(queue.iter().map(|q| q.id).collect::<Vec<_>>(), [a.id]);
    // A trainer with no part in the course or the learner's cohort neither
    // reads nor grades the attempt.
    let stranger = Caller::user("trainer.other", "int-gs", "zz", &[Role::Trainer]);
    assert!(matches!(w.veza.attempt_view(&stranger, a.id).await, Err(AppError::NotFound(_))));
    let refused = w.veza.grade_attempt(&stranger, a.id, &[("sa".to_owned(), 9.0)].into()).await;
    assert!(matches!(refused, Err(AppError::NotFound(_))), "{refused:?}");
    let missing = w.veza.grade_attempt(&trainer(), a.id, &BTreeMap::new()).await.unwrap_err();
    assert!(matches!(missing, AppError::Invalid { .. }), "every short answer is marked");
    let graded = w.veza.grade_attempt(&trainer(), a.id, &[("sa".to_owned(), 9.0)].into()).await.unwrap();
    assert_eq!(graded.attempt.status, AttemptStatus::Graded);
    assert_eq!(graded.marks["sa"], 2.0, "held to the question's points");
    assert_eq!(graded.attempt.score, Some(graded.attempt.max_score), "everything right");
    assert_eq!(graded.attempt.passed, Some(true));

    // Another learner's results: only their own; the grader's reading was audited.
    assert!(w.veza.my_attempts(&learner("boris"), None).await.unwrap().is_empty());
    assert_eq!(w.veza.my_attempts(&ana, None).await.unwrap().len(), 1);
    let log = w.veza.store().entries(i64::MIN, 1000).await.unwrap();
    assert!(log.iter().any(|e| e.action == AuditAction::Consult && e.actor == "trainer"));
    assert!(log.iter().any(|e| e.action == AuditAction::Collect && e.actor == "ana"));

    // The second and last attempt; a third is refused. Draws vary between attempts.
    for _ in 0..12 {
        let b = w.veza.start_attempt(&learner("boris"), "test-course", "pre").await;
        match b {
            Ok(b) => {
                let k: Vec<String> = serde_json::from_str(&b.questions).unwrap();
                draws.insert(k[2..].to_vec());
            }
            Err(e) => assert!(matches!(e, AppError::Forbidden(_)), "{e}"),
        }
    }
    assert_eq!(w.veza.my_attempts(&learner("boris"), None).await.unwrap().len(), 2, "max two attempts");
    w.veza.start_attempt(&ana, "test-course", "pre").await.unwrap();
    assert!(matches!(w.veza.start_attempt(&ana, "test-course", "pre").await, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn the_time_limit_is_kept_by_the_server() {
    let w = world().await;
    published(&w).await;
    let ana = learner("ana");
    let a = w.veza.start_attempt(&ana, "test-course", "pre").await.unwrap();
    let view = w.veza.attempt_view(&ana, a.id).await.unwrap();
    let answers: BTreeMap<String, Answer> = view.questions.iter().map(|q| (q.key.clone(), right(&q.kind))).collect();
    w.advance(Duration::minutes(11));
    let late = w.veza.submit_attempt(&ana, a.id, answers).await.unwrap_err();
    assert!(matches!(&late, AppError::Invalid { field: Some(f), .. } if f == "deadline"), "{late}");
    let closed = w.veza.attempt_view(&ana, a.id).await.unwrap();
    assert!(closed.answers.is_empty(), "the late answers were not kept");
    assert_ne!(closed.attempt.status, AttemptStatus::Open, "the attempt is closed");

    // Within the limit (and its grace), answers are taken: none given, none right.
    let b = w.veza.start_attempt(&ana, "test-course", "pre").await.unwrap();
    w.advance(Duration::minutes(10) + Duration::seconds(10));
    let v = w.veza.submit_attempt(&ana, b.id, BTreeMap::new()).await.unwrap();
    assert_eq!((v.attempt.status, v.attempt.score), (AttemptStatus::Graded, Some(0.0)));
}

#[tokio::test]
async fn only_the_nominated_respondent_answers_and_round_two_shows_the_change() {
    let w = world().await;
    let refused = w.veza.nominate_respondent(&trainer(), "rs-thb", "coord").await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))));
    let wrong = w.veza.nominate_respondent(&admin(), "rs-thb", "ana").await.unwrap_err();
    assert!(wrong.to_string().contains("does not work for rs-thb"), "{wrong}");
    let r1 = w.veza.nominate_respondent(&admin(), "rs-thb", "coord").await.unwrap();
    assert_eq!(r1.round, 1);
    assert!(w.veza.nominate_respondent(&admin(), "rs-thb", "coord").await.is_err(), "round 1 is still open");
    let q = veza_app::questionnaire();
    let low: BTreeMap<String, u8> = q.items.iter().map(|i| (i.key.clone(), 1)).collect();
    let other = Caller::user("other", "rs-thb", "rs", &[Role::Investigator]);
    assert!(matches!(w.veza.answer_assessment(&other, r1.id, &low).await, Err(AppError::Forbidden(_))));
    let coord = Caller::user("coord", "rs-thb", "rs", &[Role::ThbCoordinator]);
    let mut partial = low.clone();
    partial.remove(&q.items[0].key);
    assert!(matches!(w.veza.answer_assessment(&coord, r1.id, &partial).await, Err(AppError::Invalid { .. })));
    w.veza.answer_assessment(&coord, r1.id, &low).await.unwrap();
    assert!(w.veza.answer_assessment(&coord, r1.id, &low).await.is_err(), "answered once");

    let one = w.veza.country_assessment(&coord, "rs").await.unwrap();
    assert_eq!(one.round, 1);
    assert_eq!(one.areas.len(), 8);
    assert!(one.areas.iter().all(|a| a.score == 25.0 && a.gap == 50.0 && a.previous.is_none()));
    assert!(!one.plan.is_empty(), "low scores call for training");
    assert!(matches!(w.veza.country_assessment(&other, "rs").await, Err(AppError::Forbidden(_))));

    let r2 = w.veza.nominate_respondent(&admin(), "rs-thb", "coord").await.unwrap();
    assert_eq!(r2.round, 2);
    let high: BTreeMap<String, u8> = q.items.iter().map(|i| (i.key.clone(), 4)).collect();
    w.veza.answer_assessment(&coord, r2.id, &high).await.unwrap();
    let two = w.veza.country_assessment(&coord, "RS").await.unwrap();
    assert_eq!(two.round, 2);
    assert!(two.areas.iter().all(|a| a.score == 100.0 && a.previous == Some(25.0) && a.gap == 0.0));
    assert!(two.plan.is_empty(), "nothing left to train");
    let svg = veza_app::gap_chart_svg(&two, &BTreeMap::new(), "Serbia").unwrap();
    assert!(svg.contains("<svg") && svg.contains("Serbia"));
}

#[tokio::test]
async fn the_demo_has_the_programmes_learners_and_an_assessment_per_country() {
    let w = world().await;
    w.veza.load_demo().await.unwrap();
    let courses = w.veza.academy_courses(&learner("learner.ba"), None).await.unwrap();
    let kinds: BTreeSet<&str> = courses.iter().map(|c| c.kind.code()).collect();
    assert_eq!(courses.len(), 4);
    assert_eq!(kinds, ["course", "spoc", "ttt"].into());
    assert!(!w.veza.my_attempts(&learner("learner.ba"), None).await.unwrap().is_empty());
    let system = Caller::system("test");
    for c in ["al", "ba", "hr", "me", "mk", "rs", "xk"] {
        let a = w.veza.country_assessment(&system, c).await.unwrap();
        assert_eq!(a.round, 1, "{c}");
    }
    let coord = Caller::user("coordinator.rs", "rs-thb", "rs", &[Role::ThbCoordinator]);
    let open = w.veza.my_assessments(&coord).await.unwrap();
    assert!(open.iter().any(|r| !r.submitted && r.round == 2));
    // Practice: the learner's screening finds the exercise notice.
    let ana = Caller::user("learner.ba", "ba-pa", "ba", &[Role::Learner]);
    let o = w.veza.practise(&ana, "policing-capabilities", "pc-m2-l1", "Dragan Vukotic").await.unwrap();
    assert!(o.passed, "{o:?}");
    let o = w.veza.practise(&ana, "policing-capabilities", "pc-m2-l2", "MK 4471093").await.unwrap();
    assert!(o.passed, "{o:?}");
    let o = w.veza.practise(&ana, "policing-capabilities", "pc-m2-l1", "Somebody Else").await.unwrap();
    assert!(!o.passed);
    assert_eq!(w.veza.my_exercise_results(&ana, "policing-capabilities").await.unwrap().len(), 3);
}
