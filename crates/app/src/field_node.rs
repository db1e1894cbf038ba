//! The field node: a checkpoint's offline checker. It opens a snapshot
//! (verified against the issuer's public key, decrypted with the passphrase),
//! answers checks from it in memory, and keeps every check in a durable local
//! queue until the server has them.
//!
//! The queue is a folder: `queue.log` (one encrypted record a line, see
//! `veza_snapshot::seal_queue_record`; appended, `fsync`ed once per batch
//! before any answer is given), `sent` (the number of the last record the
//! server acknowledged, replaced atomically) and `snapshot` (the id of the
//! snapshot whose key encrypts the queue). A queue belongs to one snapshot:
//! a node started with a new snapshot while the old queue has unsent checks
//! refuses, and says to sync with the old snapshot first.

use crate::AppError;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use veza_snapshot::{FieldCheck, FieldHit, FieldIndex, Header, Scratch, SnapshotError};

/// Score at or above which a field check reports a hit (as the server's checks).
pub const FIELD_THRESHOLD: f64 = 0.7;

/// The person of a check, as terminals send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldPerson {
    /// Name as read.
    #[serde(default)]
    pub name: String,
    /// Birth date, `YYYY[-MM[-DD]]`.
    #[serde(default)]
    pub birth_date: String,
    /// Nationality, alpha-2.
    #[serde(default)]
    pub nationality: String,
    /// Gender.
    #[serde(default)]
    pub gender: String,
}

/// The document of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDocument {
    /// Number.
    #[serde(default)]
    pub number: String,
    /// Issuing country.
    #[serde(default)]
    pub country: String,
    /// Type (`passport`, `id_card`, …).
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// The vehicle of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldVehicle {
    /// Registration.
    #[serde(default)]
    pub registration: String,
    /// Registering country.
    #[serde(default)]
    pub country: String,
}

/// One check, in the shape of `POST /api/v1/operations/{id}/checks`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCheckInput {
    /// The checkpoint's code.
    #[serde(default)]
    pub checkpoint: String,
    /// The person.
    #[serde(default)]
    pub person: Option<FieldPerson>,
    /// The document.
    #[serde(default)]
    pub document: Option<FieldDocument>,
    /// The vehicle.
    #[serde(default)]
    pub vehicle: Option<FieldVehicle>,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl FieldCheckInput {
    /// The engine's check.
    pub fn to_check(&self) -> FieldCheck {
        let p = self.person.clone().unwrap_or_default();
        let d = self.document.clone().unwrap_or_default();
        let v = self.vehicle.clone().unwrap_or_default();
        FieldCheck {
            name: some(&p.name),
            birth_date: some(&p.birth_date),
            nationality: some(&p.nationality),
            gender: some(&p.gender),
            document_number: some(&d.number),
            document_country: some(&d.country),
            vehicle_registration: some(&v.registration),
            vehicle_country: some(&v.country),
        }
    }
}

/// A check kept in the queue: what was asked, when, and what the node answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedCheck {
    /// Its number in the queue (from 1).
    pub seq: u64,
    /// The id the server de-duplicates on: `field-<snapshot id>-<seq>`.
    pub client_ref: String,
    /// When it was made, unix seconds.
    pub checked_at: i64,
    /// The check.
    pub check: FieldCheckInput,
    /// `hit` or `no_hit`.
    pub result: String,
    /// The hits shown to the officer.
    pub hits: Vec<FieldHit>,
}

/// The canonical bytes of an upload, which its HMAC covers: for each check,
/// its client ref, time, checkpoint and every value, separated by unit and
/// record separators (the server rebuilds them from what it parsed).
pub fn upload_canonical(checks: &[(String, i64, FieldCheckInput)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (client_ref, checked_at, c) in checks {
        let p = c.person.clone().unwrap_or_default();
        let d = c.document.clone().unwrap_or_default();
        let v = c.vehicle.clone().unwrap_or_default();
        let checked_at = checked_at.to_string();
        let fields = [
            client_ref.as_str(),
            checked_at.as_str(),
            c.checkpoint.as_str(),
            &p.name,
            &p.birth_date,
            &p.nationality,
            &p.gender,
            &d.number,
            &d.country,
            &d.kind,
            &v.registration,
            &v.country,
        ];
        for f in fields {
            out.extend_from_slice(f.as_bytes());
            out.push(0x1f);
        }
        out.push(0x1e);
    }
    out
}

fn file_error(path: &Path, reason: impl ToString) -> AppError {
    AppError::File { path: path.display().to_string(), reason: reason.to_string() }
}

fn refused(e: SnapshotError) -> AppError {
    AppError::Forbidden(e.to_string())
}

/// An open field node.
pub struct FieldNode {
    header: Header,
    signed_header: Vec<u8>,
    snapshot_key: [u8; 32],
    index: FieldIndex,
    queue_dir: PathBuf,
    /// The queue file and the number of records in it.
    queue: Mutex<(std::fs::File, u64)>,
}

impl std::fmt::Debug for FieldNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldNode").field("snapshot", &self.header.id_hex()).field("queue", &self.queue_dir).finish()
    }
}

impl FieldNode {
    /// Opens the snapshot in `bytes` (verified with `trusted`, at `now`) and
    /// the queue in `queue_dir` (made if missing).
    pub fn open(
        bytes: &[u8],
        trusted: &ed25519_dalek::VerifyingKey,
        passphrase: &str,
        queue_dir: &Path,
        now: i64,
    ) -> Result<FieldNode, AppError> {
        let opened = veza_snapshot::open(bytes, trusted, now, passphrase).map_err(refused)?;
        let signed_header = veza_snapshot::signed_header(bytes).map_err(refused)?.to_vec();
        std::fs::create_dir_all(queue_dir).map_err(|e| file_error(queue_dir, e))?;
        let id = opened.header.id_hex();
        let id_path = queue_dir.join("snapshot");
        let log_path = queue_dir.join("queue.log");
        match std::fs::read_to_string(&id_path) {
            Ok(old) if old.trim() != id => {
                let records = count_lines(&log_path)?;
                let sent = read_sent(queue_dir)?;
                if records > sent {
                    return Err(AppError::Conflict(format!(
                        "the queue in {} holds {} unsent checks of snapshot {}: run `veza field sync` with that snapshot first",
                        queue_dir.display(),
                        records - sent,
                        old.trim()
                    )));
                }
                let done = queue_dir.join(format!("queue-{}.sent.log", old.trim()));
                if log_path.exists() {
                    std::fs::rename(&log_path, &done).map_err(|e| file_error(&log_path, e))?;
                }
                write_atomically(&queue_dir.join("sent"), "0\n")?;
                write_atomically(&id_path, &format!("{id}\n"))?;
            }
            Ok(_) => {}
            Err(_) => {
                write_atomically(&id_path, &format!("{id}\n"))?;
                write_atomically(&queue_dir.join("sent"), "0\n")?;
            }
        }
        let records = count_lines(&log_path)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| file_error(&log_path, e))?;
        let index = FieldIndex::build(opened.contents);
        Ok(FieldNode {
            header: opened.header,
            signed_header,
            snapshot_key: opened.snapshot_key,
            index,
            queue_dir: queue_dir.to_owned(),
            queue: Mutex::new((file, records)),
        })
    }

    /// The snapshot's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The signed header, sent with every upload.
    pub fn signed_header(&self) -> &[u8] {
        &self.signed_header
    }

    /// Entries held.
    pub fn entries(&self) -> u64 {
        self.index.entries()
    }

    /// Answers a batch of checks at `now` (unix seconds) and appends them to
    /// the queue, synced to disk before returning. Refused once the snapshot
    /// has expired, and for another checkpoint than the snapshot's.
    pub fn check(&self, checks: &[FieldCheckInput], now: i64) -> Result<Vec<QueuedCheck>, AppError> {
        if now >= self.header.expires_at {
            return Err(refused(SnapshotError::Expired { expired_at: self.header.expires_at, now }));
        }
        let mut scratch = Scratch::default();
        let mut answers = Vec::with_capacity(checks.len());
        for (i, c) in checks.iter().enumerate() {
            if !c.checkpoint.is_empty() && c.checkpoint != self.header.checkpoint {
                return Err(AppError::Invalid {
                    field: Some(format!("checks[{i}].checkpoint")),
                    message: format!(
                        "this field node holds the snapshot of checkpoint {}, not {}",
                        self.header.checkpoint, c.checkpoint
                    ),
                });
            }
            let hits = self
                .index
                .check_with(&c.to_check(), FIELD_THRESHOLD, &mut scratch)
                .map_err(|e| AppError::Invalid { field: Some(format!("checks[{i}]")), message: e.to_string() })?;
            let mut check = c.clone();
            check.checkpoint = self.header.checkpoint.clone();
            answers.push(QueuedCheck {
                seq: 0,
                client_ref: String::new(),
                checked_at: now,
                check,
                result: if hits.is_empty() { "no_hit" } else { "hit" }.to_owned(),
                hits,
            });
        }
        let mut queue = self.queue.lock().map_err(|_| AppError::Internal("queue lock poisoned".into()))?;
        let mut lines = String::new();
        for (k, a) in answers.iter_mut().enumerate() {
            a.seq = queue.1 + 1 + k as u64;
            a.client_ref = format!("field-{}-{}", self.header.id_hex(), a.seq);
            let plain = serde_json::to_vec(&a).map_err(|e| AppError::Internal(e.to_string()))?;
            lines.push_str(&veza_snapshot::seal_queue_record(&self.snapshot_key, a.seq, &plain).map_err(refused)?);
            lines.push('\n');
        }
        let path = self.queue_dir.join("queue.log");
        queue.0.write_all(lines.as_bytes()).and_then(|_| queue.0.sync_data()).map_err(|e| file_error(&path, e))?;
        queue.1 += answers.len() as u64;
        Ok(answers)
    }

    /// The checks the server has not acknowledged yet, oldest first.
    pub fn pending(&self) -> Result<Vec<QueuedCheck>, AppError> {
        let _guard = self.queue.lock().map_err(|_| AppError::Internal("queue lock poisoned".into()))?;
        let sent = read_sent(&self.queue_dir)?;
        let path = self.queue_dir.join("queue.log");
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(file_error(&path, e)),
        };
        let mut out = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let seq = i as u64 + 1;
            let line = line.map_err(|e| file_error(&path, e))?;
            if seq <= sent {
                continue;
            }
            let plain = veza_snapshot::open_queue_record(&self.snapshot_key, seq, &line)
                .map_err(|e| file_error(&path, format!("line {seq}: {e}")))?;
            let record: QueuedCheck = serde_json::from_slice(&plain)
                .map_err(|e| file_error(&path, format!("line {seq}: not a queued check: {e}")))?;
            out.push(record);
        }
        Ok(out)
    }

    /// Records that the server has every check up to `seq`.
    pub fn mark_sent(&self, seq: u64) -> Result<(), AppError> {
        let _guard = self.queue.lock().map_err(|_| AppError::Internal("queue lock poisoned".into()))?;
        let sent = read_sent(&self.queue_dir)?;
        if seq > sent {
            write_atomically(&self.queue_dir.join("sent"), &format!("{seq}\n"))?;
        }
        Ok(())
    }

    /// The HMAC an upload of `checks` carries.
    pub fn upload_code(&self, checks: &[(String, i64, FieldCheckInput)]) -> String {
        veza_snapshot::upload_mac(&self.snapshot_key, &upload_canonical(checks))
    }
}

fn count_lines(path: &Path) -> Result<u64, AppError> {
    match std::fs::File::open(path) {
        Ok(f) => {
            let mut n = 0;
            for line in std::io::BufReader::new(f).lines() {
                line.map_err(|e| file_error(path, e))?;
                n += 1;
            }
            Ok(n)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(file_error(path, e)),
    }
}

fn read_sent(dir: &Path) -> Result<u64, AppError> {
    let path = dir.join("sent");
    match std::fs::read_to_string(&path) {
        Ok(s) => s.trim().parse().map_err(|_| file_error(&path, "expected the number of the last record sent")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(file_error(&path, e)),
    }
}

/// Writes a small file through a temporary one, synced and renamed.
fn write_atomically(path: &Path, text: &str) -> Result<(), AppError> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp).map_err(|e| file_error(&tmp, e))?;
        f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(|e| file_error(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| file_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use veza_snapshot::{Contents, Issue, KdfParams, ListedPerson};

    const NOW: i64 = 1_800_000_000;

    fn snapshot(key: &ed25519_dalek::SigningKey) -> Vec<u8> {
        let mut c = Contents::default();
        let (w, i) = (c.watchlist_number("notices"), c.instruction_number("do not arrest; contact NCB Skopje"));
        c.persons.push(ListedPerson {
            person: veza_screen::Person::named("n1", "Dragan Stojanović"),
            watchlist: w,
            instruction: i,
        });
        let issue = Issue {
            operation: "op-1".into(),
            checkpoint: "cp-1".into(),
            country: Some("mk".into()),
            exported_by: "test".into(),
            issued_at: NOW,
            expires_at: NOW + 3600,
            kdf: KdfParams::insecure_for_tests(),
        };
        veza_snapshot::seal(&c, &issue, key, "a long passphrase").unwrap()
    }

    fn check(name: &str) -> FieldCheckInput {
        FieldCheckInput {
            checkpoint: "cp-1".into(),
            person: Some(FieldPerson { name: name.into(), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn checks_are_answered_queued_and_kept_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let file = snapshot(&key);
        let node = FieldNode::open(&file, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        let answers = node.check(&[check("DRAGAN STOJANOVIC"), check("Ana Kovač")], NOW + 10).unwrap();
        assert_eq!((answers[0].result.as_str(), answers[1].result.as_str()), ("hit", "no_hit"));
        assert_eq!(answers[0].hits[0].instruction, "do not arrest; contact NCB Skopje");
        assert_eq!(answers[1].seq, 2);
        drop(node);
        let log = std::fs::read_to_string(dir.path().join("queue.log")).unwrap();
        assert!(!log.contains("DRAGAN"), "the queue is encrypted");
        let node = FieldNode::open(&file, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        let pending = node.pending().unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].client_ref, format!("field-{}-1", node.header().id_hex()));
        node.mark_sent(1).unwrap();
        assert_eq!(node.pending().unwrap().len(), 1);
        let third = node.check(&[check("Ana")], NOW + 20).unwrap();
        assert_eq!(third[0].seq, 3, "numbers go on after a restart");
        // expired: no more answers
        assert!(
            matches!(node.check(&[check("Ana")], NOW + 3600), Err(AppError::Forbidden(m)) if m.contains("expired"))
        );
        // another checkpoint
        let mut other = check("Ana");
        other.checkpoint = "cp-2".into();
        assert!(matches!(node.check(&[other], NOW + 30), Err(AppError::Invalid { .. })));
    }

    #[test]
    fn a_new_snapshot_waits_for_the_old_queue_to_be_sent() {
        let dir = tempfile::tempdir().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let old = snapshot(&key);
        let node = FieldNode::open(&old, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        node.check(&[check("Ana")], NOW).unwrap();
        drop(node);
        let new = snapshot(&key);
        let err = FieldNode::open(&new, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap_err();
        assert!(matches!(err, AppError::Conflict(m) if m.contains("1 unsent")));
        let node = FieldNode::open(&old, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        node.mark_sent(1).unwrap();
        drop(node);
        let node = FieldNode::open(&new, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        assert!(node.pending().unwrap().is_empty());
        assert_eq!(node.check(&[check("Ana")], NOW).unwrap()[0].seq, 1);
    }

    #[test]
    fn a_tampered_queue_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let file = snapshot(&key);
        let node = FieldNode::open(&file, &key.verifying_key(), "a long passphrase", dir.path(), NOW).unwrap();
        node.check(&[check("Ana"), check("Marko")], NOW).unwrap();
        let path = dir.path().join("queue.log");
        let log = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        std::fs::write(&path, format!("{}\n{}\n", lines[1], lines[0])).unwrap();
        let err = node.pending().unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
