//! The chain and its verification: an untouched log verifies; any single
//! alteration, removal, swap or cut tail is found and named.

use super::*;
use proptest::prelude::*;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn new_entry(i: usize) -> NewAuditEntry {
    NewAuditEntry {
        actor: format!("user{}", i % 3),
        agency: "rs-bp".into(),
        action: AuditAction::ALL[i % AuditAction::ALL.len()],
        entity_ids: (0..i % 3).map(|j| format!("p{i}-{j}")).collect(),
        outcome: AuditOutcome::ALL[i % 3],
        purpose: format!("case {i}"),
        detail: String::new(),
    }
}

/// A log of `n` entries, with a checkpoint at the head and at each of `at`.
fn log(n: usize, at: &[usize]) -> (Vec<AuditEntry>, Vec<AuditCheckpoint>) {
    let mut t = 1_700_000_000_000_000;
    let entries = seal_batch(None, (0..n).map(new_entry).collect(), || {
        t += 1;
        t
    });
    let mut cps: Vec<AuditCheckpoint> = at
        .iter()
        .chain(std::iter::once(&n))
        .filter(|&&i| i >= 1 && i <= n)
        .map(|&i| AuditCheckpoint::sign(&key(), entries[i - 1].seq, entries[i - 1].hash, 0))
        .collect();
    cps.dedup_by_key(|c| c.seq);
    (entries, cps)
}

fn check(entries: &[AuditEntry], cps: &[AuditCheckpoint]) -> Result<VerifyReport, Tamper> {
    verify(entries, cps, &key().verifying_key())
}

/// Changes field `field` (0..11) of `e` to something else.
fn alter(e: &mut AuditEntry, field: usize) {
    match field {
        0 => e.seq += 1000,
        1 => e.at += 1,
        2 => e.actor.push('x'),
        3 => e.agency.push('x'),
        4 => {
            let i = AuditAction::ALL.iter().position(|a| *a == e.action).unwrap();
            e.action = AuditAction::ALL[(i + 1) % AuditAction::ALL.len()];
        }
        5 => e.entity_ids.push("extra".into()),
        6 => {
            let i = AuditOutcome::ALL.iter().position(|a| *a == e.outcome).unwrap();
            e.outcome = AuditOutcome::ALL[(i + 1) % 3];
        }
        7 => e.purpose.push('x'),
        8 => e.detail.push('x'),
        9 => e.prev_hash[0] ^= 1,
        _ => e.hash[31] ^= 1,
    }
}

#[test]
fn empty_log_is_intact() {
    let r = check(&[], &[]).unwrap();
    assert_eq!((r.entries, r.head_seq, r.head_hash), (0, 0, GENESIS));
}

#[test]
fn chain_starts_at_genesis_and_links() {
    let (entries, cps) = log(5, &[2]);
    assert_eq!(entries[0].prev_hash, GENESIS);
    assert!(entries.windows(2).all(|w| w[1].prev_hash == w[0].hash));
    let r = check(&entries, &cps).unwrap();
    assert_eq!((r.entries, r.checkpoints, r.head_seq, r.last_checkpoint_seq), (5, 2, 5, Some(5)));
}

#[test]
fn canonical_encoding_separates_fields() {
    let (entries, _) = log(1, &[]);
    let mut a = entries[0].clone();
    let mut b = entries[0].clone();
    a.actor = "ab".into();
    a.agency = "c".into();
    b.actor = "a".into();
    b.agency = "bc".into();
    assert_ne!(a.canonical(), b.canonical());
    a.entity_ids = vec!["x,y".into()];
    b.entity_ids = vec!["x".into(), "y".into()];
    assert_ne!(a.canonical(), b.canonical());
}

#[test]
fn a_signature_by_another_key_is_refused() {
    let (entries, _) = log(3, &[]);
    let other = SigningKey::from_bytes(&[8; 32]);
    let cp = AuditCheckpoint::sign(&other, 3, entries[2].hash, 0);
    assert_eq!(check(&entries, &[cp]), Err(Tamper::BadSignature { checkpoint_seq: 3 }));
}

#[test]
fn a_checkpoint_with_a_changed_seq_or_hash_is_refused() {
    let (entries, mut cps) = log(3, &[]);
    cps[0].seq = 2;
    assert_eq!(check(&entries, &cps), Err(Tamper::BadSignature { checkpoint_seq: 2 }));
}

#[test]
fn a_rewritten_chain_fails_at_the_checkpoint() {
    // Whoever can write the database can rebuild every hash, but not the
    // signature: the rewritten chain no longer meets its checkpoint.
    let (mut entries, cps) = log(4, &[]);
    entries[1].purpose = "rewritten".into();
    for i in 1..entries.len() {
        entries[i].prev_hash = entries[i - 1].hash;
        entries[i].hash = entries[i].computed_hash();
    }
    assert_eq!(check(&entries, &cps), Err(Tamper::CheckpointMismatch { seq: 4 }));
}

#[test]
fn an_unsigned_tail_verifies_but_is_reported() {
    let (entries, cps) = log(6, &[3]);
    let r = check(&entries, &cps[..1]).unwrap();
    assert_eq!((r.head_seq, r.last_checkpoint_seq), (6, Some(3)));
}

#[test]
fn messages_name_the_entry() {
    assert_eq!(Tamper::Altered { seq: 42 }.to_string(), "entry 42 was altered: its content does not match its hash");
    assert!(Tamper::Truncated { last_seq: 9, checkpoint_seq: 12 }.to_string().contains("entry 10 onwards"));
}

#[test]
fn names_round_trip() {
    for a in AuditAction::ALL {
        assert_eq!(AuditAction::parse(a.as_str()), Some(a));
    }
    for o in AuditOutcome::ALL {
        assert_eq!(AuditOutcome::parse(o.as_str()), Some(o));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_untouched_log_verifies(n in 0usize..40, at in prop::collection::vec(1usize..40, 0..4)) {
        let (entries, cps) = log(n, &at);
        let r = check(&entries, &cps).unwrap();
        prop_assert_eq!(r.entries, n as u64);
    }

    #[test]
    fn altering_any_field_of_any_entry_is_named(n in 1usize..40, i in 0usize..40, field in 0usize..11,
                                               at in prop::collection::vec(1usize..40, 0..4)) {
        let (mut entries, cps) = log(n, &at);
        let i = i % n;
        alter(&mut entries[i], field);
        let err = check(&entries, &cps).unwrap_err();
        prop_assert_eq!(err.seq(), i as i64 + 1, "{}", err);
    }

    #[test]
    fn deleting_any_entry_is_named(n in 1usize..40, i in 0usize..40, at in prop::collection::vec(1usize..40, 0..4)) {
        let (mut entries, cps) = log(n, &at);
        let i = i % n;
        entries.remove(i);
        let err = check(&entries, &cps).unwrap_err();
        prop_assert_eq!(err.seq(), i as i64 + 1, "{}", err);
        if i + 1 < n {
            prop_assert_eq!(err, Tamper::Removed { seq: i as i64 + 1, found: Some(i as i64 + 2) });
        }
    }

    #[test]
    fn swapping_adjacent_entries_is_named(n in 2usize..40, i in 0usize..40, at in prop::collection::vec(1usize..40, 0..4)) {
        let (mut entries, cps) = log(n, &at);
        let i = i % (n - 1);
        entries.swap(i, i + 1);
        let err = check(&entries, &cps).unwrap_err();
        prop_assert_eq!(err, Tamper::Reordered { seq: i as i64 + 1, found: i as i64 + 2 });
    }

    #[test]
    fn swapping_contents_under_fixed_seqs_is_named(n in 2usize..40, i in 0usize..40) {
        // As a raw UPDATE would: the rows keep their seq, the rest moves.
        let (mut entries, cps) = log(n, &[]);
        let i = i % (n - 1);
        let (a, b) = (entries[i].seq, entries[i + 1].seq);
        entries.swap(i, i + 1);
        entries[i].seq = a;
        entries[i + 1].seq = b;
        let err = check(&entries, &cps).unwrap_err();
        prop_assert_eq!(err.seq(), a, "{}", err);
    }

    #[test]
    fn truncating_the_tail_is_named(n in 1usize..40, keep in 0usize..40, at in prop::collection::vec(1usize..40, 0..4)) {
        let (mut entries, cps) = log(n, &at);
        let keep = keep % n;
        entries.truncate(keep);
        let err = check(&entries, &cps).unwrap_err();
        prop_assert_eq!(err, Tamper::Truncated { last_seq: keep as i64, checkpoint_seq: n as i64 });
    }

    #[test]
    fn verifying_in_pages_is_verifying_whole(n in 0usize..40, page in 1usize..10, i in 0usize..40, field in 0usize..12) {
        let (mut entries, cps) = log(n, &[]);
        if n > 0 && field < 11 {
            alter(&mut entries[i % n], field);
        }
        let whole = check(&entries, &cps);
        let paged = (|| {
            let mut v = ChainVerifier::new(cps.clone(), &key().verifying_key())?;
            for p in entries.chunks(page) {
                v.feed(p)?;
            }
            v.finish()
        })();
        prop_assert_eq!(whole, paged);
    }
}
