//! `POST /api/v1/screen` over HTTP on loopback under concurrent load
//! (issue 5's goal: p99 ≤ 20 ms at 200 concurrent clients against
//! 1,000,000 entries).
//!
//! Builds a file-backed SQLite platform with `VEZA_BENCH_ENTRIES` synthetic
//! persons (default 100,000) imported as FtM, serves the real router on
//! 127.0.0.1 (sign-in bypassed: the caller is a border officer put in the
//! request's extensions; the purpose, policy and audit entry per check are
//! all real), and runs `VEZA_BENCH_CLIENTS` closed-loop clients (default
//! 200), each on its own keep-alive connection, for `VEZA_BENCH_N` checks in
//! all (default 20,000). Each check is one person whose name is an altered
//! form of a stored one (case, order, a typo, Cyrillic). Prints import, index
//! build, requests/s and the latency percentiles.
//!
//! With `VEZA_BENCH_HOLD=1` it keeps serving afterwards and prints an `oha`
//! command line to load the same server from outside.
//!
//! `cargo bench -p veza-web --bench screen_http` (or `scripts/bench-screen-http`).

use std::io::Write;

/// The allocator the `veza` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
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

/// A small deterministic generator (xorshift).
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

/// The `i`-th stored person: (name, birth date, nationality).
fn stored(i: usize) -> (String, String, &'static str) {
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

/// A query for stored person `i`, altered as a border officer would type it.
fn query(i: usize, salt: u64) -> String {
    let (name, date, country) = stored(i);
    let mut d = Dice(salt | 1);
    d.next();
    let name = match d.below(4) {
        0 => name.to_uppercase(),
        1 => name.rsplit(' ').collect::<Vec<_>>().join(" "),
        2 => {
            let mut c: Vec<char> = name.chars().collect();
            let at = 1 + d.below(c.len() - 1);
            c[at] = 'x';
            c.into_iter().collect()
        }
        _ => name,
    };
    let year = &date[..4];
    format!(r#"{{"person":{{"name":"{name}","birth_date":["{year}"],"nationality":["{country}"]}},"limit":5}}"#)
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let entries = env("VEZA_BENCH_ENTRIES", 100_000);
    let clients = env("VEZA_BENCH_CLIENTS", 200);
    let n = env("VEZA_BENCH_N", 20_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = std::env::var("VEZA_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("veza.db").display()));
    let veza = Veza::open(&url).await.expect("database opens");
    veza.store()
        .put_agency(&veza_store::Agency {
            code: "mk-bp".into(),
            name: "Border police".into(),
            country: "mk".into(),
            kind: "border_police".into(),
        })
        .await
        .expect("agency");

    let file = dir.path().join("watchlist.ftm.json");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        for i in 0..entries {
            let (name, date, country) = stored(i);
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
    let op = Access::operator("bench import", None).expect("operator");
    let start = Instant::now();
    let imported = veza.import_file(&op, &file, &options, |_| {}).await.expect("watchlist imports");
    let import_secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&file);
    println!(
        "import: {} persons in {import_secs:.1} s ({:.0}/s), {}",
        imported.created,
        imported.created as f64 / import_secs,
        veza.backend().as_str()
    );

    let officer = Caller::user("border.mk", "mk-bp", "mk", &[]);
    let access = Access::with_purpose(officer.clone(), "bench border checks").expect("purpose");
    let start = Instant::now();
    let probe = veza_app::ScreenQuery { name: Some(stored(0).0), ..Default::default() };
    let first = veza
        .screen(&access, veza_app::DEFAULT_WATCHLIST, &[probe.to_person("p", "0").expect("query")], 0.7, 5)
        .await
        .expect("first check builds the index");
    println!(
        "index: built from the store in {:.1} s (first check, on the default watchlist the load uses; {} result(s) for the probe)",
        start.elapsed().as_secs_f64(),
        first[0].results.len()
    );

    let app = router(veza.clone(), WebOptions::default()).layer(axum::Extension(officer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let per_client = n.div_ceil(clients);
    // Open loop (`VEZA_BENCH_RATE` checks/s in all): each client sends on a
    // fixed schedule and a check's latency runs from when it was due, so a
    // slow answer is not hidden by the client waiting for it (coordinated
    // omission). Closed loop (unset): each client sends as soon as it has
    // its answer, which measures the saturation rate.
    let rate = env("VEZA_BENCH_RATE", 0);
    let interval = (rate > 0).then(|| std::time::Duration::from_secs_f64(clients as f64 / rate as f64));
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Terminals keep their connection open: every client connects and sends
    // `VEZA_BENCH_WARMUP` unmeasured checks first (default 25: the store's
    // first commits after a 1M-row import checkpoint its write-ahead log,
    // which a server in service does not do at every check), and the clock
    // starts when all have.
    let warmup = env("VEZA_BENCH_WARMUP", 25).max(1);
    let ready = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let go = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let started = Arc::new(std::sync::OnceLock::<Instant>::new());
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let hits = Arc::clone(&hits);
        let (ready, go, started) = (Arc::clone(&ready), Arc::clone(&go), Arc::clone(&started));
        tasks.push(tokio::spawn(async move {
            let mut conn = TcpStream::connect(addr).await.expect("connect");
            conn.set_nodelay(true).expect("nodelay");
            let mut buf = Vec::with_capacity(16 * 1024);
            for w in 0..warmup {
                let salt = u64::MAX - (c * warmup + w) as u64;
                post(&mut conn, &mut buf, &query((salt % entries as u64) as usize, salt)).await;
            }
            ready.wait().await;
            go.wait().await;
            let start = *started.get().expect("the start is set before the go");
            let first_due =
                interval.map(|i| tokio::time::Instant::from_std(start) + i.mul_f64(c as f64 / clients as f64));
            let mut latencies = Vec::with_capacity(per_client);
            for k in 0..per_client {
                let salt = (c * per_client + k) as u64;
                let i = (salt.wrapping_mul(2_654_435_761) % entries as u64) as usize;
                let body = query(i, salt.wrapping_mul(0x9E37_79B9));
                let t = match (first_due, interval) {
                    (Some(first), Some(every)) => {
                        let due = first + every * k as u32;
                        tokio::time::sleep_until(due).await;
                        due.into_std()
                    }
                    _ => Instant::now(),
                };
                let answer = post(&mut conn, &mut buf, &body).await;
                latencies.push(t.elapsed().as_micros() as u64);
                if answer.contains("\"id\":\"wl-") {
                    hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    ready.wait().await;
    let start = Instant::now();
    let _ = started.set(start);
    go.wait().await;
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await.expect("client"));
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)] as f64 / 1000.0;
    println!(
        "load ({}): {} checks from {clients} clients against {entries} entries in {secs:.1} s = {:.0} checks/s; \
         latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} checks found their person",
        if rate > 0 { format!("open loop, {rate} checks/s offered") } else { "closed loop".to_string() },
        all.len(),
        all.len() as f64 / secs,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        hits.load(std::sync::atomic::Ordering::Relaxed)
    );
    if std::env::var("VEZA_BENCH_HOLD").is_ok() {
        let body = dir.path().join("body.json");
        std::fs::write(&body, query(42, 7)).expect("body");
        println!(
            "serving on http://{addr} — load it from outside, e.g.:\n  oha -c {clients} -n {n} -m POST -T application/json \
             -H 'X-Purpose: bench border checks' -D {} http://{addr}/api/v1/screen\n(Ctrl-C to stop)",
            body.display()
        );
        let _ = tokio::signal::ctrl_c().await;
    }
    server.abort();
}

/// One `POST /api/v1/screen` on the kept-alive connection; the body.
async fn post(conn: &mut TcpStream, buf: &mut Vec<u8>, body: &str) -> String {
    let request = format!(
        "POST /api/v1/screen HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n\
         X-Purpose: bench border checks\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.expect("send");
    buf.clear();
    let mut chunk = [0u8; 16384];
    loop {
        let got = conn.read(&mut chunk).await.expect("receive");
        assert!(got > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..got]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = std::str::from_utf8(&buf[..end]).expect("ASCII head");
        assert!(head.starts_with("HTTP/1.1 200"), "not 200: {head} {}", String::from_utf8_lossy(&buf[end..]));
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
            .expect("content-length");
        if buf.len() >= end + 4 + length {
            return String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
        }
    }
}
