//! Errors of the model: schema definitions that do not hold together, and
//! property values that do not fit their type.

use thiserror::Error;

/// A schema definition, an entity or a property that breaks the model.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// A schema file could not be parsed.
    #[error("schema file {file}: {reason}")]
    SchemaFile { file: String, reason: String },
    /// A schema refers to a parent or range that does not exist.
    #[error("schema {schema}: {reason}")]
    SchemaDefinition { schema: String, reason: String },
    /// An entity names a schema that the model does not know.
    #[error("unknown schema '{0}'")]
    UnknownSchema(String),
    /// An abstract schema (Thing, Interval, …) cannot be instantiated.
    #[error("schema '{0}' is abstract; use one of its concrete descendants")]
    AbstractSchema(String),
    /// An entity has a property its schema does not define.
    #[error("schema {schema} has no property '{property}'")]
    UnknownProperty { schema: String, property: String },
    /// A property value failed validation.
    #[error("property {property}: {error}")]
    InvalidValue { property: String, error: ValueError },
    /// A required property is missing.
    #[error("schema {schema} requires property '{property}'")]
    MissingRequired { schema: String, property: String },
    /// An entity id is empty, too long or contains characters ids may not have.
    #[error("invalid entity id '{0}': ids are 1–200 characters of letters, digits, '.', '-', '_' or ':'")]
    InvalidId(String),
}

/// Why a raw value is not a valid value of its property type.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{value:?} is not a valid {kind}: {reason}")]
pub struct ValueError {
    /// The type name, as in FtM (`date`, `country`, `phone`, …).
    pub kind: &'static str,
    /// The rejected input, as given.
    pub value: String,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

impl ValueError {
    pub(crate) fn new(kind: &'static str, value: &str, reason: impl Into<String>) -> Self {
        let mut value = value.to_owned();
        if value.len() > 120 {
            let cut = (0..=120).rev().find(|i| value.is_char_boundary(*i)).unwrap_or(0);
            value.truncate(cut);
            value.push('…');
        }
        ValueError { kind, value, reason: reason.into() }
    }
}
