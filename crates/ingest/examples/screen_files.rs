//! The readers and the screening engine together, without the platform:
//! `cargo run --release -p veza-ingest --example screen_files -- W.csv Q.csv HITS.csv [threshold]`.
//! The same as `veza screen`, for working on the engine without building the whole binary.

use std::time::Instant;
use veza_ingest::PersonReader;
use veza_screen::{Person, ScreenOptions, Watchlist};

fn read(path: &str) -> Result<Vec<Person>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for row in PersonReader::open(std::path::Path::new(path))? {
        out.push(row?);
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        return Err("usage: screen_files W.csv Q.csv HITS.csv [threshold]".into());
    }
    let threshold = args.get(4).map(|t| t.parse()).transpose()?.unwrap_or(0.7);
    let entries = read(&args[1])?;
    let queries = read(&args[2])?;
    let t = Instant::now();
    let list = Watchlist::build_parallel(&entries);
    let built = t.elapsed().as_secs_f64();
    let options = ScreenOptions { threshold, ..ScreenOptions::default() };
    let t = Instant::now();
    let results = list.screen_batch(&queries, &options);
    let screened = t.elapsed().as_secs_f64();
    let mut w = csv::Writer::from_path(&args[3])?;
    w.write_record(["query_id", "match_id", "score", "explanation"])?;
    for (q, hits) in queries.iter().zip(&results) {
        for h in hits {
            w.write_record([q.id.as_str(), h.id.as_str(), &format!("{:.4}", h.score), &h.explanations.summary()])?;
        }
    }
    w.flush()?;
    eprintln!(
        "{} entries built in {built:.3} s; {} queries in {screened:.3} s ({:.0}/s)",
        list.len(),
        queries.len(),
        queries.len() as f64 / screened
    );
    Ok(())
}
