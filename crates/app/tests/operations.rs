//! Operations: only participants see an operation; a terminal token sends
//! checks to its own operation and checkpoint only; every check is stored
//! and audited whether it hit or not; a hit carries the watchlist's
//! instruction and goes to the owner's NCB, whose decision the checkpoint
//! then reads.

use std::path::Path;
use veza_app::operations::*;
use veza_app::{Access, AppError, AuditFilter, Caller, ImportOptions, Role, Veza};
use veza_store::Agency;

const NOTICES: &str = r#"{"forename": "ARBEN", "name": "KRASNIQI", "date_of_birth": "1979", "entity_id": "2024/1002", "nationalities": ["XK"], "sex_id": "M", "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/red/2024-1002"}}}
{"forename": "IVANA", "name": "PETROVSKA", "date_of_birth": "2004/07/19", "entity_id": "2024/1003", "nationalities": ["MK"], "sex_id": "F", "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/yellow/2024-1003"}}}
"#;

fn coordinator() -> Caller {
    Caller::user("ana", "mk-bp", "mk", &[Role::ThbCoordinator])
}
fn officer() -> Caller {
    Caller::user("ivan", "rs-bp", "rs", &[Role::BorderOfficer])
}
fn ncb_fr() -> Caller {
    Caller::user("jean", "fr-ncb", "fr", &[Role::NcbOfficer])
}
fn outsider() -> Caller {
    Caller::user("boris", "al-sp", "al", &[Role::ThbCoordinator])
}
fn access(c: Caller) -> Access {
    Access::with_purpose(c, "operation test").unwrap()
}

async fn platform(dir: &Path) -> Veza {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("mk-bp", "mk"), ("rs-bp", "rs"), ("al-sp", "al"), ("int-gs", "fr"), ("fr-ncb", "fr")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    let notices = dir.join("notices.jsonl");
    std::fs::write(&notices, NOTICES).unwrap();
    let options = ImportOptions {
        format: Some("interpol-notices".into()),
        dataset: Some("interpol-notices".into()),
        agency: Some("int-gs".into()),
        ..ImportOptions::default()
    };
    veza.import_file(&Access::new(Caller::system("test"), None), &notices, &options, |_| {}).await.unwrap();
    veza
}

fn draft(status: &str) -> OperationDraft {
    OperationDraft {
        code: "BALKAN-GATE".into(),
        name: "Balkan Gate".into(),
        mode: "live".into(),
        status: status.into(),
        start_date: "2026-11-28".into(),
        end_date: "2026-11-30".into(),
        objectives: "identify victims".into(),
        countries: vec![OperationCountry { country: "fr".into(), contact_ncb: "NCB Paris".into() }],
        agencies: vec![
            OperationAgency { agency: "rs-bp".into(), coordinator: false },
            OperationAgency { agency: "fr-ncb".into(), coordinator: false },
        ],
        watchlists: vec![OperationWatchlist {
            dataset: "interpol-notices".into(),
            instruction: "do not arrest; contact {ncb}".into(),
        }],
    }
}

fn person(name: &str, birth: &str) -> CheckInput {
    CheckInput {
        checkpoint: "TAB".into(),
        person: Some(PersonInput { name: Some(name.into()), birth_date: Some(birth.into()), ..Default::default() }),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_operation_checks_hits_and_decides_within_its_participants() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    assert!(matches!(
        veza.save_operation(&access(officer()), None, draft("running")).await,
        Err(AppError::Forbidden(_))
    ));
    let op = veza.save_operation(&access(coordinator()), None, draft("planned")).await.unwrap();
    let cp = CheckpointDraft {
        code: "TAB".into(),
        name: "Tabanovce".into(),
        kind: "border_crossing".into(),
        country: "mk".into(),
        agency: "mk-bp".into(),
        ..Default::default()
    };
    veza.save_checkpoint(&access(coordinator()), &op.id, 0, cp.clone()).await.unwrap();
    veza.save_checkpoint(&access(coordinator()), &op.id, 0, CheckpointDraft { code: "LUK".into(), ..cp })
        .await
        .unwrap();

    // Outsiders see nothing, not even that it exists.
    assert!(veza.operations(&outsider()).await.unwrap().is_empty());
    assert!(matches!(veza.operation_view(&outsider(), &op.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(
        veza.run_checks(&outsider(), None, &op.id, &[person("Arben Krasniqi", "1979")]).await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(veza.operations(&officer()).await.unwrap().len(), 1);

    // Checks wait for the operation to run.
    assert!(matches!(
        veza.run_checks(&officer(), None, &op.id, &[person("Arben Krasniqi", "1979")]).await,
        Err(AppError::Conflict(_))
    ));
    veza.save_operation(&access(coordinator()), Some(&op.id), draft("running")).await.unwrap();

    let before = veza.search_audit(&AuditFilter { limit: 1000, ..Default::default() }).await.unwrap().len();
    let answers = veza
        .run_checks(&officer(), None, &op.id, &[person("Arben Krasniqi", "1979"), person("Marija Novak", "1990")])
        .await
        .unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0].result, CheckResult::Hit);
    assert_eq!(answers[0].hits[0].watchlist, "interpol-notices");
    assert_eq!(answers[0].hits[0].instruction, "do not arrest; contact NCB Paris");
    assert_eq!(answers[1].result, CheckResult::NoHit);
    let after = veza.search_audit(&AuditFilter { limit: 1000, ..Default::default() }).await.unwrap().len();
    assert_eq!(after - before, 2, "one audit entry per check, hit or not");

    // Field errors name the check.
    let bad = CheckInput { checkpoint: "NOPE".into(), ..person("A B", "1980") };
    match veza.run_checks(&officer(), None, &op.id, &[person("A B", "1980"), bad]).await {
        Err(AppError::Invalid { field, .. }) => assert_eq!(field.as_deref(), Some("checks[1].checkpoint")),
        other => panic!("{other:?}"),
    }

    // A terminal: only its operation, only its checkpoint.
    let elsewhere = Terminal { name: "t".into(), operation_id: "op-other".into(), checkpoint: None };
    assert!(matches!(
        veza.run_checks(&coordinator(), Some(&elsewhere), &op.id, &[person("A B", "1980")]).await,
        Err(AppError::Forbidden(_))
    ));
    let bound = Terminal { name: "lane-1".into(), operation_id: op.id.clone(), checkpoint: Some("LUK".into()) };
    assert!(matches!(
        veza.run_checks(&coordinator(), Some(&bound), &op.id, &[person("A B", "1980")]).await,
        Err(AppError::Forbidden(_))
    ));
    let sent = veza
        .run_checks(
            &coordinator(),
            Some(&bound),
            &op.id,
            &[CheckInput { checkpoint: "LUK".into(), ..person("A B", "1980") }],
        )
        .await
        .unwrap();
    let state = veza.check_state(&access(coordinator()), Some(&bound), &op.id, sent[0].check_id).await.unwrap();
    assert_eq!(state.checkpoint, "LUK");
    assert!(
        veza.check_state(&access(coordinator()), Some(&bound), &op.id, answers[0].check_id).await.is_err(),
        "a terminal reads back only its own checks"
    );

    // The hit goes to the owner's NCB (France: the notice's owner is int-gs, fr).
    let hit_check = answers[0].check_id;
    let queue = veza.hit_queue(&access(officer()), &op.id, &HitFilter::default()).await.unwrap();
    assert!(queue.is_empty(), "a Serbian officer is not the owner's NCB");
    let queue = veza.hit_queue(&access(ncb_fr()), &op.id, &HitFilter::default()).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert!(matches!(
        veza.decide_hit(&access(officer()), &op.id, queue[0].id, HitStatus::Confirmed, HitAction::Arrested, "").await,
        Err(AppError::Forbidden(_))
    ));
    veza.decide_hit(
        &access(ncb_fr()),
        &op.id,
        queue[0].id,
        HitStatus::Confirmed,
        HitAction::Arrested,
        "red notice valid",
    )
    .await
    .unwrap();
    let state = veza.check_state(&access(officer()), None, &op.id, hit_check).await.unwrap();
    assert_eq!((state.hits[0].status, state.hits[0].action), (HitStatus::Confirmed, Some(HitAction::Arrested)));

    let results = veza.operation_results(&access(officer()), &op.id).await.unwrap();
    assert_eq!(results.checks.count, 3);
    assert_eq!(results.checks_with_hits.count, 1);
    assert_eq!(results.hits_confirmed.count, 1);
    assert_eq!(
        results.checks_per_checkpoint.iter().map(|f| (f.key.as_str(), f.count)).collect::<Vec<_>>(),
        [("TAB", 2), ("LUK", 1)]
    );
    assert!(results.checks.records.ends_with("/checks"));
    assert!(matches!(veza.operation_results(&access(outsider()), &op.id).await, Err(AppError::NotFound(_))));
}
