//! The planning pages of an operation: the plan form (new or edited), the
//! checkpoint form with its teams and shifts, and the terminal tokens page.
//! Forms show each problem beside its field; they need no JavaScript.

use super::Layout;
use askama::Template;
use veza_app::FieldProblem;
use veza_app::operations::{TerminalToken, TerminalTokenInfo};

/// Empty rows offered below the filled ones in a repeated group.
pub(crate) const SPARE_ROWS: usize = 3;

/// The problem of `field`, if any.
fn problem_of<'a>(problems: &'a [FieldProblem], field: &str) -> Option<&'a str> {
    problems.iter().find(|p| p.field == field).map(|p| p.message.as_str())
}

/// The plan as typed in the form.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlanForm {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) start_date: String,
    pub(crate) end_date: String,
    pub(crate) objectives: String,
    /// Country code and contact NCB, one per row.
    pub(crate) countries: Vec<(String, String)>,
    /// Agency code and whether it coordinates, one per row.
    pub(crate) agencies: Vec<(String, bool)>,
    /// Dataset and default instruction, one per row.
    pub(crate) watchlists: Vec<(String, String)>,
}

/// `/operations/new` and `/operations/{id}/plan`.
#[derive(Template)]
#[template(path = "operations_plan.html")]
pub(crate) struct PlanPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    /// Where the form posts.
    pub(crate) action: String,
    /// The operation edited, if not a new one.
    pub(crate) op_id: Option<String>,
    pub(crate) form: PlanForm,
    pub(crate) problems: Vec<FieldProblem>,
    /// Status codes with their labels.
    pub(crate) statuses: Vec<(&'static str, String)>,
    /// The agencies the platform knows: code and name (offered in a list).
    pub(crate) agency_choices: Vec<(String, String)>,
    /// The datasets a watchlist may name.
    pub(crate) datasets: Vec<String>,
}

impl PlanPage {
    /// The problem of `field`, if any.
    pub(crate) fn error_of(&self, field: &str) -> Option<&str> {
        problem_of(&self.problems, field)
    }
}

/// One shift row as typed (`datetime-local` values).
#[derive(Debug, Clone, Default)]
pub(crate) struct ShiftRow {
    pub(crate) team: String,
    pub(crate) start: String,
    pub(crate) end: String,
}

/// A checkpoint as typed in the form.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckpointForm {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) country: String,
    pub(crate) agency: String,
    pub(crate) latitude: String,
    pub(crate) longitude: String,
    pub(crate) shifts: Vec<ShiftRow>,
}

/// `/operations/{id}/checkpoints/new` and `/operations/{id}/checkpoints/{code}`.
#[derive(Template)]
#[template(path = "operations_checkpoint.html")]
pub(crate) struct CheckpointPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) action: String,
    pub(crate) op_id: String,
    pub(crate) op_code: String,
    pub(crate) form: CheckpointForm,
    pub(crate) problems: Vec<FieldProblem>,
    /// Kind codes with their labels.
    pub(crate) kinds: Vec<(&'static str, String)>,
    /// The participating countries (codes).
    pub(crate) countries: Vec<String>,
    /// The participating agencies (codes).
    pub(crate) agencies: Vec<String>,
}

impl CheckpointPage {
    /// The problem of `field`, if any.
    pub(crate) fn error_of(&self, field: &str) -> Option<&str> {
        problem_of(&self.problems, field)
    }

    /// The country sent that is not a participating one (kept so that the
    /// form shows what was sent beside its problem).
    pub(crate) fn unlisted_country(&self) -> Option<&str> {
        Some(self.form.country.as_str()).filter(|c| !c.is_empty() && !self.countries.iter().any(|x| x == c))
    }

    /// The agency sent that is not a participating one.
    pub(crate) fn unlisted_agency(&self) -> Option<&str> {
        Some(self.form.agency.as_str()).filter(|a| !a.is_empty() && !self.agencies.iter().any(|x| x == a))
    }
}

/// A token just issued, shown once.
pub(crate) struct IssuedToken {
    pub(crate) token: TerminalToken,
    /// A ready-to-copy `curl` command sending one check with it.
    pub(crate) curl: String,
}

/// One row of the token list, dates formatted.
pub(crate) struct TokenRow {
    pub(crate) info: TerminalTokenInfo,
    pub(crate) created: String,
    pub(crate) expires: String,
}

/// `/operations/{id}/tokens`.
#[derive(Template)]
#[template(path = "operations_tokens.html")]
pub(crate) struct TokensPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) op_id: String,
    pub(crate) op_code: String,
    pub(crate) tokens: Vec<TokenRow>,
    /// The checkpoint codes a token may be bound to.
    pub(crate) checkpoints: Vec<(String, String)>,
    /// The issue form as typed: label, checkpoint, days.
    pub(crate) label: String,
    pub(crate) checkpoint: String,
    pub(crate) days: String,
    pub(crate) problems: Vec<FieldProblem>,
    pub(crate) issued: Option<IssuedToken>,
}

impl TokensPage {
    /// The problem of `field`, if any.
    pub(crate) fn error_of(&self, field: &str) -> Option<&str> {
        problem_of(&self.problems, field)
    }
}
