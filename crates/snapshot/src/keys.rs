//! The keys of a snapshot.
//!
//! - The **issuer key** (Ed25519) signs the header. It is the platform's
//!   audit signing key (`veza-app`'s `AuditKey`): a field node trusts the one
//!   public key it was given at enrolment. A key is named by its *key id*:
//!   the first 8 bytes of SHA-256 of the public key, in hex.
//! - The **snapshot key** (256 bits) encrypts the contents. It is derived
//!   from the issuer's secret and the snapshot id (HMAC-SHA-256 with a
//!   domain label), so the server can recompute it for any snapshot it
//!   issued without storing it, and check the uploads made with it.
//! - The **passphrase key** wraps the snapshot key for the field node:
//!   argon2id over the passphrase and a random salt, parameters in the
//!   header (64 MiB, 3 passes by default). Someone who takes the node's disk
//!   without the passphrase reads nothing.
//! - The **upload key** = HMAC(snapshot key, "upload"): the node
//!   authenticates the checks it sends with it.

use crate::SnapshotError;
use ed25519_dalek::{SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// argon2id parameters of the passphrase key, stored in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane (OWASP's first argon2id setting is 19 MiB, 2
    /// passes; a snapshot is opened once per start, so it can cost more).
    fn default() -> Self {
        KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 }
    }
}

impl KdfParams {
    /// The cheapest argon2 allows: for tests only.
    pub fn insecure_for_tests() -> Self {
        KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 }
    }

    /// Refuses parameters that would take more than 1 GiB or 100 passes
    /// (a header cannot make a node exhaust its memory).
    fn checked(self) -> Result<argon2::Params, SnapshotError> {
        if self.memory_kib > 1024 * 1024 || self.iterations > 100 || self.parallelism > 16 {
            return Err(SnapshotError::Malformed(format!("passphrase key parameters out of range: {self:?}")));
        }
        argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|e| SnapshotError::Malformed(format!("passphrase key parameters: {e}")))
    }
}

/// The key id of a public key: 16 hex digits.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// The snapshot key of `snapshot_id`, derived from the issuer's secret.
pub fn snapshot_key(issuer: &SigningKey, snapshot_id: &[u8; 16]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(issuer.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"veza field snapshot key v1");
    mac.update(snapshot_id);
    mac.finalize().into_bytes().into()
}

/// The passphrase key (argon2id).
pub(crate) fn passphrase_key(passphrase: &str, salt: &[u8; 16], params: KdfParams) -> Result<[u8; 32], SnapshotError> {
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params.checked()?);
    let mut out = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| SnapshotError::Invalid(format!("passphrase key: {e}")))?;
    Ok(out)
}

fn upload_key(snapshot_key: &[u8; 32]) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(snapshot_key).expect("HMAC takes keys of any length");
    mac.update(b"veza field upload v1");
    let key: [u8; 32] = mac.finalize().into_bytes().into();
    <HmacSha256 as Mac>::new_from_slice(&key).expect("HMAC takes keys of any length")
}

/// The authentication code of an upload's bytes, in hex.
pub fn upload_mac(snapshot_key: &[u8; 32], body: &[u8]) -> String {
    let mut mac = upload_key(snapshot_key);
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Checks an upload's authentication code (in constant time).
pub fn verify_upload_mac(snapshot_key: &[u8; 32], body: &[u8], code: &str) -> Result<(), SnapshotError> {
    let code = hex::decode(code.trim()).map_err(|_| SnapshotError::UploadTampered)?;
    let mut mac = upload_key(snapshot_key);
    mac.update(body);
    mac.verify_slice(&code).map_err(|_| SnapshotError::UploadTampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_keys_differ_per_snapshot_and_issuer() {
        let a = SigningKey::from_bytes(&[1; 32]);
        let b = SigningKey::from_bytes(&[2; 32]);
        assert_ne!(snapshot_key(&a, &[0; 16]), snapshot_key(&a, &[1; 16]));
        assert_ne!(snapshot_key(&a, &[0; 16]), snapshot_key(&b, &[0; 16]));
        assert_eq!(snapshot_key(&a, &[3; 16]), snapshot_key(&a, &[3; 16]));
        assert_eq!(key_id(&a.verifying_key()).len(), 16);
    }

    #[test]
    fn upload_codes_catch_any_change() {
        let k = [7u8; 32];
        let code = upload_mac(&k, b"[{\"client_ref\":\"a\"}]");
        assert!(verify_upload_mac(&k, b"[{\"client_ref\":\"a\"}]", &code).is_ok());
        assert_eq!(verify_upload_mac(&k, b"[{\"client_ref\":\"b\"}]", &code), Err(SnapshotError::UploadTampered));
        assert_eq!(verify_upload_mac(&[8; 32], b"[{\"client_ref\":\"a\"}]", &code), Err(SnapshotError::UploadTampered));
        assert_eq!(verify_upload_mac(&k, b"x", "zz"), Err(SnapshotError::UploadTampered));
    }

    #[test]
    fn absurd_kdf_parameters_are_refused() {
        let p = KdfParams { memory_kib: u32::MAX, iterations: 1, parallelism: 1 };
        assert!(matches!(passphrase_key("x", &[0; 16], p), Err(SnapshotError::Malformed(_))));
    }
}
