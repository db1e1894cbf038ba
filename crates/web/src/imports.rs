//! Imports from the web: a file uploaded once, previewed with a mapping
//! (chosen, written or changed and previewed again), then imported in the
//! background while the page shows its progress. Each upload belongs to the
//! user who sent it: anyone else is told it does not exist. The file is kept
//! in a private folder of the machine's temporary directory and deleted
//! when the import ends or the upload is abandoned for a day.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use veza_app::{ImportOptions, ImportSummary, Progress, Reject};

/// Uploads older than this, not imported, are deleted.
const ABANDONED: Duration = Duration::from_secs(24 * 3600);

/// Where an import stands.
#[derive(Debug, Clone)]
pub(crate) enum JobState {
    /// Uploaded, being previewed; not started.
    Uploaded,
    /// Importing: the last progress seen.
    Running(Option<Progress>),
    /// Done: the summary and the refused rows, read from the rejects report
    /// once when the import ended (the report is deleted with the upload).
    Done(Box<ImportSummary>, Vec<Reject>),
    /// Stopped by an error (the message says what to do).
    Failed(String),
}

/// One upload and its import.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    /// Random id (128 bits, hex).
    pub(crate) id: String,
    /// Who sent it: the only user who may see it.
    pub(crate) owner: String,
    /// The file name as the browser gave it (shown, never used as a path).
    pub(crate) file_name: String,
    /// Where it is stored.
    pub(crate) path: PathBuf,
    /// Bytes.
    pub(crate) size: u64,
    /// Format, mapping and dataset as last chosen.
    pub(crate) options: ImportOptions,
    /// Where it stands.
    pub(crate) state: JobState,
    /// When it was sent.
    pub(crate) at: Instant,
}

/// The uploads of this server process.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    by_id: Mutex<HashMap<String, Upload>>,
}

impl Uploads {
    /// The private folder uploads go to (created on first use, owner-only).
    pub(crate) fn folder() -> std::io::Result<PathBuf> {
        let dir = std::env::temp_dir().join("veza-uploads");
        std::fs::create_dir_all(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(dir)
    }

    /// Keeps a new upload.
    pub(crate) fn add(&self, upload: Upload) {
        let mut map = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        let stale: Vec<String> = map
            .values()
            .filter(|u| matches!(u.state, JobState::Uploaded) && u.at.elapsed() > ABANDONED)
            .map(|u| u.id.clone())
            .collect();
        for id in stale {
            if let Some(u) = map.remove(&id) {
                remove_upload_files(&u.path);
            }
        }
        map.insert(upload.id.clone(), upload);
    }

    /// The upload `id` if `user` sent it.
    pub(crate) fn get(&self, id: &str, user: &str) -> Option<Upload> {
        let map = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        map.get(id).filter(|u| u.owner == user).cloned()
    }

    /// Changes upload `id` (sent by `user`); false when there is none.
    pub(crate) fn update(&self, id: &str, user: &str, change: impl FnOnce(&mut Upload)) -> bool {
        let mut map = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(id).filter(|u| u.owner == user) {
            Some(u) => {
                change(u);
                true
            }
            None => false,
        }
    }

    /// Sets the state of upload `id`, whoever sent it (the import task).
    pub(crate) fn set_state(&self, id: &str, state: JobState) {
        let mut map = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = map.get_mut(id) {
            u.state = state;
        }
    }
}

/// Deletes an upload's folder: the file and its rejects report (both hold
/// personal data). Only a folder of [`Uploads::folder`] is ever removed.
pub(crate) fn remove_upload_files(path: &Path) {
    let Some(folder) = path.parent() else { return };
    let inside = Uploads::folder().is_ok_and(|root| folder.parent() == Some(root.as_path()));
    if !inside {
        tracing::warn!(path = %path.display(), "not an upload folder: left in place");
        return;
    }
    if let Err(e) = std::fs::remove_dir_all(folder)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(folder = %folder.display(), error = %e, "an upload could not be deleted");
    }
}

/// A new random upload id: 128 bits, hex.
pub(crate) fn new_upload_id() -> String {
    let mut bytes = [0u8; 16];
    if let Err(e) = getrandom::fill(&mut bytes) {
        panic!("the operating system's random number generator failed: {e}");
    }
    hex::encode(bytes)
}

/// A file name safe to keep on disk: the last path part, letters, digits,
/// `.`, `-` and `_` only, at most 100 characters, never empty or hidden.
pub(crate) fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(100)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "upload".to_owned() } else { cleaned }
}

/// Shared handle.
pub(crate) type SharedUploads = Arc<Uploads>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_escape_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name(r"C:\Users\x\list 2026.csv"), "list_2026.csv");
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name(""), "upload");
        assert_eq!(safe_file_name("Списак.xlsx"), "______.xlsx");
    }

    #[test]
    fn an_upload_is_only_its_senders() {
        let uploads = Uploads::default();
        uploads.add(Upload {
            id: "u1".into(),
            owner: "ana".into(),
            file_name: "a.csv".into(),
            path: PathBuf::from("/nonexistent/a.csv"),
            size: 3,
            options: ImportOptions::default(),
            state: JobState::Uploaded,
            at: Instant::now(),
        });
        assert!(uploads.get("u1", "ana").is_some());
        assert!(uploads.get("u1", "boris").is_none());
        assert!(!uploads.update("u1", "boris", |u| u.size = 9));
        assert!(uploads.update("u1", "ana", |u| u.size = 9));
        assert_eq!(uploads.get("u1", "ana").map(|u| u.size), Some(9));
    }
}
