//! The operation pages: the list, the plan, the fast check at a checkpoint,
//! the hit queue, the live dashboard and the record lists behind its figures.

use super::Layout;
use askama::Template;
use veza_app::operations::{CheckRecord, Checkpoint, Figure, HitRecord, Operation, OperationResults, OperationView};

/// The translated status and mode of an operation.
fn labels(layout: &Layout, o: &Operation) -> (String, String) {
    (
        layout.tr.t(&format!("operations-status-{}", o.status.code())),
        layout.tr.t(&format!("operations-mode-{}", o.mode.code())),
    )
}

/// `/operations`.
#[derive(Template)]
#[template(path = "operations_list.html")]
pub(crate) struct OperationsPage {
    pub(crate) layout: Layout,
    pub(crate) operations: Vec<veza_app::operations::Operation>,
    /// Whether the user may plan a new operation (the link is offered).
    pub(crate) may_plan: bool,
}

impl OperationsPage {
    /// Status and mode, translated.
    pub(crate) fn labels(&self, o: &Operation) -> (String, String) {
        labels(&self.layout, o)
    }
}

/// `/operations/{id}`.
#[derive(Template)]
#[template(path = "operations_show.html")]
pub(crate) struct OperationPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) view: OperationView,
}

impl OperationPage {
    /// Status and mode, translated.
    pub(crate) fn labels(&self) -> (String, String) {
        labels(&self.layout, &self.view.operation)
    }

    /// A shift's period as the page shows it (UTC).
    pub(crate) fn shift_period(&self, s: &veza_app::operations::Shift) -> String {
        let at =
            |m: i64| chrono::DateTime::from_timestamp_micros(m).map(|t| self.layout.tr.datetime(t)).unwrap_or_default();
        format!("{} – {}", at(s.starts_at), at(s.ends_at))
    }
}

/// What the officer typed on the check page.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct CheckForm {
    #[serde(default)]
    pub(crate) checkpoint: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) birth_date: String,
    #[serde(default)]
    pub(crate) nationality: String,
    #[serde(default)]
    pub(crate) gender: String,
    #[serde(default)]
    pub(crate) document: String,
    #[serde(default)]
    pub(crate) document_country: String,
    #[serde(default)]
    pub(crate) vehicle: String,
    #[serde(default)]
    pub(crate) vehicle_country: String,
}

/// A hit as the officer sees it.
pub(crate) struct HitLine {
    pub(crate) watchlist: String,
    pub(crate) match_id: String,
    pub(crate) score: String,
    pub(crate) instruction: String,
    pub(crate) status: String,
}

/// `/operations/{id}/check`.
#[derive(Template)]
#[template(path = "operations_check.html")]
pub(crate) struct CheckPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) op_id: String,
    pub(crate) op_code: String,
    pub(crate) checkpoints: Vec<Checkpoint>,
    pub(crate) form: CheckForm,
    /// The field at fault and why.
    pub(crate) error: Option<(String, String)>,
    /// The answer: check id, hit?, hits.
    pub(crate) answer: Option<(i64, bool, Vec<HitLine>)>,
}

impl CheckPage {
    /// The error of `field`, if it is the one at fault.
    pub(crate) fn error_of(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| f.ends_with(field)).map(|(_, m)| m.as_str())
    }
}

/// `/operations/{id}/hits`.
#[derive(Template)]
#[template(path = "operations_hits.html")]
pub(crate) struct HitsPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) op_id: String,
    pub(crate) hits: Vec<HitRecord>,
    pub(crate) actions: Vec<&'static str>,
}

/// `/operations/{id}/dashboard`.
#[derive(Template)]
#[template(path = "operations_dashboard.html")]
pub(crate) struct DashboardPage {
    pub(crate) layout: Layout,
    pub(crate) op_id: String,
    pub(crate) results: OperationResults,
    /// Poll for fresh figures (the operation runs).
    pub(crate) live: bool,
    /// The tables: title and figures.
    pub(crate) sections: Vec<(String, Vec<Figure>)>,
}

/// `/operations/{id}/checks`.
#[derive(Template)]
#[template(path = "operations_checks.html")]
pub(crate) struct ChecksPage {
    pub(crate) layout: Layout,
    pub(crate) op_id: String,
    pub(crate) checks: Vec<(CheckRecord, String, String)>,
}

/// `/operations/{id}/records`.
#[derive(Template)]
#[template(path = "operations_records.html")]
pub(crate) struct RecordsPage {
    pub(crate) layout: Layout,
    pub(crate) op_id: String,
    pub(crate) schema: String,
    pub(crate) records: Vec<(String, String)>,
}
