//! Why a snapshot is refused: one variant per reason, each saying what to do.

/// A refused snapshot (or upload), with the precise reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot marker.
    #[error("not a Veza snapshot (the file does not start with VEZASNAP)")]
    NotASnapshot,
    /// Written in a format version this program does not read.
    #[error("snapshot format version {found}, this program reads version {supported}: export a new snapshot")]
    VersionMismatch {
        /// The file's version.
        found: u16,
        /// The version this program reads.
        supported: u16,
    },
    /// The framing or the header is damaged or cut short.
    #[error("damaged snapshot: {0}")]
    Malformed(String),
    /// Signed by a key other than the trusted issuer's.
    #[error("signed by key {found}, not by the trusted issuer key {expected}: refused")]
    WrongKey {
        /// Key id the snapshot names.
        found: String,
        /// Key id of the trusted issuer key.
        expected: String,
    },
    /// The signature does not match the header: the header was altered, or
    /// the signature is not the issuer's.
    #[error("bad signature: the snapshot's header was altered or not signed by its issuer: refused")]
    BadSignature,
    /// The encrypted contents are not those the issuer signed.
    #[error("the encrypted contents were altered after signing (digest mismatch): refused")]
    Tampered,
    /// Past its expiry.
    #[error("snapshot expired at {expired_at} (unix seconds; now {now}): export a new one")]
    Expired {
        /// Expiry, unix seconds.
        expired_at: i64,
        /// The time of the check, unix seconds.
        now: i64,
    },
    /// Issued in the future (a wrong clock on the node, or a forged date).
    #[error("snapshot issued at {issued_at} (unix seconds), after now ({now}): check the clock")]
    NotYetValid {
        /// Issue time, unix seconds.
        issued_at: i64,
        /// The time of the check.
        now: i64,
    },
    /// The passphrase does not unwrap the snapshot's key.
    #[error("wrong passphrase: the snapshot's key does not unwrap")]
    WrongPassphrase,
    /// Decrypted, but the contents do not decode (should not happen for a
    /// signed snapshot: a bug, or a version skew).
    #[error("corrupt contents: {0}")]
    Corrupt(String),
    /// An upload's authentication code does not match its checks.
    #[error("the upload's authentication code does not match its checks: refused")]
    UploadTampered,
    /// A request that cannot be met (options out of range).
    #[error("{0}")]
    Invalid(String),
}
