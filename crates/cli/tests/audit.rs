//! `veza audit`: a log written through the app, tampered with by raw SQL on
//! the SQLite file, is found out and the entry named.

use std::path::Path;
use std::process::{Command, Output};
use veza_app::{AuditAction, AuditOutcome, NewAuditEntry, Veza};

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

fn url(data: &Path) -> String {
    format!("sqlite://{}", data.join("veza.db").display())
}

/// A data folder whose audit log has `n` entries by ana and boris.
async fn logged(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let app = Veza::open(&url(dir.path())).await.unwrap();
    for i in 1..=n {
        app.append_audit(NewAuditEntry {
            actor: if i % 2 == 0 { "boris".into() } else { "ana".into() },
            agency: "rs-bp".into(),
            action: if i % 5 == 0 { AuditAction::Disclose } else { AuditAction::Consult },
            entity_ids: vec![format!("p{}", i % 4)],
            outcome: AuditOutcome::Ok,
            purpose: format!("case {i}"),
            detail: String::new(),
        })
        .await
        .unwrap();
    }
    dir
}

/// Raw SQL on the database file, as someone with full access to it: the
/// append-only triggers go first (the hash chain still tells).
async fn raw_sql(data: &Path, sql: &str) {
    let pool = sqlx::SqlitePool::connect(&url(data)).await.unwrap();
    for table in ["audit_entry", "audit_entity", "audit_checkpoint"] {
        for what in ["update", "delete"] {
            let drop = format!("DROP TRIGGER IF EXISTS {table}_append_only_{what}");
            sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&pool).await.unwrap();
        }
    }
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test]
async fn verify_passes_an_intact_log_and_names_an_altered_entry() {
    let dir = logged(20).await;
    let data = dir.path();
    let o = veza(data, &["audit", "checkpoint"]);
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("at entry 20"), "{}", stdout(&o));
    assert!(data.join("audit-signing.key").exists() && data.join("audit-signing.pub").exists());

    let o = veza(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o).trim(), "20 entries, 1 checkpoints: intact");

    raw_sql(data, "UPDATE audit_entry SET purpose = 'routine' WHERE seq = 13").await;
    let o = veza(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("entry 13 was altered"), "{}", stdout(&o));
}

#[tokio::test]
async fn verify_names_a_removed_entry_and_a_cut_tail() {
    let dir = logged(10).await;
    let data = dir.path();
    assert!(veza(data, &["audit", "checkpoint"]).status.success());

    raw_sql(data, "DELETE FROM audit_entity WHERE seq >= 9").await;
    raw_sql(data, "DELETE FROM audit_entry WHERE seq >= 9").await;
    let o = veza(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("TAMPERED at entry 9: the log was truncated"), "{}", stdout(&o));

    raw_sql(data, "DELETE FROM audit_entity WHERE seq = 4").await;
    raw_sql(data, "DELETE FROM audit_entry WHERE seq = 4").await;
    let o = veza(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("entry 4 was removed"), "{}", stdout(&o));
}

#[tokio::test]
async fn verify_refuses_a_checkpoint_of_another_key() {
    let dir = logged(3).await;
    let data = dir.path();
    assert!(veza(data, &["audit", "checkpoint"]).status.success());
    let other = data.join("other.key");
    assert!(veza(data, &["audit", "checkpoint", "--key", other.to_str().unwrap()]).status.success());
    // Same head, so the second signature was not kept; add an entry and sign with the other key.
    let app = Veza::open(&url(data)).await.unwrap();
    app.append_audit(NewAuditEntry {
        actor: "mallory".into(),
        agency: "x".into(),
        action: AuditAction::Erase,
        entity_ids: vec![],
        outcome: AuditOutcome::Ok,
        purpose: String::new(),
        detail: String::new(),
    })
    .await
    .unwrap();
    assert!(veza(data, &["audit", "checkpoint", "--key", other.to_str().unwrap()]).status.success());
    let o = veza(data, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("checkpoint at entry 4 has a bad signature"), "{}", stdout(&o));
}

#[tokio::test]
async fn search_finds_who_looked_at_a_person() {
    let dir = logged(12).await;
    let data = dir.path();
    let o = veza(data, &["audit", "search", "--entity", "p1", "--json"]);
    assert!(o.status.success(), "{o:?}");
    let seqs: Vec<i64> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [9, 5, 1]);
    let o = veza(data, &["audit", "search", "--user", "boris", "--action", "disclose", "--from", "2000-01-01"]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o)); // entry 10
    let o = veza(data, &["audit", "search", "--to", "2000-01-01"]);
    assert!(stdout(&o).is_empty());
    let o = veza(data, &["audit", "search", "--action", "peek"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an audit action"));
}

#[tokio::test]
async fn an_empty_log_verifies_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let o = veza(dir.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o).trim(), "0 entries, 0 checkpoints: intact");
}
