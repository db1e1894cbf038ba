//! Screening routes: `POST /match/{dataset}` in the shape of OpenSanctions
//! yente (so yente clients work against Veza), `POST /api/v1/screen` (one
//! person or a batch), `POST /api/v1/documents/check` (lost/stolen
//! documents) and `GET /api/v1/watchlists`. Every check is one audit entry,
//! written by the use case.

use crate::AppState;
use crate::caller::CurrentAccess;
use crate::error::ApiError;
use crate::json::JsonBody;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use veza_app::{
    DEFAULT_WATCHLIST, DocumentQuery, MAX_SCREEN_LIMIT, QueryResults, ScreenPerson, ScreenQuery, ScreenResult,
};

/// Most queries in one `/match` request (yente's own limit).
pub const MAX_MATCH_BATCH: usize = 100;
/// Default threshold (yente's).
const DEFAULT_THRESHOLD: f64 = 0.7;
/// Default results per query (yente's).
const DEFAULT_LIMIT: usize = 5;

/// Query string of `/match/{dataset}`; yente's other parameters
/// (`algorithm`, `topics`, `include_dataset` …) are accepted and ignored.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MatchParams {
    #[serde(default)]
    threshold: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

fn threshold_of(raw: Option<&str>) -> Result<f64, ApiError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(DEFAULT_THRESHOLD),
        Some(r) => match r.parse::<f64>() {
            Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
            _ => Err(ApiError::invalid(Some("threshold"), format!("threshold is a number from 0 to 1, not '{r}'"))),
        },
    }
}

fn limit_of(raw: Option<&str>) -> Result<usize, ApiError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(DEFAULT_LIMIT),
        Some(r) => match r.parse::<usize>() {
            Ok(l) if (1..=MAX_SCREEN_LIMIT).contains(&l) => Ok(l),
            _ => Err(ApiError::invalid(
                Some("limit"),
                format!("limit is a whole number 1–{MAX_SCREEN_LIMIT}, not '{r}'"),
            )),
        },
    }
}

/// Body of `/match/{dataset}`: yente's batch of entity queries.
#[derive(Debug, Deserialize)]
pub(crate) struct MatchBody {
    queries: BTreeMap<String, EntityQuery>,
}

/// One yente query: a schema and FtM properties (lists, or single strings).
#[derive(Debug, Deserialize)]
pub(crate) struct EntityQuery {
    schema: String,
    #[serde(default)]
    properties: Map<String, Value>,
}

impl EntityQuery {
    /// The engine's person, or a 400 naming the query's field.
    fn to_person(&self, key: &str) -> Result<ScreenPerson, ApiError> {
        let at = |p: &str| format!("queries.{key}.{p}");
        if !matches!(self.schema.as_str(), "Person" | "LegalEntity") {
            return Err(ApiError::invalid(
                Some(&at("schema")),
                format!("'{}' cannot be screened: use Person (or LegalEntity for a name alone)", self.schema),
            ));
        }
        let model = veza_model::Model::builtin();
        let schema = model.schema(&self.schema).map_err(|e| ApiError::invalid(Some(&at("schema")), e.to_string()))?;
        let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, value) in &self.properties {
            if schema.property(name).is_err() {
                return Err(ApiError::invalid(
                    Some(&at(&format!("properties.{name}"))),
                    format!("{} has no property '{name}'", self.schema),
                ));
            }
            let values = match value {
                Value::String(s) => vec![s.clone()],
                Value::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        match item {
                            Value::String(s) => out.push(s.clone()),
                            _ => {
                                return Err(ApiError::invalid(
                                    Some(&at(&format!("properties.{name}[{i}]"))),
                                    "property values are strings",
                                ));
                            }
                        }
                    }
                    out
                }
                Value::Null => Vec::new(),
                _ => {
                    return Err(ApiError::invalid(
                        Some(&at(&format!("properties.{name}"))),
                        "a property is a list of strings",
                    ));
                }
            };
            props.insert(name.as_str(), values.into_iter().filter(|v| !v.trim().is_empty()).collect());
        }
        let none: Vec<String> = Vec::new();
        let mut query = ScreenQuery::from_ftm(key, |p| props.get(p).unwrap_or(&none));
        // A query's weak aliases are worth trying; a stored record's are not indexed.
        query.aliases.extend(props.get("weakAlias").into_iter().flatten().cloned());
        query.to_person(&format!("queries.{key}.properties"), key).map_err(ApiError::from)
    }
}

/// A result in yente's shape.
fn yente_result(r: &ScreenResult) -> Value {
    let features: BTreeMap<&str, f64> = r.explanations.0.iter().map(|(k, f)| (*k, f.score)).collect();
    json!({
        "id": r.id,
        "caption": r.caption,
        "schema": r.schema,
        "properties": r.properties,
        "datasets": r.datasets,
        "referents": [],
        "target": r.schema == "Notice",
        "score": r.score,
        "match": r.is_match,
        "features": features,
        "explanations": r.explanations,
    })
}

/// `POST /match/{dataset}?threshold=&limit=` — yente's matching API.
pub(crate) async fn match_dataset(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    Path(dataset): Path<String>,
    Query(params): Query<MatchParams>,
    JsonBody(body): JsonBody<MatchBody>,
) -> Result<Json<Value>, ApiError> {
    let threshold = threshold_of(params.threshold.as_deref())?;
    let limit = limit_of(params.limit.as_deref())?;
    if body.queries.is_empty() || body.queries.len() > MAX_MATCH_BATCH {
        return Err(ApiError::invalid(
            Some("queries"),
            format!("a request has 1–{MAX_MATCH_BATCH} queries, not {}", body.queries.len()),
        ));
    }
    let mut persons = Vec::with_capacity(body.queries.len());
    for (key, q) in &body.queries {
        persons.push(q.to_person(key)?);
    }
    let answers = s.app.screen(&access, &dataset, &persons, threshold, limit).await?;
    let mut responses = Map::new();
    for ((key, q), answer) in body.queries.iter().zip(answers) {
        let results: Vec<Value> = answer.results.iter().map(yente_result).collect();
        responses.insert(
            key.clone(),
            json!({
                "status": 200,
                "results": results,
                "total": {"value": results.len(), "relation": "eq"},
                "query": {"schema": q.schema, "properties": q.properties},
            }),
        );
    }
    Ok(Json(json!({"responses": responses, "limit": limit, "threshold": threshold, "dataset": dataset})))
}

/// Body of `POST /api/v1/screen`: one `person` or a batch of `persons`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreenBody {
    #[serde(default)]
    dataset: Option<String>,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    person: Option<ScreenQuery>,
    #[serde(default)]
    persons: Vec<ScreenQuery>,
}

fn summary(results: &[QueryResults]) -> usize {
    results.iter().map(|r| r.results.len()).sum()
}

/// `POST /api/v1/screen`.
pub(crate) async fn screen(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    JsonBody(body): JsonBody<ScreenBody>,
) -> Result<Json<Value>, ApiError> {
    let dataset = body.dataset.unwrap_or_else(|| DEFAULT_WATCHLIST.to_owned());
    let (queries, field) = match (body.person, body.persons.is_empty()) {
        (Some(p), true) => (vec![p], "person"),
        (None, false) => (body.persons, "persons"),
        (Some(_), false) => return Err(ApiError::invalid(Some("persons"), "give either person or persons, not both")),
        (None, true) => return Err(ApiError::invalid(Some("person"), "give a person, or persons for a batch")),
    };
    let mut persons = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        let at = if field == "person" { "person".to_owned() } else { format!("persons[{i}]") };
        persons.push(q.to_person(&at, &i.to_string())?);
    }
    let threshold = body.threshold.unwrap_or(DEFAULT_THRESHOLD);
    let limit = body.limit.unwrap_or(DEFAULT_LIMIT);
    let results = s.app.screen(&access, &dataset, &persons, threshold, limit).await?;
    let hits = summary(&results);
    Ok(Json(json!({
        "dataset": dataset,
        "threshold": threshold,
        "limit": limit,
        "queries": results.len(),
        "hits": hits,
        "results": results,
    })))
}

/// Body of `POST /api/v1/documents/check`: one document or a batch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentsBody {
    #[serde(default)]
    dataset: Option<String>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    documents: Vec<DocumentQuery>,
}

/// `POST /api/v1/documents/check`.
pub(crate) async fn check_documents(
    State(s): State<AppState>,
    CurrentAccess(access): CurrentAccess,
    JsonBody(body): JsonBody<DocumentsBody>,
) -> Result<Json<Value>, ApiError> {
    let dataset = body.dataset.unwrap_or_else(|| DEFAULT_WATCHLIST.to_owned());
    let documents = match (body.number, body.documents.is_empty()) {
        (Some(number), true) => vec![DocumentQuery { id: None, number, country: body.country }],
        (None, false) => body.documents,
        (Some(_), false) => {
            return Err(ApiError::invalid(Some("documents"), "give either number or documents, not both"));
        }
        (None, true) => return Err(ApiError::invalid(Some("number"), "give a number, or documents for a batch")),
    };
    let results = s.app.check_documents(&access, &dataset, &documents).await?;
    let hits: usize = results.iter().map(|r| r.hits.len()).sum();
    Ok(Json(json!({"dataset": dataset, "documents": results.len(), "hits": hits, "results": results})))
}

/// `GET /api/v1/watchlists`: the datasets a check may name.
pub(crate) async fn watchlists(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({"watchlists": s.app.watchlists().await?})))
}

/// `GET /screen?name=&birth_date=&nationality=&document=&country=&watchlist=`:
/// the border officer's check. Without a name or a document it shows the
/// empty form; errors are shown next to their fields.
pub(crate) async fn screen_page(
    State(s): State<AppState>,
    frame: crate::views::Frame,
    CurrentAccess(access): CurrentAccess,
    Query(form): Query<crate::views::screening::ScreenForm>,
) -> axum::response::Response {
    use crate::views::screening::{DocumentHitView, FormErrors, PersonHit, ScreenPage};
    let mut form = form;
    if form.watchlist.trim().is_empty() {
        form.watchlist = DEFAULT_WATCHLIST.to_owned();
    }
    let watchlists = match s.app.watchlists().await {
        Ok(w) => w,
        Err(e) => return super::pages::failure(&frame, e),
    };
    let mut errors = FormErrors::default();
    let mut persons = Vec::new();
    let mut documents = Vec::new();
    let wants = !form.name.trim().is_empty() || !form.document.trim().is_empty();
    let birth: Vec<String> =
        Some(form.birth_date.trim()).filter(|d| !d.is_empty()).map(str::to_owned).into_iter().collect();
    let nationality: Vec<String> =
        form.nationality.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect();
    if wants && !form.name.trim().is_empty() {
        let query = ScreenQuery {
            id: Some("check".into()),
            name: Some(form.name.trim().to_owned()),
            aliases: Vec::new(),
            birth_date: birth,
            gender: None,
            nationality,
            document_number: Some(form.document.trim().to_owned()).filter(|d| !d.is_empty()).into_iter().collect(),
        };
        match query.to_person("person", "check") {
            Err(veza_app::AppError::Invalid { field, message }) => match field.as_deref() {
                Some(f) if f.contains("birth_date") => errors.birth_date = Some(message),
                Some(f) if f.contains("nationality") => errors.nationality = Some(message),
                _ => errors.form = Some(message),
            },
            Err(e) => return super::pages::failure(&frame, e),
            Ok(person) => match s.app.screen(&access, &form.watchlist, &[person], DEFAULT_THRESHOLD, 10).await {
                Ok(mut answers) => {
                    for r in answers.pop().map(|a| a.results).unwrap_or_default() {
                        let why = crate::views::screening_explain::explanation_lines(&frame.tr, &r.explanations);
                        persons.push(PersonHit {
                            id: r.id,
                            caption: r.caption,
                            schema: frame.tr.schema_named(s.app.model(), &r.schema),
                            score: format!("{:.2}", r.score),
                            owner: r.owner_agency,
                            dataset: r.datasets.join(", "),
                            why,
                        });
                    }
                }
                Err(veza_app::AppError::Invalid { message, .. }) => errors.form = Some(message),
                Err(e) => return super::pages::failure(&frame, e),
            },
        }
    }
    if wants && !form.document.trim().is_empty() && !errors.any() {
        let doc = DocumentQuery {
            id: None,
            number: form.document.trim().to_owned(),
            country: Some(form.country.trim().to_owned()).filter(|c| !c.is_empty()),
        };
        match s.app.check_documents(&access, &form.watchlist, &[doc]).await {
            Ok(mut results) => {
                for h in results.pop().map(|r| r.hits).unwrap_or_default() {
                    // Vocabulary codes (status, document type) in the reader's words.
                    let report = s.app.model().schema("DocumentStatus").ok();
                    let detail = ["status", "documentType", "issuingCountry", "reportedDate"]
                        .iter()
                        .filter_map(|p| {
                            let value = h.properties.get(*p).and_then(|v| v.first())?;
                            Some(match report.and_then(|r| r.properties.get(*p)) {
                                Some(prop) => frame.tr.value(prop, value),
                                None => value.clone(),
                            })
                        })
                        .collect::<Vec<_>>()
                        .join(" · ");
                    documents.push(DocumentHitView {
                        id: h.id,
                        caption: h.caption,
                        kind: frame.tr.t(match h.kind {
                            veza_app::DocumentMatchKind::Exact => "screen-doc-exact",
                            veza_app::DocumentMatchKind::OcrConfusion => "screen-doc-ocr",
                        }),
                        detail,
                        owner: h.owner_agency,
                    });
                }
            }
            Err(veza_app::AppError::Invalid { field, message }) => match field.as_deref() {
                Some(f) if f.contains("country") => errors.form = Some(message),
                _ => errors.document = Some(message),
            },
            Err(e) => return super::pages::failure(&frame, e),
        }
    }
    let page = ScreenPage {
        layout: crate::views::Layout::new(&frame, frame.tr.t("nav-screen")),
        watchlists,
        checked: wants && !errors.any(),
        form,
        errors,
        persons,
        documents,
    };
    super::pages::render(axum::http::StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(schema: &str, props: Value) -> EntityQuery {
        EntityQuery { schema: schema.into(), properties: props.as_object().cloned().unwrap_or_default() }
    }

    #[test]
    fn yente_queries_become_persons() {
        let q = query(
            "Person",
            json!({"name": "Muhammad Abd al-Rahman", "firstName": ["Muhamed"], "lastName": ["Abdulrahman"],
                   "birthDate": ["1985"], "nationality": ["SY"], "passportNumber": ["N 0123 4567"]}),
        );
        let p = q.to_person("q1").unwrap();
        assert_eq!(p.id, "q1");
        assert_eq!(p.names, vec!["Muhammad Abd al-Rahman".to_owned(), "Muhamed Abdulrahman".to_owned()]);
        assert_eq!(p.nationalities, vec!["sy".to_owned()]);
        assert_eq!(p.documents.len(), 1);
    }

    #[test]
    fn bad_queries_name_the_field() {
        let e = query("Vessel", json!({"name": ["x"]})).to_person("q1").unwrap_err();
        assert!(format!("{e:?}").contains("queries.q1.schema"), "{e:?}");
        let e = query("Person", json!({"shoeSize": ["44"]})).to_person("q2").unwrap_err();
        assert!(format!("{e:?}").contains("queries.q2.properties.shoeSize"), "{e:?}");
        let e = query("Person", json!({"name": ["Ana"], "birthDate": ["12/05/1980"]})).to_person("q3").unwrap_err();
        assert!(format!("{e:?}").contains("birth_date"), "{e:?}");
        let e = query("Person", json!({"name": [1]})).to_person("q4").unwrap_err();
        assert!(format!("{e:?}").contains("properties.name[0]"), "{e:?}");
    }

    #[test]
    fn threshold_and_limit_are_checked() {
        assert_eq!(threshold_of(None).unwrap(), DEFAULT_THRESHOLD);
        assert_eq!(threshold_of(Some("0.5")).unwrap(), 0.5);
        assert!(threshold_of(Some("1.5")).is_err() && threshold_of(Some("high")).is_err());
        assert_eq!(limit_of(Some("10")).unwrap(), 10);
        assert!(limit_of(Some("0")).is_err() && limit_of(Some("1000")).is_err());
    }
}
