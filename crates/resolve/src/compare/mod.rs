//! Field comparisons: each kind's normalisation and its levels. A record's
//! values are prepared once ([`Value`]); a pair of values gets a level, an
//! index into [`levels`] of its kind, most similar first.

pub mod code;
pub mod date;
pub mod name;
pub mod place;

use crate::record::FieldKind;

/// One prepared value of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A personal name.
    Name(name::PreparedName),
    /// A date.
    Date(date::PreparedDate),
    /// Folded text, code or digits, by kind.
    Text(String),
}

impl Value {
    /// The normalised value that exact agreement, term frequencies and
    /// blocking use.
    pub fn key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Name(n) => std::borrow::Cow::Borrowed(&n.sorted),
            Value::Date(d) => std::borrow::Cow::Owned(String::from_utf8_lossy(&d.digits()).into_owned()),
            Value::Text(t) => std::borrow::Cow::Borrowed(t),
        }
    }

    /// A coarser key for blocking that survives typos: the phonetic key of
    /// a name; `None` for other kinds.
    pub fn sound_key(&self) -> Option<&str> {
        match self {
            Value::Name(n) => Some(&n.phonetic),
            _ => None,
        }
    }
}

/// Prepares a raw value of `kind`; `None` when it is empty or unusable.
pub fn prepare(kind: FieldKind, raw: &str) -> Option<Value> {
    if raw.trim().is_empty() {
        return None;
    }
    match kind {
        FieldKind::GivenName | FieldKind::Surname | FieldKind::FullName => name::prepare(raw).map(Value::Name),
        FieldKind::Date => date::prepare(raw).map(Value::Date),
        FieldKind::Identifier | FieldKind::Postcode => code::prepare_code(raw).map(Value::Text),
        FieldKind::Phone => code::prepare_phone(raw).map(Value::Text),
        FieldKind::Address | FieldKind::City | FieldKind::Region | FieldKind::Categorical | FieldKind::Exact => {
            place::prepare_text(raw).map(Value::Text)
        }
    }
}

/// The names of the levels of `kind`, most similar first.
pub fn levels(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::GivenName | FieldKind::Surname | FieldKind::FullName => name::LEVELS,
        FieldKind::Date => date::LEVELS,
        FieldKind::Identifier | FieldKind::Postcode => code::CODE_LEVELS,
        FieldKind::Phone => code::PHONE_LEVELS,
        FieldKind::Address => place::ADDRESS_LEVELS,
        FieldKind::City | FieldKind::Region => place::PLACE_LEVELS,
        FieldKind::Categorical | FieldKind::Exact => place::EXACT_LEVELS,
    }
}

/// The level of two prepared values of `kind`. Symmetric. Values of a kind
/// other than the one they were prepared for compare as different.
pub fn level(kind: FieldKind, a: &Value, b: &Value) -> u8 {
    let last = (levels(kind).len() - 1) as u8;
    match (kind, a, b) {
        (_, Value::Name(a), Value::Name(b)) => name::level(a, b),
        (_, Value::Date(a), Value::Date(b)) => date::level(a, b),
        (FieldKind::Identifier | FieldKind::Postcode, Value::Text(a), Value::Text(b)) => code::code_level(a, b),
        (FieldKind::Phone, Value::Text(a), Value::Text(b)) => code::phone_level(a, b),
        (FieldKind::Address, Value::Text(a), Value::Text(b)) => place::address_level(a, b),
        (FieldKind::City | FieldKind::Region, Value::Text(a), Value::Text(b)) => place::place_level(a, b),
        (_, Value::Text(a), Value::Text(b)) => place::exact_level(a, b),
        _ => last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_comparison_is_symmetric_and_in_range(a in "[a-zA-Z0-9 ćčšđž-]{0,12}", b in "[a-zA-Z0-9 ćčšđž-]{0,12}", k in 0usize..12) {
            let kind = FieldKind::ALL[k];
            if let (Some(x), Some(y)) = (prepare(kind, &a), prepare(kind, &b)) {
                let l = level(kind, &x, &y);
                prop_assert_eq!(l, level(kind, &y, &x));
                prop_assert!((l as usize) < levels(kind).len());
                if kind != FieldKind::Date {
                    prop_assert_eq!(level(kind, &x, &x), 0);
                }
            }
        }

        #[test]
        fn dates_compare_symmetrically(y1 in 1900u16..2030, m1 in 1u8..13, d1 in 1u8..32, y2 in 1900u16..2030, m2 in 1u8..13, d2 in 1u8..32) {
            let a = prepare(FieldKind::Date, &format!("{y1}-{m1:02}-{d1:02}")).unwrap();
            let b = prepare(FieldKind::Date, &format!("{y2}-{m2:02}-{d2:02}")).unwrap();
            prop_assert_eq!(level(FieldKind::Date, &a, &b), level(FieldKind::Date, &b, &a));
        }
    }
}
