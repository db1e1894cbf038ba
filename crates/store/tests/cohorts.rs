//! Cohorts, certificates and the cascade on every back end: capacity holds,
//! an invitation is accepted once, one certificate per learner and course,
//! results come from both tables, and the report figures are counts.

use std::sync::Arc;
use veza_store::Store;
use veza_store::cohorts::*;

mod backends;

fn cohort(capacity: i64) -> NewCohort {
    NewCohort {
        course_id: "spoc-thb".into(),
        course_title: "Countering Human Trafficking".into(),
        course_kind: "spoc".into(),
        title: "Spring cohort".into(),
        facilitator: "trainer.t".into(),
        capacity,
        starts_on: "2026-03-01".into(),
        ends_on: "2026-04-30".into(),
        modules: vec![
            ScheduledModule { module_id: "m1".into(), title: "Law".into(), opens_on: "2026-03-01".into() },
            ScheduledModule { module_id: "m2".into(), title: "Victims".into(), opens_on: "2026-03-08".into() },
        ],
        created_by: "admin".into(),
    }
}

fn invitation(code: &str, cohort_id: i64, invitee: &str) -> Invitation {
    Invitation {
        code: code.into(),
        cohort_id,
        invitee: invitee.into(),
        invited_by: "trainer.t".into(),
        invited_at: 1,
        accepted_by: None,
    }
}

async fn cohorts_and_certificates(store: Arc<dyn Store>) {
    let id = store.create_cohort(&cohort(1), 10).await.unwrap();
    let k = store.cohort(id).await.unwrap().unwrap();
    assert_eq!((k.capacity, k.enrolled, k.course_kind.as_str()), (1, 0, "spoc"));
    assert_eq!(
        store.cohort_modules(id).await.unwrap().iter().map(|m| m.module_id.as_str()).collect::<Vec<_>>(),
        ["m1", "m2"]
    );

    store.invite(&invitation("CODE-A", id, "ana")).await.unwrap();
    store.invite(&invitation("CODE-B", id, "boris")).await.unwrap();
    assert_eq!(store.open_invitations_for(&["ana".into()]).await.unwrap().len(), 1);
    assert_eq!(store.accept_invitation("CODE-A", "ana", 20).await.unwrap(), id);
    assert!(
        matches!(store.accept_invitation("CODE-A", "ana", 21).await, Err(veza_store::StoreError::Missing(_))),
        "an invitation is accepted once"
    );
    assert!(
        matches!(store.accept_invitation("CODE-B", "boris", 22).await, Err(veza_store::StoreError::Forbidden(_))),
        "the cohort is full"
    );
    assert!(store.invitation("CODE-B").await.unwrap().unwrap().accepted_by.is_none(), "the refusal changed nothing");
    assert_eq!(store.cohort(id).await.unwrap().unwrap().enrolled, 1);
    assert_eq!(store.cohorts(None, Some("ana")).await.unwrap().len(), 1);
    assert!(store.cohorts(None, Some("boris")).await.unwrap().is_empty());
    assert_eq!(store.cohorts(Some("trainer.t"), None).await.unwrap().len(), 1);

    store.mark_viewed(id, "ana", "m1", 30).await.unwrap();
    store.mark_viewed(id, "ana", "m1", 31).await.unwrap();
    assert_eq!(store.views(id).await.unwrap(), [("ana".to_owned(), "m1".to_owned())]);
    assert!(store.sign_off(id, "ana", "trainer.t", 40).await.unwrap());
    assert!(!store.sign_off(id, "boris", "trainer.t", 40).await.unwrap());
    assert_eq!(store.enrolment(id, "ana").await.unwrap().unwrap().signed_off_by.as_deref(), Some("trainer.t"));

    let post = store.add_post(id, "m1", "ana", "<b>hello</b>", 50).await.unwrap();
    let posts = store.posts(id, "m1").await.unwrap();
    assert_eq!((posts[0].id, posts[0].body.as_str()), (post, "<b>hello</b>"), "kept as typed");

    for (stage, score) in [(Stage::Pre, 40.0), (Stage::Post, 80.0), (Stage::Post, 90.0)] {
        let r = QuizResult {
            learner: "ana".into(),
            course_id: "spoc-thb".into(),
            quiz_id: stage.code().into(),
            stage,
            score,
            passed: score >= 50.0,
            taken_at: 60,
        };
        store.record_result(&r).await.unwrap();
    }
    assert_eq!(store.results("ana", "spoc-thb").await.unwrap().len(), 3);
    let gain = store.knowledge_gain().await.unwrap();
    assert_eq!(gain.len(), 1);
    assert_eq!((gain[0].learners, gain[0].mean_pre, gain[0].mean_post), (1, 40.0, 90.0), "best of each test");

    let rule = CompletionRule {
        course_id: "spoc-thb".into(),
        all_modules_viewed: true,
        quizzes_passed: 1,
        min_score: 70.0,
        sign_off: true,
    };
    store.set_completion_rule(&rule, "admin", 1).await.unwrap();
    assert_eq!(store.completion_rule("spoc-thb").await.unwrap(), Some(rule));

    let cert = Certificate {
        code: "AAAA-BBBB-CCCC".into(),
        learner: "ana".into(),
        holder_name: "Ana Anić".into(),
        course_id: "spoc-thb".into(),
        course_title: "Countering Human Trafficking".into(),
        cohort_id: Some(id),
        issued_on: "2026-04-30".into(),
        issued_at: 70,
    };
    assert_eq!(store.issue_certificate(&cert).await.unwrap(), cert);
    let again = Certificate { code: "DDDD-EEEE-FFFF".into(), ..cert.clone() };
    assert_eq!(store.issue_certificate(&again).await.unwrap().code, "AAAA-BBBB-CCCC", "one per learner and course");
    assert!(store.certificate("DDDD-EEEE-FFFF").await.unwrap().is_none());

    // The cascade: a trainer, a national course, two trainees.
    let trainer = Trainer {
        username: "ana".into(),
        certificate_code: cert.code.clone(),
        country: "rs".into(),
        certified_on: "2026-04-30".into(),
    };
    store.put_trainer(&trainer).await.unwrap();
    let course = NewNationalCourse {
        trainer: "ana".into(),
        country: "rs".into(),
        title: "THB basics".into(),
        place: "Subotica".into(),
        hotspot_area: "northern border".into(),
        starts_on: "2026-05-10".into(),
        ends_on: "2026-05-12".into(),
        target_group: "border police".into(),
    };
    let nc = store.add_national_course(&course, 80).await.unwrap();
    for (name, gender, attended, passed) in [("Pera", "male", true, true), ("Mira", "female", false, false)] {
        let t = Trainee {
            id: 0,
            national_course_id: nc,
            name: name.into(),
            username: None,
            gender: gender.into(),
            agency: "rs-bp".into(),
            role: "border police".into(),
            attended,
            pre_score: Some(30.0),
            post_score: None,
            passed,
        };
        store.add_trainee(&t).await.unwrap();
    }
    let stored = store.national_course(nc).await.unwrap().unwrap();
    assert_eq!((stored.trainees, stored.attended), (2, 1));
    assert_eq!(store.national_courses(Some("ana")).await.unwrap().len(), 1);
    assert!(store.national_courses(Some("boris")).await.unwrap().is_empty());
    assert_eq!(store.trainees(Some(nc)).await.unwrap().len(), 2);

    store
        .put_learner(&LearnerProfile {
            username: "ana".into(),
            display_name: "Ana Anić".into(),
            gender: "female".into(),
            agency: "rs-thb".into(),
            country: "rs".into(),
            role: "investigator".into(),
        })
        .await
        .unwrap();
    let cells = store.participation().await.unwrap();
    let cohort_cell = cells.iter().find(|c| c.channel == "cohort").unwrap();
    assert_eq!((cohort_cell.gender.as_str(), cohort_cell.participants, cohort_cell.completions), ("female", 1, 1));
    let national: i64 = cells.iter().filter(|c| c.channel == "national").map(|c| c.participants).sum();
    let passed: i64 = cells.iter().filter(|c| c.channel == "national").map(|c| c.completions).sum();
    assert_eq!((national, passed), (2, 1));
    let later = store.later_practice().await.unwrap();
    assert_eq!((later.trained_users, later.cases), (1, 0), "ana is trained and has joined no case");
}
on_every_backend!(cohorts, cohorts_and_certificates);
