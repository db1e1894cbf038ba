//! Explanations of a score, one per feature, in the shape of yente's
//! `explanations` object (nomenklatura's `FeatureResult`): for each feature
//! its `score`, a `detail` in words, and the `query` and `candidate` values
//! that were compared.

use serde::Serialize;
use std::collections::BTreeMap;

/// The explanation of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feature {
    /// What the feature added to (or took from) the score; for `name`, the
    /// name similarity in [0, 1].
    pub score: f64,
    /// The rule that applied, in words.
    pub detail: Option<String>,
    /// The query's value that was compared.
    pub query: Option<String>,
    /// The candidate's value that was compared.
    pub candidate: Option<String>,
}

/// Feature name → explanation. Serialises as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Explanation(pub BTreeMap<&'static str, Feature>);

impl Explanation {
    /// Adds a feature.
    pub fn add(
        &mut self,
        name: &'static str,
        score: f64,
        detail: String,
        query: Option<String>,
        candidate: Option<String>,
    ) {
        self.0.insert(name, Feature { score, detail: Some(detail), query, candidate });
    }

    /// One line per feature, with the values compared: `name 0.95
    /// (phonetic): MUHAMED ABDULRAHMAN ↔ MUHAMMAD ABD AL RAHMAN`,
    /// `birth_date +0.08 (exact): 1985-03-02 ↔ 1985-03-02`.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(name, f)| {
                let value = if *name == "name" { format!("{:.2}", f.score) } else { format!("{:+.2}", f.score) };
                let mut line = match &f.detail {
                    Some(d) => format!("{name} {value} ({d})"),
                    None => format!("{name} {value}"),
                };
                match (&f.query, &f.candidate) {
                    (Some(q), Some(c)) => line.push_str(&format!(": {q} ↔ {c}")),
                    (Some(q), None) => line.push_str(&format!(": {q}")),
                    _ => {}
                }
                line
            })
            .collect()
    }

    /// One line for a CSV cell: [`Explanation::lines`] joined with `; `.
    pub fn summary(&self) -> String {
        self.lines().join("; ")
    }
}
