//! The snapshot file, byte by byte:
//!
//! ```text
//! 0      8 bytes   "VEZASNAP"
//! 8      u16 LE    format version (1)
//! 10     u32 LE    header length h (at most 64 KiB)
//! 14     h bytes   header (postcard): ids, times, issuer key, counts, the
//!                  contents' length and SHA-256, the passphrase key's
//!                  parameters and salt, the wrapped snapshot key, nonces
//! 14+h   64 bytes  Ed25519 signature over bytes 0 .. 14+h
//! 78+h   rest      contents: postcard, zstd, XChaCha20-Poly1305 (tag last)
//! ```
//!
//! The first `78+h` bytes are the *signed header*: a field node sends it
//! with its uploads, and the server checks it with its own key alone.
//! Reading checks, in this order, each with its own error: the marker, the
//! version, the framing, the key id, the signature, the contents' digest,
//! the validity period, the passphrase, the decryption, the decoding.

use crate::keys::{self, KdfParams};
use crate::{Contents, SnapshotError};
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The marker every snapshot starts with.
pub const MAGIC: &[u8; 8] = b"VEZASNAP";
/// The format version this program writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Largest header accepted.
const MAX_HEADER: usize = 64 * 1024;
/// Largest decompressed contents accepted (4 GiB).
const MAX_PLAIN: u64 = 4 << 30;
/// Clock difference tolerated between issuer and node, seconds.
pub const CLOCK_SKEW: i64 = 300;
/// zstd level: 3 compresses a million entries in well under a second.
const ZSTD_LEVEL: i32 = 3;

/// What a snapshot says of itself, in clear and signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Random id of this snapshot.
    pub snapshot_id: [u8; 16],
    /// The operation it serves.
    pub operation: String,
    /// The checkpoint that may hold it.
    pub checkpoint: String,
    /// The checkpoint's country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// Who exported it (user and agency), for the record.
    pub exported_by: String,
    /// Issue time, unix seconds.
    pub issued_at: i64,
    /// Expiry, unix seconds: no check is answered from it after this.
    pub expires_at: i64,
    /// The issuer's Ed25519 public key.
    pub issuer_key: [u8; 32],
    /// Persons in the contents.
    pub persons: u64,
    /// Documents in the contents.
    pub documents: u64,
    /// Vehicles in the contents.
    pub vehicles: u64,
    /// Length of the encoded contents before compression.
    pub plain_len: u64,
    /// Length of the encrypted contents (tag included).
    pub payload_len: u64,
    /// SHA-256 of the encrypted contents.
    pub payload_sha256: [u8; 32],
    /// Passphrase key parameters.
    pub kdf: KdfParams,
    /// Passphrase key salt.
    pub salt: [u8; 16],
    /// Nonce of the key wrap.
    pub wrap_nonce: [u8; 24],
    /// The snapshot key, encrypted under the passphrase key, tag last.
    pub wrapped_key: Vec<u8>,
    /// Nonce of the contents.
    pub payload_nonce: [u8; 24],
}

impl Header {
    /// The snapshot id in hex.
    pub fn id_hex(&self) -> String {
        hex::encode(self.snapshot_id)
    }

    /// The issuer key's id.
    pub fn issuer_key_id(&self) -> String {
        VerifyingKey::from_bytes(&self.issuer_key).map_or_else(|_| "(not a key)".to_owned(), |k| keys::key_id(&k))
    }

    /// Entries of every kind.
    pub fn entries(&self) -> u64 {
        self.persons + self.documents + self.vehicles
    }
}

/// What the exporter decides about a snapshot.
#[derive(Debug, Clone)]
pub struct Issue {
    /// The operation.
    pub operation: String,
    /// The checkpoint.
    pub checkpoint: String,
    /// The checkpoint's country.
    pub country: Option<String>,
    /// Who exports it.
    pub exported_by: String,
    /// Now, unix seconds.
    pub issued_at: i64,
    /// Expiry, unix seconds.
    pub expires_at: i64,
    /// Passphrase key parameters.
    pub kdf: KdfParams,
}

fn tag_of(bytes: &[u8]) -> Result<Tag, SnapshotError> {
    let b: [u8; 16] = bytes.try_into().map_err(|_| SnapshotError::Malformed("a tag is not 16 bytes".into()))?;
    Ok(Tag::from(b))
}

fn random<const N: usize>() -> Result<[u8; N], SnapshotError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| SnapshotError::Invalid(format!("no randomness: {e}")))?;
    Ok(b)
}

/// Encodes, compresses, encrypts and signs `contents` for the field node
/// that knows `passphrase`.
pub fn seal(
    contents: &Contents,
    issue: &Issue,
    issuer: &SigningKey,
    passphrase: &str,
) -> Result<Vec<u8>, SnapshotError> {
    if passphrase.is_empty() {
        return Err(SnapshotError::Invalid("a snapshot needs a passphrase".into()));
    }
    if issue.expires_at <= issue.issued_at {
        return Err(SnapshotError::Invalid("a snapshot must expire after it is issued".into()));
    }
    let plain = contents.encode()?;
    let mut payload = zstd::bulk::compress(&plain, ZSTD_LEVEL)
        .map_err(|e| SnapshotError::Invalid(format!("compressing the contents: {e}")))?;
    let snapshot_id: [u8; 16] = random()?;
    let data_key = keys::snapshot_key(issuer, &snapshot_id);
    let payload_nonce: [u8; 24] = random()?;
    let tag = XChaCha20Poly1305::new(&Key::from(data_key))
        .encrypt_in_place_detached(&XNonce::from(payload_nonce), &snapshot_id, &mut payload)
        .map_err(|_| SnapshotError::Invalid("encrypting the contents failed".into()))?;
    payload.extend_from_slice(&tag);
    let salt: [u8; 16] = random()?;
    let wrap_nonce: [u8; 24] = random()?;
    let kek = keys::passphrase_key(passphrase, &salt, issue.kdf)?;
    let mut wrapped_key = data_key.to_vec();
    let tag = XChaCha20Poly1305::new(&Key::from(kek))
        .encrypt_in_place_detached(&XNonce::from(wrap_nonce), &snapshot_id, &mut wrapped_key)
        .map_err(|_| SnapshotError::Invalid("wrapping the snapshot key failed".into()))?;
    wrapped_key.extend_from_slice(&tag);
    let header = Header {
        snapshot_id,
        operation: issue.operation.clone(),
        checkpoint: issue.checkpoint.clone(),
        country: issue.country.clone(),
        exported_by: issue.exported_by.clone(),
        issued_at: issue.issued_at,
        expires_at: issue.expires_at,
        issuer_key: issuer.verifying_key().to_bytes(),
        persons: contents.persons.len() as u64,
        documents: contents.documents.len() as u64,
        vehicles: contents.vehicles.len() as u64,
        plain_len: plain.len() as u64,
        payload_len: payload.len() as u64,
        payload_sha256: Sha256::digest(&payload).into(),
        kdf: issue.kdf,
        salt,
        wrap_nonce,
        wrapped_key,
        payload_nonce,
    };
    let header_bytes =
        postcard::to_allocvec(&header).map_err(|e| SnapshotError::Invalid(format!("encoding the header: {e}")))?;
    if header_bytes.len() > MAX_HEADER {
        return Err(SnapshotError::Invalid("the header is too long (operation or checkpoint names)".into()));
    }
    let mut out = Vec::with_capacity(14 + header_bytes.len() + 64 + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_bytes);
    let signature = issuer.sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// A parsed (not yet verified) signed header and where the contents start.
struct Framed<'a> {
    header: Header,
    signed: &'a [u8],
    signature: Signature,
    payload: &'a [u8],
}

fn frame(bytes: &[u8]) -> Result<Framed<'_>, SnapshotError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let short = |what: &str| SnapshotError::Malformed(format!("cut short in the {what}"));
    let version =
        u16::from_le_bytes(bytes.get(8..10).ok_or_else(|| short("version"))?.try_into().map_err(|_| short("version"))?);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::VersionMismatch { found: version, supported: FORMAT_VERSION });
    }
    let len = u32::from_le_bytes(
        bytes.get(10..14).ok_or_else(|| short("header length"))?.try_into().map_err(|_| short("header length"))?,
    ) as usize;
    if len > MAX_HEADER {
        return Err(SnapshotError::Malformed(format!("header of {len} bytes (at most {MAX_HEADER})")));
    }
    let header_bytes = bytes.get(14..14 + len).ok_or_else(|| short("header"))?;
    let sig_bytes: [u8; 64] =
        bytes.get(14 + len..78 + len).ok_or_else(|| short("signature"))?.try_into().map_err(|_| short("signature"))?;
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(header_bytes)
        .map_err(|e| SnapshotError::Malformed(format!("the header does not decode: {e}")))?;
    if !rest.is_empty() {
        return Err(SnapshotError::Malformed(format!("{} stray bytes in the header", rest.len())));
    }
    Ok(Framed {
        header,
        signed: &bytes[..14 + len],
        signature: Signature::from_bytes(&sig_bytes),
        payload: &bytes[78 + len..],
    })
}

fn check_signature(framed: &Framed<'_>, trusted: &VerifyingKey) -> Result<(), SnapshotError> {
    if framed.header.issuer_key != trusted.to_bytes() {
        return Err(SnapshotError::WrongKey { found: framed.header.issuer_key_id(), expected: keys::key_id(trusted) });
    }
    trusted.verify(framed.signed, &framed.signature).map_err(|_| SnapshotError::BadSignature)
}

fn check_time(header: &Header, now: i64) -> Result<(), SnapshotError> {
    if now + CLOCK_SKEW < header.issued_at {
        return Err(SnapshotError::NotYetValid { issued_at: header.issued_at, now });
    }
    if now >= header.expires_at {
        return Err(SnapshotError::Expired { expired_at: header.expires_at, now });
    }
    Ok(())
}

/// Checks everything but the passphrase: marker, version, framing, key,
/// signature, the contents' digest and the validity at `now`. Returns the
/// header (what `veza snapshot verify` prints).
pub fn inspect(bytes: &[u8], trusted: &VerifyingKey, now: i64) -> Result<Header, SnapshotError> {
    let framed = frame(bytes)?;
    check_signature(&framed, trusted)?;
    let header = &framed.header;
    if framed.payload.len() as u64 != header.payload_len {
        return Err(SnapshotError::Tampered);
    }
    let digest: [u8; 32] = Sha256::digest(framed.payload).into();
    if digest != header.payload_sha256 {
        return Err(SnapshotError::Tampered);
    }
    check_time(header, now)?;
    Ok(framed.header)
}

/// The signed header alone (the first bytes of a snapshot), which a field
/// node sends with its uploads.
pub fn signed_header(bytes: &[u8]) -> Result<&[u8], SnapshotError> {
    let framed = frame(bytes)?;
    Ok(&bytes[..framed.signed.len() + 64])
}

/// Verifies a signed header sent with an upload (marker, version, key,
/// signature; not the time: checks made while it was valid are welcome
/// later). The contents are not needed.
pub fn verify_signed_header(bytes: &[u8], trusted: &VerifyingKey) -> Result<Header, SnapshotError> {
    let framed = frame(bytes)?;
    check_signature(&framed, trusted)?;
    if !framed.payload.is_empty() {
        return Err(SnapshotError::Malformed("bytes after the signed header".into()));
    }
    Ok(framed.header)
}

/// An opened snapshot: its header, contents and key (for the uploads).
#[derive(Debug, Clone)]
pub struct Opened {
    /// The signed header.
    pub header: Header,
    /// The decrypted contents.
    pub contents: Contents,
    /// The snapshot key: authenticates this node's uploads.
    pub snapshot_key: [u8; 32],
}

/// Verifies and decrypts a snapshot: [`inspect`], then the passphrase, the
/// decryption and the decoding. Never panics, whatever the bytes.
pub fn open(bytes: &[u8], trusted: &VerifyingKey, now: i64, passphrase: &str) -> Result<Opened, SnapshotError> {
    let header = inspect(bytes, trusted, now)?;
    let payload = &bytes[bytes.len() - header.payload_len as usize..];
    let kek = keys::passphrase_key(passphrase, &header.salt, header.kdf)?;
    if header.wrapped_key.len() != 48 {
        return Err(SnapshotError::Malformed("the wrapped key is not 48 bytes".into()));
    }
    let mut key = header.wrapped_key[..32].to_vec();
    XChaCha20Poly1305::new(&Key::from(kek))
        .decrypt_in_place_detached(
            &XNonce::from(header.wrap_nonce),
            &header.snapshot_id,
            &mut key,
            &tag_of(&header.wrapped_key[32..])?,
        )
        .map_err(|_| SnapshotError::WrongPassphrase)?;
    let snapshot_key: [u8; 32] = key.try_into().map_err(|_| SnapshotError::WrongPassphrase)?;
    if payload.len() < 16 {
        return Err(SnapshotError::Malformed("the contents are shorter than their tag".into()));
    }
    let (sealed, tag) = payload.split_at(payload.len() - 16);
    let mut plain = sealed.to_vec();
    XChaCha20Poly1305::new(&Key::from(snapshot_key))
        .decrypt_in_place_detached(&XNonce::from(header.payload_nonce), &header.snapshot_id, &mut plain, &tag_of(tag)?)
        .map_err(|_| SnapshotError::Tampered)?;
    if header.plain_len > MAX_PLAIN {
        return Err(SnapshotError::Malformed(format!("contents of {} bytes announced", header.plain_len)));
    }
    let encoded = zstd::bulk::decompress(&plain, header.plain_len as usize)
        .map_err(|e| SnapshotError::Corrupt(format!("the contents do not decompress: {e}")))?;
    if encoded.len() as u64 != header.plain_len {
        return Err(SnapshotError::Corrupt("the contents' length differs from the header's".into()));
    }
    let contents = Contents::decode(&encoded)?;
    if (contents.persons.len() as u64, contents.documents.len() as u64, contents.vehicles.len() as u64)
        != (header.persons, header.documents, header.vehicles)
    {
        return Err(SnapshotError::Corrupt("the numbers of entries differ from the header's".into()));
    }
    Ok(Opened { header, contents, snapshot_key })
}
