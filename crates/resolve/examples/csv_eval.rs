//! Development check: resolves a CSV of ISO-dated records (columns as
//! `scripts/peers/synth_persons_csv.py` writes them) and prints the model,
//! the keys, scores against a truth CSV (`record_id,person_id`) and
//! explanations of a sample of wrong pairs.
//! `cargo run --release -p veza-resolve --example csv_eval -- RECORDS.csv TRUTH.csv`

use std::collections::HashMap;
use veza_resolve::{Field, FieldKind, Record, Resolver, Schema, Settings, Silent};

fn kind(column: &str) -> Option<FieldKind> {
    Some(match column {
        "first_name" | "given_name" => FieldKind::GivenName,
        "last_name" | "surname" => FieldKind::Surname,
        "birth_date" => FieldKind::Date,
        "gender" | "nationality" => FieldKind::Categorical,
        "document_number" | "id_number" => FieldKind::Identifier,
        "phone" => FieldKind::Phone,
        "address" | "address_1" | "address_2" => FieldKind::Address,
        "street_number" => FieldKind::Exact,
        "suburb" => FieldKind::City,
        "postcode" => FieldKind::Postcode,
        "state" => FieldKind::Region,
        "date_of_birth" => FieldKind::Date,
        "soc_sec_id" if std::env::var("NO_SSN").is_err() => FieldKind::Identifier,
        _ => return None,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut reader = csv::Reader::from_path(&args[1]).expect("records");
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let used: Vec<(usize, FieldKind)> =
        header.iter().enumerate().filter_map(|(i, h)| kind(h).map(|k| (i, k))).collect();
    let schema = Schema::new(used.iter().map(|&(i, k)| Field::new(header[i].clone(), k)).collect());
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.expect("row");
        let iso = |v: &str| {
            if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
                format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..])
            } else {
                v.to_owned()
            }
        };
        let values = used
            .iter()
            .map(|&(i, k)| {
                Some(if k == FieldKind::Date { iso(&row[i]) } else { row[i].to_owned() }).filter(|v| !v.is_empty())
            })
            .collect();
        records.push(Record::new(&row[0], values));
    }
    // Truth: record id in the first column, entity in the last.
    let truth: HashMap<String, String> = csv::Reader::from_path(&args[2])
        .expect("truth")
        .records()
        .map(|r| {
            let r = r.expect("truth row");
            (r[0].to_owned(), r[r.len() - 1].to_owned())
        })
        .collect();
    let t = std::time::Instant::now();
    let r = Resolver::resolve(schema, records, Settings::default(), &Silent).expect("resolve");
    let rep = r.report();
    println!(
        "time {:?} pairs {} clusters {} lambda {:.5}",
        t.elapsed(),
        rep.pairs_compared,
        rep.clusters,
        rep.model.match_share
    );
    for k in &rep.keys {
        println!(
            "key {:?} pairs {} oversized {} coverage {:.3}",
            k.parts, k.pairs, k.oversized_blocks, k.match_coverage
        );
    }
    for (f, fm) in rep.model.fields.iter().enumerate() {
        let w: Vec<f64> = fm.weights.iter().map(|w| (w * 10.0).round() / 10.0).collect();
        let m: Vec<f64> = fm.m.iter().map(|w| (w * 1000.0).round() / 1000.0).collect();
        let u: Vec<f64> = fm.u.iter().map(|w| (w * 10000.0).round() / 10000.0).collect();
        println!("{} w={w:?} m={m:?} u={u:?}", r.schema().fields[f].name);
    }
    let ids: Vec<&str> = r.records().iter().map(|x| x.id.as_str()).collect();
    if let Ok(out) = std::env::var("CLUSTERS") {
        let mut w = csv::Writer::from_path(out).expect("clusters");
        w.write_record(["record_id", "cluster_id"]).expect("write");
        for (id, c) in ids.iter().zip(r.cluster_ids()) {
            w.write_record([*id, &c.to_string()]).expect("write");
        }
    }
    let (mut fp, mut fn_) = (Vec::new(), 0usize);
    for (a, b, p) in r.pairs() {
        let same = truth.get(a) == truth.get(b);
        if p >= 0.9 && !same && fp.len() < 12 {
            fp.push((a, b));
        }
        if p < 0.9 && same {
            fn_ += 1;
        }
    }
    println!("links below threshold between same persons: {fn_}");
    // The true m: levels among true matches, over all pairs of each entity.
    let mut by_truth: HashMap<&str, Vec<&str>> = HashMap::new();
    for id in &ids {
        by_truth.entry(truth[*id].as_str()).or_default().push(id);
    }
    let mut true_m: Vec<HashMap<String, usize>> = vec![HashMap::new(); r.schema().fields.len()];
    for members in by_truth.values() {
        for (x, a) in members.iter().enumerate() {
            for b in &members[x + 1..] {
                for (f, e) in r.explain_pair(a, b).expect("pair").fields.iter().enumerate() {
                    *true_m[f].entry(e.level.clone()).or_default() += 1;
                }
            }
        }
    }
    for (f, levels) in true_m.iter().enumerate() {
        let mut l: Vec<_> = levels.iter().collect();
        l.sort();
        println!("true m {}: {l:?}", r.schema().fields[f].name);
    }
    // Same entity, different clusters: the strongest scored pair of each, or unscored.
    let mut missed = 0;
    let cl = r.cluster_ids();
    let mut by_entity: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        by_entity.entry(truth[*id].as_str()).or_default().push(i);
    }
    let mut entities: Vec<_> = by_entity.into_iter().collect();
    entities.sort();
    for (_, members) in entities {
        if members.iter().any(|&i| cl[i] != cl[members[0]]) {
            missed += 1;
            if missed <= 12 {
                let (a, b) = (members[0], *members.iter().find(|&&i| cl[i] != cl[members[0]]).unwrap());
                let e = r.explain_pair(ids[a], ids[b]).expect("pair");
                let fields: Vec<String> = e
                    .fields
                    .iter()
                    .map(|f| format!("{}={}({:.1}{:+.1})", f.field, f.level, f.weight, f.term_frequency_adjustment))
                    .collect();
                println!(
                    "FN p={:.4} {:?}\n   {:?}\n   {}",
                    e.probability,
                    r.records()[a].values,
                    r.records()[b].values,
                    fields.join(" ")
                );
            }
        }
    }
    println!("entities split: {missed}");
    for (a, b) in fp {
        let e = r.explain_pair(a, b).expect("pair");
        let fields: Vec<String> = e
            .fields
            .iter()
            .map(|f| format!("{}={}({:.1}{:+.1})", f.field, f.level, f.weight, f.term_frequency_adjustment))
            .collect();
        let show = |id: &str| r.records()[ids.iter().position(|x| *x == id).unwrap()].values.clone();
        println!("FP p={:.4} {:?}\n   {:?}\n   {}", e.probability, show(a), show(b), fields.join(" "));
    }
}
