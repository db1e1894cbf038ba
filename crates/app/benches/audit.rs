//! Audit figure for the access-control issue: verification speed of the
//! audit log (entries per second) over N entries in SQLite (default
//! 1,000,000; `VEZA_BENCH_AUDIT` to change). The log is written in batches
//! of 10,000 through `append_many`, signed at the head, then verified the
//! way `veza audit verify` does: pages of 10,000, chain and checkpoint.
//!
//! Run: `scripts/bench-audit [N]` (or `cargo bench -p veza-app --bench audit`).

/// The allocator the `veza` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;
use veza_app::{AuditAction, AuditKey, AuditOutcome, NewAuditEntry, Veza};

const BATCH: usize = 10_000;
const ACTIONS: [AuditAction; 4] =
    [AuditAction::Consult, AuditAction::Consult, AuditAction::Collect, AuditAction::Disclose];

fn entry(i: usize) -> NewAuditEntry {
    NewAuditEntry {
        actor: format!("user{}.rs", i % 50),
        agency: "rs-bp".into(),
        action: ACTIONS[i % ACTIONS.len()],
        entity_ids: (0..1 + i % 3).map(|j| format!("p-{}", (i * 7 + j) % 200_000)).collect(),
        outcome: AuditOutcome::Ok,
        purpose: format!("KU-{}/2026", i % 900),
        detail: if i.is_multiple_of(4) { format!("search: name={}", i % 1000) } else { String::new() },
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("VEZA_BENCH_AUDIT").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veza.db");
    let veza = Veza::open(&format!("sqlite://{}", db.display())).await.unwrap();

    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let batch = BATCH.min(n - done);
        veza.store().append_many((done..done + batch).map(entry).collect()).await.unwrap();
        done += batch;
    }
    let write = t.elapsed().as_secs_f64();
    let key = AuditKey::create(&AuditKey::default_path(dir.path())).unwrap();
    veza.checkpoint_audit(&key).await.unwrap().unwrap();

    let t = Instant::now();
    let report = veza.verify_audit(Some(&key.public_key()), |_, _| {}).await.unwrap().unwrap();
    let verify = t.elapsed().as_secs_f64();
    assert_eq!(report.entries, n as u64);

    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("veza.db-wal")).map(|m| m.len()).unwrap_or(0);
    println!("audit log, SQLite, {n} entries");
    println!("  append (batches of {BATCH}): {write:.1} s, {:.0} entries/s", n as f64 / write);
    println!("  verify (pages of {}): {verify:.1} s, {:.0} entries/s", veza_app::VERIFY_PAGE, n as f64 / verify);
    println!("  database size: {:.0} MB ({:.0} bytes/entry)", size as f64 / 1e6, size as f64 / n as f64);
}
