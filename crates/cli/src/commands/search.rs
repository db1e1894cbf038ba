//! `veza search`.

use std::process::ExitCode;

/// Search by name or identifier.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  veza search petrovic\n  veza search \"Драган\" --schema Person --limit 5\n  veza search BA4471190 --json"
)]
pub struct Args {
    /// Words to find: names, document or phone numbers. Case, accents and script do not matter.
    query: String,
    /// Only this schema and its descendants (Person, LegalEntity, Passport, …).
    #[arg(long)]
    schema: Option<String>,
    /// How many results.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Print FtM JSON lines instead of a table.
    #[arg(long)]
    json: bool,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let page =
        veza.search(&super::operator_access("search")?, &args.query, args.schema.as_deref(), args.limit, 0).await?;
    if args.json {
        for e in &page.results {
            println!("{}", e.to_ftm());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let model = veza.model();
    for e in &page.results {
        let label = model.schema(&e.schema).map(|s| s.label.clone()).unwrap_or_else(|_| e.schema.clone());
        let mut details: Vec<String> = Vec::new();
        for prop in ["birthDate", "nationality", "country", "passportNumber", "number", "idNumber"] {
            if let Some(v) = e.first(prop) {
                details.push(format!("{prop}={v}"));
            }
        }
        println!("{:<40} {:<14} {:<30} {}", e.caption(model), label, e.id, details.join(" "));
    }
    let more = if page.total_is_exact { "" } else { "+" };
    eprintln!("{} of {}{more} matches shown.", page.results.len(), page.total);
    Ok(ExitCode::SUCCESS)
}
