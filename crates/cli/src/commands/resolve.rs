//! `veza resolve`: which records of one or more CSV files are the same
//! person. Reads with `veza_ingest::resolution`, resolves with
//! `veza_resolve`, writes the clusters (and pairs) as CSV.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use veza_ingest::resolution::{ResolveSettings, read_files};
use veza_resolve::{Progress, Resolver, Settings};

/// Arguments of `veza resolve`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  veza resolve --input febrl3.csv --output clusters.csv\n  veza resolve --input police.csv --input border.csv --output clusters.csv --pairs pairs.csv --settings settings.toml --threshold 0.95"
)]
pub struct Args {
    /// A CSV file of records (header row first). One file is deduplicated;
    /// several are also linked across. Record ids must be unique across all.
    #[arg(long = "input", required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write `record_id,cluster_id`, one row per input record.
    #[arg(long)]
    output: PathBuf,
    /// Settings (TOML): the id column and each compared column's kind; by
    /// default columns are recognised by name.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Where to write `id_l,id_r,probability` for every compared pair above 0.5.
    #[arg(long)]
    pairs: Option<PathBuf>,
    /// Pairs at or above this match probability join one cluster.
    #[arg(long, default_value_t = 0.9, value_parser = probability)]
    threshold: f64,
}

fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("'{s}' is not a probability between 0 and 1")),
    }
}

/// A progress bar per stage, on standard error, hidden when not a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_position(0);
        self.0.set_length(total.max(1));
        self.0.set_message(name.to_owned());
    }
    fn advance(&self, done: u64) {
        self.0.inc(done);
    }
}

/// Runs `veza resolve`.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    tokio::task::spawn_blocking(move || resolve(args)).await.context("the resolution stopped")?
}

fn resolve(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let settings = args.settings.as_deref().map(ResolveSettings::load).transpose()?;
    let paths: Vec<&std::path::Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    let input = read_files(&paths, settings.as_ref())?;
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let records = input.records.len();
    let resolver = Resolver::resolve(
        input.schema,
        input.records,
        Settings { threshold: args.threshold, ..Settings::default() },
        &Bar(bar.clone()),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();

    let mut out =
        csv::Writer::from_path(&args.output).with_context(|| format!("cannot write {}", args.output.display()))?;
    out.write_record(["record_id", "cluster_id"])?;
    for (r, c) in resolver.records().iter().zip(resolver.cluster_ids()) {
        out.write_record([r.id.as_str(), &c.to_string()])?;
    }
    out.flush().with_context(|| format!("cannot write {}", args.output.display()))?;
    if let Some(path) = &args.pairs {
        let mut out = csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
        out.write_record(["id_l", "id_r", "probability"])?;
        for (a, b, p) in resolver.pairs().filter(|p| p.2 > 0.5) {
            out.write_record([a, b, &format!("{p:.6}")])?;
        }
        out.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    let report = resolver.report();
    let keys: Vec<String> = report.keys.iter().map(|k| k.parts.join("+")).collect();
    eprintln!(
        "{records} records, {} pairs compared, {} clusters, in {:.2} s (blocking keys: {}; estimated blocking recall {:.4})",
        report.pairs_compared,
        report.clusters,
        start.elapsed().as_secs_f64(),
        keys.join(", "),
        report.estimated_blocking_recall,
    );
    Ok(ExitCode::SUCCESS)
}
