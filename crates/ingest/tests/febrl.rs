//! FEBRL 3 (5,000 synthetic person records, `../shared/data/febrl/`)
//! through the mapping of the mapping-file contract. Skipped, with a
//! message, where the data set is not checked out.

use std::path::PathBuf;
use veza_ingest::{CsvReader, Mapping, Outcome, Tally};
use veza_model::Model;

const MAPPING: &str = r#"
schema = "Person"
id = "id"                         # column holding the source record id
[properties]
firstName = "given_name"
lastName = "surname"
birthDate = { column = "date_of_birth", format = "%Y%m%d" }
address = ["street_number", "address_1", "suburb", "postcode", "state"]  # joined with ", " (empty parts skipped)
idNumber = "soc_sec_id"
"#;

/// Lines of the six FEBRL 3 records that have neither a given name nor a
/// surname. As in FtM, records from a source are kept without the
/// properties a schema requires of hand-entered ones.
const NAMELESS: [u64; 6] = [179, 755, 1353, 1403, 3921, 4585];

fn febrl3() -> Option<Vec<Outcome>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl/febrl3.csv");
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            println!("skipped: {} is not readable ({e})", path.display());
            return None;
        }
    };
    let model = Model::builtin();
    let mapping = Mapping::parse(MAPPING, model).unwrap();
    let reader = CsvReader::new(file, &mapping, model, "febrl3").unwrap();
    Some(reader.collect::<Result<_, _>>().unwrap())
}

#[test]
fn febrl3_yields_5000_entities_35_notes_and_no_rejects() {
    let Some(outcomes) = febrl3() else { return };
    let tally: Tally = outcomes.iter().collect();
    assert_eq!(tally, Tally { rows: 5_000, accepted: 5_000, rejected: 0, rejects: 0, notes: 35 });
}

#[test]
fn nameless_febrl3_records_are_kept_without_a_name() {
    let Some(outcomes) = febrl3() else { return };
    let nameless: Vec<u64> = outcomes
        .iter()
        .filter(|o| o.entity().is_some_and(|e| e.values("name").is_empty()))
        .map(Outcome::line)
        .collect();
    assert_eq!(nameless, NAMELESS);
}

#[test]
fn febrl3_records_keep_their_values_and_source() {
    let Some(outcomes) = febrl3() else { return };
    let first = outcomes[0].entity().unwrap();
    assert_eq!(outcomes[0].line(), 2);
    assert_eq!(first.id, "febrl3.rec-1496-org");
    assert_eq!(first.first("name"), Some("mitchell green"));
    assert_eq!(first.first("birthDate"), Some("1956-04-09"));
    assert_eq!(first.first("address"), Some("7, wallaby place, cleveland, 2119, sa"));
    assert_eq!(first.first("idNumber"), Some("1804974"));
    assert_eq!(first.provenance.source.record.as_deref(), Some("rec-1496-org"));
    let notes: Vec<_> = outcomes.iter().flat_map(Outcome::notes).collect();
    assert!(notes.iter().all(|n| n.column == "date_of_birth"));
    assert!(notes.iter().all(|n| n.message.contains("out of range; kept")), "{notes:?}");
    let typo = notes.iter().find(|n| n.value == "19551192").expect("line 105 has the day typo 19551192");
    assert_eq!((typo.line, typo.message.as_str()), (105, "day 92 out of range; kept 1955-11"));
}
