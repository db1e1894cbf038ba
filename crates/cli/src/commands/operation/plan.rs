//! `veza operation plan --file PLAN.yaml`: creates or updates an operation
//! and its checkpoints from a YAML file with the fields of the drafts (see
//! `docs/operation-plan.example.yaml`). Every error names the file, the
//! field and the reason; nothing is saved while the file has a problem.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veza_app::operation_plan::shift_time;
use veza_app::operations::{
    CheckpointDraft, OperationAgency, OperationCountry, OperationDraft, OperationWatchlist, Shift,
    check_checkpoint_draft, check_operation_draft,
};
use veza_app::{AppError, Veza};

/// `veza operation plan`.
#[derive(clap::Args)]
pub struct PlanArgs {
    /// The plan, YAML (see docs/operation-plan.example.yaml).
    #[arg(long)]
    file: PathBuf,
}

/// A plan file: the operation draft's fields, optionally the id of the
/// operation to update, and its checkpoints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    /// The operation to update; without it, the operation with the same
    /// code is updated, or a new one is made.
    #[serde(default)]
    id: Option<String>,
    code: String,
    name: String,
    #[serde(default = "live")]
    mode: String,
    #[serde(default = "planned")]
    status: String,
    start_date: String,
    end_date: String,
    #[serde(default)]
    objectives: String,
    #[serde(default)]
    countries: Vec<OperationCountry>,
    #[serde(default)]
    agencies: Vec<AgencyRow>,
    #[serde(default)]
    watchlists: Vec<OperationWatchlist>,
    #[serde(default)]
    checkpoints: Vec<CheckpointRow>,
}

fn live() -> String {
    "live".into()
}

fn planned() -> String {
    "planned".into()
}

/// An agency row (`coordinator` false unless said).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyRow {
    agency: String,
    #[serde(default)]
    coordinator: bool,
}

/// A checkpoint with its shifts as people write them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointRow {
    code: String,
    name: String,
    kind: String,
    country: String,
    agency: String,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    shifts: Vec<ShiftRow>,
}

/// A team's shift: start and end as `2026-11-28T06:00` (UTC) or RFC 3339.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShiftRow {
    team: String,
    start: String,
    end: String,
}

/// Reads and checks the whole file: the drafts, or every problem as
/// `file: field: reason`.
fn read_plan(path: &Path) -> anyhow::Result<(PlanFile, OperationDraft, Vec<CheckpointDraft>)> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
    let plan: PlanFile = serde_norway::from_str(&text).map_err(|e| match e.location() {
        Some(at) => anyhow::anyhow!("{shown}:{}:{}: {e}", at.line(), at.column()),
        None => anyhow::anyhow!("{shown}: {e}"),
    })?;
    let draft = OperationDraft {
        code: plan.code.clone(),
        name: plan.name.clone(),
        mode: plan.mode.clone(),
        status: plan.status.clone(),
        start_date: plan.start_date.clone(),
        end_date: plan.end_date.clone(),
        objectives: plan.objectives.clone(),
        countries: plan.countries.clone(),
        agencies: plan
            .agencies
            .iter()
            .map(|a| OperationAgency { agency: a.agency.clone(), coordinator: a.coordinator })
            .collect(),
        watchlists: plan.watchlists.clone(),
    };
    let mut problems: Vec<String> =
        check_operation_draft(&draft).into_iter().map(|p| format!("{shown}: {}: {}", p.field, p.message)).collect();
    let mut checkpoints = Vec::new();
    for (i, c) in plan.checkpoints.iter().enumerate() {
        let mut shifts = Vec::new();
        for (j, s) in c.shifts.iter().enumerate() {
            let time = |field: &str, raw: &str| {
                shift_time(raw).ok_or_else(|| {
                    format!(
                        "{shown}: checkpoints[{i}].shifts[{j}].{field}: '{raw}' is not a date and time \
                         (2026-11-28T06:00, read as UTC, or RFC 3339)"
                    )
                })
            };
            match (time("start", &s.start), time("end", &s.end)) {
                (Ok(starts_at), Ok(ends_at)) => shifts.push(Shift { team: s.team.clone(), starts_at, ends_at }),
                (a, b) => problems.extend([a.err(), b.err()].into_iter().flatten()),
            }
        }
        let cp = CheckpointDraft {
            code: c.code.clone(),
            name: c.name.clone(),
            kind: c.kind.clone(),
            country: c.country.clone(),
            agency: c.agency.clone(),
            latitude: c.latitude,
            longitude: c.longitude,
            shifts,
        };
        problems.extend(
            check_checkpoint_draft(&cp)
                .into_iter()
                .map(|p| format!("{shown}: checkpoints[{i}].{}: {}", p.field, p.message)),
        );
        if plan.checkpoints[..i].iter().any(|other| other.code.trim() == c.code.trim()) {
            problems.push(format!("{shown}: checkpoints[{i}].code: '{}' is given twice", c.code.trim()));
        }
        checkpoints.push(cp);
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok((plan, draft, checkpoints))
}

/// Every checkpoint belongs to an agency of the plan, in a country of the
/// plan (listed with its NCB, or the country of one of its agencies):
/// checked before anything is saved.
async fn check_participation(
    veza: &Veza,
    path: &Path,
    draft: &OperationDraft,
    lead: &str,
    checkpoints: &[CheckpointDraft],
) -> anyhow::Result<()> {
    let agencies: Vec<&str> =
        draft.agencies.iter().map(|a| a.agency.trim()).chain(std::iter::once(lead)).filter(|a| !a.is_empty()).collect();
    let mut countries: Vec<String> =
        draft.countries.iter().filter_map(|c| veza_model::types::clean_country(&c.country)).collect();
    for code in &agencies {
        match veza.agency(code).await? {
            Some(a) => countries.push(a.country.to_lowercase()),
            None => bail!("{}: agencies: unknown agency '{code}'", path.display()),
        }
    }
    let mut problems = Vec::new();
    for (i, cp) in checkpoints.iter().enumerate() {
        if !agencies.contains(&cp.agency.trim()) {
            problems.push(format!(
                "{}: checkpoints[{i}].agency: '{}' does not take part in this operation",
                path.display(),
                cp.agency.trim()
            ));
        }
        let country = veza_model::types::clean_country(&cp.country).unwrap_or_default();
        if !countries.contains(&country) {
            problems.push(format!(
                "{}: checkpoints[{i}].country: '{country}' does not take part in this operation",
                path.display()
            ));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// The error of a use case on `field_prefix`'s draft, as `file: field: reason`.
fn named(path: &Path, field_prefix: &str, e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid { field: Some(field), message } => {
            anyhow::anyhow!("{}: {field_prefix}{field}: {message}", path.display())
        }
        other => anyhow::Error::new(other).context(format!("{}", path.display())),
    }
}

pub async fn run(url: &str, args: PlanArgs) -> anyhow::Result<ExitCode> {
    let (plan, draft, checkpoints) = read_plan(&args.file)?;
    let veza: Veza = super::super::open(url).await?;
    let access = super::super::operator_access("operation plan")?;
    let existing = match &plan.id {
        Some(id) => Some(veza.operation_for(&access.caller, id).await.map_err(|e| named(&args.file, "id: ", e))?),
        None => veza.operations(&access.caller).await?.into_iter().find(|o| o.code == draft.code.trim()),
    };
    let lead = existing.as_ref().map(|o| o.lead_agency.clone()).unwrap_or_else(|| veza_app::LOCAL_AGENCY.to_owned());
    check_participation(&veza, &args.file, &draft, &lead, &checkpoints).await?;
    let existing = existing.map(|o| o.id);
    let op = veza.save_operation(&access, existing.as_deref(), draft).await.map_err(|e| named(&args.file, "", e))?;
    let known = veza.operation_view(&access.caller, &op.id).await?.checkpoints;
    let (mut added, mut changed) = (0, 0);
    for (i, cp) in checkpoints.into_iter().enumerate() {
        let id = known.iter().find(|k| k.code == cp.code.trim()).map(|k| k.id).unwrap_or(0);
        veza.save_checkpoint(&access, &op.id, id, cp)
            .await
            .map_err(|e| named(&args.file, &format!("checkpoints[{i}]."), e))?;
        if id == 0 { added += 1 } else { changed += 1 }
    }
    eprintln!(
        "{} operation {} ({}); {added} checkpoints added, {changed} updated.",
        if existing.is_some() { "Updated" } else { "Created" },
        op.code,
        op.status
    );
    println!("{}", op.id);
    Ok(ExitCode::SUCCESS)
}
