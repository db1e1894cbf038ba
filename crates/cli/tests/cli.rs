//! The `veza` command as a user runs it: flags, files, exit codes, output.

use std::path::{Path, PathBuf};
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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const MAPPING: &str = r#"schema = "Person"
id = "id"
[properties]
firstName = "given_name"
lastName = "surname"
birthDate = { column = "date_of_birth", format = "%Y%m%d" }
address = ["street_number", "address_1", "suburb", "postcode", "state"]
idNumber = "soc_sec_id"
"#;

fn febrl3() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl/febrl3.csv");
    p.exists().then_some(p)
}

#[test]
fn help_lists_every_command_and_each_has_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(dir.path(), &["--help"]);
    assert!(o.status.success());
    for cmd in
        ["serve", "import", "export", "search", "stats", "agency", "audit", "user", "retention", "case", "access"]
    {
        assert!(stdout(&o).contains(cmd), "--help lacks {cmd}");
        let sub = veza(dir.path(), &[cmd, "--help"]);
        assert!(sub.status.success(), "{cmd} --help failed");
        assert!(stdout(&sub).contains("Example"), "{cmd} --help has no example");
    }
}

#[test]
fn febrl3_imports_twice_as_5000_people_and_exports_and_reimports() {
    let Some(csv) = febrl3() else {
        eprintln!("febrl3.csv not found: test skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mapping = dir.path().join("febrl.toml");
    std::fs::write(&mapping, MAPPING).unwrap();
    let copy = dir.path().join("febrl3.csv");
    std::fs::copy(&csv, &copy).unwrap();
    let args = ["import", copy.to_str().unwrap(), "--mapping", mapping.to_str().unwrap()];
    let first = veza(&data, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("5000 created, 0 updated, 0 rejected"), "{}", stdout(&first));
    let again = veza(&data, &args);
    assert!(stdout(&again).contains("0 created, 5000 updated"), "{}", stdout(&again));
    let stats = veza(&data, &["stats", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["entities"], 5000);

    let found = veza(&data, &["search", "mitchell green"]);
    assert!(stdout(&found).contains("febrl3.rec-1496-org"), "{}", stdout(&found));

    let export = dir.path().join("all.ftm.json");
    let o = veza(&data, &["export", "--format", "ftm", "--output", export.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&export).unwrap().lines().count(), 5000);
    let other = dir.path().join("other");
    let o = veza(&other, &["import", export.to_str().unwrap()]);
    assert!(stdout(&o).contains("5000 created"), "{}", stdout(&o));
}

#[test]
fn broken_rows_go_to_the_rejects_report_and_good_rows_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("m.toml");
    std::fs::write(&mapping, MAPPING).unwrap();
    let csv = dir.path().join("people.csv");
    let mut bytes =
        b"id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id\n"
            .to_vec();
    bytes.extend_from_slice(b"a1,ana,kovac,1,main st,,town,1000,nsw,19870314,1\n");
    bytes.extend_from_slice(b"a2,bad,date,1,main st,,town,1000,nsw,31-02-1987,2\n");
    bytes.extend_from_slice(b",no,id,1,main st,,town,1000,nsw,19870314,3\n");
    bytes.extend_from_slice(b"a4,too,short,1\n");
    bytes.extend_from_slice(b"a5,\xc3\x28bad,utf8,1,main st,,town,1000,nsw,19870314,5\n");
    std::fs::write(&csv, bytes).unwrap();
    let rejects = dir.path().join("bad.csv");
    let o = veza(
        &dir.path().join("d"),
        &["import", csv.to_str().unwrap(), "-m", mapping.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 created, 0 updated, 4 rejected"), "{}", stdout(&o));
    let report = std::fs::read_to_string(&rejects).unwrap();
    assert!(report.starts_with("line,column,value,reason\n"), "{report}");
    for line in ["3,", "4,", "5,", "6,"] {
        assert!(report.lines().any(|l| l.starts_with(line)), "no reject for line {line} in {report}");
    }
}

#[test]
fn a_missing_file_fails_with_its_name_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(dir.path(), &["import", "/nonexistent/people.json"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("people.json"), "{}", stderr(&o));
    let stats = veza(dir.path(), &["stats", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["entities"], 0);
}

#[test]
fn agencies_are_added_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(
        dir.path(),
        &["agency", "add", "rs-bp", "--name", "Serbia Border Police", "--country", "SRB", "--kind", "border_police"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = veza(dir.path(), &["agency", "list"]);
    assert!(stdout(&list).contains("rs-bp") && stdout(&list).contains(" rs "), "{}", stdout(&list));
    let bad = veza(dir.path(), &["agency", "add", "x", "--name", "X", "--country", "Atlantis", "--kind", "ncb"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("Atlantis"), "{}", stderr(&bad));
}

#[test]
fn serve_demo_answers_healthz() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut answer = String::new();
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            s.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
            s.read_to_string(&mut answer).unwrap();
            break;
        }
    }
    // Ctrl-C ends the server gracefully; it signs the audit log's head on the way out.
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let stopped = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        matches!(child.try_wait(), Ok(Some(_)))
    });
    if !stopped {
        let _ = child.kill();
    }
    let _ = child.wait();
    assert!(stopped, "the server did not stop on Ctrl-C");
    assert!(dir.path().join("audit-signing.key").exists(), "the audit signing key is made beside the database");
    let verify = veza(dir.path(), &["audit", "verify"]);
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));
    assert!(answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"ok""#) && answer.contains(r#""database":"sqlite""#), "{answer}");
}

fn veza_with_password(data: &Path, password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .env("VEZA_PASSWORD", password)
        .output()
        .expect("run veza")
}

#[test]
fn users_are_added_listed_given_roles_and_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = veza(
        d,
        &["agency", "add", "rs-bp", "--name", "Serbia Border Police", "--country", "RS", "--kind", "border_police"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let add = ["user", "add", "border.rs", "--agency", "rs-bp", "--role", "border_officer", "--name", "Marko J"];
    let o = veza_with_password(d, "a long enough password", &add);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("border.rs"), "{}", stdout(&o));
    let again = veza_with_password(d, "a long enough password", &add);
    assert!(!again.status.success() && stderr(&again).contains("exists"), "{}", stderr(&again));
    let short = veza_with_password(d, "short", &["user", "add", "x", "--agency", "rs-bp", "--role", "analyst"]);
    assert!(!short.status.success() && stderr(&short).contains("12"), "{}", stderr(&short));
    let bad_role =
        veza_with_password(d, "a long enough password", &["user", "add", "y", "--agency", "rs-bp", "--role", "chief"]);
    assert!(!bad_role.status.success() && stderr(&bad_role).contains("chief"), "{}", stderr(&bad_role));

    let list = stdout(&veza(d, &["user", "list"]));
    let line = list.lines().find(|l| l.starts_with("border.rs")).unwrap_or_else(|| panic!("{list}"));
    assert!(
        line.contains("rs-bp")
            && line.contains("active")
            && line.contains("border_officer")
            && line.contains("Marko J")
    );

    let o = veza(d, &["user", "role", "border.rs", "--add", "analyst", "--remove", "border_officer"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&veza(d, &["user", "list"]));
    let line = list.lines().find(|l| l.starts_with("border.rs")).unwrap();
    assert!(line.contains("analyst") && !line.contains("border_officer"), "{line}");

    let o = veza(d, &["user", "disable", "border.rs"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&veza(d, &["user", "list"]));
    assert!(list.lines().any(|l| l.starts_with("border.rs") && l.contains("disabled")), "{list}");
    let ghost = veza(d, &["user", "disable", "ghost"]);
    assert!(!ghost.status.success() && stderr(&ghost).contains("ghost"), "{}", stderr(&ghost));
}

#[test]
fn serve_demo_prints_the_demo_users_and_password() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("VEZA_DEMO_PASSWORD", "demo password for tests")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = String::new();
    for line in std::io::BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        out.push_str(&line);
        out.push('\n');
        if line.contains("password:") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.contains("password: demo password for tests"), "{out}");
    for name in ["admin", "border.rs", "judge.me", "victims.xk", "controller"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(name)), "{name} not printed:\n{out}");
    }
    assert!(out.contains("me-court") && out.contains("victim_support"), "{out}");
}

#[test]
fn retention_lists_what_is_due_and_erases_with_a_reason_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.ftm.json");
    std::fs::write(
        &file,
        r#"{"id":"old-1","schema":"Person","properties":{"name":["Old Record"]},"veza":{"retention_review":"2020-01-01"}}
{"id":"new-1","schema":"Person","properties":{"name":["New Record"]}}
"#,
    )
    .unwrap();
    let data = dir.path().join("d");
    assert!(veza(&data, &["import", file.to_str().unwrap()]).status.success());
    let due = veza(&data, &["retention", "due"]);
    assert!(stdout(&due).contains("old-1") && !stdout(&due).contains("new-1"), "{}", stdout(&due));
    let no_reason = veza(&data, &["retention", "erase", "old-1", "--reason", ""]);
    assert!(!no_reason.status.success());
    let erased = veza(&data, &["retention", "erase", "old-1", "--reason", "review 2026: not needed"]);
    assert!(erased.status.success(), "{}", stderr(&erased));
    assert!(stdout(&veza(&data, &["search", "old record"])).is_empty());
    let log = veza(&data, &["audit", "search", "--entity", "old-1"]);
    assert!(stdout(&log).contains("review 2026: not needed"), "{}", stdout(&log));
}

#[test]
fn reads_are_logged_with_the_operator_purpose_or_the_one_given() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.ftm.json");
    std::fs::write(&file, "{\"id\":\"p-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivana Horvat\"]}}\n")
        .unwrap();
    let data = dir.path().join("d");
    assert!(veza(&data, &["import", file.to_str().unwrap()]).status.success());
    assert!(stdout(&veza(&data, &["search", "horvat"])).contains("p-1"));
    let given = veza(&data, &["--purpose", "case HR-2026-3", "search", "horvat"]);
    assert!(given.status.success(), "{}", stderr(&given));
    let log = stdout(&veza(&data, &["audit", "search", "--entity", "p-1"]));
    assert!(log.contains("local operator: search") && log.contains("case HR-2026-3"), "{log}");
    let bad = veza(&data, &["--purpose", "x", "search", "horvat"]);
    assert!(!bad.status.success() && stderr(&bad).contains("purpose"), "{}", stderr(&bad));
    let all = stdout(&veza(&data, &["audit", "search", "--user", "system:cli import"]));
    assert_eq!(all.lines().filter(|l| l.contains("collect")).count(), 1, "the import is one entry: {all}");
}

#[test]
fn an_administrator_requires_codes_per_role_and_enrols_authenticators() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(dir.path(), &["user", "mfa-roles", "administrator", "ncb_officer"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = stdout(&veza(dir.path(), &["user", "mfa-roles"]));
    assert!(shown.contains("administrator") && shown.contains("ncb_officer"), "{shown}");
    assert!(stdout(&veza(dir.path(), &["user", "mfa-roles", "--none"])).contains("No role"));
    let add = Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["user", "add", "ncb.ba", "--agency", "local", "--role", "ncb_officer"])
        .env("VEZA_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    let totp = veza(dir.path(), &["user", "totp", "ncb.ba"]);
    assert!(stdout(&totp).contains("otpauth://totp/Veza:ncb.ba?secret="), "{}", stdout(&totp));
    assert!(!veza(dir.path(), &["user", "totp", "nobody"]).status.success());
}
