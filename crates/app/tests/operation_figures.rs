//! Operations, continued: vehicles are screened like documents (exact hits,
//! flagged OCR-confusion hits, the policy on results); the dashboard, the
//! JSON results and the reports come from one source of figures; a new
//! investigation recorded from an operation carries it.

use std::path::Path;
use veza_app::operations::*;
use veza_app::{Access, Caller, ReportKind, Role, Veza};
use veza_model::{Entity, Owner, SourceRef, Visibility};
use veza_store::Agency;

fn coordinator() -> Caller {
    Caller::user("ana", "mk-bp", "mk", &[Role::ThbCoordinator])
}
fn officer() -> Caller {
    Caller::user("ivan", "rs-bp", "rs", &[Role::BorderOfficer])
}
fn access(c: Caller) -> Access {
    Access::with_purpose(c, "operation test").unwrap()
}

fn vehicle(id: &str, registration: &str, country: &str, owner: &str, visibility: Visibility) -> Entity {
    let model = veza_model::Model::builtin();
    let mut e = Entity::new(id, "Vehicle");
    e.add_all(model, [("name", "Van"), ("registrationNumber", registration), ("country", country)]).unwrap();
    e.provenance.owner = Owner { agency: owner.into(), country: owner[..2].into() };
    e.provenance.source = SourceRef { dataset: "stolen-vehicles".into(), record: None };
    e.handling.visibility = visibility;
    e
}

/// A running operation of mk-bp (coordinator) and rs-bp screening against
/// a list of stolen vehicles: one any participant may see, one only its
/// owner (mk-bp) may.
async fn platform(dir: &Path) -> (Veza, String) {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("mk-bp", "mk"), ("rs-bp", "rs")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza.ensure_source("stolen-vehicles", "Stolen vehicles", "test", "mk-bp").await.unwrap();
    let cars = vec![
        vehicle("car-open", "SK-1234-AB", "mk", "mk-bp", Visibility::All),
        vehicle("car-closed", "SK-9999-ZZ", "mk", "mk-bp", Visibility::Agency),
    ];
    veza.store().write_entities(&Caller::system("test"), &cars).await.unwrap();
    let draft = OperationDraft {
        code: "ROAD".into(),
        name: "Road".into(),
        mode: "live".into(),
        status: "running".into(),
        start_date: "2026-11-28".into(),
        end_date: "2026-11-30".into(),
        countries: vec![OperationCountry { country: "mk".into(), contact_ncb: "NCB Skopje".into() }],
        agencies: vec![OperationAgency { agency: "rs-bp".into(), coordinator: false }],
        watchlists: vec![OperationWatchlist {
            dataset: "stolen-vehicles".into(),
            instruction: "seize the vehicle; contact {ncb}".into(),
        }],
        ..Default::default()
    };
    let op = veza.save_operation(&access(coordinator()), None, draft).await.unwrap();
    let cp = CheckpointDraft {
        code: "TAB".into(),
        name: "Tabanovce".into(),
        kind: "border_crossing".into(),
        country: "mk".into(),
        agency: "mk-bp".into(),
        ..Default::default()
    };
    veza.save_checkpoint(&access(coordinator()), &op.id, 0, cp).await.unwrap();
    (veza, op.id)
}

fn car(registration: &str, country: Option<&str>) -> CheckInput {
    CheckInput {
        checkpoint: "TAB".into(),
        vehicle: Some(VehicleInput { registration: registration.into(), country: country.map(str::to_owned) }),
        ..Default::default()
    }
}

#[tokio::test]
async fn vehicles_hit_exactly_or_flagged_as_misread_and_only_as_the_caller_may_see_them() {
    let dir = tempfile::tempdir().unwrap();
    let (veza, op) = platform(dir.path()).await;
    let checks = [
        car("sk 1234 ab", Some("MK")),
        car("SK-1234-A8", None),
        car("SK-1234-AB", Some("rs")),
        car("SK-9999-ZZ", Some("mk")),
    ];
    let answers = veza.run_checks(&officer(), None, &op, &checks).await.unwrap();
    let exact = &answers[0];
    assert_eq!(exact.result, CheckResult::Hit);
    assert_eq!(
        (exact.hits[0].watchlist.as_str(), exact.hits[0].match_id.as_str(), exact.hits[0].score),
        ("stolen-vehicles", "car-open", 1.0)
    );
    assert_eq!(exact.hits[0].instruction, "seize the vehicle; contact NCB Skopje");
    let misread = &answers[1].hits[0];
    assert_eq!((misread.match_id.as_str(), misread.score), ("car-open", OCR_CONFUSION_SCORE));
    assert!(misread.score < exact.hits[0].score);
    assert!(misread.instruction.starts_with(OCR_CONFUSION_NOTE), "the hit says it may be a misreading");
    assert!(misread.instruction.ends_with("seize the vehicle; contact NCB Skopje"));
    assert_eq!(answers[2].result, CheckResult::NoHit, "the same plate of another country is another vehicle");
    assert_eq!(answers[3].result, CheckResult::NoHit, "a vehicle the officer may not see is no hit");
    // Its owner's officer gets the hit.
    let owner = Caller::user("ana", "mk-bp", "mk", &[Role::BorderOfficer]);
    let theirs = veza.run_checks(&owner, None, &op, &[car("SK 9999 ZZ", Some("mk"))]).await.unwrap();
    assert_eq!(theirs[0].hits[0].match_id, "car-closed");
    // The check is stored with its vehicle.
    let state = veza.check_state(&access(officer()), None, &op, exact.check_id).await.unwrap();
    assert_eq!((state.vehicle.registration.as_str(), state.vehicle.country.as_str()), ("sk 1234 ab", "mk"));
    // Bad input names its field.
    for (bad, field) in
        [(car("SK1", None), "vehicle.registration"), (car("SK-1234-AB", Some("Atlantis")), "vehicle.country")]
    {
        match veza.run_checks(&officer(), None, &op, &[bad]).await {
            Err(veza_app::AppError::Invalid { field: Some(f), .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_new_investigation_carries_its_operation_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (veza, op) = platform(dir.path()).await;
    let case = veza
        .record_outcome(
            &access(coordinator()),
            &op,
            OutcomeDraft { kind: "case".into(), detail: "Vans of the Vardar route".into(), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(case.values("operation"), std::slice::from_ref(&op));
    assert!(case.first("caseNumber").unwrap().starts_with("ROAD-"));
    let results = veza.operation_results(&access(coordinator()), &op).await.unwrap();
    assert_eq!(results.new_cases.count, 1);
    let listed = veza.operation_records(&access(coordinator()), &op, "Case").await.unwrap();
    assert_eq!(listed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [case.id.as_str()]);
    let report = veza.operation_report(&access(coordinator()), &op, ReportKind::Final, None).await.unwrap();
    assert!(report.totals.contains(&("New investigations".to_owned(), 1)));
}

/// The figures of the demo operation: the live picture and the final
/// report agree on every count; its stolen-vehicle checks hit.
#[tokio::test]
async fn the_reports_and_the_live_picture_give_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let veza = Veza::open(&format!("sqlite://{}", dir.path().join("veza.db").display())).await.unwrap();
    veza.load_demo().await.unwrap();
    let op = veza_app::DEMO_OPERATION;
    let coordinator =
        Access::with_purpose(Caller::user("thb.rs", "rs-thb", "rs", &[Role::ThbCoordinator]), "test").unwrap();
    let results = veza.operation_results(&coordinator, op).await.unwrap();
    let report = veza.operation_report(&coordinator, op, ReportKind::Final, None).await.unwrap();
    let figure = |key: &str| report.figures.iter().find(|f| f.key == key).unwrap().clone();
    let counts = |f: &veza_app::Figure| f.rows.iter().map(|r| r.count as i64).collect::<Vec<_>>();
    let live = |v: &[veza_app::operations::Figure]| v.iter().map(|f| f.count).collect::<Vec<_>>();
    let total = |label: &str| report.totals.iter().find(|t| t.0 == label).unwrap().1 as i64;

    assert!(results.checks.count > 300, "the demo's few hundred checks");
    assert_eq!(total("Checks"), results.checks.count);
    assert_eq!(total("Checks with a hit"), results.checks_with_hits.count);
    assert_eq!(counts(&figure("checks_by_checkpoint")), live(&results.checks_per_checkpoint));
    for (row, fig) in figure("checks_by_checkpoint").rows.iter().zip(&results.checks_per_checkpoint) {
        assert!(row.label.starts_with(&fig.key), "{} is {}", row.label, fig.key);
        assert_eq!(row.ids.len() as u64, row.count, "each check counted is listed");
    }
    assert_eq!(counts(&figure("checks_by_hour")), live(&results.checks_per_hour));
    assert_eq!(counts(&figure("hits_by_watchlist")), live(&results.hits_by_watchlist));
    let by_status = figure("hits_by_status");
    let status = |s: &str| by_status.rows.iter().find(|r| r.label == s).map_or(0, |r| r.count as i64);
    assert_eq!((status("confirmed"), status("pending")), (results.hits_confirmed.count, results.hits_pending.count));
    assert_eq!(counts(&figure("victims_by_gender")), live(&results.victims_by_gender));
    assert_eq!(counts(&figure("victims_by_age_group")), live(&results.victims_by_age_group));
    assert_eq!(counts(&figure("victims_by_nationality")), live(&results.victims_by_nationality));
    assert_eq!(counts(&figure("victims_by_exploitation")), live(&results.victims_by_exploitation));
    assert_eq!(total("Arrests"), results.arrests.count);
    assert_eq!(results.arrests.count, 1, "the demo's arrest after the confirmed red notice");
    assert_eq!(total("Seizures"), results.seizures.count);
    assert_eq!(total("New investigations"), results.new_cases.count);

    // The demo's vehicle checks: a stolen van stopped by its plate, a
    // misread plate flagged as such; both for NCB of the registering country.
    let hits = veza.store().hits(op, &HitFilter { limit: 1000, ..Default::default() }).await.unwrap();
    let van = hits.iter().find(|h| h.hit.match_id == "smv-mk-sk7781cd").expect("the stolen van is hit");
    assert_eq!((van.hit.score, van.hit.owner_country.as_str()), (1.0, "mk"));
    assert_eq!(van.hit.instruction, "do not arrest; contact NCB Skopje");
    let misread = hits.iter().find(|h| h.hit.match_id == "smv-rs-bg214xk").expect("the misread plate is hit");
    assert_eq!(misread.hit.score, OCR_CONFUSION_SCORE);
    assert!(
        misread.hit.instruction.starts_with(OCR_CONFUSION_NOTE) && misread.hit.instruction.contains("NCB Belgrade")
    );
}
