//! Dates (of birth, mostly): exact, day and month swapped, a one-digit
//! typo, the same year only, one year apart, or different.

/// Comparison levels of a date, most similar first.
pub const LEVELS: &[&str] = &["exact", "day_month_swapped", "typo", "year_only", "year_off_by_one", "different"];

/// A date as written: year, and month and day when known. Numbers are kept
/// as written, so a typo such as month `13` still compares digit by digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PreparedDate {
    /// The year.
    pub year: u16,
    /// The month, when known.
    pub month: Option<u8>,
    /// The day, when known.
    pub day: Option<u8>,
}

/// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (digits as written; no calendar
/// check). `None` for anything else.
pub fn prepare(text: &str) -> Option<PreparedDate> {
    let mut parts = text.trim().split('-');
    let year = parts.next().filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()?;
    let mut number = |max_len: usize| -> Option<Option<u8>> {
        match parts.next() {
            None => Some(None),
            Some(p) if !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().ok().map(Some)
            }
            Some(_) => None,
        }
    };
    let month = number(2)?;
    let day = if month.is_some() { number(2)? } else { None };
    if parts.next().is_some() {
        return None;
    }
    Some(PreparedDate { year, month, day })
}

impl PreparedDate {
    /// The date as eight characters `YYYYMMDD`, `?` for unknown parts.
    pub fn digits(&self) -> [u8; 8] {
        let mut out = [b'?'; 8];
        let y = format!("{:04}", self.year % 10000);
        out[..4].copy_from_slice(y.as_bytes());
        if let Some(m) = self.month {
            out[4..6].copy_from_slice(format!("{:02}", m % 100).as_bytes());
        }
        if let Some(d) = self.day {
            out[6..8].copy_from_slice(format!("{:02}", d % 100).as_bytes());
        }
        out
    }

    fn is_full(&self) -> bool {
        self.month.is_some() && self.day.is_some()
    }
}

/// The level of two dates (an index into [`LEVELS`]). Symmetric.
pub fn level(a: &PreparedDate, b: &PreparedDate) -> u8 {
    if a == b && a.is_full() {
        return 0;
    }
    if a.is_full() && b.is_full() {
        if a.year == b.year && a.month == b.day && a.day == b.month {
            return 1;
        }
        if one_edit(&a.digits(), &b.digits()) {
            return 2;
        }
    }
    if a.year == b.year {
        return 3;
    }
    if a.year.abs_diff(b.year) == 1 && (!a.is_full() || !b.is_full() || (a.month == b.month && a.day == b.day)) {
        return 4;
    }
    5
}

/// One substituted digit, or two neighbours transposed.
fn one_edit(a: &[u8; 8], b: &[u8; 8]) -> bool {
    let diffs: Vec<usize> = (0..8).filter(|&i| a[i] != b[i]).collect();
    match diffs.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(a: &str, b: &str) -> &'static str {
        LEVELS[level(&prepare(a).unwrap(), &prepare(b).unwrap()) as usize]
    }

    #[test]
    fn each_level() {
        assert_eq!(lv("1985-03-07", "1985-03-07"), "exact");
        assert_eq!(lv("1985-03-07", "1985-07-03"), "day_month_swapped");
        assert_eq!(lv("1985-03-07", "1985-03-01"), "typo");
        assert_eq!(lv("1985-03-17", "1985-03-71"), "typo");
        assert_eq!(lv("1985-03-07", "1985"), "year_only");
        assert_eq!(lv("1985", "1985"), "year_only");
        assert_eq!(lv("1985-03-07", "1985-11-22"), "year_only");
        assert_eq!(lv("1985-03-07", "1986-03-07"), "typo");
        assert_eq!(lv("1989-03-07", "1990-03-07"), "year_off_by_one");
        assert_eq!(lv("1989", "1990-03-07"), "year_off_by_one");
        assert_eq!(lv("1989-03-07", "1990-04-08"), "different");
        assert_eq!(lv("1960-01-01", "1985-03-07"), "different");
    }

    #[test]
    fn typos_outside_the_calendar_are_kept() {
        assert_eq!(prepare("1955-11-92"), Some(PreparedDate { year: 1955, month: Some(11), day: Some(92) }));
        assert_eq!(lv("1955-11-92", "1955-11-29"), "typo");
    }

    #[test]
    fn anything_but_an_iso_partial_date_is_refused() {
        for bad in ["", "85", "1985/03/07", "1985-3-7-1", "x985", "1985-"] {
            assert_eq!(prepare(bad), None, "{bad}");
        }
    }
}
