//! FtM JSON lines. Invariants: no panic, every accepted entity is valid and
//! has a dataset, every rejected line has at least one reject.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::{FtmReader, Outcome};
use veza_model::Model;

fuzz_target!(|data: &[u8]| {
    let model = Model::builtin();
    let Ok(reader) = FtmReader::new(data, model, "fuzz") else { return };
    for outcome in reader {
        match outcome {
            Ok(Outcome::Accepted(a)) => {
                assert!(a.entity.validate(model).is_ok(), "{:?}", a.entity);
                assert!(!a.entity.provenance.source.dataset.is_empty());
            }
            Ok(Outcome::Rejected(rejects)) => assert!(!rejects.is_empty()),
            Err(_) => break,
        }
    }
});
