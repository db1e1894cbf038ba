//! Known variants of given names across the region's languages, as data.
//!
//! Each line of `variants.txt` is one group of spellings of the same name
//! (folded, as [`crate::fold`] gives them): the Arabic original in its common
//! romanisations (UNGEGN, French, English practice), its Turkish, Bosnian,
//! Albanian and Persian/Urdu forms, and the Biblical equivalents in Slavic
//! languages where the name is shared (Yusuf/Joseph/Josip). Sources: the
//! Arabic originals and their Turkish forms as given in the Turkish Language
//! Association's name dictionary; Bosnian forms in Bosnian orthography;
//! Persian/Urdu forms after the UNGEGN Persian system. Add a group by adding
//! a line; the loader checks that no spelling is in two groups.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const GROUPS: &str = include_str!("variants.txt");

fn table() -> &'static HashMap<&'static str, u16> {
    static TABLE: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::default();
        let lines = GROUPS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        for (group, line) in lines.enumerate() {
            for spelling in line.split_whitespace() {
                map.insert(spelling, group as u16);
            }
        }
        map
    })
}

/// The group of known variants a folded token belongs to, if any: two
/// tokens with the same group are spellings of one name.
pub fn variant_group(token: &str) -> Option<u16> {
    table().get(token).copied()
}

/// Whether two folded tokens are known spellings of one name.
pub fn same_name_variant(a: &str, b: &str) -> bool {
    a == b || matches!((variant_group(a), variant_group(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_issue_examples_are_variants() {
        assert!(same_name_variant("mohammed", "muhammad"));
        assert!(same_name_variant("mohamed", "mehmet"));
        assert!(same_name_variant("yusuf", "joseph"));
        assert!(same_name_variant("joseph", "josip"));
        assert!(!same_name_variant("yusuf", "muhammad"));
        assert!(same_name_variant("md", "muhammad"));
        assert!(same_name_variant("sk", "sheikh"));
    }

    #[test]
    fn no_spelling_is_in_two_groups() {
        let mut seen = HashSet::new();
        for line in GROUPS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            for s in line.split_whitespace() {
                assert!(seen.insert(s), "{s} is in two groups");
                assert_eq!(crate::fold(s), s, "{s} is not folded");
            }
        }
    }
}
