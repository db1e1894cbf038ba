//! Speed of field snapshots (issue 9's goals: a snapshot of 1,000,000 entries
//! builds in ≤ 10 s; a field node checks ≥ 5,000 a second offline).
//!
//! `cargo bench -p veza-snapshot --bench snapshot -- [ENTRIES] [CHECKS]`
//! (default 1000000 20000). The persons are the screening bench's synthetic
//! watchlist (same generator, same seed: `crates/screen/benches/screen.rs`),
//! plus one lost/stolen document per ten persons. Prints: sealing (encode,
//! zstd, XChaCha20-Poly1305, Ed25519) with the production argon2id cost,
//! file size, opening, building the node's index, and checks per second on
//! one thread and on every core. `scripts/bench-snapshot` runs it.

#[allow(dead_code)]
#[path = "../../screen/benches/screen.rs"]
mod synthetic;

use ed25519_dalek::SigningKey;
use rayon::prelude::*;
use std::time::Instant;
use veza_screen::Scratch;
use veza_snapshot::{Contents, FieldCheck, FieldIndex, Issue, KdfParams, ListedDocument, ListedPerson, open, seal};

const INSTRUCTIONS: &[&str] = &[
    "do not arrest; contact NCB Skopje",
    "arrest: extradition requested (red notice)",
    "locate and protect: missing person (yellow notice)",
    "seize the document; report to the issuing country",
];

fn check_of(p: &veza_screen::Person) -> FieldCheck {
    FieldCheck {
        name: p.names.first().cloned(),
        birth_date: p.birth_dates.first().map(ToString::to_string),
        nationality: p.nationalities.first().cloned(),
        gender: p.gender.map(|g| g.letter().to_owned()),
        ..FieldCheck::default()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let nq: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    println!("threads available to rayon: {}", rayon::current_num_threads());
    let mut rng = synthetic::Rng(7);
    let persons: Vec<veza_screen::Person> = (0..n).map(|i| synthetic::person(&mut rng, i)).collect();
    let queries: Vec<FieldCheck> = (0..nq)
        .map(|i| {
            if i % 2 == 0 {
                let k = rng.below(n);
                check_of(&synthetic::altered(&mut rng, &persons[k], i))
            } else {
                check_of(&synthetic::person(&mut rng, 10_000_000 + i))
            }
        })
        .collect();
    let mut contents = Contents::default();
    let lists = ["interpol-notices", "national-wanted", "sltd"].map(|w| contents.watchlist_number(w));
    let instructions: Vec<u32> = INSTRUCTIONS.iter().map(|t| contents.instruction_number(t)).collect();
    let documents = n / 10;
    let t = Instant::now();
    for (i, p) in persons.into_iter().enumerate() {
        contents.persons.push(ListedPerson { person: p, watchlist: lists[i % 2], instruction: instructions[i % 3] });
    }
    for i in 0..documents {
        contents.documents.push(ListedDocument {
            id: format!("D{i:07}"),
            number: format!("P{:08}", (i as u64).wrapping_mul(2_654_435_761) % 100_000_000),
            country: Some("rs".into()),
            watchlist: lists[2],
            instruction: instructions[3],
        });
    }
    let gather = t.elapsed().as_secs_f64();
    let entries = contents.entries();
    let key = SigningKey::from_bytes(&[5; 32]);
    let issue = Issue {
        operation: "op-bench".into(),
        checkpoint: "cp-bench".into(),
        country: Some("mk".into()),
        exported_by: "bench".into(),
        issued_at: 1_800_000_000,
        expires_at: 1_800_000_000 + 72 * 3600,
        kdf: KdfParams::default(),
    };
    let t = Instant::now();
    let file = seal(&contents, &issue, &key, "bench passphrase").expect("seal");
    let sealing = t.elapsed().as_secs_f64();
    drop(contents);
    println!(
        "entries {entries} ({n} persons, {documents} documents): snapshot built in {sealing:.2} s ({:.0} entries/s), {:.1} MB ({:.1} B/entry); moving the entries in {gather:.2} s",
        entries as f64 / sealing,
        file.len() as f64 / 1e6,
        file.len() as f64 / entries as f64
    );
    let t = Instant::now();
    let opened = open(&file, &key.verifying_key(), 1_800_000_100, "bench passphrase").expect("open");
    let opening = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let index = FieldIndex::build(opened.contents);
    let indexing = t.elapsed().as_secs_f64();
    println!(
        "entries {entries}: field node opens it in {opening:.2} s (argon2id 64 MiB, decrypt, decompress, decode), indexes it in {indexing:.2} s: ready {:.2} s after start",
        opening + indexing
    );
    let single = nq.min(5_000);
    let mut scratch = Scratch::default();
    let t = Instant::now();
    let mut hits = 0usize;
    for q in &queries[..single] {
        hits += index.check_with(q, 0.7, &mut scratch).expect("check").len();
    }
    let one = single as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let found: usize = queries
        .par_iter()
        .map_init(Scratch::default, |s, q| usize::from(!index.check_with(q, 0.7, s).expect("check").is_empty()))
        .sum();
    let all = nq as f64 / t.elapsed().as_secs_f64();
    println!(
        "entries {entries}: offline checks/s one thread {one:.0} ({hits} hits in {single}); all threads {all:.0} ({found} of {nq} checks with a hit; half are altered copies of entries)"
    );
}
