//! `veza screen` as a user runs it: the file contract of issue 5.

use std::path::Path;
use std::process::{Command, Output};

fn veza(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .current_dir(dir)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .output()
        .expect("run veza")
}

const HEADER: &str = "id,name,aliases,birth_date,gender,nationality,document_number\n";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn finds_people_across_scripts_and_documents_and_writes_the_hits_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "w.csv",
        &format!(
            "{HEADER}WL1,Ђорђе Петровић,,1980-05-07,M,RS,\nWL2,Ivana Petrovska,,1990-01-02,F,MK,\nWL3,Mujo Isaković,,1974-05-14,M,BA,T3650532\n"
        ),
    );
    write(
        d,
        "w2.jsonl",
        r#"{"id":"N1","schema":"Person","properties":{"name":["Muhammad Abd al-Rahman"],"birthDate":["1985"],"gender":["male"],"nationality":["sy"],"passportNumber":["N123456"]}}
"#,
    );
    write(
        d,
        "q.csv",
        &format!(
            "{HEADER}Q1,DJORDJE PETROVIC,,1980,M,,\nQ2,Ivan Petrovski,,1990-01-02,M,MK,\nQ3,,,,,,T36-505-32\nQ4,Mohammed Abdul Rahman,,1985-03-01,M,SY,\nQ5,,,,,,T365O532\n"
        ),
    );
    let o = veza(
        d,
        &[
            "screen",
            "--watchlist",
            "w.csv",
            "--watchlist",
            "w2.jsonl",
            "--queries",
            "q.csv",
            "--output",
            "hits.csv",
            "--threshold",
            "0.7",
            "--limit",
            "5",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("queries: 5"), "{out}");
    assert!(out.contains("hits: 4"), "{out}");
    assert!(out.contains("queries/s"), "{out}");
    let hits = std::fs::read_to_string(d.join("hits.csv")).unwrap();
    let mut lines = hits.lines();
    assert_eq!(lines.next(), Some("query_id,match_id,score,explanation"));
    let rows: Vec<(&str, &str)> = lines
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    assert!(rows.contains(&("Q1", "WL1")), "{hits}");
    assert!(rows.contains(&("Q3", "WL3")), "{hits}");
    assert!(rows.contains(&("Q4", "N1")), "{hits}");
    assert!(rows.contains(&("Q5", "WL3")), "{hits}");
    assert!(!rows.iter().any(|r| r.0 == "Q2"), "Ivan Petrovski is not Ivana Petrovska: {hits}");
    assert!(hits.contains("OCR"), "the OCR match is flagged: {hits}");
}

#[test]
fn malformed_files_are_refused_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "w.csv", &format!("{HEADER}WL1,Ana,,1990-02-30,F,,\n"));
    write(d, "bad_header.csv", "id,name,dob\nQ1,Ana,1990\n");
    write(d, "q.csv", &format!("{HEADER}Q1,Ana,,,X,,\n"));
    let o = veza(d, &["screen", "--watchlist", "w.csv", "--queries", "q.csv", "--output", "h.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("w.csv: line 2: field birth_date"), "{err}");
    write(d, "w.csv", &format!("{HEADER}WL1,Ana,,1990,F,,\n"));
    let o = veza(d, &["screen", "--watchlist", "w.csv", "--queries", "q.csv", "--output", "h.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("q.csv: line 2: field gender"), "{err}");
    let o = veza(d, &["screen", "--watchlist", "bad_header.csv", "--queries", "q.csv", "--output", "h.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("wrong header"), "{err}");
    let o =
        veza(d, &["screen", "--watchlist", "w.csv", "--queries", "w.csv", "--output", "h.csv", "--threshold", "1.5"]);
    assert!(!o.status.success());
}
