//! Case files through the use cases: creating a case makes its creator the
//! investigator; records, evidence, notes, tasks and shares are audited;
//! someone outside the case gets "not found", and a share opens what it
//! names to the other agency.

use veza_app::{
    Access, AppError, Attached, AuditAction, AuditEntry, AuditOutcome, Caller, Capacity, HashCost, IdentityConfig,
    Lookup, NewCase, NewEntity, Role, ShareHandling, TaskStatus, Veza,
};
use veza_store::Agency;

const PURPOSE: &str = "case RS-2026-31";

async fn platform() -> Veza {
    let identity = IdentityConfig { hash_cost: HashCost::TEST_ONLY, ..IdentityConfig::default() };
    let veza = Veza::open_with("sqlite::memory:", identity).await.unwrap();
    for (code, country) in [("rs-thb", "rs"), ("al-thb", "al")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    for (name, agency) in [("ivan", "rs-thb"), ("arben", "al-thb")] {
        veza.add_user(name, name, agency, &[Role::Investigator], "correct horse battery").await.unwrap();
    }
    veza
}

/// The user as a signed-in caller, with the scope the platform loads.
async fn signed_in(veza: &Veza, name: &str) -> Access {
    let (agency, country) = if name == "ivan" { ("rs-thb", "rs") } else { ("al-thb", "al") };
    let scope = veza.store().scope_of(name, chrono::Utc::now().timestamp_micros()).await.unwrap();
    let caller = Caller::user(name, agency, country, &[Role::Investigator]).with_scope(scope);
    Access::with_purpose(caller, PURPOSE).unwrap()
}

async fn log(veza: &Veza) -> Vec<AuditEntry> {
    veza.store().entries(i64::MIN, 10_000).await.unwrap()
}

fn form(values: &[(&str, &str)]) -> NewCase {
    let mut case = NewCase::default();
    for (p, v) in values {
        case.properties.entry((*p).to_owned()).or_default().push((*v).to_owned());
    }
    case
}

#[tokio::test]
async fn the_form_is_checked_field_by_field() {
    let veza = platform().await;
    let problems = veza.check_case(&form(&[("status", "lost"), ("openedDate", "31.02.2026"), ("caseNumber", "X-1")]));
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["openedDate", "status", "name"], "{problems:?}");
    assert!(veza.check_case(&form(&[("name", "Lastavica"), ("exploitationType", "forced_labour")])).is_empty());
}

#[tokio::test]
async fn a_case_is_worked_by_its_members_and_shared_on_purpose() {
    let veza = platform().await;
    let ivan = signed_in(&veza, "ivan").await;
    let fields = [("name", "Operation Lastavica"), ("status", "open"), ("exploitationType", "forced_labour")];
    let case = veza.create_case(&ivan, form(&fields)).await.unwrap();
    let members = veza.case_members(&ivan, &case.id).await.unwrap();
    assert_eq!((members[0].username.as_str(), members[0].capacity.as_str()), ("ivan", Capacity::Investigator.code()));

    // Attach an operation record; a person cannot name a case itself.
    let suspect: NewEntity = serde_json::from_value(serde_json::json!({"id": "s-1", "schema": "Operation",
        "properties": {"name": ["Sweep Drina"]}}))
    .unwrap();
    veza.create_entity(&ivan, suspect).await.unwrap();
    let person: NewEntity = serde_json::from_value(serde_json::json!({"id": "p-1", "schema": "Person",
        "properties": {"name": ["Dragan Ilić"]}}))
    .unwrap();
    veza.create_entity(&ivan, person).await.unwrap();
    let n = log(&veza).await.len();
    veza.attach_to_case(&ivan, &case.id, "s-1").await.unwrap();
    let entries = log(&veza).await;
    let attach = entries[n..].iter().find(|e| e.action == AuditAction::Combine).expect("audited");
    assert_eq!(attach.entity_ids, ["s-1".to_owned(), case.id.clone()]);
    assert!(matches!(veza.attach_to_case(&ivan, &case.id, "s-1").await, Err(AppError::Conflict(_))));
    let err = veza.attach_to_case(&ivan, &case.id, "p-1").await.unwrap_err();
    assert!(matches!(err, AppError::Invalid { .. }), "{err}");
    let file = veza.case_file(&ivan, &case.id).await.unwrap();
    assert_eq!(file.records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["s-1"]);

    // Evidence once per SHA-256; a note; a task for a member.
    let first = veza.attach_evidence(&ivan, &case.id, "../scan.pdf", b"%PDF-1.7 test").await.unwrap();
    let Attached::New(first) = first else { panic!("new: {first:?}") };
    assert_eq!((first.file_name.as_str(), first.media_type.as_str()), ("scan.pdf", "application/pdf"));
    assert_eq!(first.sha256, veza_app::sha256_hex(b"%PDF-1.7 test"));
    let again = veza.attach_evidence(&ivan, &case.id, "copy.pdf", b"%PDF-1.7 test").await.unwrap();
    assert!(matches!(again, Attached::AlreadyThere(e) if e.id == first.id));
    veza.add_case_note(&ivan, &case.id, "<script>x</script> kept as text").await.unwrap();
    let task = veza.add_case_task(&ivan, &case.id, "Bank records", "ivan", None).await.unwrap();
    veza.set_case_task_status(&ivan, &case.id, task.id, TaskStatus::Done).await.unwrap();
    let work = veza.case_file(&ivan, &case.id).await.unwrap().workspace.expect("the owner works on it");
    assert_eq!((work.evidence.len(), work.notes.len(), work.tasks[0].status), (1, 1, TaskStatus::Done));

    // Outside the case: not found, logged as denied; nothing of the file leaks.
    let arben = signed_in(&veza, "arben").await;
    assert!(matches!(veza.case_file(&arben, &case.id).await, Err(AppError::NotFound(_))));
    let denied = log(&veza).await.into_iter().rev().find(|e| e.actor == "arben").unwrap();
    assert_eq!((denied.action, denied.outcome), (AuditAction::Consult, AuditOutcome::Denied));
    assert!(matches!(veza.evidence_file(&arben, &case.id, first.id).await, Err(AppError::NotFound(_))));
    assert!(veza.add_case_note(&arben, &case.id, "hello").await.is_err());
    assert!(veza.my_cases(&arben).await.unwrap().is_empty());
    assert_eq!(veza.my_cases(&ivan).await.unwrap().len(), 1);

    // A whole-case share: Albania reads the case and its suspect, not the working file.
    let share = veza.share_case(&ivan, &case.id, "al-thb", None, ShareHandling::NoOnwardSharing).await.unwrap();
    let disclosed = log(&veza).await.into_iter().rev().find(|e| e.action == AuditAction::Disclose).unwrap();
    assert_eq!(disclosed.entity_ids, std::slice::from_ref(&case.id));
    let arben = signed_in(&veza, "arben").await;
    let shared = veza.case_file(&arben, &case.id).await.unwrap();
    assert_eq!(shared.records.len(), 1);
    assert!(shared.workspace.is_none(), "notes, tasks and evidence stay with the case");
    assert!(matches!(veza.entity(&arben, "p-1").await.unwrap(), Lookup::NotFound), "p-1 is not in the case");
    assert!(veza.revoke_case_share(&ivan, &case.id, share.id).await.unwrap());
    let arben = signed_in(&veza, "arben").await;
    assert!(matches!(veza.case_file(&arben, &case.id).await, Err(AppError::NotFound(_))));

    // Detach: the record leaves the case.
    veza.detach_from_case(&ivan, &case.id, "s-1").await.unwrap();
    assert!(veza.case_file(&ivan, &case.id).await.unwrap().records.is_empty());
}
