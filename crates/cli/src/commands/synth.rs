//! `veza synth`: writes a synthetic scenario with its ground truth.

use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use veza_synth::{Options, output::FolderSink};

/// Generate a synthetic Balkan trafficking scenario.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  veza synth --out /tmp/s --persons 10000 --seed 1\n  veza synth --out /tmp/s --countries RS,MK,GR,HU\n\n\
Writes DIR/sources/<agency>.ftm.jsonl, DIR/watchlists/, DIR/truth/, DIR/agencies.csv and DIR/scenario.md.\n\
Load it with:  sh DIR/import.sh   (veza agency import DIR/agencies.csv, then veza import each source --agency <agency>)"
)]
pub struct Args {
    /// Folder to write the scenario into (created if missing; its files are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Persons in the scenario.
    #[arg(long, default_value_t = 10_000)]
    persons: u64,
    /// Seed: the same seed and options give identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Countries whose agencies hold records: AL,BA,ME,MK,RS,XK and the neighbours HR,BG,GR,HU,SI,AT,DE.
    #[arg(long, default_value = "RS,BA,ME,MK,AL,XK")]
    countries: String,
    /// Threads (default: all cores). Output does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let countries = Options::parse_countries(&args.countries)?;
    let options = Options { persons: args.persons, seed: args.seed, countries };
    options.check()?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let started = Instant::now();
    let mut sink = FolderSink::create(&args.out, &options.agencies())?;
    let bar = ProgressBar::new(options.persons);
    bar.set_style(
        ProgressStyle::with_template("{spinner} synth [{bar:40}] {pos}/{len} persons ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = veza_synth::generate(&options, threads, &mut sink, &mut |done, _| bar.set_position(done))?;
    sink.finish(&options, &summary)?;
    bar.finish_and_clear();
    let entities: u64 = summary.counts.values().sum();
    println!(
        "Scenario written to {} in {:.1} s: {} persons, {} OCGs ({} members), {} victims, {} person records, {} entities, {} notices, {} stolen/lost documents.",
        args.out.display(),
        started.elapsed().as_secs_f64(),
        summary.persons,
        summary.groups,
        summary.members,
        summary.victims,
        summary.records,
        entities,
        summary.notices,
        summary.stolen
    );
    println!("Load it with: sh {}/import.sh   (truth for the controller is in truth/)", args.out.display());
    Ok(ExitCode::SUCCESS)
}
