//! `veza export`.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

/// Export formats.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// FollowTheMoney JSON lines (Aleph, OpenSanctions, `veza import`).
    Ftm,
}

/// Export every entity.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  veza export --format ftm --output all.ftm.json")]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "ftm")]
    format: Format,
    /// File to write ("-" for standard output).
    #[arg(long, short)]
    output: PathBuf,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let caller = super::operator("export");
    let access = super::operator_access("export")?;
    let Format::Ftm = args.format;
    let to_stdout = args.output.as_os_str() == "-";
    let mut out: Box<dyn std::io::Write> = if to_stdout {
        Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
    } else {
        // Write beside the target and rename at the end, so a failed export
        // never leaves half a file under the real name.
        let tmp = args.output.with_extension("partial");
        Box::new(std::io::BufWriter::new(
            std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?,
        ))
    };
    let total = veza.stats(&caller).await?.entities;
    let target = if to_stdout { "standard output".to_owned() } else { args.output.display().to_string() };
    let bar = if to_stdout { ProgressBar::hidden() } else { ProgressBar::new(total) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} exporting [{bar:40}] {pos}/{len} entities ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = veza.export_ftm(&access, &target, &mut out, |n| bar.set_position(n)).await?;
    drop(out);
    bar.finish_and_clear();
    if !to_stdout {
        std::fs::rename(args.output.with_extension("partial"), &args.output)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!("Exported {} entities to {}.", summary.entities, args.output.display());
    }
    Ok(ExitCode::SUCCESS)
}
