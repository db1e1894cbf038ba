//! The API's error shape: `{"error":{"code":"…","message":"…","field":"…"}}`
//! with the status that goes with the code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use veza_app::AppError;

/// An error as the API reports it. Internal details are logged, never sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code: `invalid`, `not_found`, `restricted`,
    /// `forbidden`, `conflict`, `unsupported_media_type`,
    /// `payload_too_large`, `method_not_allowed`, `internal`.
    pub code: &'static str,
    /// What went wrong and what to do, for people.
    pub message: String,
    /// The request field at fault (`limit`, `properties.birthDate`).
    pub field: Option<String>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// The message sent for every internal error.
const INTERNAL_MESSAGE: &str = "internal error: the server could not complete the request; the details are in its log";

impl ApiError {
    /// 400: the input is wrong.
    pub fn invalid(field: Option<&str>, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: message.into(),
            field: field.map(Into::into),
        }
    }

    /// 404: nothing there, or nothing the caller may know of.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into(), field: None }
    }

    /// 403 `restricted`: the record exists but its owner restricts it.
    pub fn restricted(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::FORBIDDEN, code: "restricted", message: message.into(), field: None }
    }

    /// 415: the body is not JSON.
    pub fn unsupported_media_type() -> Self {
        ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: "the request body must be JSON: send it with Content-Type: application/json".into(),
            field: None,
        }
    }

    /// 500: logs `detail` and sends a generic message.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: INTERNAL_MESSAGE.into(),
            field: None,
        }
    }

    /// The error for a bare status produced below the handlers.
    pub fn from_status(status: StatusCode) -> Self {
        let (status, code, message) = match status {
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                (StatusCode::BAD_REQUEST, "invalid", "the request is malformed".to_owned())
            }
            StatusCode::NOT_FOUND => (status, "not_found", "no such resource".to_owned()),
            StatusCode::FORBIDDEN => (status, "forbidden", "you may not do this".to_owned()),
            StatusCode::CONFLICT => (status, "conflict", "the request conflicts with what is stored".to_owned()),
            StatusCode::METHOD_NOT_ALLOWED => (
                status,
                "method_not_allowed",
                "this resource does not support that method; see the Allow header".into(),
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                status,
                "payload_too_large",
                format!("the request body is larger than {} bytes", crate::security::BODY_LIMIT),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => return ApiError::unsupported_media_type(),
            s if s.is_server_error() => {
                tracing::error!(status = %s, "error response without details");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", INTERNAL_MESSAGE.to_owned())
            }
            s => (s, "error", s.canonical_reason().unwrap_or("request failed").to_owned()),
        };
        ApiError { status, code, message, field: None }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid { field, message } => ApiError::invalid(field.as_deref(), message),
            AppError::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            AppError::Forbidden(m) => {
                ApiError { status: StatusCode::FORBIDDEN, code: "forbidden", message: m, field: None }
            }
            AppError::Conflict(m) => {
                ApiError { status: StatusCode::CONFLICT, code: "conflict", message: m, field: None }
            }
            other @ (AppError::File { .. } | AppError::Store(_)) => ApiError::internal(&other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Envelope { error: Body { code: self.code, message: &self.message, field: self.field.as_deref() } };
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_errors_map_to_statuses() {
        let e: ApiError = AppError::Invalid { field: Some("limit".into()), message: "too big".into() }.into();
        assert_eq!((e.status, e.code, e.field.as_deref()), (StatusCode::BAD_REQUEST, "invalid", Some("limit")));
        let e: ApiError = AppError::NotFound("entity x".into()).into();
        assert_eq!((e.status, e.message.as_str()), (StatusCode::NOT_FOUND, "entity x not found"));
        let e: ApiError = AppError::Conflict("exists".into()).into();
        assert_eq!(e.status, StatusCode::CONFLICT);
        let e: ApiError = AppError::File { path: "/secret/path".into(), reason: "boom".into() }.into();
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("/secret/path"));
    }

    #[test]
    fn unprocessable_never_leaves() {
        assert_eq!(ApiError::from_status(StatusCode::UNPROCESSABLE_ENTITY).status, StatusCode::BAD_REQUEST);
    }
}
