//! The academy's results through the use cases: reading a lesson counts its
//! module in the learner's cohort; the knowledge gain each caller may see
//! (administrator all, trainer their cohorts, learner only themselves); the
//! grading queue limited to a trainer's courses and cohorts; and the
//! follow-up survey offered months after completion, answered once, and
//! counted in the reports without quoting free text.

use std::collections::BTreeMap;
use veza_app::{Access, AppError, Caller, Certificate, CohortDraft, HashCost, IdentityConfig, Purpose, Role, Veza};
use veza_model::academy::{Answer, QuestionKind};
use veza_store::Agency;

const COURSE: &str = "gender-transnational-crime";

fn access(name: &str, roles: &[Role]) -> Access {
    Access::new(Caller::user(name, "rs-bp", "rs", roles), None)
}

fn with_purpose(a: &Access) -> Access {
    Access::new(a.caller.clone(), Some(Purpose::parse("academy results review").unwrap()))
}

fn admin() -> Access {
    with_purpose(&access("academy", &[Role::AcademyAdministrator]))
}

fn right(kind: &QuestionKind) -> Option<Answer> {
    match kind {
        QuestionKind::Single { correct, .. } => Some(Answer::Choice(*correct)),
        QuestionKind::Multiple { correct, .. } => Some(Answer::Choices(correct.clone())),
        QuestionKind::TrueFalse { correct } => Some(Answer::Bool(*correct)),
        QuestionKind::ShortAnswer { .. } => Some(Answer::Text("an interviewer of the preferred gender".into())),
        _ => None,
    }
}

/// Takes a quiz: every answer right (`right`), or none given.
async fn take(veza: &Veza, who: &Access, quiz: &str, answer_right: bool) -> veza_app::AttemptView {
    let attempt = veza.start_attempt(&who.caller, COURSE, quiz).await.unwrap();
    let view = veza.attempt_view(&who.caller, attempt.id).await.unwrap();
    let answers: BTreeMap<String, Answer> = if answer_right {
        view.questions.iter().filter_map(|q| right(&q.kind).map(|a| (q.key.clone(), a))).collect()
    } else {
        BTreeMap::new()
    };
    veza.submit_attempt(&who.caller, attempt.id, answers).await.unwrap()
}

async fn world() -> (Veza, i64) {
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    let agency = Agency { code: "rs-bp".into(), name: "rs-bp".into(), country: "rs".into(), kind: "police".into() };
    veza.store().put_agency(&agency).await.unwrap();
    for name in ["tina", "lena", "mara"] {
        veza.add_user(name, &format!("{name} name"), "rs-bp", &[Role::Learner], "correct horse battery").await.unwrap();
    }
    veza.install_programmes(&admin().caller).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let draft = CohortDraft {
        course_id: COURSE.into(),
        title: "Gender cohort".into(),
        capacity: "5".into(),
        starts_on: (today - chrono::Days::new(14)).to_string(),
        ends_on: (today + chrono::Days::new(14)).to_string(),
        ..CohortDraft::default()
    };
    let tina = access("tina", &[Role::Trainer]);
    let id = veza.create_cohort(&tina, &draft).await.unwrap();
    let code = veza.invite_to_cohort(&with_purpose(&tina), id, "lena").await.unwrap();
    veza.accept_invitation(&access("lena", &[Role::Learner]), &code).await.unwrap();
    (veza, id)
}

#[tokio::test]
async fn a_lesson_read_counts_its_module_in_the_learners_cohort() {
    let (veza, id) = world().await;
    let lena = access("lena", &[Role::Learner]);
    let before = veza.cohort_view(&lena, id).await.unwrap().progress[0].modules_viewed;
    assert_eq!(before, 0);
    veza.open_lesson(&lena.caller, COURSE, "gt-m1-l1").await.unwrap();
    veza.open_lesson(&lena.caller, COURSE, "gt-m1-l2").await.unwrap();
    let p = &veza.cohort_view(&lena, id).await.unwrap().progress[0];
    assert_eq!((p.modules_viewed, p.viewed.clone()), (1, vec!["gt-m1".to_owned()]), "one module, counted once");
    // A learner outside the cohort reads the lesson: no cohort of theirs changes.
    veza.open_lesson(&access("mara", &[Role::Learner]).caller, COURSE, "gt-m2-l1").await.unwrap();
    let tina = with_purpose(&access("tina", &[Role::Trainer]));
    let rows = veza.cohort_view(&tina, id).await.unwrap().progress;
    assert_eq!(rows.iter().map(|p| p.enrolment.learner.as_str()).collect::<Vec<_>>(), ["lena"]);
}

#[tokio::test]
async fn each_caller_sees_the_gain_of_the_learners_they_may() {
    let (veza, _) = world().await;
    let lena = access("lena", &[Role::Learner]);
    let mara = access("mara", &[Role::Learner]);
    for who in [&lena, &mara] {
        take(&veza, who, "gt-pre", false).await;
        take(&veza, who, "gt-post", true).await;
    }
    let all = veza.course_gain(&admin(), COURSE).await.unwrap();
    assert_eq!(all.rows.iter().map(|r| r.learner.as_str()).collect::<Vec<_>>(), ["lena", "mara"]);
    assert_eq!((all.overall.mean_pre, all.overall.mean_post, all.overall.normalised_gain), (0.0, 100.0, Some(1.0)));
    assert_eq!(all.by_country.len(), 1);
    let tina = with_purpose(&access("tina", &[Role::Trainer]));
    let trainer = veza.course_gain(&tina, COURSE).await.unwrap();
    assert_eq!(trainer.rows.iter().map(|r| r.learner.as_str()).collect::<Vec<_>>(), ["lena"], "own cohort only");
    let own = veza.course_gain(&mara, COURSE).await.unwrap();
    assert_eq!(own.rows.iter().map(|r| r.learner.as_str()).collect::<Vec<_>>(), ["mara"], "only herself");
    // A trainer reading learners' results states why.
    let no_purpose = access("tina", &[Role::Trainer]);
    assert!(matches!(veza.course_gain(&no_purpose, COURSE).await, Err(AppError::PurposeRequired)));
    assert!(matches!(veza.course_gain(&admin(), "nope").await, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn the_grading_queue_holds_the_trainers_cohorts_only() {
    let (veza, _) = world().await;
    let lena = access("lena", &[Role::Learner]);
    let mara = access("mara", &[Role::Learner]);
    let a = take(&veza, &lena, "gt-q2", true).await.attempt.id;
    let b = take(&veza, &mara, "gt-q2", true).await.attempt.id;
    let ids = |q: Vec<veza_app::WaitingAttempt>| q.into_iter().map(|w| w.attempt.id).collect::<Vec<_>>();
    let tina = access("tina", &[Role::Trainer]);
    assert_eq!(ids(veza.my_grading_queue(&tina).await.unwrap()), [a], "mara is in no cohort of tina's");
    assert_eq!(ids(veza.my_grading_queue(&admin()).await.unwrap()), [a, b]);
    assert!(matches!(veza.my_grading_queue(&lena).await, Err(AppError::Forbidden(_))));
    let first = &veza.my_grading_queue(&tina).await.unwrap()[0];
    assert_eq!(
        (first.course_title.as_str(), first.quiz_title.as_str()),
        ("Gender and Transnational Crime", "Module 2: Victim handling")
    );
}

#[tokio::test]
async fn the_follow_up_comes_months_after_completion_and_is_counted_not_quoted() {
    let (veza, id) = world().await;
    let lena = access("lena", &[Role::Learner]);
    let mara = access("mara", &[Role::Learner]);
    let today = chrono::Utc::now().date_naive();
    for (who, days) in [("lena", 100), ("mara", 10)] {
        let on = today - chrono::Days::new(days);
        veza.store()
            .issue_certificate(&Certificate {
                code: veza_app::new_verification_code().unwrap(),
                learner: who.into(),
                holder_name: format!("{who} name"),
                course_id: COURSE.into(),
                course_title: "Gender and Transnational Crime".into(),
                cohort_id: Some(id),
                issued_on: on.to_string(),
                issued_at: 0,
            })
            .await
            .unwrap();
    }
    let due = veza.follow_ups_due(&lena).await.unwrap();
    assert_eq!(due.iter().map(|d| d.quiz_key.as_str()).collect::<Vec<_>>(), ["gt-follow-up"]);
    assert!(veza.follow_ups_due(&mara).await.unwrap().is_empty(), "ten days is too early");

    let attempt = veza.start_attempt(&lena.caller, COURSE, "gt-follow-up").await.unwrap();
    let answers: BTreeMap<String, Answer> = [
        ("gt-f1".to_owned(), Answer::Rating(4)),
        ("gt-f2".to_owned(), Answer::Choice(2)),
        ("gt-f3".to_owned(), Answer::Text("a named colleague helped".into())),
    ]
    .into();
    let done = veza.submit_attempt(&lena.caller, attempt.id, answers).await.unwrap();
    assert_eq!(done.attempt.score, None, "a survey is not scored");
    assert!(veza.follow_ups_due(&lena).await.unwrap().is_empty(), "answered once");

    let report = veza.academy_report(&admin()).await.unwrap();
    assert_eq!((report.surveys.follow_up_respondents, report.surveys.reaction_respondents), (1, 0));
    let item = |key: &str| report.surveys.items.iter().find(|i| i.prompt.contains(key)).unwrap().clone();
    let rating = item("gender-sensitive practice");
    assert_eq!((rating.purpose.as_str(), rating.answers, rating.mean), ("follow_up", 1, Some(4.0)));
    assert_eq!(item("presumed victim").counts[2], ("Monthly".to_owned(), 1));
    let text = serde_json::to_string(&report.surveys).unwrap();
    assert!(!text.contains("named colleague"), "free text is never in the report");
    let xlsx = report.to_xlsx().unwrap();
    assert_eq!(&xlsx[..2], b"PK");
}
