//! A whole scenario, written to a folder: the same seed gives the same
//! bytes; the truth agrees with the sources; names vary by the written rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use veza_synth::output::FolderSink;
use veza_synth::script::{self, MACEDONIAN_DIACRITIC, MACEDONIAN_OFFICIAL, SERBIAN};
use veza_synth::{Options, generate};

fn write(dir: &Path, seed: u64, threads: usize) -> veza_synth::Summary {
    let options = Options { persons: 6_000, seed, countries: vec!["rs", "mk", "ba", "me", "al", "xk", "gr", "hu"] };
    let mut sink = FolderSink::create(dir, &options.agencies()).unwrap();
    let summary = generate(&options, threads, &mut sink, &mut |_, _| {}).unwrap();
    sink.finish(&options, &summary).unwrap();
    summary
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["", "sources", "truth", "watchlists"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// Every entity of the sources, by id.
fn entities(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir.join("sources")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap().to_owned();
            assert!(out.insert(id.clone(), v).is_none(), "duplicate id {id}");
        }
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_number_of_threads() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(a.path(), 7, 1);
    write(b.path(), 7, 3);
    write(c.path(), 8, 2);
    let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
    assert!(fa.len() > 30);
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
    assert_ne!(fa["truth/records.csv"], fc["truth/records.csv"], "another seed, another scenario");
}

#[test]
fn the_truth_agrees_with_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write(dir.path(), 3, 2);
    let d = dir.path();
    let all = entities(d);
    let records = csv_rows(&d.join("truth/records.csv"));
    assert_eq!(records.len() as u64, summary.records);
    let mut person_of: BTreeMap<String, String> = BTreeMap::new();
    let mut records_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &records {
        let e = all.get(&r[0]).unwrap_or_else(|| panic!("record {} not in the sources", r[0]));
        assert_eq!(e["schema"], "Person");
        person_of.insert(r[0].clone(), r[1].clone());
        records_of.entry(r[1].clone()).or_default().push(r[0].clone());
    }
    // Records are spread over agencies: many people are seen more than once.
    assert!(records_of.values().filter(|r| r.len() > 1).count() > 500);

    let members = csv_rows(&d.join("truth/ocg_members.csv"));
    assert!(!members.is_empty());
    let member_ids: BTreeSet<&str> = members.iter().map(|m| m[0].as_str()).collect();
    for m in &members {
        assert!(records_of.contains_key(&m[0]), "OCG member {} has no record", m[0]);
        assert_eq!(all[&m[1]]["schema"], "Organization", "{}", m[1]);
        assert!(
            [
                "organiser",
                "recruiter",
                "transporter",
                "document_forger",
                "enforcer",
                "money_handler",
                "corrupt_official"
            ]
            .contains(&m[2].as_str())
        );
    }
    for v in csv_rows(&d.join("truth/victims.csv")) {
        assert!(records_of.contains_key(&v[0]), "victim {} has no record", v[0]);
        assert_eq!(all[&v[1]]["schema"], "Case");
    }

    let notices: Vec<serde_json::Value> = std::fs::read_to_string(d.join("watchlists/notices.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stolen = csv_rows(&d.join("watchlists/stolen_documents.csv"));
    let mut watch: BTreeSet<String> = stolen.iter().map(|s| s[0].clone()).collect();
    watch.extend(notices.iter().map(|n| n["entity_id"].as_str().unwrap().to_owned()));
    let hits = csv_rows(&d.join("truth/watchlist_hits.csv"));
    let mut hit_people: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for h in &hits {
        assert!(all.contains_key(&h[0]), "hit record {} not in the sources", h[0]);
        assert!(watch.contains(&h[1]), "hit on unknown notice or document {}", h[1]);
        if let Some(p) = person_of.get(&h[0]) {
            hit_people.entry(h[1].clone()).or_default().insert(p.clone());
        }
    }
    let red: Vec<&serde_json::Value> =
        notices.iter().filter(|n| n["_links"]["self"]["href"].as_str().unwrap().contains("/red/")).collect();
    assert!(!red.is_empty());
    for n in red {
        let id = n["entity_id"].as_str().unwrap();
        let people = &hit_people[id];
        assert_eq!(people.len(), 1, "red notice {id} names one person");
        assert!(member_ids.contains(people.iter().next().unwrap().as_str()), "red notice {id} names no OCG member");
    }
    // Stolen documents of the OCGs show up at borders.
    assert!(hits.iter().any(|h| h[1].starts_with("SLTD-") && all[&h[0]]["schema"] == "Check"));
}

/// Edit distance with transpositions (optimal string alignment): a
/// clerk's swapped pair of letters counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut m = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in m.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in m[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            m[i][j] = (m[i - 1][j] + 1).min(m[i][j - 1] + 1).min(m[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                m[i][j] = m[i][j].min(m[i - 2][j - 2] + 1);
            }
        }
    }
    m[a.len()][b.len()]
}

#[test]
fn cyrillic_and_latin_records_of_one_person_follow_the_official_tables() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 11, 2);
    let all = entities(dir.path());
    let mut by_person: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in csv_rows(&dir.path().join("truth/records.csv")) {
        let e = &all[&r[0]];
        let first = e["properties"]["firstName"][0].as_str().unwrap_or("").to_owned();
        let last = e["properties"]["lastName"][0].as_str().unwrap_or("").to_owned();
        by_person.entry(r[1].clone()).or_default().push((first, last));
    }
    let (mut pairs, mut exact) = (0, 0);
    for names in by_person.values() {
        for (cf, cl) in names.iter().filter(|(f, _)| script::is_cyrillic(f)) {
            for (lf, ll) in names.iter().filter(|(f, l)| !script::is_cyrillic(f) && !script::is_cyrillic(l)) {
                let macedonian = cf.contains(['ѓ', 'ќ', 'ѕ', 'Ѓ', 'Ќ', 'Ѕ'])
                    || cl.contains(['ѓ', 'ќ', 'ѕ', 'Ѓ', 'Ќ', 'Ѕ'])
                    || cl.ends_with("ски")
                    || cl.ends_with("ска");
                let tables: &[&[(char, &str)]] = if macedonian {
                    &[MACEDONIAN_OFFICIAL, MACEDONIAN_DIACRITIC]
                } else {
                    &[SERBIAN, MACEDONIAN_OFFICIAL, MACEDONIAN_DIACRITIC]
                };
                let written = format!("{lf} {ll}");
                let forms: Vec<String> = tables
                    .iter()
                    .flat_map(|t| {
                        let l = format!("{} {}", script::to_latin(cf, t), script::to_latin(cl, t));
                        [script::ascii_fold(&l), l]
                    })
                    .collect();
                pairs += 1;
                if forms.contains(&written) {
                    exact += 1;
                } else {
                    // Otherwise only a clerk's typo (one edit in each part at most) separates them.
                    let best = forms.iter().map(|f| distance(f, &written)).min().unwrap();
                    assert!(best <= 2, "{cf} {cl} written as {written}: not a transliteration of the tables");
                }
            }
        }
    }
    assert!(pairs > 50, "only {pairs} Cyrillic/Latin pairs");
    assert!(exact * 10 >= pairs * 9, "{exact} of {pairs} pairs are exact transliterations");
}
