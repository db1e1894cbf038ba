//! Every entity use case writes exactly one audit entry with its purpose;
//! a user's read without a purpose is refused and logged; a failed audit
//! write fails the read.

use std::path::Path;
use veza_app::{
    Access, AppError, AuditAction, AuditEntry, AuditFilter, AuditOutcome, Caller, ImportOptions, Lookup, NewEntity,
    Veza,
};
use veza_store::Agency;

const PURPOSE: &str = "case RS-2026-14";

fn officer() -> Caller {
    Caller::user("ana", "rs-bp", "rs", &[])
}

fn outsider() -> Caller {
    Caller::user("boris", "mk-thb", "mk", &[])
}

fn with_purpose(caller: Caller) -> Access {
    Access::with_purpose(caller, PURPOSE).unwrap()
}

async fn platform(dir: &Path) -> Veza {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("rs-bp", "rs"), ("mk-thb", "mk")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza
}

fn person(id: &str, name: &str) -> NewEntity {
    serde_json::from_value(serde_json::json!({"id": id, "schema": "Person", "properties": {"name": [name]}})).unwrap()
}

/// Every entry, oldest first.
async fn log(veza: &Veza) -> Vec<AuditEntry> {
    veza.store().entries(i64::MIN, 10_000).await.unwrap()
}

/// The entries written since `before` entries; asserts there is exactly one.
async fn one_new(veza: &Veza, before: usize) -> AuditEntry {
    let all = log(veza).await;
    assert_eq!(all.len(), before + 1, "exactly one entry: {:#?}", &all[before..]);
    all[before].clone()
}

#[tokio::test]
async fn each_use_case_writes_one_entry_with_its_purpose() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    let ana = with_purpose(officer());

    let n = log(&veza).await.len();
    veza.create_entity(&ana, person("p-marko", "Marko Petrović")).await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!((e.action, e.outcome), (AuditAction::Collect, AuditOutcome::Ok));
    assert_eq!((e.actor.as_str(), e.agency.as_str(), e.purpose.as_str()), ("ana", "rs-bp", PURPOSE));
    assert_eq!(e.entity_ids, ["p-marko"]);

    let n = log(&veza).await.len();
    assert!(matches!(veza.entity(&ana, "p-marko").await.unwrap(), Lookup::Found(_)));
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.outcome, e.entity_ids.clone()),
        (AuditAction::Consult, AuditOutcome::Ok, vec!["p-marko".into()])
    );
    assert_eq!((e.actor.as_str(), e.purpose.as_str()), ("ana", PURPOSE));

    let n = log(&veza).await.len();
    veza.statements(&ana, "p-marko").await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.outcome, e.entity_ids.clone()),
        (AuditAction::Consult, AuditOutcome::Ok, vec!["p-marko".into()])
    );

    let n = log(&veza).await.len();
    veza.links(&ana, "p-marko").await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.outcome, e.entity_ids.clone()),
        (AuditAction::Consult, AuditOutcome::Ok, vec!["p-marko".into()])
    );

    let n = log(&veza).await.len();
    let page = veza.search(&ana, "petrovic", None, 10, 0).await.unwrap();
    assert_eq!(page.results.len(), 1);
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.outcome, e.entity_ids.clone()),
        (AuditAction::Consult, AuditOutcome::Ok, vec!["p-marko".into()])
    );
    assert!(e.detail.contains("petrovic"), "the query is the detail: {}", e.detail);

    // The outsider may not see it: refused, and logged as denied, for each read.
    let boris = with_purpose(outsider());
    let n = log(&veza).await.len();
    assert!(matches!(veza.entity(&boris, "p-marko").await.unwrap(), Lookup::NotFound));
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.actor.as_str(), e.outcome, e.entity_ids.clone()),
        ("boris", AuditOutcome::Denied, vec!["p-marko".into()])
    );
    for read in ["links", "statements"] {
        let n = log(&veza).await.len();
        let err = match read {
            "links" => veza.links(&boris, "p-marko").await.map(|_| ()).unwrap_err(),
            _ => veza.statements(&boris, "p-marko").await.map(|_| ()).unwrap_err(),
        };
        assert!(matches!(err, AppError::NotFound(_)), "{read}: {err}");
        assert_eq!(one_new(&veza, n).await.outcome, AuditOutcome::Denied, "{read}");
    }

    // Export: one disclosure, count and target in the detail, no ids.
    let op = Access::operator("export", None).unwrap();
    let n = log(&veza).await.len();
    let mut out = Vec::new();
    let summary = veza.export_ftm(&op, "out.ftm.json", &mut out, |_| {}).await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!((e.action, e.outcome), (AuditAction::Disclose, AuditOutcome::Ok));
    assert_eq!((e.actor.as_str(), e.purpose.as_str()), ("system:cli export", "local operator: export"));
    assert!(e.detail.contains(&format!("{} entities", summary.entities)) && e.detail.contains("out.ftm.json"));

    // Import: one collection per file, dataset, counts and file in the detail, no ids.
    let file = dir.path().join("people.ftm.json");
    std::fs::write(&file, &out).unwrap();
    let op = Access::operator("import", Some("case RS-2026-15 intake")).unwrap();
    let n = log(&veza).await.len();
    let options = ImportOptions { dataset: Some("intake".into()), ..ImportOptions::default() };
    veza.import_file(&op, &file, &options, |_| {}).await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.outcome, e.purpose.as_str()),
        (AuditAction::Collect, AuditOutcome::Ok, "case RS-2026-15 intake")
    );
    assert!(e.entity_ids.is_empty());
    assert!(
        e.detail.contains("people.ftm.json") && e.detail.contains("intake") && e.detail.contains("1 rows"),
        "{}",
        e.detail
    );

    // Retention: the list is a consultation; a decision is logged with its reason.
    let op = Access::operator("retention", None).unwrap();
    let n = log(&veza).await.len();
    let far = chrono::NaiveDate::from_ymd_opt(2200, 1, 1).unwrap();
    let due = veza.retention_due(&op, far, 100).await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!((e.action, e.entity_ids.len()), (AuditAction::Consult, due.len()));
    let n = log(&veza).await.len();
    veza.erase_entity(&with_purpose(officer()), "p-marko", "no longer needed").await.unwrap();
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.action, e.purpose.as_str(), e.entity_ids.clone()),
        (AuditAction::Erase, "no longer needed", vec!["p-marko".into()])
    );

    // Who looked at this person, and why.
    let filter = AuditFilter { entity: Some("p-marko".into()), ..AuditFilter::default() };
    assert!(
        veza.search_audit(&filter)
            .await
            .unwrap()
            .iter()
            .any(|e| e.actor == "boris" && e.outcome == AuditOutcome::Denied)
    );
    assert!(veza.verify_audit(None, |_, _| {}).await.unwrap().is_ok(), "the chain holds");
}

#[tokio::test]
async fn a_user_without_a_purpose_is_refused_and_the_refusal_logged() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    veza.create_entity(&with_purpose(officer()), person("p-ana", "Ana Kovač")).await.unwrap();
    let bare = Access::new(officer(), None);
    let n = log(&veza).await.len();
    assert!(matches!(veza.entity(&bare, "p-ana").await, Err(AppError::PurposeRequired)));
    let e = one_new(&veza, n).await;
    assert_eq!(
        (e.actor.as_str(), e.action, e.outcome, e.purpose.as_str()),
        ("ana", AuditAction::Consult, AuditOutcome::Denied, "")
    );
    assert_eq!(e.entity_ids, ["p-ana"], "the refusal names what was asked for");
    assert!(e.detail.contains("no purpose"), "{}", e.detail);
    assert!(matches!(veza.search(&bare, "ana", None, 10, 0).await, Err(AppError::PurposeRequired)));
    assert!(matches!(veza.links(&bare, "p-ana").await, Err(AppError::PurposeRequired)));
    assert!(matches!(veza.statements(&bare, "p-ana").await, Err(AppError::PurposeRequired)));
    assert!(matches!(veza.create_entity(&bare, person("p-x", "X Y")).await, Err(AppError::PurposeRequired)));
    assert!(matches!(veza.store().entity(&officer(), "p-x").await.unwrap(), Lookup::NotFound), "nothing created");
    // Bad purposes are refused before anything is read.
    assert!(Access::with_purpose(officer(), " x ").is_err());
    assert!(Access::with_purpose(officer(), "case\u{7}1").is_err());
}

#[tokio::test]
async fn a_failed_audit_write_fails_the_read() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    let ana = with_purpose(officer());
    veza.create_entity(&ana, person("p-ana", "Ana Kovač")).await.unwrap();
    let url = format!("sqlite://{}", dir.path().join("veza.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("DROP TABLE audit_entity").execute(&pool).await.unwrap();
    sqlx::query("DROP TABLE audit_entry").execute(&pool).await.unwrap();
    pool.close().await;
    assert!(matches!(veza.entity(&ana, "p-ana").await, Err(AppError::Store(_))), "no data without its entry");
    assert!(veza.search(&ana, "ana", None, 10, 0).await.is_err());
    assert!(veza.create_entity(&ana, person("p-new", "New Person")).await.is_err());
    assert!(matches!(veza.store().entity(&officer(), "p-new").await.unwrap(), Lookup::NotFound), "nothing created");
}
