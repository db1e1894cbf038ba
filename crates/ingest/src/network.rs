//! Edge and node files for network analysis (`veza graph …`).
//!
//! **Edge files** are CSV with a header naming at least `source` and
//! `target`; optional columns are `weight` (a number ≥ 0; 1 when the
//! column or cell is empty), `kind` (the link's type) and `time`
//! (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` or RFC 3339; UTC). Other columns
//! are ignored; column names are matched without regard to case or
//! surrounding spaces, and a UTF-8 byte-order mark is skipped.
//!
//! Rules:
//! - a **self-loop** (source = target) is dropped and counted;
//! - **duplicate edges** — the same two ends (in either order unless the
//!   graph is directed), kind and time — become one edge whose weight is
//!   the sum, and are counted;
//! - a row with an empty end, a weight that is not a number or is
//!   negative, a time that is not a date, or the wrong number of fields is
//!   a problem. Unlike entity imports, a network is not analysed with
//!   links missing: the file is refused, and the error lists each problem
//!   (line, field, value, reason; the first 20, and how many in all).
//!
//! **Node files** are CSV with a header naming `id`; optional `label` and
//! `type` (or `kind`); every other column becomes an attribute. An id
//! given twice or empty is a problem.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;

/// One link read from an edge file (after the rules above).
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    /// The `source` cell.
    pub source: String,
    /// The `target` cell.
    pub target: String,
    /// The weight (summed over duplicates).
    pub weight: f64,
    /// The `kind` cell, empty when absent.
    pub kind: String,
    /// The `time` as seconds since 1970 (UTC), if given.
    pub time: Option<i64>,
    /// The line of the first row that gave this edge.
    pub line: u64,
}

/// An edge file, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeFile {
    /// The edges, in the order of their first row.
    pub edges: Vec<EdgeRow>,
    /// Whether the file has a `weight` column.
    pub weighted: bool,
    /// Self-loops dropped.
    pub self_loops: usize,
    /// Rows merged into an earlier edge.
    pub duplicates: usize,
}

/// One node read from a node file.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRow {
    /// The `id` cell.
    pub id: String,
    /// The `label` cell, if present and not empty.
    pub label: Option<String>,
    /// The `type` (or `kind`) cell, empty when absent.
    pub kind: String,
    /// Other columns as (header name, value), empty values left out.
    pub attributes: Vec<(String, String)>,
}

/// What is wrong with one row or the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line (the header is line 1).
    pub line: u64,
    /// The column concerned, if one.
    pub field: Option<String>,
    /// The offending value, shortened.
    pub value: Option<String>,
    /// Why, and what to do.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(field) = &self.field {
            write!(f, ", field '{field}'")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value '{value}'")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why an edge or node file was refused: its problems (the first 20) and how many there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFileError {
    /// The first problems found.
    pub problems: Vec<Problem>,
    /// How many problems in all.
    pub total: usize,
}

const SHOWN: usize = 20;

impl fmt::Display for NetworkFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        write!(f, "{}", lines.join("; "))?;
        if self.total > self.problems.len() {
            write!(f, "; and {} more problem(s)", self.total - self.problems.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for NetworkFileError {}

#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    total: usize,
}

impl Problems {
    fn add(&mut self, line: u64, field: Option<&str>, value: Option<&str>, reason: impl Into<String>) {
        self.total += 1;
        if self.list.len() < SHOWN {
            let value = value.map(|v| v.chars().take(60).collect());
            self.list.push(Problem { line, field: field.map(str::to_string), value, reason: reason.into() });
        }
    }

    fn into_result<T>(self, ok: T) -> Result<T, NetworkFileError> {
        if self.total == 0 { Ok(ok) } else { Err(NetworkFileError { problems: self.list, total: self.total }) }
    }
}

/// The header, normalised, or a problem for line 1.
fn header(
    reader: &mut csv::Reader<impl Read>,
    required: &[&str],
    example: &str,
) -> Result<Vec<String>, NetworkFileError> {
    let fail = |reason: String| NetworkFileError {
        problems: vec![Problem { line: 1, field: None, value: None, reason }],
        total: 1,
    };
    let names: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_lowercase()).collect(),
        Err(e) => return Err(fail(format!("the header row cannot be read: {e}"))),
    };
    if names.iter().all(|n| n.is_empty()) {
        return Err(fail(format!("the file is empty: expected a header row such as '{example}'")));
    }
    let missing: Vec<&str> = required.iter().copied().filter(|r| !names.iter().any(|n| n == r)).collect();
    if !missing.is_empty() {
        return Err(fail(format!(
            "missing header: the first row must name the column(s) {} (e.g. '{example}'); found '{}'",
            missing.join(", "),
            names.join(",")
        )));
    }
    for (i, n) in names.iter().enumerate() {
        if !n.is_empty() && names[..i].contains(n) {
            return Err(fail(format!("column '{n}' appears twice in the header")));
        }
    }
    Ok(names)
}

fn csv_reader(input: impl Read) -> csv::Reader<impl Read> {
    csv::ReaderBuilder::new().flexible(true).from_reader(input)
}

/// Parses a time cell: a date, a date and time, or RFC 3339.
pub fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp());
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, format) {
            return Some(d.and_utc().timestamp());
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc().timestamp())
}

/// Reads an edge file (see the module documentation for its rules).
pub fn read_edges(input: impl Read, directed: bool) -> Result<EdgeFile, NetworkFileError> {
    let mut reader = csv_reader(input);
    let names = header(&mut reader, &["source", "target"], "source,target,weight")?;
    let col = |name: &str| names.iter().position(|n| n == name);
    let (s_col, t_col) = (col("source").unwrap_or(0), col("target").unwrap_or(1));
    let (w_col, k_col, time_col) = (col("weight"), col("kind"), col("time"));
    let mut file = EdgeFile { weighted: w_col.is_some(), ..Default::default() };
    let mut problems = Problems::default();
    let mut seen: HashMap<(String, String, String, Option<i64>), usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + if reader.position().line() == 0 { 2 } else { 0 };
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                problems.add(line, None, None, format!("the row cannot be read: {e}"));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != names.len() {
            problems.add(line, None, None, format!("{} fields where the header has {}", record.len(), names.len()));
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let (source, target) = (cell(Some(s_col)), cell(Some(t_col)));
        let mut bad = false;
        for (name, value) in [("source", source), ("target", target)] {
            if value.is_empty() {
                problems.add(line, Some(name), None, format!("the {name} is empty; every edge needs both ends"));
                bad = true;
            }
        }
        let weight_text = cell(w_col);
        let weight = if weight_text.is_empty() {
            1.0
        } else {
            match weight_text.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                Ok(_) => {
                    problems.add(line, Some("weight"), Some(weight_text), "the weight must be a finite number ≥ 0");
                    bad = true;
                    0.0
                }
                Err(_) => {
                    problems.add(line, Some("weight"), Some(weight_text), "the weight is not a number (e.g. 3 or 2.5)");
                    bad = true;
                    0.0
                }
            }
        };
        let time_text = cell(time_col);
        let time = if time_text.is_empty() {
            None
        } else {
            let t = parse_time(time_text);
            if t.is_none() {
                problems.add(line, Some("time"), Some(time_text), "not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS");
                bad = true;
            }
            t
        };
        if bad {
            continue;
        }
        if source == target {
            file.self_loops += 1;
            continue;
        }
        let kind = cell(k_col).to_string();
        let (a, b) = if !directed && target < source { (target, source) } else { (source, target) };
        let key = (a.to_string(), b.to_string(), kind.clone(), time);
        match seen.get(&key) {
            Some(&i) => {
                file.edges[i].weight += weight;
                file.duplicates += 1;
            }
            None => {
                seen.insert(key, file.edges.len());
                file.edges.push(EdgeRow {
                    source: source.to_string(),
                    target: target.to_string(),
                    weight,
                    kind,
                    time,
                    line,
                });
            }
        }
    }
    problems.into_result(file)
}

/// Reads a node file (see the module documentation).
pub fn read_nodes(input: impl Read) -> Result<Vec<NodeRow>, NetworkFileError> {
    let mut reader = csv_reader(input);
    let names = header(&mut reader, &["id"], "id,label,type")?;
    let col = |name: &str| names.iter().position(|n| n == name);
    let id_col = col("id").unwrap_or(0);
    let label_col = col("label");
    let kind_col = col("type").or_else(|| col("kind"));
    let mut raw_names: Vec<String> = names.clone();
    if let Ok(h) = reader.headers() {
        raw_names = h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_string()).collect();
    }
    let mut problems = Problems::default();
    let mut nodes = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.add(line, None, None, format!("the row cannot be read: {e}"));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != names.len() {
            problems.add(line, None, None, format!("{} fields where the header has {}", record.len(), names.len()));
            continue;
        }
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let id = cell(id_col);
        if id.is_empty() {
            problems.add(line, Some("id"), None, "the id is empty");
            continue;
        }
        if let Some(first) = first_line.get(id) {
            problems.add(line, Some("id"), Some(id), format!("the id was already given on line {first}"));
            continue;
        }
        first_line.insert(id.to_string(), line);
        let attributes = (0..names.len())
            .filter(|&i| i != id_col && Some(i) != label_col && Some(i) != kind_col && !cell(i).is_empty())
            .map(|i| (raw_names[i].clone(), cell(i).to_string()))
            .collect();
        nodes.push(NodeRow {
            id: id.to_string(),
            label: label_col.map(cell).filter(|l| !l.is_empty()).map(str::to_string),
            kind: kind_col.map(cell).unwrap_or("").to_string(),
            attributes,
        });
    }
    problems.into_result(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weights_default_to_one_and_duplicates_are_summed() {
        let f = read_edges("source,target,weight\na,b,2\nb,a,3\na,c,\nc,c,1\n".as_bytes(), false).unwrap();
        assert_eq!(f.edges.len(), 2);
        assert_eq!(f.edges[0].weight, 5.0);
        assert_eq!(f.edges[1].weight, 1.0);
        assert_eq!((f.self_loops, f.duplicates), (1, 1));
    }

    #[test]
    fn directed_files_keep_both_directions() {
        let f = read_edges("source,target\na,b\nb,a\n".as_bytes(), true).unwrap();
        assert_eq!((f.edges.len(), f.duplicates), (2, 0));
    }

    #[test]
    fn kinds_and_times_are_read() {
        let f = read_edges(
            "Source, Target ,kind,time\na,b,call,2026-01-05\na,b,call,2026-01-05T10:00:00Z\n".as_bytes(),
            false,
        )
        .unwrap();
        assert_eq!(f.edges[0].kind, "call");
        assert_eq!(f.edges[0].time, Some(1_767_571_200));
        assert_eq!(f.edges[1].time, Some(1_767_571_200 + 36_000));
    }

    #[test]
    fn a_missing_header_is_named() {
        let e = read_edges("a,b,1\nb,c,2\n".as_bytes(), false).unwrap_err();
        assert_eq!(e.problems[0].line, 1);
        assert!(e.to_string().contains("missing header"), "{e}");
        assert!(read_edges("".as_bytes(), false).unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn a_non_numeric_weight_names_line_field_and_value() {
        let e = read_edges("source,target,weight\na,b,1\nb,c,heavy\nc,d,-1\n".as_bytes(), false).unwrap_err();
        assert_eq!(e.total, 2);
        assert_eq!(
            e.problems[0],
            Problem {
                line: 3,
                field: Some("weight".into()),
                value: Some("heavy".into()),
                reason: "the weight is not a number (e.g. 3 or 2.5)".into()
            }
        );
        assert_eq!(e.problems[1].line, 4);
        assert!(e.to_string().starts_with("line 3, field 'weight', value 'heavy'"));
    }

    #[test]
    fn empty_ends_and_short_rows_are_problems() {
        let e = read_edges("source,target\n,b\na\n".as_bytes(), false).unwrap_err();
        assert_eq!(e.problems.iter().map(|p| p.line).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn node_files_give_labels_types_and_attributes() {
        let n = read_nodes("\u{feff}id,label,type,Nationality\n1,Ana,Person,rs\n2,,Phone,\n".as_bytes()).unwrap();
        assert_eq!(n[0].label.as_deref(), Some("Ana"));
        assert_eq!(n[0].attributes, vec![("Nationality".to_string(), "rs".to_string())]);
        assert_eq!((n[1].label.clone(), n[1].kind.as_str(), n[1].attributes.len()), (None, "Phone", 0));
        let e = read_nodes("id\n1\n1\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("already given on line 2"), "{e}");
    }

    proptest! {
        #[test]
        fn any_input_gives_edges_or_problems_never_a_panic(text in ".{0,200}") {
            match read_edges(text.as_bytes(), false) {
                Ok(f) => prop_assert!(f.edges.iter().all(|e| e.source != e.target && e.weight >= 0.0)),
                Err(e) => prop_assert!(!e.problems.is_empty() && e.total >= e.problems.len()),
            }
        }

        #[test]
        fn merged_weights_add_up(rows in proptest::collection::vec((0u8..4, 0u8..4, 0u32..100), 0..40)) {
            let mut text = String::from("source,target,weight\n");
            let mut total = 0.0;
            for (a, b, w) in &rows {
                text.push_str(&format!("n{a},n{b},{w}\n"));
                if a != b { total += *w as f64; }
            }
            let f = read_edges(text.as_bytes(), false).unwrap();
            prop_assert_eq!(f.edges.iter().map(|e| e.weight).sum::<f64>(), total);
            prop_assert_eq!(f.edges.len() + f.duplicates + f.self_loops, rows.len());
        }
    }
}
