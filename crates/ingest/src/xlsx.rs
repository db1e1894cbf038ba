//! Excel workbooks (`.xlsx`, `.xlsm`) through a mapping. The sheet (the
//! mapping's `sheet`, or the first) is loaded whole; its rows are then
//! mapped one per [`Iterator::next`].
//!
//! The header row is the first non-empty row; fully empty rows are skipped.
//! Cells become text as a person reads them: integers without `.0`,
//! booleans as `true`/`false`, Excel dates and date-times as ISO 8601
//! (`1987-03-14`, `1987-03-14T08:30:00`). A real Excel date is taken as it
//! is even when the mapping gives a `format` for text dates; an error cell
//! (`#N/A`) in a mapped column rejects its row. Lines are Excel row numbers.

use crate::error::IngestError;
use crate::mapping::Mapping;
use crate::outcome::Outcome;
use crate::progress::{Progress, ProgressUnit};
use crate::row::{Cell, CellKind, RecordMapper};
use calamine::{Data, ExcelDateTime, Range, Reader as _, Xlsx};
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;
use veza_model::{Model, PartialDate};

/// Reads one sheet of a workbook through a mapping.
pub struct XlsxReader<'m> {
    sheet: Range<Data>,
    mapper: RecordMapper<'m>,
    header: Vec<String>,
    first_row: u32,
    next_row: usize,
    rows: u64,
}

impl<'m> XlsxReader<'m> {
    /// Opens the workbook at `path`. Errors name the file.
    pub fn open(path: &Path, mapping: &'m Mapping, model: &'m Model, dataset: &str) -> Result<Self, IngestError> {
        let file = std::fs::File::open(path).map_err(|e| IngestError::Io(e).in_file(path))?;
        Self::from_reader(BufReader::new(file), mapping, model, dataset).map_err(|e| e.in_file(path))
    }

    /// Reads a workbook held in memory.
    pub fn from_bytes(
        bytes: &[u8],
        mapping: &'m Mapping,
        model: &'m Model,
        dataset: &str,
    ) -> Result<Self, IngestError> {
        Self::from_reader(Cursor::new(bytes), mapping, model, dataset)
    }

    /// Reads a workbook from any seekable input, loads its sheet and checks
    /// the header against the mapping.
    pub fn from_reader<RS: Read + Seek>(
        input: RS,
        mapping: &'m Mapping,
        model: &'m Model,
        dataset: &str,
    ) -> Result<Self, IngestError> {
        let mut workbook: Xlsx<RS> = Xlsx::new(input).map_err(|e| IngestError::Workbook(e.to_string()))?;
        let name = sheet_name(&workbook.sheet_names(), mapping.sheet())?;
        let sheet =
            workbook.worksheet_range(&name).map_err(|e| IngestError::Workbook(format!("sheet '{name}': {e}")))?;
        let at = sheet.rows().position(|row| !row.iter().all(is_blank)).ok_or(IngestError::Empty)?;
        let header: Vec<String> = sheet.rows().nth(at).unwrap_or_default().iter().map(|c| cell_text(c).0).collect();
        let mapper = RecordMapper::new(model, mapping, dataset, &header)?;
        let first_row = sheet.start().map_or(0, |(row, _)| row);
        Ok(XlsxReader { sheet, mapper, header, first_row, next_row: at + 1, rows: 0 })
    }

    /// The header row as read.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Rows mapped, and sheet rows consumed out of the sheet's height.
    pub fn progress(&self) -> Progress {
        let total = self.sheet.height() as u64;
        Progress {
            rows: self.rows,
            done: (self.next_row as u64).min(total),
            total: Some(total),
            unit: ProgressUnit::Rows,
        }
    }
}

impl Iterator for XlsxReader<'_> {
    type Item = Result<Outcome, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let row = self.sheet.rows().nth(self.next_row)?;
            self.next_row += 1;
            if row.iter().all(is_blank) {
                continue;
            }
            let texts: Vec<(String, CellKind)> = row.iter().map(cell_text).collect();
            let cells: Vec<Cell> = texts.iter().map(|(text, kind)| Cell { text, kind: *kind }).collect();
            // `next_row` is now the 0-based index of the following row, so
            // it is this row's 1-based number within the sheet's range.
            let line = u64::from(self.first_row) + self.next_row as u64;
            self.rows += 1;
            return Some(Ok(self.mapper.map(line, &cells)));
        }
    }
}

/// The sheet to read: the one asked for, or the first.
fn sheet_name(names: &[String], wanted: Option<&str>) -> Result<String, IngestError> {
    match wanted {
        Some(w) if names.iter().any(|n| n == w) => Ok(w.to_owned()),
        Some(w) => Err(IngestError::NoSuchSheet { sheet: w.to_owned(), available: names.to_vec() }),
        None => names.first().cloned().ok_or_else(|| IngestError::Workbook("the workbook has no sheets".into())),
    }
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text, and whether it is a real date or an error.
fn cell_text(cell: &Data) -> (String, CellKind) {
    match cell {
        Data::Empty => (String::new(), CellKind::Text),
        Data::String(s) | Data::DurationIso(s) => (s.clone(), CellKind::Text),
        Data::Int(i) => (i.to_string(), CellKind::Text),
        Data::Float(f) => (number_text(*f), CellKind::Text),
        Data::Bool(b) => (b.to_string(), CellKind::Text),
        Data::DateTime(dt) if dt.is_duration() => (number_text(dt.as_f64()), CellKind::Text),
        Data::DateTime(dt) => (iso_date(dt), CellKind::Date),
        Data::DateTimeIso(s) => match PartialDate::parse_iso(s) {
            Ok(date) => (date.to_string(), CellKind::Date),
            Err(_) => (s.clone(), CellKind::Text),
        },
        Data::Error(e) => (e.to_string(), CellKind::Error),
    }
}

/// A number as people write it: whole numbers without a fraction.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { f.to_string() }
}

/// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when the cell has a time of day.
fn iso_date(dt: &ExcelDateTime) -> String {
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    if (hh, mm, ss) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
    }
}

#[cfg(test)]
mod tests;
