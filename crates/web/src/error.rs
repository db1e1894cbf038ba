//! The API's error shape: `{"error":{"code":"…","message":"…","field":"…"}}`
//! with the status that goes with the code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use veza_app::{AppError, AuthError};

/// An error as the API reports it. Internal details are logged, never sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code: `invalid`, `not_found`, `restricted`,
    /// `forbidden`, `conflict`, `unsupported_media_type`,
    /// `payload_too_large`, `method_not_allowed`, `internal`, `purpose_required`; for sign-in
    /// `unauthenticated`, `invalid_credentials`, `totp_required`,
    /// `totp_invalid`, `mfa_not_enrolled`, `locked`, `csrf`, `rate_limited`.
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
    /// 428: a read of personal data without a stated purpose.
    pub fn purpose_required() -> Self {
        ApiError {
            status: StatusCode::PRECONDITION_REQUIRED,
            code: "purpose_required",
            field: None,
            message: "state why you need this data in an X-Purpose header (a case reference or a short reason)".into(),
        }
    }

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

    /// 401: no valid session or token.
    pub fn unauthenticated() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthenticated",
            message: "sign in first: POST /api/v1/auth/login, then send the token as Authorization: Bearer …".into(),
            field: None,
        }
    }

    /// 403 `csrf`: a cookie-authenticated change without the CSRF token.
    pub fn csrf() -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "csrf",
            message: "the CSRF token is missing or wrong: send the __Host-veza_csrf cookie's value in the \
                      X-CSRF-Token header (or the csrf form field), or reload the page"
                .into(),
            field: None,
        }
    }

    /// 429 `rate_limited`: too many log-in attempts.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            message: format!("too many log-in attempts: try again in {retry_after_secs} s"),
            field: None,
        }
    }

    /// A failed log-in or authentication. A lock is 423 `locked`; the rest
    /// 401 with a code saying what is missing, never which of user name and
    /// password was wrong.
    pub fn auth(e: AuthError) -> Self {
        let (status, code) = match &e {
            AuthError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            AuthError::TotpRequired => (StatusCode::UNAUTHORIZED, "totp_required"),
            AuthError::TotpInvalid => (StatusCode::UNAUTHORIZED, "totp_invalid"),
            AuthError::MfaNotEnrolled => (StatusCode::UNAUTHORIZED, "mfa_not_enrolled"),
            AuthError::Locked { .. } => (StatusCode::LOCKED, "locked"),
            AuthError::Unauthenticated => return ApiError::unauthenticated(),
            AuthError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        if let AuthError::Internal(inner) = e {
            return inner.into();
        }
        ApiError { status, code, message: e.to_string(), field: None }
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
            StatusCode::UNAUTHORIZED => return ApiError::unauthenticated(),
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
            AppError::PurposeRequired => ApiError::purpose_required(),
            AppError::Restricted { id, schema, owner_agency } => ApiError::restricted(format!(
                "{schema} {id} is restricted by its owner: ask agency {owner_agency} for access, quoting the id"
            )),
            AppError::Forbidden(m) => {
                ApiError { status: StatusCode::FORBIDDEN, code: "forbidden", message: m, field: None }
            }
            AppError::Conflict(m) => {
                ApiError { status: StatusCode::CONFLICT, code: "conflict", message: m, field: None }
            }
            other @ (AppError::File { .. } | AppError::Store(_) | AppError::Internal(_)) => ApiError::internal(&other),
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
