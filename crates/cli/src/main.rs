//! `veza`: the command line of the Veza platform.

mod commands;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: imports allocate many small values; it makes them about 20% faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Veza — investigate, operate, learn and account against human trafficking.
///
/// Every command works on one database: an embedded SQLite file under
/// --data-dir (the default), or PostgreSQL given by --database-url.
#[derive(Parser)]
#[command(name = "veza", version, propagate_version = true, arg_required_else_help = true)]
struct Cli {
    /// Folder for the embedded database and other local state.
    #[arg(long, global = true, env = "VEZA_DATA_DIR", default_value = "./veza-data")]
    data_dir: PathBuf,
    /// Database to use instead of the embedded one: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "VEZA_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Why you use the data (a case reference or a short reason), kept in the
    /// audit log with every read, import and export; default "local operator: <command>".
    #[arg(long, global = true, env = "VEZA_PURPOSE")]
    purpose: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web workspace and the JSON API.
    Serve(commands::serve::Args),
    /// Import FtM JSON lines, CSV or Excel files (CSV and Excel through a mapping file).
    Import(commands::import::Args),
    /// Export every entity as FtM JSON lines.
    Export(commands::export::Args),
    /// Search entities by name or identifier (any case, accents or script).
    Search(commands::search::Args),
    /// Count entities by schema, source and owner.
    Stats(commands::stats::Args),
    /// Manage agencies (the owners of records).
    #[command(
        subcommand,
        after_help = "Examples:\n  veza agency add rs-bp --name \"Serbia Border Police\" --country RS --kind border_police\n  veza agency list"
    )]
    Agency(commands::agency::Command),
    /// Verify and search the tamper-evident audit log; sign its head.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza audit verify\n  veza audit search --entity p-1234 --from 2026-01-01\n  veza audit checkpoint"
    )]
    Audit(commands::audit::Command),
    /// Who works on a case: members and their capacity.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza case add-member case-1 prosecutor.me --as prosecutor\n  veza case members case-1"
    )]
    Case(commands::case::Command),
    /// Answer requests to see records whose existence their owners made visible.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza access list --pending\n  veza access grant 17 --reason \"JIT 2026/3\" --until 2027-06-30"
    )]
    Access(commands::access::Command),
    /// Entity resolution in the database: cross-reference a dataset or a case, review the pairs.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza matches xref --dataset border-log\n  veza matches list\n  veza matches decide 12 confirmed --reason \"same passport\""
    )]
    Matches(commands::matches::Command),
    /// Regional operations: the daily situation report and the final results report.
    #[command(subcommand)]
    Operation(commands::operation::Command),
    /// Review retention: what is due, keep longer with a reason, or erase.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza retention due\n  veza retention extend p-1234 --until 2028-06-30 --reason \"case still open\"\n  veza retention erase p-1234 --reason \"no longer needed\""
    )]
    Retention(commands::retention::Command),
    /// Manage users (who signs in, with which roles, for which agency).
    #[command(
        subcommand,
        after_help = "Examples:\n  veza user add border.rs --agency rs-bp --role border_officer --name \"Marko Jovanović\"\n  veza user list\n  veza user role border.rs --add analyst --remove border_officer\n  veza user disable border.rs"
    )]
    User(commands::user::Command),
    /// Network analysis on edge files: communities, centrality, disruption, paths, exports.
    #[command(
        subcommand,
        after_help = "Examples:\n  veza graph communities --edges calls.csv --output groups.csv\n  veza graph centrality --edges calls.csv --output measures.csv\n  veza graph disrupt --edges calls.csv --strategy betweenness --steps 10 --output d.csv\n  veza graph path --edges calls.csv --from A --to B\n  veza graph export --edges calls.csv --format anx --output chart.anx"
    )]
    Graph(commands::graph::Command),
    /// Screen persons against watchlists on files (no database): names across scripts, dates, documents.
    Screen(commands::screen::Args),
    /// Generate a synthetic Balkan trafficking scenario with its ground truth.
    Synth(commands::synth::Args),
    /// Find which records of CSV files are the same person (deduplicate and link).
    Resolve(commands::resolve::Args),
    /// Field snapshots: export what a checkpoint may hold, signed and encrypted; verify one.
    #[command(subcommand)]
    Snapshot(commands::field::SnapshotCommand),
    /// Field node: check offline against a snapshot, send the checks when the link returns.
    #[command(subcommand)]
    Field(commands::field::FieldCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VEZA_LOG")
                .unwrap_or_else(|_| "warn,veza=info,veza_web=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let url =
        cli.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", cli.data_dir.join("veza.db").display()));
    let data_dir = cli.data_dir.clone();
    commands::set_purpose(cli.purpose.clone());
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => commands::serve::run(&url, &data_dir, args).await,
            Command::Import(args) => commands::import::run(&url, args).await,
            Command::Export(args) => commands::export::run(&url, args).await,
            Command::Search(args) => commands::search::run(&url, args).await,
            Command::Stats(args) => commands::stats::run(&url, args).await,
            Command::Agency(cmd) => commands::agency::run(&url, cmd).await,
            Command::Audit(cmd) => commands::audit::run(&url, &data_dir, cmd).await,
            Command::User(cmd) => commands::user::run(&url, cmd).await,
            Command::Retention(cmd) => commands::retention::run(&url, cmd).await,
            Command::Case(cmd) => commands::case::run(&url, cmd).await,
            Command::Access(cmd) => commands::access::run(&url, cmd).await,
            Command::Matches(cmd) => commands::matches::run(&url, cmd).await,
            Command::Operation(cmd) => commands::operation::run(&url, cmd).await,
            Command::Graph(cmd) => commands::graph::run(cmd),
            Command::Screen(args) => commands::screen::run(args),
            Command::Synth(args) => commands::synth::run(args),
            Command::Resolve(args) => commands::resolve::run(args).await,
            Command::Snapshot(cmd) => commands::field::run_snapshot(&url, &data_dir, cmd).await,
            Command::Field(cmd) => commands::field::run_field(&data_dir, cmd).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
