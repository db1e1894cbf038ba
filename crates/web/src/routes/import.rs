//! The import pages: upload a CSV, Excel or FtM file, preview the first rows
//! as the mapping makes them (and the rows it refuses), change the mapping
//! and preview again, then import in the background and watch the progress.

use super::pages::{error_page, failure, page_failure, render, see_other};
use crate::AppState;
use crate::caller::{CurrentAccess, CurrentCaller};
use crate::i18n::Tr;
use crate::imports::{JobState, Upload, Uploads, new_upload_id, remove_upload_files, safe_file_name};
use crate::views::Frame;
use crate::views::import::{ImportJobPage, ImportPage, ImportStatus, preview_view};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::time::Instant;
use tokio::io::AsyncWriteExt;
use veza_app::{AppError, Caller, ImportOptions};

/// Rows shown in a preview.
const PREVIEW_ROWS: usize = 20;
/// Largest file accepted for import.
pub(crate) const MAX_IMPORT_BYTES: u64 = 200 * 1024 * 1024;

/// `GET /import`: the upload form.
pub(crate) async fn import_form(frame: Frame) -> Response {
    let page = ImportPage::new(&frame, frame.csrf(), ImportOptions::default());
    render(StatusCode::OK, &page)
}

/// What the form chose besides the file.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ImportChoice {
    #[serde(default)]
    format: String,
    #[serde(default)]
    dataset: String,
    #[serde(default)]
    mapping: String,
}

impl ImportChoice {
    fn options(&self) -> ImportOptions {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        ImportOptions {
            format: text(&self.format),
            dataset: text(&self.dataset),
            mapping_text: text(&self.mapping).map(|_| self.mapping.clone()),
            ..ImportOptions::default()
        }
    }
}

/// `POST /import?csrf=` (multipart): keeps the file and shows the preview.
pub(crate) async fn upload(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let tr = frame.tr;
    let bad = |frame: &Frame, message: String| {
        let mut page = ImportPage::new(frame, frame.csrf(), ImportOptions::default());
        page.errors.file = Some(message);
        render(StatusCode::BAD_REQUEST, &page)
    };
    let Ok(mut multipart) = multipart else { return bad(&frame, tr.t("error-form")) };
    let id = new_upload_id();
    let folder = match Uploads::folder() {
        Ok(f) => f.join(&id),
        Err(e) => return failure(&frame, AppError::Internal(format!("the upload folder: {e}"))),
    };
    let mut choice = ImportChoice::default();
    let mut stored: Option<(String, std::path::PathBuf, u64)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&folder);
                return bad(&frame, tr.t1("import-upload-broken", "reason", e.body_text()));
            }
        };
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_owned();
                if name.is_empty() {
                    continue;
                }
                match keep(field, &folder, &name).await {
                    Ok(Some((path, size))) => stored = Some((name, path, size)),
                    Ok(None) => {
                        let _ = std::fs::remove_dir_all(&folder);
                        return bad(&frame, tr.t1("import-too-large", "mib", MAX_IMPORT_BYTES / 1024 / 1024));
                    }
                    Err(message) => {
                        let _ = std::fs::remove_dir_all(&folder);
                        return bad(&frame, tr.t1("import-upload-broken", "reason", message));
                    }
                }
            }
            "format" => choice.format = field.text().await.unwrap_or_default(),
            "dataset" => choice.dataset = field.text().await.unwrap_or_default(),
            "mapping" => choice.mapping = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let Some((file_name, path, size)) = stored else { return bad(&frame, tr.t("import-no-file")) };
    let upload = Upload {
        id: id.clone(),
        owner: caller.actor(),
        file_name,
        path,
        size,
        options: choice.options(),
        state: JobState::Uploaded,
        at: Instant::now(),
    };
    s.uploads.add(upload.clone());
    preview_page(&s, &frame, upload).await
}

/// Streams an uploaded file to `folder/name`; `None` when it is too large.
async fn keep(
    mut field: axum::extract::multipart::Field<'_>,
    folder: &std::path::Path,
    name: &str,
) -> Result<Option<(std::path::PathBuf, u64)>, String> {
    tokio::fs::create_dir_all(folder).await.map_err(|e| e.to_string())?;
    let path = folder.join(safe_file_name(name));
    let mut file = tokio::fs::File::create(&path).await.map_err(|e| e.to_string())?;
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        size += chunk.len() as u64;
        if size > MAX_IMPORT_BYTES {
            return Ok(None);
        }
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    Ok(Some((path, size)))
}

/// The preview of an upload with its current options.
async fn preview_page(s: &AppState, frame: &Frame, upload: Upload) -> Response {
    let tr = frame.tr;
    let app = s.app.clone();
    let (path, options) = (upload.path.clone(), upload.options.clone());
    let preview = tokio::task::spawn_blocking(move || app.preview_import(&path, &options, PREVIEW_ROWS)).await;
    let mut page = ImportPage::new(frame, frame.csrf(), upload.options.clone());
    page.upload = Some((upload.id.clone(), upload.file_name.clone(), tr.number(upload.size)));
    match preview {
        Ok(Ok(p)) => page.preview = Some(preview_view(&tr, s.app.model(), &p)),
        Ok(Err(AppError::Invalid { field, message })) if field.as_deref() == Some("mapping") => {
            page.errors.mapping = Some(message)
        }
        Ok(Err(AppError::Invalid { field, message })) if field.as_deref() == Some("format") => {
            page.errors.format = Some(message)
        }
        Ok(Err(AppError::Invalid { field, message })) if field.as_deref() == Some("dataset") => {
            page.errors.dataset = Some(message)
        }
        Ok(Err(AppError::Invalid { message, .. } | AppError::File { reason: message, .. })) => {
            page.errors.file = Some(message)
        }
        Ok(Err(e)) => return failure(frame, e),
        Err(e) => return failure(frame, AppError::Internal(format!("the preview stopped: {e}"))),
    }
    let status = if page.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &page)
}

/// `POST /import/{id}/preview`: the preview again with other choices.
pub(crate) async fn repreview(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
    form: Result<Form<ImportChoice>, FormRejection>,
) -> Response {
    let Ok(Form(choice)) = form else {
        return error_page(&frame, StatusCode::BAD_REQUEST, &frame.tr.t("error-invalid"), frame.tr.t("error-form"));
    };
    let user = caller.actor();
    if !s.uploads.update(&id, &user, |u| u.options = choice.options()) {
        return not_found(&frame);
    }
    match s.uploads.get(&id, &user) {
        Some(upload) if matches!(upload.state, JobState::Uploaded) => preview_page(&s, &frame, upload).await,
        Some(_) => see_other(&format!("/import/{id}")),
        None => not_found(&frame),
    }
}

fn not_found(frame: &Frame) -> Response {
    error_page(frame, StatusCode::NOT_FOUND, &frame.tr.t("error-not-found"), frame.tr.t("import-no-such"))
}

/// `POST /import/{id}/start`: imports the upload in the background; goes
/// to its progress page. Without a stated purpose, asks for one first.
pub(crate) async fn start(
    State(s): State<AppState>,
    frame: Frame,
    CurrentAccess(access): CurrentAccess,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let user = access.caller.actor();
    let Some(upload) = s.uploads.get(&id, &user) else { return not_found(&frame) };
    if !matches!(upload.state, JobState::Uploaded) {
        return see_other(&format!("/import/{id}"));
    }
    if access.purpose.is_none() && matches!(access.caller, Caller::User { .. }) {
        // The purpose page comes back to the preview, from where the import starts.
        let back: Uri = format!("/import/{id}").parse().unwrap_or(uri);
        return page_failure(&frame, &back, AppError::PurposeRequired);
    }
    s.uploads.set_state(&id, JobState::Running(None));
    let (app, uploads) = (s.app.clone(), s.uploads.clone());
    tokio::spawn(async move {
        let job = id.clone();
        let progress_uploads = uploads.clone();
        let outcome = app
            .import_file(&access, &upload.path, &upload.options, move |p| {
                progress_uploads.set_state(&job, JobState::Running(Some(p)));
            })
            .await;
        let state = match outcome {
            Ok(summary) => {
                let rejects = std::fs::File::open(&summary.rejects_path)
                    .ok()
                    .and_then(|f| veza_app::read_rejects(f).ok())
                    .unwrap_or_default();
                JobState::Done(Box::new(summary), rejects)
            }
            Err(e) => JobState::Failed(e.to_string()),
        };
        remove_upload_files(&upload.path);
        uploads.set_state(&id, state);
    });
    see_other(&format!("/import/{}", upload.id))
}

/// `GET /import/{id}`: the import's progress, then its summary and rejects.
pub(crate) async fn job(
    State(s): State<AppState>,
    frame: Frame,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    let Some(upload) = s.uploads.get(&id, &caller.actor()) else { return not_found(&frame) };
    if matches!(upload.state, JobState::Uploaded) {
        return preview_page(&s, &frame, upload).await;
    }
    let status = ImportStatus::of(&frame.tr, &upload);
    render(StatusCode::OK, &ImportJobPage::new(&frame, upload.file_name.clone(), status))
}

/// `GET /import/{id}/status`: the progress region alone (htmx polls it).
pub(crate) async fn job_status(
    State(s): State<AppState>,
    tr: Tr,
    CurrentCaller(caller): CurrentCaller,
    Path(id): Path<String>,
) -> Response {
    match s.uploads.get(&id, &caller.actor()) {
        Some(upload) => render(StatusCode::OK, &ImportStatus::of(&tr, &upload)),
        None => (StatusCode::NOT_FOUND, "no such import\n").into_response(),
    }
}
