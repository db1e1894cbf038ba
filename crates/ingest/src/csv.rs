//! CSV through a mapping, streamed: each data row becomes an
//! [`Outcome`] as the caller asks for it.
//!
//! A row is rejected when a field is not valid UTF-8, when it has another
//! number of fields than the header, and for every reason a mapped row can
//! be (see [`Outcome`]). The header row is line 1; a UTF-8 byte-order mark
//! before it is skipped.

use crate::error::IngestError;
use crate::mapping::Mapping;
use crate::outcome::{Outcome, Reject, excerpt};
use crate::progress::{Progress, ProgressUnit};
use crate::row::{Cell, EXCERPT, RecordMapper, reject};
use ::csv::{ByteRecord, ReaderBuilder};
use lines::LineLog;
use std::io::Read;
use veza_model::Model;

mod lines;

/// Reads a CSV table through a mapping, one row per [`Iterator::next`].
///
/// ```
/// use veza_ingest::{CsvReader, Mapping, Outcome};
/// let model = veza_model::Model::builtin();
/// let mapping = Mapping::parse("schema = \"Person\"\nid = \"id\"\n[properties]\nname = \"name\"\n", model).unwrap();
/// let csv = "id,name\n1,Ana Kovač\n,Marko\n";
/// let rows: Vec<Outcome> = CsvReader::new(csv.as_bytes(), &mapping, model, "demo").unwrap()
///     .collect::<Result<_, _>>().unwrap();
/// assert_eq!(rows[0].entity().unwrap().id, "demo.1");
/// assert_eq!(rows[1].rejects()[0].reason, "missing record id");
/// ```
pub struct CsvReader<'m, R: Read> {
    rows: ::csv::Reader<LineLog<R>>,
    mapper: RecordMapper<'m>,
    header: Vec<String>,
    record: ByteRecord,
    delimiter: u8,
    count: u64,
    total: Option<u64>,
    done: bool,
}

impl<'m, R: Read> CsvReader<'m, R> {
    /// Reads the header of `input` and checks it against the mapping. The
    /// delimiter is the mapping's, or `,`.
    pub fn new(input: R, mapping: &'m Mapping, model: &'m Model, dataset: &str) -> Result<Self, IngestError> {
        Self::with_delimiter(input, mapping, model, dataset, mapping.delimiter().unwrap_or(b','))
    }

    /// Like [`CsvReader::new`], splitting fields at `delimiter` whatever the
    /// mapping says.
    pub fn with_delimiter(
        input: R,
        mapping: &'m Mapping,
        model: &'m Model,
        dataset: &str,
        delimiter: u8,
    ) -> Result<Self, IngestError> {
        let mut rows = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineLog::new(input));
        let header = read_header(&mut rows)?;
        let mapper = RecordMapper::new(model, mapping, dataset, &header)?;
        let record = ByteRecord::new();
        Ok(CsvReader { rows, mapper, header, record, delimiter, count: 0, total: None, done: false })
    }

    /// Tells the reader the input's size in bytes, for [`Progress::total`].
    pub fn with_total(mut self, bytes: u64) -> Self {
        self.total = Some(bytes);
        self
    }

    /// The header as read (column names, untrimmed).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Rows read and bytes consumed so far.
    pub fn progress(&self) -> Progress {
        let done = self.rows.position().byte();
        Progress { rows: self.count, done, total: self.total, unit: ProgressUnit::Bytes }
    }
}

impl<R: Read> Iterator for CsvReader<'_, R> {
    type Item = Result<Outcome, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.rows.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.count += 1;
                let line = self.line_of_record();
                Some(Ok(row_outcome(line, &self.record, &self.header, self.delimiter, &mut self.mapper)))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(IngestError::Io(e.into())))
            }
        }
    }
}

impl<R: Read> CsvReader<'_, R> {
    /// The physical line the record just read starts on.
    fn line_of_record(&mut self) -> u64 {
        let position = self.record.position();
        let byte = position.map_or(0, |p| p.byte());
        let fallback = position.map_or(0, |p| p.line());
        self.rows.get_mut().line_at(byte).unwrap_or(fallback)
    }
}

/// The first record, as column names.
fn read_header<R: Read>(rows: &mut ::csv::Reader<R>) -> Result<Vec<String>, IngestError> {
    let mut record = ByteRecord::new();
    if !rows.read_byte_record(&mut record).map_err(|e| IngestError::Io(e.into()))? {
        return Err(IngestError::Empty);
    }
    let mut header = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let name = std::str::from_utf8(field)
            .map_err(|_| IngestError::Header(format!("column {} is not valid UTF-8; save the file as UTF-8", i + 1)))?;
        header.push(name.to_owned());
    }
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(IngestError::Header("the first line has no column names".into()));
    }
    Ok(header)
}

/// The outcome of one record: rejected for its shape or encoding, or
/// mapped.
fn row_outcome(line: u64, record: &ByteRecord, header: &[String], delimiter: u8, mapper: &mut RecordMapper) -> Outcome {
    let mut rejects = Vec::new();
    if record.len() != header.len() {
        rejects.push(width_reject(line, record, header.len(), delimiter));
    }
    let mut cells = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        match std::str::from_utf8(field) {
            Ok(text) => cells.push(Cell::text(text)),
            Err(e) => {
                let column = header.get(i).map_or_else(|| format!("field {}", i + 1), |h| h.trim().to_owned());
                let reason =
                    format!("invalid UTF-8 (at byte {} of the field); save the file as UTF-8", e.valid_up_to() + 1);
                rejects.push(reject(line, &column, &String::from_utf8_lossy(field), reason));
                cells.push(Cell::text(""));
            }
        }
    }
    if rejects.is_empty() { mapper.map(line, &cells) } else { Outcome::Rejected(rejects) }
}

fn width_reject(line: u64, record: &ByteRecord, expected: usize, delimiter: u8) -> Reject {
    let joined = record.iter().collect::<Vec<_>>().join(&delimiter);
    let value = excerpt(&String::from_utf8_lossy(&joined), EXCERPT);
    let reason = format!("expected {expected} fields, found {}", record.len());
    Reject { line, column: String::new(), value, reason }
}

#[cfg(test)]
mod tests;
