//! The field node's queue records: each check it answered, encrypted and
//! authenticated under a key derived from the snapshot key, bound to its
//! place in the queue (a record moved, altered or copied to another place
//! does not open). One record is one line of base64 text.

use crate::SnapshotError;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn queue_cipher(snapshot_key: &[u8; 32]) -> XChaCha20Poly1305 {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(snapshot_key).expect("HMAC takes keys of any length");
    mac.update(b"veza field queue v1");
    let key: [u8; 32] = mac.finalize().into_bytes().into();
    XChaCha20Poly1305::new(&Key::from(key))
}

/// Encrypts record number `seq` of the queue: one line of base64, no newline.
pub fn seal_queue_record(snapshot_key: &[u8; 32], seq: u64, plain: &[u8]) -> Result<String, SnapshotError> {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|e| SnapshotError::Invalid(format!("no randomness: {e}")))?;
    let sealed = queue_cipher(snapshot_key)
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad: &seq.to_le_bytes() })
        .map_err(|_| SnapshotError::Invalid("encrypting a queue record failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

/// Decrypts record number `seq`; refuses one altered, moved or made with
/// another snapshot's key.
pub fn open_queue_record(snapshot_key: &[u8; 32], seq: u64, line: &str) -> Result<Vec<u8>, SnapshotError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line.trim())
        .map_err(|e| SnapshotError::Malformed(format!("queue record {seq} is not base64: {e}")))?;
    if bytes.len() < 24 + 16 {
        return Err(SnapshotError::Malformed(format!("queue record {seq} is too short")));
    }
    let (nonce, sealed) = bytes.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().map_err(|_| SnapshotError::Malformed("nonce".into()))?;
    queue_cipher(snapshot_key)
        .decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad: &seq.to_le_bytes() })
        .map_err(|_| SnapshotError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_open_only_in_their_place_with_their_key() {
        let k = [3u8; 32];
        let line = seal_queue_record(&k, 5, b"{\"client_ref\":\"x-5\"}").unwrap();
        assert_eq!(open_queue_record(&k, 5, &line).unwrap(), b"{\"client_ref\":\"x-5\"}");
        assert_eq!(open_queue_record(&k, 6, &line), Err(SnapshotError::Tampered));
        assert_eq!(open_queue_record(&[4; 32], 5, &line), Err(SnapshotError::Tampered));
        let mut bytes = base64::engine::general_purpose::STANDARD.decode(&line).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let bad = base64::engine::general_purpose::STANDARD.encode(bytes);
        assert_eq!(open_queue_record(&k, 5, &bad), Err(SnapshotError::Tampered));
        assert!(matches!(open_queue_record(&k, 5, "not base64!"), Err(SnapshotError::Malformed(_))));
        assert!(!line.contains("client_ref"));
    }
}
