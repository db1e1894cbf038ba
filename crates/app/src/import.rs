//! Import of files: FtM JSON lines, CSV and Excel (through a mapping file).
//!
//! Reading runs on a blocking thread and hands batches to the writer, so
//! parsing and storing overlap. Bad rows never reach the store: they go to
//! the rejects report, and the good rows are committed. A file that cannot
//! be opened or whose header does not fit the mapping changes nothing.

use crate::{Access, AppError, Veza};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use veza_ingest::{Format, IngestError, Mapping, Note, Outcome, Progress, Reader, RejectWriter};
use veza_model::Entity;
use veza_store::Caller;
use veza_store::audit::{AuditAction, AuditOutcome};

/// How to import a file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Mapping file (TOML) for CSV and Excel.
    pub mapping: Option<PathBuf>,
    /// Dataset name; default: the mapping's `dataset`, else the file name.
    pub dataset: Option<String>,
    /// Owning agency for a local operator; a user's records belong to the user's agency.
    pub agency: Option<String>,
    /// Where to write the rejects report; default `<input>.rejects.csv`.
    pub rejects: Option<PathBuf>,
    /// The table-top exercise the records are for (a local operator only;
    /// a user's records go to the exercise the user acts in). Exercise
    /// records never mix with real ones.
    pub exercise: Option<String>,
    /// The file's format when its extension does not say it, or to read it
    /// with a built-in mapping: see [`ImportOptions::FORMATS`].
    pub format: Option<String>,
    /// A mapping given as TOML text (the web form) instead of a file.
    pub mapping_text: Option<String>,
}

/// The first rows of a file as an import would take them, before anything
/// is stored: the entities they make and the rows it would refuse.
#[derive(Debug, Clone, Default)]
pub struct ImportPreview {
    /// Format read.
    pub format: String,
    /// Dataset the rows would be stored under.
    pub dataset: String,
    /// Rows read for the preview.
    pub rows: u64,
    /// The entities the first accepted rows make, with their lines.
    pub accepted: Vec<(u64, Entity)>,
    /// Values the accepted rows keep only in part.
    pub notes: Vec<Note>,
    /// The rows refused, with line, column, value and reason.
    pub rejects: Vec<veza_ingest::Reject>,
}

/// The built-in mapping of lost and stolen travel-document lists.
const LOST_STOLEN_MAPPING: &str = include_str!("mappings/lost_stolen_documents.toml");

impl ImportOptions {
    /// The names `format` accepts.
    pub const FORMATS: &'static str = "ftm, csv, xlsx, interpol-notices, lost-stolen-documents";
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// Dataset the rows were stored under.
    pub dataset: String,
    /// Format read.
    pub format: String,
    /// Rows (or lines) read.
    pub rows: u64,
    /// Entities stored that did not exist.
    pub created: u64,
    /// Entities that existed and were updated.
    pub updated: u64,
    /// Rows rejected.
    pub rejected_rows: u64,
    /// Values kept only in part (see `notes`).
    pub noted: u64,
    /// The first notes, for display.
    pub notes: Vec<Note>,
    /// Where the rejects report was written.
    pub rejects_path: PathBuf,
}

/// Rows written to the store per transaction.
const BATCH: usize = 10_000;
/// Notes kept in the summary for display.
const NOTES_KEPT: usize = 50;

/// What the reading thread sends to the writer.
enum Chunk {
    Entities(Vec<Entity>, Progress),
    Failed(IngestError),
}

impl Veza {
    /// Imports one file. `progress` is called after every batch.
    ///
    /// Audited as ONE collection entry per import, written when it ends,
    /// with the dataset, the counts and the file name as detail and no
    /// entity ids (an entry per batch listing its ids would cost as much as
    /// the import); the ids are found through the dataset. An import that
    /// fails is logged with outcome `failed`. If that entry cannot be
    /// written, the import reports the error.
    pub async fn import_file(
        &self,
        access: &Access,
        path: &Path,
        options: &ImportOptions,
        progress: impl FnMut(Progress),
    ) -> Result<ImportSummary, AppError> {
        let file = path.display().to_string();
        self.purpose_of(access, AuditAction::Collect, &[], &format!("import of {file}")).await?;
        let result = self.import_unaudited(&access.caller, path, options, progress).await;
        let (outcome, detail) = match &result {
            Ok(s) => (
                AuditOutcome::Ok,
                format!(
                    "import of {file} into dataset {}: {} rows, {} created, {} updated, {} rejected",
                    s.dataset, s.rows, s.created, s.updated, s.rejected_rows
                ),
            ),
            Err(e) => (AuditOutcome::Failed, format!("import of {file} failed: {e}")),
        };
        self.audit_access(access, AuditAction::Collect, Vec::new(), outcome, &detail).await?;
        result
    }

    /// What an import of `path` with `options` reads: the format, the
    /// mapping and the dataset, checked before anything is opened.
    fn plan(&self, path: &Path, options: &ImportOptions) -> Result<(Format, Option<Mapping>, String), AppError> {
        let builtin = options.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case("lost-stolen-documents"));
        let format = match options.format.as_deref() {
            Some(_) if builtin => Format::Csv,
            Some(name) => Format::parse(name).ok_or_else(|| AppError::Invalid {
                field: Some("format".into()),
                message: format!("unknown format '{name}': use one of {}", ImportOptions::FORMATS),
            })?,
            None => Format::from_path(path).ok_or_else(|| AppError::File {
                path: path.display().to_string(),
                reason: "unknown format: use .json/.jsonl/.ndjson/.ftm (FtM), .csv/.tsv or .xlsx, or say it with \
                         --format (interpol-notices, lost-stolen-documents)"
                    .into(),
            })?,
        };
        let mapping = match &options.mapping {
            Some(_) if builtin => {
                return Err(AppError::Invalid {
                    field: Some("mapping".into()),
                    message: "lost-stolen-documents has its own mapping: leave --mapping out".into(),
                });
            }
            None if builtin => Some(Mapping::parse(LOST_STOLEN_MAPPING, self.model()).map_err(|e| {
                AppError::Invalid { field: Some("format".into()), message: format!("built-in mapping: {e}") }
            })?),
            Some(m) => Some(
                Mapping::load(m, self.model())
                    .map_err(|e| AppError::File { path: m.display().to_string(), reason: e.to_string() })?,
            ),
            None if options.mapping_text.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
                let text = options.mapping_text.as_deref().unwrap_or_default();
                Some(Mapping::parse(text, self.model()).map_err(|e| AppError::Invalid {
                    field: Some("mapping".into()),
                    message: format!("the mapping: {e}"),
                })?)
            }
            None if format.needs_mapping() => {
                return Err(AppError::Invalid {
                    field: Some("mapping".into()),
                    message: format!(
                        "{}: {} files need a mapping file (--mapping FILE.toml) that maps columns to a schema",
                        path.display(),
                        format.name()
                    ),
                });
            }
            None => None,
        };
        let dataset = options
            .dataset
            .clone()
            .or_else(|| mapping.as_ref().and_then(|m| m.dataset().map(str::to_owned)))
            .unwrap_or_else(|| veza_ingest::dataset_from_path(path));
        veza_ingest::check_dataset(&dataset)
            .map_err(|e| AppError::Invalid { field: Some("dataset".into()), message: e.to_string() })?;
        Ok((format, mapping, dataset))
    }

    /// The first `limit` rows of `path` as an import with `options` would
    /// take them; nothing is stored and nothing is audited (the file is the
    /// user's own and no stored record is read). Blocking: call it off the
    /// async threads.
    pub fn preview_import(
        &self,
        path: &Path,
        options: &ImportOptions,
        limit: usize,
    ) -> Result<ImportPreview, AppError> {
        let (format, mapping, dataset) = self.plan(path, options)?;
        let file_error = |e: IngestError| AppError::File { path: path.display().to_string(), reason: e.to_string() };
        let mut reader = Reader::open_as(path, format, self.model(), mapping.as_ref(), &dataset).map_err(file_error)?;
        let mut preview = ImportPreview { format: format.name().to_owned(), dataset, ..ImportPreview::default() };
        while preview.accepted.len() < limit && preview.rejects.len() < limit {
            match reader.next() {
                None => break,
                Some(Err(e)) => return Err(file_error(e)),
                Some(Ok(Outcome::Accepted(a))) => {
                    preview.notes.extend(a.notes);
                    preview.accepted.push((a.line, a.entity));
                }
                Some(Ok(Outcome::Rejected(r))) => preview.rejects.extend(r),
            }
            preview.rows = reader.progress().rows;
        }
        Ok(preview)
    }

    async fn import_unaudited(
        &self,
        caller: &Caller,
        path: &Path,
        options: &ImportOptions,
        mut progress: impl FnMut(Progress),
    ) -> Result<ImportSummary, AppError> {
        let file_error = |e: IngestError| AppError::File { path: path.display().to_string(), reason: e.to_string() };
        let (format, mapping, dataset) = self.plan(path, options)?;
        let owner = self.owner_for(caller, options.agency.as_deref()).await?;

        // Open before touching the store: a file that cannot be read changes nothing.
        let reader = Reader::open_as(path, format, self.model(), mapping.as_ref(), &dataset).map_err(file_error)?;
        drop(reader);
        let rejects_path = options.rejects.clone().unwrap_or_else(|| default_rejects_path(path));
        let rejects_file = std::fs::File::create(&rejects_path).map_err(|e| AppError::File {
            path: rejects_path.display().to_string(),
            reason: format!("cannot write the rejects report: {e}"),
        })?;
        let mut rejects = RejectWriter::new(std::io::BufWriter::new(rejects_file))
            .map_err(|e| AppError::File { path: rejects_path.display().to_string(), reason: e.to_string() })?;

        let mut summary = ImportSummary {
            dataset: dataset.clone(),
            format: format.name().to_owned(),
            rejects_path: rejects_path.clone(),
            ..ImportSummary::default()
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(4);
        let (reject_tx, reject_rx) = std::sync::mpsc::channel::<Outcome>();
        let model = self.model();
        let path_owned = path.to_path_buf();
        let reading = tokio::task::spawn_blocking(move || {
            let reader = match Reader::open_as(&path_owned, format, model, mapping.as_ref(), &dataset) {
                Ok(r) => r,
                Err(e) => {
                    let _ = tx.blocking_send(Chunk::Failed(e));
                    return;
                }
            };
            read_batches(reader, &tx, &reject_tx);
        });

        let mut sources: HashSet<String> = HashSet::new();
        let mut written: HashSet<String> = HashSet::new();
        let mut failure = None;
        while let Some(chunk) = rx.recv().await {
            // Rejects and notes arrive beside the batches; write them as they come.
            for outcome in reject_rx.try_iter() {
                self.account(&mut summary, &mut rejects, outcome, &rejects_path)?;
            }
            match chunk {
                Chunk::Failed(e) => {
                    failure = Some(e);
                    break;
                }
                Chunk::Entities(mut batch, at) => {
                    for e in &mut batch {
                        e.provenance.owner = owner.clone();
                        match (caller, &options.exercise) {
                            (veza_store::Caller::User { scope, .. }, _) => {
                                e.provenance.exercise = scope.exercise.clone()
                            }
                            (_, Some(x)) => e.provenance.exercise = Some(x.clone()),
                            _ => {}
                        }
                        let ds = &e.provenance.source.dataset;
                        if !sources.contains(ds) {
                            let title = format!(
                                "Imported from {}",
                                path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()
                            );
                            self.ensure_source(ds, &title, "import", &owner.agency).await?;
                            sources.insert(ds.clone());
                        }
                    }
                    // FtM files may give one entity in several fragments: a
                    // fragment after the first adds to it instead of replacing it.
                    let (again, first): (Vec<Entity>, Vec<Entity>) = if format == Format::FtmJson {
                        batch.into_iter().partition(|e| written.contains(&e.id))
                    } else {
                        (Vec::new(), batch)
                    };
                    if format == Format::FtmJson {
                        written.extend(first.iter().map(|e| e.id.clone()));
                    }
                    let mut report = self.store().write_entities(caller, &first).await?;
                    self.screening.touch();
                    if !again.is_empty() {
                        let merged = self.store().merge_entities(caller, &again).await?;
                        report.updated += merged.updated + merged.created;
                    }
                    summary.created += report.created;
                    summary.updated += report.updated;
                    summary.rows = at.rows;
                    progress(at);
                }
            }
        }
        let _ = reading.await;
        for outcome in reject_rx.try_iter() {
            self.account(&mut summary, &mut rejects, outcome, &rejects_path)?;
        }
        rejects
            .finish()
            .map_err(|e| AppError::File { path: rejects_path.display().to_string(), reason: e.to_string() })?;
        if let Some(e) = failure {
            return Err(AppError::File {
                path: path.display().to_string(),
                reason: format!(
                    "{e}; {} entities were stored before this point; fix the file and import it again \
                     (a re-import updates, it never duplicates)",
                    summary.created + summary.updated
                ),
            });
        }
        summary.rows = summary.rows.max(summary.created + summary.updated + summary.rejected_rows);
        Ok(summary)
    }

    /// Counts a rejected row or the notes of an accepted one.
    fn account(
        &self,
        summary: &mut ImportSummary,
        rejects: &mut RejectWriter<std::io::BufWriter<std::fs::File>>,
        outcome: Outcome,
        rejects_path: &Path,
    ) -> Result<(), AppError> {
        match outcome {
            Outcome::Rejected(reasons) => {
                summary.rejected_rows += 1;
                for r in &reasons {
                    rejects.write(r).map_err(|e| AppError::File {
                        path: rejects_path.display().to_string(),
                        reason: e.to_string(),
                    })?;
                }
            }
            Outcome::Accepted(a) => {
                summary.noted += a.notes.len() as u64;
                let room = NOTES_KEPT.saturating_sub(summary.notes.len());
                summary.notes.extend(a.notes.into_iter().take(room));
            }
        }
        Ok(())
    }
}

/// Reads all outcomes, sending entities in batches to the writer and
/// rejects and notes to the report.
fn read_batches(
    mut reader: Reader<'_>,
    tx: &tokio::sync::mpsc::Sender<Chunk>,
    side: &std::sync::mpsc::Sender<Outcome>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        match reader.next() {
            None => break,
            Some(Err(e)) => {
                if !batch.is_empty() {
                    let _ = tx.blocking_send(Chunk::Entities(std::mem::take(&mut batch), reader.progress()));
                }
                let _ = tx.blocking_send(Chunk::Failed(e));
                return;
            }
            Some(Ok(Outcome::Accepted(mut a))) => {
                if !a.notes.is_empty() {
                    let notes = std::mem::take(&mut a.notes);
                    let mut carrier = a.clone();
                    carrier.notes = notes;
                    let _ = side.send(Outcome::Accepted(carrier));
                }
                batch.push(a.entity);
            }
            Some(Ok(rejected)) => {
                let _ = side.send(rejected);
            }
        }
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if tx.blocking_send(Chunk::Entities(full, reader.progress())).is_err() {
                return;
            }
        }
    }
    // Always send a last chunk, even empty, so the writer sees the final progress.
    let _ = tx.blocking_send(Chunk::Entities(batch, reader.progress()));
}

/// `<input>.rejects.csv` beside the input.
pub fn default_rejects_path(input: &Path) -> PathBuf {
    let mut name = input.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".rejects.csv");
    input.with_file_name(name)
}
