//! The operation's daily situation report and final results report: the
//! figures of one day (or of the whole operation), each with the record ids
//! behind it, as a PDF (typst template `reports/operation.typ`, charts drawn
//! as SVG) and as a spreadsheet (one sheet per figure, each row with its
//! record ids), so every figure can be traced to its records.
//!
//! The counts come from [`Veza::operation_figures`], the function the live
//! picture (dashboard, `GET …/results`) is built from, so a report and the
//! dashboard never disagree: checks and hits as the store counts them, and
//! the records that name the operation — Victim, Arrest, Seizure, Case. The
//! record ids behind each row are listed as the caller may see them: a
//! caller outside the victim compartment gets the victims' counts (as on
//! the dashboard) without their ids, and the report says so. Who may have a report: a
//! user of a participating agency, or the THB coordinator or NCB of a
//! participating country. One disclosure entry per report, written before it
//! is returned.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use veza_model::Role;
use veza_store::Caller;
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::operations::{CheckFilter, HitFilter, Operation};

use crate::operation_figures::day_window;
use crate::{Access, AppError, Veza};

/// At most this many record ids are listed behind one row of a figure; the
/// rest are counted and found again by the row's filter (day, checkpoint…).
pub const MAX_IDS_PER_ROW: usize = 5_000;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// One day of the operation.
    Daily,
    /// The whole operation.
    Final,
}

impl ReportKind {
    /// Parses `daily` or `final`.
    pub fn parse(s: &str) -> Option<ReportKind> {
        match s {
            "daily" => Some(ReportKind::Daily),
            "final" => Some(ReportKind::Final),
            _ => None,
        }
    }

    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Daily => "daily",
            ReportKind::Final => "final",
        }
    }
}

/// One row of a figure: a label, a count and the records behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRow {
    /// What is counted (a checkpoint, a gender, an hour…).
    pub label: String,
    /// How many.
    pub count: u64,
    /// The ids of the records counted (at most [`MAX_IDS_PER_ROW`]).
    pub ids: Vec<String>,
}

/// One figure of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Short stable key (`checks_by_checkpoint`), also the sheet's name.
    pub key: String,
    /// Title in English.
    pub title: String,
    /// The rows.
    pub rows: Vec<FigureRow>,
}

impl Figure {
    fn new(key: &str, title: &str) -> Figure {
        Figure { key: key.into(), title: title.into(), rows: Vec::new() }
    }

    /// The sum of the rows.
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }
}

/// A report's content, ready for the PDF and the spreadsheet.
#[derive(Debug, Clone, Serialize)]
pub struct OperationReport {
    /// Daily or final.
    pub kind: ReportKind,
    /// The operation's id, code and name.
    pub operation: ReportOperation,
    /// The day of a daily report.
    pub date: Option<String>,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// Who made it.
    pub generated_by: String,
    /// Whether victim records were left out because the caller may not see them.
    pub victims_withheld: bool,
    /// Headline totals: (label, count).
    pub totals: Vec<(String, u64)>,
    /// The figures.
    pub figures: Vec<Figure>,
}

/// The operation as a report names it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportOperation {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Mode (`live`, `exercise`).
    pub mode: String,
    /// Period.
    pub start_date: String,
    /// Period.
    pub end_date: String,
    /// Participating countries.
    pub countries: Vec<String>,
}

const TEMPLATE: &str = include_str!("../reports/operation.typ");

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
}

/// Whether the caller takes part in the operation.
fn takes_part(caller: &Caller, op: &Operation) -> bool {
    match caller {
        Caller::System { .. } => true,
        Caller::User { agency, country, roles, .. } => {
            op.agencies.iter().any(|a| &a.agency == agency)
                || (op.countries.iter().any(|c| &c.country == country)
                    && (roles.contains(&Role::ThbCoordinator) || roles.contains(&Role::NcbOfficer)))
        }
    }
}

/// Adds a record id to a row's list, up to [`MAX_IDS_PER_ROW`].
fn push_capped(ids: &mut Vec<String>, id: &str) {
    if ids.len() < MAX_IDS_PER_ROW {
        ids.push(id.to_owned());
    }
}

fn hour_label(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros).map(|t| t.format("%Y-%m-%d %H:00").to_string()).unwrap_or_default()
}

impl Veza {
    /// The figures of a daily (`date` required) or final report on an
    /// operation, as the caller may see them. One disclosure entry.
    pub async fn operation_report(
        &self,
        access: &Access,
        operation_id: &str,
        kind: ReportKind,
        date: Option<&str>,
    ) -> Result<OperationReport, AppError> {
        let caller = &access.caller;
        self.purpose_of(access, AuditAction::Disclose, &[operation_id], "operation report").await?;
        let op = match self.store.operation(operation_id).await? {
            Some(op) if takes_part(caller, &op) => op,
            _ => return Err(AppError::NotFound(format!("operation {operation_id}"))),
        };
        let day = match (kind, date.map(str::trim).filter(|d| !d.is_empty())) {
            (ReportKind::Daily, None) => return Err(invalid("date", "a daily report needs the day (YYYY-MM-DD)")),
            (ReportKind::Daily, Some(d)) => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| invalid("date", format!("'{d}' is not a day (YYYY-MM-DD)")))?,
            ),
            (ReportKind::Final, _) => None,
        };
        let window = day.map(day_window);
        // The counts: the same function as the live picture's.
        let figures = self.operation_figures(&op, day).await?;
        let counts = &figures.counts;
        let checkpoints: BTreeMap<i64, String> = self
            .store
            .operation_checkpoints(&op.id)
            .await?
            .into_iter()
            .map(|c| (c.id, format!("{} {}", c.code, c.name)))
            .collect();
        let place = |id: i64| checkpoints.get(&id).cloned().unwrap_or_else(|| id.to_string());
        // The records behind the counts: the checks and hits themselves.
        let filter = CheckFilter {
            from: window.map(|w| w.0),
            to: window.map(|w| w.1),
            limit: u32::MAX,
            ..CheckFilter::default()
        };
        let checks = self.store.checks(&op.id, &filter).await?;
        let mut ids_by_checkpoint: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut ids_by_hour: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut hit_ids_by_checkpoint: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for c in checks.iter().rev() {
            let id = veza_store::operations::check_entity_id(c.id);
            let hour = c.check.checked_at - c.check.checked_at.rem_euclid(3_600_000_000);
            push_capped(ids_by_checkpoint.entry(c.check.checkpoint_id).or_default(), &id);
            push_capped(ids_by_hour.entry(hour).or_default(), &id);
            if c.result.code() == "hit" {
                push_capped(hit_ids_by_checkpoint.entry(c.check.checkpoint_id).or_default(), &id);
            }
        }
        let row = |label: String, count: i64, ids: Option<&Vec<String>>| FigureRow {
            label,
            count: count.max(0) as u64,
            ids: ids.cloned().unwrap_or_default(),
        };
        let mut by_checkpoint = Figure::new("checks_by_checkpoint", "Checks by checkpoint");
        let mut with_hits = Figure::new("checks_with_hits", "Checks with a hit, by checkpoint");
        for (cp, n, h) in &counts.per_checkpoint {
            by_checkpoint.rows.push(row(place(*cp), *n, ids_by_checkpoint.get(cp)));
            if *h > 0 {
                with_hits.rows.push(row(place(*cp), *h, hit_ids_by_checkpoint.get(cp)));
            }
        }
        let mut by_hour = Figure::new("checks_by_hour", "Checks by hour");
        for (hour, n, _) in &counts.per_hour {
            by_hour.rows.push(row(hour_label(*hour), *n, ids_by_hour.get(hour)));
        }
        let hits = self.store.hits(&op.id, &HitFilter { limit: u32::MAX, ..HitFilter::default() }).await?;
        let mut hit_ids: BTreeMap<(&str, String), Vec<String>> = BTreeMap::new();
        for h in hits.iter().filter(|h| window.is_none_or(|(from, to)| h.raised_at >= from && h.raised_at < to)) {
            let id = veza_store::operations::hit_entity_id(h.id);
            push_capped(hit_ids.entry(("watchlist", h.hit.watchlist.clone())).or_default(), &id);
            push_capped(hit_ids.entry(("status", h.status.code().to_owned())).or_default(), &id);
            if let Some(a) = h.action {
                push_capped(hit_ids.entry(("action", a.code().to_owned())).or_default(), &id);
            }
        }
        let hit_row = |kind: &'static str, label: &str, count: i64| {
            row(label.to_owned(), count, hit_ids.get(&(kind, label.to_owned())))
        };
        let mut by_watchlist = Figure::new("hits_by_watchlist", "Hits by watchlist");
        for (w, n, _, _) in &counts.hits_by_watchlist {
            by_watchlist.rows.push(hit_row("watchlist", w, *n));
        }
        let mut by_status = Figure::new("hits_by_status", "Hits by status with the data owner");
        for (status, n) in [
            ("pending", figures.hits_pending()),
            ("confirmed", figures.hits_confirmed()),
            ("rejected", figures.hits_rejected()),
        ] {
            if n > 0 {
                by_status.rows.push(hit_row("status", status, n));
            }
        }
        let mut actions = Figure::new("actions_on_hits", "Action taken on confirmed hits");
        for (action, n) in &counts.hits_by_action {
            actions.rows.push(hit_row("action", action, *n));
        }
        // The records naming the operation: counted as the live picture
        // counts them; listed only as the caller may see them.
        let visible: BTreeSet<String> =
            self.store.entities_by_id(caller, &figures.record_ids()).await?.into_iter().map(|e| e.id).collect();
        let shown = |key: &str, title: &str, tallies: Vec<crate::operation_figures::Tally>| {
            let mut f = Figure::new(key, title);
            for t in tallies {
                let ids: Vec<String> =
                    t.ids.into_iter().filter(|id| visible.contains(id)).take(MAX_IDS_PER_ROW).collect();
                f.rows.push(FigureRow { label: t.key, count: t.count.max(0) as u64, ids });
            }
            f
        };
        let victims_withheld = figures.victims.iter().any(|v| !visible.contains(&v.id));
        let v_gender = shown("victims_by_gender", "Possible victims by gender", figures.victims_by_gender());
        let v_age = shown("victims_by_age_group", "Possible victims by age group", figures.victims_by_age_group());
        let v_nationality =
            shown("victims_by_nationality", "Possible victims by nationality", figures.victims_by_nationality());
        let v_exploitation = shown(
            "victims_by_exploitation",
            "Possible victims by type of exploitation",
            figures.victims_by_exploitation(),
        );
        let arrests = shown("arrests", "Arrests by agency", figures.arrests_by_agency());
        let seizures = shown("seizures", "Seizures by kind of item", figures.seizures_by_item());
        let new_cases = shown("new_cases", "New investigations by status", figures.cases_by_status());
        let totals = vec![
            ("Checks".to_owned(), counts.checks.max(0) as u64),
            ("Checks with a hit".to_owned(), counts.checks_with_hits.max(0) as u64),
            ("Hits".to_owned(), figures.hits().max(0) as u64),
            ("Possible victims".to_owned(), figures.victims.len() as u64),
            ("Arrests".to_owned(), figures.arrests.len() as u64),
            ("Seizures".to_owned(), figures.seizures.len() as u64),
            ("New investigations".to_owned(), figures.cases.len() as u64),
        ];
        let figures = vec![
            by_checkpoint,
            by_hour,
            with_hits,
            by_watchlist,
            by_status,
            actions,
            v_gender,
            v_age,
            v_nationality,
            v_exploitation,
            arrests,
            seizures,
            new_cases,
        ];
        let mut ids = vec![op.id.clone()];
        ids.extend(visible.iter().cloned());
        let detail = format!(
            "{} report on operation {}{}",
            kind.code(),
            op.code,
            day.map(|d| format!(" for {d}")).unwrap_or_default()
        );
        self.audit_access(access, AuditAction::Disclose, ids, AuditOutcome::Ok, &detail).await?;
        Ok(OperationReport {
            kind,
            operation: ReportOperation {
                id: op.id.clone(),
                code: op.code.clone(),
                name: op.name.clone(),
                mode: op.mode.code().to_owned(),
                start_date: op.start_date.clone(),
                end_date: op.end_date.clone(),
                countries: op.countries.iter().map(|c| c.country.clone()).collect(),
            },
            date: day.map(|d| d.to_string()),
            generated_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            generated_by: caller.actor(),
            victims_withheld,
            totals,
            figures,
        })
    }
}

impl OperationReport {
    /// The report as JSON for the template: the figures with their counts
    /// (the ids stay in the spreadsheet) and the chart files' names.
    pub fn template_data(&self) -> serde_json::Value {
        let figures: Vec<serde_json::Value> = self
            .figures
            .iter()
            .map(|f| {
                serde_json::json!({
                    "key": f.key,
                    "title": f.title,
                    "total": f.total(),
                    "chart": if f.rows.is_empty() { serde_json::Value::Null } else { format!("{}.svg", f.key).into() },
                    "rows": f.rows.iter().map(|r| serde_json::json!({"label": r.label, "count": r.count,
                        "first_ids": r.ids.iter().take(3).cloned().collect::<Vec<_>>()})).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::json!({
            "kind": self.kind.code(),
            "title": match self.kind { ReportKind::Daily => "Daily situation report", ReportKind::Final => "Final results report" },
            "operation": self.operation,
            "date": self.date,
            "generated_at": self.generated_at,
            "generated_by": self.generated_by,
            "victims_withheld": self.victims_withheld,
            "totals": self.totals.iter().map(|(l, n)| serde_json::json!({"label": l, "count": n})).collect::<Vec<_>>(),
            "figures": figures,
        })
    }

    /// The PDF: the template, the data and one SVG bar chart per figure.
    pub fn pdf(&self) -> Result<Vec<u8>, AppError> {
        let charts: Vec<(String, Vec<u8>)> = self
            .figures
            .iter()
            .filter(|f| !f.rows.is_empty())
            .map(|f| (format!("{}.svg", f.key), crate::report_chart::bar_chart(f).into_bytes()))
            .collect();
        let files: Vec<(&str, Vec<u8>)> = charts.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let today = Utc::now().date_naive();
        use chrono::Datelike;
        let today = Some((today.year(), today.month() as u8, today.day() as u8));
        veza_report::render_pdf(TEMPLATE, &self.template_data(), &files, today)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The spreadsheet: a summary sheet, then one sheet per figure with, per
    /// row, the label, the count and the ids of the records behind it.
    pub fn xlsx(&self) -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("spreadsheet: {e}"));
        let bold = Format::new().set_bold();
        let mut book = Workbook::new();
        let summary = book.add_worksheet().set_name("Summary").map_err(err)?;
        let heading = match self.kind {
            ReportKind::Daily => "Daily situation report",
            ReportKind::Final => "Final results report",
        };
        summary.write_string_with_format(0, 0, heading, &bold).map_err(err)?;
        summary.write_string(1, 0, format!("{} — {}", self.operation.code, self.operation.name)).map_err(err)?;
        summary
            .write_string(
                2,
                0,
                self.date
                    .clone()
                    .unwrap_or_else(|| format!("{} to {}", self.operation.start_date, self.operation.end_date)),
            )
            .map_err(err)?;
        summary.write_string(3, 0, format!("made {} by {}", self.generated_at, self.generated_by)).map_err(err)?;
        for (i, (label, n)) in self.totals.iter().enumerate() {
            let row = 5 + i as u32;
            summary.write_string(row, 0, label).map_err(err)?;
            summary.write_number(row, 1, *n as f64).map_err(err)?;
        }
        for f in &self.figures {
            let sheet = book.add_worksheet().set_name(sheet_name(&f.key)).map_err(err)?;
            sheet.write_string_with_format(0, 0, &f.title, &bold).map_err(err)?;
            for (c, h) in ["Label", "Count", "Record ids"].iter().enumerate() {
                sheet.write_string_with_format(1, c as u16, *h, &bold).map_err(err)?;
            }
            for (i, r) in f.rows.iter().enumerate() {
                let row = 2 + i as u32;
                sheet.write_string(row, 0, &r.label).map_err(err)?;
                sheet.write_number(row, 1, r.count as f64).map_err(err)?;
                let mut ids = r.ids.join(", ");
                if (r.ids.len() as u64) < r.count {
                    ids.push_str(&format!(" … and {} more (same filter)", r.count - r.ids.len() as u64));
                }
                sheet.write_string(row, 2, ids).map_err(err)?;
            }
        }
        book.save_to_buffer().map_err(err)
    }
}

/// A sheet name: at most 31 characters.
fn sheet_name(key: &str) -> String {
    key.chars().take(31).collect()
}
