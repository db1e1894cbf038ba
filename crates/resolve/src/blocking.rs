//! Blocking chosen from the data: which pairs of records are compared.
//!
//! A key is one or two *parts*, each the normalised value of a field or the
//! phonetic key of a name. Every single part and every pair of parts from
//! two fields is a candidate; the engine counts how many pairs each would
//! compare, and takes the most selective ones that stay within a budget of
//! pairs per record, skipping a key that a chosen one already implies
//! (unless the chosen one left blocks out for their size).
//! The guarantee: every pair that agrees on all parts of any chosen key is
//! compared, unless their block is larger than the cap (reported).

use crate::prepared::Prepared;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, Hash, Hasher};

/// What a key part takes from a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Take {
    /// The normalised value.
    Value,
    /// The phonetic key (names only).
    Sound,
}

/// One part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Part {
    /// Field index.
    pub field: usize,
    /// What is taken from it.
    pub take: Take,
}

impl Part {
    /// Whether agreeing on `self` implies agreeing on `other`.
    fn implies(self, other: Part) -> bool {
        self.field == other.field && (self.take == other.take || self.take == Take::Value)
    }
}

/// A blocking key: records that agree on every part are compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// The parts (one or two).
    pub parts: Vec<Part>,
    /// Pairs this key compares on the data it was chosen on.
    pub pairs: u64,
    /// Blocks over the cap, left out.
    pub oversized_blocks: u64,
}

impl Key {
    /// Whether any pair agreeing on `self` also agrees on `other`'s parts
    /// (so `other` adds nothing).
    fn covers(&self, other: &Key) -> bool {
        self.parts.iter().all(|p| other.parts.iter().any(|q| q.implies(*p)))
    }
}

/// Limits of the choice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Pairs one key may compare, per record.
    pub pairs_per_record_per_key: f64,
    /// Pairs all keys together may compare, per record.
    pub pairs_per_record: f64,
    /// Blocks larger than this are left out.
    pub max_block: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget { pairs_per_record_per_key: 4.0, pairs_per_record: 40.0, max_block: 400 }
    }
}

/// The hash of record `i`'s key value, or 0 when a part is missing.
///
/// A key made of both fields of a swappable pair (given name and surname,
/// two address lines; see [`Prepared::swappable`]), taken the same way,
/// hashes them as an unordered pair: the comparison scores `RUBY VINCENT`
/// beside `VINCENT RUBY` crosswise, so blocking must put them together too,
/// or a clerk's swap is never compared at all.
pub fn key_hash(prepared: &Prepared, i: usize, parts: &[Part]) -> u64 {
    if is_crosswise(prepared, parts) {
        let (Some(x), Some(y)) = (part_hash(prepared, i, parts[0]), part_hash(prepared, i, parts[1])) else {
            return 0;
        };
        return FixedState.hash_one((x.min(y), x.max(y))).max(1);
    }
    let mut h = FixedState.build_hasher();
    for p in parts {
        let Some(v) = prepared.value(i, p.field) else { return 0 };
        p.field.hash(&mut h);
        match p.take {
            Take::Value => v.key().hash(&mut h),
            Take::Sound => match v.sound_key() {
                Some(s) if !s.is_empty() => s.hash(&mut h),
                _ => return 0,
            },
        }
    }
    h.finish().max(1)
}

/// Whether `parts` are the two fields of a swappable pair, taken the same
/// way: such a key matches its values in either order.
pub fn is_crosswise(prepared: &Prepared, parts: &[Part]) -> bool {
    match parts {
        [a, b] if a.take == b.take => {
            prepared.swappable.iter().any(|&(f, g)| (f, g) == (a.field, b.field) || (g, f) == (a.field, b.field))
        }
        _ => false,
    }
}

/// The hash of one part of record `i`'s key, without the field (so the two
/// fields of a crosswise key can trade places); `None` when missing.
fn part_hash(prepared: &Prepared, i: usize, p: Part) -> Option<u64> {
    let v = prepared.value(i, p.field)?;
    let mut h = FixedState.build_hasher();
    match p.take {
        Take::Value => v.key().hash(&mut h),
        Take::Sound => v.sound_key().filter(|s| !s.is_empty())?.hash(&mut h),
    }
    Some(h.finish())
}

/// A hasher with a fixed seed, so runs are reproducible.
#[derive(Clone, Copy, Default)]
pub struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = std::collections::hash_map::DefaultHasher;
    fn build_hasher(&self) -> Self::Hasher {
        std::collections::hash_map::DefaultHasher::new()
    }
}

/// `(hash, record)` sorted by hash, records without a value left out.
pub fn sorted_keys(prepared: &Prepared, parts: &[Part]) -> Vec<(u64, u32)> {
    let mut v: Vec<(u64, u32)> = (0..prepared.len())
        .into_par_iter()
        .filter_map(|i| {
            let h = key_hash(prepared, i, parts);
            (h != 0).then_some((h, i as u32))
        })
        .collect();
    v.par_sort_unstable();
    v
}

/// Runs of equal hashes in a sorted key list.
pub fn blocks(sorted: &[(u64, u32)]) -> impl Iterator<Item = &[(u64, u32)]> {
    sorted.chunk_by(|a, b| a.0 == b.0)
}

fn count_pairs(sorted: &[(u64, u32)], max_block: usize) -> (u64, u64) {
    let mut pairs = 0u64;
    let mut oversized = 0u64;
    for b in blocks(sorted) {
        let n = b.len() as u64;
        if b.len() > max_block {
            oversized += 1;
        } else {
            pairs += n * (n - 1) / 2;
        }
    }
    (pairs, oversized)
}

/// Chooses the keys for these records; `fields` tells which fields have a
/// phonetic key (names).
pub fn choose(prepared: &Prepared, name_fields: &[bool], budget: Budget) -> Vec<Key> {
    let n = prepared.len() as f64;
    let mut parts = Vec::new();
    for (f, &is_name) in name_fields.iter().enumerate() {
        if prepared.filled[f] == 0 {
            continue;
        }
        parts.push(Part { field: f, take: Take::Value });
        if is_name {
            parts.push(Part { field: f, take: Take::Sound });
        }
    }
    let mut candidates: Vec<Vec<Part>> = parts.iter().map(|p| vec![*p]).collect();
    for (i, a) in parts.iter().enumerate() {
        for b in &parts[i + 1..] {
            if a.field != b.field {
                candidates.push(vec![*a, *b]);
            }
        }
    }
    let mut counted: Vec<Key> = candidates
        .into_iter()
        .map(|parts| {
            let (pairs, oversized_blocks) = count_pairs(&sorted_keys(prepared, &parts), budget.max_block);
            Key { parts, pairs, oversized_blocks }
        })
        .collect();
    // Single parts first (a chosen one makes every pair key that holds it
    // redundant), each group from the fewest pairs up.
    counted.sort_by_key(|k| (k.parts.len(), k.pairs));
    let per_key = (budget.pairs_per_record_per_key * n).max(5_000.0) as u64;
    let mut total_left = (budget.pairs_per_record * n).max(50_000.0) as u64;
    let mut chosen: Vec<Key> = Vec::new();
    for k in counted {
        if k.pairs > per_key || k.pairs > total_left {
            continue;
        }
        // A key some records share is useful; one nobody shares is noise.
        if k.pairs == 0 {
            continue;
        }
        // A key covers only the records it compares: one that left out an
        // oversized block (a common surname at a million records) does not
        // make its refinements (that surname and a birth date) redundant.
        // A crosswise key also compares swapped pairs, which no key of
        // single parts holds: nothing makes it redundant.
        if !is_crosswise(prepared, &k.parts) && chosen.iter().any(|c| c.oversized_blocks == 0 && c.covers(&k)) {
            continue;
        }
        total_left -= k.pairs;
        chosen.push(k);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Field, FieldKind, Record, Schema};

    #[test]
    fn a_key_with_an_oversized_block_does_not_make_its_refinement_redundant() {
        // 600 Smiths (a block over the cap of 120) and 400 others in blocks of 50.
        let schema = Schema::new(vec![Field::new("surname", FieldKind::Surname), Field::new("born", FieldKind::Date)]);
        let others = ["jones", "brown", "taylor", "wilson", "walker", "wright", "harris", "clarke"];
        let records: Vec<Record> = (0..1000)
            .map(|i| {
                let surname = if i < 600 { "smith" } else { others[i % 8] };
                // Eight birth dates of 125 records each: over the cap alone.
                let born = format!("1970-01-{:02}", 1 + i % 8);
                Record::new(i.to_string(), vec![Some(surname.into()), Some(born)])
            })
            .collect();
        let mut prepared = Prepared::new(&schema);
        prepared.extend(&schema, &records);
        let budget = Budget { pairs_per_record_per_key: 40.0, pairs_per_record: 100.0, max_block: 120 };
        let keys = choose(&prepared, &[true, false], budget);
        let surname = Part { field: 0, take: Take::Value };
        let born = Part { field: 1, take: Take::Value };
        assert!(keys.iter().any(|k| k.parts == [surname] && k.oversized_blocks == 1), "{keys:?}");
        assert!(
            keys.iter().any(|k| k.parts == [surname, born]),
            "Smiths are still compared within a birth date: {keys:?}"
        );
    }

    #[test]
    fn a_key_of_both_names_puts_a_swap_in_one_block_and_is_never_redundant() {
        let schema = Schema::new(vec![
            Field::new("given", FieldKind::GivenName),
            Field::new("surname", FieldKind::Surname),
            Field::new("born", FieldKind::Date),
        ]);
        let r = |id: &str, g: &str, s: &str| Record::new(id, vec![Some(g.into()), Some(s.into()), Some("1970".into())]);
        let records =
            [r("0", "ruby", "vincent"), r("1", "vincent", "ruby"), r("2", "ana", "kovac"), r("3", "ana", "petrovic")];
        let mut prepared = Prepared::new(&schema);
        prepared.extend(&schema, &records);
        let (given, surname, born) = (
            Part { field: 0, take: Take::Value },
            Part { field: 1, take: Take::Value },
            Part { field: 2, take: Take::Value },
        );
        let names = [given, surname];
        assert!(is_crosswise(&prepared, &names) && is_crosswise(&prepared, &[surname, given]));
        assert_eq!(key_hash(&prepared, 0, &names), key_hash(&prepared, 1, &names));
        assert_ne!(key_hash(&prepared, 2, &names), key_hash(&prepared, 3, &names));
        // A key of a name and another field keeps its order.
        assert!(!is_crosswise(&prepared, &[given, born]));
        assert_ne!(key_hash(&prepared, 0, &[given, born]), key_hash(&prepared, 1, &[given, born]));
        // The given name alone (the two Anas) does not make the names key
        // redundant: only the latter holds the swap.
        let keys = choose(&prepared, &[true, true, false], Budget::default());
        assert!(keys.iter().any(|k| k.parts == [given]), "{keys:?}");
        assert!(keys.iter().any(|k| k.parts == names && k.pairs == 1), "{keys:?}");
    }

    #[test]
    fn a_value_implies_its_sound_and_covers_keys_that_contain_it() {
        let v = Part { field: 0, take: Take::Value };
        let s = Part { field: 0, take: Take::Sound };
        let d = Part { field: 1, take: Take::Value };
        assert!(v.implies(s) && !s.implies(v));
        let single = Key { parts: vec![s], pairs: 0, oversized_blocks: 0 };
        let pair = Key { parts: vec![v, d], pairs: 0, oversized_blocks: 0 };
        assert!(single.covers(&pair));
        assert!(!pair.covers(&single));
    }
}
