//! `veza matches` and the watchlist formats of `veza import`, as an
//! operator runs them: a border log cross-referenced against a police file,
//! a pair confirmed and split; notices and a lost/stolen list imported in
//! their own shapes; errors that say what to do.

use std::path::Path;
use std::process::{Command, Output};

fn veza(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .output()
        .expect("run veza")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn failed(o: &Output) -> String {
    assert!(!o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GIVEN: [&str; 10] =
    ["Arben", "Besnik", "Dragan", "Marko", "Ivana", "Milica", "Driton", "Fatmir", "Jelena", "Goran"];
const FAMILY: [&str; 9] =
    ["Krasniqi", "Hoxha", "Petrović", "Jovanović", "Gashi", "Berisha", "Nikolić", "Stojanović", "Ilić"];

fn people(path: &Path, prefix: &str, border_style: bool) {
    let mut text = String::new();
    for i in 0..30 {
        let (g, f) = (GIVEN[i % GIVEN.len()], FAMILY[(i * 7 + i / 3) % FAMILY.len()]);
        let name = if border_style { format!("{} {}", f.to_uppercase(), g.to_uppercase()) } else { format!("{g} {f}") };
        text.push_str(&format!(
            "{{\"id\":\"{prefix}-{i}\",\"schema\":\"Person\",\"properties\":{{\"name\":[\"{name}\"],\"birthDate\":[\"19{:02}-{:02}-{:02}\"]}}}}\n",
            60 + i,
            1 + i % 12,
            1 + i % 28
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_border_log_is_cross_referenced_and_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, border) in [("police", false), ("border", true)] {
        let file = d.join(format!("{name}.json"));
        people(&file, name, border);
        ok(&veza(d, &["import", file.to_str().unwrap(), "--dataset", name]));
    }
    let out = ok(&veza(d, &["matches", "xref", "--dataset", "border"]));
    assert!(out.contains("30 records in scope against 60"), "{out}");
    let list = ok(&veza(d, &["matches", "list", "--json"]));
    let pairs: serde_json::Value = serde_json::from_str(&list).unwrap();
    let pairs = pairs.as_array().unwrap();
    assert!(pairs.len() >= 25, "{list}");
    let id = pairs[0]["id"].as_i64().unwrap().to_string();
    let show = ok(&veza(d, &["matches", "show", &id]));
    assert!(show.contains("Why:") && show.contains("birth_date"), "{show}");
    let done = ok(&veza(d, &["matches", "decide", &id, "confirmed", "--reason", "same date of birth"]));
    assert!(done.contains("is now confirmed"), "{done}");
    let err = failed(&veza(d, &["matches", "decide", &id, "rejected", "--reason", "oops"]));
    assert!(err.contains("cannot become rejected"), "{err}");
    ok(&veza(d, &["matches", "decide", &id, "split", "--reason", "different fathers"]));
    let err = failed(&veza(d, &["matches", "xref", "--dataset", "no-such"]));
    assert!(err.contains("dataset no-such not found"), "{err}");
    let err = failed(&veza(d, &["matches", "list", "--status", "maybe"]));
    assert!(err.contains("use proposed"), "{err}");
}

#[test]
fn notices_and_lost_documents_import_in_their_own_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let notices = d.join("notices.jsonl");
    std::fs::write(
        &notices,
        concat!(
            r#"{"entity_id": "2024/1", "forename": "ARBEN", "name": "KRASNIQI", "date_of_birth": "1979", "nationalities": ["XK"], "_links": {"self": {"href": "https://ws-public.interpol.int/notices/v1/red/2024-1"}}}"#,
            "\n",
            r#"{"entity_id": "2024/2", "name": "NOLINK"}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = ok(&veza(d, &["import", notices.to_str().unwrap(), "--format", "interpol-notices"]));
    assert!(out.contains("1 created") && out.contains("1 rejected"), "{out}");
    let rejects = std::fs::read_to_string(d.join("notices.jsonl.rejects.csv")).unwrap();
    assert!(rejects.contains("_links.self.href"), "{rejects}");
    let stolen = d.join("stolen.csv");
    std::fs::write(
        &stolen,
        "document_id,document_number,document_type,issuing_country,status,reported_date,reporting_country\n\
         SLTD-1,BA4471190,passport,al,stolen,2022-11-03,al\nSLTD-2,X1,passport,zz-bad,lost,2023-02-30,rs\n",
    )
    .unwrap();
    let out = ok(&veza(d, &["import", stolen.to_str().unwrap(), "--format", "lost-stolen-documents"]));
    assert!(out.contains("dataset lost-stolen-documents"), "{out}");
    let err = failed(&veza(d, &["import", stolen.to_str().unwrap(), "--format", "pdf"]));
    assert!(err.contains("unknown format 'pdf'"), "{err}");
}
