//! Field snapshots (`veza snapshot verify`, `veza field`): the reader of the
//! file, of a signed header sent with an upload, and of the decrypted
//! contents. Invariants: no panic, whatever the bytes; nothing not signed by
//! the trusted key opens.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let trusted = ed25519_dalek::SigningKey::from_bytes(&[42; 32]).verifying_key();
    let now = 1_800_000_000;
    assert!(veza_snapshot::open(data, &trusted, now, "fuzz passphrase").is_err());
    assert!(veza_snapshot::verify_signed_header(data, &trusted).is_err());
    let _ = veza_snapshot::inspect(data, &trusted, now);
    let _ = veza_snapshot::Contents::decode(data);
    let _ = veza_snapshot::open_queue_record(&[7; 32], 1, &String::from_utf8_lossy(data));
});
