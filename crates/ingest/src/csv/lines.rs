//! Physical line numbers of CSV records. The `csv` crate's own count skips
//! line breaks inside quoted fields, and a record's byte position points at
//! any blank lines before it; this reader wrapper notes where each line
//! with content starts, so a record's line is that of its first byte.

use std::collections::VecDeque;
use std::io::{self, Read};

/// Passes bytes through and remembers, for lines not yet asked about,
/// the byte offset and number of each line that has content.
pub(super) struct LineLog<R> {
    inner: R,
    offset: u64,
    line: u64,
    at_line_start: bool,
    starts: VecDeque<(u64, u64)>,
}

impl<R: Read> LineLog<R> {
    pub fn new(inner: R) -> Self {
        LineLog { inner, offset: 0, line: 1, at_line_start: true, starts: VecDeque::new() }
    }

    /// The line of the first content at or after byte `offset`. Offsets
    /// must be asked in increasing order: earlier lines are forgotten.
    pub fn line_at(&mut self, offset: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|(start, _)| *start < offset) {
            self.starts.pop_front();
        }
        self.starts.front().map(|(_, line)| *line)
    }

    fn note(&mut self, bytes: &[u8]) {
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.at_line_start = true;
                }
                b'\r' => {}
                _ if self.at_line_start => {
                    self.starts.push_back((self.offset + i as u64, self.line));
                    self.at_line_start = false;
                }
                _ => {}
            }
        }
        self.offset += bytes.len() as u64;
    }
}

impl<R: Read> Read for LineLog<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.note(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_get_the_line_of_their_first_byte() {
        let data = b"a,b\n\"1\",\"x\ny\"\n\n\r\n2,3\n\n4,5";
        let mut rows = ::csv::ReaderBuilder::new().has_headers(false).from_reader(LineLog::new(&data[..]));
        let mut record = ::csv::ByteRecord::new();
        let mut lines = Vec::new();
        while rows.read_byte_record(&mut record).unwrap() {
            let byte = record.position().map_or(0, |p| p.byte());
            lines.push(rows.get_mut().line_at(byte));
        }
        assert_eq!(lines, [Some(1), Some(2), Some(6), Some(8)]);
    }
}
