//! `veza case` and `veza access` as an operator runs them, and exercise
//! imports: members added and listed, a request answered once, and
//! exercise data kept apart from real data.

use std::path::Path;
use std::process::{Command, Output};
use veza_app::{Access, Caller, Veza};

fn veza(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veza"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VEZA_DATABASE_URL")
        .env("VEZA_PASSWORD", "a long enough password")
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

const CASE_FILE: &str = r#"{"id": "case-1", "schema": "Case", "properties": {"name": ["Operation Lastavica"]}}
{"id": "p-known", "schema": "Person", "properties": {"name": ["Goran Marković"]}, "veza": {"handling": {"visibility": "agency", "existence_visible": true}}}
"#;

#[tokio::test]
async fn members_requests_and_exercises_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&veza(d, &["agency", "add", "rs-thb", "--name", "Serbia THB", "--country", "RS", "--kind", "thb_unit"]));
    ok(&veza(
        d,
        &["agency", "add", "me-pros", "--name", "Montenegro Prosecution", "--country", "ME", "--kind", "prosecution"],
    ));
    let file = d.join("case.ftm.json");
    std::fs::write(&file, CASE_FILE).unwrap();
    ok(&veza(d, &["import", file.to_str().unwrap(), "--agency", "rs-thb"]));
    ok(&veza(d, &["user", "add", "prosecutor.me", "--agency", "me-pros", "--role", "prosecutor"]));

    // Members.
    let added = ok(&veza(d, &["case", "add-member", "case-1", "prosecutor.me", "--as", "prosecutor"]));
    assert!(added.contains("as prosecutor"), "{added}");
    let bad = failed(&veza(d, &["case", "add-member", "case-1", "prosecutor.me", "--as", "chef"]));
    assert!(bad.contains("not a capacity"), "{bad}");
    let nobody = failed(&veza(d, &["case", "add-member", "case-1", "nobody", "--as", "judge"]));
    assert!(nobody.contains("no user nobody"), "{nobody}");
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&veza(d, &["case", "members", "case-1", "--json"]))).unwrap();
    assert_eq!(listed[0]["username"], "prosecutor.me");
    assert_eq!(listed[0]["capacity"], "prosecutor");

    // A request made by the prosecutor (through the platform), answered here once.
    {
        let url = format!("sqlite://{}", d.join("veza.db").display());
        let app = Veza::open(&url).await.unwrap();
        let scope = app.store().scope_of("prosecutor.me", 0).await.unwrap();
        let caller = Caller::user("prosecutor.me", "me-pros", "me", &[]).with_scope(scope);
        let request = app.request_access(&Access::new(caller, None), "p-known", "court file K-9/26").await.unwrap();
        assert_eq!(request.id, 1);
    }
    let pending = ok(&veza(d, &["access", "list", "--pending"]));
    assert!(pending.contains("p-known") && pending.contains("court file K-9/26"), "{pending}");
    let granted = ok(&veza(d, &["access", "grant", "1", "--reason", "court needs it", "--until", "2099-01-01"]));
    assert!(granted.contains("prosecutor.me may now see p-known"), "{granted}");
    let twice = failed(&veza(d, &["access", "refuse", "1", "--reason", "changed my mind"]));
    assert!(twice.contains("already answered"), "{twice}");
    let log = ok(&veza(d, &["audit", "search", "--entity", "p-known"]));
    assert!(log.contains("request") && log.contains("grant"), "the request and the grant are logged:\n{log}");

    // Exercise data: a new id goes in; a real id is refused.
    let drill = d.join("drill.ftm.json");
    std::fs::write(&drill, r#"{"id": "x-1", "schema": "Person", "properties": {"name": ["Drill Person"]}}"#).unwrap();
    ok(&veza(d, &["import", drill.to_str().unwrap(), "--agency", "rs-thb", "--exercise", "ttx-1"]));
    let clash = d.join("clash.ftm.json");
    std::fs::write(&clash, r#"{"id": "p-known", "schema": "Person", "properties": {"name": ["Taken Over"]}}"#).unwrap();
    let refused = failed(&veza(d, &["import", clash.to_str().unwrap(), "--agency", "rs-thb", "--exercise", "ttx-1"]));
    assert!(refused.contains("never mix"), "{refused}");
    let bad_id = failed(&veza(d, &["import", drill.to_str().unwrap(), "--exercise", "no spaces"]));
    assert!(bad_id.contains("--exercise"), "{bad_id}");
}
