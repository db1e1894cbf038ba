//! The audit log on every back end: SQLite always, and PostgreSQL when
//! `VEZA_TEST_POSTGRES_URL` names a server (as in `store.rs`).

use ed25519_dalek::SigningKey;
use std::sync::Arc;
use veza_store::Store;
use veza_store::audit::{
    AuditAction, AuditCheckpoint, AuditEntry, AuditFilter, AuditOutcome, NewAuditEntry, Tamper, verify,
};

mod backends;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[3; 32])
}

fn entry(actor: &str, action: AuditAction, ids: &[&str], purpose: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.into(),
        agency: "rs-bp".into(),
        action,
        entity_ids: ids.iter().map(|s| s.to_string()).collect(),
        outcome: AuditOutcome::Ok,
        purpose: purpose.into(),
        detail: String::new(),
    }
}

async fn all_entries(store: &Arc<dyn Store>) -> Vec<AuditEntry> {
    store.entries(1, u32::MAX).await.unwrap()
}

async fn checkpoint(store: &Arc<dyn Store>) {
    let (seq, hash) = store.audit_head().await.unwrap().unwrap();
    store.add_checkpoint(&AuditCheckpoint::sign(&key(), seq, hash, 0)).await.unwrap();
}

async fn appends_make_a_chain_that_verifies(store: Arc<dyn Store>) {
    assert_eq!(store.audit_head().await.unwrap(), None);
    let first = store.append(entry("ana", AuditAction::Login, &[], "")).await.unwrap();
    assert_eq!((first.seq, first.prev_hash), (1, veza_store::audit::GENESIS));
    let more = store
        .append_many((0..5).map(|i| entry("ana", AuditAction::Consult, &["p1"], &format!("case {i}"))).collect())
        .await
        .unwrap();
    assert_eq!(more.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
    assert_eq!(more[0].prev_hash, first.hash);
    checkpoint(&store).await;
    store.append(entry("ana", AuditAction::Logout, &[], "")).await.unwrap();

    let stored = all_entries(&store).await;
    assert_eq!(stored.len(), 7);
    assert_eq!(stored[0], first);
    assert_eq!(&stored[1..6], &more[..]);
    assert!(stored.iter().all(|e| e.hash == e.computed_hash()));
    let report = verify(&stored, &store.checkpoints().await.unwrap(), &key().verifying_key()).unwrap();
    assert_eq!((report.entries, report.checkpoints, report.last_checkpoint_seq), (7, 1, Some(6)));

    // Pages.
    let page = store.entries(3, 2).await.unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);
    assert!(store.entries(8, 10).await.unwrap().is_empty());
}
on_every_backend!(appends_make_a_chain_that_verifies_on_every_backend, appends_make_a_chain_that_verifies);

async fn concurrent_appends_make_one_chain(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..15 {
                    store.append(entry(&format!("u{t}"), AuditAction::Consult, &[], &format!("{i}"))).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    checkpoint(&store).await;
    let stored = all_entries(&store).await;
    let report = verify(&stored, &store.checkpoints().await.unwrap(), &key().verifying_key()).unwrap();
    assert_eq!(report.entries, 120);
}
on_every_backend!(concurrent_appends_make_one_chain_on_every_backend, concurrent_appends_make_one_chain);

async fn search_finds_who_looked_at_whom(store: Arc<dyn Store>) {
    store.append(entry("ana", AuditAction::Consult, &["p1", "p2"], "case 7")).await.unwrap();
    store.append(entry("boris", AuditAction::Consult, &["p2"], "case 8")).await.unwrap();
    let third = store.append(entry("ana", AuditAction::Disclose, &["p3"], "request 12")).await.unwrap();
    store.append(entry("system:import", AuditAction::Collect, &["p1", "p3"], "import")).await.unwrap();

    let seqs = |v: Vec<AuditEntry>| v.into_iter().map(|e| e.seq).collect::<Vec<_>>();
    let s = |f: AuditFilter| {
        let store = store.clone();
        async move { seqs(store.search_audit(&f).await.unwrap()) }
    };
    assert_eq!(s(AuditFilter::default()).await, [4, 3, 2, 1], "newest first");
    assert_eq!(s(AuditFilter { user: Some("ana".into()), ..Default::default() }).await, [3, 1]);
    assert_eq!(s(AuditFilter { entity: Some("p2".into()), ..Default::default() }).await, [2, 1]);
    assert_eq!(s(AuditFilter { entity: Some("p1".into()), ..Default::default() }).await, [4, 1]);
    assert_eq!(s(AuditFilter { user: Some("ana".into()), entity: Some("p3".into()), ..Default::default() }).await, [3]);
    assert_eq!(s(AuditFilter { action: Some(AuditAction::Collect), ..Default::default() }).await, [4]);
    assert_eq!(s(AuditFilter { from: Some(third.at), ..Default::default() }).await, [4, 3]);
    assert_eq!(s(AuditFilter { to: Some(third.at), ..Default::default() }).await, [2, 1]);
    assert_eq!(s(AuditFilter { limit: 1, ..Default::default() }).await, [4]);
    assert!(s(AuditFilter { entity: Some("nobody".into()), ..Default::default() }).await.is_empty());
}
on_every_backend!(search_finds_who_looked_at_whom_on_every_backend, search_finds_who_looked_at_whom);

async fn checkpoints_round_trip(store: Arc<dyn Store>) {
    store.append_many((0..3).map(|_| entry("ana", AuditAction::Login, &[], "")).collect()).await.unwrap();
    checkpoint(&store).await;
    checkpoint(&store).await; // the same head again: kept once
    let cps = store.checkpoints().await.unwrap();
    assert_eq!(cps.len(), 1);
    assert_eq!(cps[0].seq, 3);
    assert!(cps[0].signed_by(&key().verifying_key()));
}
on_every_backend!(checkpoints_round_trip_on_every_backend, checkpoints_round_trip);

/// What someone with full access to the database file does first: the
/// triggers that keep the log append-only go (the hash chain still tells).
async fn drop_append_only_triggers(raw: &sqlx::SqlitePool) {
    for table in ["audit_entry", "audit_entity", "audit_checkpoint"] {
        for what in ["update", "delete"] {
            let sql = format!("DROP TRIGGER {table}_append_only_{what}");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(raw).await.unwrap();
        }
    }
}

/// The database itself refuses to change or remove audit entries.
async fn the_database_keeps_the_log_append_only(b: &backends::Backend) {
    let store = b.store.clone();
    store.append_many(vec![entry("ana", AuditAction::Consult, &["p1"], "case 1")]).await.unwrap();
    checkpoint(&store).await;
    let pg = b.url.starts_with("postgres");
    let run = |sql: &'static str| {
        let url = b.url.clone();
        async move {
            if pg {
                let raw = sqlx::PgPool::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&raw).await.map(|_| ())
            } else {
                let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&raw).await.map(|_| ())
            }
        }
    };
    for sql in [
        "UPDATE audit_entry SET purpose = 'x'",
        "DELETE FROM audit_entry",
        "UPDATE audit_entity SET entity_id = 'x'",
        "DELETE FROM audit_entity",
        "DELETE FROM audit_checkpoint",
        "UPDATE audit_checkpoint SET at = 0",
    ] {
        let err = run(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if pg {
        let err = run("TRUNCATE audit_entity").await.expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(all_entries(&store).await.len(), 1);
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_the_database() {
    the_database_keeps_the_log_append_only(&backends::sqlite().await).await;
    if let Some(pg) = backends::postgres().await {
        the_database_keeps_the_log_append_only(&pg).await;
    }
}

/// Raw SQL on the database file, as someone with access to it could do.
#[tokio::test]
async fn raw_sql_tampering_in_sqlite_is_named() {
    let b = backends::sqlite().await;
    let store = b.store.clone();
    store
        .append_many((0..10).map(|i| entry("ana", AuditAction::Consult, &["p1"], &format!("case {i}"))).collect())
        .await
        .unwrap();
    checkpoint(&store).await;
    let path = b.sqlite_file().unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    drop_append_only_triggers(&raw).await;
    let check = || {
        let store = store.clone();
        async move { verify(&all_entries(&store).await, &store.checkpoints().await.unwrap(), &key().verifying_key()) }
    };
    assert!(check().await.is_ok());

    // Altered: a purpose rewritten.
    sqlx::query("UPDATE audit_entry SET purpose = 'nothing to see' WHERE seq = 7").execute(&raw).await.unwrap();
    assert_eq!(check().await, Err(Tamper::Altered { seq: 7 }));
    // Altered earlier: the first one is named.
    sqlx::query("UPDATE audit_entry SET actor = 'boris' WHERE seq = 4").execute(&raw).await.unwrap();
    assert_eq!(check().await, Err(Tamper::Altered { seq: 4 }));
    // Removed, before those.
    sqlx::query("DELETE FROM audit_entity WHERE seq = 2").execute(&raw).await.unwrap();
    sqlx::query("DELETE FROM audit_entry WHERE seq = 2").execute(&raw).await.unwrap();
    assert_eq!(check().await, Err(Tamper::Removed { seq: 2, found: Some(3) }));
    // The tail cut after the checkpoint's entry... and before it.
    sqlx::query("DELETE FROM audit_entity").execute(&raw).await.unwrap();
    sqlx::query("DELETE FROM audit_entry WHERE seq >= 2").execute(&raw).await.unwrap();
    assert_eq!(check().await, Err(Tamper::Truncated { last_seq: 1, checkpoint_seq: 10 }));
}

#[tokio::test]
async fn swapped_rows_in_sqlite_are_named() {
    let b = backends::sqlite().await;
    let store = b.store.clone();
    store
        .append_many((0..6).map(|i| entry("ana", AuditAction::Consult, &[], &format!("case {i}"))).collect())
        .await
        .unwrap();
    let path = b.sqlite_file().unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    drop_append_only_triggers(&raw).await;
    // Swap entries 3 and 4 wholesale except their seq.
    for sql in [
        "UPDATE audit_entry SET seq = -3 WHERE seq = 3",
        "UPDATE audit_entry SET seq = 3 WHERE seq = 4",
        "UPDATE audit_entry SET seq = 4 WHERE seq = -3",
    ] {
        sqlx::query(sql).execute(&raw).await.unwrap();
    }
    let err = verify(&all_entries(&store).await, &[], &key().verifying_key()).unwrap_err();
    assert_eq!(err, Tamper::Altered { seq: 3 });
}
