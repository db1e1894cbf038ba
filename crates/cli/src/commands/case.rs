//! `veza case members|add-member|remove-member`: who works on a case.

use std::process::ExitCode;
use veza_app::Capacity;

/// Case membership.
#[derive(clap::Subcommand)]
pub enum Command {
    /// List the members of a case.
    #[command(after_help = "Example:\n  veza case members case-rs-2026-17")]
    Members {
        /// The case's entity id.
        case: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a user to a case, or change their capacity. Investigators and analysts work
    /// the case (investigators also see its victim records); prosecutors, judges and
    /// observers only read it.
    #[command(after_help = "Examples:\n  veza case add-member case-rs-2026-17 investigator.al --as investigator\n  \
                            veza case add-member case-rs-2026-17 prosecutor.me --as prosecutor")]
    AddMember {
        /// The case's entity id.
        case: String,
        /// The user.
        username: String,
        /// investigator, analyst, prosecutor, judge or observer.
        #[arg(long = "as", value_name = "CAPACITY", value_parser = parse_capacity)]
        capacity: Capacity,
    },
    /// Remove a user from a case.
    #[command(after_help = "Example:\n  veza case remove-member case-rs-2026-17 judge.me")]
    RemoveMember {
        /// The case's entity id.
        case: String,
        /// The user.
        username: String,
    },
}

fn parse_capacity(raw: &str) -> Result<Capacity, String> {
    Capacity::parse(raw).ok_or_else(|| {
        let all: Vec<&str> = Capacity::ALL.iter().map(|c| c.code()).collect();
        format!("'{raw}' is not a capacity: one of {}", all.join(", "))
    })
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let access = super::operator_access("case")?;
    match cmd {
        Command::Members { case, json } => {
            let members = veza.case_members(&access, &case).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&members)?);
            } else {
                for m in &members {
                    println!("{:<24} {:<13} added by {}", m.username, m.capacity, m.added_by);
                }
                eprintln!("{} members of case {case}.", members.len());
            }
        }
        Command::AddMember { case, username, capacity } => {
            veza.put_case_member(&access, &case, &username, capacity).await?;
            println!("{username} is a member of case {case} as {capacity}; the change is in the audit log.");
        }
        Command::RemoveMember { case, username } => {
            if !veza.remove_case_member(&access, &case, &username).await? {
                anyhow::bail!("{username} is not a member of case {case}");
            }
            println!("{username} is no longer a member of case {case}; the change is in the audit log.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
