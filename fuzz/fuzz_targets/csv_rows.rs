//! CSV rows through a mapping that uses every kind of source. The input
//! follows a fixed header, so the fuzzer spends its time on rows; an input
//! starting with `#` is read as a whole file instead, header included.
//! Invariants: no panic, every accepted entity is valid, every rejected
//! row has at least one reject.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use veza_ingest::{CsvReader, Mapping, Outcome};
use veza_model::Model;

const MAPPING: &str = r#"
schema = "Person"
id = "id"
[properties]
firstName = "given"
lastName = "family"
birthDate = { column = "born", format = "%Y%m%d" }
alias = { column = "aliases", split = ";" }
address = { columns = ["street", "town"], join = " " }
nationality = "country"
phone = "phone"
gender = { value = "female" }
"#;

const HEADER: &[u8] = b"id,given,family,born,aliases,street,town,country,phone\n";

fn mapping() -> &'static Mapping {
    static PARSED: OnceLock<Mapping> = OnceLock::new();
    PARSED.get_or_init(|| match Mapping::parse(MAPPING, Model::builtin()) {
        Ok(m) => m,
        Err(e) => panic!("the fuzz mapping is invalid: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let input: Vec<u8> = match data.strip_prefix(b"#") {
        Some(whole_file) => whole_file.to_vec(),
        None => [HEADER, data].concat(),
    };
    let model = Model::builtin();
    let Ok(reader) = CsvReader::new(&input[..], mapping(), model, "fuzz") else { return };
    for outcome in reader {
        match outcome {
            Ok(Outcome::Accepted(a)) => assert!(a.entity.validate(model).is_ok(), "{:?}", a.entity),
            Ok(Outcome::Rejected(rejects)) => assert!(!rejects.is_empty()),
            Err(_) => break,
        }
    }
});
