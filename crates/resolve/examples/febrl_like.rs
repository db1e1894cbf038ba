//! Writes FEBRL-like synthetic person records with duplicates to standard
//! output, deterministically: `cargo run --release -p veza-resolve
//! --example febrl_like -- 100000 > people.csv`. About a third of the
//! records are duplicates of an original, with typos, swapped or missing
//! fields. Columns as in FEBRL, `entity_id` is the truth (not a feature).

use std::io::Write;

const GIVEN: &[&str] = &[
    "arben", "milica", "jovan", "ana", "ivan", "marko", "elena", "nikola", "sara", "luka", "mila", "petar", "jelena",
    "dragan", "vesna", "goran", "maja", "stefan", "tamara", "bojan", "ilir", "besa", "dritan", "fatmir", "valon",
    "ardita", "mimoza", "blerim", "drita", "agron", "olivia", "jack", "emily", "thomas", "chloe", "lachlan",
    "isabella", "joshua", "mia", "ryan", "zoe", "liam", "kayla", "noah", "ruby", "ethan", "grace", "james", "lily",
    "samuel",
];
const SYLLABLES: &[&str] = &[
    "kra", "sni", "qi", "pet", "ro", "vic", "jo", "va", "no", "vic", "mar", "ko", "dim", "it", "ri", "je", "lo", "sav",
    "ic", "ber", "ry", "wal", "ler", "son", "der", "ge", "ld", "ha", "rr", "ing", "ton", "ma", "son",
];
const STREETS: &[&str] = &["street", "place", "circuit", "crescent", "road", "avenue", "close", "drive"];
const STATES: &[&str] = &["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// Zipf-like pick: small indices more often.
    fn skewed(&mut self, n: usize) -> usize {
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(x) - 1.0) as usize % n
    }
}

fn word(rng: &mut Rng, parts: usize) -> String {
    (0..parts).map(|_| SYLLABLES[rng.skewed(SYLLABLES.len())]).collect()
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 2 {
        return s.to_owned();
    }
    let i = rng.below(c.len());
    match rng.below(4) {
        0 => c[i] = (b'a' + rng.below(26) as u8) as char,
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, (b'a' + rng.below(26) as u8) as char),
        _ => {
            let j = (i + 1).min(c.len() - 1);
            c.swap(i, j);
        }
    }
    c.into_iter().collect()
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let mut rng = Rng(20_261_128);
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    writeln!(out, "id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id,entity_id").unwrap();
    let originals = n * 2 / 3;
    let mut people: Vec<[String; 10]> = Vec::with_capacity(originals);
    for e in 0..originals {
        let syllables = 2 + rng.below(2);
        let p = [
            GIVEN[rng.skewed(GIVEN.len())].to_owned(),
            word(&mut rng, syllables),
            (1 + rng.below(300)).to_string(),
            format!("{} {}", word(&mut rng, 2), STREETS[rng.below(STREETS.len())]),
            if rng.chance(0.5) { word(&mut rng, 3) } else { String::new() },
            word(&mut rng, 2),
            format!("{}", 2000 + rng.below(7000)),
            STATES[rng.skewed(STATES.len())].to_owned(),
            format!("{}{:02}{:02}", 1920 + rng.below(90), 1 + rng.below(12), 1 + rng.below(28)),
            format!("{}", 1_000_000 + rng.below(9_000_000)),
        ];
        writeln!(out, "rec-{e}-org,{},{e}", p.join(",")).unwrap();
        people.push(p);
    }
    for d in 0..n - originals {
        let e = rng.below(originals);
        let mut p = people[e].clone();
        for _ in 0..1 + rng.below(3) {
            let f = rng.below(10);
            p[f] = match rng.below(3) {
                0 => String::new(),
                _ if f == 8 && !p[f].is_empty() => {
                    // Dates keep their shape: one digit changes.
                    let mut c: Vec<char> = p[f].chars().collect();
                    let i = 2 + rng.below(6);
                    c[i] = (b'0' + rng.below(10) as u8) as char;
                    c.into_iter().collect()
                }
                _ => typo(&mut rng, &p[f]),
            };
        }
        writeln!(out, "rec-{e}-dup-{d},{},{e}", p.join(",")).unwrap();
    }
}
