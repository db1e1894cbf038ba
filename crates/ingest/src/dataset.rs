//! Dataset names and the entity ids derived from them. An imported record's
//! id is deterministic, so importing the same file twice gives the same
//! entities.

use crate::error::IngestError;
use sha2::{Digest, Sha256};
use std::path::Path;
use veza_model::entity::valid_id;

/// Longest accepted dataset name, leaving room for the record part of ids.
pub const MAX_DATASET_LEN: usize = 100;

/// Checks that `name` can prefix entity ids: 1–100 letters, digits, `.`,
/// `-`, `_` or `:`.
pub fn check_dataset(name: &str) -> Result<(), IngestError> {
    if name.len() <= MAX_DATASET_LEN && valid_id(name) {
        Ok(())
    } else {
        Err(IngestError::InvalidDataset(name.to_owned()))
    }
}

/// The id of the entity made from `record` of `dataset`:
/// `"{dataset}.{record}"` when that is a valid entity id, otherwise
/// `"{dataset}.{h}"` with `h` the first 24 hex digits of SHA-256 of the
/// record id.
///
/// ```
/// use veza_ingest::entity_id;
/// assert_eq!(entity_id("febrl3", "rec-1496-org"), "febrl3.rec-1496-org");
/// assert_eq!(entity_id("lists", "Ana Kovač/7").len(), "lists.".len() + 24);
/// ```
pub fn entity_id(dataset: &str, record: &str) -> String {
    let plain = format!("{dataset}.{record}");
    if valid_id(&plain) {
        return plain;
    }
    let digest = Sha256::digest(record.as_bytes());
    let hex = hex::encode(digest);
    format!("{dataset}.{}", &hex[..24])
}

/// A dataset name from a file name: the stem, with every character an id
/// may not hold replaced by `-` (`Checkpoint 2023.csv` → `Checkpoint-2023`).
/// Falls back to `import` when nothing usable is left.
pub fn dataset_from_path(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    let mut name = String::new();
    for c in stem.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':');
        let c = if keep { c } else { '-' };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let name: String = name.trim_matches('-').chars().take(MAX_DATASET_LEN).collect();
    let name = name.trim_end_matches('-');
    if name.is_empty() { "import".to_owned() } else { name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn record_ids_that_fit_are_kept_readable() {
        assert_eq!(entity_id("febrl3", "rec-1496-org"), "febrl3.rec-1496-org");
    }

    #[test]
    fn other_record_ids_are_hashed() {
        let id = entity_id("list", "Ana Kovač #7");
        assert_eq!(id, format!("list.{}", &hex::encode(Sha256::digest("Ana Kovač #7".as_bytes()))[..24]));
        assert_eq!(id, entity_id("list", "Ana Kovač #7"));
    }

    #[test]
    fn dataset_names_come_from_file_stems() {
        assert_eq!(dataset_from_path(Path::new("/x/febrl3.csv")), "febrl3");
        assert_eq!(dataset_from_path(Path::new("Checkpoint 2023 (v2).xlsx")), "Checkpoint-2023-v2");
        assert_eq!(dataset_from_path(Path::new("ččč.csv")), "import");
    }

    #[test]
    fn dataset_names_are_checked() {
        assert!(check_dataset("rs-bp-checkpoint-2023").is_ok());
        assert!(check_dataset("").is_err());
        assert!(check_dataset("has space").is_err());
        assert!(check_dataset(&"x".repeat(101)).is_err());
    }

    proptest! {
        #[test]
        fn ids_are_always_valid(dataset in "[a-z0-9_-]{1,100}", record in "\\PC{0,300}") {
            prop_assert!(valid_id(&entity_id(&dataset, &record)));
        }

        #[test]
        fn names_from_paths_are_always_valid(stem in "\\PC{0,200}") {
            let name = dataset_from_path(Path::new(&format!("{stem}.csv")));
            prop_assert!(check_dataset(&name).is_ok(), "{}", name);
        }
    }
}
