//! The reject report: a CSV file with the header `line,column,value,reason`
//! that a person opens next to the source file to fix it.
//!
//! Values are written as found. A value that starts with `=`, `+`, `-` or
//! `@` may be taken for a formula by a spreadsheet; open the report as
//! text (or import it) rather than double-clicking it.

use crate::error::IngestError;
use crate::outcome::Reject;
use std::io::{self, Read, Write};

/// The report's header.
pub const HEADER: [&str; 4] = ["line", "column", "value", "reason"];

/// Writes rejects as CSV, one at a time, so a long import need not keep
/// them.
pub struct RejectWriter<W: Write> {
    csv: ::csv::Writer<W>,
}

impl<W: Write> RejectWriter<W> {
    /// Starts a report on `output` and writes its header.
    pub fn new(output: W) -> io::Result<Self> {
        let mut csv = ::csv::WriterBuilder::new().has_headers(false).from_writer(output);
        csv.write_record(HEADER)?;
        Ok(RejectWriter { csv })
    }

    /// Writes one reject.
    pub fn write(&mut self, reject: &Reject) -> io::Result<()> {
        let line = reject.line.to_string();
        self.csv.write_record([line.as_str(), &reject.column, &reject.value, &reject.reason])?;
        Ok(())
    }

    /// Flushes the report and gives the output back.
    pub fn finish(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes a whole report: the header, then every reject.
///
/// ```
/// use veza_ingest::{Reject, write_rejects};
/// let r = Reject { line: 3, column: "id".into(), value: "".into(), reason: "missing record id".into() };
/// let mut out = Vec::new();
/// write_rejects(&mut out, [&r]).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "line,column,value,reason\n3,id,,missing record id\n");
/// ```
pub fn write_rejects<'r, W: Write>(output: W, rejects: impl IntoIterator<Item = &'r Reject>) -> io::Result<()> {
    let mut writer = RejectWriter::new(output)?;
    for reject in rejects {
        writer.write(reject)?;
    }
    writer.finish().map(drop)
}

/// Reads a report written by [`write_rejects`] back.
pub fn read_rejects<R: Read>(input: R) -> Result<Vec<Reject>, IngestError> {
    let mut csv = ::csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let header = csv.headers().map_err(|e| IngestError::Io(e.into()))?;
    if header.iter().ne(HEADER) {
        let found = header.iter().collect::<Vec<_>>().join(",");
        return Err(IngestError::Header(format!("expected line,column,value,reason, found {found}")));
    }
    csv.deserialize().map(|r| r.map_err(|e| IngestError::Io(e.into()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_empty_report_still_has_its_header() {
        let mut out = Vec::new();
        write_rejects(&mut out, []).unwrap();
        assert_eq!(out, b"line,column,value,reason\n");
        assert_eq!(read_rejects(&out[..]).unwrap(), vec![]);
    }

    #[test]
    fn values_with_commas_quotes_and_line_breaks_are_quoted() {
        let r = Reject { line: 7, column: "address".into(), value: "1 \"Main\", St\nX".into(), reason: "r".into() };
        let mut out = Vec::new();
        write_rejects(&mut out, [&r]).unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "line,column,value,reason\n7,address,\"1 \"\"Main\"\", St\nX\",r\n"
        );
        assert_eq!(read_rejects(&out[..]).unwrap(), vec![r]);
    }

    #[test]
    fn other_files_are_not_reports() {
        assert!(read_rejects(&b"a,b\n1,2\n"[..]).is_err());
    }

    proptest! {
        #[test]
        fn reports_round_trip(rows in prop::collection::vec((any::<u64>(), "\\PC{0,12}", "\\PC{0,20}", "\\PC{1,20}"), 0..20)) {
            let rejects: Vec<Reject> = rows
                .into_iter()
                .map(|(line, column, value, reason)| Reject { line, column, value, reason })
                .collect();
            let mut out = Vec::new();
            write_rejects(&mut out, &rejects).unwrap();
            prop_assert_eq!(read_rejects(&out[..]).unwrap(), rejects);
        }
    }
}
