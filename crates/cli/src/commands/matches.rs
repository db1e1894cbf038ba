//! `veza matches xref|list|show|decide`: entity resolution in the
//! platform's database, from the command line — cross-reference a dataset
//! or a case, then review the proposed pairs.

use std::process::ExitCode;
use veza_app::{MatchStatus, XrefScope};

/// Cross-referencing and the review queue.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Cross-reference a dataset (or a case's persons) against every person record; new pairs
    /// at or above the threshold go to the review queue.
    #[command(
        after_help = "Examples:\n  veza matches xref --dataset border-log\n  veza matches xref --case case-rs-2023-017 --threshold 0.95"
    )]
    Xref {
        /// The dataset to cross-reference.
        #[arg(long, conflicts_with = "case", required_unless_present = "case")]
        dataset: Option<String>,
        /// The case whose persons (within two links) to cross-reference.
        #[arg(long)]
        case: Option<String>,
        /// Match probability from which a pair is proposed (0.5–1).
        #[arg(long, default_value_t = 0.9)]
        threshold: f64,
    },
    /// List pairs in the review queue, best first.
    #[command(after_help = "Examples:\n  veza matches list\n  veza matches list --status confirmed --json")]
    List {
        /// proposed, unsure, confirmed, rejected, split or all.
        #[arg(long, default_value = "proposed")]
        status: String,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one pair: both records side by side, each field's agreement and weight, the decisions.
    Show {
        /// The pair's number.
        id: i64,
    },
    /// Decide a pair: confirmed (merge), rejected, unsure, or split (undo a merge).
    #[command(after_help = "Example:\n  veza matches decide 12 confirmed --reason \"same passport number\"")]
    Decide {
        /// The pair's number.
        id: i64,
        /// confirmed, rejected, unsure or split.
        decision: String,
        /// Why (3–500 characters); it goes to the audit log.
        #[arg(long)]
        reason: String,
    },
}

fn status(raw: &str) -> anyhow::Result<Option<MatchStatus>> {
    if raw == "all" {
        return Ok(None);
    }
    MatchStatus::parse(raw)
        .map(Some)
        .ok_or_else(|| anyhow::anyhow!("status '{raw}': use proposed, unsure, confirmed, rejected, split or all"))
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let veza = super::open(url).await?;
    let access = super::operator_access("matches")?;
    match cmd {
        Command::Xref { dataset, case, threshold } => {
            let scope = match (dataset, case) {
                (Some(d), _) => XrefScope::Dataset(d),
                (None, Some(c)) => XrefScope::Case(c),
                (None, None) => anyhow::bail!("give --dataset or --case"),
            };
            let started = std::time::Instant::now();
            let s = veza.cross_reference(&access, &scope, threshold).await?;
            println!(
                "{} records in scope against {} ({} earlier decisions as labels): {} pairs at or above {threshold}, \
                 {} new in the review queue ({:.1} s).",
                s.records_in_scope,
                s.records_compared,
                s.labels,
                s.pairs,
                s.proposed,
                started.elapsed().as_secs_f64()
            );
        }
        Command::List { status: raw, limit, json } => {
            let matches = veza.match_queue(&access, status(&raw)?, limit, 0).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&matches)?);
            } else {
                for m in &matches {
                    let c = &m.candidate;
                    println!(
                        "{:>5}  {:.3}  {:<9}  {} ({})  =  {} ({})",
                        c.id,
                        c.score,
                        c.status.code(),
                        m.left_caption,
                        c.left_id,
                        m.right_caption,
                        c.right_id
                    );
                }
                eprintln!("{} pairs.", matches.len());
            }
        }
        Command::Show { id } => {
            let d = veza.match_detail(&access, id).await?;
            let c = &d.candidate;
            println!("Pair {id}: probability {:.3}, {} (found by {})", c.score, c.status.code(), c.source);
            let props: std::collections::BTreeSet<&String> =
                d.left.properties.keys().chain(d.right.properties.keys()).collect();
            println!("{:<20} {:<40} {}", "", d.left.id, d.right.id);
            for p in props {
                println!("{:<20} {:<40} {}", p, d.left.values(p).join("; "), d.right.values(p).join("; "));
            }
            if let Some(fields) = c.explanation.get("fields").and_then(|f| f.as_array()) {
                println!("\nWhy:");
                for f in fields {
                    let w =
                        f["weight"].as_f64().unwrap_or(0.0) + f["term_frequency_adjustment"].as_f64().unwrap_or(0.0);
                    println!(
                        "  {:<14} {:<24} {w:+.1} bits",
                        f["field"].as_str().unwrap_or(""),
                        f["level"].as_str().unwrap_or("")
                    );
                }
            }
            for h in &d.history {
                println!("decided {} by {}: {}", h.status.code(), h.decided_by, h.reason);
            }
        }
        Command::Decide { id, decision, reason } => {
            let Some(to) = MatchStatus::decision(&decision) else {
                anyhow::bail!("decision '{decision}': use confirmed, rejected, unsure or split");
            };
            let m = veza.decide_match(&access, id, to, &reason).await?;
            println!(
                "Pair {id} ({} = {}) is now {}; the decision is in the audit log.",
                m.left_id,
                m.right_id,
                m.status.code()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
