//! Inputs of entity resolution: CSV tables of records, and the optional
//! settings file that says which column holds what.
//!
//! ```toml
//! id = "id"
//! [[field]]
//! column = "given_name"
//! kind = "given_name"   # given_name | surname | full_name | date | address | postcode
//!                       # | city | region | identifier | phone | categorical | exact
//! [[field]]
//! column = "date_of_birth"
//! kind = "date"
//! format = "%Y%m%d"
//! ```
//!
//! Without settings, columns are recognised by name (`given_name`,
//! `firstName`, `surname`, `date_of_birth`, `phone`, …); others are left
//! out. Dates are read in the format given, or one found in the column
//! (`%Y%m%d`, `%Y-%m-%d`, `%d.%m.%Y`, `%d/%m/%Y`, `%Y/%m/%d`, `%Y`), and
//! handed on as `YYYY[-MM[-DD]]` with their digits as written, so a typo
//! such as day 92 still compares. Every error names the file, and for a
//! row its line, column and reason.

use crate::mapping::line_and_column;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use toml::Spanned;
use veza_resolve::{Field, FieldKind, Record, Schema};

/// A settings file: the id column and each compared column with its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveSettings {
    /// The column holding each record's id.
    pub id: String,
    /// The compared columns, in order.
    pub fields: Vec<FieldSetting>,
}

/// One compared column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSetting {
    /// The column's name in the header.
    pub column: String,
    /// How it is compared.
    pub kind: FieldKind,
    /// For dates: the shape of the cells, with `%Y`, `%m`, `%d`.
    pub format: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsForm {
    id: Spanned<String>,
    #[serde(default)]
    field: Vec<FieldForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldForm {
    column: Spanned<String>,
    kind: Spanned<String>,
    format: Option<Spanned<String>>,
}

/// Why an input of a resolution cannot be used: where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveInputError {
    /// The file (input or settings).
    pub file: String,
    /// The 1-based line, when the error is in one.
    pub line: Option<u64>,
    /// The column or settings key, when the error is about one.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub reason: String,
}

impl std::fmt::Display for ResolveInputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for ResolveInputError {}

fn error(file: &str, line: Option<u64>, field: Option<String>, reason: impl Into<String>) -> ResolveInputError {
    ResolveInputError { file: file.to_owned(), line, field, reason: reason.into() }
}

impl ResolveSettings {
    /// Parses settings text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<ResolveSettings, ResolveInputError> {
        let form: SettingsForm = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_and_column(text, s.start).0 as u64);
            error(file, line, None, e.message().to_owned())
        })?;
        let at = |span: std::ops::Range<usize>| Some(line_and_column(text, span.start).0 as u64);
        if form.id.get_ref().trim().is_empty() {
            return Err(error(file, at(form.id.span()), Some("id".into()), "the id column's name is empty"));
        }
        let mut fields = Vec::new();
        for (i, f) in form.field.into_iter().enumerate() {
            let kind = FieldKind::from_name(f.kind.get_ref()).ok_or_else(|| {
                let known = FieldKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(" | ");
                error(
                    file,
                    at(f.kind.span()),
                    Some(format!("field[{}].kind", i + 1)),
                    format!("unknown kind '{}'; use one of {known}", f.kind.get_ref()),
                )
            })?;
            if let Some(format) = &f.format {
                if kind != FieldKind::Date {
                    return Err(error(
                        file,
                        at(format.span()),
                        Some(format!("field[{}].format", i + 1)),
                        "a format applies to dates only (kind = \"date\")",
                    ));
                }
                DateFormat::parse(format.get_ref()).map_err(|reason| {
                    error(file, at(format.span()), Some(format!("field[{}].format", i + 1)), reason)
                })?;
            }
            fields.push(FieldSetting {
                column: f.column.into_inner(),
                kind,
                format: f.format.map(Spanned::into_inner),
            });
        }
        if fields.is_empty() {
            return Err(error(
                file,
                None,
                Some("field".into()),
                "no [[field]] given: name at least one column to compare",
            ));
        }
        Ok(ResolveSettings { id: form.id.into_inner(), fields })
    }

    /// Reads and parses a settings file.
    pub fn load(path: &Path) -> Result<ResolveSettings, ResolveInputError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| error(&name, None, None, format!("cannot read: {e}")))?;
        ResolveSettings::parse(&text, &name)
    }
}

/// The kind a column name suggests, if any (`firstName`, `date_of_birth`, …).
pub fn recognise(column: &str) -> Option<FieldKind> {
    let n: String = column.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    Some(match n.as_str() {
        "firstname" | "givenname" | "forename" | "first" | "given" => FieldKind::GivenName,
        "lastname" | "surname" | "familyname" | "last" | "family" => FieldKind::Surname,
        "name" | "fullname" => FieldKind::FullName,
        "birthdate" | "dateofbirth" | "dob" | "birthday" | "born" => FieldKind::Date,
        "gender" | "sex" | "nationality" | "citizenship" | "country" => FieldKind::Categorical,
        "documentnumber" | "passportnumber" | "passport" | "idnumber" | "nationalid" | "personalnumber"
        | "socsecid" | "ssn" | "taxnumber" => FieldKind::Identifier,
        "phone" | "phonenumber" | "telephone" | "mobile" => FieldKind::Phone,
        "address" | "address1" | "address2" | "street" | "streetaddress" | "addressline1" | "addressline2" => {
            FieldKind::Address
        }
        "streetnumber" | "housenumber" => FieldKind::Exact,
        "postcode" | "zip" | "zipcode" | "postalcode" => FieldKind::Postcode,
        "city" | "town" | "suburb" | "place" | "birthplace" | "placeofbirth" => FieldKind::City,
        "state" | "region" | "province" => FieldKind::Region,
        _ => return None,
    })
}

fn recognise_id(column: &str) -> bool {
    let n: String = column.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    matches!(n.as_str(), "id" | "recordid" | "recid")
}

/// A date format made of `%Y`, `%m`, `%d` and literal characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat(Vec<DatePiece>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatePiece {
    Year,
    Month,
    Day,
    Literal(char),
}

/// Formats tried, in order, on a date column without one.
const KNOWN_FORMATS: [&str; 6] = ["%Y%m%d", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y"];

impl DateFormat {
    /// Parses a format; only `%Y`, `%m`, `%d` and literals are accepted.
    pub fn parse(format: &str) -> Result<DateFormat, String> {
        let mut pieces = Vec::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                pieces.push(DatePiece::Literal(c));
                continue;
            }
            pieces.push(match chars.next() {
                Some('Y') => DatePiece::Year,
                Some('m') => DatePiece::Month,
                Some('d') => DatePiece::Day,
                Some(other) => {
                    return Err(format!(
                        "date format '{format}' has '%{other}'; use %Y (4-digit year), %m (month), %d (day) and literal characters"
                    ));
                }
                None => return Err(format!("date format '{format}' ends with a lone '%'")),
            });
        }
        if !pieces.contains(&DatePiece::Year) {
            return Err(format!("date format '{format}' has no %Y: a year is needed"));
        }
        if pieces.contains(&DatePiece::Day) && !pieces.contains(&DatePiece::Month) {
            return Err(format!("date format '{format}' has a day (%d) but no month (%m)"));
        }
        Ok(DateFormat(pieces))
    }

    /// Reads `text` in this format as `YYYY[-MM[-DD]]`, digits as written;
    /// `None` when it does not have the shape. A value that ends at a
    /// separator after its year is read with the precision it has.
    pub fn read(&self, text: &str) -> Option<String> {
        let b = text.trim().as_bytes();
        let mut at = 0;
        let (mut y, mut m, mut d) = (None, None, None);
        for (i, piece) in self.0.iter().enumerate() {
            let digit = |p: Option<&DatePiece>| matches!(p, Some(DatePiece::Year | DatePiece::Month | DatePiece::Day));
            // Without a separator beside it, a month or day has two digits.
            let fixed = digit(self.0.get(i + 1)) || (i > 0 && digit(self.0.get(i - 1)));
            match piece {
                // Reduced precision (ISO 8601): a value may stop before a
                // separator once it has its year, e.g. `2008` or `2008-05`
                // in `%Y-%m-%d`.
                DatePiece::Literal(_) if at == b.len() && y.is_some() => break,
                DatePiece::Literal(c) => {
                    let mut buf = [0u8; 4];
                    let lit = c.encode_utf8(&mut buf).as_bytes();
                    if !b.get(at..)?.starts_with(lit) {
                        return None;
                    }
                    at += lit.len();
                }
                DatePiece::Year => {
                    let digits = b.get(at..at + 4)?;
                    if !digits.iter().all(u8::is_ascii_digit) {
                        return None;
                    }
                    y = Some(std::str::from_utf8(digits).ok()?.to_owned());
                    at += 4;
                }
                DatePiece::Month | DatePiece::Day => {
                    let run = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
                    let len = if fixed || run >= 2 { 2 } else { run };
                    if len == 0 || run < len {
                        return None;
                    }
                    let v: u8 = std::str::from_utf8(&b[at..at + len]).ok()?.parse().ok()?;
                    if *piece == DatePiece::Month {
                        m = Some(v)
                    } else {
                        d = Some(v)
                    }
                    at += len;
                }
            }
        }
        if at != b.len() {
            return None;
        }
        let y = y?;
        Some(match (m, d) {
            (Some(m), Some(d)) => format!("{y}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y}-{m:02}"),
            _ => y,
        })
    }
}

/// Records read from one or more tables, and the schema they follow.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveInput {
    /// The compared fields (named by column).
    pub schema: Schema,
    /// The records of every file, in file and row order; `source` is the
    /// file's position.
    pub records: Vec<Record>,
}

/// One table to read: its name in errors and its bytes.
pub struct Table<R> {
    /// The file's name, as errors show it.
    pub name: String,
    /// The CSV bytes (header row first).
    pub input: R,
}

/// Reads CSV tables as records for resolution. With `settings`, its columns
/// must be in every file's header; without, columns are recognised by name
/// and a file may lack some (its records then have no value there). Ids
/// must be present and unique across all tables.
pub fn read_tables<R: Read>(
    tables: Vec<Table<R>>,
    settings: Option<&ResolveSettings>,
) -> Result<ResolveInput, ResolveInputError> {
    // Read every header first, so the schema is known before any row.
    let mut readers = Vec::new();
    for t in tables {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(t.input);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| error(&t.name, Some(1), None, format!("the header row cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(error(
                &t.name,
                Some(1),
                None,
                "the file is empty: expected a header row with the column names",
            ));
        }
        readers.push((t.name, header, reader));
    }
    let (id_column, fields): (String, Vec<FieldSetting>) = match settings {
        Some(s) => (s.id.clone(), s.fields.clone()),
        None => {
            let mut fields: Vec<FieldSetting> = Vec::new();
            for (_, header, _) in &readers {
                for h in header {
                    if let Some(kind) = recognise(h)
                        && !fields.iter().any(|f| &f.column == h)
                    {
                        fields.push(FieldSetting { column: h.clone(), kind, format: None });
                    }
                }
            }
            let (name, header, _) = &readers[0];
            let id = header.iter().find(|h| recognise_id(h)).cloned().ok_or_else(|| {
                error(
                    name,
                    Some(1),
                    None,
                    format!(
                        "no id column: name one 'id' or give --settings with id = \"…\"; header: {}",
                        header.join(",")
                    ),
                )
            })?;
            if fields.is_empty() {
                return Err(error(
                    name,
                    Some(1),
                    None,
                    format!(
                        "no column is recognised for comparison (e.g. name, given_name, surname, birth_date, phone); give --settings; header: {}",
                        header.join(",")
                    ),
                ));
            }
            (id, fields)
        }
    };
    let schema = Schema::new(fields.iter().map(|f| Field::new(f.column.clone(), f.kind)).collect());
    let mut records = Vec::new();
    let mut seen: HashMap<String, (usize, u64)> = HashMap::new();
    let names: Vec<String> = readers.iter().map(|r| r.0.clone()).collect();
    for (source, (name, header, mut reader)) in readers.into_iter().enumerate() {
        let position = |column: &str| header.iter().position(|h| h == column);
        let id_at = position(&id_column).ok_or_else(|| {
            error(
                &name,
                Some(1),
                Some(format!("id '{id_column}'")),
                format!("the id column is not in the header: {}", header.join(",")),
            )
        })?;
        let mut columns: Vec<Option<usize>> = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let at = position(&f.column);
            if at.is_none() && settings.is_some() {
                return Err(error(
                    &name,
                    Some(1),
                    Some(format!("field[{}].column '{}'", i + 1, f.column)),
                    format!("the settings name a column the file does not have; header: {}", header.join(",")),
                ));
            }
            columns.push(at);
        }
        let rows: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .map_err(|e| error(&name, e.position().map(|p| p.line()), None, format!("malformed CSV: {e}")))?;
        let formats: Vec<Option<DateFormat>> =
            fields.iter().zip(&columns).map(|(f, at)| date_format(f, *at, &rows, &name)).collect::<Result<_, _>>()?;
        for row in &rows {
            let line = row.position().map_or(0, |p| p.line());
            let id = row.get(id_at).unwrap_or("").trim();
            if id.is_empty() {
                return Err(error(&name, Some(line), Some(format!("column '{id_column}'")), "the record has no id"));
            }
            if let Some((file, first)) = seen.insert(id.to_owned(), (source, line)) {
                return Err(error(
                    &name,
                    Some(line),
                    Some(format!("column '{id_column}'")),
                    format!(
                        "record id '{id}' is not unique: {} line {first} has it too; ids must be unique across all inputs",
                        names[file]
                    ),
                ));
            }
            let mut values = Vec::with_capacity(fields.len());
            for ((f, at), format) in fields.iter().zip(&columns).zip(&formats) {
                let raw = at.and_then(|i| row.get(i)).map(str::trim).filter(|v| !v.is_empty());
                let value = match (raw, format) {
                    (Some(v), Some(format)) => Some(format.read(v).ok_or_else(|| {
                        error(
                            &name,
                            Some(line),
                            Some(format!("column '{}'", f.column)),
                            format!(
                                "'{v}' is not a date in the format {}",
                                f.format.as_deref().unwrap_or("found in the column")
                            ),
                        )
                    })?),
                    (v, _) => v.map(str::to_owned),
                };
                values.push(value);
            }
            records.push(Record { id: id.to_owned(), source: source as u32, values });
        }
    }
    Ok(ResolveInput { schema, records })
}

/// The date format of a field: the one given, or the first known format
/// that reads every one of the column's first 1,000 values.
fn date_format(
    f: &FieldSetting,
    at: Option<usize>,
    rows: &[csv::StringRecord],
    name: &str,
) -> Result<Option<DateFormat>, ResolveInputError> {
    if f.kind != FieldKind::Date {
        return Ok(None);
    }
    if let Some(format) = &f.format {
        return DateFormat::parse(format).map(Some).map_err(|r| error(name, None, Some(f.column.clone()), r));
    }
    let Some(at) = at else { return Ok(None) };
    let sample: Vec<&str> =
        rows.iter().filter_map(|r| r.get(at)).map(str::trim).filter(|v| !v.is_empty()).take(1000).collect();
    for known in KNOWN_FORMATS {
        let format = DateFormat::parse(known).expect("known formats parse");
        if sample.iter().all(|v| format.read(v).is_some()) {
            return Ok(Some(format));
        }
    }
    Err(error(
        name,
        None,
        Some(format!("column '{}'", f.column)),
        format!(
            "cannot tell the date format (tried {}); give it in --settings as format = \"…\"",
            KNOWN_FORMATS.join(", ")
        ),
    ))
}

/// Reads CSV files (see [`read_tables`]).
pub fn read_files(paths: &[&Path], settings: Option<&ResolveSettings>) -> Result<ResolveInput, ResolveInputError> {
    let mut tables = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        let file = std::fs::File::open(p).map_err(|e| error(&name, None, None, format!("cannot open: {e}")))?;
        tables.push(Table { name, input: std::io::BufReader::with_capacity(1 << 20, file) });
    }
    read_tables(tables, settings)
}

#[cfg(test)]
mod tests;
