//! `veza synth` as a user runs it: a scenario that imports with no rejects,
//! and clear errors for bad options.

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

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn a_small_scenario_imports_with_no_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let (out, data) = (dir.path().join("s"), dir.path().join("data"));
    let o = veza(&data, &["synth", "--out", out.to_str().unwrap(), "--persons", "400", "--seed", "5"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("400 persons"), "{}", text(&o));
    for f in [
        "scenario.md",
        "agencies.csv",
        "truth/records.csv",
        "truth/ocg_members.csv",
        "truth/victims.csv",
        "truth/watchlist_hits.csv",
        "watchlists/notices.jsonl",
        "watchlists/stolen_documents.csv",
        "sources/rs-bp.ftm.jsonl",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let o = veza(&data, &["agency", "import", out.join("agencies.csv").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("25 agencies saved"), "{}", text(&o));
    let mut created = 0u64;
    for entry in std::fs::read_dir(out.join("sources")).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".ftm.jsonl") || std::fs::metadata(&path).unwrap().len() == 0 {
            continue;
        }
        let agency = path.file_name().unwrap().to_string_lossy().trim_end_matches(".ftm.jsonl").to_owned();
        let o = veza(&data, &["import", path.to_str().unwrap(), "--agency", &agency]);
        assert!(o.status.success(), "{}", text(&o));
        let t = text(&o);
        assert!(t.contains(" 0 rejected"), "{agency}: {t}");
        let n: u64 = t.split(": ").nth(2).and_then(|x| x.split(' ').next()).and_then(|x| x.parse().ok()).unwrap_or(0);
        created += n;
    }
    let lines: u64 = std::fs::read_dir(out.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".ftm.jsonl"))
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count() as u64)
        .sum();
    assert_eq!(created, lines, "every line became one entity");
}

#[test]
fn bad_options_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let o = veza(dir.path(), &["synth", "--out", out.to_str().unwrap(), "--countries", "RS,FR"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("unknown country 'FR'"), "{}", text(&o));
    let o = veza(dir.path(), &["synth", "--out", out.to_str().unwrap(), "--persons", "10"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("--persons 10 is too small"), "{}", text(&o));
    let o = veza(dir.path(), &["agency", "import", dir.path().join("missing.csv").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("missing.csv"), "{}", text(&o));
}
