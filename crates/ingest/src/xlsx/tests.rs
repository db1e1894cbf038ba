use super::*;
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime as XlsxDate, Format, Workbook, XlsxError};

const MAPPING: &str = r#"
schema = "Person"
id = "id"
sheet = "People"
[properties]
firstName = "given"
lastName = "family"
birthDate = { column = "born", format = "%Y%m%d" }
idNumber = "document"
"#;

fn mapping(text: &str) -> Mapping {
    Mapping::parse(text, Model::builtin()).unwrap()
}

/// A workbook with a cover sheet, then "People" whose header is on Excel
/// row 3 (rows 1 and 2 are empty) and whose data mixes cell types.
fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Cover")?.write_string(0, 0, "not this one")?;
    let sheet = book.add_worksheet().set_name("People")?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (col, name) in ["id", "given", "family", "born", "document"].iter().enumerate() {
        sheet.write_string(2, col as u16, *name)?;
    }
    // Row 4: integer id, a real Excel date, a number without fraction.
    sheet.write_number(3, 0, 1)?.write_string(3, 1, "Ana")?.write_string(3, 2, "Kovač")?;
    sheet.write_datetime_with_format(3, 3, &XlsxDate::from_ymd(1987, 3, 14)?, &date)?;
    sheet.write_number(3, 4, 1804974.0)?;
    // Row 5: a text date in the mapping's format.
    sheet.write_string(4, 0, "r2")?.write_string(4, 1, "Ivo")?.write_string(4, 3, "19560409")?;
    // Row 6: empty, skipped.
    // Row 7: an ISO text date does not satisfy the format.
    sheet.write_string(6, 0, "r3")?.write_string(6, 1, "Mira")?.write_string(6, 3, "1956-04-09")?;
    // Row 8: a date-time and a fractional number.
    let when = XlsxDate::from_ymd(2021, 6, 1)?.and_hms(8, 30, 0)?;
    sheet.write_string(7, 0, "r4")?.write_string(7, 1, "Lena")?.write_number(7, 4, 12.5)?;
    sheet.write_datetime_with_format(7, 3, &when, &Format::new().set_num_format("yyyy-mm-dd hh:mm"))?;
    // Row 9: no id.
    sheet.write_string(8, 1, "Nobody")?;
    book.save_to_buffer()
}

fn read(bytes: &[u8], text: &str) -> Result<Vec<Outcome>, IngestError> {
    let m = mapping(text);
    let reader = XlsxReader::from_bytes(bytes, &m, Model::builtin(), "book")?;
    reader.collect()
}

#[test]
fn the_named_sheet_is_read_from_its_first_non_empty_row() {
    let rows = read(&workbook().unwrap(), MAPPING).unwrap();
    let lines: Vec<u64> = rows.iter().map(Outcome::line).collect();
    assert_eq!(lines, [4, 5, 7, 8, 9]);
    let ana = rows[0].entity().unwrap();
    assert_eq!(ana.id, "book.1");
    assert_eq!(ana.first("birthDate"), Some("1987-03-14"), "a real date is taken directly");
    assert_eq!(ana.first("idNumber"), Some("1804974"), "whole numbers lose their .0");
    assert_eq!(rows[1].entity().unwrap().first("birthDate"), Some("1956-04-09"));
    let r = &rows[2].rejects()[0];
    assert_eq!((r.line, r.column.as_str(), r.value.as_str()), (7, "born", "1956-04-09"));
    let lena = rows[3].entity().unwrap();
    assert_eq!(lena.first("birthDate"), Some("2021-06-01T08:30:00"));
    assert_eq!(lena.first("idNumber"), Some("12.5"));
    assert_eq!(rows[4].rejects()[0].reason, "missing record id");
}

#[test]
fn the_first_sheet_is_read_when_the_mapping_names_none() {
    let text = "schema = \"Person\"\nid = \"not this one\"\n";
    let rows = read(&workbook().unwrap(), text).unwrap();
    assert!(rows.is_empty(), "the cover sheet has a header and nothing else");
}

#[test]
fn workbooks_from_files_report_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.xlsx");
    std::fs::write(&path, workbook().unwrap()).unwrap();
    let m = mapping(MAPPING);
    let mut reader = XlsxReader::open(&path, &m, Model::builtin(), "book").unwrap();
    assert_eq!(reader.header(), ["id", "given", "family", "born", "document"]);
    assert!(reader.next().is_some());
    assert_eq!(reader.progress().rows, 1);
    assert_eq!(reader.progress().unit, ProgressUnit::Rows);
    let m = mapping(&MAPPING.replace("\"People\"", "\"Persons\""));
    let e = XlsxReader::open(&path, &m, Model::builtin(), "book").err().unwrap();
    assert!(e.to_string().ends_with("the workbook has no sheet 'Persons'; its sheets are 'Cover', 'People'"), "{e}");
    assert!(e.to_string().starts_with(&path.display().to_string()), "{e}");
}

#[test]
fn missing_columns_and_empty_sheets_stop_the_file() {
    let m = mapping(&format!("{MAPPING}nationality = \"country\"\n"));
    let e = XlsxReader::from_bytes(&workbook().unwrap(), &m, Model::builtin(), "book").err().unwrap();
    assert!(matches!(e, IngestError::MissingColumns { ref missing, .. } if missing == &["country"]), "{e:?}");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("People").unwrap();
    let e = read(&book.save_to_buffer().unwrap(), MAPPING).unwrap_err();
    assert!(matches!(e, IngestError::Empty), "{e:?}");
}

#[test]
fn cells_read_as_people_write_them() {
    assert_eq!(cell_text(&Data::Float(19560409.0)).0, "19560409");
    assert_eq!(cell_text(&Data::Float(0.1)).0, "0.1");
    assert_eq!(cell_text(&Data::Bool(true)).0, "true");
    assert_eq!(cell_text(&Data::Int(-3)).0, "-3");
    assert_eq!(cell_text(&Data::DateTimeIso("1987-03-14".into())), ("1987-03-14".into(), CellKind::Date));
    assert_eq!(cell_text(&Data::DateTimeIso("14:30".into())).1, CellKind::Text);
    assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), ("#N/A".into(), CellKind::Error));
}

#[test]
fn garbage_is_not_a_workbook() {
    let e = read(b"id,name\n1,Ana\n", MAPPING).unwrap_err();
    assert!(matches!(e, IngestError::Workbook(_)), "{e:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(&bytes, MAPPING);
    }

    #[test]
    fn written_cells_read_back(values in prop::collection::vec(("[A-Za-z]{1,12}", -1_000_000i32..1_000_000), 1..20)) {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("People").unwrap();
        for (col, name) in ["id", "given", "family", "born", "document"].iter().enumerate() {
            sheet.write_string(0, col as u16, *name).unwrap();
        }
        for (i, (name, number)) in values.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_number(row, 0, row).unwrap().write_string(row, 1, name).unwrap();
            sheet.write_number(row, 4, *number).unwrap();
        }
        let rows = read(&book.save_to_buffer().unwrap(), MAPPING).unwrap();
        prop_assert_eq!(rows.len(), values.len());
        for (i, (row, (name, number))) in rows.iter().zip(&values).enumerate() {
            let e = row.entity().unwrap();
            prop_assert_eq!(row.line(), i as u64 + 2);
            prop_assert_eq!(e.first("firstName"), Some(name.as_str()));
            let number = number.to_string();
            prop_assert_eq!(e.first("idNumber"), Some(number.as_str()));
        }
    }
}
