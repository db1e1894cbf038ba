//! Errors of the use cases, in terms a face can turn into a status code or
//! an exit message.

use thiserror::Error;
use veza_store::StoreError;

/// Why a use case did not do what was asked.
#[derive(Debug, Error)]
pub enum AppError {
    /// The input is wrong; `field` names the part, when there is one.
    #[error("{message}")]
    Invalid {
        /// The field at fault (`properties.birthDate`).
        field: Option<String>,
        /// What is wrong and what to do.
        message: String,
    },
    /// Nothing with that id is visible to the caller.
    #[error("{0} not found")]
    NotFound(String),
    /// A user read or wrote personal data without saying why.
    #[error("state why you need this data (a case reference or a short reason)")]
    PurposeRequired,
    /// The entity exists, the caller may not see it, and its owner lets its
    /// existence be known: whom to ask.
    #[error("{schema} {id} is restricted by its owner: ask {owner_agency} for access, quoting the id")]
    Restricted {
        /// The entity's id.
        id: String,
        /// Its schema.
        schema: String,
        /// The owning agency.
        owner_agency: String,
    },
    /// The caller may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The thing exists already in a way that conflicts.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A file could not be read or written.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something inside the platform failed (a worker task).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Forbidden(m) => AppError::Forbidden(m),
            StoreError::Missing(m) => AppError::Invalid { field: None, message: m },
            other => AppError::Store(other),
        }
    }
}
