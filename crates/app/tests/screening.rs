//! Screening in the platform: notices and lost/stolen lists imported in
//! their own shapes, persons found across scripts, documents found exactly
//! and by OCR confusion, the policy applied to every result, and one audit
//! entry per check.

use std::path::Path;
use veza_app::{
    Access, AppError, AuditAction, AuditEntry, Caller, DocumentQuery, ImportOptions, NewEntity, ScreenQuery, Veza,
};
use veza_store::Agency;

const PURPOSE: &str = "border check Tabanovce";

fn officer() -> Caller {
    Caller::user("ana", "mk-bp", "mk", &[])
}

fn outsider() -> Caller {
    Caller::user("boris", "al-sp", "al", &[])
}

fn access(caller: Caller) -> Access {
    Access::with_purpose(caller, PURPOSE).unwrap()
}

async fn platform(dir: &Path) -> Veza {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("mk-bp", "mk"), ("al-sp", "al"), ("int-gs", "fr")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza
}

const NOTICES: &str = r#"{"forename": "MUHAMMAD", "name": "ABD AL-RAHMAN", "date_of_birth": "1985/03/02", "entity_id": "2024/1001", "nationalities": ["SY"], "sex_id": "M", "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/red/2024-1001"}}}
{"forename": "ARBEN", "name": "KRASNIQI", "date_of_birth": "1979", "entity_id": "2024/1002", "nationalities": ["XK"], "sex_id": "M", "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/red/2024-1002"}}}
{"forename": "IVANA", "name": "PETROVSKA", "date_of_birth": "2004/07/19", "entity_id": "2024/1003", "nationalities": ["MK"], "sex_id": "F", "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/yellow/2024-1003"}}}
"#;

const DOCUMENTS: &str =
    "document_id,document_number,document_type,issuing_country,status,reported_date,reporting_country
SLTD-AL-1,BA4471190,passport,al,stolen,2022-11-03,al
SLTD-RS-2,OB1234567,passport,rs,lost,2023-01-10,rs
SLTD-RS-3,,passport,rs,lost,2023-01-10,rs
";

async fn load_watchlists(veza: &Veza, dir: &Path) {
    let notices = dir.join("notices.jsonl");
    std::fs::write(&notices, NOTICES).unwrap();
    let gs = Access::new(Caller::system("test"), None);
    let options = ImportOptions {
        format: Some("interpol-notices".into()),
        dataset: Some("interpol-notices".into()),
        agency: Some("int-gs".into()),
        ..ImportOptions::default()
    };
    let s = veza.import_file(&gs, &notices, &options, |_| {}).await.unwrap();
    assert_eq!((s.created, s.rejected_rows), (3, 0));
    let documents = dir.join("stolen.csv");
    std::fs::write(&documents, DOCUMENTS).unwrap();
    let options = ImportOptions {
        format: Some("lost-stolen-documents".into()),
        agency: Some("int-gs".into()),
        ..ImportOptions::default()
    };
    let s = veza.import_file(&gs, &documents, &options, |_| {}).await.unwrap();
    // A row without a number is kept, as every source row is, and never matches.
    assert_eq!((s.dataset.as_str(), s.created, s.rejected_rows), ("lost-stolen-documents", 3, 0));
}

fn query(name: &str, birth: &str) -> veza_app::ScreenPerson {
    let q = ScreenQuery { name: Some(name.into()), birth_date: vec![birth.into()], ..ScreenQuery::default() };
    q.to_person("person", "q").unwrap()
}

async fn log(veza: &Veza) -> Vec<AuditEntry> {
    veza.store().entries(i64::MIN, 10_000).await.unwrap()
}

#[tokio::test]
async fn a_name_in_another_script_finds_the_notice_and_the_check_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    load_watchlists(&veza, dir.path()).await;
    let before = log(&veza).await.len();
    let queries = [query("Мухамед Абдулрахман", "1985-03-02"), query("Krasniqi Arben", "1979-06-01")];
    let answers = veza.screen(&access(officer()), "interpol-notices", &queries, 0.7, 5).await.unwrap();
    assert_eq!(answers[0].results[0].id, "notice-red-2024-1001", "{answers:#?}");
    assert!(answers[0].results[0].explanations.0.contains_key("name"));
    assert_eq!(answers[1].results[0].id, "notice-red-2024-1002");
    // `Ivan` is not `Ivana`, `Petrovski` not `Petrovska`.
    let q = ScreenQuery { name: Some("Ivan Petrovski".into()), gender: Some("M".into()), ..ScreenQuery::default() };
    let other = veza.screen(&access(officer()), "default", &[q.to_person("p", "x").unwrap()], 0.7, 5).await.unwrap();
    assert!(other[0].results.iter().all(|r| r.id != "notice-yellow-2024-1003"), "{other:#?}");

    let entries = log(&veza).await;
    let new: Vec<_> = entries[before..].iter().filter(|e| e.detail.starts_with("screening")).collect();
    assert!(!new.is_empty());
    let first = new[0];
    assert_eq!((first.action, first.purpose.as_str()), (AuditAction::Consult, PURPOSE));
    assert!(first.entity_ids.contains(&"notice-red-2024-1001".to_owned()), "{first:?}");
}

#[tokio::test]
async fn documents_match_exactly_or_by_ocr_confusion_and_never_across_countries() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    load_watchlists(&veza, dir.path()).await;
    let doc = |n: &str, c: Option<&str>| DocumentQuery { id: None, number: n.into(), country: c.map(str::to_owned) };
    let docs = [
        doc("ba 447-1190", Some("AL")),
        doc("8A4471190", Some("al")),
        doc("BA4471190", Some("rs")),
        doc("0B1234567", None),
    ];
    let answers = veza.check_documents(&access(officer()), "default", &docs).await.unwrap();
    assert_eq!(answers[0].hits.len(), 1);
    assert_eq!(serde_json::to_value(answers[0].hits[0].kind).unwrap(), "exact");
    assert_eq!(serde_json::to_value(answers[1].hits[0].kind).unwrap(), "ocr_confusion");
    assert!(answers[2].hits.is_empty(), "another issuing country is another document");
    assert_eq!(answers[3].hits.len(), 1, "an unknown country matches any");
    let short = veza.check_documents(&access(officer()), "default", &[doc("12", None)]).await;
    assert!(matches!(short, Err(AppError::Invalid { .. })));
}

#[tokio::test]
async fn a_record_the_caller_may_not_see_is_never_a_result() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    let secret: NewEntity = serde_json::from_value(serde_json::json!({
        "id": "p-informant", "schema": "Person",
        "properties": {"name": ["Dragan Stojanović"], "birthDate": ["1974-05-12"]},
        "handling": {"visibility": "agency", "existence_visible": false}}))
    .unwrap();
    veza.create_entity(&access(officer()), secret).await.unwrap();
    let q = [query("Dragan Stojanovic", "1974-05-12")];
    let mine = veza.screen(&access(officer()), "default", &q, 0.7, 5).await.unwrap();
    assert_eq!(mine[0].results.len(), 1, "the owner finds it");
    let theirs = veza.screen(&access(outsider()), "default", &q, 0.7, 5).await.unwrap();
    assert!(theirs[0].results.is_empty(), "{theirs:#?}");
    let last = log(&veza).await.pop().unwrap();
    assert!(last.entity_ids.is_empty(), "nothing shown, nothing named: {last:?}");
    // Without a purpose, no check.
    let none = veza.screen(&Access::new(outsider(), None), "default", &q, 0.7, 5).await;
    assert!(matches!(none, Err(AppError::PurposeRequired)));
    // An unknown watchlist is an error, not an empty answer.
    let unknown = veza.screen(&access(officer()), "no-such-list", &q, 0.7, 5).await;
    assert!(matches!(unknown, Err(AppError::NotFound(_))));
}
