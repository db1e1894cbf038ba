//! The API's JSON body extractor: 415 when the body is not declared JSON,
//! 413 when it is too large, and 400 naming the field at fault when it does
//! not fit (never axum's 422).

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// A request body read as JSON into `T`.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !declares_json(req.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                ApiError::invalid(None, format!("the request body could not be read: {}", rejection.body_text()))
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Whether the headers say the body is JSON (`application/json` or
/// `application/…+json`, any parameters).
fn declares_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads `bytes` as one JSON value of type `T`; the error names the path of
/// the offending field, as in `properties.name[0]`.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        // The path ends at the offending field, except for a missing one,
        // which serde names only in the message.
        let field = match path.as_str() {
            "." => named_field(&inner.to_string()),
            p => Some(p.to_owned()),
        };
        let message = if inner.is_syntax() || inner.is_eof() {
            format!("the request body is not valid JSON: {inner}")
        } else {
            match &field {
                Some(f) => format!("{f}: {inner}"),
                None => inner.to_string(),
            }
        };
        ApiError::invalid(field.as_deref(), message)
    })?;
    de.end().map_err(|e| ApiError::invalid(None, format!("the request body is not valid JSON: {e}")))?;
    Ok(value)
}

/// The field serde names in "missing field `x`" and "unknown field `x`".
fn named_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `").or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use veza_app::NewEntity;

    #[test]
    fn json_content_types_are_recognised() {
        let mut h = HeaderMap::new();
        assert!(!declares_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        assert!(declares_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.ftm+json"));
        assert!(declares_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!declares_json(&h));
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse::<NewEntity>(br#"{"properties":{}}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("schema"));
        let e = parse::<NewEntity>(br#"{"schema":"Person","properties":{"name":"Ana"}}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("properties.name"), "{}", e.message);
        let e = parse::<NewEntity>(br#"{"schema":"Person","colour":"red"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("colour"), "{}", e.message);
        let e = parse::<NewEntity>(br#"{"schema":"Person","handling":{"visibility":"nobody"}}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("handling.visibility"), "{}", e.message);
        let e = parse::<NewEntity>(b"{\"schema\":").unwrap_err();
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
        let e = parse::<NewEntity>(br#"{"schema":"Person"} x"#).unwrap_err();
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
    }
}
