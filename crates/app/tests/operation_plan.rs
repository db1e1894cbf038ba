//! Planning rules of the use cases: a checkpoint belongs to a participating
//! agency in a participating country, each refusal naming its field; bad
//! dates and unknown agencies are refused on their fields; only planning
//! roles create an operation.

use veza_app::operations::*;
use veza_app::{Access, AppError, Caller, Role, Veza};
use veza_store::Agency;

fn coordinator() -> Caller {
    Caller::user("ana", "mk-bp", "mk", &[Role::ThbCoordinator])
}

fn access(c: Caller) -> Access {
    Access::with_purpose(c, "operation plan test").unwrap()
}

async fn platform(dir: &std::path::Path) -> Veza {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("mk-bp", "mk"), ("rs-bp", "rs"), ("al-sp", "al")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza
}

fn draft() -> OperationDraft {
    OperationDraft {
        code: "PLAN-RULES".into(),
        name: "Plan rules".into(),
        mode: "live".into(),
        status: "planned".into(),
        start_date: "2026-12-01".into(),
        end_date: "2026-12-03".into(),
        countries: vec![OperationCountry { country: "ba".into(), contact_ncb: "NCB Sarajevo".into() }],
        agencies: vec![OperationAgency { agency: "rs-bp".into(), coordinator: false }],
        ..Default::default()
    }
}

fn field_of(r: Result<impl std::fmt::Debug, AppError>) -> Option<String> {
    match r {
        Err(AppError::Invalid { field, .. }) => field,
        other => panic!("expected a refusal on a field, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plan_and_its_checkpoints_are_refused_on_the_field_at_fault() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    let a = access(coordinator());

    let bad = OperationDraft { end_date: "2026-11-30".into(), ..draft() };
    assert_eq!(field_of(veza.save_operation(&a, None, bad).await).as_deref(), Some("end_date"));
    let bad = OperationDraft { start_date: "2026-02-30".into(), ..draft() };
    assert_eq!(field_of(veza.save_operation(&a, None, bad).await).as_deref(), Some("start_date"));
    let mut bad = draft();
    bad.agencies.push(OperationAgency { agency: "xx-nobody".into(), coordinator: false });
    assert_eq!(field_of(veza.save_operation(&a, None, bad).await).as_deref(), Some("agencies"));
    let officer = access(Caller::user("ivan", "rs-bp", "rs", &[Role::BorderOfficer]));
    assert!(!may_plan(&officer.caller) && may_plan(&a.caller));
    assert!(matches!(veza.save_operation(&officer, None, draft()).await, Err(AppError::Forbidden(_))));

    let op = veza.save_operation(&a, None, draft()).await.unwrap();
    // Bosnia by its NCB, Serbia and North Macedonia by their agencies.
    assert_eq!(veza.participating_countries(&op).await.unwrap(), ["ba", "mk", "rs"]);
    let cp = CheckpointDraft {
        code: "TAB".into(),
        name: "Tabanovce".into(),
        kind: "border_crossing".into(),
        country: "al".into(),
        agency: "mk-bp".into(),
        ..Default::default()
    };
    assert_eq!(field_of(veza.save_checkpoint(&a, &op.id, 0, cp.clone()).await).as_deref(), Some("country"));
    let other = CheckpointDraft { country: "mk".into(), agency: "al-sp".into(), ..cp.clone() };
    assert_eq!(field_of(veza.save_checkpoint(&a, &op.id, 0, other).await).as_deref(), Some("agency"));
    let bosnian = CheckpointDraft { country: "ba".into(), agency: "rs-bp".into(), ..cp };
    let saved = veza.save_checkpoint(&a, &op.id, 0, bosnian).await.unwrap();
    assert_eq!(saved.country, "ba");
}
