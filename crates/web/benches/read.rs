//! The cost of the policy check, the purpose and the audit write per read:
//! requests per second on `GET /api/v1/entities/{id}`, served in-process on
//! 127.0.0.1:0 over a file-backed SQLite database with the demo data and a
//! background of 10,000 people, from one keep-alive connection sending
//! requests one after another (a raw HTTP/1.1 loop, so the client costs
//! next to nothing).
//!
//! Two runs over the same server code:
//! - **audited**: a user of `rs-bp` with an `X-Purpose` header — the policy
//!   check and one hash-chained audit entry per read;
//! - **unaudited**: [`Access::unaudited_for_benchmark`] — the system caller
//!   (no policy filter) and no audit entry; a bypass only this benchmark uses.
//!
//! Sign-in is bypassed in both (the caller comes from the extensions), so the
//! difference is policy + purpose + audit. `cargo bench -p veza-web --bench read`;
//! `VEZA_BENCH_N` requests per run (default 5,000), `VEZA_BENCH_DATABASE_URL`
//! for another database (e.g. PostgreSQL).

use axum::Router;
use std::io::Write;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use veza_app::{Access, Caller, ImportOptions, Veza};
use veza_web::{WebOptions, router};

const BACKGROUND: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("VEZA_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = std::env::var("VEZA_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("veza.db").display()));
    let veza = Veza::open(&url).await.expect("database opens");
    let demo = veza.load_demo().await.expect("demo loads");

    // The background: 10,000 people owned by the Serbian border police.
    let file = dir.path().join("background.ftm.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        for i in 0..BACKGROUND {
            writeln!(
                out,
                r#"{{"id":"bg-{i}","schema":"Person","properties":{{"name":["Person {i} Petrović"],"birthDate":["1980-01-{:02}"],"nationality":["rs"]}}}}"#,
                i % 28 + 1
            )
            .expect("write");
        }
    }
    let options = ImportOptions { agency: Some("rs-bp".into()), ..ImportOptions::default() };
    let op = Access::operator("bench import", None).expect("purpose");
    let imported = veza.import_file(&op, &file, &options, |_| {}).await.expect("background imports");
    eprintln!(
        "database: {} with {} demo entities and {} background people",
        veza.backend().as_str(),
        demo.entities,
        imported.created
    );

    let user = Caller::user("border.rs", "rs-bp", "rs", &[]);
    let audited = router(veza.clone(), WebOptions::default()).layer(axum::Extension(user));
    let unaudited = router(veza.clone(), WebOptions::default())
        .layer(axum::Extension(Access::unaudited_for_benchmark()))
        .layer(axum::Extension(Caller::system("benchmark without audit")));

    let before = veza.store().audit_head().await.expect("head").map_or(0, |(seq, _)| seq);
    let with = run("audited (policy + purpose + audit)", audited, n, true).await;
    let after = veza.store().audit_head().await.expect("head").map_or(0, |(seq, _)| seq);
    let without = run("unaudited (system caller, no audit)", unaudited, n, false).await;
    let last = veza.store().audit_head().await.expect("head").map_or(0, |(seq, _)| seq);
    assert!(after - before >= n as i64, "the audited run wrote an entry per read");
    assert_eq!(last, after, "the unaudited run wrote nothing");
    println!("ratio: audited / unaudited = {:.2} ({:.0}% of the throughput)", with / without, 100.0 * with / without);
}

/// Serves `app`, sends `n` reads (after 200 to warm up) and prints the rate.
async fn run(label: &str, app: Router, n: usize, purpose: bool) -> f64 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut conn = TcpStream::connect(addr).await.expect("connect");
    conn.set_nodelay(true).expect("nodelay");
    let mut buf = Vec::with_capacity(16 * 1024);
    let header = if purpose { "X-Purpose: case RS-2026-0142\r\n" } else { "" };
    for i in 0..200 {
        read_one(&mut conn, &mut buf, i * 7919 % BACKGROUND, header).await;
    }
    let start = Instant::now();
    for i in 0..n {
        read_one(&mut conn, &mut buf, i * 7919 % BACKGROUND, header).await;
    }
    let secs = start.elapsed().as_secs_f64();
    server.abort();
    let rate = n as f64 / secs;
    println!("{label}: {n} reads in {secs:.2} s = {rate:.0} requests/s ({:.0} µs each)", 1e6 * secs / n as f64);
    rate
}

/// One `GET /api/v1/entities/bg-{i}` on the kept-alive connection; panics
/// unless the answer is 200 with a body.
async fn read_one(conn: &mut TcpStream, buf: &mut Vec<u8>, i: usize, header: &str) {
    let request = format!("GET /api/v1/entities/bg-{i} HTTP/1.1\r\nHost: bench\r\n{header}\r\n");
    conn.write_all(request.as_bytes()).await.expect("send");
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        let got = conn.read(&mut chunk).await.expect("receive");
        assert!(got > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..got]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = std::str::from_utf8(&buf[..end]).expect("ASCII head");
        assert!(head.starts_with("HTTP/1.1 200"), "not 200: {head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
            .expect("content-length");
        if buf.len() >= end + 4 + length {
            return;
        }
    }
}
