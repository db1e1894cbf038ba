//! One module per command.

pub mod access;
pub mod agency;
pub mod audit;
pub mod case;
pub mod export;
pub mod field;
pub mod graph;
pub mod import;
pub mod matches;
pub mod operation;
pub mod resolve;
pub mod retention;
pub mod screen;
pub mod search;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod user;

use anyhow::Context;
use veza_app::Veza;

/// Opens the platform on `url`, with a message that says what to check.
pub async fn open(url: &str) -> anyhow::Result<Veza> {
    Veza::open(url).await.with_context(|| format!("cannot open the database {}", veza_store::redact(url)))
}

/// The caller for work done from this command line by the local operator.
pub fn operator(command: &str) -> veza_app::Caller {
    veza_app::Caller::system(&format!("cli {command}"))
}

/// The purpose given with `--purpose`, for the whole run.
static PURPOSE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Keeps the `--purpose` flag for [`operator_access`]; called once by `main`.
pub fn set_purpose(purpose: Option<String>) {
    let _ = PURPOSE.set(purpose);
}

/// The local operator running `command`, with the `--purpose` given or the
/// default `local operator: <command>`: what the audit log records as why.
pub fn operator_access(command: &str) -> anyhow::Result<veza_app::Access> {
    let given = PURPOSE.get().and_then(|p| p.as_deref());
    veza_app::Access::operator(command, given).context("--purpose")
}
