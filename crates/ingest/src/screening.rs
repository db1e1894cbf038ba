//! Readers of screening files: watchlists and query lists for `veza screen`.
//!
//! Two formats:
//! - CSV with exactly the header `id,name,aliases,birth_date,gender,nationality,document_number`
//!   (aliases separated by `|`; birth dates ISO 8601, `YYYY`, `YYYY-MM` or
//!   `YYYY-MM-DD`; gender `M`, `F` or empty; nationality ISO 3166-1 alpha-2,
//!   several separated by `|`; document numbers likewise).
//! - FtM JSON lines: `Person` entities (other schemata are skipped and
//!   counted), properties `name`, `alias`, `birthDate`, `gender`
//!   (`male`/`female`/`other`), `nationality`, `passportNumber`, `idNumber`.
//!
//! The readers yield one `Result` per record: a bad row is a [`RowError`]
//! naming the file, line, field and reason, and the reader goes on; the
//! caller decides whether a bad row stops the run. Only a file that cannot
//! be used at all (unreadable, wrong header) is an error before any row.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use veza_screen::{BirthDate, Gender, Person};

/// The CSV header screening files must have, in this order.
pub const SCREENING_HEADER: [&str; 7] =
    ["id", "name", "aliases", "birth_date", "gender", "nationality", "document_number"];

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file, as given.
    pub file: String,
    /// 1-based line (the header is line 1).
    pub line: u64,
    /// The field, when one is at fault.
    pub field: Option<String>,
    /// What is wrong and what is expected.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: line {}: field {}: {}", self.file, self.line, field, self.reason),
            None => write!(f, "{}: line {}: {}", self.file, self.line, self.reason),
        }
    }
}

impl std::error::Error for RowError {}

/// Which format a screening file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreeningFormat {
    /// The fixed-header CSV.
    Csv,
    /// FtM JSON lines.
    FtmLines,
}

impl ScreeningFormat {
    /// From the file extension: `.csv`, or `.jsonl`/`.ndjson`/`.json`/`.ftm`.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(ScreeningFormat::Csv),
            "jsonl" | "ndjson" | "json" | "ftm" => Some(ScreeningFormat::FtmLines),
            _ => None,
        }
    }
}

/// Persons read from a screening file, one `Result` per record.
pub struct PersonReader {
    file: String,
    inner: Inner,
    /// FtM entities of other schemata skipped so far.
    pub skipped: u64,
}

enum Inner {
    Csv(csv::Reader<Box<dyn Read + Send>>, csv::StringRecord),
    Lines(std::io::Lines<BufReader<Box<dyn Read + Send>>>, u64),
}

impl PersonReader {
    /// Opens `path`, choosing the format from its extension.
    pub fn open(path: &Path) -> Result<Self, RowError> {
        let name = path.display().to_string();
        let format = ScreeningFormat::from_path(path).ok_or_else(|| RowError {
            file: name.clone(),
            line: 0,
            field: None,
            reason: "unknown format: name the file .csv (screening CSV) or .jsonl (FtM JSON lines)".into(),
        })?;
        let file = std::fs::File::open(path).map_err(|e| RowError {
            file: name.clone(),
            line: 0,
            field: None,
            reason: format!("cannot open: {e}"),
        })?;
        Self::from_reader(Box::new(file), format, &name)
    }

    /// Reads `input` in `format`; `file` names it in errors.
    pub fn from_reader(input: Box<dyn Read + Send>, format: ScreeningFormat, file: &str) -> Result<Self, RowError> {
        let inner = match format {
            ScreeningFormat::Csv => {
                let mut r = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
                let header = r
                    .headers()
                    .map_err(|e| RowError {
                        file: file.into(),
                        line: 1,
                        field: None,
                        reason: format!("the header cannot be read: {e}"),
                    })?
                    .clone();
                let found: Vec<&str> = header.iter().map(|h| h.trim_start_matches('\u{feff}').trim()).collect();
                if found != SCREENING_HEADER {
                    return Err(RowError {
                        file: file.into(),
                        line: 1,
                        field: None,
                        reason: format!(
                            "wrong header: expected `{}`, found `{}`",
                            SCREENING_HEADER.join(","),
                            found.join(",")
                        ),
                    });
                }
                Inner::Csv(r, csv::StringRecord::new())
            }
            ScreeningFormat::FtmLines => Inner::Lines(BufReader::new(input).lines(), 0),
        };
        Ok(PersonReader { file: file.into(), inner, skipped: 0 })
    }

    fn error(&self, line: u64, field: Option<&str>, reason: String) -> RowError {
        RowError { file: self.file.clone(), line, field: field.map(str::to_owned), reason }
    }
}

impl Iterator for PersonReader {
    type Item = Result<Person, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match &mut self.inner {
                Inner::Csv(r, record) => {
                    let line_guess = r.position().line() + 1;
                    match r.read_record(record) {
                        Ok(false) => return None,
                        Ok(true) => {
                            let line = record.position().map_or(line_guess, |p| p.line());
                            let fields: Vec<String> = record.iter().map(str::to_owned).collect();
                            return Some(self.csv_person(line, &fields));
                        }
                        Err(e) => return Some(Err(self.error(line_guess, None, format!("unreadable CSV row: {e}")))),
                    }
                }
                Inner::Lines(lines, n) => {
                    let text = match lines.next()? {
                        Ok(t) => t,
                        Err(e) => {
                            *n += 1;
                            let line = *n;
                            return Some(Err(self.error(line, None, format!("cannot read: {e}"))));
                        }
                    };
                    *n += 1;
                    let line = *n;
                    if text.trim().is_empty() {
                        continue;
                    }
                    match self.ftm_person(line, &text) {
                        Ok(Some(p)) => return Some(Ok(p)),
                        Ok(None) => {
                            self.skipped += 1;
                            continue;
                        }
                        Err(e) => return Some(Err(e)),
                    }
                }
            }
        }
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|v| !v.is_empty())
}

fn check_country(code: &str) -> bool {
    let up = code.to_ascii_uppercase();
    up == "XK" || (code.len() == 2 && isocountry::CountryCode::for_alpha2(&up).is_ok())
}

impl PersonReader {
    fn csv_person(&self, line: u64, f: &[String]) -> Result<Person, RowError> {
        if f.len() != SCREENING_HEADER.len() {
            return Err(self.error(
                line,
                None,
                format!("{} fields, expected {} ({})", f.len(), SCREENING_HEADER.len(), SCREENING_HEADER.join(",")),
            ));
        }
        let id = f[0].trim();
        if id.is_empty() {
            return Err(self.error(line, Some("id"), "empty: every row needs an id".into()));
        }
        let mut p = Person { id: id.to_owned(), ..Person::default() };
        if !f[1].trim().is_empty() {
            p.names.push(f[1].trim().to_owned());
        }
        p.names.extend(split_list(&f[2]).map(str::to_owned));
        for d in split_list(&f[3]) {
            p.birth_dates.push(BirthDate::parse(d).map_err(|e| self.error(line, Some("birth_date"), e.to_string()))?);
        }
        let g = f[4].trim();
        if !g.is_empty() {
            p.gender = Some(match g {
                "M" | "m" => Gender::Male,
                "F" | "f" => Gender::Female,
                other => return Err(self.error(line, Some("gender"), format!("{other:?} is not M, F or empty"))),
            });
        }
        for c in split_list(&f[5]) {
            if !check_country(c) {
                return Err(self.error(
                    line,
                    Some("nationality"),
                    format!("{c:?} is not an ISO 3166-1 alpha-2 country code (e.g. RS, XK)"),
                ));
            }
            p.nationalities.push(c.to_ascii_uppercase());
        }
        p.documents.extend(split_list(&f[6]).map(str::to_owned));
        Ok(p)
    }

    fn ftm_person(&self, line: u64, text: &str) -> Result<Option<Person>, RowError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| self.error(line, None, format!("not JSON: {e}")))?;
        let obj = v.as_object().ok_or_else(|| self.error(line, None, "not a JSON object (an FtM entity)".into()))?;
        let schema = obj
            .get("schema")
            .and_then(|s| s.as_str())
            .ok_or_else(|| self.error(line, Some("schema"), "missing: an FtM entity needs a schema".into()))?;
        if schema != "Person" {
            return Ok(None);
        }
        let id = obj
            .get("id")
            .and_then(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| self.error(line, Some("id"), "missing or empty".into()))?;
        let props = match obj.get("properties") {
            None => return Ok(Some(Person { id: id.to_owned(), ..Person::default() })),
            Some(p) => p.as_object().ok_or_else(|| self.error(line, Some("properties"), "not an object".into()))?,
        };
        let values = |name: &str| -> Result<Vec<String>, RowError> {
            match props.get(name) {
                None => Ok(Vec::new()),
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|i| {
                        i.as_str().map(str::to_owned).ok_or_else(|| {
                            self.error(line, Some(&format!("properties.{name}")), "values must be strings".into())
                        })
                    })
                    .collect(),
                Some(_) => Err(self.error(line, Some(&format!("properties.{name}")), "not a list of strings".into())),
            }
        };
        let mut p = Person { id: id.to_owned(), ..Person::default() };
        p.names = values("name")?;
        p.names.extend(values("alias")?);
        for d in values("birthDate")? {
            // FtM dates are ISO 8601 prefixes; a time part is not a birth date's.
            let day = d.split('T').next().unwrap_or("");
            p.birth_dates.push(
                BirthDate::parse(day).map_err(|e| self.error(line, Some("properties.birthDate"), e.to_string()))?,
            );
        }
        for g in values("gender")? {
            match g.as_str() {
                "male" | "m" | "M" => p.gender = Some(Gender::Male),
                "female" | "f" | "F" => p.gender = Some(Gender::Female),
                "other" | "" => {}
                other => {
                    return Err(self.error(
                        line,
                        Some("properties.gender"),
                        format!("{other:?} is not male, female or other"),
                    ));
                }
            }
        }
        for c in values("nationality")? {
            if !check_country(&c) {
                return Err(self.error(
                    line,
                    Some("properties.nationality"),
                    format!("{c:?} is not an ISO 3166-1 alpha-2 country code"),
                ));
            }
            p.nationalities.push(c.to_ascii_uppercase());
        }
        p.documents = values("passportNumber")?;
        p.documents.extend(values("idNumber")?);
        Ok(Some(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv(text: &str) -> Result<Vec<Result<Person, RowError>>, RowError> {
        Ok(PersonReader::from_reader(
            Box::new(std::io::Cursor::new(text.to_owned().into_bytes())),
            ScreeningFormat::Csv,
            "w.csv",
        )?
        .collect())
    }

    fn ftm(text: &str) -> Vec<Result<Person, RowError>> {
        PersonReader::from_reader(
            Box::new(std::io::Cursor::new(text.to_owned().into_bytes())),
            ScreeningFormat::FtmLines,
            "w.jsonl",
        )
        .unwrap()
        .collect()
    }

    const HEADER: &str = "id,name,aliases,birth_date,gender,nationality,document_number\n";

    #[test]
    fn reads_a_full_row() {
        let rows =
            csv(&format!("{HEADER}WL1,Ђорђе Петровић,Djordje Petrovic|Dorde Petrovic,1980-05,M,RS|ME,P 123-456\n"))
                .unwrap();
        let p = rows[0].as_ref().unwrap();
        assert_eq!(p.names.len(), 3);
        assert_eq!(p.birth_dates[0].to_string(), "1980-05");
        assert_eq!(p.gender, Some(Gender::Male));
        assert_eq!(p.nationalities, vec!["RS", "ME"]);
        assert_eq!(p.documents, vec!["P 123-456"]);
    }

    #[test]
    fn wrong_header_is_refused_before_any_row() {
        let e = csv("id,name,dob\n1,a,1990\n").err().unwrap();
        assert_eq!(e.line, 1);
        assert!(e.reason.contains("wrong header"), "{e}");
    }

    #[test]
    fn bad_fields_name_line_and_field() {
        let rows =
            csv(&format!("{HEADER}A,Ana,,1990-13-01,F,,\nB,Ivo,,1990,X,,\nC,Ivo,,,M,Serbia,\nD,Ivo,,,,RS,\n")).unwrap();
        let e0 = rows[0].as_ref().err().unwrap();
        assert_eq!((e0.line, e0.field.as_deref()), (2, Some("birth_date")));
        let e1 = rows[1].as_ref().err().unwrap();
        assert_eq!((e1.line, e1.field.as_deref()), (3, Some("gender")));
        assert_eq!(rows[2].as_ref().err().unwrap().field.as_deref(), Some("nationality"));
        assert!(rows[3].is_ok());
        assert_eq!(e0.to_string(), "w.csv: line 2: field birth_date: month 13 does not exist in \"1990-13-01\"");
    }

    #[test]
    fn ftm_persons_are_read_and_others_skipped() {
        let rows = ftm(concat!(
            r#"{"id":"p1","schema":"Person","properties":{"name":["Ana Kovač"],"alias":["Ana Kovac"],"birthDate":["1990-01-02"],"gender":["female"],"nationality":["hr"],"passportNumber":["123"],"idNumber":["X9"]}}"#,
            "\n",
            r#"{"id":"c1","schema":"Company","properties":{"name":["Firma"]}}"#,
            "\n\n",
            r#"{"id":"p2","schema":"Person","properties":{"birthDate":["1990-02-30"]}}"#,
            "\nnot json\n"
        ));
        assert_eq!(rows.len(), 3);
        let p = rows[0].as_ref().unwrap();
        assert_eq!((p.names.len(), p.documents.len(), p.gender), (2, 2, Some(Gender::Female)));
        let e = rows[1].as_ref().err().unwrap();
        assert_eq!((e.line, e.field.as_deref()), (4, Some("properties.birthDate")));
        assert_eq!(rows[2].as_ref().err().unwrap().line, 5);
    }

    proptest! {
        #[test]
        fn csv_rows_never_panic(row in "\\PC{0,80}") {
            let _ = csv(&format!("{HEADER}{row}\n"));
        }

        #[test]
        fn ftm_lines_never_panic(line in "\\PC{0,80}") {
            let _ = ftm(&line);
        }
    }
}
