//! `veza snapshot export|verify` and `veza field serve|check|sync`: field
//! mode (see docs/field-node.md).

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use veza_app::{AuditKey, FieldCheckInput, FieldDocument, FieldNode, FieldPerson, FieldVehicle, QueuedCheck};

/// The environment variable holding the field node's passphrase.
const PASSPHRASE_ENV: &str = "VEZA_SNAPSHOT_PASSPHRASE";

/// Export and verify field snapshots.
#[derive(clap::Subcommand)]
pub enum SnapshotCommand {
    /// Write the signed, encrypted snapshot of what a checkpoint may hold (policy-applied, audited).
    #[command(
        after_help = "The passphrase is read from VEZA_SNAPSHOT_PASSPHRASE, or asked for.\n\nExamples:\n  veza snapshot export --operation op-theseus --checkpoint MK-TAB --output tabanovce.vzs\n  veza snapshot export --operation op-theseus --checkpoint MK-TAB --output t.vzs --valid-for 24h"
    )]
    Export {
        /// The operation's id.
        #[arg(long)]
        operation: String,
        /// The checkpoint's code.
        #[arg(long)]
        checkpoint: String,
        /// The snapshot file to write.
        #[arg(long)]
        output: PathBuf,
        /// How long the snapshot may be used: 72h, 3d, 90m (at most 30d).
        #[arg(long, default_value = "72h")]
        valid_for: String,
        /// The issuer's signing key [default: DATA_DIR/audit-signing.key].
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Check a snapshot's signature, integrity and expiry; print issuer, entries, expiry. Exits 1 if refused.
    #[command(
        after_help = "With VEZA_SNAPSHOT_PASSPHRASE set, the contents are also decrypted and counted.\n\nExamples:\n  veza snapshot verify tabanovce.vzs\n  veza snapshot verify tabanovce.vzs --issuer-key hq-audit-signing.pub"
    )]
    Verify {
        /// The snapshot file.
        file: PathBuf,
        /// The issuer's public key (64 hex digits) [default: DATA_DIR/audit-signing.pub].
        #[arg(long)]
        issuer_key: Option<PathBuf>,
    },
}

/// Where the field node finds its snapshot and queue.
#[derive(clap::Args, Clone)]
pub struct NodeArgs {
    /// The snapshot file.
    #[arg(long)]
    snapshot: PathBuf,
    /// The queue folder (made if missing; keep it on the node's disk).
    #[arg(long)]
    queue: PathBuf,
    /// The issuer's public key (64 hex digits) [default: DATA_DIR/audit-signing.pub].
    #[arg(long)]
    issuer_key: Option<PathBuf>,
}

/// Run a field node: check offline against a snapshot, send the checks when the link returns.
#[derive(clap::Subcommand)]
pub enum FieldCommand {
    /// Serve the check API (POST /api/v1/operations/{id}/checks) locally from the snapshot.
    #[command(
        after_help = "Examples:\n  veza field serve --snapshot t.vzs --queue /var/lib/veza-field\n  veza field serve --snapshot t.vzs --queue q --server https://veza.hq --token vzt_… --sync-every 60s"
    )]
    Serve {
        #[command(flatten)]
        node: NodeArgs,
        /// Address to listen on (terminals of the checkpoint).
        #[arg(long, default_value = "127.0.0.1:8181")]
        listen: std::net::SocketAddr,
        /// The server to send checks to when reachable.
        #[arg(long, requires = "token")]
        server: Option<String>,
        /// The checkpoint terminal's API token on the server.
        #[arg(long, env = "VEZA_FIELD_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// How often to try sending.
        #[arg(long, default_value = "60s")]
        sync_every: String,
    },
    /// Check one person, document or vehicle (or a file of checks, one JSON object a line) offline.
    #[command(
        after_help = "Examples:\n  veza field check --snapshot t.vzs --queue q --name \"Dragan Stojanović\" --birth-date 1974\n  veza field check --snapshot t.vzs --queue q --document BA4471190 --document-country AL\n  veza field check --snapshot t.vzs --queue q --checks checks.jsonl --json"
    )]
    Check {
        #[command(flatten)]
        node: NodeArgs,
        /// Name, any script.
        #[arg(long)]
        name: Option<String>,
        /// Birth date, YYYY[-MM[-DD]].
        #[arg(long)]
        birth_date: Option<String>,
        /// Nationality, alpha-2.
        #[arg(long)]
        nationality: Option<String>,
        /// Gender, M or F.
        #[arg(long)]
        gender: Option<String>,
        /// Document number.
        #[arg(long)]
        document: Option<String>,
        /// Document's issuing country.
        #[arg(long)]
        document_country: Option<String>,
        /// Vehicle registration.
        #[arg(long)]
        vehicle: Option<String>,
        /// Vehicle's country.
        #[arg(long)]
        vehicle_country: Option<String>,
        /// Checks as JSON lines, in the check API's shape.
        #[arg(long, conflicts_with_all = ["name", "document", "vehicle"])]
        checks: Option<PathBuf>,
        /// Print the answers as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Send the queued checks to the server now.
    #[command(
        after_help = "Examples:\n  veza field sync --snapshot t.vzs --queue q --server https://veza.hq --token vzt_…"
    )]
    Sync {
        #[command(flatten)]
        node: NodeArgs,
        /// The server.
        #[arg(long)]
        server: String,
        /// The checkpoint terminal's API token on the server.
        #[arg(long, env = "VEZA_FIELD_TOKEN", hide_env_values = true)]
        token: String,
    },
}

/// `72h`, `3d`, `90m`, `45s`.
fn duration(text: &str) -> anyhow::Result<Duration> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = number.parse().with_context(|| format!("'{text}' is not a duration: use 72h, 3d, 90m or 45s"))?;
    let seconds = match unit {
        "d" => n * 86_400,
        "h" => n * 3_600,
        "m" => n * 60,
        "s" | "" => n,
        _ => anyhow::bail!("'{text}' is not a duration: use 72h, 3d, 90m or 45s"),
    };
    Ok(Duration::from_secs(seconds))
}

fn passphrase(prompt: &str) -> anyhow::Result<String> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => rpassword::prompt_password(prompt)
            .with_context(|| format!("no passphrase: set {PASSPHRASE_ENV} or run in a terminal")),
    }
}

fn issuer_key(given: &Option<PathBuf>, data_dir: &Path) -> anyhow::Result<ed25519_dalek::VerifyingKey> {
    let path = given.clone().unwrap_or_else(|| AuditKey::public_path(&AuditKey::default_path(data_dir)));
    veza_app::load_public_key(&path)
        .with_context(|| format!("the issuer's public key {} (give it with --issuer-key)", path.display()))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

pub async fn run_snapshot(url: &str, data_dir: &Path, cmd: SnapshotCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SnapshotCommand::Export { operation, checkpoint, output, valid_for, key } => {
            let veza = super::open(url).await?;
            let key = AuditKey::load_or_create(&key.unwrap_or_else(|| AuditKey::default_path(data_dir)))?;
            let request = veza_app::SnapshotRequest {
                operation,
                checkpoint,
                valid_for: duration(&valid_for)?,
                passphrase: passphrase("Field node passphrase (at least 12 characters): ")?,
                kdf: veza_snapshot::KdfParams::default(),
            };
            let access = super::operator_access("snapshot export")?;
            let export = veza.export_snapshot(&access, &key, &request).await?;
            write_new(&output, &export.bytes)?;
            let h = &export.header;
            println!(
                "Wrote {} ({:.1} MB): snapshot {} of operation {} for checkpoint {}: {} persons, {} documents, {} vehicles; expires {}.",
                output.display(),
                export.bytes.len() as f64 / 1e6,
                h.id_hex(),
                h.operation,
                h.checkpoint,
                h.persons,
                h.documents,
                h.vehicles,
                time(h.expires_at)
            );
            println!(
                "Give the field node this file, the issuer key {} and the passphrase (separately).",
                AuditKey::public_path(key.path()).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        SnapshotCommand::Verify { file, issuer_key: given } => {
            let trusted = issuer_key(&given, data_dir)?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let verdict = match veza_snapshot::inspect(&bytes, &trusted, now()) {
                Ok(h) => {
                    println!("snapshot   {}", h.id_hex());
                    println!("operation  {}", h.operation);
                    println!(
                        "checkpoint {}{}",
                        h.checkpoint,
                        h.country.as_deref().map_or(String::new(), |c| format!(" ({c})"))
                    );
                    println!("issuer     key {} (exported by {})", h.issuer_key_id(), h.exported_by);
                    println!(
                        "entries    {} ({} persons, {} documents, {} vehicles)",
                        h.entries(),
                        h.persons,
                        h.documents,
                        h.vehicles
                    );
                    println!("issued     {}", time(h.issued_at));
                    println!("expires    {}", time(h.expires_at));
                    match std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()) {
                        Some(p) => veza_snapshot::open(&bytes, &trusted, now(), &p).map(|o| {
                            println!("contents   decrypted: {} entries", o.contents.entries());
                        }),
                        None => {
                            println!("contents   not decrypted (set {PASSPHRASE_ENV} to check them too)");
                            Ok(())
                        }
                    }
                }
                Err(e) => Err(e),
            };
            match verdict {
                Ok(()) => {
                    println!("OK");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("REFUSED: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

/// Writes a new file, never over an existing one, synced.
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist)", path.display()))?;
    f.write_all(bytes).and_then(|_| f.sync_all()).with_context(|| format!("cannot write {}", path.display()))
}

fn open_node(node: &NodeArgs, data_dir: &Path) -> anyhow::Result<FieldNode> {
    let trusted = issuer_key(&node.issuer_key, data_dir)?;
    let bytes = std::fs::read(&node.snapshot).with_context(|| format!("cannot read {}", node.snapshot.display()))?;
    let pass = passphrase("Snapshot passphrase: ")?;
    FieldNode::open(&bytes, &trusted, &pass, &node.queue, now())
        .with_context(|| format!("snapshot {} refused", node.snapshot.display()))
}

fn print_answer(a: &QueuedCheck, json: bool) {
    if json {
        let value = serde_json::json!({"check_id": a.client_ref, "result": a.result, "hits": a.hits});
        println!("{value}");
        return;
    }
    if a.hits.is_empty() {
        println!("{}: NO HIT", a.client_ref);
    }
    for h in &a.hits {
        println!("{}: HIT {} in {} (score {:.2}): {}", a.client_ref, h.match_id, h.watchlist, h.score, h.instruction);
    }
}

pub async fn run_field(data_dir: &Path, cmd: FieldCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        FieldCommand::Check {
            node,
            name,
            birth_date,
            nationality,
            gender,
            document,
            document_country,
            vehicle,
            vehicle_country,
            checks,
            json,
        } => {
            let field = open_node(&node, data_dir)?;
            let batch: Vec<FieldCheckInput> = match checks {
                Some(path) => read_checks(&path)?,
                None => {
                    let opt = |v: Option<String>| v.unwrap_or_default();
                    let person = name.is_some().then(|| FieldPerson {
                        name: opt(name),
                        birth_date: opt(birth_date),
                        nationality: opt(nationality),
                        gender: opt(gender),
                    });
                    let doc = document.map(|number| FieldDocument {
                        number,
                        country: opt(document_country),
                        kind: String::new(),
                    });
                    let car = vehicle.map(|registration| FieldVehicle { registration, country: opt(vehicle_country) });
                    if person.is_none() && doc.is_none() && car.is_none() {
                        anyhow::bail!("nothing to check: give --name, --document, --vehicle or --checks");
                    }
                    vec![FieldCheckInput { checkpoint: String::new(), person, document: doc, vehicle: car }]
                }
            };
            let answers = field.check(&batch, now())?;
            for a in &answers {
                print_answer(a, json);
            }
            if !json {
                eprintln!("{} checks queued in {} for the server.", answers.len(), node.queue.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        FieldCommand::Sync { node, server, token } => {
            let field = open_node(&node, data_dir)?;
            let summary = veza_web::field::sync(&field, &server, &token).await?;
            println!(
                "Sent {} checks to {server} ({} were there already); {} left.",
                summary.sent, summary.duplicates, summary.left
            );
            Ok(ExitCode::SUCCESS)
        }
        FieldCommand::Serve { node, listen, server, token, sync_every } => {
            let field = std::sync::Arc::new(open_node(&node, data_dir)?);
            let h = field.header();
            println!(
                "Field node for checkpoint {} of operation {}: {} entries, snapshot expires {}.",
                h.checkpoint,
                h.operation,
                field.entries(),
                time(h.expires_at)
            );
            println!("Checks: POST http://{listen}/api/v1/operations/{}/checks", h.operation);
            let upstream = match (server, token) {
                (Some(s), Some(t)) => Some((s, t, duration(&sync_every)?)),
                _ => None,
            };
            veza_web::field::serve(field, listen, upstream).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_checks(path: &Path) -> anyhow::Result<Vec<FieldCheckInput>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).with_context(|| {
            format!("{}: line {}: not a check ({{\"person\":{{\"name\":…}}}})", path.display(), i + 1)
        })?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(duration("72h").unwrap(), Duration::from_secs(72 * 3600));
        assert_eq!(duration("3d").unwrap(), Duration::from_secs(3 * 86_400));
        assert_eq!(duration("90m").unwrap(), Duration::from_secs(5400));
        assert!(duration("soon").is_err());
        assert!(duration("3w").is_err());
    }
}
