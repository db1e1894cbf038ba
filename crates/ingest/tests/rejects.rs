//! A CSV with one bad row of each kind among good rows: the good rows
//! become entities, each bad row one reject with its physical line, and
//! the reject report says what to fix.

use veza_ingest::{CsvReader, Mapping, Outcome, Reject, write_rejects};
use veza_model::Model;

const MAPPING: &str = r#"
schema = "Person"
id = "id"
[properties]
firstName = "given_name"
lastName = "surname"
birthDate = { column = "date_of_birth", format = "%Y%m%d" }
"#;

/// Line 1 is the header. Lines 2 and 7 are good (7 with a day typo);
/// line 3 has a date of another shape, line 4 no id, line 5 a missing
/// field, line 6 a Latin-1 byte.
const CSV: &[u8] = b"id,given_name,surname,date_of_birth\n\
a1,Ana,Kova\xC4\x8D,19870314\n\
a2,Marko,Petrovi\xC4\x87,31/12/1987\n\
,Ivo,Ili\xC4\x87,19900101\n\
a4,Mira,19900101\n\
a5,Jel\xE9na,Jovanovi\xC4\x87,19910101\n\
a6,Lena,Luki\xC4\x87,19551192\n";

fn read() -> Vec<Outcome> {
    let model = Model::builtin();
    let mapping = Mapping::parse(MAPPING, model).unwrap();
    CsvReader::new(CSV, &mapping, model, "mixed").unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn good_rows_become_entities() {
    let outcomes = read();
    let accepted: Vec<(u64, &str)> =
        outcomes.iter().filter_map(|o| o.entity().map(|e| (o.line(), e.id.as_str()))).collect();
    assert_eq!(accepted, [(2, "mixed.a1"), (7, "mixed.a6")]);
}

#[test]
fn each_bad_row_gives_one_reject_with_its_line_and_reason() {
    let rejects: Vec<Reject> = read().iter().flat_map(|o| o.rejects().to_vec()).collect();
    let summary: Vec<(u64, &str, &str)> =
        rejects.iter().map(|r| (r.line, r.column.as_str(), r.value.as_str())).collect();
    assert_eq!(
        summary,
        [
            (3, "date_of_birth", "31/12/1987"),
            (4, "id", ""),
            (5, "", "a4,Mira,19900101"),
            (6, "given_name", "Jel\u{FFFD}na")
        ]
    );
    assert_eq!(rejects[0].reason, "not a valid date: does not match format '%Y%m%d'");
    assert_eq!(rejects[1].reason, "missing record id");
    assert_eq!(rejects[2].reason, "expected 4 fields, found 3");
    assert!(rejects[3].reason.starts_with("invalid UTF-8"), "{}", rejects[3].reason);
}

#[test]
fn a_date_typo_is_a_note_not_a_reject() {
    let outcomes = read();
    let lena = outcomes.iter().find(|o| o.line() == 7).unwrap();
    assert_eq!(lena.entity().unwrap().first("birthDate"), Some("1955-11"));
    let note = &lena.notes()[0];
    assert_eq!((note.line, note.column.as_str(), note.value.as_str()), (7, "date_of_birth", "19551192"));
    assert_eq!(note.message, "day 92 out of range; kept 1955-11");
}

#[test]
fn the_reject_report_is_csv_with_a_fixed_header() {
    let rejects: Vec<Reject> = read().iter().flat_map(|o| o.rejects().to_vec()).collect();
    let mut report = Vec::new();
    write_rejects(&mut report, &rejects).unwrap();
    let report = String::from_utf8(report).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "line,column,value,reason");
    assert_eq!(lines[1], "3,date_of_birth,31/12/1987,not a valid date: does not match format '%Y%m%d'");
    assert_eq!(lines[2], "4,id,,missing record id");
    assert_eq!(lines[3], "5,,\"a4,Mira,19900101\",\"expected 4 fields, found 3\"");
    assert_eq!(lines.len(), 5);
}

#[test]
fn a_repeated_record_id_is_rejected_with_the_first_line() {
    let model = Model::builtin();
    let mapping = Mapping::parse(MAPPING, model).unwrap();
    let csv = "id,given_name,surname,date_of_birth\na1,Ana,K,\na1,Ana,K,\n";
    let outcomes: Vec<Outcome> =
        CsvReader::new(csv.as_bytes(), &mapping, model, "dups").unwrap().collect::<Result<_, _>>().unwrap();
    assert!(outcomes[0].entity().is_some());
    let r = &outcomes[1].rejects()[0];
    assert_eq!((r.line, r.column.as_str(), r.value.as_str()), (3, "id", "a1"));
    assert_eq!(r.reason, "duplicate record id, first seen on line 2");
}
