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
            let mut reader = csv::Reader::from_path(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let header = reader.headers().map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?.clone();
            let column = |name: &str| {
                header.iter().position(|h| h.trim() == name).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: the header has no column '{name}' (need code,name,country,kind)",
                        file.display()
                    )
                })
            };
            let (code, name, country, kind) = (column("code")?, column("name")?, column("country")?, column("kind")?);
            let mut saved = 0;
            for (i, row) in reader.records().enumerate() {
                let line = i + 2;
                let row = row.map_err(|e| anyhow::anyhow!("{}: line {line}: {e}", file.display()))?;
                let field = |at: usize| row.get(at).unwrap_or("").trim().to_owned();
                veza.save_agency(&field(code), &field(name), &field(country), &field(kind))
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: line {line}: {e}", file.display()))?;
                saved += 1;
            }
            println!("{saved} agencies saved from {}.", file.display());
        }
        Command::List => {
            for a in veza.agencies().await? {
                println!("{:<12} {:<4} {:<18} {}", a.code, a.country, a.kind, a.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
