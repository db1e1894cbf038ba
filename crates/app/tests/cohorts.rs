//! Cohorts through the use cases: a trainer runs a cohort, invites, a
//! learner accepts, learns, is tested, and earns a certificate whose code
//! verifies publicly; learners see only their own results, trainers their
//! cohorts, academy administrators everything; and every read or change of
//! a learner's data is in the audit log.

use veza_app::{
    Access, AppError, AuditEntry, Caller, CohortDraft, HashCost, IdentityConfig, NationalCourseDraft, Purpose,
    QuizResult, Role, Stage, Trainee, Veza, learner_ref,
};
use veza_store::Agency;

async fn platform() -> Veza {
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    let agency = Agency { code: "rs-bp".into(), name: "rs-bp".into(), country: "rs".into(), kind: "police".into() };
    veza.store().put_agency(&agency).await.unwrap();
    for name in ["tina", "lena", "mara"] {
        veza.add_user(name, &format!("{name} name"), "rs-bp", &[Role::Learner], "correct horse battery").await.unwrap();
    }
    veza
}

fn user(name: &str, roles: &[Role]) -> Access {
    Access::new(Caller::user(name, "rs-bp", "rs", roles), None)
}

fn with_purpose(a: Access) -> Access {
    Access::new(a.caller, Some(Purpose::parse("academy cohort review").unwrap()))
}

async fn log(veza: &Veza) -> Vec<AuditEntry> {
    veza.store().entries(i64::MIN, 10_000).await.unwrap()
}

fn about(entries: &[AuditEntry], learner: &str) -> usize {
    entries.iter().filter(|e| e.entity_ids.contains(&learner_ref(learner))).count()
}

fn draft(kind: &str) -> CohortDraft {
    let today = chrono::Utc::now().date_naive();
    let later = today + chrono::Days::new(30);
    CohortDraft {
        course_id: "spoc-thb".into(),
        course_title: "Countering Human Trafficking".into(),
        course_kind: kind.into(),
        title: "Cohort A".into(),
        capacity: "2".into(),
        starts_on: today.to_string(),
        ends_on: later.to_string(),
        schedule: format!("{today} m1 Law\n{today} m2 Victims\n{later} m3 Later"),
        ..CohortDraft::default()
    }
}

#[tokio::test]
async fn a_learner_completes_a_cohort_and_the_certificate_verifies() {
    let veza = platform().await;
    let trainer = user("tina", &[Role::Trainer]);
    let lena = user("lena", &[Role::Learner]);
    let mara = user("mara", &[Role::Learner]);

    // A learner cannot create a cohort; the trainer can, for themselves.
    assert!(veza.create_cohort(&lena, &draft("spoc")).await.is_err());
    let mut bad = draft("spoc");
    bad.capacity = "none".into();
    bad.ends_on = "2000-01-01".into();
    let problems = veza.create_cohort(&trainer, &bad).await.unwrap_err();
    assert!(problems.iter().any(|p| p.field == "capacity") && problems.iter().any(|p| p.field == "ends_on"));
    let id = veza.create_cohort(&trainer, &draft("spoc")).await.unwrap();

    // Invitation: only the addressee may accept, once.
    let code = veza.invite_to_cohort(&with_purpose(trainer.clone()), id, "lena").await.unwrap();
    assert!(matches!(veza.invite_to_cohort(&lena, id, "mara").await, Err(AppError::NotFound(_))), "not enrolled");
    assert!(matches!(veza.accept_invitation(&mara, &code).await, Err(AppError::NotFound(_))));
    assert_eq!(veza.accept_invitation(&lena, &code).await.unwrap(), id);
    assert!(veza.accept_invitation(&lena, &code).await.is_err());

    // A module not yet open stays closed to the learner; an open one counts.
    assert!(matches!(veza.cohort_module(&lena, id, "m3").await, Err(AppError::Forbidden(_))));
    veza.cohort_module(&lena, id, "m1").await.unwrap();
    veza.post_to_module(&lena, id, "m1", "<script>alert(1)</script>").await.unwrap();

    // Not complete: the schedule has a module still closed.
    assert!(matches!(veza.claim_certificate(&lena, id).await, Err(AppError::Conflict(_))));
    let (_, missing) = veza.my_completion(&lena, id).await.unwrap();
    assert_eq!(missing.len(), 1);

    // Tests: pre and post, recorded for the learner themselves only.
    for (stage, score) in [(Stage::Pre, 35.0), (Stage::Post, 85.0)] {
        let r = QuizResult {
            learner: "lena".into(),
            course_id: "spoc-thb".into(),
            quiz_id: stage.code().into(),
            stage,
            score,
            passed: true,
            taken_at: 1,
        };
        assert!(veza.record_quiz_result(&mara, r.clone()).await.is_err(), "not mara's result");
        veza.record_quiz_result(&lena, r).await.unwrap();
    }

    // The administrator relaxes the rule to the open modules' course… by
    // requiring no module views but a post-test of 80 and a sign-off.
    let admin = with_purpose(Access::new(Caller::system("test"), None));
    let rule = veza_app::CompletionRule {
        course_id: "spoc-thb".into(),
        all_modules_viewed: false,
        quizzes_passed: 1,
        min_score: 80.0,
        sign_off: true,
    };
    assert!(veza.set_completion_rule(&trainer, rule.clone()).await.is_err(), "trainers do not set rules");
    veza.set_completion_rule(&admin, rule).await.unwrap();
    assert!(veza.claim_certificate(&lena, id).await.is_err(), "no sign-off yet");
    assert!(matches!(veza.sign_off_learner(&trainer, id, "lena").await, Err(AppError::PurposeRequired)));
    veza.sign_off_learner(&with_purpose(trainer.clone()), id, "lena").await.unwrap();
    let cert = veza.claim_certificate(&lena, id).await.unwrap();
    assert_eq!(veza.claim_certificate(&lena, id).await.unwrap().code, cert.code, "one certificate");

    // Public verification: name, course, date; a typo or unknown code: nothing.
    let found = veza.verify_certificate(&cert.code.to_lowercase()).await.unwrap().unwrap();
    assert_eq!((found.name.as_str(), found.course.as_str()), ("lena name", "Countering Human Trafficking"));
    assert!(veza.verify_certificate("AAAA-BBBB-CCCC").await.unwrap().is_none());
    assert!(matches!(veza.certificate(&mara, &cert.code).await, Err(AppError::NotFound(_))), "not hers");
    let pdf =
        Veza::certificate_pdf(&veza.certificate(&lena, &cert.code).await.unwrap(), "/certificates/verify/x").unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    // Who sees what: the learner their own row; the trainer (with a purpose) all.
    let mine = veza.cohort_view(&lena, id).await.unwrap();
    assert_eq!(mine.progress.len(), 1);
    assert!(!mine.manages && mine.invitations.is_empty());
    assert!(matches!(veza.cohort_view(&mara, id).await, Err(AppError::NotFound(_))));
    assert!(matches!(veza.cohort_view(&trainer, id).await, Err(AppError::PurposeRequired)));
    let all = veza.cohort_view(&with_purpose(trainer.clone()), id).await.unwrap();
    assert!(all.manages && all.progress[0].best_post == Some(85.0));

    // The audit: lena's own reads ("own record"), the trainer's with a purpose.
    let entries = log(&veza).await;
    assert!(about(&entries, "lena") >= 8, "every read and change of lena's data");
    assert!(entries.iter().any(|e| e.actor == "lena" && e.purpose == "own record"));
    assert!(entries.iter().any(|e| e.actor == "tina" && e.purpose == "academy cohort review"));
}

#[tokio::test]
async fn a_ttt_graduate_records_a_national_course_and_the_cascade_grows() {
    let veza = platform().await;
    let trainer = user("tina", &[Role::Trainer]);
    let lena = user("lena", &[Role::Learner]);
    let id = veza.create_cohort(&trainer, &draft("ttt")).await.unwrap();
    let code = veza.invite_to_cohort(&with_purpose(trainer.clone()), id, "lena").await.unwrap();
    veza.accept_invitation(&lena, &code).await.unwrap();
    let admin = with_purpose(Access::new(Caller::system("test"), None));
    let rule = veza_app::CompletionRule {
        course_id: "spoc-thb".into(),
        all_modules_viewed: false,
        quizzes_passed: 0,
        min_score: 0.0,
        sign_off: false,
    };
    veza.set_completion_rule(&admin, rule).await.unwrap();

    let course = NationalCourseDraft {
        title: "THB at the border".into(),
        country: "rs".into(),
        place: "Subotica".into(),
        hotspot_area: "north".into(),
        starts_on: "2030-01-10".into(),
        ends_on: "2030-01-12".into(),
        target_group: "border police".into(),
        ..NationalCourseDraft::default()
    };
    // Not yet a trainer: refused.
    let problems = veza.record_national_course(&lena, &course).await.unwrap_err();
    assert!(problems.iter().any(|p| p.field == "trainer"));
    veza.claim_certificate(&lena, id).await.unwrap();
    let lena_trainer = with_purpose(user("lena", &[Role::Learner]));
    let nc = veza.record_national_course(&lena_trainer, &course).await.unwrap();
    let before = veza.cascade(&lena_trainer).await.unwrap();
    assert_eq!(before.roots.len(), 1);
    assert_eq!(before.reach.iter().map(|r| r.trainees).sum::<usize>(), 0);
    let trainee = Trainee {
        id: 0,
        national_course_id: 0,
        name: "Pera Perić".into(),
        username: None,
        gender: "male".into(),
        agency: "rs-bp".into(),
        role: "border police".into(),
        attended: true,
        pre_score: Some(30.0),
        post_score: Some(70.0),
        passed: true,
    };
    assert!(veza.add_trainee(&with_purpose(user("mara", &[Role::Trainer])), nc, trainee.clone()).await.is_err());
    veza.add_trainee(&lena_trainer, nc, trainee).await.unwrap();
    let after = veza.cascade(&lena_trainer).await.unwrap();
    assert_eq!(after.roots[0].courses[0].trainees.len(), 1);
    assert_eq!(after.reach[0].country, "rs");
    assert_eq!((after.reach[0].trainees, after.reach[0].passed), (1, 1));
    assert!(veza.cascade(&with_purpose(user("mara", &[Role::Learner]))).await.is_err(), "not for learners");

    // The report: counts by dimension, exported.
    assert!(veza.academy_report(&lena_trainer).await.is_err(), "reports are for administrators");
    let report = veza.academy_report(&admin).await.unwrap();
    assert_eq!(report.by_channel.iter().map(|t| t.participants).sum::<i64>(), 2, "lena and the trainee");
    assert!(report.to_xlsx().unwrap().starts_with(b"PK"));
    assert!(report.to_pdf().unwrap().starts_with(b"%PDF"));
}
