//! INTERPOL notices JSON (list pages, details, arrays, JSON lines) through
//! the notices reader. Invariants: no panic, every accepted notice is a
//! valid entity with its type, every rejected notice has a reject.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veza_ingest::{NoticeReader, Outcome};
use veza_model::Model;

fuzz_target!(|data: &[u8]| {
    let model = Model::builtin();
    let Ok(reader) = NoticeReader::new(data, model, "fuzz") else { return };
    for outcome in reader {
        match outcome {
            Ok(Outcome::Accepted(a)) => {
                assert!(a.entity.validate(model).is_ok(), "{:?}", a.entity);
                assert!(a.entity.first("noticeType").is_some());
            }
            Ok(Outcome::Rejected(rejects)) => assert!(!rejects.is_empty()),
            Err(_) => break,
        }
    }
});
