//! What the import pages show: the form, the preview of the mapped rows and
//! the refused ones, and the progress and summary of a running import.

use super::{Frame, Layout};
use crate::i18n::Tr;
use crate::imports::{JobState, Upload};
use askama::Template;
use veza_app::{ImportOptions, ImportPreview};
use veza_model::Model;

/// An example mapping, shown in the form: every part a mapping may have.
pub(crate) const EXAMPLE_MAPPING: &str = r#"# One row becomes one entity of this schema.
schema = "Person"
# The dataset the rows are stored under (the form's field wins).
dataset = "border-log-2026"
# The column holding the source's record number (it makes the entity's id).
id = "record_no"

[properties]
name = "full_name"
birthDate = { column = "dob", format = "%d.%m.%Y" }
nationality = "citizenship"
passportNumber = "passport"
address = ["street", "town", "postcode"]

# Who may see the records (default: your agency only).
[handling]
visibility = "country"
"#;

/// Errors beside the form's fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportErrors {
    pub(crate) file: Option<String>,
    pub(crate) format: Option<String>,
    pub(crate) dataset: Option<String>,
    pub(crate) mapping: Option<String>,
}

impl ImportErrors {
    /// Whether any field is wrong.
    pub(crate) fn any(&self) -> bool {
        self.file.is_some() || self.format.is_some() || self.dataset.is_some() || self.mapping.is_some()
    }
}

/// One mapped row of the preview.
pub(crate) struct PreviewRow {
    pub(crate) line: u64,
    pub(crate) schema: String,
    pub(crate) caption: String,
    /// (property label, values joined).
    pub(crate) properties: Vec<(String, String)>,
}

/// One refused row (or value).
pub(crate) struct RejectRow {
    pub(crate) line: u64,
    pub(crate) column: String,
    pub(crate) value: String,
    pub(crate) reason: String,
}

/// The preview as the page shows it.
pub(crate) struct PreviewView {
    pub(crate) format: String,
    pub(crate) dataset: String,
    pub(crate) summary: String,
    pub(crate) rows: Vec<PreviewRow>,
    pub(crate) rejects: Vec<RejectRow>,
    pub(crate) notes: Vec<String>,
}

/// A note as one line: where, what, why.
fn note_line(n: &veza_app::Note) -> String {
    format!("{} · {} · {}: {}", n.line, n.column, n.value, n.message)
}

/// The preview of `p`.
pub(crate) fn preview_view(tr: &Tr, model: &Model, p: &ImportPreview) -> PreviewView {
    let rows = p
        .accepted
        .iter()
        .map(|(line, e)| {
            let schema = model.schema(&e.schema).ok();
            PreviewRow {
                line: *line,
                schema: schema.map(|s| tr.schema(s)).unwrap_or_else(|| e.schema.clone()),
                caption: e.caption(model),
                properties: e
                    .properties
                    .iter()
                    .map(|(name, values)| {
                        let label = schema.map(|s| tr.property_named(s, name)).unwrap_or_else(|| name.clone());
                        (label, values.join("; "))
                    })
                    .collect(),
            }
        })
        .collect();
    PreviewView {
        format: p.format.clone(),
        dataset: p.dataset.clone(),
        summary: tr.ta(
            "import-preview-summary",
            &[
                ("rows", tr.number(p.rows).into()),
                ("accepted", tr.number(p.accepted.len()).into()),
                ("rejected", tr.number(p.rejects.len()).into()),
            ],
        ),
        rows,
        rejects: p
            .rejects
            .iter()
            .map(|r| RejectRow {
                line: r.line,
                column: r.column.clone(),
                value: r.value.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
        notes: p.notes.iter().map(note_line).collect(),
    }
}

/// The import page: the form, and once a file is uploaded its preview.
#[derive(Template)]
#[template(path = "import.html")]
pub(crate) struct ImportPage {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) csrf: String,
    /// (format name, label) choices.
    pub(crate) formats: Vec<(&'static str, String)>,
    pub(crate) format: String,
    pub(crate) dataset: String,
    pub(crate) mapping: String,
    pub(crate) example: &'static str,
    /// The upload previewed: (id, file name, size in bytes as shown).
    pub(crate) upload: Option<(String, String, String)>,
    pub(crate) preview: Option<PreviewView>,
    pub(crate) errors: ImportErrors,
}

impl ImportPage {
    /// The page with the form filled in from `options`.
    pub(crate) fn new(frame: &Frame, csrf: String, options: ImportOptions) -> Self {
        let tr = frame.tr;
        ImportPage {
            layout: Layout::new(frame, tr.t("import-title")),
            tr,
            csrf,
            formats: ["ftm", "csv", "xlsx", "interpol-notices", "lost-stolen-documents"]
                .into_iter()
                .map(|f| (f, tr.t(&format!("import-format-{f}"))))
                .collect(),
            format: options.format.unwrap_or_default(),
            dataset: options.dataset.unwrap_or_default(),
            mapping: options.mapping_text.unwrap_or_default(),
            example: EXAMPLE_MAPPING,
            upload: None,
            preview: None,
            errors: ImportErrors::default(),
        }
    }
}

/// The progress region of an import: polled by htmx while it runs.
#[derive(Template)]
#[template(path = "_import_status.html")]
pub(crate) struct ImportStatus {
    pub(crate) tr: Tr,
    pub(crate) id: String,
    pub(crate) running: bool,
    /// Share done, 0–1000, when known.
    pub(crate) permille: Option<u64>,
    pub(crate) line: String,
    pub(crate) failed: Option<String>,
    /// The summary when done.
    pub(crate) done: Option<DoneView>,
}

/// A finished import.
pub(crate) struct DoneView {
    pub(crate) dataset: String,
    pub(crate) summary: String,
    pub(crate) rejects: Vec<RejectRow>,
    pub(crate) more_rejects: u64,
    pub(crate) notes: Vec<String>,
}

/// Rejects listed on the summary page.
const REJECTS_SHOWN: usize = 100;

impl ImportStatus {
    /// Where `upload` stands.
    pub(crate) fn of(tr: &Tr, upload: &Upload) -> Self {
        let mut status = ImportStatus {
            tr: *tr,
            id: upload.id.clone(),
            running: false,
            permille: None,
            line: String::new(),
            failed: None,
            done: None,
        };
        match &upload.state {
            JobState::Uploaded => status.line = tr.t("import-not-started"),
            JobState::Running(progress) => {
                status.running = true;
                let rows = progress.as_ref().map_or(0, |p| p.rows);
                status.permille =
                    progress.as_ref().and_then(|p| p.fraction()).map(|f| (f * 1000.0).clamp(0.0, 1000.0) as u64);
                status.line = tr.count("import-running", rows);
            }
            JobState::Failed(message) => status.failed = Some(message.clone()),
            JobState::Done(s, rejects) => {
                status.done = Some(DoneView {
                    dataset: s.dataset.clone(),
                    summary: tr.ta(
                        "import-done-summary",
                        &[
                            ("rows", tr.number(s.rows).into()),
                            ("created", tr.number(s.created).into()),
                            ("updated", tr.number(s.updated).into()),
                            ("rejected", tr.number(s.rejected_rows).into()),
                        ],
                    ),
                    more_rejects: (rejects.len().saturating_sub(REJECTS_SHOWN)) as u64,
                    rejects: rejects
                        .iter()
                        .take(REJECTS_SHOWN)
                        .map(|r| RejectRow {
                            line: r.line,
                            column: r.column.clone(),
                            value: r.value.clone(),
                            reason: r.reason.clone(),
                        })
                        .collect(),
                    notes: s.notes.iter().map(note_line).collect(),
                });
            }
        }
        status
    }
}

/// The page of a running or finished import.
#[derive(Template)]
#[template(path = "import_job.html")]
pub(crate) struct ImportJobPage {
    pub(crate) layout: Layout,
    pub(crate) tr: Tr,
    pub(crate) file_name: String,
    /// The progress region, rendered by its own template (escaped there).
    pub(crate) status_html: String,
}

impl ImportJobPage {
    /// The page around `status`.
    pub(crate) fn new(frame: &Frame, file_name: String, status: ImportStatus) -> Self {
        let status_html = status.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, "the import status failed to render");
            String::new()
        });
        ImportJobPage { layout: Layout::new(frame, frame.tr.t("import-title")), tr: frame.tr, file_name, status_html }
    }
}
