//! The master scenario events list (MSEL) of a table-top exercise, as a
//! controller keeps it outside Veza: CSV or JSON.
//!
//! **CSV**: a header with exactly the columns of [`MSEL_HEADER`], one inject
//! a row. List cells (`recipients`, `records`, `expected_actions`,
//! `objectives`) separate their items with `|`; the n-th expected action
//! tests the n-th objective, so both lists have the same length.
//!
//! **JSON**: `{"injects":[{"number":1,"offset_minutes":0,"sender":"…",
//! "recipients":["…"],"content":"…","records":["…"],
//! "expected":[{"action":"…","objective":"…"}]}]}` (a bare array is read too).
//!
//! A file is read whole or not at all: every problem is reported with its
//! line (CSV) or inject index (JSON), field and reason, and none is stored.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The CSV header, in order.
pub const MSEL_HEADER: [&str; 8] =
    ["number", "offset_minutes", "sender", "recipients", "content", "records", "expected_actions", "objectives"];

/// Longest text accepted in a cell.
const MAX_TEXT: usize = 4_000;
/// Most injects in one MSEL.
pub const MAX_INJECTS: usize = 500;

/// One inject as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MselInject {
    /// Number in the MSEL (1 or more, unique).
    pub number: i64,
    /// Minutes from the exercise's start (0–10,080, a week).
    pub offset_minutes: i64,
    /// Sender in the scenario.
    pub sender: String,
    /// Player teams.
    pub recipients: Vec<String>,
    /// Text.
    pub content: String,
    /// Ids of the exercise's records.
    #[serde(default)]
    pub records: Vec<String>,
    /// Expected actions with the objective each tests.
    #[serde(default)]
    pub expected: Vec<MselExpected>,
}

/// An expected action and its objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MselExpected {
    /// What the players should do.
    pub action: String,
    /// What it tests.
    pub objective: String,
}

/// A problem in an MSEL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MselProblem {
    /// Where: `line 4` (CSV, counting the header as line 1) or `injects[2]` (JSON).
    pub at: String,
    /// The field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub reason: String,
}

impl fmt::Display for MselProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}, {field}: {}", self.at, self.reason),
            None => write!(f, "{}: {}", self.at, self.reason),
        }
    }
}

fn problem(at: &str, field: Option<&str>, reason: impl Into<String>) -> MselProblem {
    MselProblem { at: at.to_owned(), field: field.map(str::to_owned), reason: reason.into() }
}

fn items(cell: &str) -> Vec<String> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Reads an MSEL in CSV.
pub fn read_msel_csv(text: &str) -> Result<Vec<MselInject>, Vec<MselProblem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(e) => return Err(vec![problem("line 1", None, format!("unreadable header: {e}"))]),
    };
    if header != MSEL_HEADER {
        return Err(vec![problem(
            "line 1",
            None,
            format!("the header must be exactly: {} (found: {})", MSEL_HEADER.join(","), header.join(",")),
        )]);
    }
    let mut problems = Vec::new();
    let mut injects = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = record.as_ref().ok().and_then(|r| r.position()).map_or(i as u64 + 2, |p| p.line());
        let at = format!("line {line}");
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(&at, None, format!("unreadable row: {e}")));
                continue;
            }
        };
        if record.len() != MSEL_HEADER.len() {
            problems.push(problem(
                &at,
                None,
                format!("{} cells where the header has {}", record.len(), MSEL_HEADER.len()),
            ));
            continue;
        }
        let cell = |n: usize| record.get(n).unwrap_or("").trim();
        let actions = items(cell(6));
        let objectives = items(cell(7));
        if actions.len() != objectives.len() {
            problems.push(problem(
                &at,
                Some("objectives"),
                format!(
                    "{} expected actions but {} objectives: give one objective per action, separated by '|'",
                    actions.len(),
                    objectives.len()
                ),
            ));
            continue;
        }
        let number = cell(0).parse::<i64>();
        let offset = cell(1).parse::<i64>();
        let (number, offset) = match (number, offset) {
            (Ok(n), Ok(o)) => (n, o),
            (Err(_), _) => {
                problems.push(problem(&at, Some("number"), format!("'{}' is not a whole number", cell(0))));
                continue;
            }
            (_, Err(_)) => {
                problems.push(problem(&at, Some("offset_minutes"), format!("'{}' is not a whole number", cell(1))));
                continue;
            }
        };
        injects.push((
            at,
            MselInject {
                number,
                offset_minutes: offset,
                sender: cell(2).to_owned(),
                recipients: items(cell(3)),
                content: cell(4).to_owned(),
                records: items(cell(5)),
                expected: actions
                    .into_iter()
                    .zip(objectives)
                    .map(|(action, objective)| MselExpected { action, objective })
                    .collect(),
            },
        ));
    }
    finish(injects, problems)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonMsel {
    Wrapped { injects: Vec<serde_json::Value> },
    Bare(Vec<serde_json::Value>),
}

/// Reads an MSEL in JSON.
pub fn read_msel_json(text: &str) -> Result<Vec<MselInject>, Vec<MselProblem>> {
    let values = match serde_json::from_str::<JsonMsel>(text) {
        Ok(JsonMsel::Wrapped { injects } | JsonMsel::Bare(injects)) => injects,
        Err(e) => {
            return Err(vec![problem(
                &format!("line {}", e.line()),
                None,
                format!("not an MSEL: {e}; expected {{\"injects\":[…]}}"),
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut injects = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let at = format!("injects[{i}]");
        match serde_json::from_value::<MselInject>(value) {
            Ok(inject) => injects.push((at, inject)),
            Err(e) => {
                let text = e.to_string();
                let field = text.split('`').nth(1).map(str::to_owned);
                problems.push(MselProblem { at, field, reason: text });
            }
        }
    }
    finish(injects, problems)
}

/// Checks each inject and the list as a whole.
fn finish(
    injects: Vec<(String, MselInject)>,
    mut problems: Vec<MselProblem>,
) -> Result<Vec<MselInject>, Vec<MselProblem>> {
    if injects.len() > MAX_INJECTS {
        problems.push(problem("file", None, format!("{} injects: at most {MAX_INJECTS}", injects.len())));
    }
    let mut seen = std::collections::BTreeMap::new();
    for (at, inject) in &injects {
        problems.extend(check_inject(inject).into_iter().map(|(field, reason)| problem(at, Some(field), reason)));
        if let Some(first) = seen.insert(inject.number, at.clone()) {
            problems.push(problem(at, Some("number"), format!("number {} is also at {first}", inject.number)));
        }
    }
    if problems.is_empty() { Ok(injects.into_iter().map(|(_, i)| i).collect()) } else { Err(problems) }
}

/// The problems of one inject, as (field, reason): the rules every inject
/// meets, whether read from a file or entered in a form.
pub fn check_inject(inject: &MselInject) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if inject.number < 1 {
        out.push(("number", format!("{} is not a number of the list: use 1 or more", inject.number)));
    }
    if !(0..=10_080).contains(&inject.offset_minutes) {
        out.push(("offset_minutes", format!("{} minutes: use 0–10080 (a week)", inject.offset_minutes)));
    }
    let texts = [("sender", &inject.sender), ("content", &inject.content)];
    for (field, text) in texts {
        if text.trim().is_empty() {
            out.push((field, "is empty".to_owned()));
        } else if text.chars().count() > MAX_TEXT {
            out.push((field, format!("longer than {MAX_TEXT} characters")));
        }
    }
    if inject.recipients.is_empty() {
        out.push(("recipients", "name at least one player team (or 'all')".to_owned()));
    }
    if let Some(bad) = inject.recipients.iter().find(|t| !valid_team(t)) {
        out.push(("recipients", format!("'{bad}' is not a team name: 1–40 letters, digits, '-', '_' or '.'")));
    }
    if let Some(bad) = inject.records.iter().find(|r| !veza_model::entity::valid_id(r)) {
        out.push(("records", format!("'{bad}' is not a record id")));
    }
    for (n, e) in inject.expected.iter().enumerate() {
        if e.action.trim().is_empty() || e.objective.trim().is_empty() {
            out.push(("expected_actions", format!("expected action {} needs both an action and an objective", n + 1)));
        } else if e.action.chars().count() > MAX_TEXT || e.objective.chars().count() > MAX_TEXT {
            out.push(("expected_actions", format!("expected action {} is longer than {MAX_TEXT} characters", n + 1)));
        }
    }
    out
}

/// Whether `team` may name a player team.
pub fn valid_team(team: &str) -> bool {
    (1..=40).contains(&team.len()) && team.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Writes an MSEL as CSV (the format [`read_msel_csv`] reads).
pub fn write_msel_csv(injects: &[MselInject]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![MSEL_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for i in injects {
        let join = |v: &mut dyn Iterator<Item = &str>| v.collect::<Vec<_>>().join("|");
        rows.push(vec![
            i.number.to_string(),
            i.offset_minutes.to_string(),
            i.sender.clone(),
            join(&mut i.recipients.iter().map(String::as_str)),
            i.content.clone(),
            join(&mut i.records.iter().map(String::as_str)),
            join(&mut i.expected.iter().map(|e| e.action.as_str())),
            join(&mut i.expected.iter().map(|e| e.objective.as_str())),
        ]);
    }
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes an MSEL as JSON (`{"injects":[…]}`).
pub fn write_msel_json(injects: &[MselInject]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "injects": injects })).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> MselInject {
        MselInject {
            number: 1,
            offset_minutes: 15,
            sender: "NCB Skopje".into(),
            recipients: vec!["border".into(), "ncb".into()],
            content: "A red notice, \"quoted\", hits at Tabanovce".into(),
            records: vec!["ttx-1.p-1".into()],
            expected: vec![MselExpected { action: "screen".into(), objective: "O1 screening".into() }],
        }
    }

    #[test]
    fn csv_and_json_round_trip() {
        let list = vec![sample()];
        assert_eq!(read_msel_csv(&write_msel_csv(&list)).unwrap(), list);
        assert_eq!(read_msel_json(&write_msel_json(&list)).unwrap(), list);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_field() {
        let text = "number,offset_minutes,sender,recipients,content,records,expected_actions,objectives\n\
                    1,ten,NCB,border,Text,,,\n\
                    2,5,NCB,border,Text,,a|b,only one\n\
                    3,5,,border,Text,,,\n\
                    3,5,NCB,bad team,Text,,,\n";
        let problems = read_msel_csv(text).unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(shown.contains(&"line 2, offset_minutes: 'ten' is not a whole number".to_owned()), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("line 3, objectives: 2 expected actions but 1")), "{shown:?}");
        assert!(shown.contains(&"line 4, sender: is empty".to_owned()), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("line 5, recipients: 'bad team'")), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("line 5, number: number 3 is also at line 4")), "{shown:?}");
    }

    #[test]
    fn a_wrong_header_is_refused_before_any_row() {
        let problems = read_msel_csv("num,offset\n1,2\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().starts_with("line 1: the header must be exactly"));
    }

    #[test]
    fn json_problems_name_the_inject_and_field() {
        let problems = read_msel_json(
            r#"{"injects":[{"number":1,"offset_minutes":0,"sender":"x",
            "recipients":["all"],"content":"y"},{"number":"two"}]}"#,
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, "injects[1]");
        assert!(read_msel_json("[]").unwrap().is_empty(), "a bare, empty array is an empty MSEL");
        assert!(read_msel_json("nonsense").is_err());
    }

    proptest! {
        #[test]
        fn readers_never_panic(text in ".{0,300}") {
            let _ = read_msel_csv(&text);
            let _ = read_msel_json(&text);
        }

        #[test]
        fn any_valid_inject_survives_csv(content in "[^|\u{0}]{1,60}", sender in "[A-Za-z ]{1,20}", offset in 0i64..10_080) {
            let mut i = sample();
            i.content = content.trim().to_owned();
            i.sender = sender.trim().to_owned();
            i.offset_minutes = offset;
            prop_assume!(!i.content.is_empty() && !i.sender.is_empty());
            prop_assert_eq!(read_msel_csv(&write_msel_csv(std::slice::from_ref(&i))).unwrap(), vec![i]);
        }
    }
}
