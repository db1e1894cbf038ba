//! Development check: resolves a FEBRL-style CSV (no quoted commas) and
//! prints pairwise precision/recall/F1 against its `entity_id` column.
//! `cargo run --release -p veza-resolve --example febrl_eval -- FILE [--no-ssn]`

use std::collections::HashMap;
use veza_resolve::{Field, FieldKind, Record, Resolver, Schema, Settings, Silent};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read");
    let no_ssn = args.iter().any(|a| a == "--no-ssn");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let kinds = [
        ("given_name", FieldKind::GivenName),
        ("surname", FieldKind::Surname),
        ("street_number", FieldKind::Exact),
        ("address_1", FieldKind::Address),
        ("address_2", FieldKind::Address),
        ("suburb", FieldKind::City),
        ("postcode", FieldKind::Postcode),
        ("state", FieldKind::Region),
        ("date_of_birth", FieldKind::Date),
        ("soc_sec_id", FieldKind::Identifier),
    ];
    let used: Vec<(usize, &str, FieldKind)> = kinds
        .iter()
        .filter(|(c, _)| !(no_ssn && *c == "soc_sec_id"))
        .map(|(c, k)| (header.iter().position(|h| h == c).unwrap(), *c, *k))
        .collect();
    let ent = header.iter().position(|h| *h == "entity_id").unwrap();
    let mut records = Vec::new();
    let mut truth = Vec::new();
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        let values = used
            .iter()
            .map(|(i, c, _)| {
                let v = cols[*i].to_string();
                if *c == "date_of_birth" && v.len() == 8 {
                    Some(format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..]))
                } else {
                    Some(v)
                }
            })
            .collect();
        records.push(Record::new(cols[0], values));
        truth.push(cols[ent].to_string());
    }
    let schema = Schema::new(used.iter().map(|(_, c, k)| Field::new(*c, *k)).collect());
    let t = std::time::Instant::now();
    let r = Resolver::resolve(
        schema,
        records,
        Settings {
            random_pairs: std::env::var("RP").map(|v| v.parse().unwrap()).unwrap_or(200_000),
            ..Settings::default()
        },
        &Silent,
    )
    .unwrap();
    let elapsed = t.elapsed();
    let c = r.cluster_ids();
    let mut by_c: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &x) in c.iter().enumerate() {
        by_c.entry(x).or_default().push(i);
    }
    let mut by_t: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, x) in truth.iter().enumerate() {
        by_t.entry(x).or_default().push(i);
    }
    let pairs = |g: &Vec<usize>| (g.len() * (g.len() - 1) / 2) as f64;
    let pred: f64 = by_c.values().map(pairs).sum();
    let tru: f64 = by_t.values().map(pairs).sum();
    let mut tp = 0.0;
    for g in by_c.values() {
        for (x, &a) in g.iter().enumerate() {
            for &b in &g[x + 1..] {
                if truth[a] == truth[b] {
                    tp += 1.0;
                }
            }
        }
    }
    let p = tp / pred.max(1.0);
    let rc = tp / tru.max(1.0);
    let rep = r.report();
    println!(
        "time {:?} pairs {} clusters {} precision {p:.5} recall {rc:.5} f1 {:.5} est_recall {:.5} lambda {:.4}",
        elapsed,
        rep.pairs_compared,
        rep.clusters,
        2.0 * p * rc / (p + rc),
        rep.estimated_blocking_recall,
        rep.model.match_share
    );
    if let Ok(pairs) = std::env::var("EXPLAIN") {
        for pair in pairs.split(';') {
            let (a, b) = pair.split_once(',').unwrap();
            let e = r.explain_pair(a, b).unwrap();
            println!("{a} {b}: weight {:.2} p {:.6} prior {:.2}", e.match_weight, e.probability, e.prior_weight);
            for f in &e.fields {
                println!("  {:14} {:22} {:7.2} tf {:5.2}", f.field, f.level, f.weight, f.term_frequency_adjustment);
            }
        }
    }
    if let Ok(path) = std::env::var("OUT") {
        let mut out = String::from("record_id,cluster_id\n");
        for (rec, c) in r.records().iter().zip(r.cluster_ids()) {
            out.push_str(&format!("{},{c}\n", rec.id));
        }
        std::fs::write(path, out).unwrap();
    }
    if args.iter().any(|a| a == "--verbose") {
        for k in &rep.keys {
            println!("{:?} {} {:.3}", k.parts, k.pairs, k.match_coverage);
        }
        for (f, fm) in rep.model.fields.iter().enumerate() {
            println!("{f} w={:?}", fm.weights.iter().map(|w| (w * 10.0).round() / 10.0).collect::<Vec<_>>());
        }
    }
}
