//! Mapping files. Invariants: no panic, and a mapping that parses writes
//! out as TOML that parses back to the same mapping.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::Mapping;
use veza_model::Model;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let model = Model::builtin();
    if let Ok(mapping) = Mapping::parse(text, model) {
        let again = mapping.to_toml();
        match Mapping::parse(&again, model) {
            Ok(back) => assert_eq!(back, mapping, "{again}"),
            Err(e) => panic!("written mapping does not parse: {e}\n{again}"),
        }
    }
});
