//! The audit log's use cases: the signing key (a file outside the database),
//! signing the chain head, verifying the whole log in pages, searching it.

use crate::{Access, AppError, Veza};
use ed25519_dalek::{SigningKey, VerifyingKey};
use std::path::{Path, PathBuf};
use veza_model::Role;
use veza_store::Caller;
use veza_store::audit::{AuditAction, AuditOutcome};
use veza_store::audit::{AuditCheckpoint, AuditEntry, AuditFilter, ChainVerifier, NewAuditEntry, Tamper, VerifyReport};

/// Entries read per page when verifying.
pub const VERIFY_PAGE: u32 = 10_000;

/// The Ed25519 key that signs audit checkpoints. It lives in a file outside
/// the database (mode 0600), so someone who can rewrite the database cannot
/// re-sign a rewritten chain; its public half is beside it, as hex.
pub struct AuditKey {
    key: SigningKey,
    path: PathBuf,
}

impl std::fmt::Debug for AuditKey {
    /// Never the secret: the file and the public key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("path", &self.path)
            .field("public", &hex::encode(self.key.verifying_key().as_bytes()))
            .finish()
    }
}

fn file_error(path: &Path, reason: impl ToString) -> AppError {
    AppError::File { path: path.display().to_string(), reason: reason.to_string() }
}

fn read_hex32(path: &Path) -> Result<[u8; 32], AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    veza_store::audit::parse_hash(&text).ok_or_else(|| file_error(path, "expected 64 hex digits (an Ed25519 key)"))
}

impl AuditKey {
    /// Where the key is kept by default: `<data-dir>/audit-signing.key`.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("audit-signing.key")
    }

    /// The public key file beside a signing key file (`.pub`).
    pub fn public_path(key_path: &Path) -> PathBuf {
        key_path.with_extension("pub")
    }

    /// Loads the key at `path`, or makes a new one there (and its `.pub`)
    /// when there is none.
    pub fn load_or_create(path: &Path) -> Result<AuditKey, AppError> {
        if path.exists() { AuditKey::load(path) } else { AuditKey::create(path) }
    }

    /// Loads the key at `path`; refuses a key file others may read.
    pub fn load(path: &Path) -> Result<AuditKey, AppError> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_err(|e| file_error(path, e))?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(file_error(
                    path,
                    format!(
                        "the audit signing key is readable by others (mode {:o}): run chmod 600 on it",
                        mode & 0o777
                    ),
                ));
            }
        }
        Ok(AuditKey { key: SigningKey::from_bytes(&read_hex32(path)?), path: path.to_owned() })
    }

    /// Makes a new key at `path` (mode 0600; never over an existing file)
    /// and writes its public half beside it.
    pub fn create(path: &Path) -> Result<AuditKey, AppError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| file_error(path, format!("no randomness for a key: {e}")))?;
        let key = SigningKey::from_bytes(&secret);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        {
            use std::io::Write;
            let mut f = options.open(path).map_err(|e| file_error(path, e))?;
            writeln!(f, "{}", hex::encode(secret)).and_then(|_| f.sync_all()).map_err(|e| file_error(path, e))?;
        }
        let public = AuditKey::public_path(path);
        std::fs::write(&public, format!("{}\n", hex::encode(key.verifying_key().as_bytes())))
            .map_err(|e| file_error(&public, e))?;
        Ok(AuditKey { key, path: path.to_owned() })
    }

    /// The public key, for verification.
    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The signing key itself (field snapshots are signed with it too).
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Where the key file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A filter in words, for the audit entry that records its use.
fn describe(filter: &AuditFilter) -> String {
    let mut parts = Vec::new();
    if let Some(u) = &filter.user {
        parts.push(format!("user {u}"));
    }
    if let Some(e) = &filter.entity {
        parts.push(format!("entity {e}"));
    }
    if let Some(a) = filter.action {
        parts.push(format!("action {}", a.as_str()));
    }
    if let Some(f) = filter.from {
        parts.push(format!("from {f}"));
    }
    if let Some(t) = filter.to {
        parts.push(format!("to {t}"));
    }
    if parts.is_empty() { "everything".to_owned() } else { parts.join(", ") }
}

/// A hash as hex, for messages.
pub fn hex_hash(hash: &[u8; 32]) -> String {
    hex::encode(hash)
}

/// Reads a public key file (64 hex digits).
pub fn load_public_key(path: &Path) -> Result<VerifyingKey, AppError> {
    VerifyingKey::from_bytes(&read_hex32(path)?)
        .map_err(|e| file_error(path, format!("not an Ed25519 public key: {e}")))
}

impl Veza {
    /// Appends an entry to the audit log.
    pub async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry, AppError> {
        Ok(self.store.append(entry).await?)
    }

    /// Signs the head of the audit log and stores the checkpoint; `None`
    /// when the log is empty.
    pub async fn checkpoint_audit(&self, key: &AuditKey) -> Result<Option<AuditCheckpoint>, AppError> {
        let Some((seq, hash)) = self.store.audit_head().await? else { return Ok(None) };
        let at = chrono::Utc::now().timestamp_micros();
        let checkpoint = AuditCheckpoint::sign(&key.key, seq, hash, at);
        self.store.add_checkpoint(&checkpoint).await?;
        Ok(Some(checkpoint))
    }

    /// Verifies the whole audit log, reading it in pages of
    /// [`VERIFY_PAGE`]; `progress(checked, total)` after each page. The
    /// outer error is a failure to read; the inner one what was tampered
    /// with. Without a public key, only a log without checkpoints verifies.
    pub async fn verify_audit(
        &self,
        public_key: Option<&VerifyingKey>,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Result<VerifyReport, Tamper>, AppError> {
        let checkpoints = self.store.checkpoints().await?;
        let unused;
        let key = match public_key {
            Some(k) => k,
            None if checkpoints.is_empty() => {
                unused = SigningKey::from_bytes(&[0; 32]).verifying_key();
                &unused
            }
            None => {
                return Err(AppError::Invalid {
                    field: Some("key".into()),
                    message: "the audit log has signed checkpoints: give the public key (--key) to check them".into(),
                });
            }
        };
        let total = self.store.audit_head().await?.map_or(0, |(seq, _)| seq.max(0) as u64);
        let mut verifier = match ChainVerifier::new(checkpoints, key) {
            Ok(v) => v,
            Err(t) => return Ok(Err(t)),
        };
        let (mut from, mut checked) = (i64::MIN, 0u64);
        loop {
            let page = self.store.entries(from, VERIFY_PAGE).await?;
            let Some(last) = page.last() else { break };
            from = last.seq.saturating_add(1);
            checked += page.len() as u64;
            if let Err(t) = verifier.feed(&page) {
                return Ok(Err(t));
            }
            progress(checked, total);
            if page.len() < VERIFY_PAGE as usize {
                break;
            }
        }
        Ok(verifier.finish())
    }

    /// Entries of the audit log matching the filter, newest first.
    pub async fn search_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.search_audit(filter).await?)
    }

    /// The audit trail as a data-protection officer reads it: entries
    /// matching `filter`, newest first. Only data-protection officers (and
    /// the platform itself) may; the reading is itself written to the log
    /// (a consultation naming the filter), so the watchers are watched too.
    pub async fn audit_trail(&self, access: &Access, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
        if let Caller::User { roles, .. } = &access.caller
            && !roles.contains(&Role::DataProtectionOfficer)
        {
            self.audit_access(access, AuditAction::Consult, Vec::new(), AuditOutcome::Denied, "audit trail").await?;
            return Err(AppError::Forbidden("only data-protection officers read the audit trail".into()));
        }
        let detail = format!("audit trail: {}", describe(filter));
        self.purpose_of(access, AuditAction::Consult, &[], &detail).await?;
        let entries = self.store.search_audit(filter).await?;
        let ids = filter.entity.iter().cloned().collect();
        self.audit_access(access, AuditAction::Consult, ids, AuditOutcome::Ok, &detail).await?;
        Ok(entries)
    }

    /// Where the audit log stands: its last entry (sequence number, hash)
    /// and its newest signed checkpoint (sequence number, time), if any.
    pub async fn audit_status(&self) -> Result<(Option<(i64, String)>, Option<(i64, i64)>), AppError> {
        let head = self.store.audit_head().await?.map(|(seq, hash)| (seq, hex_hash(&hash)));
        let checkpoint = self.store.checkpoints().await?.into_iter().max_by_key(|c| c.seq).map(|c| (c.seq, c.at));
        Ok((head, checkpoint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use veza_store::audit::{AuditAction, AuditOutcome};

    fn entry(i: usize) -> NewAuditEntry {
        NewAuditEntry {
            actor: "ana".into(),
            agency: "rs-bp".into(),
            action: AuditAction::Consult,
            entity_ids: vec![format!("p{i}")],
            outcome: AuditOutcome::Ok,
            purpose: "case 1".into(),
            detail: String::new(),
        }
    }

    #[test]
    fn a_key_is_made_once_with_0600_and_its_public_half_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = AuditKey::default_path(dir.path());
        let made = AuditKey::load_or_create(&path).unwrap();
        let again = AuditKey::load_or_create(&path).unwrap();
        assert_eq!(made.public_key(), again.public_key());
        assert_eq!(load_public_key(&AuditKey::public_path(&path)).unwrap(), made.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(AuditKey::load(&path).unwrap_err().to_string().contains("chmod 600"));
        }
    }

    #[tokio::test]
    async fn checkpoints_and_paged_verification() {
        let veza = Veza::open("sqlite::memory:").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key = AuditKey::load_or_create(&AuditKey::default_path(dir.path())).unwrap();
        assert!(veza.checkpoint_audit(&key).await.unwrap().is_none());
        let n = VERIFY_PAGE as usize + 5;
        veza.store().append_many((0..n).map(entry).collect()).await.unwrap();
        let cp = veza.checkpoint_audit(&key).await.unwrap().unwrap();
        assert_eq!(cp.seq, n as i64);
        let mut pages = Vec::new();
        let report = veza.verify_audit(Some(&key.public_key()), |done, total| pages.push((done, total))).await.unwrap();
        assert_eq!(report.unwrap().entries, n as u64);
        assert_eq!(pages, [(VERIFY_PAGE as u64, n as u64), (n as u64, n as u64)]);

        // Without the key: refused, since there are checkpoints.
        assert!(veza.verify_audit(None, |_, _| {}).await.is_err());
        // With another key: the checkpoint's signature is bad.
        let other = AuditKey::create(&dir.path().join("other.key")).unwrap();
        let verdict = veza.verify_audit(Some(&other.public_key()), |_, _| {}).await.unwrap();
        assert_eq!(verdict, Err(Tamper::BadSignature { checkpoint_seq: n as i64 }));
    }
}
