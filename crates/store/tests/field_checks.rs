//! Field check references on every back end: recorded once per node
//! reference, found again by it, kept apart per operation.

use std::sync::Arc;
use veza_store::audit::{AuditAction, AuditOutcome, NewAuditEntry};
use veza_store::operations::*;
use veza_store::{Agency, FieldCheckRef, Store};

mod backends;

async fn field_checks_are_recorded_once(store: Arc<dyn Store>) {
    let agency = Agency { code: "mk-mvr".into(), name: "MVR".into(), country: "mk".into(), kind: "police".into() };
    store.put_agency(&agency).await.unwrap();
    let op = Operation {
        id: "op-1".into(),
        code: "GATE".into(),
        name: "Gate".into(),
        mode: OperationMode::Live,
        status: OperationStatus::Running,
        start_date: "2026-11-28".into(),
        end_date: "2026-11-30".into(),
        lead_agency: "mk-mvr".into(),
        objectives: String::new(),
        created_by: "ana".into(),
        created_at: 1,
        changed_at: 1,
        countries: vec![],
        agencies: vec![OperationAgency { agency: "mk-mvr".into(), coordinator: true }],
        watchlists: vec![],
    };
    store.put_operation(&op).await.unwrap();
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
    let cp_id = store.put_checkpoint(&cp).await.unwrap();
    let check = NewCheck {
        operation_id: "op-1".into(),
        checkpoint_id: cp_id,
        checked_at: 5,
        officer: "terminal".into(),
        agency: "mk-mvr".into(),
        terminal: "field".into(),
        person: CheckedPerson { name: "Ana".into(), ..Default::default() },
        document: CheckedDocument::default(),
        vehicle: CheckedVehicle::default(),
        hits: vec![],
    };
    let audit = NewAuditEntry {
        actor: "terminal".into(),
        agency: "mk-mvr".into(),
        action: AuditAction::Consult,
        entity_ids: vec![],
        outcome: AuditOutcome::Ok,
        purpose: "operation GATE".into(),
        detail: "field check".into(),
    };
    let ids = store.record_checks(&[check.clone(), check], vec![audit.clone(), audit]).await.unwrap();
    let refs = [
        FieldCheckRef { client_ref: "field-ab-1".into(), check_id: ids[0], snapshot_id: "ab".into(), checked_at: 1 },
        FieldCheckRef { client_ref: "field-ab-2".into(), check_id: ids[1], snapshot_id: "ab".into(), checked_at: 2 },
    ];
    store.record_field_checks("op-1", &refs).await.unwrap();
    let again = FieldCheckRef { check_id: ids[1], ..refs[0].clone() };
    store.record_field_checks("op-1", &[again]).await.unwrap();
    let known =
        store.field_checks("op-1", &["field-ab-1".into(), "field-ab-2".into(), "field-ab-3".into()]).await.unwrap();
    assert_eq!(known, refs.to_vec(), "each reference once, the first record kept");
    assert!(store.field_checks("op-2", &["field-ab-1".into()]).await.unwrap().is_empty());
}

on_every_backend!(field_checks_on_every_backend, field_checks_are_recorded_once);
