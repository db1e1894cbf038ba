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

    /// One line for a CSV cell: `name 0.95 (phonetic: …); birth_date +0.08 (exact)`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::with_capacity(self.0.len());
        for (name, f) in &self.0 {
            let value = if *name == "name" { format!("{:.2}", f.score) } else { format!("{:+.2}", f.score) };
            let mut part = format!("{name} {value}");
            if let Some(d) = &f.detail {
                part.push_str(&format!(" ({d})"));
            }
            parts.push(part);
        }
        parts.join("; ")
    }
}
