//! `veza stats`.

use std::process::ExitCode;

/// Counts by schema, source and owner.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  veza stats\n  veza stats --json")]
pub struct Args {
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let stats = veza.stats(&super::operator("stats")).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} entities ({} database)", stats.entities, veza.backend().as_str());
    for (title, rows) in
        [("by schema", &stats.by_schema), ("by source", &stats.by_source), ("by owner", &stats.by_owner)]
    {
        println!("\n{title}:");
        for (name, n) in rows {
            println!("  {n:>10}  {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
