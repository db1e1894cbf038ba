//! `veza agency add|list`.

use std::process::ExitCode;

/// Manage agencies.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Add an agency or change its name, country or kind.
    #[command(
        after_help = "Example:\n  veza agency add rs-bp --name \"Serbia Border Police\" --country RS --kind border_police"
    )]
    Add {
        /// Short code, used as the owner of its records (e.g. rs-bp).
        code: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Country: ISO code or name (RS, SRB, Serbia; XK for Kosovo).
        #[arg(long)]
        country: String,
        /// Kind: border_police, criminal_police, thb_unit, ncb, prosecution, court, victim_support, police_academy, interpol_gs.
        #[arg(long)]
        kind: String,
    },
    /// Add or update the agencies listed in a CSV file with the columns code,name,country,kind
    /// (as `veza synth` writes agencies.csv).
    #[command(after_help = "Example:\n  veza agency import /tmp/s/agencies.csv")]
    Import {
        /// CSV file with a header row code,name,country,kind.
        file: std::path::PathBuf,
    },
    /// List agencies.
    #[command(after_help = "Example:\n  veza agency list")]
    List,
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    match cmd {
        Command::Add { code, name, country, kind } => {
            let agency = veza.save_agency(&code, &name, &country, &kind).await?;
            println!("Agency {} saved ({}).", agency.code, agency.country);
        }
        Command::Import { file } => {
            let done = veza.import_agencies(&file).await?;
            for (line, reason) in &done.rejected {
                eprintln!("{}: line {line}: {reason}", file.display());
            }
            println!("{} agencies saved from {}.", done.saved, file.display());
            if !done.rejected.is_empty() {
                eprintln!("{} rows refused (listed above); the others were saved.", done.rejected.len());
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::List => {
            for a in veza.agencies().await? {
                println!("{:<12} {:<4} {:<18} {}", a.code, a.country, a.kind, a.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
