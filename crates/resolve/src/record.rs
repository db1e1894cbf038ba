//! What the engine resolves: records of named fields, each field of a kind.

use serde::{Deserialize, Serialize};

/// How a field is compared. The kind decides the comparison levels, how a
/// value is normalised, and which blocking keys it can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A first or given name.
    GivenName,
    /// A family name.
    Surname,
    /// A whole name in one field, in any order (`KRASNIQI ARBEN`).
    FullName,
    /// A date, given to the engine as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
    /// (digits kept as written, so a typo such as month 13 still compares).
    Date,
    /// A street address or one line of it.
    Address,
    /// A postal code.
    Postcode,
    /// A town or city.
    City,
    /// A region, state or province.
    Region,
    /// A document, national or account number: compared without separators.
    Identifier,
    /// A telephone number: compared on its digits, with or without country code.
    Phone,
    /// A value from a small vocabulary (gender, nationality).
    Categorical,
    /// Any other value, equal or not.
    Exact,
}

impl FieldKind {
    /// Every kind, in the order the settings file lists them.
    pub const ALL: [FieldKind; 12] = [
        FieldKind::GivenName,
        FieldKind::Surname,
        FieldKind::FullName,
        FieldKind::Date,
        FieldKind::Address,
        FieldKind::Postcode,
        FieldKind::City,
        FieldKind::Region,
        FieldKind::Identifier,
        FieldKind::Phone,
        FieldKind::Categorical,
        FieldKind::Exact,
    ];

    /// The kind's name in settings files (`given_name`, `date`, …).
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::GivenName => "given_name",
            FieldKind::Surname => "surname",
            FieldKind::FullName => "full_name",
            FieldKind::Date => "date",
            FieldKind::Address => "address",
            FieldKind::Postcode => "postcode",
            FieldKind::City => "city",
            FieldKind::Region => "region",
            FieldKind::Identifier => "identifier",
            FieldKind::Phone => "phone",
            FieldKind::Categorical => "categorical",
            FieldKind::Exact => "exact",
        }
    }

    /// The kind with this settings name.
    pub fn from_name(name: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether values of this kind are personal names.
    pub fn is_name(self) -> bool {
        matches!(self, FieldKind::GivenName | FieldKind::Surname | FieldKind::FullName)
    }
}

/// One compared field: its name (the column it came from) and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The field's name, as explanations show it.
    pub name: String,
    /// How it is compared.
    pub kind: FieldKind,
}

impl Field {
    /// A field called `name` of `kind`.
    pub fn new(name: impl Into<String>, kind: FieldKind) -> Field {
        Field { name: name.into(), kind }
    }
}

/// The fields every record of a resolution has, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The fields; a record's values follow this order.
    pub fields: Vec<Field>,
}

impl Schema {
    /// A schema of these fields.
    pub fn new(fields: Vec<Field>) -> Schema {
        Schema { fields }
    }
}

/// One record to resolve: its id, the source it came from (records of
/// different sources are linked; of one source, deduplicated), and one
/// optional value per field of the [`Schema`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The record's id, unique in the resolution.
    pub id: String,
    /// The source (input file, dataset) it came from.
    pub source: u32,
    /// One value per schema field; `None` (or an empty text) when absent.
    pub values: Vec<Option<String>>,
}

impl Record {
    /// A record of source 0.
    pub fn new(id: impl Into<String>, values: Vec<Option<String>>) -> Record {
        Record { id: id.into(), source: 0, values }
    }
}
