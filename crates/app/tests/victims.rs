//! Possible victims through the use cases: an interview records a person, a
//! Victim record and an IndicatorAssessment with the reasoned advice; the
//! records stay in the victim compartment (victim support and the country's
//! THB coordinator see them, an investigator of another agency does not); a
//! referral records consent and passes personal data only with it; every
//! step is audited.

use veza_app::veza_indicators::{AgeGroup, Answers};
use veza_app::{
    Access, AppError, AuditAction, Caller, HandlingRequest, HashCost, IdentityConfig, Interview, Lookup, NewReferral,
    Role, Veza,
};
use veza_store::Agency;

async fn platform() -> Veza {
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    for (code, country) in [("rs-vs", "rs"), ("rs-thb", "rs"), ("rs-bp", "rs"), ("al-thb", "al")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza
}

fn as_user(name: &str, agency: &str, country: &str, role: Role) -> Access {
    Access::with_purpose(Caller::user(name, agency, country, &[role]), "NRM identification").unwrap()
}

fn interview() -> Interview {
    Interview {
        name: "Ana Test".into(),
        birth_date: "2001-04-03".into(),
        gender: "female".into(),
        nationality: "md".into(),
        age_years: "24".into(),
        check: Some("ops.check-1".into()),
        operation: Some("ops.operation-1".into()),
        handling: HandlingRequest {
            officer_gender: "female".into(),
            interpreter: true,
            language: "ron".into(),
            support_worker: true,
        },
        answers: Answers::observed(
            AgeGroup::Unknown,
            ["dr-nature-of-work", "dr-conditions", "ec-excessive-hours", "ec-no-pay", "cd-documents", "cd-threats"],
        ),
        decision: "possible_victim".into(),
        exploitation: vec!["forced_labour".into()],
        ..Interview::default()
    }
}

#[tokio::test]
async fn an_interview_records_the_victim_in_its_compartment_with_the_reasoned_advice() {
    let veza = platform().await;
    let officer = as_user("vesna", "rs-vs", "rs", Role::VictimSupport);
    let recorded = veza.record_interview(&officer, interview()).await.unwrap();
    assert!(recorded.visible);
    let file = veza.victim_file(&officer, &recorded.victim_id).await.unwrap();
    let v = &file.victim;
    assert_eq!(v.first("traffickingStatus"), Some("possible_victim"));
    assert_eq!(v.first("ageCategory"), Some("adult"), "the stated age decides the age group");
    assert_eq!(v.first("operation"), Some("ops.operation-1"));
    assert_eq!(v.first("interviewerGenderPreference"), Some("female"));
    assert_eq!(v.first("supportWorkerRequested"), Some("yes"));
    let (stored, assessment) = file.assessment.expect("the assessment");
    assert_eq!(stored.first("result"), Some("possible_victim"));
    assert_eq!(stored.values("indicator").len(), 6);
    assert!(stored.first("notes").unwrap().contains("officer decides"), "the reasoning is kept");
    assert!(matches!(assessment.advice, veza_app::veza_indicators::Advice::Indications { .. }));

    // Who else sees it: the country's THB coordinator yes; an investigator of
    // another agency of the same country, a border officer, another country: no.
    let sees = |a: Access| {
        let veza = veza.clone();
        let id = recorded.victim_id.clone();
        async move { matches!(veza.store().entity(&a.caller, &id).await.unwrap(), Lookup::Found(_)) }
    };
    assert!(sees(as_user("coord", "rs-thb", "rs", Role::ThbCoordinator)).await);
    assert!(!sees(as_user("ivan", "rs-thb", "rs", Role::Investigator)).await, "an investigator of another agency");
    assert!(!sees(as_user("bora", "rs-bp", "rs", Role::BorderOfficer)).await);
    assert!(!sees(as_user("arben", "al-thb", "al", Role::Investigator)).await);
    let investigator = as_user("ivan", "rs-thb", "rs", Role::Investigator);
    assert!(matches!(veza.victim_file(&investigator, &recorded.victim_id).await, Err(AppError::NotFound(_))));
    assert!(veza.victims(&investigator).await.unwrap().is_empty());
    assert_eq!(veza.victims(&officer).await.unwrap().len(), 1);

    let log = veza.store().entries(i64::MIN, 1000).await.unwrap();
    assert!(log.iter().any(|e| e.action == AuditAction::Collect && e.entity_ids.contains(&recorded.victim_id)));
}

#[tokio::test]
async fn a_border_officer_may_record_an_interview_but_the_compartment_then_closes_it_to_them() {
    let veza = platform().await;
    let border = as_user("bora", "rs-bp", "rs", Role::BorderOfficer);
    let recorded = veza.record_interview(&border, interview()).await.unwrap();
    assert!(!recorded.visible);
    let support = as_user("vesna", "rs-vs", "rs", Role::VictimSupport);
    assert!(veza.victim_file(&support, &recorded.victim_id).await.is_ok(), "victim support of the country takes over");
}

#[tokio::test]
async fn the_decision_and_the_interviewer_request_are_required() {
    let veza = platform().await;
    let officer = as_user("vesna", "rs-vs", "rs", Role::VictimSupport);
    let no_decision = Interview { decision: String::new(), ..interview() };
    assert!(matches!(
        veza.record_interview(&officer, no_decision).await,
        Err(AppError::Invalid { field: Some(f), .. }) if f == "decision"
    ));
    let mut no_request = interview();
    no_request.handling.officer_gender = String::new();
    assert!(matches!(
        veza.record_interview(&officer, no_request).await,
        Err(AppError::Invalid { field: Some(f), .. }) if f == "officer_gender"
    ));
    let bad_age = Interview { age_years: "old".into(), ..interview() };
    assert!(matches!(
        veza.record_interview(&officer, bad_age).await,
        Err(AppError::Invalid { field: Some(f), .. }) if f == "age_years"
    ));
}

#[tokio::test]
async fn a_referral_passes_personal_data_only_with_consent_and_its_status_is_followed() {
    let veza = platform().await;
    let officer = as_user("vesna", "rs-vs", "rs", Role::VictimSupport);
    let v = veza.record_interview(&officer, interview()).await.unwrap().victim_id;
    let without = NewReferral {
        service_type: "shelter".into(),
        to_service: "Safe House Belgrade".into(),
        country: "rs".into(),
        ..NewReferral::default()
    };
    let r1 = veza.refer_victim(&officer, &v, without.clone()).await.unwrap();
    let sheet = veza.referral_sheet(&officer, &r1).await.unwrap();
    assert!(sheet.person.is_none(), "no consent, no personal data");
    assert!(sheet.victim_code.starts_with("RS-V-"));
    assert!(sheet.needs.interpreter && sheet.needs.support_worker);

    let scopeless = NewReferral { consent: true, ..without.clone() };
    assert!(matches!(veza.refer_victim(&officer, &v, scopeless).await, Err(AppError::Invalid { .. })));
    let with = NewReferral { consent: true, consent_scope: vec!["referral_to_services".into()], ..without };
    let r2 = veza.refer_victim(&officer, &v, with).await.unwrap();
    let sheet = veza.referral_sheet(&officer, &r2).await.unwrap();
    assert_eq!(sheet.person.unwrap().get("name").map(String::as_str), Some("Ana Test"));
    let file = veza.victim_file(&officer, &v).await.unwrap();
    assert_eq!(file.referrals.len(), 2);
    assert_eq!(file.victim.first("consentStatus"), Some("given"));

    veza.set_referral_status(&officer, &r2, "accepted").await.unwrap();
    veza.set_referral_status(&officer, &r2, "completed").await.unwrap();
    let referrals = veza.referrals(&officer).await.unwrap();
    let r = referrals.iter().find(|r| r.id == r2).unwrap();
    assert_eq!(r.values("status"), ["completed"]);
    assert!(r.first("responseDate").is_some() && r.first("completionDate").is_some());
    assert!(matches!(veza.set_referral_status(&officer, &r2, "lost").await, Err(AppError::Invalid { .. })));
    let investigator = as_user("ivan", "rs-thb", "rs", Role::Investigator);
    assert!(veza.set_referral_status(&investigator, &r2, "declined").await.is_err());
    let log = veza.store().entries(i64::MIN, 1000).await.unwrap();
    assert!(log.iter().any(|e| e.action == AuditAction::Disclose && e.entity_ids.contains(&r2)));
    assert!(log.iter().any(|e| e.action == AuditAction::Alter && e.detail.contains("accepted -> completed")));
}
