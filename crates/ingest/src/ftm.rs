//! FollowTheMoney JSON lines (Aleph, OpenSanctions, Veza's own export),
//! streamed: each non-empty line is one entity or the rejects that explain
//! why not. Invalid UTF-8 and invalid JSON are rejects of their line, never
//! of the file. Lines are counted from 1; blank lines are skipped, and so is
//! a UTF-8 byte-order mark before the first.
//!
//! The same id on several lines is not an error: FtM exports may split an
//! entity into fragments, which the store merges.

use crate::dataset::check_dataset;
use crate::error::IngestError;
use crate::outcome::{Accepted, Outcome, Reject, excerpt};
use crate::progress::{Progress, ProgressUnit};
use crate::row::{EXCERPT, reason, reject};
use serde_json::Value;
use std::io::{self, BufRead, Read};
use veza_model::{Entity, Model, ModelError};

/// Longest line read, in bytes; a longer one is rejected and skipped.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Reads FtM JSON lines, one entity per [`Iterator::next`].
///
/// ```
/// use veza_ingest::FtmReader;
/// let lines = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Ana Kovač"]}}
/// {"id": "p2", "schema": "Person", "properties": {"birthDate": ["1987-02-30"]}}
/// "#;
/// let model = veza_model::Model::builtin();
/// let rows: Vec<_> = FtmReader::new(lines.as_bytes(), model, "aleph").unwrap()
///     .collect::<Result<_, _>>().unwrap();
/// assert_eq!(rows[0].entity().unwrap().provenance.source.dataset, "aleph");
/// assert_eq!(rows[1].rejects()[0].column, "birthDate");
/// ```
pub struct FtmReader<'m, R: BufRead> {
    input: R,
    model: &'m Model,
    dataset: String,
    buf: Vec<u8>,
    line: u64,
    rows: u64,
    bytes: u64,
    total: Option<u64>,
    max_line: usize,
    done: bool,
}

impl<'m, R: BufRead> FtmReader<'m, R> {
    /// A reader of `input`; entities that name no dataset get `dataset`.
    pub fn new(input: R, model: &'m Model, dataset: &str) -> Result<Self, IngestError> {
        check_dataset(dataset)?;
        Ok(FtmReader {
            input,
            model,
            dataset: dataset.to_owned(),
            buf: Vec::new(),
            line: 0,
            rows: 0,
            bytes: 0,
            total: None,
            max_line: MAX_LINE_BYTES,
            done: false,
        })
    }

    /// Tells the reader the input's size in bytes, for [`Progress::total`].
    pub fn with_total(mut self, bytes: u64) -> Self {
        self.total = Some(bytes);
        self
    }

    /// Entities read and bytes consumed so far.
    pub fn progress(&self) -> Progress {
        Progress { rows: self.rows, done: self.bytes, total: self.total, unit: ProgressUnit::Bytes }
    }

    /// Reads the next line into `buf`; returns its length in bytes and
    /// whether it was cut at the limit (the rest is skipped).
    fn read_line(&mut self) -> io::Result<(usize, bool)> {
        self.buf.clear();
        let limit = self.max_line as u64 + 1;
        let n = (&mut self.input).take(limit).read_until(b'\n', &mut self.buf)?;
        if self.buf.len() > self.max_line && self.buf.last() != Some(&b'\n') {
            let skipped = skip_line(&mut self.input)?;
            return Ok((n + skipped, true));
        }
        Ok((n, false))
    }

    fn outcome(&self, line: u64, bytes: &[u8]) -> Outcome {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let reason = format!("invalid UTF-8 (at byte {} of the line)", e.valid_up_to() + 1);
                return Outcome::Rejected(vec![reject(line, "json", &String::from_utf8_lossy(bytes), reason)]);
            }
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return Outcome::Rejected(vec![reject(line, "json", text, format!("invalid JSON: {e}"))]),
        };
        match Entity::from_ftm(self.model, &value) {
            Ok(mut entity) => {
                if entity.provenance.source.dataset.is_empty() {
                    entity.provenance.source.dataset = self.dataset.clone();
                }
                Outcome::Accepted(Accepted { line, entity, notes: Vec::new() })
            }
            Err(errors) => {
                let mut rejects: Vec<Reject> = Vec::with_capacity(errors.len());
                for reject in errors.iter().map(|e| entity_reject(line, e)) {
                    if !rejects.contains(&reject) {
                        rejects.push(reject);
                    }
                }
                Outcome::Rejected(rejects)
            }
        }
    }
}

impl<R: BufRead> Iterator for FtmReader<'_, R> {
    type Item = Result<Outcome, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let (n, cut) = match self.read_line() {
                Ok((0, _)) => {
                    self.done = true;
                    return None;
                }
                Ok(read) => read,
                Err(e) => {
                    self.done = true;
                    return Some(Err(IngestError::Io(e)));
                }
            };
            self.line += 1;
            self.bytes += n as u64;
            if cut {
                self.rows += 1;
                let reason = format!("line longer than {} bytes; skipped", self.max_line);
                return Some(Ok(Outcome::Rejected(vec![reject(
                    self.line,
                    "json",
                    &String::from_utf8_lossy(&self.buf),
                    reason,
                )])));
            }
            let mut bytes = self.buf.trim_ascii();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii();
            }
            if !bytes.is_empty() {
                self.rows += 1;
                return Some(Ok(self.outcome(self.line, bytes)));
            }
        }
        None
    }
}

/// Consumes input up to and including the next newline; returns how many
/// bytes it consumed.
fn skip_line<R: BufRead>(input: &mut R) -> io::Result<usize> {
    let mut skipped = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(skipped);
        }
        match available.iter().position(|b| *b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(skipped + i + 1);
            }
            None => {
                let n = available.len();
                input.consume(n);
                skipped += n;
            }
        }
    }
}

/// A reject naming the property or member an FtM entity error is about.
fn entity_reject(line: u64, error: &ModelError) -> Reject {
    let (column, value, why) = match error {
        ModelError::InvalidValue { property, error: e } if e.kind == "json" => {
            (property.as_str(), "", e.reason.clone())
        }
        ModelError::InvalidValue { property, error: e } => (property.as_str(), e.value.as_str(), reason(error)),
        ModelError::UnknownProperty { property, .. } | ModelError::MissingRequired { property, .. } => {
            (property.as_str(), "", error.to_string())
        }
        ModelError::UnknownSchema(s) | ModelError::AbstractSchema(s) => ("schema", s.as_str(), error.to_string()),
        ModelError::InvalidId(id) => ("id", id.as_str(), error.to_string()),
        other => ("json", "", other.to_string()),
    };
    Reject { line, column: column.to_owned(), value: excerpt(value, EXCERPT), reason: why }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use veza_model::SourceRef;

    fn read(bytes: &[u8]) -> Vec<Outcome> {
        FtmReader::new(bytes, Model::builtin(), "fallback").unwrap().collect::<Result<_, _>>().unwrap()
    }

    fn only_reject(outcome: &Outcome) -> &Reject {
        match outcome.rejects() {
            [r] => r,
            other => panic!("expected one reject, got {other:?}"),
        }
    }

    #[test]
    fn each_non_empty_line_is_an_entity_or_a_reject() {
        let text = b"{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"]}}\r\n\n  \n{oops\n\
            {\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"],\"birthDate\":[\"1987-02-30\"]}}\n\
            {\"id\":\"p3\",\"schema\":\"Nothing\"}\n\
            {\"id\":\"p\xFF\",\"schema\":\"Person\"}";
        let rows = read(text);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].entity().unwrap().provenance.source.dataset, "fallback");
        let r = only_reject(&rows[1]);
        assert_eq!((r.line, r.column.as_str(), r.value.as_str()), (4, "json", "{oops"));
        assert!(r.reason.starts_with("invalid JSON: "), "{}", r.reason);
        let r = only_reject(&rows[2]);
        assert_eq!((r.line, r.column.as_str(), r.value.as_str()), (5, "birthDate", "1987-02-30"));
        assert!(r.reason.starts_with("not a valid date: "), "{}", r.reason);
        let r = only_reject(&rows[3]);
        assert_eq!((r.column.as_str(), r.value.as_str()), ("schema", "Nothing"));
        let r = only_reject(&rows[4]);
        assert_eq!((r.line, r.column.as_str()), (7, "json"));
        assert!(r.reason.starts_with("invalid UTF-8"), "{}", r.reason);
    }

    #[test]
    fn a_byte_order_mark_before_the_first_line_is_skipped() {
        let rows = read(b"\xEF\xBB\xBF{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"]}}\n");
        assert_eq!(rows[0].entity().unwrap().id, "p1");
    }

    #[test]
    fn an_entity_keeps_its_own_dataset() {
        let rows = read(br#"{"id":"p1","schema":"Person","datasets":["opensanctions"],"properties":{"name":["Ana"]}}"#);
        assert_eq!(rows[0].entity().unwrap().provenance.source.dataset, "opensanctions");
    }

    #[test]
    fn structural_errors_name_the_member() {
        let r = read(br#"{"schema":"Person"}"#);
        let r = only_reject(&r[0]);
        assert_eq!((r.column.as_str(), r.reason.as_str()), ("id", "missing or not a string"));
    }

    #[test]
    fn overlong_lines_are_rejected_and_skipped() {
        let text = b"{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana Kovac\"]}}\n\
            {\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"]}}\n";
        let mut reader =
            FtmReader::new(std::io::BufReader::with_capacity(8, &text[..]), Model::builtin(), "t").unwrap();
        reader.max_line = 64;
        let rows: Vec<Outcome> = reader.by_ref().collect::<Result<_, _>>().unwrap();
        assert!(only_reject(&rows[0]).reason.starts_with("line longer than 64 bytes"));
        assert_eq!(rows[1].entity().unwrap().id, "p2");
        assert_eq!(rows[1].line(), 2);
        assert_eq!(reader.progress().done, text.len() as u64);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            let rows = read(&bytes);
            let content = |(i, line): (usize, &[u8])| {
                let line = line.trim_ascii();
                let line = if i == 0 { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line) } else { line };
                !line.trim_ascii().is_empty()
            };
            let lines = bytes.split(|b| *b == b'\n').enumerate().filter(|l| content(*l)).count();
            prop_assert_eq!(rows.len(), lines);
        }

        #[test]
        fn json_like_lines_never_panic(lines in prop::collection::vec("\\{(\"(id|schema|properties|datasets|veza)\": ?(\"[A-Za-z0-9]{0,8}\"|\\{\\}|\\[\\]|null|1),? ?){0,5}\\}", 0..10)) {
            let _ = read(lines.join("\n").as_bytes());
        }

        #[test]
        fn exported_entities_read_back(name in "[A-Za-z][A-Za-z ]{0,20}[a-z]", y in 1900u16..2020, m in 1u8..=12, d in 1u8..=28) {
            let model = Model::builtin();
            let mut e = Entity::new("p1", "Person");
            let birth = format!("{y:04}-{m:02}-{d:02}");
            e.add_all(model, [("name", name.as_str()), ("birthDate", birth.as_str()), ("nationality", "rs")]).unwrap();
            e.provenance.source = SourceRef { dataset: "export".into(), record: Some("r1".into()) };
            let line = serde_json::to_string(&e.to_ftm()).unwrap();
            let rows = read(line.as_bytes());
            let back = rows[0].entity().unwrap();
            prop_assert_eq!(&back.properties, &e.properties);
            prop_assert_eq!(&back.provenance.source, &e.provenance.source);
            prop_assert_eq!(&back.handling, &e.handling);
        }
    }
}
