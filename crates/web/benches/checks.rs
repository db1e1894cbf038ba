//! `POST /api/v1/operations/{id}/checks` over HTTP on loopback (issue 9's
//! goal: ≥ 2,000 checks/s sustained for 10 minutes against 1,000,000
//! watchlist entries, every check stored and audited, p99 ≤ 50 ms; no
//! acknowledged check lost when the server is killed).
//!
//! Modes (`VEZA_BENCH_MODE`):
//! - `all` (default): builds a file-backed SQLite platform with
//!   `VEZA_BENCH_ENTRIES` synthetic persons (default 100,000) on the
//!   operation's watchlist, serves the real router on 127.0.0.1 (sign-in
//!   bypassed: a border officer in the request's extensions; policy, storage
//!   and one audit entry per check are real), runs `VEZA_BENCH_CLIENTS`
//!   closed-loop clients (default 64) for `VEZA_BENCH_SECS` (default 60) and
//!   then checks that the stored checks and their audit entries are exactly
//!   the acknowledged ones.
//! - `serve`: builds (or reopens) the platform in `VEZA_BENCH_DIR` and serves
//!   on `VEZA_BENCH_ADDR` until killed (the kill test kills it with -9).
//! - `load`: loads `VEZA_BENCH_ADDR` for `VEZA_BENCH_SECS`, appending every
//!   acknowledged check id to `VEZA_BENCH_ACKED`; connection errors (the
//!   server killed) end a client quietly.
//! - `verify`: opens the database in `VEZA_BENCH_DIR` and checks that every
//!   id in `VEZA_BENCH_ACKED` is stored and audited.
//!
//! `cargo bench -p veza-web --bench checks` (or `scripts/bench-checks`).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use veza_app::operations::*;
use veza_app::{Access, Caller, ImportOptions, Veza};
use veza_web::{WebOptions, router};

const GIVEN: &[&str] = &[
    "Marko", "Dragan", "Nikola", "Stefan", "Arben", "Besnik", "Driton", "Mehmet", "Ahmet", "Muhammad", "Omar", "Yusuf",
    "Ali", "Hasan", "Ivan", "Goran", "Zoran", "Milan", "Ana", "Jelena", "Milica", "Ivana", "Arta", "Blerta", "Elif",
    "Fatima", "Aisha", "Layla", "Amina", "Vesna",
];
const ONSETS: &[&str] = &["b", "d", "dr", "g", "h", "j", "k", "kr", "l", "m", "n", "p", "r", "s", "st", "t", "v", "z"];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u"];
const ENDINGS: &[&str] = &["ović", "ević", "ić", "ski", "ska", "ov", "iqi", "aj", "oglu", "zai", "i", "an"];
const COUNTRIES: &[&str] = &["rs", "ba", "me", "mk", "al", "xk", "tr", "sy", "iq", "af"];
const OPERATION: &str = "op-bench";

struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// The `i`-th person: (name, birth date, nationality).
fn person(i: usize) -> (String, String, &'static str) {
    let mut d = Dice(0x9E37_79B9_7F4A_7C15 ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    d.next();
    let mut surname = String::new();
    for _ in 0..2 + d.below(2) {
        surname.push_str(d.pick(ONSETS));
        surname.push_str(d.pick(VOWELS));
    }
    surname.push_str(d.pick(ENDINGS));
    let mut chars = surname.chars();
    let surname: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    let name = format!("{} {surname}", d.pick(GIVEN));
    let date = format!("{}-{:02}-{:02}", 1950 + d.below(55), 1 + d.below(12), 1 + d.below(28));
    (name, date, COUNTRIES[d.below(COUNTRIES.len())])
}

/// A traveller at a checkpoint: 1 in 50 is on the watchlist, the others are
/// people generated beyond it (most travellers are nobody's target).
fn check_body(k: u64, entries: usize) -> String {
    let on_list = k.is_multiple_of(50);
    let i = if on_list { (k.wrapping_mul(2_654_435_761) % entries as u64) as usize } else { entries + k as usize };
    let (name, date, country) = person(i);
    let cp = ["TAB", "PRE", "SKP", "SAR"][(k % 4) as usize];
    format!(
        r#"{{"checkpoint":"{cp}","person":{{"name":"{name}","birth_date":"{date}","nationality":"{country}","gender":"male"}},"document":{{"number":"P{k:08}","country":"{country}","type":"passport"}}}}"#
    )
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn officer() -> Caller {
    Caller::user("border.mk", "mk-bp", "mk", &[])
}

/// Opens the platform in `dir`, creating the watchlist and operation when new.
async fn platform(dir: &std::path::Path, entries: usize) -> Veza {
    let url = format!("sqlite://{}", dir.join("veza.db").display());
    let veza = Veza::open(&url).await.expect("database opens");
    if veza.store().operation(OPERATION).await.expect("read").is_some() {
        return veza;
    }
    veza.store()
        .put_agency(&veza_store::Agency {
            code: "mk-bp".into(),
            name: "Border police".into(),
            country: "mk".into(),
            kind: "border_police".into(),
        })
        .await
        .expect("agency");
    let file = dir.join("watchlist.ftm.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        for i in 0..entries {
            let (name, date, country) = person(i);
            writeln!(
                out,
                r#"{{"id":"wl-{i}","schema":"Person","properties":{{"name":["{name}"],"birthDate":["{date}"],"nationality":["{country}"]}},"veza":{{"handling":{{"visibility":"all"}}}}}}"#
            )
            .expect("write");
        }
    }
    let options = ImportOptions {
        agency: Some("mk-bp".into()),
        dataset: Some("national-list".into()),
        ..ImportOptions::default()
    };
    let start = Instant::now();
    let imported = veza
        .import_file(&Access::operator("bench import", None).expect("op"), &file, &options, |_| {})
        .await
        .expect("import");
    let _ = std::fs::remove_file(&file);
    println!("import: {} persons in {:.1} s", imported.created, start.elapsed().as_secs_f64());
    let op = Operation {
        id: OPERATION.into(),
        code: "BENCH".into(),
        name: "Bench".into(),
        mode: OperationMode::Exercise,
        status: OperationStatus::Running,
        start_date: "2026-01-01".into(),
        end_date: "2026-12-31".into(),
        lead_agency: "mk-bp".into(),
        objectives: String::new(),
        created_by: "bench".into(),
        created_at: 0,
        changed_at: 0,
        countries: vec![OperationCountry { country: "mk".into(), contact_ncb: "NCB Skopje".into() }],
        agencies: vec![OperationAgency { agency: "mk-bp".into(), coordinator: true }],
        watchlists: vec![OperationWatchlist { dataset: "national-list".into(), instruction: "contact {ncb}".into() }],
    };
    veza.store().put_operation(&op).await.expect("operation");
    for code in ["TAB", "PRE", "SKP", "SAR"] {
        let cp = Checkpoint {
            id: 0,
            operation_id: OPERATION.into(),
            code: code.into(),
            name: code.into(),
            kind: CheckpointKind::BorderCrossing,
            country: "mk".into(),
            agency: "mk-bp".into(),
            latitude: None,
            longitude: None,
            shifts: vec![],
        };
        veza.store().put_checkpoint(&cp).await.expect("checkpoint");
    }
    veza
}

/// Builds the watchlist index with one check, then serves until the future ends.
async fn serve(veza: Veza, listener: tokio::net::TcpListener) {
    let start = Instant::now();
    let warm = CheckInput {
        checkpoint: "TAB".into(),
        person: Some(PersonInput { name: Some(person(0).0), ..Default::default() }),
        ..Default::default()
    };
    veza.run_checks(&officer(), None, OPERATION, &[warm]).await.expect("first check builds the index");
    println!("index: built in {:.1} s (first check)", start.elapsed().as_secs_f64());
    let app = router(veza, WebOptions::default()).layer(axum::Extension(officer()));
    axum::serve(listener, app).await.expect("serve");
}

/// Closed-loop clients for `secs`; returns (latencies in µs, acknowledged ids, hits).
async fn load(addr: std::net::SocketAddr, clients: usize, secs: u64, entries: usize) -> (Vec<u64>, Vec<i64>, usize) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut ids = Vec::new();
            let mut hits = 0usize;
            let Ok(mut conn) = TcpStream::connect(addr).await else { return (lat, ids, hits) };
            let _ = conn.set_nodelay(true);
            let mut buf = Vec::with_capacity(16 * 1024);
            let mut k = c as u64;
            while Instant::now() < deadline {
                let body = check_body(k, entries);
                k += clients as u64;
                let t = Instant::now();
                let Some(answer) = post(&mut conn, &mut buf, &body).await else { break };
                lat.push(t.elapsed().as_micros() as u64);
                let v: serde_json::Value = serde_json::from_str(&answer).expect("JSON answer");
                if v["result"] == "hit" {
                    hits += 1;
                }
                ids.push(v["check_id"].as_i64().expect("check_id"));
            }
            (lat, ids, hits)
        }));
    }
    let (mut lat, mut ids, mut hits) = (Vec::new(), Vec::new(), 0);
    for t in tasks {
        let (l, i, h) = t.await.expect("client");
        lat.extend(l);
        ids.extend(i);
        hits += h;
    }
    (lat, ids, hits)
}

fn report(lat: &mut [u64], secs: f64, hits: usize, clients: usize, entries: usize) {
    if lat.is_empty() {
        println!("load: no check acknowledged");
        return;
    }
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)] as f64 / 1000.0;
    println!(
        "load: {} checks from {clients} clients against {entries} entries in {secs:.1} s = {:.0} checks/s; \
         latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {hits} hits",
        lat.len(),
        lat.len() as f64 / secs,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
}

/// Every acknowledged id stored, and audited once.
async fn verify(veza: &Veza, acked: &[i64]) -> bool {
    let mut missing = 0usize;
    let mut unaudited = 0usize;
    for id in acked {
        if veza.store().check(OPERATION, *id).await.expect("read").is_none() {
            missing += 1;
        }
    }
    // The audit entries naming a check: sample up to 2,000 ids (each is an indexed look-up).
    let step = (acked.len() / 2_000).max(1);
    let mut sampled = 0usize;
    for id in acked.iter().step_by(step) {
        sampled += 1;
        let f = veza_app::AuditFilter {
            entity: Some(veza_store::operations::check_entity_id(*id)),
            limit: 10,
            ..Default::default()
        };
        if veza.search_audit(&f).await.expect("audit").len() != 1 {
            unaudited += 1;
        }
    }
    println!(
        "verify: {} acknowledged checks, {missing} missing from the store; {sampled} sampled, {unaudited} without exactly one audit entry",
        acked.len()
    );
    missing == 0 && unaudited == 0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let entries = env("VEZA_BENCH_ENTRIES", 100_000);
    let clients = env("VEZA_BENCH_CLIENTS", 64);
    let secs = env("VEZA_BENCH_SECS", 60) as u64;
    let mode = std::env::var("VEZA_BENCH_MODE").unwrap_or_else(|_| "all".into());
    let addr: std::net::SocketAddr =
        std::env::var("VEZA_BENCH_ADDR").unwrap_or_else(|_| "127.0.0.1:8099".into()).parse().expect("address");
    let acked_file = std::env::var("VEZA_BENCH_ACKED").unwrap_or_else(|_| "/tmp/veza-bench-acked.txt".into());
    match mode.as_str() {
        "serve" => {
            let dir = std::path::PathBuf::from(std::env::var("VEZA_BENCH_DIR").expect("VEZA_BENCH_DIR"));
            let veza = platform(&dir, entries).await;
            let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
            println!("serving on http://{addr}");
            serve(veza, listener).await;
        }
        "load" => {
            let start = Instant::now();
            let (mut lat, ids, hits) = load(addr, clients, secs, entries).await;
            report(&mut lat, start.elapsed().as_secs_f64(), hits, clients, entries);
            let mut out = std::fs::OpenOptions::new().create(true).append(true).open(&acked_file).expect("acked file");
            for id in ids {
                writeln!(out, "{id}").expect("write");
            }
        }
        "verify" => {
            let dir = std::path::PathBuf::from(std::env::var("VEZA_BENCH_DIR").expect("VEZA_BENCH_DIR"));
            let veza = platform(&dir, entries).await;
            let acked: Vec<i64> = std::fs::read_to_string(&acked_file)
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect();
            if !verify(&veza, &acked).await {
                std::process::exit(1);
            }
        }
        _ => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let veza = platform(dir.path(), entries).await;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
            let local = listener.local_addr().expect("address");
            let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
            let v = veza.clone();
            let server = tokio::spawn(async move {
                let _ = ready_tx.send(());
                serve(v, listener).await
            });
            let _ = ready_rx.await;
            // Wait for the index: the first check runs before serving.
            while TcpStream::connect(local).await.is_err() {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            let start = Instant::now();
            let (mut lat, ids, hits) = load(local, clients, secs, entries).await;
            report(&mut lat, start.elapsed().as_secs_f64(), hits, clients, entries);
            server.abort();
            if !verify(&veza, &ids).await {
                std::process::exit(1);
            }
        }
    }
}

/// One `POST …/checks` on the kept-alive connection; the body, or `None`
/// when the connection failed (the server was killed).
async fn post(conn: &mut TcpStream, buf: &mut Vec<u8>, body: &str) -> Option<String> {
    let request = format!(
        "POST /api/v1/operations/{OPERATION}/checks HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.ok()?;
    buf.clear();
    let mut chunk = [0u8; 16384];
    loop {
        let got = conn.read(&mut chunk).await.ok()?;
        if got == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..got]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = std::str::from_utf8(&buf[..end]).ok()?;
        assert!(head.starts_with("HTTP/1.1 200"), "not 200: {head} {}", String::from_utf8_lossy(&buf[end..]));
        let length: usize = head.lines().find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
        })?;
        if buf.len() >= end + 4 + length {
            return Some(String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned());
        }
    }
}
