//! Field snapshots of Veza: what a checkpoint with a bad connection checks
//! against while offline (like INTERPOL's MIND).
//!
//! A snapshot holds the watchlist entries one checkpoint of one operation
//! may hold (the platform chooses them by policy before calling [`seal`]),
//! the instruction for each, and when it expires. It is encoded with
//! postcard, compressed with zstd, encrypted with XChaCha20-Poly1305 under a
//! per-snapshot key that is wrapped with an argon2id passphrase key, and its
//! header is signed with the issuer's Ed25519 key; the header carries the
//! SHA-256 of the encrypted contents. [`open`] refuses, each with its own
//! [`SnapshotError`]: another format, another version, a damaged frame, a key
//! other than the trusted one, a bad signature, altered contents, an expired
//! (or future) snapshot, a wrong passphrase.
//!
//! [`FieldIndex`] answers checks from the opened contents with the
//! screening engine. The crate does no file or network I/O.
//!
//! ```
//! use veza_snapshot::{Contents, Issue, KdfParams, ListedPerson, seal, open, FieldIndex, FieldCheck};
//! let mut contents = Contents::default();
//! let list = contents.watchlist_number("interpol-notices");
//! let instruction = contents.instruction_number("do not arrest; contact NCB Skopje");
//! contents.persons.push(ListedPerson {
//!     person: veza_screen::Person::named("n1", "Драган Стојановић"),
//!     watchlist: list,
//!     instruction,
//! });
//! let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
//! let issue = Issue {
//!     operation: "op-1".into(), checkpoint: "cp-1".into(), country: Some("mk".into()),
//!     exported_by: "coordinator".into(), issued_at: 1_000, expires_at: 1_000 + 72 * 3600,
//!     kdf: KdfParams::insecure_for_tests(),
//! };
//! let file = seal(&contents, &issue, &key, "correct horse battery").unwrap();
//! let opened = open(&file, &key.verifying_key(), 2_000, "correct horse battery").unwrap();
//! let index = FieldIndex::build(opened.contents);
//! let hits = index.check(&FieldCheck { name: Some("Dragan Stojanovic".into()), ..Default::default() }, 0.7).unwrap();
//! assert_eq!(hits[0].instruction, "do not arrest; contact NCB Skopje");
//! ```

mod contents;
mod error;
mod field;
mod format;
mod keys;
mod queue;

pub use contents::{Contents, ListedDocument, ListedPerson, ListedVehicle};
pub use error::SnapshotError;
pub use field::{FieldCheck, FieldHit, FieldIndex};
pub use format::{
    CLOCK_SKEW, FORMAT_VERSION, Header, Issue, MAGIC, Opened, inspect, open, seal, signed_header, verify_signed_header,
};
pub use keys::{KdfParams, key_id, snapshot_key, upload_mac, verify_upload_mac};
pub use queue::{open_queue_record, seal_queue_record};
pub use veza_screen::Scratch;
