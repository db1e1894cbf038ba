//! `veza import`.

use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use veza_app::{ImportOptions, Progress};

/// Import files.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  veza import entities.ftm.json\n  veza import febrl3.csv --mapping febrl.toml --dataset febrl3\n  veza import checks.xlsx --mapping checks.toml --agency rs-bp --rejects bad-rows.csv\n  veza import watchlists/notices.jsonl --format interpol-notices --dataset interpol-notices\n  veza import watchlists/stolen_documents.csv --format lost-stolen-documents\n\n\
Mapping files (TOML) map the columns of a CSV or Excel file to a schema:\n\n  schema = \"Person\"\n  id = \"id\"\n  [properties]\n  firstName = \"given_name\"\n  lastName = \"surname\"\n  birthDate = { column = \"date_of_birth\", format = \"%Y%m%d\" }\n  address = [\"street_number\", \"address_1\", \"suburb\"]\n\n\
Bad rows never stop an import: they are listed in the rejects report (line,column,value,reason)\nand the good rows are stored. Importing the same file again updates, it never duplicates."
)]
pub struct Args {
    /// Files to import: .json/.jsonl/.ndjson/.ftm (FtM JSON lines), .csv/.tsv, .xlsx.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Mapping file for CSV and Excel files.
    #[arg(long, short)]
    mapping: Option<PathBuf>,
    /// Dataset name (default: the mapping's `dataset`, else the file name).
    #[arg(long)]
    dataset: Option<String>,
    /// Agency that owns the imported records (default: this installation, `local`).
    #[arg(long)]
    agency: Option<String>,
    /// Where to write the rejects report (default: <input>.rejects.csv). Only with one file.
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Import for a table-top exercise: the records are seen only by those acting in
    /// that exercise and never mix with real data (an id of real data is refused).
    #[arg(long, value_name = "ID")]
    exercise: Option<String>,
    /// Read the files as this format instead of the one their extension names:
    /// ftm, csv, xlsx, interpol-notices (INTERPOL's public notices JSON: a list page,
    /// a notice, or JSON lines of them), lost-stolen-documents (CSV with
    /// document_id,document_number,document_type,issuing_country,status,reported_date,
    /// reporting_country, through a built-in mapping).
    #[arg(long)]
    format: Option<String>,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    if args.rejects.is_some() && args.files.len() > 1 {
        anyhow::bail!("--rejects names one report: import one file at a time, or leave --rejects out");
    }
    if args.dataset.is_some() && args.files.len() > 1 {
        anyhow::bail!("--dataset names one dataset: import one file at a time, or leave --dataset out");
    }
    if let Some(x) = &args.exercise
        && !veza_model::valid_exercise_id(x)
    {
        anyhow::bail!("--exercise '{x}': an exercise id is 1–64 letters, digits, '-', '_' or '.'");
    }
    let veza = super::open(url).await?;
    let caller = super::operator_access("import")?;
    let mut failed = false;
    for file in &args.files {
        let options = ImportOptions {
            mapping: args.mapping.clone(),
            dataset: args.dataset.clone(),
            agency: args.agency.clone(),
            rejects: args.rejects.clone(),
            exercise: args.exercise.clone(),
            format: args.format.clone(),
            mapping_text: None,
        };
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {percent}% {pos}/{len} ({eta}) · {prefix} rows")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(file.display().to_string());
        let on_progress = |p: Progress| {
            if let Some(total) = p.total {
                bar.set_length(total);
            }
            bar.set_position(p.done);
            bar.set_prefix(p.rows.to_string());
        };
        match veza.import_file(&caller, file, &options, on_progress).await {
            Ok(s) => {
                bar.finish_and_clear();
                println!(
                    "{}: {} rows read ({}), dataset {}: {} created, {} updated, {} rejected.",
                    file.display(),
                    s.rows,
                    s.format,
                    s.dataset,
                    s.created,
                    s.updated,
                    s.rejected_rows
                );
                if s.rejected_rows > 0 {
                    println!("  Rejected rows are listed in {} (line,column,value,reason).", s.rejects_path.display());
                }
                if s.noted > 0 {
                    println!("  {} values were kept only in part:", s.noted);
                    for n in s.notes.iter().take(5) {
                        println!("    line {}, {} = {:?}: {}", n.line, n.column, n.value, n.message);
                    }
                    if s.noted > 5 {
                        println!("    … and {} more", s.noted - 5);
                    }
                }
            }
            Err(e) => {
                bar.abandon();
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
