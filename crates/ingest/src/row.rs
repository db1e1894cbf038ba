//! One table row through a mapping: the record id, the values of every
//! mapped property, and the entity they make, or the reasons they make
//! none. Shared by the CSV and Excel readers, which only differ in how they
//! get cells.

use crate::dataset::{check_dataset, entity_id};
use crate::error::IngestError;
use crate::mapping::{Mapping, PropertyMapping, ValueSource};
use crate::outcome::{Accepted, Note, Outcome, Reject, excerpt};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use veza_model::{Entity, Model, ModelError, PartialDate, PropertyType, SourceRef};

/// Longest value excerpt kept in a reject or note.
pub(crate) const EXCERPT: usize = 200;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellKind {
    /// Text (every CSV cell; Excel strings, numbers, booleans).
    Text,
    /// A real Excel date or date-time, already written as ISO 8601.
    Date,
    /// An Excel error value such as `#N/A`.
    Error,
}

/// One cell of a row, as text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell<'c> {
    pub text: &'c str,
    pub kind: CellKind,
}

impl<'c> Cell<'c> {
    /// A text cell.
    pub fn text(text: &'c str) -> Self {
        Cell { text, kind: CellKind::Text }
    }
}

const EMPTY: Cell<'static> = Cell { text: "", kind: CellKind::Text };

/// A property mapping with its columns found in the header.
struct Located<'m> {
    mapping: &'m PropertyMapping,
    positions: Vec<usize>,
    label: String,
}

/// A value read for a property, before the model cleans it.
struct Candidate {
    source: usize,
    raw: String,
    input: String,
}

/// What reading one row gives before the entity is made.
#[derive(Default)]
struct RowReading {
    candidates: Vec<Candidate>,
    notes: Vec<Note>,
    rejects: Vec<Reject>,
}

/// Turns rows of one table into outcomes, remembering record ids so that
/// a repeated one is rejected.
pub(crate) struct RecordMapper<'m> {
    model: &'m Model,
    mapping: &'m Mapping,
    dataset: String,
    id_at: usize,
    sources: Vec<Located<'m>>,
    seen: HashMap<String, u64>,
}

impl<'m> RecordMapper<'m> {
    /// Checks the dataset name and finds every mapped column in `header`.
    pub fn new(model: &'m Model, mapping: &'m Mapping, dataset: &str, header: &[String]) -> Result<Self, IngestError> {
        check_dataset(dataset)?;
        let at = mapping.locate_columns(header)?;
        let id_at = at.get(mapping.id_column()).copied().unwrap_or(usize::MAX);
        let is_country = |p: &PropertyMapping| {
            model.schema(mapping.schema()).ok().and_then(|s| s.properties.get(&p.property)).map(|p| p.kind)
                == Some(PropertyType::Country)
        };
        let mut sources: Vec<Located<'m>> = mapping
            .properties()
            .iter()
            .map(|p| Located {
                mapping: p,
                positions: p.source.columns().iter().map(|c| at.get(c).copied().unwrap_or(usize::MAX)).collect(),
                label: p.source.columns().join("+"),
            })
            .collect();
        // Countries first, so a phone number can be read in the row's country.
        sources.sort_by_key(|l| !is_country(l.mapping));
        Ok(RecordMapper { model, mapping, dataset: dataset.to_owned(), id_at, sources, seen: HashMap::new() })
    }

    /// The outcome of the row starting on `line`.
    pub fn map(&mut self, line: u64, cells: &[Cell]) -> Outcome {
        let mut reading = RowReading::default();
        let record = self.record_id(line, cells, &mut reading.rejects);
        for (i, source) in self.sources.iter().enumerate() {
            read_values(line, i, source, cells, &mut reading);
        }
        let RowReading { candidates, notes, mut rejects } = reading;
        let mut entity = Entity::new(entity_id(&self.dataset, record.as_deref().unwrap_or("")), self.mapping.schema());
        self.add_values(line, &mut entity, candidates, &mut rejects);
        match record {
            Some(record) if rejects.is_empty() => self.finish(line, entity, record, notes),
            _ => Outcome::Rejected(rejects),
        }
    }

    fn record_id(&mut self, line: u64, cells: &[Cell], rejects: &mut Vec<Reject>) -> Option<String> {
        let column = self.mapping.id_column();
        let cell = cells.get(self.id_at).copied().unwrap_or(EMPTY);
        if cell.kind == CellKind::Error {
            rejects.push(reject(line, column, cell.text, excel_error(cell.text)));
            return None;
        }
        let record = cell.text.trim();
        if record.is_empty() {
            rejects.push(reject(line, column, "", "missing record id".into()));
            return None;
        }
        match self.seen.entry(record.to_owned()) {
            Entry::Occupied(first) => {
                let reason = format!("duplicate record id, first seen on line {}", first.get());
                rejects.push(reject(line, column, record, reason));
                None
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                Some(record.to_owned())
            }
        }
    }

    /// Adds every value to the entity; the model's refusals become rejects.
    fn add_values(&self, line: u64, entity: &mut Entity, candidates: Vec<Candidate>, rejects: &mut Vec<Reject>) {
        for c in candidates {
            let source = &self.sources[c.source];
            if let Err(e) = entity.add(self.model, &source.mapping.property, &c.input) {
                rejects.push(reject(line, &source.label, &c.raw, reason(&e)));
            }
        }
    }

    /// Sets source and handling, derives what can be derived, validates.
    fn finish(&self, line: u64, mut entity: Entity, record: String, notes: Vec<Note>) -> Outcome {
        entity.provenance.source = SourceRef { dataset: self.dataset.clone(), record: Some(record) };
        entity.handling = self.mapping.handling().clone();
        entity.complete(self.model);
        match entity.validate(self.model) {
            Ok(()) => Outcome::Accepted(Accepted { line, entity, notes }),
            Err(errors) => Outcome::Rejected(errors.iter().map(|e| self.invalid_entity(line, e)).collect()),
        }
    }

    fn invalid_entity(&self, line: u64, error: &ModelError) -> Reject {
        let property = match error {
            ModelError::MissingRequired { property, .. }
            | ModelError::UnknownProperty { property, .. }
            | ModelError::InvalidValue { property, .. } => Some(property.as_str()),
            _ => None,
        };
        let column = property
            .and_then(|p| self.sources.iter().find(|s| s.mapping.property == p))
            .map_or("", |s| s.label.as_str());
        reject(line, column, "", error.to_string())
    }
}

/// The values `source` gives on this row, parsed with its date format;
/// unusable cells become rejects, truncated dates notes.
fn read_values(line: u64, index: usize, source: &Located, cells: &[Cell], reading: &mut RowReading) {
    let Some((text, is_date)) = source_text(line, source, cells, &mut reading.rejects) else { return };
    let pieces: Vec<&str> = match &source.mapping.split {
        Some(sep) => text.split(sep.as_str()).map(str::trim).filter(|p| !p.is_empty()).collect(),
        None => vec![text.as_str()],
    };
    for piece in pieces {
        let input = match (&source.mapping.format, is_date) {
            (Some(format), false) => match PartialDate::parse_with_format(piece, format) {
                Ok((date, None)) => date.to_string(),
                Ok((date, Some(cut))) => {
                    let message = format!("{}; kept {}", cut.reason, cut.kept);
                    reading.notes.push(Note {
                        line,
                        column: source.label.clone(),
                        value: excerpt(piece, EXCERPT),
                        message,
                    });
                    date.to_string()
                }
                Err(e) => {
                    reading.rejects.push(reject(
                        line,
                        &source.label,
                        piece,
                        format!("not a valid {}: {}", e.kind, e.reason),
                    ));
                    continue;
                }
            },
            _ => piece.to_owned(),
        };
        reading.candidates.push(Candidate { source: index, raw: piece.to_owned(), input });
    }
}

/// The trimmed text of the source's column(s) on this row, and whether it
/// is a real Excel date; `None` when empty or unusable.
fn source_text(line: u64, source: &Located, cells: &[Cell], rejects: &mut Vec<Reject>) -> Option<(String, bool)> {
    let mut parts = Vec::new();
    let mut is_date = false;
    for (&at, column) in source.positions.iter().zip(source.mapping.source.columns()) {
        let cell = cells.get(at).copied().unwrap_or(EMPTY);
        match cell.kind {
            CellKind::Error => rejects.push(reject(line, column, cell.text, excel_error(cell.text))),
            CellKind::Date => is_date = true,
            CellKind::Text => {}
        }
        let text = cell.text.trim();
        if !text.is_empty() && cell.kind != CellKind::Error {
            parts.push(text);
        }
    }
    let text = match &source.mapping.source {
        ValueSource::Constant(value) => value.clone(),
        ValueSource::Column(_) => parts.concat(),
        ValueSource::Columns { join, .. } => {
            is_date = false;
            parts.join(join)
        }
    };
    if text.is_empty() { None } else { Some((text, is_date)) }
}

fn excel_error(code: &str) -> String {
    format!("the cell holds the Excel error {code}")
}

/// A reject's reason for a model error: the value error's own words when
/// there is one.
pub(crate) fn reason(error: &ModelError) -> String {
    match error {
        ModelError::InvalidValue { error, .. } => format!("not a valid {}: {}", error.kind, error.reason),
        other => other.to_string(),
    }
}

pub(crate) fn reject(line: u64, column: &str, value: &str, reason: String) -> Reject {
    Reject { line, column: column.to_owned(), value: excerpt(value, EXCERPT), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"
schema = "Person"
id = "ref"
[properties]
firstName = "first"
lastName = "last"
birthDate = { column = "born", format = "%d.%m.%Y" }
alias = { column = "aliases", split = ";" }
address = { columns = ["street", "town"], join = ", " }
nationality = { value = "rs" }
phone = "phone"
"#;

    fn header() -> Vec<String> {
        ["ref", "first", "last", "born", "aliases", "street", "town", "phone"].map(String::from).to_vec()
    }

    fn mapping() -> Mapping {
        Mapping::parse(MAPPING, Model::builtin()).unwrap()
    }

    fn row(cells: [&str; 8]) -> Vec<Cell<'_>> {
        cells.into_iter().map(Cell::text).collect()
    }

    fn accepted(outcome: Outcome) -> Accepted {
        match outcome {
            Outcome::Accepted(a) => a,
            Outcome::Rejected(r) => panic!("rejected: {r:?}"),
        }
    }

    fn rejected(outcome: Outcome) -> Vec<Reject> {
        match outcome {
            Outcome::Rejected(r) => r,
            Outcome::Accepted(a) => panic!("accepted: {:?}", a.entity),
        }
    }

    #[test]
    fn a_row_becomes_an_entity_with_its_source() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let cells = row(["r1", "Ana", "Kovač", "14.03.1987", "Anka; Ana K.", "Knez Mihailova 1", "", "064 123 4567"]);
        let a = accepted(rows.map(2, &cells));
        let e = &a.entity;
        assert_eq!(e.id, "lists.r1");
        assert_eq!(e.first("name"), Some("Ana Kovač"));
        assert_eq!(e.first("birthDate"), Some("1987-03-14"));
        assert_eq!(e.values("alias"), ["Anka", "Ana K."]);
        assert_eq!(e.first("address"), Some("Knez Mihailova 1"));
        assert_eq!(e.first("phone"), Some("+381641234567"), "read in the mapped country");
        assert_eq!(e.provenance.source, SourceRef { dataset: "lists".into(), record: Some("r1".into()) });
        assert!(a.notes.is_empty());
    }

    #[test]
    fn every_bad_value_of_a_row_is_reported() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let r = rejected(rows.map(5, &row(["r1", "Ana", "", "1987-03-14", "", "", "", "12"])));
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!((r[0].line, r[0].column.as_str(), r[0].value.as_str()), (5, "born", "1987-03-14"));
        assert!(r[0].reason.starts_with("not a valid date: does not match format"), "{}", r[0].reason);
        assert_eq!(r[1].column, "phone");
    }

    #[test]
    fn impossible_days_are_kept_in_part_with_a_note() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let a = accepted(rows.map(3, &row(["r1", "Ana", "", "92.11.1955", "", "", "", ""])));
        assert_eq!(a.entity.first("birthDate"), Some("1955-11"));
        assert_eq!(a.notes.len(), 1);
        assert_eq!(a.notes[0].message, "day 92 out of range; kept 1955-11");
        assert_eq!(a.notes[0].column, "born");
    }

    #[test]
    fn ids_must_be_present_and_unique() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let r = rejected(rows.map(2, &row([" ", "Ana", "", "", "", "", "", ""])));
        assert_eq!(r[0].reason, "missing record id");
        accepted(rows.map(3, &row(["r1", "Ana", "", "", "", "", "", ""])));
        let r = rejected(rows.map(4, &row(["r1", "Ana", "", "", "", "", "", ""])));
        assert_eq!(r[0].reason, "duplicate record id, first seen on line 3");
        assert_eq!(r[0].column, "ref");
    }

    #[test]
    fn source_rows_are_kept_without_required_properties() {
        // As in FtM: a register row may have no name; only hand entry insists.
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let a = accepted(rows.map(2, &row(["r1", "", "", "", "", "Main St", "", ""])));
        assert_eq!(a.entity.first("address"), Some("Main St"));
        assert!(a.entity.values("name").is_empty());
    }

    #[test]
    fn excel_dates_and_errors_are_told_apart() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let mut cells = row(["r1", "Ana", "", "1987-03-14", "", "", "", ""]);
        cells[3].kind = CellKind::Date;
        assert_eq!(accepted(rows.map(2, &cells)).entity.first("birthDate"), Some("1987-03-14"));
        let mut cells = row(["r2", "Ana", "", "#N/A", "", "", "", ""]);
        cells[3].kind = CellKind::Error;
        let r = rejected(rows.map(3, &cells));
        assert_eq!(r[0].reason, "the cell holds the Excel error #N/A");
    }

    #[test]
    fn short_rows_read_missing_cells_as_empty() {
        let m = mapping();
        let mut rows = RecordMapper::new(Model::builtin(), &m, "lists", &header()).unwrap();
        let a = accepted(rows.map(2, &[Cell::text("r1"), Cell::text("Ana")]));
        assert_eq!(a.entity.first("name"), Some("Ana"));
    }

    #[test]
    fn a_bad_dataset_name_stops_the_file() {
        let m = mapping();
        assert!(matches!(
            RecordMapper::new(Model::builtin(), &m, "my lists", &header()),
            Err(IngestError::InvalidDataset(_))
        ));
    }
}
