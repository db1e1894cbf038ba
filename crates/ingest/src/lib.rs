//! Readers of outside data for Veza: FtM JSON lines, and CSV and Excel
//! tables through TOML mapping files.
//!
//! Readers take input in (anything that implements [`std::io::Read`], or a
//! path or bytes for workbooks) and give [`Outcome`]s out, one per row, as
//! the caller asks for them: an [`Accepted`] entity with its [`Note`]s, or
//! the [`Reject`]s that explain why a row made no entity. A bad row never
//! stops a file; only a file that cannot be read at all (empty, unreadable
//! header, a mapping that does not fit it) is an [`IngestError`].
//!
//! There is no store here, no printing and no progress bar: the caller
//! drives the iterator and asks it for its [`Progress`].
//!
//! ```
//! use veza_ingest::{Mapping, Reader, Tally};
//! # fn main() -> Result<(), veza_ingest::IngestError> {
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("people.csv");
//! # std::fs::write(&path, "id,given_name,surname\n1,Ana,Kovač\n,Ivo,\n")?;
//! let model = veza_model::Model::builtin();
//! let mapping = Mapping::parse(
//!     "schema = \"Person\"\nid = \"id\"\n[properties]\nfirstName = \"given_name\"\nlastName = \"surname\"\n",
//!     model,
//! )?;
//! let mut reader = Reader::open(&path, model, Some(&mapping), "people")?;
//! let mut tally = Tally::default();
//! while let Some(outcome) = reader.next() {
//!     let outcome = outcome?;
//!     tally.count(&outcome);
//!     let _share_done = reader.progress().fraction();
//! }
//! assert_eq!((tally.accepted, tally.rejected), (1, 1));
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod csv;
pub mod dataset;
pub mod error;
pub mod format;
pub mod ftm;
pub mod mapping;
pub mod msel;
pub mod network;
pub mod notices;
pub mod outcome;
pub mod progress;
pub mod rejects;
pub mod resolution;
mod row;
pub mod screening;
pub mod xlsx;

pub use crate::csv::CsvReader;
pub use crate::dataset::{check_dataset, dataset_from_path, entity_id};
pub use crate::error::{IngestError, MappingError};
pub use crate::format::{Format, Reader};
pub use crate::ftm::FtmReader;
pub use crate::mapping::{Mapping, PropertyMapping, ValueSource};
pub use crate::notices::NoticeReader;
pub use crate::outcome::{Accepted, Note, Outcome, Reject, Tally};
pub use crate::progress::{Progress, ProgressUnit};
pub use crate::rejects::{RejectWriter, read_rejects, write_rejects};
pub use crate::resolution::{ResolveInput, ResolveInputError, ResolveSettings};
pub use crate::screening::{PersonReader, RowError, SCREENING_HEADER, ScreeningFormat};
pub use crate::xlsx::XlsxReader;
