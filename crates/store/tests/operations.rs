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

    let counts = store.check_counts("op-1", None).await.unwrap();
    assert_eq!((counts.checks, counts.checks_with_hits), (3, 1));
    assert_eq!(counts.per_hour, vec![(hour, 2, 1), (2 * hour, 1, 0)]);
    assert_eq!(counts.per_checkpoint, vec![(cp.id, 3, 1)]);
    assert_eq!(counts.hits_by_watchlist, vec![("notices".to_owned(), 1, 1, 0)]);
    assert_eq!(counts.hits_by_action, vec![("arrested".to_owned(), 1)]);
    // A window counts the checks (and the hits they raised) inside it only.
    let late = store.check_counts("op-1", Some((2 * hour, 3 * hour))).await.unwrap();
    assert_eq!((late.checks, late.checks_with_hits, late.per_checkpoint.clone()), (1, 0, vec![(cp.id, 1, 0)]));
    assert!(late.hits_by_watchlist.is_empty() && late.hits_by_action.is_empty());

    // Concurrent requests share commits, and each gets its own checks back,
    // stored and audited once each.
    let before = store.audit_head().await.unwrap().map(|h| h.0).unwrap_or(0);
    let mut tasks = Vec::new();
    for n in 0..24usize {
        let store = store.clone();
        let batch: Vec<_> = (0..1 + n % 3).map(|k| check(cp.id, 3 * hour + (n * 10 + k) as i64, vec![])).collect();
        tasks.push(tokio::spawn(async move {
            let audit = batch.iter().map(|_| entry("terminal")).collect();
            (batch.len(), store.record_checks(&batch, audit).await.unwrap())
        }));
    }
    let mut all = std::collections::BTreeSet::new();
    let mut total = 0;
    for t in tasks {
        let (asked, ids) = t.await.unwrap();
        assert_eq!(ids.len(), asked, "each request gets one id per check it sent");
        total += asked;
        all.extend(ids.iter().copied());
        for id in ids {
            assert!(store.check("op-1", id).await.unwrap().is_some(), "check {id} is stored");
        }
    }
    assert_eq!(all.len(), total, "no id is given twice");
    assert_eq!(store.audit_head().await.unwrap().unwrap().0 - before, total as i64, "one audit entry per check");
}

/// The records of an operation are found through their `operation`
/// reference, by schema, and only as the caller may see them.
async fn records_found_by_reference(store: Arc<dyn Store>) {
    use veza_model::{Entity, Model, Owner, SourceRef, Visibility};
    use veza_store::{Caller, Source};
    let agency = Agency { code: "rs-bp".into(), name: "rs-bp".into(), country: "rs".into(), kind: "police".into() };
    store.put_agency(&agency).await.unwrap();
    let source = Source {
        dataset: "ds".into(),
        title: "ds".into(),
        kind: "test".into(),
        owner_agency: "rs-bp".into(),
        created_at: String::new(),
        updated_at: String::new(),
    };
    store.put_source(&source).await.unwrap();
    let model = Model::builtin();
    let make = |id: &str, schema: &str, visibility: Visibility, values: &[(&str, &str)]| {
        let mut e = Entity::new(id, schema);
        e.add_all(model, values.iter().copied()).unwrap();
        e.provenance.owner = Owner { agency: "rs-bp".into(), country: "rs".into() };
        e.provenance.source = SourceRef { dataset: "ds".into(), record: None };
        e.handling.visibility = visibility;
        e
    };
    let batch = vec![
        make("a1", "Arrest", Visibility::All, &[("person", "p1"), ("operation", "op-1")]),
        make("a2", "Arrest", Visibility::Agency, &[("person", "p2"), ("operation", "op-1")]),
        make("a3", "Arrest", Visibility::All, &[("person", "p3"), ("operation", "op-2")]),
        make("s1", "Seizure", Visibility::All, &[("itemType", "cash"), ("operation", "op-1")]),
        make("a4", "Arrest", Visibility::All, &[("person", "op-1")]),
    ];
    store.write_entities(&Caller::system("test"), &batch).await.unwrap();
    let ids = |v: Vec<Entity>| {
        let mut ids: Vec<String> = v.into_iter().map(|e| e.id).collect();
        ids.sort();
        ids
    };
    let platform = Caller::system("test");
    let all = store.entities_referencing(&platform, "operation", "op-1", &[], 1000).await.unwrap();
    assert_eq!(ids(all), ["a1", "a2", "s1"], "another property naming the same id does not count");
    let arrests = store.entities_referencing(&platform, "operation", "op-1", &["Arrest"], 1000).await.unwrap();
    assert_eq!(ids(arrests), ["a1", "a2"]);
    let outsider = Caller::user("x", "ba-bp", "ba", &[]);
    let seen = store.entities_referencing(&outsider, "operation", "op-1", &["Arrest"], 1000).await.unwrap();
    assert_eq!(ids(seen), ["a1"], "a record the caller may not see is absent");
    assert!(store.entities_referencing(&platform, "operation", "op-9", &[], 1000).await.unwrap().is_empty());
}

on_every_backend!(records_found_by_reference_on_every_backend, records_found_by_reference);

on_every_backend!(operations_round_trip_on_every_backend, operations_round_trip);

/// Checks made at a field node are stored with their node references in
/// one transaction: a batch sent again (or a reference repeated in one
/// batch) stores and audits nothing twice, and answers with the stored
/// check.
async fn field_checks_are_stored_with_their_reference(store: Arc<dyn Store>) {
    use veza_store::FieldCheckRef;
    for (code, country) in [("mk-mvr", "mk"), ("rs-bp", "rs")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        store.put_agency(&agency).await.unwrap();
    }
    store.put_operation(&plan()).await.unwrap();
    let cp = Checkpoint {
        id: 0,
        operation_id: "op-1".into(),
        code: "TAB".into(),
        name: "Tabanovce".into(),
        kind: CheckpointKind::BorderCrossing,
        country: "mk".into(),
        agency: "mk-mvr".into(),
        latitude: None,
        longitude: None,
        shifts: vec![],
    };
    let cp = store.put_checkpoint(&cp).await.unwrap();
    let refs = |names: &[&str]| -> Vec<FieldCheckRef> {
        names
            .iter()
            .map(|n| FieldCheckRef { client_ref: (*n).into(), check_id: 0, snapshot_id: "ab12".into(), checked_at: 7 })
            .collect()
    };
    let batch = vec![check(cp, 1, vec![]), check(cp, 2, vec![hit("notices", "mk")]), check(cp, 3, vec![])];
    let entries = || vec![entry("ivan"), entry("ivan"), entry("ivan")];
    let before = store.audit_head().await.unwrap().map(|h| h.0).unwrap_or(0);
    let first = store.record_field_check_batch(&batch, entries(), &refs(&["f-1", "f-2", "f-1"])).await.unwrap();
    assert_eq!((first[0].1, first[1].1, first[2].1), (true, true, false));
    assert_eq!(first[2].0, first[0].0, "a reference repeated in the batch is one check");
    let head = store.audit_head().await.unwrap().unwrap().0;
    assert_eq!(head - before, 2, "one audit entry per stored check");
    let stored = store.field_checks("op-1", &["f-1".into(), "f-2".into()]).await.unwrap();
    assert_eq!(stored.iter().map(|r| r.check_id).collect::<Vec<_>>(), [first[0].0, first[1].0]);
    assert_eq!((stored[0].snapshot_id.as_str(), stored[0].checked_at), ("ab12", 7));

    let again = store.record_field_check_batch(&batch, entries(), &refs(&["f-1", "f-2", "f-3"])).await.unwrap();
    assert_eq!((again[0], again[1]), ((first[0].0, false), (first[1].0, false)), "sent again: the stored checks");
    assert!(again[2].1, "a new reference is a new check");
    assert_eq!(store.audit_head().await.unwrap().unwrap().0 - head, 1);
    assert_eq!(store.checks("op-1", &CheckFilter::default()).await.unwrap().len(), 3);
    assert_eq!(store.check_counts("op-1", None).await.unwrap().checks_with_hits, 1);
    assert!(
        store.record_field_check_batch(&batch, entries(), &refs(&["f-9"])).await.is_err(),
        "one reference per check"
    );
}

on_every_backend!(
    field_checks_are_stored_with_their_reference_on_every_backend,
    field_checks_are_stored_with_their_reference
);
