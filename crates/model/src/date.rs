//! Partial dates, as FollowTheMoney has them: `1987`, `1987-03`,
//! `1987-03-14`, or a date with a time of day (`1987-03-14T08:30:00`).
//! Real records often know only the year; the precision is kept, never
//! invented.

use crate::error::ValueError;
use std::fmt;

/// A calendar date known to the year, the month or the day, optionally with
/// a time of day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year, 1 to 9999.
    pub year: u16,
    /// Month, 1 to 12, when known.
    pub month: Option<u8>,
    /// Day of the month, when known (only with a month).
    pub day: Option<u8>,
    /// Hour, minute and second, when known (only with a day).
    pub time: Option<(u8, u8, u8)>,
}

/// What a date format gave when some parts were out of range: the part that
/// was kept and why the rest was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    /// The valid prefix that was kept.
    pub kept: PartialDate,
    /// Which part was out of range.
    pub reason: String,
}

impl PartialDate {
    /// A date known to the year only.
    pub fn year(year: u16) -> Self {
        PartialDate { year, month: None, day: None, time: None }
    }

    /// Parses the ISO 8601 forms FtM uses. A trailing `Z` or UTC offset
    /// `+00:00` is accepted; fractions of seconds are dropped.
    pub fn parse_iso(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let err = |reason: &str| ValueError::new("date", raw, reason);
        let (date_part, time_part) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let mut parts = date_part.split('-');
        let year = parts.next().ok_or_else(|| err("empty date"))?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("expected YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        let year: u16 = year.parse().map_err(|_| err("bad year"))?;
        let month = parts.next().map(|m| two_digits(m).ok_or_else(|| err("month must be two digits"))).transpose()?;
        let day = parts.next().map(|d| two_digits(d).ok_or_else(|| err("day must be two digits"))).transpose()?;
        if parts.next().is_some() {
            return Err(err("too many '-' separated parts"));
        }
        let time = match time_part {
            None => None,
            Some(t) => {
                if day.is_none() {
                    return Err(err("a time needs a full date"));
                }
                Some(parse_time(t).ok_or_else(|| err("time must be HH:MM or HH:MM:SS, UTC"))?)
            }
        };
        let date = PartialDate { year, month, day, time };
        date.check().map_err(|reason| err(&reason))?;
        Ok(date)
    }

    /// Parses with a strftime-like format of `%Y`, `%m`, `%d` (and `%H`,
    /// `%M`, `%S`) and literal characters, as mapping files give them.
    ///
    /// A value that has the shape of the format but whose month or day is
    /// out of range (a typo such as `19551192`) keeps its valid prefix
    /// (`1955-11`) and reports the truncation; a value of another shape is
    /// an error.
    pub fn parse_with_format(raw: &str, format: &str) -> Result<(Self, Option<Truncation>), ValueError> {
        let s = raw.trim();
        let err = |reason: String| ValueError::new("date", raw, reason);
        let mut fields: [Option<u32>; 6] = [None; 6];
        let mut rest = s;
        let mut fmt = format.chars();
        while let Some(f) = fmt.next() {
            if f == '%' {
                let spec = fmt.next().ok_or_else(|| err(format!("format '{format}' ends with '%'")))?;
                let (slot, width) = match spec {
                    'Y' => (0, 4),
                    'm' => (1, 2),
                    'd' => (2, 2),
                    'H' => (3, 2),
                    'M' => (4, 2),
                    'S' => (5, 2),
                    other => {
                        return Err(err(format!("format directive %{other} is not supported; use %Y %m %d %H %M %S")));
                    }
                };
                let digits: String = rest.chars().take(width).collect();
                if digits.len() != width || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err(format!("does not match format '{format}'")));
                }
                fields[slot] = digits.parse().ok();
                rest = &rest[width..];
            } else {
                let mut chars = rest.chars();
                if chars.next() != Some(f) {
                    return Err(err(format!("does not match format '{format}'")));
                }
                rest = chars.as_str();
            }
        }
        if !rest.is_empty() {
            return Err(err(format!("has extra characters after format '{format}'")));
        }
        let year = fields[0].ok_or_else(|| err(format!("format '{format}' has no %Y")))?;
        if !(1..=9999).contains(&year) {
            return Err(err("year out of range".into()));
        }
        let mut date = PartialDate::year(year as u16);
        let mut truncation = None;
        if let Some(m) = fields[1] {
            if (1..=12).contains(&m) {
                date.month = Some(m as u8);
            } else {
                truncation = Some(format!("month {m} out of range"));
            }
        }
        if let (Some(d), Some(_), None) = (fields[2], date.month, &truncation) {
            let candidate = PartialDate { day: Some(d as u8), ..date };
            if (1..=31).contains(&d) && candidate.check().is_ok() {
                date = candidate;
            } else {
                truncation = Some(format!("day {d} out of range"));
            }
        }
        if let (Some(h), Some(mi), None, Some(_)) = (fields[3], fields[4], &truncation, date.day) {
            let sec = fields[5].unwrap_or(0);
            if h < 24 && mi < 60 && sec < 60 {
                date.time = Some((h as u8, mi as u8, sec as u8));
            } else {
                truncation = Some("time out of range".into());
            }
        }
        Ok((date, truncation.map(|reason| Truncation { kept: date, reason })))
    }

    fn check(&self) -> Result<(), String> {
        if self.year == 0 {
            return Err("year 0000 does not exist".into());
        }
        if let Some(m) = self.month
            && !(1..=12).contains(&m)
        {
            return Err(format!("month {m} out of range"));
        }
        if let Some(d) = self.day {
            let m = self.month.ok_or("a day needs a month")?;
            if d == 0 || d > days_in_month(self.year, m) {
                return Err(format!("day {d} out of range for {:04}-{:02}", self.year, m));
            }
        }
        if let Some((h, mi, s)) = self.time
            && (h > 23 || mi > 59 || s > 59)
        {
            return Err("time out of range".into());
        }
        Ok(())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
                if let Some((h, mi, s)) = self.time {
                    write!(f, "T{h:02}:{mi:02}:{s:02}")?;
                }
            }
        }
        Ok(())
    }
}

fn two_digits(s: &str) -> Option<u8> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

fn parse_time(t: &str) -> Option<(u8, u8, u8)> {
    let t = t.trim_end_matches('Z').trim_end_matches("+00:00");
    let t = t.split('.').next()?;
    let mut p = t.split(':');
    let h = two_digits(p.next()?)?;
    let m = two_digits(p.next()?)?;
    let s = match p.next() {
        Some(s) => two_digits(s)?,
        None => 0,
    };
    if p.next().is_some() {
        return None;
    }
    Some((h, m, s))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn partial_dates_keep_their_precision() {
        assert_eq!(PartialDate::parse_iso("1987").unwrap().to_string(), "1987");
        assert_eq!(PartialDate::parse_iso("1987-03").unwrap().to_string(), "1987-03");
        assert_eq!(PartialDate::parse_iso("1987-03-14").unwrap().to_string(), "1987-03-14");
        assert_eq!(PartialDate::parse_iso("2021-06-01T08:30:00Z").unwrap().to_string(), "2021-06-01T08:30:00");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(PartialDate::parse_iso("1987-02-30").is_err());
        assert!(PartialDate::parse_iso("1987-13").is_err());
        assert!(PartialDate::parse_iso("87-03-01").is_err());
        assert!(PartialDate::parse_iso("yesterday").is_err());
        assert!(PartialDate::parse_iso("0000").is_err());
        assert!(PartialDate::parse_iso("2023-02-29").is_err());
        assert!(PartialDate::parse_iso("2024-02-29").is_ok());
    }

    #[test]
    fn formats_from_mapping_files_parse() {
        let (d, t) = PartialDate::parse_with_format("19560409", "%Y%m%d").unwrap();
        assert_eq!(d.to_string(), "1956-04-09");
        assert!(t.is_none());
        let (d, _) = PartialDate::parse_with_format("09.04.1956", "%d.%m.%Y").unwrap();
        assert_eq!(d.to_string(), "1956-04-09");
    }

    #[test]
    fn typos_in_day_or_month_keep_the_valid_prefix() {
        let (d, t) = PartialDate::parse_with_format("19551192", "%Y%m%d").unwrap();
        assert_eq!(d.to_string(), "1955-11");
        assert!(t.unwrap().reason.contains("day 92"));
        let (d, t) = PartialDate::parse_with_format("19404502", "%Y%m%d").unwrap();
        assert_eq!(d.to_string(), "1940");
        assert!(t.unwrap().reason.contains("month 45"));
    }

    #[test]
    fn values_of_another_shape_are_errors() {
        assert!(PartialDate::parse_with_format("1956-04-09", "%Y%m%d").is_err());
        assert!(PartialDate::parse_with_format("not a date", "%Y%m%d").is_err());
        assert!(PartialDate::parse_with_format("195604091", "%Y%m%d").is_err());
        assert!(PartialDate::parse_with_format("", "%Y%m%d").is_err());
        assert!(PartialDate::parse_with_format("00000101", "%Y%m%d").is_err());
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(y in 1u16..=9999, m in 1u8..=12, d in 1u8..=28) {
            let date = PartialDate { year: y, month: Some(m), day: Some(d), time: None };
            prop_assert_eq!(PartialDate::parse_iso(&date.to_string()).unwrap(), date);
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,30}", f in "[%YmdHMS./-]{0,12}") {
            let _ = PartialDate::parse_iso(&s);
            let _ = PartialDate::parse_with_format(&s, &f);
        }
    }
}
