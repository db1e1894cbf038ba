//! The academy's tables on every back end: courses and immutable versions,
//! images once per content, attempts submitted once and graded once, lesson
//! views counted once, and assessment rounds answered only by their
//! respondent, once.

use std::sync::Arc;
use veza_store::{AttemptResult, AttemptStatus, ExerciseResult, NewAttempt, NewImage, Store};

mod backends;

fn attempt(learner: &str, quiz: &str) -> NewAttempt {
    NewAttempt {
        course_id: "pc".into(),
        version: 1,
        quiz_key: quiz.into(),
        purpose: "pre_test".into(),
        learner: learner.into(),
        learner_agency: "ba-pa".into(),
        learner_country: "ba".into(),
        questions: r#"["q1","q2"]"#.into(),
        max_score: 2.0,
        started_at: 100,
        deadline_at: Some(1_000),
    }
}

async fn courses_and_versions(store: Arc<dyn Store>) {
    assert!(store.create_course("pc", "course", r#"{"title":"Draft"}"#, "admin", 1).await.unwrap());
    assert!(!store.create_course("pc", "spoc", "{}", "other", 2).await.unwrap(), "an id is taken once");
    assert!(store.save_draft("pc", r#"{"title":"Draft 2"}"#, "trainer", 3).await.unwrap());
    assert!(!store.save_draft("nope", "{}", "trainer", 3).await.unwrap());
    let c = store.course("pc").await.unwrap().unwrap();
    assert_eq!(
        (c.kind.as_str(), c.draft.as_str(), c.changed_by.as_str()),
        ("course", r#"{"title":"Draft 2"}"#, "trainer")
    );
    assert_eq!(c.created_by, "admin");

    let langs = vec!["en".to_owned(), "sr-Latn".to_owned()];
    assert_eq!(store.publish_version("pc", "V1", &langs, "{\"v\":1}", "admin", 4).await.unwrap(), 1);
    assert_eq!(store.publish_version("pc", "V2", &langs[..1], "{\"v\":2}", "admin", 5).await.unwrap(), 2);
    assert!(store.publish_version("nope", "X", &langs, "{}", "admin", 5).await.is_err());
    let v1 = store.course_version("pc", 1).await.unwrap().unwrap();
    assert_eq!((v1.title.as_str(), v1.languages.clone(), v1.outline.as_str()), ("V1", langs.clone(), "{\"v\":1}"));
    let latest = store.latest_versions().await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].version, 2);
    assert_eq!(store.course_versions("pc").await.unwrap().iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(store.courses().await.unwrap().len(), 1);

    let img = NewImage {
        sha256: "ab".repeat(32),
        media_type: "image/png".into(),
        content: vec![0x89, b'P', b'N', b'G'],
        uploaded_by: "trainer".into(),
    };
    let id = store.put_image(&img, 6).await.unwrap();
    assert_eq!(store.put_image(&img, 7).await.unwrap(), id, "the same bytes are kept once");
    let back = store.image(id).await.unwrap().unwrap();
    assert_eq!((back.media_type.as_str(), back.content.clone()), ("image/png", img.content.clone()));
    assert!(store.image(id + 100).await.unwrap().is_none());
}
on_every_backend!(courses_and_versions_on_every_backend, courses_and_versions);

async fn attempts(store: Arc<dyn Store>) {
    store.create_course("pc", "course", "{}", "admin", 1).await.unwrap();
    store.publish_version("pc", "V1", &["en".to_owned()], "{}", "admin", 2).await.unwrap();
    let a = store.start_attempt(&attempt("ana", "pre")).await.unwrap();
    let b = store.start_attempt(&attempt("boris", "pre")).await.unwrap();
    store.start_attempt(&attempt("ana", "post")).await.unwrap();
    assert_eq!(store.count_attempts("ana", "pc", "pre").await.unwrap(), 1);
    assert_eq!(store.learner_attempts("ana", None).await.unwrap().len(), 2);
    assert_eq!(store.learner_attempts("ana", Some("other")).await.unwrap().len(), 0);
    assert_eq!(store.quiz_attempts("pc", Some("pre")).await.unwrap().len(), 2);

    let pending = AttemptResult {
        answers: r#"{"q1":1}"#.into(),
        marks: r#"{"q1":1.0}"#.into(),
        score: None,
        passed: None,
        status: AttemptStatus::Pending,
    };
    assert!(store.submit_attempt(a, &pending, 500).await.unwrap());
    assert!(!store.submit_attempt(a, &pending, 600).await.unwrap(), "submitted once");
    let graded =
        AttemptResult { score: Some(1.5), passed: Some(true), status: AttemptStatus::Graded, ..pending.clone() };
    assert!(store.submit_attempt(b, &graded, 700).await.unwrap());
    let queue = store.grading_queue(None).await.unwrap();
    assert_eq!(queue.iter().map(|x| x.id).collect::<Vec<_>>(), [a]);
    assert!(store.grading_queue(Some("other")).await.unwrap().is_empty());
    assert!(!store.grade_attempt(b, &graded, "trainer", 800).await.unwrap(), "only pending attempts are graded");
    assert!(store.grade_attempt(a, &graded, "trainer", 800).await.unwrap());
    let back = store.attempt(a).await.unwrap().unwrap();
    assert_eq!(back.status, AttemptStatus::Graded);
    assert_eq!((back.score, back.passed, back.graded_by.as_deref()), (Some(1.5), Some(true), Some("trainer")));
    assert_eq!((back.submitted_at, back.deadline_at), (Some(500), Some(1_000)));
    assert_eq!(back.answers, r#"{"q1":1}"#);

    store.record_lesson_view("ana", "pc", "l1", 1, 10).await.unwrap();
    store.record_lesson_view("ana", "pc", "l1", 1, 20).await.unwrap();
    let views = store.lesson_views("ana", "pc").await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].viewed_at, 10, "the first view counts");
    let ex = ExerciseResult {
        id: 0,
        learner: "ana".into(),
        course_id: "pc".into(),
        lesson_key: "l1".into(),
        exercise_key: "screen_name".into(),
        passed: true,
        detail: "found notice-1".into(),
        recorded_at: 30,
    };
    store.record_exercise(&ex).await.unwrap();
    let got = store.exercise_results("ana", "pc").await.unwrap();
    assert_eq!(got.len(), 1);
    assert!(got[0].passed);
    assert!(store.exercise_results("boris", "pc").await.unwrap().is_empty());
}
on_every_backend!(attempts_on_every_backend, attempts);

async fn assessments(store: Arc<dyn Store>) {
    let id = store.nominate_respondent("rs", "rs-thb", 1, "coordinator.rs", "admin", 1).await.unwrap().unwrap();
    assert!(store.nominate_respondent("rs", "rs-thb", 1, "someone", "admin", 2).await.unwrap().is_none());
    store.nominate_respondent("rs", "rs-bp", 1, "border.rs", "admin", 2).await.unwrap().unwrap();
    store.nominate_respondent("al", "al-thb", 1, "investigator.al", "admin", 2).await.unwrap().unwrap();
    assert!(!store.submit_assessment(id, "border.rs", "{}", "{}", 3).await.unwrap(), "only the respondent answers");
    assert!(
        store.submit_assessment(id, "coordinator.rs", r#"{"lf1":3}"#, r#"{"legal_framework":75.0}"#, 3).await.unwrap()
    );
    assert!(!store.submit_assessment(id, "coordinator.rs", "{}", "{}", 4).await.unwrap(), "answered once");
    let a = store.assessment(id).await.unwrap().unwrap();
    assert!(a.submitted);
    assert_eq!((a.scores.as_str(), a.submitted_at), (r#"{"legal_framework":75.0}"#, Some(3)));
    assert_eq!(store.assessments(Some("rs")).await.unwrap().len(), 2);
    assert_eq!(store.assessments(None).await.unwrap().len(), 3);
    assert_eq!(store.assessments_of_respondent("border.rs").await.unwrap().len(), 1);
}
on_every_backend!(assessments_on_every_backend, assessments);
