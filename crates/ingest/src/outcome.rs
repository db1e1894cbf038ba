//! What reading a row gives: an accepted entity (perhaps with notes), or the
//! reasons the row was rejected.

use serde::{Deserialize, Serialize};
use veza_model::Entity;

/// One row (or FtM line) of input, read.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every row is accepted; boxing the entity would allocate once more per row for nothing"
)]
pub enum Outcome {
    /// The row became an entity.
    Accepted(Accepted),
    /// The row was rejected for one or more reasons (never empty); it made
    /// no entity.
    Rejected(Vec<Reject>),
}

/// A row that became an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// 1-based line (CSV, FtM) or Excel row number the row starts on.
    pub line: u64,
    /// The entity, validated, with its source and handling set.
    pub entity: Entity,
    /// What was kept only in part, e.g. a date with an impossible day.
    pub notes: Vec<Note>,
}

/// Why a row (or one of its values) was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// 1-based line (CSV, FtM) or Excel row number.
    pub line: u64,
    /// The column (CSV, Excel) or property (FtM) at fault; empty when the
    /// whole row is.
    pub column: String,
    /// The offending value as found (lossily decoded when not UTF-8).
    pub value: String,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

/// Something worth knowing about an accepted row: a value kept in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// 1-based line (CSV, FtM) or Excel row number.
    pub line: u64,
    /// The column the value came from.
    pub column: String,
    /// The value as found.
    pub value: String,
    /// What was kept and why.
    pub message: String,
}

impl Outcome {
    /// The line or row number the outcome is about.
    pub fn line(&self) -> u64 {
        match self {
            Outcome::Accepted(a) => a.line,
            Outcome::Rejected(r) => r.first().map_or(0, |r| r.line),
        }
    }

    /// The entity, when the row was accepted.
    pub fn entity(&self) -> Option<&Entity> {
        match self {
            Outcome::Accepted(a) => Some(&a.entity),
            Outcome::Rejected(_) => None,
        }
    }

    /// The notes of an accepted row (none for a rejected one).
    pub fn notes(&self) -> &[Note] {
        match self {
            Outcome::Accepted(a) => &a.notes,
            Outcome::Rejected(_) => &[],
        }
    }

    /// The rejects of a rejected row (none for an accepted one).
    pub fn rejects(&self) -> &[Reject] {
        match self {
            Outcome::Accepted(_) => &[],
            Outcome::Rejected(r) => r,
        }
    }
}

/// Counts of what a read gave, for summaries and progress lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Rows read (accepted plus rejected).
    pub rows: u64,
    /// Rows that became entities.
    pub accepted: u64,
    /// Rows that were rejected.
    pub rejected: u64,
    /// Individual rejects (a row may have several).
    pub rejects: u64,
    /// Notes on accepted rows.
    pub notes: u64,
}

impl Tally {
    /// Counts one outcome.
    pub fn count(&mut self, outcome: &Outcome) {
        self.rows += 1;
        match outcome {
            Outcome::Accepted(a) => {
                self.accepted += 1;
                self.notes += a.notes.len() as u64;
            }
            Outcome::Rejected(r) => {
                self.rejected += 1;
                self.rejects += r.len() as u64;
            }
        }
    }
}

impl<'a> FromIterator<&'a Outcome> for Tally {
    fn from_iter<I: IntoIterator<Item = &'a Outcome>>(outcomes: I) -> Self {
        let mut tally = Tally::default();
        outcomes.into_iter().for_each(|o| tally.count(o));
        tally
    }
}

/// Shortens a value for a reject or note to at most `max` characters,
/// marking the cut with `…`.
pub(crate) fn excerpt(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        None => value.to_owned(),
        Some((cut, _)) => format!("{}…", &value[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(line: u64) -> Reject {
        Reject { line, column: "id".into(), value: String::new(), reason: "missing record id".into() }
    }

    #[test]
    fn a_tally_counts_rows_rejects_and_notes() {
        let note = Note { line: 2, column: "dob".into(), value: "19551192".into(), message: "day 92".into() };
        let outcomes = [
            Outcome::Accepted(Accepted { line: 2, entity: Entity::new("x.1", "Person"), notes: vec![note] }),
            Outcome::Rejected(vec![reject(3), reject(3)]),
        ];
        let tally: Tally = outcomes.iter().collect();
        assert_eq!(tally, Tally { rows: 2, accepted: 1, rejected: 1, rejects: 2, notes: 1 });
        assert_eq!(outcomes[1].line(), 3);
        assert_eq!(outcomes[0].notes().len(), 1);
        assert!(outcomes[1].entity().is_none());
    }

    #[test]
    fn excerpts_cut_on_character_boundaries() {
        assert_eq!(excerpt("kovač", 10), "kovač");
        assert_eq!(excerpt("kovačević", 5), "kovač…");
    }
}
