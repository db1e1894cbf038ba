//! `veza screen`: screen a list of persons against watchlists, on files,
//! without a database.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use veza_ingest::PersonReader;
use veza_screen::{Person, ScreenOptions, Watchlist};

/// Screens persons against watchlists and writes the hits.
#[derive(clap::Args)]
#[command(after_help = "Files are CSV with the header id,name,aliases,birth_date,gender,nationality,document_number\n\
(aliases separated by |) or FtM JSON lines (.jsonl) of Person entities.\n\n\
Example:\n  veza screen --watchlist notices.csv --watchlist national.jsonl --queries arrivals.csv --output hits.csv --threshold 0.7 --limit 5")]
pub struct Args {
    /// A watchlist (.csv or .jsonl); repeat for several.
    #[arg(long, required = true)]
    watchlist: Vec<PathBuf>,
    /// The persons to screen (.csv or .jsonl).
    #[arg(long)]
    queries: PathBuf,
    /// Where to write the hits: CSV with query_id,match_id,score,explanation.
    #[arg(long)]
    output: PathBuf,
    /// Least score of a hit, in [0, 1].
    #[arg(long, default_value_t = 0.7)]
    threshold: f64,
    /// Most hits per query.
    #[arg(long, default_value_t = 5)]
    limit: usize,
}

fn read_all(path: &Path) -> anyhow::Result<Vec<Person>> {
    let reader = PersonReader::open(path)?;
    let mut out = Vec::new();
    for row in reader {
        out.push(row?);
    }
    Ok(out)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold must be between 0 and 1, got {}", args.threshold);
    }
    if args.limit == 0 {
        bail!("--limit must be at least 1");
    }
    let started = Instant::now();
    let mut entries = Vec::new();
    for w in &args.watchlist {
        entries.extend(read_all(w)?);
    }
    let queries = read_all(&args.queries)?;
    let read = started.elapsed();
    let t = Instant::now();
    let list = Watchlist::build_parallel(&entries);
    let built = t.elapsed();
    drop(entries);
    let options = ScreenOptions { threshold: args.threshold, limit: args.limit, ..ScreenOptions::default() };
    let t = Instant::now();
    let results = list.screen_batch(&queries, &options);
    let screened = t.elapsed();
    let mut out =
        csv::Writer::from_path(&args.output).with_context(|| format!("cannot write {}", args.output.display()))?;
    out.write_record(["query_id", "match_id", "score", "explanation"])?;
    let mut hits = 0usize;
    for (q, found) in queries.iter().zip(&results) {
        for h in found {
            out.write_record([q.id.as_str(), h.id.as_str(), &format!("{:.4}", h.score), &h.explanations.summary()])?;
            hits += 1;
        }
    }
    out.flush().with_context(|| format!("cannot write {}", args.output.display()))?;
    let qps = queries.len() as f64 / screened.as_secs_f64().max(1e-9);
    println!(
        "watchlist: {} entries, built in {:.2} s ({:.0} entries/s); files read in {:.2} s",
        list.len(),
        built.as_secs_f64(),
        list.len() as f64 / built.as_secs_f64().max(1e-9),
        read.as_secs_f64()
    );
    println!("queries: {}", queries.len());
    println!("hits: {hits}");
    println!("queries/s: {qps:.0}");
    Ok(ExitCode::SUCCESS)
}
