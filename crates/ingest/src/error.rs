//! Errors that stop a whole file. A bad row is never one of these: rows
//! become [`Reject`](crate::Reject)s and the reader goes on.

use std::path::PathBuf;
use thiserror::Error;

/// Why a whole file cannot be read: it is empty, its header is unreadable,
/// the mapping does not fit it, or the input failed.
#[derive(Debug, Error)]
pub enum IngestError {
    /// Reading the input failed.
    #[error("cannot read the input: {0}")]
    Io(#[from] std::io::Error),
    /// The file has no header row (it is empty or blank).
    #[error("the file is empty: expected a header row with the column names")]
    Empty,
    /// The header row exists but cannot be used.
    #[error("the header row cannot be read: {0}")]
    Header(String),
    /// A whole-document format (notices JSON) that cannot be read at all.
    #[error("the file cannot be read: {0}")]
    Content(String),
    /// Columns the mapping refers to are not in the header.
    #[error(
        "the header lacks the column(s) {missing} that the mapping refers to; header found: {header}",
        missing = quoted(.missing),
        header = quoted(.header)
    )]
    MissingColumns {
        /// Referenced columns that are absent: the id column, then the
        /// properties' columns by property name.
        missing: Vec<String>,
        /// The header as found in the file.
        header: Vec<String>,
    },
    /// A column the mapping refers to appears more than once in the header.
    #[error(
        "column '{column}' appears more than once in the header (fields {positions}); rename one so the mapping can tell which to read",
        positions = .positions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousColumn {
        /// The repeated column name.
        column: String,
        /// 1-based positions of the column in the header.
        positions: Vec<usize>,
    },
    /// The workbook cannot be opened or its sheet cannot be read.
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    /// The mapping names a sheet the workbook does not have.
    #[error("the workbook has no sheet '{sheet}'; its sheets are {available}", available = quoted(.available))]
    NoSuchSheet {
        /// The sheet the mapping asked for.
        sheet: String,
        /// The sheets the workbook has.
        available: Vec<String>,
    },
    /// The mapping file is invalid.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// A CSV or Excel file was given without a mapping.
    #[error("{0} files need a mapping file that says which column holds which property")]
    MappingRequired(&'static str),
    /// The file's extension names no format Veza reads.
    #[error("unknown file format; use .json/.jsonl/.ndjson/.ftm (FtM), .csv/.tsv or .xlsx/.xlsm")]
    UnknownFormat,
    /// The dataset name cannot be part of an entity id.
    #[error(
        "dataset name '{0}' is not usable: use 1–100 letters, digits, '.', '-', '_' or ':' (e.g. 'rs-bp-checkpoint-2023')"
    )]
    InvalidDataset(String),
    /// Any of the above, with the file it happened in.
    #[error("{}: {source}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: Box<IngestError>,
    },
}

impl IngestError {
    /// The same error, naming the file it happened in.
    pub fn in_file(self, path: impl Into<PathBuf>) -> IngestError {
        match self {
            already @ IngestError::File { .. } => already,
            other => IngestError::File { path: path.into(), source: Box::new(other) },
        }
    }
}

/// Why a mapping file is not valid. Every variant says where: TOML syntax
/// errors carry `toml`'s line and column; the rest name the key and its
/// position.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MappingError {
    /// The text is not TOML of the mapping's shape (syntax, unknown keys,
    /// wrong types). The message has the line, column and a snippet.
    #[error("mapping: {0}")]
    Toml(#[from] toml::de::Error),
    /// A key has a value the model or the mapping rules do not accept.
    #[error("mapping line {line}, column {column}: {key}: {reason}")]
    Invalid {
        /// The dotted key (`schema`, `properties.birthDate`).
        key: String,
        /// 1-based line of the value.
        line: usize,
        /// 1-based column of the value.
        column: usize,
        /// What is wrong and what to do.
        reason: String,
    },
}

impl MappingError {
    /// The dotted key the error is about, when it names one.
    pub fn key(&self) -> Option<&str> {
        match self {
            MappingError::Invalid { key, .. } => Some(key),
            MappingError::Toml(_) => None,
        }
    }
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_columns_name_what_is_missing_and_what_was_found() {
        let e = IngestError::MissingColumns { missing: vec!["dob".into()], header: vec!["id".into(), "name".into()] };
        assert_eq!(
            e.to_string(),
            "the header lacks the column(s) 'dob' that the mapping refers to; header found: 'id', 'name'"
        );
    }

    #[test]
    fn errors_in_a_file_name_the_file_once() {
        let e = IngestError::Empty.in_file("a.csv").in_file("b.csv");
        assert!(e.to_string().starts_with("a.csv: the file is empty"), "{e}");
    }
}
