//! How long one assessment takes (it runs on every interview page view).
//! Run: `cargo bench -p veza-indicators`.

use std::time::Instant;

use veza_indicators::{AgeGroup, Answers, Catalogue, assess};

fn main() {
    let c = Catalogue::builtin();
    let codes: Vec<&str> = c.indicators.iter().step_by(2).map(|i| i.code.as_str()).collect();
    let answers = Answers::observed(AgeGroup::Adult, codes);
    let rounds = 20_000;
    let start = Instant::now();
    let mut indicated = 0;
    for _ in 0..rounds {
        indicated += assess(c, &answers).unwrap().purposes.iter().filter(|p| p.indicated).count();
    }
    let per = start.elapsed() / rounds;
    println!("assess: {per:?} per assessment ({} indicators, {indicated} indications)", c.indicators.len());
}
