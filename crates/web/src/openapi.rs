//! The OpenAPI 3.1 document of the JSON API, written by hand in
//! `openapi.yaml` and served as JSON.

use crate::error::ApiError;
use serde_json::Value;
use std::sync::OnceLock;

/// The document as written.
pub(crate) const OPENAPI_YAML: &str = include_str!("../openapi.yaml");

static DOCUMENT: OnceLock<Result<Value, String>> = OnceLock::new();

/// The document as JSON, parsed once. The crate's tests parse it, so the
/// error branch is for a broken build only.
pub(crate) fn document() -> Result<&'static Value, ApiError> {
    DOCUMENT
        .get_or_init(|| serde_norway::from_str::<Value>(OPENAPI_YAML).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::internal(&format!("openapi.yaml does not parse: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_parses_and_is_openapi_3_1() {
        let doc: serde_json::Value = serde_norway::from_str(super::OPENAPI_YAML).unwrap();
        assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.1")), Some(true));
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    }
}
