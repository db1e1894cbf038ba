//! `veza retention due|extend|erase`.

use chrono::NaiveDate;
use std::process::ExitCode;

/// Retention review.
#[derive(clap::Subcommand)]
pub enum Command {
    /// List records due for review (default: due today or earlier).
    #[command(after_help = "Examples:\n  veza retention due\n  veza retention due --before 2027-01-01 --json")]
    Due {
        /// List what is due on or before this date (YYYY-MM-DD).
        #[arg(long)]
        before: Option<NaiveDate>,
        /// At most this many.
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Keep a record longer; the reason goes to the audit log.
    #[command(
        after_help = "Example:\n  veza retention extend p-1234 --until 2028-06-30 --reason \"case KTR-2023-017 still open\""
    )]
    Extend {
        /// Entity id.
        id: String,
        /// New review date (YYYY-MM-DD).
        #[arg(long)]
        until: NaiveDate,
        /// Why it is kept: a case reference or a few words.
        #[arg(long)]
        reason: String,
    },
    /// Erase a record; the reason goes to the audit log.
    #[command(after_help = "Example:\n  veza retention erase p-1234 --reason \"review 2026: no longer needed\"")]
    Erase {
        /// Entity id.
        id: String,
        /// Why it is erased.
        #[arg(long)]
        reason: String,
    },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let caller = super::operator_access("retention")?;
    match cmd {
        Command::Due { before, limit, json } => {
            let due = before.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let items = veza.retention_due(&caller, due, limit).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                for i in &items {
                    println!(
                        "{}  {:<30} {:<14} {:<12} {}",
                        i.retention_review, i.id, i.schema, i.owner_agency, i.caption
                    );
                }
                eprintln!("{} records due for review on or before {due}.", items.len());
            }
        }
        Command::Extend { id, until, reason } => {
            veza.extend_retention(&caller, &id, until, &reason).await?;
            println!("{id} is kept until {until}; the decision is in the audit log.");
        }
        Command::Erase { id, reason } => {
            veza.erase_entity(&caller, &id, &reason).await?;
            println!("{id} was erased; the decision is in the audit log.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
