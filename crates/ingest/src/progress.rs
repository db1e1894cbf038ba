//! How far a reader has got, for progress bars the caller draws.

use serde::Serialize;

/// What [`Progress::done`] and [`Progress::total`] count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgressUnit {
    /// Bytes of input (CSV, FtM JSON lines).
    Bytes,
    /// Rows of a sheet (Excel, which is loaded whole).
    Rows,
}

/// A reader's position: rows read, and how far into the input it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Rows (or FtM lines) read so far, accepted or rejected.
    pub rows: u64,
    /// Bytes or sheet rows consumed so far.
    pub done: u64,
    /// Bytes or sheet rows in all, when known.
    pub total: Option<u64>,
    /// The unit of `done` and `total`.
    pub unit: ProgressUnit,
}

impl Progress {
    /// The share of the input consumed, from 0 to 1, when the total is
    /// known.
    pub fn fraction(&self) -> Option<f64> {
        match self.total {
            Some(0) => Some(1.0),
            Some(total) => Some((self.done as f64 / total as f64).min(1.0)),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fraction_needs_a_total() {
        let p = Progress { rows: 3, done: 50, total: Some(200), unit: ProgressUnit::Bytes };
        assert_eq!(p.fraction(), Some(0.25));
        assert_eq!(Progress { total: None, ..p }.fraction(), None);
        assert_eq!(Progress { total: Some(0), ..p }.fraction(), Some(1.0));
    }
}
