//! Mapping files: which column of a CSV or Excel table holds which property
//! of which schema. A mapping is checked against the model when it is
//! loaded, and against a file's header before the first row is read.
//!
//! ```toml
//! schema = "Person"
//! id = "id"                         # column holding the source record id
//! [properties]
//! firstName = "given_name"
//! lastName = "surname"
//! birthDate = { column = "date_of_birth", format = "%Y%m%d" }
//! address = ["street_number", "address_1", "suburb", "postcode", "state"]
//! idNumber = "soc_sec_id"
//! ```
//!
//! A property's source is one of:
//!
//! * `"col"` — one column;
//! * `["a", "b"]` — several columns joined with `", "`, empty parts skipped;
//! * `{ columns = ["a", "b"], join = " " }` — the same with another joint;
//! * `{ column = "col", split = ";" }` — a multi-valued cell;
//! * `{ column = "col", format = "%d.%m.%Y" }` — a date in another shape;
//! * `{ value = "rs" }` — the same constant on every row.
//!
//! Optional top-level keys: `dataset`, `sheet` (Excel), `delimiter` (CSV)
//! and a `[handling]` table with the fields of [`Handling`].

mod form;

use crate::error::{IngestError, MappingError};
use form::MappingForm;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use veza_model::{Entity, Handling, Model, PropertyType, Schema};

/// A mapping file, checked against the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    schema: String,
    id_column: String,
    dataset: Option<String>,
    sheet: Option<String>,
    delimiter: Option<u8>,
    handling: Handling,
    properties: Vec<PropertyMapping>,
}

/// Where the values of one property come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyMapping {
    /// The property of the mapping's schema.
    pub property: String,
    /// The column(s) or constant.
    pub source: ValueSource,
    /// For dates: the shape of the cells (`%Y%m%d`), when not ISO 8601.
    pub format: Option<String>,
    /// For multi-valued cells: the separator between values.
    pub split: Option<String>,
}

/// The column(s) or constant a property reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// One column.
    Column(String),
    /// Several columns, their non-empty values joined with `join`.
    Columns {
        /// The columns, in order.
        columns: Vec<String>,
        /// What goes between two values.
        join: String,
    },
    /// The same value on every row.
    Constant(String),
}

impl ValueSource {
    /// The columns read (none for a constant).
    pub fn columns(&self) -> &[String] {
        match self {
            ValueSource::Column(c) => std::slice::from_ref(c),
            ValueSource::Columns { columns, .. } => columns,
            ValueSource::Constant(_) => &[],
        }
    }
}

impl Mapping {
    /// Reads a mapping from TOML text and checks it against `model`.
    ///
    /// ```
    /// use veza_ingest::Mapping;
    /// let text = "schema = \"Person\"\nid = \"id\"\n[properties]\nfirstName = \"given_name\"\n";
    /// let mapping = Mapping::parse(text, veza_model::Model::builtin()).unwrap();
    /// assert_eq!(mapping.schema(), "Person");
    /// assert_eq!(mapping.columns(), ["id", "given_name"]);
    /// ```
    pub fn parse(text: &str, model: &Model) -> Result<Mapping, MappingError> {
        let form: MappingForm = toml::from_str(text)?;
        Check { text, model }.mapping(form)
    }

    /// Reads and checks the mapping file at `path`. Errors name the file.
    pub fn load(path: &Path, model: &Model) -> Result<Mapping, IngestError> {
        let text = std::fs::read_to_string(path).map_err(|e| IngestError::Io(e).in_file(path))?;
        Mapping::parse(&text, model).map_err(|e| IngestError::Mapping(e).in_file(path))
    }

    /// The mapping as TOML text that [`Mapping::parse`] reads back as an
    /// equal mapping.
    pub fn to_toml(&self) -> String {
        let mut doc = toml::Table::new();
        doc.insert("schema".into(), self.schema.clone().into());
        doc.insert("id".into(), self.id_column.clone().into());
        if let Some(d) = &self.dataset {
            doc.insert("dataset".into(), d.clone().into());
        }
        if let Some(s) = &self.sheet {
            doc.insert("sheet".into(), s.clone().into());
        }
        if let Some(d) = self.delimiter {
            doc.insert("delimiter".into(), char::from(d).to_string().into());
        }
        if self.handling != Handling::default()
            && let Ok(h) = toml::Value::try_from(&self.handling)
        {
            doc.insert("handling".into(), h);
        }
        let properties = self.properties.iter().map(|p| (p.property.clone(), form::to_toml_value(p))).collect();
        doc.insert("properties".into(), toml::Value::Table(properties));
        doc.to_string()
    }

    /// The schema of every entity the mapping makes.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The column holding each row's record id.
    pub fn id_column(&self) -> &str {
        &self.id_column
    }

    /// The dataset the mapping names, if any.
    pub fn dataset(&self) -> Option<&str> {
        self.dataset.as_deref()
    }

    /// The Excel sheet to read, if not the first.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The CSV field delimiter, if not the format's default.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The handling every entity gets.
    pub fn handling(&self) -> &Handling {
        &self.handling
    }

    /// The property mappings, by property name.
    pub fn properties(&self) -> &[PropertyMapping] {
        &self.properties
    }

    /// Every column the mapping reads, the id column first, each once.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns = vec![self.id_column.as_str()];
        for p in &self.properties {
            for c in p.source.columns() {
                if !columns.contains(&c.as_str()) {
                    columns.push(c);
                }
            }
        }
        columns
    }

    /// Checks that every column the mapping reads is in `header` exactly
    /// once (names compared after trimming spaces).
    pub fn check_header(&self, header: &[String]) -> Result<(), IngestError> {
        self.locate_columns(header).map(|_| ())
    }

    /// The 0-based position in `header` of every column the mapping reads.
    pub(crate) fn locate_columns(&self, header: &[String]) -> Result<HashMap<String, usize>, IngestError> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for column in self.columns() {
            let at: Vec<usize> =
                header.iter().enumerate().filter(|(_, h)| h.trim() == column).map(|(i, _)| i).collect();
            match at.as_slice() {
                [] => missing.push(column.to_owned()),
                [i] => {
                    found.insert(column.to_owned(), *i);
                }
                _ => {
                    let positions = at.iter().map(|i| i + 1).collect();
                    return Err(IngestError::AmbiguousColumn { column: column.to_owned(), positions });
                }
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(IngestError::MissingColumns { missing, header: header.to_vec() })
        }
    }
}

/// Checks a parsed mapping form against the model, pointing errors at the
/// offending key.
struct Check<'a> {
    text: &'a str,
    model: &'a Model,
}

impl Check<'_> {
    fn mapping(&self, form: MappingForm) -> Result<Mapping, MappingError> {
        let schema = self.schema(&form.schema)?;
        let id_column = self.non_empty("id", form.id)?.trim().to_owned();
        let dataset = form.dataset.map(|d| self.dataset(d)).transpose()?;
        let sheet = form.sheet.map(|s| self.non_empty("sheet", s)).transpose()?;
        let delimiter = form.delimiter.map(|d| self.delimiter(d)).transpose()?;
        let handling = form.handling.map(|h| self.handling(h)).transpose()?.unwrap_or_default();
        let mut properties = Vec::new();
        for (name, source) in form.properties {
            let span = source.span();
            let mapping = source.into_inner().into_property(name.into_inner());
            self.property(schema, &mapping, span)?;
            properties.push(mapping);
        }
        Ok(Mapping { schema: schema.name.clone(), id_column, dataset, sheet, delimiter, handling, properties })
    }

    fn invalid(&self, key: impl Into<String>, span: Range<usize>, reason: impl Into<String>) -> MappingError {
        let (line, column) = line_and_column(self.text, span.start);
        MappingError::Invalid { key: key.into(), line, column, reason: reason.into() }
    }

    fn schema(&self, name: &Spanned<String>) -> Result<&Schema, MappingError> {
        let schema = self.model.schema(name.get_ref()).map_err(|e| {
            let hint = self.model.schemata().find(|s| s.name.eq_ignore_ascii_case(name.get_ref()));
            let reason = match hint {
                Some(s) => format!("{e}; did you mean '{}'?", s.name),
                None => e.to_string(),
            };
            self.invalid("schema", name.span(), reason)
        })?;
        if schema.is_abstract {
            let reason = veza_model::ModelError::AbstractSchema(schema.name.clone()).to_string();
            return Err(self.invalid("schema", name.span(), reason));
        }
        Ok(schema)
    }

    fn property(&self, schema: &Schema, p: &PropertyMapping, span: Range<usize>) -> Result<(), MappingError> {
        let key = format!("properties.{}", p.property);
        let Some(property) = schema.properties.get(&p.property) else {
            let hint = schema.stored_properties().find(|q| q.name.eq_ignore_ascii_case(&p.property));
            let mut reason = format!("schema {} has no property '{}'", schema.name, p.property);
            if let Some(q) = hint {
                reason.push_str(&format!("; did you mean '{}'?", q.name));
            }
            return Err(self.invalid(key, span, reason));
        };
        if property.stub {
            let range = property.range.clone().unwrap_or_default();
            let reason =
                format!("'{}' is computed from {range} entities; map it in a {range} mapping instead", p.property);
            return Err(self.invalid(key, span, reason));
        }
        if let Some(format) = &p.format {
            if property.kind != PropertyType::Date {
                let reason = format!("`format` applies to dates; '{}' is a {}", p.property, property.kind.name());
                return Err(self.invalid(key, span, reason));
            }
            check_date_format(format).map_err(|reason| self.invalid(key.clone(), span.clone(), reason))?;
        }
        if let ValueSource::Constant(value) = &p.source {
            let mut probe = Entity::new("mapping-check", schema.name.clone());
            probe.add(self.model, &p.property, value).map_err(|e| self.invalid(key, span, e.to_string()))?;
        }
        Ok(())
    }

    fn non_empty(&self, key: &str, value: Spanned<String>) -> Result<String, MappingError> {
        if value.get_ref().trim().is_empty() {
            return Err(self.invalid(key, value.span(), "cannot be empty"));
        }
        Ok(value.into_inner())
    }

    fn dataset(&self, value: Spanned<String>) -> Result<String, MappingError> {
        crate::dataset::check_dataset(value.get_ref())
            .map_err(|e| self.invalid("dataset", value.span(), e.to_string()))?;
        Ok(value.into_inner())
    }

    fn delimiter(&self, value: Spanned<String>) -> Result<u8, MappingError> {
        match value.get_ref().as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            _ => {
                Err(self.invalid("delimiter", value.span(), "use one ASCII character such as \",\", \";\" or \"\\t\""))
            }
        }
    }

    fn handling(&self, value: Spanned<Handling>) -> Result<Handling, MappingError> {
        let span = value.span();
        value.into_inner().validated().map_err(|reason| self.invalid("handling", span, reason))
    }
}

/// Checks a date format as [`veza_model::PartialDate::parse_with_format`]
/// reads it: directives `%Y %m %d %H %M %S` and literal characters, with a
/// year, a month under any day, and a day under any time.
pub fn check_date_format(format: &str) -> Result<(), String> {
    let mut seen = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.next() {
            Some(d @ ('Y' | 'm' | 'd' | 'H' | 'M' | 'S')) => seen.push(d),
            Some(other) => {
                return Err(format!("format '{format}': directive %{other} is not supported; use %Y %m %d %H %M %S"));
            }
            None => return Err(format!("format '{format}' ends with '%'")),
        }
    }
    let has = |d: char| seen.contains(d);
    if !has('Y') {
        return Err(format!("format '{format}' has no year (%Y)"));
    }
    if has('d') && !has('m') {
        return Err(format!("format '{format}' has a day (%d) but no month (%m)"));
    }
    if (has('H') || has('M') || has('S')) && !(has('d') && has('H') && has('M')) {
        return Err(format!("format '{format}': a time needs %d, %H and %M"));
    }
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
