//! An operation's reports: the figures of a day and of the whole
//! operation, each row with the records behind it; victims counted by
//! gender, age group, nationality and exploitation from the Victim records
//! that name the operation; the PDF and the spreadsheet are made; a user of
//! an agency outside the operation gets "not found"; each report is audited.

use veza_app::veza_indicators::{AgeGroup, Answers};
use veza_app::{
    Access, AppError, AuditAction, Caller, HandlingRequest, HashCost, IdentityConfig, Interview, ReportKind, Role, Veza,
};
use veza_store::Agency;
use veza_store::operations::*;

const DAY: i64 = 1_764_288_000_000_000; // 2025-11-28 00:00 UTC, in microseconds

async fn platform() -> Veza {
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    for (code, country) in [("rs-vs", "rs"), ("rs-bp", "rs"), ("al-thb", "al")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    let store = veza.store();
    store
        .put_operation(&Operation {
            id: "op-1".into(),
            code: "GATE".into(),
            name: "Gate".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: "2025-11-28".into(),
            end_date: "2025-11-29".into(),
            lead_agency: "rs-bp".into(),
            objectives: String::new(),
            created_by: "ana".into(),
            created_at: 1,
            changed_at: 1,
            countries: vec![OperationCountry { country: "rs".into(), contact_ncb: "NCB Belgrade".into() }],
            agencies: vec![
                OperationAgency { agency: "rs-bp".into(), coordinator: true },
                OperationAgency { agency: "rs-vs".into(), coordinator: false },
            ],
            watchlists: vec![],
        })
        .await
        .unwrap();
    let cp = Checkpoint {
        id: 0,
        operation_id: "op-1".into(),
        code: "BAT".into(),
        name: "Batrovci".into(),
        kind: CheckpointKind::BorderCrossing,
        country: "rs".into(),
        agency: "rs-bp".into(),
        latitude: None,
        longitude: None,
        shifts: vec![],
    };
    let cp = store.put_checkpoint(&cp).await.unwrap();
    let check = |at: i64, hit: bool| NewCheck {
        operation_id: "op-1".into(),
        checkpoint_id: cp,
        checked_at: at,
        officer: "bora".into(),
        agency: "rs-bp".into(),
        terminal: String::new(),
        person: CheckedPerson { name: "Test Person".into(), ..Default::default() },
        document: CheckedDocument::default(),
        vehicle: CheckedVehicle::default(),
        hits: if hit {
            vec![NewHit {
                watchlist: "notices".into(),
                match_id: "p-1".into(),
                match_caption: "x".into(),
                score: 0.9,
                instruction: "contact NCB".into(),
                owner_agency: "rs-bp".into(),
                owner_country: "rs".into(),
            }]
        } else {
            vec![]
        },
    };
    // Two checks on the 28th (one with a hit), one on the 29th.
    let checks =
        vec![check(DAY + 3_600_000_000, true), check(DAY + 7_200_000_000, false), check(DAY + 90_000_000_000, false)];
    let audit = (0..3)
        .map(|_| veza_store::audit::NewAuditEntry {
            actor: "bora".into(),
            agency: "rs-bp".into(),
            action: AuditAction::Consult,
            entity_ids: vec![],
            outcome: veza_app::AuditOutcome::Ok,
            purpose: "operation".into(),
            detail: "check".into(),
        })
        .collect();
    store.record_checks(&checks, audit).await.unwrap();
    veza
}

fn as_user(name: &str, agency: &str, country: &str, role: Role) -> Access {
    Access::with_purpose(Caller::user(name, agency, country, &[role]), "operation GATE report").unwrap()
}

#[tokio::test]
async fn the_reports_count_checks_hits_and_victims_with_the_records_behind_each_figure() {
    let veza = platform().await;
    let support = as_user("vesna", "rs-vs", "rs", Role::VictimSupport);
    let interview = Interview {
        name: "Ana Test".into(),
        gender: "female".into(),
        nationality: "md".into(),
        age_years: "16".into(),
        operation: Some("op-1".into()),
        handling: HandlingRequest { officer_gender: "female".into(), ..HandlingRequest::default() },
        answers: Answers::observed(AgeGroup::Unknown, ["dr-nature-of-work"]),
        decision: "possible_victim".into(),
        exploitation: vec!["sexual_exploitation".into()],
        ..Interview::default()
    };
    let victim = veza.record_interview(&support, interview).await.unwrap().victim_id;

    let fin = veza.operation_report(&support, "op-1", ReportKind::Final, None).await.unwrap();
    let figure = |key: &str| fin.figures.iter().find(|f| f.key == key).unwrap().clone();
    assert_eq!(figure("checks_by_checkpoint").total(), 3);
    assert_eq!(figure("checks_with_hits").rows[0].ids.len(), 1);
    assert_eq!(figure("hits_by_watchlist").rows[0].label, "notices");
    let by_gender = figure("victims_by_gender");
    assert_eq!(by_gender.rows[0].label, "female");
    assert_eq!(by_gender.rows[0].ids, vec![victim.clone()], "the figure names the record behind it");
    assert_eq!(figure("victims_by_age_group").rows[0].label, "minor");
    assert_eq!(figure("victims_by_nationality").rows[0].label, "md");
    assert!(!fin.victims_withheld);

    let daily = veza.operation_report(&support, "op-1", ReportKind::Daily, Some("2025-11-28")).await.unwrap();
    assert_eq!(daily.figures[0].total(), 2, "only the day's checks");
    assert_eq!(daily.figures.iter().find(|f| f.key == "checks_by_hour").unwrap().rows.len(), 2);
    assert!(matches!(
        veza.operation_report(&support, "op-1", ReportKind::Daily, None).await,
        Err(AppError::Invalid { field: Some(f), .. }) if f == "date"
    ));

    let xlsx = fin.xlsx().unwrap();
    assert!(xlsx.starts_with(b"PK"), "an OOXML workbook");
    let pdf = daily.pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");

    // A border officer of the operation sees the counts (as on the
    // dashboard: one source of figures), not the victims' records.
    let border = as_user("bora", "rs-bp", "rs", Role::BorderOfficer);
    let theirs = veza.operation_report(&border, "op-1", ReportKind::Final, None).await.unwrap();
    assert!(theirs.victims_withheld);
    let by_gender = theirs.figures.iter().find(|f| f.key == "victims_by_gender").unwrap();
    assert_eq!(by_gender.total(), 1, "the same count as the coordinator's");
    assert!(by_gender.rows.iter().all(|r| r.ids.is_empty()), "no victim record id leaves the compartment");
    // Outside the operation: not found.
    let outsider = as_user("arben", "al-thb", "al", Role::Investigator);
    assert!(matches!(
        veza.operation_report(&outsider, "op-1", ReportKind::Final, None).await,
        Err(AppError::NotFound(_))
    ));
    let log = veza.store().entries(i64::MIN, 1000).await.unwrap();
    assert!(
        log.iter().any(|e| e.action == AuditAction::Disclose && e.detail.contains("daily report on operation GATE"))
    );
}
