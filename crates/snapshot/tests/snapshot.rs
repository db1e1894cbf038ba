//! A snapshot opens only as its issuer sealed it, before it expires, with
//! the passphrase; anything else is refused with its own reason.

use ed25519_dalek::SigningKey;
use proptest::prelude::*;
use veza_screen::{BirthDate, Person};
use veza_snapshot::{
    Contents, FORMAT_VERSION, Issue, KdfParams, ListedDocument, ListedPerson, SnapshotError, inspect, open, seal,
    signed_header, verify_signed_header,
};

const NOW: i64 = 1_800_000_000;
const PASS: &str = "field node passphrase";

fn issuer() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn contents() -> Contents {
    let mut c = Contents::default();
    let w = c.watchlist_number("interpol-notices");
    let i = c.instruction_number("do not arrest; contact NCB Skopje");
    for (n, name) in ["Dragan Stojanović", "Arta Krasniqi", "محمد المصري"].iter().enumerate() {
        let mut p = Person::named(&format!("n{n}"), name);
        p.birth_dates.push(BirthDate::parse("1974-03-02").unwrap());
        c.persons.push(ListedPerson { person: p, watchlist: w, instruction: i });
    }
    c.documents.push(ListedDocument {
        id: "d1".into(),
        number: "BA4471190".into(),
        country: Some("al".into()),
        watchlist: w,
        instruction: i,
    });
    c
}

fn issue() -> Issue {
    Issue {
        operation: "op-theseus".into(),
        checkpoint: "cp-tabanovce".into(),
        country: Some("mk".into()),
        exported_by: "coordinator (mk-ncb)".into(),
        issued_at: NOW,
        expires_at: NOW + 72 * 3600,
        kdf: KdfParams::insecure_for_tests(),
    }
}

fn sealed() -> Vec<u8> {
    seal(&contents(), &issue(), &issuer(), PASS).unwrap()
}

#[test]
fn a_sealed_snapshot_opens_to_the_same_contents() {
    let file = sealed();
    let opened = open(&file, &issuer().verifying_key(), NOW + 60, PASS).unwrap();
    assert_eq!(opened.contents, contents());
    assert_eq!(opened.header.operation, "op-theseus");
    assert_eq!((opened.header.persons, opened.header.documents), (3, 1));
    assert_eq!(opened.snapshot_key, veza_snapshot::snapshot_key(&issuer(), &opened.header.snapshot_id));
    let header = inspect(&file, &issuer().verifying_key(), NOW + 60).unwrap();
    assert_eq!(header, opened.header);
    // the contents are not in clear
    assert!(!file.windows(7).any(|w| w == b"Dragan "), "names must not appear in clear");
}

#[test]
fn two_seals_of_the_same_contents_differ() {
    assert_ne!(sealed(), sealed(), "random ids, salts and nonces");
}

#[test]
fn every_altered_byte_is_refused() {
    let file = sealed();
    let key = issuer().verifying_key();
    // every byte of the signed header, and a spread of the contents
    let header_end = file.len() - inspect(&file, &key, NOW).unwrap().payload_len as usize;
    let positions: Vec<usize> =
        (0..header_end).chain((header_end..file.len()).step_by(7)).chain([file.len() - 1]).collect();
    for i in positions {
        let mut bad = file.clone();
        bad[i] ^= 0x01;
        let err = open(&bad, &key, NOW + 60, PASS).expect_err(&format!("byte {i} altered was accepted"));
        if i >= header_end {
            assert_eq!(err, SnapshotError::Tampered, "byte {i} of the contents");
        } else if (14..header_end - 64).contains(&i) {
            // the header: the key id, the signature or the framing catches it
            assert!(
                matches!(
                    err,
                    SnapshotError::BadSignature | SnapshotError::WrongKey { .. } | SnapshotError::Malformed(_)
                ),
                "byte {i}: {err:?}"
            );
        } else if i >= header_end - 64 {
            assert_eq!(err, SnapshotError::BadSignature, "byte {i} of the signature");
        }
    }
}

#[test]
fn cut_or_extended_files_are_refused() {
    let file = sealed();
    let key = issuer().verifying_key();
    for len in [0, 5, 9, 13, 20, 100, file.len() - 1] {
        assert!(open(&file[..len], &key, NOW, PASS).is_err(), "cut at {len}");
    }
    let mut longer = file.clone();
    longer.push(0);
    assert_eq!(open(&longer, &key, NOW, PASS).unwrap_err(), SnapshotError::Tampered);
}

#[test]
fn another_issuer_key_is_refused_by_id() {
    let file = sealed();
    let other = SigningKey::from_bytes(&[7; 32]).verifying_key();
    match open(&file, &other, NOW, PASS) {
        Err(SnapshotError::WrongKey { found, expected }) => {
            assert_eq!(found, veza_snapshot::key_id(&issuer().verifying_key()));
            assert_eq!(expected, veza_snapshot::key_id(&other));
        }
        other => panic!("{other:?}"),
    }
    // a forger who signs with their own key but names the issuer's
    let forged = seal(&contents(), &issue(), &SigningKey::from_bytes(&[7; 32]), PASS).unwrap();
    let mut swapped = forged.clone();
    let theirs = SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes();
    let at = swapped.windows(32).position(|w| w == theirs).unwrap();
    swapped[at..at + 32].copy_from_slice(&issuer().verifying_key().to_bytes());
    assert_eq!(open(&swapped, &issuer().verifying_key(), NOW, PASS).unwrap_err(), SnapshotError::BadSignature);
}

#[test]
fn expiry_and_issue_time_are_enforced() {
    let file = sealed();
    let key = issuer().verifying_key();
    let expires = NOW + 72 * 3600;
    assert!(open(&file, &key, expires - 1, PASS).is_ok());
    assert_eq!(
        open(&file, &key, expires, PASS).unwrap_err(),
        SnapshotError::Expired { expired_at: expires, now: expires }
    );
    assert!(matches!(inspect(&file, &key, expires + 1), Err(SnapshotError::Expired { .. })));
    assert!(matches!(open(&file, &key, NOW - 3600, PASS), Err(SnapshotError::NotYetValid { .. })));
    assert!(open(&file, &key, NOW - 60, PASS).is_ok(), "a few minutes of clock difference are tolerated");
    let mut backwards = issue();
    backwards.expires_at = backwards.issued_at;
    assert!(matches!(seal(&contents(), &backwards, &issuer(), PASS), Err(SnapshotError::Invalid(_))));
}

#[test]
fn a_wrong_passphrase_is_named() {
    let file = sealed();
    assert_eq!(
        open(&file, &issuer().verifying_key(), NOW, "field node passphrasE").unwrap_err(),
        SnapshotError::WrongPassphrase
    );
}

#[test]
fn another_format_or_version_is_named() {
    let mut file = sealed();
    assert_eq!(
        open(b"PK\x03\x04 a zip file", &issuer().verifying_key(), NOW, PASS).unwrap_err(),
        SnapshotError::NotASnapshot
    );
    file[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        open(&file, &issuer().verifying_key(), NOW, PASS).unwrap_err(),
        SnapshotError::VersionMismatch { found: FORMAT_VERSION + 1, supported: FORMAT_VERSION }
    );
}

#[test]
fn the_signed_header_stands_alone_for_uploads() {
    let file = sealed();
    let ticket = signed_header(&file).unwrap();
    let header = verify_signed_header(ticket, &issuer().verifying_key()).unwrap();
    assert_eq!(header.checkpoint, "cp-tabanovce");
    let mut bad = ticket.to_vec();
    let at = bad.windows(12).position(|w| w == b"cp-tabanovce").unwrap();
    bad[at + 3] = b'X';
    assert_eq!(verify_signed_header(&bad, &issuer().verifying_key()).unwrap_err(), SnapshotError::BadSignature);
    assert!(matches!(verify_signed_header(&file, &issuer().verifying_key()), Err(SnapshotError::Malformed(_))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The reader never panics, whatever the bytes.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let key = issuer().verifying_key();
        let _ = open(&bytes, &key, NOW, PASS);
        let _ = verify_signed_header(&bytes, &key);
        let _ = Contents::decode(&bytes);
    }

    /// Bytes that start like a snapshot, then anything: refused, no panic.
    #[test]
    fn arbitrary_bytes_after_the_marker_are_refused(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"VEZASNAP\x01\x00".to_vec();
        bytes.extend(tail);
        prop_assert!(open(&bytes, &issuer().verifying_key(), NOW, PASS).is_err());
    }

    /// Any change to a real snapshot (a byte replaced, or the file cut) is refused.
    #[test]
    fn mutated_snapshots_are_refused(at in any::<prop::sample::Index>(), value in any::<u8>(), cut in any::<bool>()) {
        let file = sealed();
        let i = at.index(file.len());
        let mut bad = file.clone();
        if cut {
            bad.truncate(i);
        } else {
            prop_assume!(bad[i] != value);
            bad[i] = value;
        }
        prop_assert!(open(&bad, &issuer().verifying_key(), NOW, PASS).is_err());
    }
}
