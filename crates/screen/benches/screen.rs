//! Speed of the screening engine on synthetic watchlists (deterministic).
//!
//! `cargo bench -p veza-screen --bench screen -- [SIZES] [QUERIES]`, e.g.
//! `-- 100000,1000000 20000`. Prints, per size: build rate, memory per entry
//! (the index's own estimate and the process's resident growth), queries per
//! second on one thread and on all threads (rayon), and document look-ups
//! per second. `scripts/bench-screen` runs it beside the nomenklatura peer.
//!
//! The names are fictitious combinations of common given names and surnames
//! of the region (Slavic, Albanian, Turkish, Arabic, Persian), some in
//! Cyrillic or Arabic script, with generated surname stems so that the
//! vocabulary grows with the list as a real one does. Queries are half
//! altered copies of entries (case, diacritics, order, one typo, year-only
//! date) and half new combinations.

use std::time::Instant;
use veza_screen::{BirthDate, DocumentIndex, Gender, Person, Scratch, ScreenOptions, Watchlist};

/// A small deterministic generator (SplitMix64).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const GIVEN_M: &[&str] = &[
    "Marko",
    "Nikola",
    "Stefan",
    "Luka",
    "Đorđe",
    "Milan",
    "Dragan",
    "Nenad",
    "Zoran",
    "Goran",
    "Ivan",
    "Petar",
    "Aleksandar",
    "Miloš",
    "Dejan",
    "Bojan",
    "Vladimir",
    "Srđan",
    "Emir",
    "Amar",
    "Adnan",
    "Haris",
    "Edin",
    "Arben",
    "Besnik",
    "Driton",
    "Fatmir",
    "Ilir",
    "Valon",
    "Mehmet",
    "Ahmet",
    "Mustafa",
    "Emre",
    "Burak",
    "Hakan",
    "Muhammad",
    "Ahmad",
    "Ali",
    "Omar",
    "Yusuf",
    "Ibrahim",
    "Khalid",
    "Hassan",
    "Hussein",
    "Abdul Rahman",
    "Mahmoud",
    "Karim",
    "Tariq",
    "Bilal",
    "Hamid",
    "Wali",
    "Zubair",
    "Farid",
    "Jamal",
    "Rashid",
    "Samir",
    "Nabil",
    "Walid",
    "Yasin",
    "Mirwais",
    "Ahmad Shah",
    "Gul",
];
const GIVEN_F: &[&str] = &[
    "Ana", "Jelena", "Milica", "Marija", "Ivana", "Jovana", "Tijana", "Dragana", "Snežana", "Vesna", "Amra", "Lejla",
    "Emina", "Arta", "Blerta", "Drita", "Ayşe", "Fatma", "Zeynep", "Elif", "Fatima", "Aisha", "Maryam", "Zainab",
    "Layla", "Huda", "Rania", "Noor", "Sana", "Farida", "Nadia", "Samira", "Khadija", "Amina", "Hafsa",
];
const STEMS: &[&str] = &[
    "Petr", "Jovan", "Nikol", "Marko", "Stojan", "Ilij", "Pavl", "Todor", "Dimitr", "Stan", "Rad", "Mil", "Drag",
    "Vuk", "Bog", "Kost", "Lazar", "Mitr", "Nen", "Ognjen", "Simeon", "Trajk", "Velj", "Živk", "Đurđ", "Kovač",
    "Babić", "Hod", "Krasn", "Bel", "Cvet", "Dob", "Grub", "Ivank", "Jank", "Kalin", "Luk", "Mark", "Nov", "Obrad",
    "Perk", "Rist",
];
const SUFFIXES: &[&str] =
    &["ović", "ević", "ić", "ski", "ov", "ev", "inović", "anović", "ovski", "evski", "ović", "ijević"];
const OTHER_SURNAMES: &[&str] = &[
    "Hoxha",
    "Krasniqi",
    "Gashi",
    "Berisha",
    "Morina",
    "Shala",
    "Bytyqi",
    "Kelmendi",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Al-Masri",
    "Al-Hassan",
    "Haddad",
    "Khoury",
    "Nasser",
    "Saleh",
    "Hamdan",
    "Qureshi",
    "Khan",
    "Ahmadi",
    "Hakimi",
    "Rahimi",
    "Popal",
    "Stanekzai",
    "Barakzai",
    "Yousufzai",
    "Chowdhury",
    "Rahman",
    "Hossain",
    "El Amrani",
    "Benali",
];
const ARABIC_SCRIPT: &[&str] =
    &["محمد المصري", "أحمد الحسن", "علي حداد", "عمر صالح", "يوسف ناصر", "فاطمة الخوري", "زينب حمدان"];
const CYRILLIC: &[&str] =
    &["Ђорђе Петровић", "Марко Јовановић", "Милица Николић", "Драган Стојановић", "Иван Илиев", "Тодор Димитров"];

fn surname(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        return rng.pick(OTHER_SURNAMES).to_owned();
    }
    // stem + optional syllable + suffix: a vocabulary that grows with the list
    let syllables =
        ["", "a", "o", "in", "el", "ar", "ak", "en", "ur", "il", "ab", "ed", "om", "iv", "uš", "an", "ev", "or"];
    format!(
        "{}{}{}{}",
        rng.pick(STEMS),
        syllables[rng.below(syllables.len())],
        syllables[rng.below(syllables.len())],
        rng.pick(SUFFIXES)
    )
}

pub(crate) fn person(rng: &mut Rng, id: usize) -> Person {
    let female = rng.below(2) == 0;
    let name = match rng.below(20) {
        0 => rng.pick(ARABIC_SCRIPT).to_owned(),
        1 => rng.pick(CYRILLIC).to_owned(),
        _ => {
            let given = rng.pick(if female { GIVEN_F } else { GIVEN_M });
            let middle = if rng.below(4) == 0 { format!(" {}", rng.pick(GIVEN_M)) } else { String::new() };
            format!("{given}{middle} {}", surname(rng))
        }
    };
    let mut p = Person::named(&format!("E{id:07}"), &name);
    if rng.below(5) == 0 {
        p.names.push(veza_text::fold(&name));
    }
    let year = 1950 + rng.below(55) as u16;
    let (month, day) = (1 + rng.below(12) as u8, 1 + rng.below(28) as u8);
    p.birth_dates.push(BirthDate { year, month: Some(month), day: Some(day) });
    p.gender = Some(if female { Gender::Female } else { Gender::Male });
    p.nationalities.push(["RS", "BA", "ME", "MK", "AL", "XK", "TR", "SY", "IQ", "AF", "PK"][rng.below(11)].to_owned());
    if rng.below(2) == 0 {
        p.documents.push(format!("{}{:08}", ["P", "A", "N", "T"][rng.below(4)], rng.next() % 100_000_000));
    }
    p
}

pub(crate) fn altered(rng: &mut Rng, base: &Person, id: usize) -> Person {
    let mut q = base.clone();
    q.id = format!("Q{id:07}");
    q.names.truncate(1);
    let name = q.names[0].clone();
    q.names[0] = match rng.below(4) {
        0 => veza_text::fold(&name).to_uppercase(),
        1 => {
            let mut w: Vec<&str> = name.split(' ').collect();
            w.reverse();
            w.join(" ")
        }
        2 => {
            let mut c: Vec<char> = name.chars().collect();
            let i = 1 + rng.below(c.len().saturating_sub(1).max(1));
            if i < c.len() {
                c[i] = 'x';
            }
            c.into_iter().collect()
        }
        _ => name,
    };
    if rng.below(3) == 0 {
        q.birth_dates = q.birth_dates.iter().map(|d| BirthDate { year: d.year, month: None, day: None }).collect();
    }
    q.documents.clear();
    q
}

fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|v| v.parse::<usize>().ok()))
        .map_or(0, |pages| pages * 4096)
}

/// CPU time of the calling thread in seconds (Linux), so that the
/// one-thread figure means something on a machine shared with other work.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

/// Writes persons as a screening CSV (`id,name,aliases,birth_date,gender,
/// nationality,document_number`), for running `veza screen` on the same
/// lists. The generated names hold no commas or quotes.
fn write_csv(path: &std::path::Path, persons: &[Person]) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "id,name,aliases,birth_date,gender,nationality,document_number")?;
    for p in persons {
        writeln!(
            w,
            "{},{},{},{},{},{},{}",
            p.id,
            p.names.first().map_or("", String::as_str),
            p.names.get(1..).map_or(String::new(), |a| a.join("|")),
            p.birth_dates.first().map_or(String::new(), ToString::to_string),
            p.gender.map_or("", |g| g.letter()),
            p.nationalities.first().map_or("", String::as_str),
            p.documents.first().map_or("", String::as_str),
        )?;
    }
    w.flush()
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    // `--csv DIR`: also write each list and its queries as CSV files there
    let csv_dir = all.iter().position(|a| a == "--csv").and_then(|i| all.get(i + 1)).map(std::path::PathBuf::from);
    let args: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(i, a)| !(a.starts_with("--") || *i > 0 && all[i - 1] == "--csv"))
        .map(|(_, a)| a.clone())
        .collect();
    let sizes: Vec<usize> =
        args.first().map_or(vec![100_000, 1_000_000], |s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect());
    let nq: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    println!("threads available to rayon: {}", rayon::current_num_threads());
    for n in sizes {
        let mut rng = Rng(7);
        let persons: Vec<Person> = (0..n).map(|i| person(&mut rng, i)).collect();
        let queries: Vec<Person> = (0..nq)
            .map(|i| {
                if i % 2 == 0 {
                    let k = rng.below(n);
                    altered(&mut rng, &persons[k], i)
                } else {
                    person(&mut rng, 10_000_000 + i)
                }
            })
            .collect();
        if let Some(dir) = &csv_dir {
            let (w, q) = (dir.join(format!("watchlist_{n}.csv")), dir.join(format!("queries_{n}.csv")));
            if let Err(e) = write_csv(&w, &persons).and_then(|_| write_csv(&q, &queries)) {
                eprintln!("cannot write the CSV files in {}: {e}", dir.display());
            }
        }
        let before = resident_bytes();
        let t = Instant::now();
        let list = Watchlist::build_parallel(&persons);
        let build = t.elapsed().as_secs_f64();
        let grown = resident_bytes().saturating_sub(before);
        let options = ScreenOptions::default();
        let single = nq.min(5_000);
        let mut scratch = Scratch::default();
        let t = Instant::now();
        let cpu = thread_cpu_seconds();
        let mut hits = 0usize;
        for q in &queries[..single] {
            hits += list.screen_with(q, &options, &mut scratch).len();
        }
        let one = single as f64 / t.elapsed().as_secs_f64();
        let one_cpu = single as f64 / (thread_cpu_seconds() - cpu).max(1e-9);
        println!(
            "entries {n}: per query {:.0} candidates scored, {:.0} postings read",
            scratch.candidates_scored as f64 / single as f64,
            scratch.postings_read as f64 / single as f64
        );
        let t = Instant::now();
        let all = list.screen_batch(&queries, &options);
        let many = nq as f64 / t.elapsed().as_secs_f64();
        let found = queries.iter().zip(&all).step_by(2).filter(|(_, h)| !h.is_empty()).count();
        // documents
        let mut docs = DocumentIndex::new();
        let numbers: Vec<String> =
            (0..n).map(|i| format!("P{:08}", (i as u64).wrapping_mul(2_654_435_761) % 100_000_000)).collect();
        for (i, d) in numbers.iter().enumerate() {
            docs.insert(d, Some("RS"), i as u32);
        }
        let lookups = 1_000_000usize;
        let mut out = Vec::new();
        let t = Instant::now();
        let mut found_docs = 0usize;
        for i in 0..lookups {
            out.clear();
            docs.find_into(&numbers[(i * 7919) % n], Some("RS"), &mut out);
            found_docs += out.len();
        }
        let dps = lookups as f64 / t.elapsed().as_secs_f64();
        println!(
            "entries {n}: build {:.0} entries/s ({build:.2} s); memory {:.0} B/entry (index estimate), {:.0} B/entry (resident growth); vocabulary {} tokens",
            n as f64 / build,
            list.approximate_bytes() as f64 / n as f64,
            grown as f64 / n as f64,
            list.vocabulary_len()
        );
        println!(
            "entries {n}: queries/s one thread {one:.0} wall, {one_cpu:.0} per CPU-second ({hits} hits in {single}); all threads {many:.0} ({nq} queries, {found} altered copies with a hit)"
        );
        println!("entries {n}: document look-ups/s one thread {dps:.0} ({found_docs} found)");
    }
}
