//! `veza audit verify|search|checkpoint`.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veza_app::{AuditAction, AuditFilter, AuditKey};

/// Check and search the audit log.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Check the whole hash chain and the signed checkpoints; name the first
    /// entry altered, removed or reordered. Exits 1 if the log was tampered with.
    #[command(after_help = "Examples:\n  veza audit verify\n  veza audit verify --key /secure/audit-signing.pub")]
    Verify {
        /// The public key file (64 hex digits) [default: DATA_DIR/audit-signing.pub].
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Who did what to which record, when and why: newest first.
    #[command(
        after_help = "Examples:\n  veza audit search --entity p-1234\n  veza audit search --user ana.petrovic --from 2026-01-01 --to 2026-03-31\n  veza audit search --action disclose --json"
    )]
    Search {
        /// The user (or system:<name>).
        #[arg(long)]
        user: Option<String>,
        /// An entity id the entries concern.
        #[arg(long)]
        entity: Option<String>,
        /// From this date (YYYY-MM-DD, or an RFC 3339 time).
        #[arg(long)]
        from: Option<String>,
        /// Up to this date, inclusive (YYYY-MM-DD, or an RFC 3339 time, exclusive).
        #[arg(long)]
        to: Option<String>,
        /// The action: collect, alter, consult, disclose, combine, erase, login, logout, login_failed, grant, refuse.
        #[arg(long)]
        action: Option<String>,
        /// How many entries.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Sign the head of the chain with the audit key (made on first use).
    #[command(
        after_help = "Examples:\n  veza audit checkpoint\n  veza audit checkpoint --key /secure/audit-signing.key"
    )]
    Checkpoint {
        /// The signing key file [default: DATA_DIR/audit-signing.key].
        #[arg(long)]
        key: Option<PathBuf>,
    },
}

/// A date or time as microseconds; a bare date is its start, or with
/// `end_of_day` the start of the next day.
fn micros(s: &str, end_of_day: bool) -> anyhow::Result<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc).timestamp_micros());
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("'{s}' is not a date: use YYYY-MM-DD or an RFC 3339 time"))?;
    let d = if end_of_day { d.succ_opt().unwrap_or(d) } else { d };
    Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_micros())
}

pub async fn run(url: &str, data_dir: &Path, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    match cmd {
        Command::Verify { key } => {
            let default = AuditKey::public_path(&AuditKey::default_path(data_dir));
            let public = match key {
                Some(path) => Some(veza_app::load_public_key(&path)?),
                None if default.exists() => Some(veza_app::load_public_key(&default)?),
                None => None,
            };
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} entries {per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let verdict = veza
                .verify_audit(public.as_ref(), |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await?;
            bar.finish_and_clear();
            match verdict {
                Ok(r) => {
                    println!("{} entries, {} checkpoints: intact", r.entries, r.checkpoints);
                    match r.last_checkpoint_seq {
                        Some(seq) if seq < r.head_seq => {
                            eprintln!("{} entries after the last checkpoint are not signed yet", r.head_seq - seq)
                        }
                        None if r.entries > 0 => {
                            eprintln!("no checkpoint: sign the head with `veza audit checkpoint`")
                        }
                        _ => {}
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(tamper) => {
                    println!("TAMPERED at entry {}: {tamper}", tamper.seq());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Search { user, entity, from, to, action, limit, json } => {
            let action = match action {
                Some(a) => Some(AuditAction::parse(&a).with_context(|| {
                    let all: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
                    format!("'{a}' is not an audit action: use one of {}", all.join(", "))
                })?),
                None => None,
            };
            let filter = AuditFilter {
                user,
                entity,
                from: from.map(|s| micros(&s, false)).transpose()?,
                to: to.map(|s| micros(&s, true)).transpose()?,
                action,
                limit,
            };
            let found = veza.search_audit(&filter).await?;
            for e in &found {
                if json {
                    println!("{}", serde_json::to_string(e)?);
                } else {
                    println!(
                        "{:>8}  {}  {:<20} {:<10} {:<12} {:<7} {:<24} {}",
                        e.seq,
                        e.at_utc().format("%Y-%m-%d %H:%M:%S"),
                        e.actor,
                        e.agency,
                        e.action,
                        e.outcome,
                        e.purpose,
                        e.entity_ids.join(",")
                    );
                }
            }
            if !json {
                eprintln!("{} entries shown.", found.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Checkpoint { key } => {
            let path = key.unwrap_or_else(|| AuditKey::default_path(data_dir));
            let created = !path.exists();
            let key = AuditKey::load_or_create(&path)?;
            if created {
                eprintln!(
                    "Made a new audit signing key at {}; its public key is {}. Keep a copy of the public key away from this machine.",
                    path.display(),
                    AuditKey::public_path(&path).display()
                );
            }
            match veza.checkpoint_audit(&key).await? {
                Some(c) => println!("Signed the audit log at entry {} ({}).", c.seq, veza_app::hex_hash(&c.hash)),
                None => println!("The audit log is empty: nothing to sign."),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
