//! Cross-referencing and the review queue: pairs found across datasets,
//! decided, split, fed back as labels; never a record the caller may not
//! see; every decision audited as a combination.

use std::io::Write;
use std::path::Path;
use veza_app::{Access, AppError, AuditAction, AuditEntry, Caller, ImportOptions, MatchStatus, Role, Veza, XrefScope};
use veza_store::Agency;

const PURPOSE: &str = "case XK-2026-31";
const GIVEN: [&str; 12] =
    ["Arben", "Besnik", "Dragan", "Marko", "Ivana", "Milica", "Driton", "Fatmir", "Jelena", "Goran", "Elira", "Vesna"];
const FAMILY: [&str; 10] =
    ["Krasniqi", "Hoxha", "Petrović", "Jovanović", "Gashi", "Berisha", "Nikolić", "Stojanović", "Morina", "Ilić"];

fn analyst(agency: &str, country: &str) -> Access {
    Access::with_purpose(Caller::user(&format!("analyst.{agency}"), agency, country, &[Role::Analyst]), PURPOSE)
        .unwrap()
}

async fn platform(dir: &Path) -> Veza {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    for (code, country) in [("xk-kp", "xk"), ("rs-mup", "rs")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        veza.store().put_agency(&agency).await.unwrap();
    }
    veza
}

/// Person `i`: a name, a birth date and a nationality.
fn person(i: usize) -> (String, String, String) {
    let given = GIVEN[i % GIVEN.len()];
    let family = FAMILY[(i * 7 + i / 3) % FAMILY.len()];
    (
        format!("{given} {family}"),
        format!("19{:02}-{:02}-{:02}", 60 + i % 40, 1 + i % 12, 1 + (i * 5) % 28),
        "xk".into(),
    )
}

fn write_ftm(path: &Path, rows: &[(String, String, String, String, &str)]) {
    let mut out = std::fs::File::create(path).unwrap();
    for (id, name, born, nationality, visibility) in rows {
        writeln!(
            out,
            r#"{{"id":"{id}","schema":"Person","properties":{{"name":["{name}"],"birthDate":["{born}"],"nationality":["{nationality}"]}},"veza":{{"handling":{{"visibility":"{visibility}"}}}}}}"#
        )
        .unwrap();
    }
}

/// 60 police records; 30 border records of the first 30 people, written
/// as a border log writes them; a record of Serbia's only, hidden from
/// Kosovo, that duplicates person 0.
async fn load(veza: &Veza, dir: &Path) {
    let op = Access::new(Caller::system("test"), None);
    let police: Vec<_> = (0..60)
        .map(|i| {
            let (n, b, c) = person(i);
            (format!("kp-{i}"), n, b, c, "all")
        })
        .collect();
    let border: Vec<_> = (0..30)
        .map(|i| {
            let (n, b, c) = person(i);
            let upper: Vec<String> = n.split(' ').rev().map(str::to_uppercase).collect();
            (format!("bp-{i}"), upper.join(" "), b, c, "all")
        })
        .collect();
    let (n, b, c) = person(0);
    let hidden = vec![("mup-0".to_owned(), n, b, c, "agency")];
    for (name, rows, agency) in [("police", police, "xk-kp"), ("border", border, "xk-kp"), ("serbia", hidden, "rs-mup")]
    {
        let file = dir.join(format!("{name}.json"));
        write_ftm(&file, &rows);
        let options =
            ImportOptions { dataset: Some(name.into()), agency: Some(agency.into()), ..ImportOptions::default() };
        veza.import_file(&op, &file, &options, |_| {}).await.unwrap();
    }
}

async fn log(veza: &Veza) -> Vec<AuditEntry> {
    veza.store().entries(i64::MIN, 100_000).await.unwrap()
}

#[tokio::test]
async fn border_records_are_proposed_decided_split_and_learned_from() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    load(&veza, dir.path()).await;
    let kosovo = analyst("xk-kp", "xk");
    let summary = veza.cross_reference(&kosovo, &XrefScope::Dataset("border".into()), 0.9).await.unwrap();
    assert_eq!(summary.records_in_scope, 30);
    assert_eq!(summary.records_compared, 90, "the hidden Serbian record is not compared: {summary:?}");
    assert!(summary.proposed >= 25, "{summary:?}");

    let queue = veza.match_queue(&kosovo, Some(MatchStatus::Proposed), 100, 0).await.unwrap();
    assert_eq!(queue.len() as u64, summary.proposed);
    let first = queue.iter().find(|m| m.candidate.left_id == "bp-0" || m.candidate.right_id == "bp-0").unwrap();
    assert!(first.candidate.explanation["fields"].is_array(), "{:?}", first.candidate.explanation);
    let id = first.candidate.id;
    let detail = veza.match_detail(&kosovo, id).await.unwrap();
    assert_eq!(detail.left.schema, "Person");

    let before = log(&veza).await.len();
    let confirmed = veza.decide_match(&kosovo, id, MatchStatus::Confirmed, "same date of birth and passport").await;
    assert_eq!(confirmed.unwrap().status, MatchStatus::Confirmed);
    let entries = log(&veza).await;
    let combine: Vec<_> = entries[before..].iter().filter(|e| e.action == AuditAction::Combine).collect();
    assert_eq!(combine.len(), 1);
    assert_eq!(combine[0].entity_ids.len(), 2);
    assert!(combine[0].detail.contains("confirmed"));
    assert_eq!(veza.same_as(&kosovo, "bp-0").await.unwrap().len(), 1);

    // A confirmed merge is split, not rejected; the split is kept in the history.
    let wrong = veza.decide_match(&kosovo, id, MatchStatus::Rejected, "changed my mind").await;
    assert!(matches!(wrong, Err(AppError::Forbidden(_))), "{wrong:?}");
    veza.decide_match(&kosovo, id, MatchStatus::Split, "different fathers' names").await.unwrap();
    assert!(veza.same_as(&kosovo, "bp-0").await.unwrap().is_empty());
    let history = veza.match_detail(&kosovo, id).await.unwrap().history;
    assert_eq!(history.iter().map(|d| d.status).collect::<Vec<_>>(), [MatchStatus::Confirmed, MatchStatus::Split]);

    // The split is a label next time, and the pair is not proposed again.
    let again = veza.cross_reference(&kosovo, &XrefScope::Dataset("border".into()), 0.9).await.unwrap();
    assert_eq!((again.labels, again.proposed), (1, 0), "{again:?}");
}

#[tokio::test]
async fn a_pair_with_a_record_the_caller_may_not_see_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let veza = platform(dir.path()).await;
    load(&veza, dir.path()).await;
    let serbia = analyst("rs-mup", "rs");
    veza.cross_reference(&serbia, &XrefScope::Dataset("serbia".into()), 0.9).await.unwrap();
    let theirs = veza.match_queue(&serbia, None, 100, 0).await.unwrap();
    let with_hidden: Vec<_> =
        theirs.iter().filter(|m| m.candidate.left_id == "mup-0" || m.candidate.right_id == "mup-0").collect();
    assert!(!with_hidden.is_empty(), "Serbia sees its own record's matches");
    let id = with_hidden[0].candidate.id;

    let kosovo = analyst("xk-kp", "xk");
    let queue = veza.match_queue(&kosovo, None, 500, 0).await.unwrap();
    assert!(queue.iter().all(|m| m.candidate.left_id != "mup-0" && m.candidate.right_id != "mup-0"));
    assert!(matches!(veza.match_detail(&kosovo, id).await, Err(AppError::NotFound(_))));
    let decide = veza.decide_match(&kosovo, id, MatchStatus::Confirmed, "looks the same").await;
    assert!(matches!(decide, Err(AppError::NotFound(_))));

    // Border officers do not decide; a decision needs a reason.
    let officer = Access::with_purpose(Caller::user("b", "rs-mup", "rs", &[Role::BorderOfficer]), PURPOSE).unwrap();
    assert!(matches!(
        veza.decide_match(&officer, id, MatchStatus::Confirmed, "same").await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(veza.decide_match(&serbia, id, MatchStatus::Confirmed, "").await, Err(AppError::Invalid { .. })));
}
