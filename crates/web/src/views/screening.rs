//! The screening page: a person or a document against a watchlist.

use super::Layout;
use askama::Template;

/// What the officer typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct ScreenForm {
    #[serde(default)]
    pub(crate) watchlist: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) birth_date: String,
    #[serde(default)]
    pub(crate) nationality: String,
    #[serde(default)]
    pub(crate) document: String,
    #[serde(default)]
    pub(crate) country: String,
}

/// Errors next to their fields.
#[derive(Debug, Default)]
pub(crate) struct FormErrors {
    pub(crate) birth_date: Option<String>,
    pub(crate) nationality: Option<String>,
    pub(crate) document: Option<String>,
    pub(crate) form: Option<String>,
}

impl FormErrors {
    pub(crate) fn any(&self) -> bool {
        self.birth_date.is_some() || self.nationality.is_some() || self.document.is_some() || self.form.is_some()
    }
}

/// A person hit.
pub(crate) struct PersonHit {
    pub(crate) id: String,
    pub(crate) caption: String,
    pub(crate) schema: String,
    pub(crate) score: String,
    pub(crate) owner: String,
    pub(crate) dataset: String,
    /// One line per feature: what matched which, by which rule.
    pub(crate) why: Vec<String>,
}

/// A document hit.
pub(crate) struct DocumentHitView {
    pub(crate) id: String,
    pub(crate) caption: String,
    pub(crate) kind: String,
    pub(crate) detail: String,
    pub(crate) owner: String,
}

/// `/screen`.
#[derive(Template)]
#[template(path = "screen.html")]
pub(crate) struct ScreenPage {
    pub(crate) layout: Layout,
    pub(crate) watchlists: Vec<String>,
    pub(crate) form: ScreenForm,
    pub(crate) errors: FormErrors,
    pub(crate) checked: bool,
    pub(crate) persons: Vec<PersonHit>,
    pub(crate) documents: Vec<DocumentHitView>,
}
