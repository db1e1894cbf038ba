//! `veza resolve` on small files: with and without settings, linking two
//! inputs, and clear errors on malformed input.

use std::path::Path;
use std::process::{Command, Output};

fn veza(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza")).current_dir(dir).args(args).output().expect("run veza")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const PEOPLE: &str = "id,first_name,last_name,birth_date,phone,entity_id
a1,Arben,Krasniqi,1985-03-07,+38349123456,1
a2,ARBEN,KRASNIQI,1985-03-07,049123456,1
a3,Arben,Krasniqi,1985-07-03,,1
b1,Milica,Petrović,1990-11-02,+381641234567,2
b2,Milica,Petrovic,1990-11-02,0641234567,2
c1,Jovan,Nikolić,1972-01-15,,3
d1,Ana,Kovač,2001-06-30,,4
e1,Dritan,Hoxha,1968-12-01,,5
f1,Sara,Marković,1995-04-21,,6
g1,Ilir,Berisha,1979-09-09,,7
";

fn clusters(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("record_id,cluster_id"));
    lines.map(|l| l.split_once(',').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap()).collect()
}

fn cluster_of<'a>(c: &'a [(String, String)], id: &str) -> &'a str {
    &c.iter().find(|(r, _)| r == id).unwrap().1
}

#[test]
fn one_file_is_deduplicated_with_columns_recognised_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "people.csv", "--output", "clusters.csv", "--pairs", "pairs.csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = clusters(&dir.path().join("clusters.csv"));
    assert_eq!(c.len(), 10, "one row per record");
    assert_eq!(cluster_of(&c, "a1"), cluster_of(&c, "a2"));
    assert_eq!(cluster_of(&c, "b1"), cluster_of(&c, "b2"));
    assert_ne!(cluster_of(&c, "a1"), cluster_of(&c, "b1"));
    assert_ne!(cluster_of(&c, "c1"), cluster_of(&c, "d1"));
    let pairs = std::fs::read_to_string(dir.path().join("pairs.csv")).unwrap();
    assert!(pairs.starts_with("id_l,id_r,probability\n"), "{pairs}");
    for line in pairs.lines().skip(1) {
        let p: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert!(p > 0.5 && p <= 1.0, "{line}");
    }
    let err = stderr(&o);
    assert!(err.contains("10 records") && err.contains("pairs compared") && err.contains("clusters"), "{err}");
}

#[test]
fn settings_choose_the_columns_and_two_inputs_are_linked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("police.csv"),
        "ref,full,born\np1,Arben Krasniqi,07.03.1985\np2,Milica Petrović,02.11.1990\np3,Ana Kovač,30.06.2001\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("border.csv"),
        "ref,full,born\nx1,KRASNIQI ARBEN,07.03.1985\nx2,Jovan Nikolić,15.01.1972\nx3,Sara Marković,21.04.1995\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "id = \"ref\"\n[[field]]\ncolumn = \"full\"\nkind = \"full_name\"\n[[field]]\ncolumn = \"born\"\nkind = \"date\"\nformat = \"%d.%m.%Y\"\n",
    )
    .unwrap();
    let o = veza(
        dir.path(),
        &["resolve", "--input", "police.csv", "--input", "border.csv", "--output", "c.csv", "--settings", "s.toml"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = clusters(&dir.path().join("c.csv"));
    assert_eq!(c.len(), 6);
    assert_eq!(cluster_of(&c, "p1"), cluster_of(&c, "x1"));
    assert_ne!(cluster_of(&c, "p2"), cluster_of(&c, "x2"));
}

#[test]
fn duplicate_ids_across_inputs_are_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "id,name\n1,Ana\n2,Ivo\n").unwrap();
    std::fs::write(dir.path().join("b.csv"), "id,name\n2,Eva\n").unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--input", "b.csv", "--output", "c.csv"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("b.csv, line 2") && e.contains("'2' is not unique") && e.contains("a.csv line 3"), "{e}");
    assert!(!dir.path().join("c.csv").exists(), "no output on error");
}

#[test]
fn an_unknown_column_in_settings_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "id,name\n1,Ana\n").unwrap();
    std::fs::write(dir.path().join("s.toml"), "id = \"id\"\n[[field]]\ncolumn = \"surname\"\nkind = \"surname\"\n")
        .unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--output", "c.csv", "--settings", "s.toml"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("field[1].column 'surname'"), "{}", stderr(&o));
}

#[test]
fn a_bad_date_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.csv"),
        "id,name,birth_date\n1,Ana,1985-03-07\n2,Ivo,1985-03-08\n3,Eva,March 1985\n",
    )
    .unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--output", "c.csv"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("a.csv") && e.contains("birth_date") && e.contains("date format"), "{e}");
    std::fs::write(
        dir.path().join("s.toml"),
        "id = \"id\"\n[[field]]\ncolumn = \"birth_date\"\nkind = \"date\"\nformat = \"%Y-%m-%d\"\n",
    )
    .unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--output", "c.csv", "--settings", "s.toml"]);
    let e = stderr(&o);
    assert!(e.contains("a.csv, line 4, column 'birth_date'") && e.contains("'March 1985' is not a date"), "{e}");
}

#[test]
fn an_unknown_kind_and_a_bad_threshold_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "id,name\n1,Ana\n").unwrap();
    std::fs::write(dir.path().join("s.toml"), "id = \"id\"\n[[field]]\ncolumn = \"name\"\nkind = \"nick\"\n").unwrap();
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--output", "c.csv", "--settings", "s.toml"]);
    assert!(stderr(&o).contains("s.toml, line 4, field[1].kind: unknown kind 'nick'"), "{}", stderr(&o));
    let o = veza(dir.path(), &["resolve", "--input", "a.csv", "--output", "c.csv", "--threshold", "2"]);
    assert!(!o.status.success() && stderr(&o).contains("not a probability"), "{}", stderr(&o));
}
