//! Store figures for the foundation issue: import speed of FtM JSON lines
//! into SQLite, search latency (p50, p95) and database size, on N synthetic
//! Person entities (default 1,000,000; `VEZA_BENCH_PERSONS` to change).
//!
//! Run: `scripts/bench-store` (or `cargo bench -p veza-app --bench store`).

use std::io::Write;

/// The allocator the `veza` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;
use veza_app::{Caller, ImportOptions, Veza};

const GIVEN: &[&str] = &[
    "Ana", "Marko", "Jelena", "Nikola", "Milica", "Dragan", "Emir", "Lejla", "Arben", "Elira", "Goran", "Marija",
    "Fatos", "Blerta", "Ivana", "Stefan", "Amra", "Haris", "Vjosa", "Dritan", "José", "Đorđe", "Gëzim", "Šefik",
];
const FAMILY: &[&str] = &[
    "Petrović",
    "Jovanović",
    "Hadžić",
    "Krasniqi",
    "Hoxha",
    "Trajkovski",
    "Vujović",
    "Kovačević",
    "Berisha",
    "Nikolić",
    "Marković",
    "Begić",
    "Gashi",
    "Shehu",
    "Ristovski",
    "Popović",
    "Delić",
    "Morina",
    "Çela",
    "Đukić",
];
const COUNTRIES: &[&str] = &["rs", "ba", "me", "mk", "al", "xk", "md", "ua", "sy", "af"];

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
}

fn write_persons(path: &std::path::Path, n: usize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut d = Dice(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let given = GIVEN[d.below(GIVEN.len())];
        let family = FAMILY[d.below(FAMILY.len())];
        let cc = COUNTRIES[d.below(COUNTRIES.len())];
        let year = 1940 + d.below(65);
        let line = serde_json::json!({
            "id": format!("bench-{i}"),
            "schema": "Person",
            "properties": {
                "name": [format!("{given} {family}")],
                "firstName": [given],
                "lastName": [family],
                "birthDate": [format!("{year}-{:02}-{:02}", 1 + d.below(12), 1 + d.below(28))],
                "nationality": [cc],
                "passportNumber": [format!("{}{:07}", cc.to_uppercase(), d.below(10_000_000))],
            }
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::var("VEZA_BENCH_PERSONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("persons.ftm.json");
    let t = Instant::now();
    write_persons(&input, n).expect("write input");
    println!("generated {n} Person entities in {:.1}s", t.elapsed().as_secs_f64());

    // Reading alone (parse, validate, normalise), to tell reading from writing.
    let t = Instant::now();
    let reader = veza_ingest::Reader::open(&input, veza_model::Model::builtin(), None, "bench").expect("open input");
    let read = reader.filter(|o| matches!(o, Ok(veza_ingest::Outcome::Accepted(_)))).count();
    let secs = t.elapsed().as_secs_f64();
    println!("read only: {read} entities in {secs:.1}s = {:.0} entities/s", read as f64 / secs);

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let db_dir = dir.path().join("db");
        // VEZA_BENCH_DATABASE_URL measures another database (an empty
        // PostgreSQL database, say); the default is a fresh SQLite file.
        let url = std::env::var("VEZA_BENCH_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}", db_dir.join("veza.db").display()));
        let on_sqlite = url.starts_with("sqlite:");
        println!("database: {}", if on_sqlite { "sqlite" } else { "postgres" });
        let veza = Veza::open(&url).await.expect("open");
        let caller = veza_app::Access::new(Caller::system("bench"), None);
        let t = Instant::now();
        let s = veza.import_file(&caller, &input, &ImportOptions::default(), |_| {}).await.expect("import");
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(s.created as usize, n);
        println!("import: {n} entities in {secs:.1}s = {:.0} entities/s (goal >= 100000/s)", n as f64 / secs);

        let mut d = Dice(42);
        let mut queries: Vec<String> = Vec::new();
        for i in 0..600 {
            let q = match i % 4 {
                0 => format!("{} {}", GIVEN[d.below(GIVEN.len())], FAMILY[d.below(FAMILY.len())]),
                1 => veza_bench_fold(FAMILY[d.below(FAMILY.len())]),
                2 => format!(
                    "{} {}",
                    veza_bench_fold(GIVEN[d.below(GIVEN.len())]),
                    &veza_bench_fold(FAMILY[d.below(FAMILY.len())])[..4]
                ),
                _ => format!("{}{:07}", COUNTRIES[d.below(COUNTRIES.len())].to_uppercase(), d.below(10_000_000)),
            };
            queries.push(q);
        }
        // Warm the cache as a running server would be.
        for q in queries.iter().take(50) {
            veza.search(&caller, q, None, 20, 0).await.expect("search");
        }
        let mut times = Vec::with_capacity(queries.len());
        let mut by_kind: [Vec<f64>; 4] = Default::default();
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            veza.search(&caller, q, None, 20, 0).await.expect("search");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            by_kind[i % 4].push(ms);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        for (kind, mut t) in
            ["given + family name", "family name only", "given name + family prefix", "document number"]
                .into_iter()
                .zip(by_kind)
        {
            t.sort_by(|a, b| a.total_cmp(b));
            println!("  {kind:<28} p50 {:>6.1} ms  p95 {:>6.1} ms", percentile(&t, 0.5), percentile(&t, 0.95));
        }
        println!(
            "search: {} queries over {n} entities: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (goal p95 <= 50 ms)",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times[times.len() - 1]
        );
        drop(veza);
        if !on_sqlite {
            return;
        }
        let bytes = dir_size(&db_dir);
        println!(
            "size: {:.0} MiB on disk for {n} persons = {:.0} bytes/person ({:.0} MiB per 1,000,000)",
            bytes as f64 / 1048576.0,
            bytes as f64 / n as f64,
            bytes as f64 / n as f64 * 1_000_000.0 / 1048576.0
        );
    });
}

/// ASCII spelling a user without the local keyboard would type.
fn veza_bench_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ć' | 'č' => 'c',
            'đ' | 'Đ' => 'd',
            'š' | 'Š' => 's',
            'ž' => 'z',
            'ë' => 'e',
            'ç' | 'Ç' => 'c',
            'é' => 'e',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}
