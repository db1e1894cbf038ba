//! The operation's daily situation report and final results report: the
//! figures of one day (or of the whole operation), each with the record ids
//! behind it, as a PDF (typst template `reports/operation.typ`, charts drawn
//! as SVG) and as a spreadsheet (one sheet per figure, each row with its
//! record ids), so every figure can be traced to its records.
//!
//! Figures come from the operation's checks and hits (the store's
//! operations tables) and from the records that name the operation — Victim
//! (the victim compartment: a caller outside it gets the figures without
//! them, and the report says so), Arrest, Seizure. Who may have a report: a
//! user of a participating agency, or the THB coordinator or NCB of a
//! participating country. One disclosure entry per report, written before it
//! is returned.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use veza_model::{Entity, Role};
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::operations::{CheckFilter, HitFilter, Operation};
use veza_store::{Caller, SearchQuery};

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

    fn add(&mut self, label: &str, id: String) {
        match self.rows.iter_mut().find(|r| r.label == label) {
            Some(r) => {
                r.count += 1;
                if r.ids.len() < MAX_IDS_PER_ROW {
                    r.ids.push(id);
                }
            }
            None => self.rows.push(FigureRow { label: label.into(), count: 1, ids: vec![id] }),
        }
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

fn micros_of_day(day: NaiveDate) -> (i64, i64) {
    let start = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_micros()).unwrap_or(0);
    (start, start + 86_400_000_000)
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
        let window = day.map(micros_of_day);
        let checkpoints: BTreeMap<i64, String> = self
            .store
            .operation_checkpoints(&op.id)
            .await?
            .into_iter()
            .map(|c| (c.id, format!("{} {}", c.code, c.name)))
            .collect();
        let filter = CheckFilter {
            from: window.map(|w| w.0),
            to: window.map(|w| w.1),
            limit: u32::MAX,
            ..CheckFilter::default()
        };
        let checks = self.store.checks(&op.id, &filter).await?;
        let mut by_checkpoint = Figure::new("checks_by_checkpoint", "Checks by checkpoint");
        let mut by_hour = Figure::new("checks_by_hour", "Checks by hour");
        let mut with_hits = Figure::new("checks_with_hits", "Checks with a hit, by checkpoint");
        for c in checks.iter().rev() {
            let id = veza_store::operations::check_entity_id(c.id);
            let place =
                checkpoints.get(&c.check.checkpoint_id).cloned().unwrap_or_else(|| c.check.checkpoint_id.to_string());
            by_checkpoint.add(&place, id.clone());
            by_hour.add(&hour_label(c.check.checked_at - c.check.checked_at.rem_euclid(3_600_000_000)), id.clone());
            if c.result.code() == "hit" {
                with_hits.add(&place, id);
            }
        }
        by_hour.rows.sort_by(|a, b| a.label.cmp(&b.label));
        let hits = self.store.hits(&op.id, &HitFilter { limit: u32::MAX, ..HitFilter::default() }).await?;
        let mut by_watchlist = Figure::new("hits_by_watchlist", "Hits by watchlist");
        let mut by_status = Figure::new("hits_by_status", "Hits by status with the data owner");
        let mut actions = Figure::new("actions_on_hits", "Action taken on confirmed hits");
        for h in hits.iter().filter(|h| window.is_none_or(|(from, to)| h.raised_at >= from && h.raised_at < to)) {
            let id = veza_store::operations::hit_entity_id(h.id);
            by_watchlist.add(&h.hit.watchlist, id.clone());
            by_status.add(h.status.code(), id.clone());
            if let Some(a) = h.action {
                actions.add(a.code(), id);
            }
        }
        let on_day = |e: &Entity, prop: &str| day.is_none_or(|d| e.first(prop) == Some(d.to_string().as_str()));
        let of_operation = |e: &&Entity| e.first("operation") == Some(op.id.as_str());
        let victims: Vec<Entity> = self
            .entities_of(caller, "Victim")
            .await?
            .into_iter()
            .filter(|e| of_operation(&e) && on_day(e, "identificationDate"))
            .collect();
        let victims_withheld = !matches!(caller, Caller::System { .. }) && !caller_opens_victims(caller);
        let mut v_gender = Figure::new("victims_by_gender", "Possible victims by gender");
        let mut v_age = Figure::new("victims_by_age_group", "Possible victims by age group");
        let mut v_nationality = Figure::new("victims_by_nationality", "Possible victims by nationality");
        let mut v_exploitation = Figure::new("victims_by_exploitation", "Possible victims by type of exploitation");
        for v in &victims {
            v_gender.add(v.first("gender").unwrap_or("unknown"), v.id.clone());
            v_age.add(v.first("ageCategory").unwrap_or("unknown"), v.id.clone());
            v_nationality.add(v.first("citizenship").unwrap_or("unknown"), v.id.clone());
            let types = v.values("exploitationType");
            if types.is_empty() {
                v_exploitation.add("not recorded", v.id.clone());
            }
            for t in types {
                v_exploitation.add(t, v.id.clone());
            }
        }
        let mut arrests = Figure::new("arrests", "Arrests by agency");
        for a in self.entities_of(caller, "Arrest").await?.iter().filter(of_operation).filter(|e| on_day(e, "date")) {
            arrests.add(a.first("arrestingAgency").unwrap_or(&a.provenance.owner.agency), a.id.clone());
        }
        let mut seizures = Figure::new("seizures", "Seizures by kind of item");
        for s in self.entities_of(caller, "Seizure").await?.iter().filter(of_operation).filter(|e| on_day(e, "date")) {
            seizures.add(s.first("itemType").unwrap_or("other"), s.id.clone());
        }
        let totals = vec![
            ("Checks".to_owned(), checks.len() as u64),
            ("Checks with a hit".to_owned(), with_hits.total()),
            ("Hits".to_owned(), by_watchlist.total()),
            ("Possible victims".to_owned(), victims.len() as u64),
            ("Arrests".to_owned(), arrests.total()),
            ("Seizures".to_owned(), seizures.total()),
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
        ];
        let mut ids = vec![op.id.clone()];
        ids.extend(victims.iter().map(|v| v.id.clone()));
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

    /// Entities of one schema the caller may see (newest first, at most 10,000).
    async fn entities_of(&self, caller: &Caller, schema: &str) -> Result<Vec<Entity>, AppError> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let query = SearchQuery { schemata: vec![schema.to_owned()], limit: 500, offset, ..SearchQuery::default() };
            let page = self.store.search(caller, &query).await?.results;
            let n = page.len();
            out.extend(page);
            if n < 500 || out.len() >= 10_000 {
                return Ok(out);
            }
            offset += 500;
        }
    }
}

/// Whether the caller's roles open the victim compartment in general (case
/// investigators see only their case's victims).
fn caller_opens_victims(caller: &Caller) -> bool {
    match caller {
        Caller::System { .. } => true,
        Caller::User { roles, .. } => roles.contains(&Role::VictimSupport) || roles.contains(&Role::ThbCoordinator),
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
