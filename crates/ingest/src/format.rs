//! One way in for every format: pick the format from the file's extension,
//! open the file, and read [`Outcome`]s from a [`Reader`] whatever the
//! format.

use crate::csv::CsvReader;
use crate::error::IngestError;
use crate::ftm::FtmReader;
use crate::mapping::Mapping;
use crate::notices::NoticeReader;
use crate::outcome::Outcome;
use crate::progress::Progress;
use crate::xlsx::XlsxReader;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use veza_model::Model;

/// The formats Veza reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// FollowTheMoney entities, one JSON object per line.
    FtmJson,
    /// Comma- (or tab-, or mapping-) separated values, through a mapping.
    Csv,
    /// An Excel workbook, through a mapping.
    Xlsx,
    /// INTERPOL notices as the public notices service publishes them
    /// (never chosen by extension: `--format interpol-notices`).
    InterpolNotices,
}

impl Format {
    /// The format a file's extension names (case-insensitive):
    /// `.json`/`.jsonl`/`.ndjson`/`.ftm` → FtM, `.csv`/`.tsv` → CSV,
    /// `.xlsx`/`.xlsm` → Excel.
    ///
    /// ```
    /// use veza_ingest::Format;
    /// use std::path::Path;
    /// assert_eq!(Format::from_path(Path::new("febrl3.CSV")), Some(Format::Csv));
    /// assert_eq!(Format::from_path(Path::new("export.ndjson")), Some(Format::FtmJson));
    /// assert_eq!(Format::from_path(Path::new("notes.txt")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" | "jsonl" | "ndjson" | "ftm" => Some(Format::FtmJson),
            "csv" | "tsv" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// Whether the format needs a mapping file (tables do, FtM does not).
    pub fn needs_mapping(self) -> bool {
        matches!(self, Format::Csv | Format::Xlsx)
    }

    /// The format a `--format` name names: `ftm`, `csv`, `xlsx`,
    /// `interpol-notices`.
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "ftm" | "ftm-json" | "json" | "jsonl" => Some(Format::FtmJson),
            "csv" | "tsv" => Some(Format::Csv),
            "xlsx" | "excel" => Some(Format::Xlsx),
            "interpol-notices" | "notices" => Some(Format::InterpolNotices),
            _ => None,
        }
    }

    /// A short name for messages (`FtM JSON`, `CSV`, `Excel`).
    pub fn name(self) -> &'static str {
        match self {
            Format::FtmJson => "FtM JSON",
            Format::Csv => "CSV",
            Format::Xlsx => "Excel",
            Format::InterpolNotices => "INTERPOL notices",
        }
    }
}

/// A reader of any format, giving one [`Outcome`] per row or line.
pub enum Reader<'m> {
    /// FtM JSON lines.
    FtmJson(FtmReader<'m, BufReader<File>>),
    /// A CSV or TSV file.
    Csv(CsvReader<'m, File>),
    /// An Excel sheet.
    Xlsx(XlsxReader<'m>),
    /// INTERPOL notices.
    Notices(NoticeReader<'m>),
}

impl<'m> Reader<'m> {
    /// Opens `path` in the format its extension names. CSV and Excel need
    /// `mapping`; FtM ignores it. `.tsv` files are split at tabs unless the
    /// mapping gives a delimiter. Errors name the file.
    pub fn open(
        path: &Path,
        model: &'m Model,
        mapping: Option<&'m Mapping>,
        dataset: &str,
    ) -> Result<Self, IngestError> {
        let format = Format::from_path(path).ok_or(IngestError::UnknownFormat).map_err(|e| e.in_file(path))?;
        Self::open_as(path, format, model, mapping, dataset)
    }

    /// Opens `path` as `format`, whatever its extension.
    pub fn open_as(
        path: &Path,
        format: Format,
        model: &'m Model,
        mapping: Option<&'m Mapping>,
        dataset: &str,
    ) -> Result<Self, IngestError> {
        let in_file = |e: IngestError| e.in_file(path);
        let mapping = match (format.needs_mapping(), mapping) {
            (true, None) => return Err(in_file(IngestError::MappingRequired(format.name()))),
            (_, mapping) => mapping,
        };
        let open = || File::open(path).map_err(|e| in_file(IngestError::Io(e)));
        let size = || std::fs::metadata(path).map(|m| m.len()).map_err(|e| in_file(IngestError::Io(e)));
        match (format, mapping) {
            (Format::FtmJson, _) => {
                let reader = FtmReader::new(BufReader::new(open()?), model, dataset).map_err(in_file)?;
                Ok(Reader::FtmJson(reader.with_total(size()?)))
            }
            (Format::Csv, Some(mapping)) => {
                let delimiter = mapping.delimiter().unwrap_or(default_delimiter(path));
                let reader = CsvReader::with_delimiter(open()?, mapping, model, dataset, delimiter).map_err(in_file)?;
                Ok(Reader::Csv(reader.with_total(size()?)))
            }
            (Format::Xlsx, Some(mapping)) => Ok(Reader::Xlsx(XlsxReader::open(path, mapping, model, dataset)?)),
            (Format::InterpolNotices, _) => {
                Ok(Reader::Notices(NoticeReader::new(BufReader::new(open()?), model, dataset).map_err(in_file)?))
            }
            (_, None) => Err(in_file(IngestError::MappingRequired(format.name()))),
        }
    }

    /// Rows read and how far into the input the reader is.
    pub fn progress(&self) -> Progress {
        match self {
            Reader::FtmJson(r) => r.progress(),
            Reader::Csv(r) => r.progress(),
            Reader::Xlsx(r) => r.progress(),
            Reader::Notices(r) => r.progress(),
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Outcome, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Reader::FtmJson(r) => r.next(),
            Reader::Csv(r) => r.next(),
            Reader::Xlsx(r) => r.next(),
            Reader::Notices(r) => r.next(),
        }
    }
}

/// Tabs for `.tsv`, commas otherwise.
fn default_delimiter(path: &Path) -> u8 {
    let tsv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    if tsv { b'\t' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Tally;

    const MAPPING: &str = "schema = \"Person\"\nid = \"id\"\n[properties]\nname = \"name\"\n";

    fn tally(reader: Reader) -> Tally {
        let outcomes: Vec<Outcome> = reader.collect::<Result<_, _>>().unwrap();
        outcomes.iter().collect()
    }

    #[test]
    fn formats_follow_extensions() {
        for (name, format) in [
            ("a.json", Format::FtmJson),
            ("a.jsonl", Format::FtmJson),
            ("a.ftm", Format::FtmJson),
            ("a.tsv", Format::Csv),
            ("a.XLSM", Format::Xlsx),
        ] {
            assert_eq!(Format::from_path(Path::new(name)), Some(format), "{name}");
        }
        assert_eq!(Format::from_path(Path::new("csv")), None);
        assert!(Format::Csv.needs_mapping() && !Format::FtmJson.needs_mapping());
    }

    #[test]
    fn every_format_reads_through_one_reader() {
        let dir = tempfile::tempdir().unwrap();
        let model = Model::builtin();
        let mapping = Mapping::parse(MAPPING, model).unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "id,name\n1,Ana\n,Ivo\n").unwrap();
        let tsv = dir.path().join("b.tsv");
        std::fs::write(&tsv, "id\tname\n1\tAna\n").unwrap();
        let ftm = dir.path().join("c.jsonl");
        std::fs::write(&ftm, "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ana\"]}}\n").unwrap();
        let t = tally(Reader::open(&csv, model, Some(&mapping), "a").unwrap());
        assert_eq!((t.accepted, t.rejected), (1, 1));
        let t = tally(Reader::open(&tsv, model, Some(&mapping), "b").unwrap());
        assert_eq!(t.accepted, 1);
        let mut reader = Reader::open(&ftm, model, None, "c").unwrap();
        assert!(reader.next().is_some());
        let p = reader.progress();
        assert_eq!(p.fraction(), Some(1.0));
    }

    #[test]
    fn whole_file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let model = Model::builtin();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "").unwrap();
        let e = Reader::open(&csv, model, None, "a").err().unwrap();
        assert!(
            e.to_string().ends_with("CSV files need a mapping file that says which column holds which property"),
            "{e}"
        );
        let mapping = Mapping::parse(MAPPING, model).unwrap();
        let e = Reader::open(&csv, model, Some(&mapping), "a").err().unwrap();
        assert!(matches!(&e, IngestError::File { source, .. } if matches!(**source, IngestError::Empty)), "{e:?}");
        let e = Reader::open(&dir.path().join("a.txt"), model, None, "a").err().unwrap();
        assert!(e.to_string().contains("unknown file format"), "{e}");
        let e = Reader::open(&dir.path().join("missing.csv"), model, Some(&mapping), "a").err().unwrap();
        assert!(e.to_string().contains("missing.csv: cannot read the input"), "{e}");
    }
}
