//! The audit log (EU Directive 2016/680, Art. 25): every collection,
//! alteration, consultation, disclosure, combination and erasure of personal
//! data, hash-chained and signed. Implemented by each back end in
//! `sqlite_audit.rs` and `postgres_audit.rs`.
//!
//! The chain: each entry's `hash` is SHA-256 of the previous entry's hash
//! followed by the entry's canonical encoding (every field but the hash,
//! length-prefixed, in a fixed order); the first entry follows 32 zero bytes.
//! Checkpoints are Ed25519 signatures over (seq, hash) of the chain head,
//! made with a key kept outside the database, so whoever can write the
//! database can still not rewrite the chain up to a checkpoint unnoticed.
//!
//! Everything in this module but the [`AuditLog`] trait is pure: no I/O.

use crate::error::StoreError;
use async_trait::async_trait;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash the first entry follows.
pub const GENESIS: Hash = [0; 32];

/// Domain separation of the encodings, so a hash or signature of one thing
/// can never be passed off as another (and a new format gets a new tag).
const ENTRY_TAG: &[u8] = b"veza-audit-entry-v1";
const CHECKPOINT_TAG: &[u8] = b"veza-audit-checkpoint-v1";

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Records were taken in (import, form, API).
    Collect,
    /// Records were changed.
    Alter,
    /// Personal data was read (a record opened, search results shown).
    Consult,
    /// Data left the caller's hands (export, share).
    Disclose,
    /// Records were combined (merge, link).
    Combine,
    /// Records were deleted.
    Erase,
    /// A user logged in.
    Login,
    /// A user logged out.
    Logout,
    /// A log-in failed.
    LoginFailed,
    /// Access was granted (a role, a share).
    Grant,
    /// A request was refused (or access withdrawn).
    Refuse,
    /// Access to a record was asked of its owner.
    Request,
}

impl AuditAction {
    /// Every action, in declaration order.
    pub const ALL: [AuditAction; 12] = [
        AuditAction::Collect,
        AuditAction::Alter,
        AuditAction::Consult,
        AuditAction::Disclose,
        AuditAction::Combine,
        AuditAction::Erase,
        AuditAction::Login,
        AuditAction::Logout,
        AuditAction::LoginFailed,
        AuditAction::Grant,
        AuditAction::Refuse,
        AuditAction::Request,
    ];

    /// The name as stored and hashed (`login_failed`).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Collect => "collect",
            AuditAction::Alter => "alter",
            AuditAction::Consult => "consult",
            AuditAction::Disclose => "disclose",
            AuditAction::Combine => "combine",
            AuditAction::Erase => "erase",
            AuditAction::Login => "login",
            AuditAction::Logout => "logout",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Grant => "grant",
            AuditAction::Refuse => "refuse",
            AuditAction::Request => "request",
        }
    }

    /// The action named `s` (as [`AuditAction::as_str`] writes it).
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// It was done.
    Ok,
    /// The policy refused it.
    Denied,
    /// It failed.
    Failed,
}

impl AuditOutcome {
    /// Every outcome.
    pub const ALL: [AuditOutcome; 3] = [AuditOutcome::Ok, AuditOutcome::Denied, AuditOutcome::Failed];

    /// The name as stored and hashed.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Failed => "failed",
        }
    }

    /// The outcome named `s`.
    pub fn parse(s: &str) -> Option<AuditOutcome> {
        AuditOutcome::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for AuditOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entry to append: the store gives it its seq, time and hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    /// A username, or `system:<name>` for the platform itself.
    pub actor: String,
    /// The actor's agency (empty for the platform itself).
    pub agency: String,
    /// What was done.
    pub action: AuditAction,
    /// The entities concerned.
    pub entity_ids: Vec<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// Why: a case reference or a reason the user gave.
    pub purpose: String,
    /// Anything else worth keeping (a query, a file name).
    pub detail: String,
}

/// An entry of the log, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When, in microseconds since 1970 UTC.
    pub at: i64,
    /// A username, or `system:<name>`.
    pub actor: String,
    /// The actor's agency.
    pub agency: String,
    /// What was done.
    pub action: AuditAction,
    /// The entities concerned.
    pub entity_ids: Vec<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// Why.
    pub purpose: String,
    /// Anything else.
    pub detail: String,
    /// The hash of the entry before (or [`GENESIS`]).
    #[serde(with = "hex_hash")]
    pub prev_hash: Hash,
    /// SHA-256 of `prev_hash` and the canonical encoding of this entry.
    #[serde(with = "hex_hash")]
    pub hash: Hash,
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        super::parse_hash(&s).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

/// 64 hex digits as a hash.
pub fn parse_hash(s: &str) -> Option<Hash> {
    hex::decode(s.trim()).ok()?.try_into().ok()
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u64).to_be_bytes());
    out.extend_from_slice(b);
}

impl AuditEntry {
    /// Makes entry `seq` at time `at` following `prev_hash`, with its hash.
    pub fn seal(seq: i64, at: i64, new: NewAuditEntry, prev_hash: Hash) -> AuditEntry {
        let NewAuditEntry { actor, agency, action, entity_ids, outcome, purpose, detail } = new;
        let mut e = AuditEntry {
            seq,
            at,
            actor,
            agency,
            action,
            entity_ids,
            outcome,
            purpose,
            detail,
            prev_hash,
            hash: GENESIS,
        };
        e.hash = e.computed_hash();
        e
    }

    /// The canonical encoding of every field but `prev_hash` and `hash`:
    /// a format tag, then each field in declaration order, integers as 8
    /// big-endian bytes, strings as 8-byte length and UTF-8 bytes, the
    /// entity ids as a count and each id. Deterministic and unambiguous.
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.purpose.len() + self.detail.len());
        put_bytes(&mut out, ENTRY_TAG);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at.to_be_bytes());
        put_bytes(&mut out, self.actor.as_bytes());
        put_bytes(&mut out, self.agency.as_bytes());
        put_bytes(&mut out, self.action.as_str().as_bytes());
        out.extend_from_slice(&(self.entity_ids.len() as u64).to_be_bytes());
        for id in &self.entity_ids {
            put_bytes(&mut out, id.as_bytes());
        }
        put_bytes(&mut out, self.outcome.as_str().as_bytes());
        put_bytes(&mut out, self.purpose.as_bytes());
        put_bytes(&mut out, self.detail.as_bytes());
        out
    }

    /// SHA-256(`prev_hash` || canonical encoding): what `hash` must be.
    pub fn computed_hash(&self) -> Hash {
        let mut h = Sha256::new();
        h.update(self.prev_hash);
        h.update(self.canonical());
        h.finalize().into()
    }

    /// The time as a date.
    pub fn at_utc(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_micros(self.at).unwrap_or_default()
    }
}

/// A signed chain head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCheckpoint {
    /// The seq of the head entry signed.
    pub seq: i64,
    /// Its hash.
    pub hash: Hash,
    /// Ed25519 signature over [`checkpoint_message`]`(seq, hash)`.
    pub signature: [u8; 64],
    /// When it was made, in microseconds since 1970 UTC (not signed).
    pub at: i64,
}

/// The bytes a checkpoint signs.
pub fn checkpoint_message(seq: i64, hash: &Hash) -> Vec<u8> {
    let mut m = Vec::with_capacity(CHECKPOINT_TAG.len() + 40);
    m.extend_from_slice(CHECKPOINT_TAG);
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(hash);
    m
}

impl AuditCheckpoint {
    /// Signs the head `(seq, hash)`.
    pub fn sign(key: &SigningKey, seq: i64, hash: Hash, at: i64) -> AuditCheckpoint {
        let signature = key.sign(&checkpoint_message(seq, &hash)).to_bytes();
        AuditCheckpoint { seq, hash, signature, at }
    }

    /// Whether the signature is `key`'s over `(seq, hash)`.
    pub fn signed_by(&self, key: &VerifyingKey) -> bool {
        key.verify(&checkpoint_message(self.seq, &self.hash), &Signature::from_bytes(&self.signature)).is_ok()
    }
}

/// What a verification found wrong: the first place where the log is not
/// what was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// A checkpoint's signature is not the audit key's.
    BadSignature {
        /// The seq the checkpoint claims to sign.
        checkpoint_seq: i64,
    },
    /// The entry's content or hashes do not match its hash.
    Altered {
        /// The entry.
        seq: i64,
    },
    /// The entry is intact in itself but does not follow the entry before
    /// it: something before it was replaced, inserted or removed.
    Unlinked {
        /// The entry.
        seq: i64,
    },
    /// The entry is missing: the next one stored has a later seq.
    Removed {
        /// The first missing seq.
        seq: i64,
        /// The seq found in its place (none when the log ends there).
        found: Option<i64>,
    },
    /// An entry stands where another should be: entries were reordered
    /// or duplicated.
    Reordered {
        /// The seq expected at this place.
        seq: i64,
        /// The seq found there.
        found: i64,
    },
    /// The entry at a signed checkpoint is not the one that was signed.
    CheckpointMismatch {
        /// The seq of the checkpoint.
        seq: i64,
    },
    /// The log ends before its last signed checkpoint: its tail was cut.
    Truncated {
        /// The last seq present (0 for an empty log).
        last_seq: i64,
        /// The seq of the last checkpoint.
        checkpoint_seq: i64,
    },
}

impl Tamper {
    /// The seq of the first entry at fault (for a bad signature, the seq the
    /// checkpoint names; for a cut tail, the first missing entry).
    pub fn seq(&self) -> i64 {
        match *self {
            Tamper::BadSignature { checkpoint_seq } => checkpoint_seq,
            Tamper::Altered { seq }
            | Tamper::Unlinked { seq }
            | Tamper::Removed { seq, .. }
            | Tamper::Reordered { seq, .. }
            | Tamper::CheckpointMismatch { seq } => seq,
            Tamper::Truncated { last_seq, .. } => last_seq + 1,
        }
    }
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Tamper::BadSignature { checkpoint_seq } => write!(
                f,
                "the checkpoint at entry {checkpoint_seq} has a bad signature: it was not made with this audit key"
            ),
            Tamper::Altered { seq } => write!(f, "entry {seq} was altered: its content does not match its hash"),
            Tamper::Unlinked { seq } => write!(
                f,
                "entry {seq} does not follow entry {}: an entry before it was replaced, inserted or removed",
                seq - 1
            ),
            Tamper::Removed { seq, found: Some(found) } => {
                write!(f, "entry {seq} was removed: the next entry stored is {found}")
            }
            Tamper::Removed { seq, found: None } => write!(f, "entry {seq} was removed"),
            Tamper::Reordered { seq, found } => {
                write!(f, "entries were reordered: entry {found} stands where entry {seq} should be")
            }
            Tamper::CheckpointMismatch { seq } => {
                write!(f, "entry {seq} is not the entry signed at the checkpoint for it: the chain was rewritten")
            }
            Tamper::Truncated { last_seq, checkpoint_seq } => write!(
                f,
                "the log was truncated: it ends at entry {last_seq} but a signed checkpoint covers entry {checkpoint_seq}; entry {} onwards was removed",
                last_seq + 1
            ),
        }
    }
}

impl std::error::Error for Tamper {}

/// What an intact log holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: u64,
    /// Checkpoints checked.
    pub checkpoints: usize,
    /// The last seq (0 for an empty log).
    pub head_seq: i64,
    /// The head's hash ([`GENESIS`] for an empty log).
    #[serde(with = "hex_hash")]
    pub head_hash: Hash,
    /// The seq of the last checkpoint; entries after it are chained but not
    /// yet signed, so a cut there would not show.
    pub last_checkpoint_seq: Option<i64>,
}

/// A verification that takes the log in pages, in seq order, so a long log
/// need not be in memory: [`ChainVerifier::new`], [`ChainVerifier::feed`]
/// each page, then [`ChainVerifier::finish`].
pub struct ChainVerifier {
    /// Checkpoints by seq, still to be met.
    checkpoints: Vec<AuditCheckpoint>,
    next_checkpoint: usize,
    expected: i64,
    prev: Hash,
    count: u64,
    /// An entry with a later seq than expected, seen just before: the next
    /// entry tells a removal from a swap.
    gap: Option<i64>,
}

impl ChainVerifier {
    /// Starts a verification; every checkpoint's signature is checked here.
    pub fn new(mut checkpoints: Vec<AuditCheckpoint>, key: &VerifyingKey) -> Result<ChainVerifier, Tamper> {
        checkpoints.sort_by_key(|c| c.seq);
        if let Some(bad) = checkpoints.iter().find(|c| !c.signed_by(key)) {
            return Err(Tamper::BadSignature { checkpoint_seq: bad.seq });
        }
        Ok(ChainVerifier { checkpoints, next_checkpoint: 0, expected: 1, prev: GENESIS, count: 0, gap: None })
    }

    /// Checks the next entries of the log.
    pub fn feed(&mut self, entries: &[AuditEntry]) -> Result<(), Tamper> {
        for e in entries {
            self.entry(e)?;
        }
        Ok(())
    }

    fn entry(&mut self, e: &AuditEntry) -> Result<(), Tamper> {
        if let Some(found) = self.gap.take() {
            // The entry before had a later seq than expected: if this one is
            // the expected one, the two were swapped; else one was removed.
            return Err(if e.seq == self.expected {
                Tamper::Reordered { seq: self.expected, found }
            } else {
                Tamper::Removed { seq: self.expected, found: Some(found) }
            });
        }
        if e.seq > self.expected {
            self.gap = Some(e.seq);
            return Ok(());
        }
        if e.seq < self.expected {
            return Err(Tamper::Reordered { seq: self.expected, found: e.seq });
        }
        if e.computed_hash() != e.hash {
            return Err(Tamper::Altered { seq: e.seq });
        }
        if e.prev_hash != self.prev {
            return Err(Tamper::Unlinked { seq: e.seq });
        }
        while let Some(c) = self.checkpoints.get(self.next_checkpoint) {
            if c.seq > e.seq {
                break;
            }
            // A checkpoint for a seq below this one was passed over: only
            // possible for seq < 1, which no entry has.
            if c.seq != e.seq || c.hash != e.hash {
                return Err(Tamper::CheckpointMismatch { seq: c.seq });
            }
            self.next_checkpoint += 1;
        }
        self.prev = e.hash;
        self.expected += 1;
        self.count += 1;
        Ok(())
    }

    /// Ends the verification: the log must reach its last checkpoint.
    pub fn finish(self) -> Result<VerifyReport, Tamper> {
        if let Some(found) = self.gap {
            return Err(Tamper::Removed { seq: self.expected, found: Some(found) });
        }
        let last_seq = self.expected - 1;
        if let Some(c) = self.checkpoints.get(self.next_checkpoint) {
            let checkpoint_seq = self.checkpoints.last().map_or(c.seq, |l| l.seq);
            if c.seq < 1 {
                return Err(Tamper::CheckpointMismatch { seq: c.seq });
            }
            return Err(Tamper::Truncated { last_seq, checkpoint_seq });
        }
        Ok(VerifyReport {
            entries: self.count,
            checkpoints: self.checkpoints.len(),
            head_seq: last_seq,
            head_hash: self.prev,
            last_checkpoint_seq: self.checkpoints.last().map(|c| c.seq),
        })
    }
}

/// Verifies a whole log held in memory: the entries in the order stored
/// (by seq), the checkpoints, the audit public key.
pub fn verify(
    entries: &[AuditEntry],
    checkpoints: &[AuditCheckpoint],
    key: &VerifyingKey,
) -> Result<VerifyReport, Tamper> {
    let mut v = ChainVerifier::new(checkpoints.to_vec(), key)?;
    v.feed(entries)?;
    v.finish()
}

/// What to look for in the log; every part set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The actor (username or `system:<name>`).
    pub user: Option<String>,
    /// An entity concerned.
    pub entity: Option<String>,
    /// From this time (microseconds, inclusive).
    pub from: Option<i64>,
    /// Up to this time (microseconds, exclusive).
    pub to: Option<i64>,
    /// The action.
    pub action: Option<AuditAction>,
    /// At most this many entries, newest first (0: the default, 100).
    pub limit: u32,
}

impl AuditFilter {
    /// The limit to apply.
    pub fn effective_limit(&self) -> u32 {
        if self.limit == 0 { 100 } else { self.limit }
    }
}

/// Appending to and reading the audit log.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends one entry: seq, time and hashes are given atomically, so
    /// concurrent appends make one chain.
    async fn append(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        let mut done = self.append_many(vec![entry]).await?;
        done.pop().ok_or_else(|| StoreError::Corrupt("audit append wrote nothing".into()))
    }
    /// Appends entries in order, in one transaction.
    async fn append_many(&self, entries: Vec<NewAuditEntry>) -> Result<Vec<AuditEntry>, StoreError>;
    /// Up to `limit` entries from `from_seq` on, by seq.
    async fn entries(&self, from_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
    /// The last entry's seq and hash, if any.
    async fn audit_head(&self) -> Result<Option<(i64, Hash)>, StoreError>;
    /// Stores a signed checkpoint (a second one for the same seq is ignored).
    async fn add_checkpoint(&self, checkpoint: &AuditCheckpoint) -> Result<(), StoreError>;
    /// Every checkpoint, by seq.
    async fn checkpoints(&self) -> Result<Vec<AuditCheckpoint>, StoreError>;
    /// Entries matching the filter, newest first. (Not `search`: that is
    /// the entity search on [`crate::Store`].)
    async fn search_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Seals a batch after `head` (seq and hash), with times from `tick`.
pub(crate) fn seal_batch(
    head: Option<(i64, Hash)>,
    entries: Vec<NewAuditEntry>,
    mut tick: impl FnMut() -> i64,
) -> Vec<AuditEntry> {
    let (mut seq, mut prev) = head.unwrap_or((0, GENESIS));
    entries
        .into_iter()
        .map(|n| {
            seq += 1;
            let e = AuditEntry::seal(seq, tick(), n, prev);
            prev = e.hash;
            e
        })
        .collect()
}

/// A stored hash of the wrong length.
pub(crate) fn hash_from(bytes: &[u8], what: &str, seq: i64) -> Result<Hash, StoreError> {
    bytes.try_into().map_err(|_| StoreError::Corrupt(format!("audit {what} of entry {seq} is not 32 bytes")))
}

/// A stored action or outcome that is not one.
pub(crate) fn corrupt(what: &str, value: &str, seq: i64) -> StoreError {
    StoreError::Corrupt(format!("audit entry {seq}: unknown {what} '{value}'"))
}

mod backend;
mod group;
pub(crate) use backend::audit_impl;
pub(crate) use group::GroupCommit;

#[cfg(test)]
mod tests;
