//! `veza access list|grant|refuse`: requests to see records whose
//! existence their owners made visible, answered from the command line.

use chrono::NaiveDate;
use std::process::ExitCode;

/// Access requests.
#[derive(clap::Subcommand)]
pub enum Command {
    /// List access requests (newest first).
    #[command(after_help = "Examples:\n  veza access list --pending\n  veza access list --json")]
    List {
        /// Only those not yet answered.
        #[arg(long)]
        pending: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open the record to the requester (until a date, if given); the reason goes to the audit log.
    #[command(after_help = "Example:\n  veza access grant 17 --reason \"JIT RS-MK 2026/3\" --until 2027-06-30")]
    Grant {
        /// The request's number.
        id: i64,
        /// Why.
        #[arg(long)]
        reason: String,
        /// Last day of the grant (YYYY-MM-DD); without it, until revoked.
        #[arg(long)]
        until: Option<NaiveDate>,
    },
    /// Refuse a request; the reason goes to the audit log.
    #[command(after_help = "Example:\n  veza access refuse 17 --reason \"not needed for that case\"")]
    Refuse {
        /// The request's number.
        id: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let access = super::operator_access("access")?;
    match cmd {
        Command::List { pending, json } => {
            let requests = veza.access_requests(&access, pending).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&requests)?);
            } else {
                for r in &requests {
                    println!(
                        "{:>5}  {:<8} {:<28} owner {:<10} asked by {} ({}): {}",
                        r.id,
                        r.status.as_str(),
                        r.entity_id,
                        r.owner_agency,
                        r.requester,
                        r.requester_agency,
                        r.reason
                    );
                }
                eprintln!("{} requests.", requests.len());
            }
        }
        Command::Grant { id, reason, until } => {
            let until = until.map(veza_app::end_of_day);
            let r = veza.decide_access(&access, id, true, &reason, until).await?;
            println!("Request {id}: {} may now see {}; the decision is in the audit log.", r.requester, r.entity_id);
        }
        Command::Refuse { id, reason } => {
            let r = veza.decide_access(&access, id, false, &reason, None).await?;
            println!("Request {id} of {} refused; the decision is in the audit log.", r.requester);
        }
    }
    Ok(ExitCode::SUCCESS)
}
