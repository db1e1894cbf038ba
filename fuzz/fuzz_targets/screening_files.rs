//! Screening files (`veza screen`): the fixed-header CSV and FtM JSON lines.
//! The first byte chooses the format. Invariants: no panic; every record
//! read has an id; every error names a line.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::{PersonReader, ScreeningFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let (format, input) = if first % 2 == 0 {
        let mut v = b"id,name,aliases,birth_date,gender,nationality,document_number\n".to_vec();
        v.extend_from_slice(rest);
        (ScreeningFormat::Csv, v)
    } else {
        (ScreeningFormat::FtmLines, rest.to_vec())
    };
    let Ok(reader) = PersonReader::from_reader(Box::new(std::io::Cursor::new(input)), format, "fuzz") else { return };
    for row in reader {
        match row {
            Ok(p) => assert!(!p.id.trim().is_empty()),
            Err(e) => assert!(e.line >= 1),
        }
    }
});
