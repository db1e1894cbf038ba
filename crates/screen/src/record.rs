//! A person as screening sees one: a watchlist entry or a query.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A birth date as registers give it: a year, a year and month, or a full
/// date (ISO 8601, `YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BirthDate {
    /// The year.
    pub year: u16,
    /// The month, 1–12, when known.
    pub month: Option<u8>,
    /// The day, 1–31, when known (only with a month).
    pub day: Option<u8>,
}

/// Why a birth date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDate(pub String);

impl fmt::Display for BadDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadDate {}

impl BirthDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a trailing time is refused),
    /// checking that the month and day exist.
    pub fn parse(raw: &str) -> Result<Self, BadDate> {
        let raw = raw.trim();
        let parts: Vec<&str> = raw.split('-').collect();
        let num = |s: &str, len: usize, what: &str| -> Result<u32, BadDate> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BadDate(format!(
                    "{what} must be {len} digits in {raw:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
                )));
            }
            s.parse().map_err(|_| BadDate(format!("{what} is not a number in {raw:?}")))
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(BadDate(format!("{raw:?} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")));
        }
        let year = num(parts[0], 4, "the year")?;
        if !(1800..=2200).contains(&year) {
            return Err(BadDate(format!("year {year} is out of range")));
        }
        let month = match parts.get(1) {
            Some(m) => {
                let m = num(m, 2, "the month")?;
                if !(1..=12).contains(&m) {
                    return Err(BadDate(format!("month {m} does not exist in {raw:?}")));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d = num(d, 2, "the day")?;
                if d < 1 || d > days_in_month(year as u16, m) as u32 {
                    return Err(BadDate(format!("day {d} does not exist in {raw:?}")));
                }
                Some(d as u8)
            }
            _ => None,
        };
        Ok(BirthDate { year: year as u16, month, day })
    }

    /// Whether month and day are both known.
    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// Whether this is 1 January: the placeholder many registers write when
    /// only the year is known (UNHCR and several European civil registers).
    pub fn is_jan_first(&self) -> bool {
        self.month == Some(1) && self.day == Some(1)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Gender as identity documents give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    /// M.
    Male,
    /// F.
    Female,
}

impl Gender {
    /// `M`/`F` (any case); also the FtM words `male`/`female`.
    pub fn parse(raw: &str) -> Option<Gender> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "m" | "male" => Some(Gender::Male),
            "f" | "female" => Some(Gender::Female),
            _ => None,
        }
    }

    /// `M` or `F`.
    pub fn letter(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
}

/// One person: a watchlist entry or a query. Every field may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The identifier in its list.
    pub id: String,
    /// The names: the first is the main one, the rest aliases, in any script.
    pub names: Vec<String>,
    /// Birth dates (several when sources disagree).
    pub birth_dates: Vec<BirthDate>,
    /// Gender, when known.
    pub gender: Option<Gender>,
    /// Nationalities, ISO 3166-1 alpha-2 (upper or lower case).
    pub nationalities: Vec<String>,
    /// Identity document numbers, as written; a number may start with the
    /// issuing country's alpha-2 code and a space (`HR 219 209 256`).
    pub documents: Vec<String>,
}

impl Person {
    /// A person with an id and one name.
    pub fn named(id: &str, name: &str) -> Person {
        Person { id: id.to_owned(), names: vec![name.to_owned()], ..Person::default() }
    }
}

/// Splits a document number written with its issuing country in front
/// (`HR 219 209 256`, `IQ-J96133511`) into (country, number). Only a real
/// ISO 3166-1 alpha-2 code (or `XK`) followed by a separator counts, so that
/// `AB 123` stays a number when `AB` is not a country.
pub fn split_issuing_country(document: &str) -> (Option<String>, &str) {
    let t = document.trim();
    let b = t.as_bytes();
    if b.len() > 3 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() && matches!(b[2], b' ' | b'-' | b'/') {
        let code = t[..2].to_ascii_uppercase();
        let rest = &t[3..];
        if rest.bytes().any(|c| c.is_ascii_digit())
            && (code == "XK" || isocountry::CountryCode::for_alpha2(&code).is_ok())
        {
            return (Some(code), rest);
        }
    }
    (None, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_every_precision() {
        assert_eq!(BirthDate::parse("1990").unwrap(), BirthDate { year: 1990, month: None, day: None });
        assert_eq!(BirthDate::parse("1990-05").unwrap().month, Some(5));
        assert_eq!(BirthDate::parse("2000-02-29").unwrap().day, Some(29));
        assert!(BirthDate::parse("1999-02-29").is_err());
        assert!(BirthDate::parse("1990-13").is_err());
        assert!(BirthDate::parse("90-01-01").is_err());
        assert!(BirthDate::parse("1990-01-01T00:00").is_err());
        assert_eq!(BirthDate::parse("1990-05-07").unwrap().to_string(), "1990-05-07");
    }

    #[test]
    fn issuing_country_prefix() {
        assert_eq!(split_issuing_country("HR 219 209 256"), (Some("HR".into()), "219 209 256"));
        assert_eq!(split_issuing_country("XK-P123"), (Some("XK".into()), "P123"));
        assert_eq!(split_issuing_country("QQ 123"), (None, "QQ 123"));
        assert_eq!(split_issuing_country("T36-505-32"), (None, "T36-505-32"));
    }
}
