//! The TOML shape of a mapping file, as serde reads it. Shape errors (a
//! table with both `column` and `value`, an unknown key, an empty column
//! name) are raised while deserialising, so `toml` reports them with their
//! line and column.

use super::{PropertyMapping, ValueSource};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;
use veza_model::Handling;

/// A whole mapping file, before it is checked against the model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MappingForm {
    pub schema: Spanned<String>,
    pub id: Spanned<String>,
    pub dataset: Option<Spanned<String>>,
    pub sheet: Option<Spanned<String>>,
    pub delimiter: Option<Spanned<String>>,
    pub handling: Option<Spanned<Handling>>,
    #[serde(default)]
    pub properties: BTreeMap<Spanned<String>, Spanned<SourceForm>>,
}

/// Where one property's values come from, with its options.
#[derive(Debug)]
pub(super) struct SourceForm {
    pub source: ValueSource,
    pub format: Option<String>,
    pub split: Option<String>,
}

impl SourceForm {
    pub fn into_property(self, property: String) -> PropertyMapping {
        PropertyMapping { property, source: self.source, format: self.format, split: self.split }
    }
}

/// The table form: `{ column = "x", format = "%Y%m%d" }` and its kin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceTable {
    column: Option<String>,
    columns: Option<Vec<String>>,
    join: Option<String>,
    value: Option<String>,
    format: Option<String>,
    split: Option<String>,
}

impl SourceTable {
    fn into_form(self) -> Result<SourceForm, String> {
        let given = [self.column.is_some(), self.columns.is_some(), self.value.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err("give exactly one of `column`, `columns` or `value`".into());
        }
        if self.join.is_some() && self.columns.is_none() {
            return Err("`join` goes with `columns`".into());
        }
        if self.split.as_deref() == Some("") {
            return Err("`split` needs a separator, e.g. split = \";\"".into());
        }
        if self.value.is_some() && (self.split.is_some() || self.format.is_some()) {
            return Err("a constant `value` is given in its final form; drop `split` and `format`".into());
        }
        let source = match (self.column, self.columns, self.value) {
            (Some(column), _, _) => column_source(column)?,
            (_, Some(columns), _) => columns_source(columns, self.join.unwrap_or_else(|| ", ".into()))?,
            (_, _, Some(value)) => ValueSource::Constant(value),
            (None, None, None) => return Err("give exactly one of `column`, `columns` or `value`".into()),
        };
        Ok(SourceForm { source, format: self.format, split: self.split })
    }
}

fn column_source(column: String) -> Result<ValueSource, String> {
    if column.trim().is_empty() {
        return Err("a column name cannot be empty".into());
    }
    Ok(ValueSource::Column(column.trim().to_owned()))
}

fn columns_source(columns: Vec<String>, join: String) -> Result<ValueSource, String> {
    if columns.is_empty() {
        return Err("list at least one column".into());
    }
    if columns.iter().any(|c| c.trim().is_empty()) {
        return Err("a column name cannot be empty".into());
    }
    let columns = columns.into_iter().map(|c| c.trim().to_owned()).collect();
    Ok(ValueSource::Columns { columns, join })
}

fn plain(source: ValueSource) -> SourceForm {
    SourceForm { source, format: None, split: None }
}

struct SourceVisitor;

impl<'de> Visitor<'de> for SourceVisitor {
    type Value = SourceForm;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a column name, a list of column names, or a table such as { column = \"dob\", format = \"%Y%m%d\" }",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceForm, E> {
        column_source(v.to_owned()).map(plain).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SourceForm, A::Error> {
        let mut columns = Vec::new();
        while let Some(column) = seq.next_element::<String>()? {
            columns.push(column);
        }
        columns_source(columns, ", ".into()).map(plain).map_err(de::Error::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SourceForm, A::Error> {
        let table = SourceTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        table.into_form().map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for SourceForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SourceVisitor)
    }
}

/// The TOML value that reads back as `p`: the shortest form that says it.
pub(super) fn to_toml_value(p: &PropertyMapping) -> toml::Value {
    let extras = p.format.is_some() || p.split.is_some();
    let mut table = toml::Table::new();
    match &p.source {
        ValueSource::Column(c) if !extras => return toml::Value::String(c.clone()),
        ValueSource::Columns { columns, join } if !extras && join == ", " => {
            return toml::Value::Array(columns.iter().cloned().map(toml::Value::String).collect());
        }
        ValueSource::Column(c) => {
            table.insert("column".into(), c.clone().into());
        }
        ValueSource::Columns { columns, join } => {
            let list = columns.iter().cloned().map(toml::Value::String).collect();
            table.insert("columns".into(), toml::Value::Array(list));
            table.insert("join".into(), join.clone().into());
        }
        ValueSource::Constant(v) => {
            table.insert("value".into(), v.clone().into());
        }
    }
    if let Some(f) = &p.format {
        table.insert("format".into(), f.clone().into());
    }
    if let Some(s) = &p.split {
        table.insert("split".into(), s.clone().into());
    }
    toml::Value::Table(table)
}
