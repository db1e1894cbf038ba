use super::*;
use proptest::prelude::*;

const MAPPING: &str = r#"
schema = "Person"
id = "id"
[properties]
firstName = "given"
lastName = "family"
birthDate = { column = "born", format = "%Y%m%d" }
"#;

fn mapping() -> Mapping {
    Mapping::parse(MAPPING, Model::builtin()).unwrap()
}

fn read(bytes: &[u8]) -> Result<Vec<Outcome>, IngestError> {
    let m = mapping();
    let reader = CsvReader::new(bytes, &m, Model::builtin(), "t")?;
    reader.collect()
}

fn only_reject(outcome: &Outcome) -> &Reject {
    match outcome.rejects() {
        [r] => r,
        other => panic!("expected one reject, got {other:?}"),
    }
}

#[test]
fn a_byte_order_mark_before_the_header_is_skipped() {
    let rows = read(b"\xEF\xBB\xBFid,given,family,born\n1,Ana,Kova\xC4\x8D,19870314\n").unwrap();
    let e = rows[0].entity().unwrap();
    assert_eq!(e.first("name"), Some("Ana Kovač"));
    assert_eq!(e.first("birthDate"), Some("1987-03-14"));
}

#[test]
fn an_empty_file_is_a_whole_file_error() {
    assert!(matches!(read(b""), Err(IngestError::Empty)));
    assert!(matches!(read(b"\n\n"), Err(IngestError::Empty)));
    assert!(matches!(read(b"\xEF\xBB\xBF"), Err(IngestError::Empty)));
    assert!(matches!(read(b" , \n"), Err(IngestError::Header(_))));
    assert!(matches!(read(b"id,giv\xFFen\n"), Err(IngestError::Header(_))));
}

#[test]
fn a_header_only_file_has_no_rows() {
    assert_eq!(read(b"id,given,family,born\n").unwrap(), vec![]);
}

#[test]
fn a_header_without_mapped_columns_is_a_whole_file_error() {
    let e = read(b"id,given\n1,Ana\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the header lacks the column(s) 'born', 'family' that the mapping refers to; header found: 'id', 'given'"
    );
}

#[test]
fn lines_are_physical_even_with_quoted_line_breaks() {
    let rows = read(b"id,given,family,born\n\"1\",\"Ana\nMarija\",K,\n\n,Ivo,,\n").unwrap();
    assert_eq!(rows[0].line(), 2);
    assert_eq!(rows[0].entity().unwrap().first("firstName"), Some("Ana Marija"));
    assert_eq!(rows[1].line(), 5);
    assert_eq!(only_reject(&rows[1]).reason, "missing record id");
}

#[test]
fn rows_of_another_width_are_rejected_with_the_counts() {
    let rows = read(b"id,given,family,born\n1,Ana,K\n2,Ana,K,,extra\n").unwrap();
    let r = only_reject(&rows[0]);
    assert_eq!((r.line, r.reason.as_str(), r.value.as_str()), (2, "expected 4 fields, found 3", "1,Ana,K"));
    assert_eq!(only_reject(&rows[1]).reason, "expected 4 fields, found 5");
}

#[test]
fn invalid_utf8_names_the_field() {
    let rows = read(b"id,given,family,born\n1,Ana,Kova\xE8,\n").unwrap();
    let r = only_reject(&rows[0]);
    assert_eq!((r.line, r.column.as_str(), r.value.as_str()), (2, "family", "Kova\u{FFFD}"));
    assert!(r.reason.starts_with("invalid UTF-8"), "{}", r.reason);
}

#[test]
fn the_mapping_delimiter_is_used() {
    let m = Mapping::parse(&format!("delimiter = \";\"\n{MAPPING}"), Model::builtin()).unwrap();
    let reader = CsvReader::new("id;given;family;born\n1;Ana;K;\n".as_bytes(), &m, Model::builtin(), "t").unwrap();
    assert_eq!(reader.header(), ["id", "given", "family", "born"]);
    let rows: Vec<Outcome> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(rows[0].entity().unwrap().first("firstName"), Some("Ana"));
}

#[test]
fn progress_counts_rows_and_bytes() {
    let m = mapping();
    let text = "id,given,family,born\n1,Ana,K,\n2,Ivo,K,\n";
    let mut reader = CsvReader::new(text.as_bytes(), &m, Model::builtin(), "t").unwrap().with_total(text.len() as u64);
    assert!(reader.next().is_some());
    let p = reader.progress();
    assert_eq!((p.rows, p.done), (1, 30));
    while reader.next().is_some() {}
    assert_eq!(reader.progress().fraction(), Some(1.0));
}

/// An endless CSV: the header, then rows for ever.
struct Endless {
    pending: Vec<u8>,
    next: u64,
}

impl std::io::Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.len() < buf.len() {
            self.pending.extend_from_slice(format!("{},Ana,K,19870314\n", self.next).as_bytes());
            self.next += 1;
        }
        let n = buf.len();
        buf.copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[test]
fn rows_are_read_as_the_caller_asks_for_them() {
    let m = mapping();
    let input = Endless { pending: b"id,given,family,born\n".to_vec(), next: 0 };
    let mut reader = CsvReader::new(input, &m, Model::builtin(), "t").unwrap();
    let first: Vec<Outcome> = reader.by_ref().take(1_000).collect::<Result<_, _>>().unwrap();
    assert_eq!(first.len(), 1_000);
    assert_eq!(first[999].entity().unwrap().id, "t.999");
    assert!(reader.progress().done < 100_000, "only what was asked for is read: {:?}", reader.progress());
}

/// A reader that fails after its first bytes.
struct Failing(usize);

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let head = b"id,given,family,born\n1,Ana,K,\n";
        if self.0 >= head.len() {
            return Err(std::io::Error::other("disk gone"));
        }
        let n = buf.len().min(head.len() - self.0);
        buf[..n].copy_from_slice(&head[self.0..self.0 + n]);
        self.0 += n;
        Ok(n)
    }
}

#[test]
fn an_input_failure_ends_the_stream_with_an_error() {
    let m = mapping();
    let reader = CsvReader::new(Failing(0), &m, Model::builtin(), "t").unwrap();
    let items: Vec<_> = reader.collect();
    assert!(matches!(items.last(), Some(Err(IngestError::Io(_)))), "{items:?}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = read(&bytes);
    }

    #[test]
    fn rows_of_arbitrary_bytes_keep_the_invariants(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let input = [&b"id,given,family,born\n"[..], &bytes].concat();
        for outcome in read(&input).unwrap() {
            match outcome {
                Outcome::Accepted(a) => prop_assert!(a.entity.validate(Model::builtin()).is_ok()),
                Outcome::Rejected(r) => prop_assert!(!r.is_empty()),
            }
        }
    }

    #[test]
    fn every_data_row_gives_one_outcome(rows in prop::collection::vec(prop::collection::vec("[a-z0-9,\"\u{e8}\u{10d}\\xff ]{0,8}", 4), 0..20)) {
        let mut text = b"id,given,family,born\n".to_vec();
        let mut writer = ::csv::Writer::from_writer(&mut text);
        for r in &rows {
            writer.write_record(r).unwrap();
        }
        drop(writer);
        let outcomes = read(&text).unwrap();
        prop_assert_eq!(outcomes.len(), rows.len());
        for o in &outcomes {
            prop_assert!(matches!(o, Outcome::Accepted(_)) || !o.rejects().is_empty());
        }
    }

    #[test]
    fn written_people_read_back(people in prop::collection::vec(("[a-z]{1,10}", "[a-z]{0,10}", 1800u16..2020, 1u8..=12, 1u8..=28), 1..30)) {
        let mut text = Vec::new();
        let mut writer = ::csv::Writer::from_writer(&mut text);
        writer.write_record(["id", "given", "family", "born"]).unwrap();
        for (i, (given, family, y, m, d)) in people.iter().enumerate() {
            writer.write_record([i.to_string(), given.clone(), family.clone(), format!("{y:04}{m:02}{d:02}")]).unwrap();
        }
        drop(writer);
        let outcomes = read(&text).unwrap();
        prop_assert_eq!(outcomes.len(), people.len());
        for (i, (o, (given, family, y, m, d))) in outcomes.iter().zip(&people).enumerate() {
            let e = o.entity().unwrap();
            prop_assert_eq!(o.line(), i as u64 + 2);
            prop_assert_eq!(e.id.clone(), format!("t.{i}"));
            prop_assert_eq!(e.first("firstName"), Some(given.as_str()));
            let birth = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(e.first("birthDate"), Some(birth.as_str()));
            let name = if family.is_empty() { given.clone() } else { format!("{given} {family}") };
            prop_assert_eq!(e.first("name"), Some(name.as_str()));
        }
    }
}
