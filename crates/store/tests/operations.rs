//! Operations on every back end: the plan round-trips, checks are stored
//! with their hits and one audit entry each in one transaction, hits are
//! decided once, and the live picture counts what was stored.

use std::sync::Arc;
use veza_store::audit::{AuditAction, AuditFilter, AuditOutcome, NewAuditEntry};
use veza_store::operations::*;
use veza_store::{Agency, Store};

mod backends;

fn plan() -> Operation {
    Operation {
        id: "op-1".into(),
        code: "BALKAN_GATE".into(),
        name: "Balkan Gate".into(),
        mode: OperationMode::Live,
        status: OperationStatus::Running,
        start_date: "2026-11-28".into(),
        end_date: "2026-11-30".into(),
        lead_agency: "mk-mvr".into(),
        objectives: "Identify victims".into(),
        created_by: "ana".into(),
        created_at: 1,
        changed_at: 1,
        countries: vec![
            OperationCountry { country: "mk".into(), contact_ncb: "NCB Skopje".into() },
            OperationCountry { country: "rs".into(), contact_ncb: "NCB Belgrade".into() },
        ],
        agencies: vec![
            OperationAgency { agency: "mk-mvr".into(), coordinator: true },
            OperationAgency { agency: "rs-bp".into(), coordinator: false },
        ],
        watchlists: vec![OperationWatchlist { dataset: "notices".into(), instruction: "contact NCB".into() }],
    }
}

fn entry(actor: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.into(),
        agency: "rs-bp".into(),
        action: AuditAction::Consult,
        entity_ids: vec![],
        outcome: AuditOutcome::Ok,
        purpose: "operation op-1".into(),
        detail: "check".into(),
    }
}

fn check(cp: i64, at: i64, hits: Vec<NewHit>) -> NewCheck {
    NewCheck {
        operation_id: "op-1".into(),
        checkpoint_id: cp,
        checked_at: at,
        officer: "ivan".into(),
        agency: "rs-bp".into(),
        terminal: String::new(),
        person: CheckedPerson { name: "Marko Petrović".into(), ..Default::default() },
        document: CheckedDocument::default(),
        vehicle: CheckedVehicle::default(),
        hits,
    }
}

fn hit(watchlist: &str, country: &str) -> NewHit {
    NewHit {
        watchlist: watchlist.into(),
        match_id: "p-1".into(),
        match_caption: "Marko Petrovic".into(),
        score: 0.93,
        instruction: "do not arrest; contact NCB Skopje".into(),
        owner_agency: "mk-mvr".into(),
        owner_country: country.into(),
    }
}

async fn operations_round_trip(store: Arc<dyn Store>) {
    for (code, country) in [("mk-mvr", "mk"), ("rs-bp", "rs")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        store.put_agency(&agency).await.unwrap();
    }
    let mut op = plan();
    store.put_operation(&op).await.unwrap();
    assert_eq!(store.operation("op-1").await.unwrap().as_ref(), Some(&op));
    op.countries.pop();
    op.status = OperationStatus::Closed;
    store.put_operation(&op).await.unwrap();
    assert_eq!(store.operation("op-1").await.unwrap().as_ref(), Some(&op), "the plan is replaced whole");
    assert_eq!(store.operations().await.unwrap().len(), 1);
    assert!(store.operation("op-2").await.unwrap().is_none());

    let mut cp = Checkpoint {
        id: 0,
        operation_id: "op-1".into(),
        code: "TAB".into(),
        name: "Tabanovce".into(),
        kind: CheckpointKind::BorderCrossing,
        country: "mk".into(),
        agency: "mk-mvr".into(),
        latitude: Some(42.2),
        longitude: None,
        shifts: vec![Shift { team: "A".into(), starts_at: 10, ends_at: 20 }],
    };
    cp.id = store.put_checkpoint(&cp).await.unwrap();
    assert!(cp.id > 0);
    cp.shifts.push(Shift { team: "B".into(), starts_at: 20, ends_at: 30 });
    assert_eq!(store.put_checkpoint(&cp).await.unwrap(), cp.id);
    assert_eq!(store.operation_checkpoints("op-1").await.unwrap(), vec![cp.clone()]);
    let wrong = Checkpoint { operation_id: "op-x".into(), ..cp.clone() };
    assert!(store.put_checkpoint(&wrong).await.is_err(), "a checkpoint of another operation is not replaced");

    let hour = 3_600_000_000i64;
    let before = store.audit_head().await.unwrap().map(|h| h.0).unwrap_or(0);
    let checks = vec![
        check(cp.id, hour, vec![]),
        check(cp.id, hour + 5, vec![hit("notices", "mk")]),
        check(cp.id, 2 * hour, vec![]),
    ];
    let ids = store.record_checks(&checks, vec![entry("ivan"), entry("ivan"), entry("ivan")]).await.unwrap();
    assert_eq!(ids.len(), 3);
    let head = store.audit_head().await.unwrap().unwrap().0;
    assert_eq!(head - before, 3, "one audit entry per check");
    let audited =
        store.search_audit(&AuditFilter { entity: Some(check_entity_id(ids[1])), ..Default::default() }).await.unwrap();
    assert_eq!(audited.len(), 1, "the entry names its check");
    assert!(store.record_checks(&checks, vec![entry("ivan")]).await.is_err(), "one entry per check is required");

    let (stored, hits) = store.check("op-1", ids[1]).await.unwrap().unwrap();
    assert_eq!(stored.result, CheckResult::Hit);
    assert_eq!(stored.check.person.name, "Marko Petrović");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].hit.instruction, "do not arrest; contact NCB Skopje");
    assert_eq!(hits[0].status, HitStatus::Pending);
    assert!(store.check("op-2", ids[1]).await.unwrap().is_none(), "a check is read through its operation");

    let listed = store.checks("op-1", &CheckFilter::default()).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[2], ids[1], ids[0]]);
    let only_hits = CheckFilter { result: Some(CheckResult::Hit), ..Default::default() };
    assert_eq!(store.checks("op-1", &only_hits).await.unwrap().len(), 1);
    let in_hour = CheckFilter { from: Some(hour), to: Some(2 * hour), ..Default::default() };
    assert_eq!(store.checks("op-1", &in_hour).await.unwrap().len(), 2);
    let on_list = CheckFilter { watchlist: Some("notices".into()), ..Default::default() };
    assert_eq!(store.checks("op-1", &on_list).await.unwrap().len(), 1);

    let queue = HitFilter { owner_country: Some("mk".into()), ..Default::default() };
    assert_eq!(store.hits("op-1", &queue).await.unwrap().len(), 1);
    let other = HitFilter { owner_country: Some("rs".into()), ..Default::default() };
    assert!(store.hits("op-1", &other).await.unwrap().is_empty());

    let decision = HitDecision {
        status: HitStatus::Confirmed,
        reason: "NCB Skopje confirmed".into(),
        action: HitAction::Arrested,
        decided_by: "ana".into(),
        decided_at: 99,
    };
    assert!(store.decide_hit("op-1", hits[0].id, &decision, entry("ana")).await.unwrap());
    assert!(!store.decide_hit("op-1", hits[0].id, &decision, entry("ana")).await.unwrap(), "decided once");
    let (_, hits) = store.check("op-1", ids[1]).await.unwrap().unwrap();
    assert_eq!((hits[0].status, hits[0].action), (HitStatus::Confirmed, Some(HitAction::Arrested)));

    let counts = store.check_counts("op-1").await.unwrap();
    assert_eq!((counts.checks, counts.checks_with_hits), (3, 1));
    assert_eq!(counts.per_hour, vec![(hour, 2, 1), (2 * hour, 1, 0)]);
    assert_eq!(counts.per_checkpoint, vec![(cp.id, 3, 1)]);
    assert_eq!(counts.hits_by_watchlist, vec![("notices".to_owned(), 1, 1, 0)]);
}

on_every_backend!(operations_round_trip_on_every_backend, operations_round_trip);
