//! `veza operation report`: an operation's daily situation report or final
//! results report, as PDF or spreadsheet (by the output's extension or
//! `--format`); `veza operation plan`: an operation and its checkpoints from
//! a YAML plan.

mod plan;

use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use veza_app::ReportKind;

/// What to do with an operation.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Write the daily situation report or the final results report.
    #[command(
        after_help = "Examples:\n  veza operation report --operation op-1 --kind daily --date 2026-11-28 --output day.pdf\n  \
                            veza operation report --operation op-1 --kind final --output results.xlsx"
    )]
    Report(ReportArgs),
    /// Create or update an operation and its checkpoints from a YAML plan.
    #[command(after_help = "Example:\n  veza operation plan --file docs/operation-plan.example.yaml\n\n\
                      Prints the operation's id. Updates the operation named by `id:` in the file, or the one\n\
                      with the same code; checkpoints are matched by code.")]
    Plan(plan::PlanArgs),
}

/// Report kinds on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// One day of the operation (needs --date).
    Daily,
    /// The whole operation.
    Final,
}

/// Output formats.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// PDF.
    Pdf,
    /// Excel workbook, one sheet per figure with the record ids behind it.
    Xlsx,
}

/// `veza operation report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// The operation's id.
    #[arg(long)]
    operation: String,
    /// Daily or final.
    #[arg(long, value_enum)]
    kind: Kind,
    /// The day of a daily report (YYYY-MM-DD).
    #[arg(long)]
    date: Option<String>,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// pdf or xlsx; by default from the output's extension.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let args = match cmd {
        Command::Report(args) => args,
        Command::Plan(args) => return plan::run(url, args).await,
    };
    let format = match (args.format, args.output.extension().and_then(|e| e.to_str())) {
        (Some(f), _) => f,
        (None, Some("xlsx")) => Format::Xlsx,
        (None, Some("pdf")) => Format::Pdf,
        (None, _) => anyhow::bail!("say --format pdf or xlsx, or name the output .pdf or .xlsx"),
    };
    let kind = match args.kind {
        Kind::Daily => ReportKind::Daily,
        Kind::Final => ReportKind::Final,
    };
    let veza = super::open(url).await?;
    let access = super::operator_access("operation report")?;
    let report = veza.operation_report(&access, &args.operation, kind, args.date.as_deref()).await?;
    let bytes = match format {
        Format::Pdf => report.pdf()?,
        Format::Xlsx => report.xlsx()?,
    };
    std::fs::write(&args.output, &bytes).with_context(|| format!("cannot write {}", args.output.display()))?;
    let figures: u64 = report.totals.iter().map(|(_, n)| n).sum();
    eprintln!(
        "Wrote the {} report on {} to {} ({} bytes; {} records counted).",
        kind.code(),
        report.operation.code,
        args.output.display(),
        bytes.len(),
        figures
    );
    Ok(ExitCode::SUCCESS)
}
