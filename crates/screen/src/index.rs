//! The in-memory watchlist: a vocabulary of name tokens, candidate keys
//! (phonetic key, its one-deletion neighbours, known-variant groups) and
//! posting lists from tokens to entries.
//!
//! Candidate generation looks up, for every token of every form of the
//! query, the vocabulary tokens that share its phonetic key, are one edit
//! away in key space (SymSpell-style deletions, so that one typo is found),
//! or are known variants; an entry becomes a candidate when it holds such
//! tokens for two different query tokens (one, for a one-token query), or
//! one of its documents matches. Only candidates are scored.

use crate::documents::DocumentIndex;
use crate::forms::{NameForm, name_forms};
use crate::record::{BirthDate, Gender, Person, split_issuing_country};
use rustc_hash::FxHashMap;

/// Marks the start of a name form in an entry's token list; `| UNVOWELED`
/// when the form was read from the Arabic script.
pub(crate) const FORM_START: u32 = u32::MAX - 1;
/// Form start of an unvoweled form.
pub(crate) const FORM_START_UNVOWELED: u32 = u32::MAX;

/// No known-variant group.
pub(crate) const NO_GROUP: u16 = u16::MAX;

/// Keys shorter than this are not registered under their one-deletions.
/// Three-letter keys are: a short name's typo (Habb for Habib, Salia for
/// Salima) is found as the longer key minus one letter.
const MIN_KEY_FOR_DELETIONS: usize = 3;

/// A query key this long or longer is also searched one letter shorter (a
/// letter inserted by the typo); shorter ones only one letter longer (a
/// letter left out: Habb for Habib), since the two-letter keys a
/// three-letter key gives are shared by thousands of tokens.
const MIN_KEY_FOR_SHORTER: usize = 4;

/// A query key this long or longer is also searched with one letter
/// substituted. Typo neighbours never propose an entry alone (they pair
/// with a slot found without a typo in the index of key pairs), so the
/// many neighbours of a short key cost hash look-ups, not postings.
const MIN_KEY_FOR_SUBSTITUTION: usize = 4;

/// The vocabulary of tokens with their candidate keys.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    pub(crate) ids: FxHashMap<Box<str>, u32>,
    pub(crate) texts: Vec<Box<str>>,
    pub(crate) key_of: Vec<u32>,
    pub(crate) key_texts: Vec<Box<str>>,
    /// Per token: its known-variant group, [`NO_GROUP`] for none.
    pub(crate) group_of: Vec<u16>,
    /// Per token: whether it starts with a joined article or `bin`/`ben`.
    pub(crate) prefixed: Vec<bool>,
    /// Per token: the keys of its other readings ([`veza_text::other_keys`]),
    /// most often none.
    pub(crate) other_keys: Vec<Box<[u32]>>,
    key_ids: FxHashMap<Box<str>, u32>,
    key_tokens: Vec<Vec<u32>>,
    /// One-deletion of a key → keys that give it.
    deletions: FxHashMap<Box<str>, Vec<u32>>,
    groups: FxHashMap<u16, Vec<u32>>,
    /// Consonant skeleton (see [`veza_text::consonant_skeleton`]) → tokens.
    skeletons: FxHashMap<Box<str>, Vec<u32>>,
}

impl Vocabulary {
    fn intern(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(token.into());
        self.ids.insert(token.into(), id);
        let key_id = self.key_id(veza_text::phonetic_key(token));
        self.key_of.push(key_id);
        self.key_tokens[key_id as usize].push(id);
        // Other orthographies' readings of its letters (Hicham = Hisham):
        // the token is found under those keys too, without their deletions.
        let mut others = Vec::new();
        for other in veza_text::other_keys(token, &self.key_texts[key_id as usize]) {
            let k = self.key_id_plain(other);
            self.key_tokens[k as usize].push(id);
            others.push(k);
        }
        self.other_keys.push(others.into_boxed_slice());
        // A joined article or bin/ben is written or left out (Elhimsi =
        // al-Homsi = Homsi): the token is found under the name's own key too.
        if let Some(rest) = veza_text::without_joined_prefix(token) {
            let k = self.key_id(veza_text::phonetic_key(rest));
            if k != key_id {
                self.key_tokens[k as usize].push(id);
            }
        }
        let group = veza_text::variant_group(token);
        if let Some(g) = group {
            self.groups.entry(g).or_default().push(id);
        }
        self.group_of.push(group.unwrap_or(NO_GROUP));
        self.prefixed.push(veza_text::has_joined_prefix(token));
        let skeleton = veza_text::consonant_skeleton(&self.key_texts[key_id as usize]);
        if skeleton.len() >= 2 {
            self.skeletons.entry(skeleton.into_boxed_str()).or_default().push(id);
        }
        id
    }

    /// The id of a phonetic key, if some token has it.
    pub(crate) fn key_id_of(&self, key: &str) -> Option<u32> {
        self.key_ids.get(key).copied()
    }

    /// The id of a phonetic key, registered without deletions if new.
    fn key_id_plain(&mut self, key: String) -> u32 {
        if let Some(&k) = self.key_ids.get(key.as_str()) {
            return k;
        }
        let k = self.key_tokens.len() as u32;
        self.key_tokens.push(Vec::new());
        self.key_texts.push(key.as_str().into());
        self.key_ids.insert(key.into_boxed_str(), k);
        k
    }

    /// The id of a phonetic key, registered (with its deletions) if new.
    fn key_id(&mut self, key: String) -> u32 {
        if let Some(&k) = self.key_ids.get(key.as_str()) {
            return k;
        }
        let k = self.key_tokens.len() as u32;
        self.key_tokens.push(Vec::new());
        self.key_texts.push(key.as_str().into());
        if key.len() >= MIN_KEY_FOR_DELETIONS {
            for d in deletions(&key) {
                let list = self.deletions.entry(d.into_boxed_str()).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        self.key_ids.insert(key.into_boxed_str(), k);
        k
    }

    /// Vocabulary tokens that may be `token`: `close` gets the token itself,
    /// those with the same phonetic key, with one of `other_keys` (the ids
    /// of its other readings' keys) and known variants; `fuzzy` those one
    /// key edit away (a typo).
    /// With `unvoweled` (a token read from the Arabic script), tokens with
    /// the same consonant skeleton are close too.
    pub(crate) fn neighbours(
        &self,
        token: &str,
        key: &str,
        other_keys: &[u32],
        unvoweled: bool,
        close: &mut Vec<u32>,
        fuzzy: &mut Vec<u32>,
    ) {
        if let Some(&id) = self.ids.get(token) {
            close.push(id);
        }
        if unvoweled && let Some(ts) = self.skeletons.get(veza_text::consonant_skeleton(key).as_str()) {
            close.extend(ts);
        }
        if let Some(&k) = self.key_ids.get(key) {
            close.extend(&self.key_tokens[k as usize]);
        }
        for &k in other_keys {
            close.extend(&self.key_tokens[k as usize]);
        }
        if let Some(rest) = veza_text::without_joined_prefix(token) {
            if let Some(&id) = self.ids.get(rest) {
                close.push(id);
            }
            if let Some(&k) = self.key_ids.get(veza_text::phonetic_key(rest).as_str()) {
                close.extend(&self.key_tokens[k as usize]);
            }
        }
        if let Some(g) = veza_text::variant_group(token)
            && let Some(ts) = self.groups.get(&g)
        {
            close.extend(ts);
        }
        if key.len() < 2 {
            return;
        }
        let mut keys: Vec<u32> = Vec::new();
        // keys that are this key plus one letter
        if let Some(ks) = self.deletions.get(key) {
            keys.extend(ks);
        }
        if key.len() < MIN_KEY_FOR_SHORTER {
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                fuzzy.extend(&self.key_tokens[k as usize]);
            }
            return;
        }
        for d in deletions(key) {
            // this key minus one letter
            if let Some(&k) = self.key_ids.get(d.as_str()) {
                keys.push(k);
            }
            // one substitution, in longer keys only (short ones have too
            // many neighbours to be evidence)
            if key.len() >= MIN_KEY_FOR_SUBSTITUTION
                && let Some(ks) = self.deletions.get(d.as_str())
            {
                keys.extend(ks);
            }
        }
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            fuzzy.extend(&self.key_tokens[k as usize]);
        }
    }
}

fn deletions(key: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(key.len());
    for i in 0..key.len() {
        if !key.is_char_boundary(i) {
            continue;
        }
        let mut d = String::with_capacity(key.len());
        d.push_str(&key[..i]);
        let next = key[i..].chars().next().map_or(i + 1, |c| i + c.len_utf8());
        d.push_str(&key[next..]);
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// Entries by unordered pairs of phonetic keys found in one form of a
/// name: what finds a candidate by two of its tokens at once, without
/// reading the long posting list of a common given name.
///
/// Most pairs belong to one entry, so a pair maps to the entry itself
/// (high bit clear) or to a shared list (high bit set).
#[derive(Debug, Default)]
pub(crate) struct PairIndex {
    map: FxHashMap<u64, u32>,
    lists: Vec<Vec<u32>>,
}

const SHARED: u32 = 1 << 31;

/// The pair of two key ids, order-free.
pub(crate) fn key_pair(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

impl PairIndex {
    fn insert(&mut self, pair: u64, entry: u32) {
        match self.map.entry(pair) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(entry);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let v = *o.get();
                if v & SHARED != 0 {
                    let list = &mut self.lists[(v & !SHARED) as usize];
                    if list.last() != Some(&entry) {
                        list.push(entry);
                    }
                } else if v != entry {
                    self.lists.push(vec![v, entry]);
                    o.insert((self.lists.len() - 1) as u32 | SHARED);
                }
            }
        }
    }

    /// The entries holding `pair`.
    pub(crate) fn get(&self, pair: u64) -> &[u32] {
        match self.map.get(&pair) {
            None => &[],
            Some(v) if v & SHARED != 0 => &self.lists[(v & !SHARED) as usize],
            Some(v) => std::slice::from_ref(v),
        }
    }

    fn reserve(&mut self, pairs: usize) {
        self.map.reserve(pairs);
    }

    fn shrink(&mut self) {
        for l in &mut self.lists {
            l.shrink_to_fit();
        }
        self.map.shrink_to_fit();
    }

    fn approximate_bytes(&self) -> usize {
        self.map.capacity() * 13 + self.lists.iter().map(|l| 24 + 4 * l.capacity()).sum::<usize>()
    }
}

/// One watchlist entry, compactly.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) id: Box<str>,
    pub(crate) caption: Box<str>,
    /// Token ids of every form, each form led by a form-start marker.
    pub(crate) forms: Box<[u32]>,
    pub(crate) birth_dates: Box<[BirthDate]>,
    pub(crate) gender: Option<Gender>,
    pub(crate) nationalities: Box<[[u8; 2]]>,
}

impl Entry {
    /// The forms: (unvoweled, token ids).
    pub(crate) fn forms(&self) -> impl Iterator<Item = (bool, &[u32])> {
        let f = &self.forms;
        let mut i = 0;
        std::iter::from_fn(move || {
            if i >= f.len() {
                return None;
            }
            let unvoweled = f[i] == FORM_START_UNVOWELED;
            let start = i + 1;
            let mut end = start;
            while end < f.len() && f[end] < FORM_START {
                end += 1;
            }
            i = end;
            Some((unvoweled, &f[start..end]))
        })
    }
}

pub(crate) fn country_bytes(c: &str) -> Option<[u8; 2]> {
    let b = c.trim().as_bytes();
    (b.len() == 2 && b.is_ascii()).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

/// An in-memory watchlist, built once and screened against many times. It
/// is `Send + Sync`: a web server holds one behind an `Arc` and screens
/// from any number of threads.
#[derive(Debug, Default)]
pub struct Watchlist {
    pub(crate) vocabulary: Vocabulary,
    pub(crate) entries: Vec<Entry>,
    pub(crate) postings: Vec<Vec<u32>>,
    /// Entries by pairs of phonetic keys that one of their forms holds.
    pub(crate) pairs: PairIndex,
    pub(crate) documents: DocumentIndex,
}

impl Watchlist {
    /// An empty watchlist.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a watchlist from persons.
    pub fn build(persons: impl IntoIterator<Item = Person>) -> Self {
        let mut w = Watchlist::new();
        for p in persons {
            w.add(&p);
        }
        w.finish();
        w
    }

    /// Builds from a slice, reading names on all cores first.
    pub fn build_parallel(persons: &[Person]) -> Self {
        use rayon::prelude::*;
        let forms: Vec<Vec<NameForm>> =
            persons.par_iter().map(|p| p.names.iter().flat_map(|n| name_forms(n)).collect()).collect();
        let mut w = Watchlist::new();
        w.entries.reserve(persons.len());
        // at most this many key pairs: reserving them saves the rehashing
        // of a growing map (finish() trims what duplicates left over)
        let pairs: usize = forms.iter().flatten().map(|f| f.tokens.len() * f.tokens.len().saturating_sub(1) / 2).sum();
        w.pairs.reserve(pairs);
        for (p, f) in persons.iter().zip(forms) {
            w.add_with_forms(p, f);
        }
        w.finish();
        w
    }

    /// Adds one person. Call [`finish`](Self::finish) after the last.
    pub fn add(&mut self, person: &Person) -> u32 {
        let forms = person.names.iter().flat_map(|n| name_forms(n)).collect();
        self.add_with_forms(person, forms)
    }

    fn add_with_forms(&mut self, person: &Person, forms: Vec<NameForm>) -> u32 {
        let idx = self.entries.len() as u32;
        let mut tokens = Vec::with_capacity(forms.iter().map(|f| f.tokens.len() + 1).sum());
        let mut seen: Vec<u32> = Vec::new();
        let mut pairs: Vec<u64> = Vec::new();
        for f in &forms {
            tokens.push(if f.unvoweled { FORM_START_UNVOWELED } else { FORM_START });
            let start = tokens.len();
            for t in &f.tokens {
                let id = self.vocabulary.intern(t);
                let key = self.vocabulary.key_of[id as usize];
                for &other in &tokens[start..] {
                    pairs.push(key_pair(self.vocabulary.key_of[other as usize], key));
                }
                tokens.push(id);
                if !seen.contains(&id) {
                    seen.push(id);
                    if self.postings.len() <= id as usize {
                        self.postings.resize_with(id as usize + 1, Vec::new);
                    }
                    self.postings[id as usize].push(idx);
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for p in pairs {
            self.pairs.insert(p, idx);
        }
        let nationalities: Vec<[u8; 2]> = person.nationalities.iter().filter_map(|c| country_bytes(c)).collect();
        for d in &person.documents {
            let (country, number) = split_issuing_country(d);
            let country = country.or_else(|| person.nationalities.first().cloned());
            self.documents.insert(number, country.as_deref(), idx);
        }
        self.entries.push(Entry {
            id: person.id.as_str().into(),
            caption: person.names.first().map(String::as_str).unwrap_or("").into(),
            forms: tokens.into_boxed_slice(),
            birth_dates: person.birth_dates.clone().into_boxed_slice(),
            gender: person.gender,
            nationalities: nationalities.into_boxed_slice(),
        });
        idx
    }

    /// Trims spare capacity once every entry is in.
    pub fn finish(&mut self) {
        for p in &mut self.postings {
            p.shrink_to_fit();
        }
        self.pairs.shrink();
        self.entries.shrink_to_fit();
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id of entry `index` (as [`crate::Hit::entry`] gives it).
    pub fn id(&self, index: usize) -> Option<&str> {
        self.entries.get(index).map(|e| &*e.id)
    }

    /// The main name of entry `index`.
    pub fn caption(&self, index: usize) -> Option<&str> {
        self.entries.get(index).map(|e| &*e.caption)
    }

    /// The number of distinct name tokens.
    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.texts.len()
    }

    /// An estimate of the heap and inline bytes held, for the memory figure.
    pub fn approximate_bytes(&self) -> usize {
        let v = &self.vocabulary;
        let strs: usize = v.texts.iter().map(|t| 2 * (t.len() + 16)).sum();
        let keys: usize = v.key_ids.keys().map(|k| k.len() + 24).sum::<usize>()
            + v.key_tokens.iter().map(|t| 24 + 4 * t.capacity()).sum::<usize>();
        let dels: usize = v.deletions.iter().map(|(k, l)| k.len() + 16 + 24 + 4 * l.capacity()).sum();
        let postings: usize = self.postings.iter().map(|p| 24 + 4 * p.capacity()).sum();
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                std::mem::size_of::<Entry>()
                    + e.id.len()
                    + e.caption.len()
                    + 4 * e.forms.len()
                    + 6 * e.birth_dates.len()
                    + 2 * e.nationalities.len()
            })
            .sum();
        strs + keys + dels + postings + entries + self.documents.approximate_bytes() + self.pairs.approximate_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletions_of_a_key() {
        assert_eq!(deletions("abc"), vec!["bc", "ac", "ab"]);
    }

    #[test]
    fn one_typo_away_is_a_neighbour() {
        let mut v = Vocabulary::default();
        let id = v.intern("mazari");
        let (mut close, mut fuzzy) = (Vec::new(), Vec::new());
        v.neighbours("mqzari", &veza_text::phonetic_key("mqzari"), &[], false, &mut close, &mut fuzzy);
        assert!(fuzzy.contains(&id) && !close.contains(&id));
        fuzzy.clear();
        v.neighbours("mohamed", &veza_text::phonetic_key("mohamed"), &[], false, &mut close, &mut fuzzy);
        assert!(!fuzzy.contains(&id) && !close.contains(&id));
    }

    #[test]
    fn a_short_name_one_letter_short_is_a_neighbour() {
        let mut v = Vocabulary::default();
        let habib = v.intern("habib");
        let bouazza = v.intern("bouazza");
        let (mut close, mut fuzzy) = (Vec::new(), Vec::new());
        v.neighbours("habb", &veza_text::phonetic_key("habb"), &[], false, &mut close, &mut fuzzy);
        assert!(fuzzy.contains(&habib) && !close.contains(&habib));
        v.neighbours("buazza", &veza_text::phonetic_key("buazza"), &[], false, &mut close, &mut fuzzy);
        assert!(fuzzy.contains(&bouazza));
    }

    #[test]
    fn a_joined_article_is_looked_past() {
        let mut v = Vocabulary::default();
        let prefixed = v.intern("elhimsi");
        let plain = v.intern("homsi");
        let (mut close, mut fuzzy) = (Vec::new(), Vec::new());
        v.neighbours("himsi", &veza_text::phonetic_key("himsi"), &[], false, &mut close, &mut fuzzy);
        assert!(close.contains(&prefixed));
        close.clear();
        v.neighbours("alhomsi", &veza_text::phonetic_key("alhomsi"), &[], false, &mut close, &mut fuzzy);
        assert!(close.contains(&plain));
    }

    #[test]
    fn known_variants_are_neighbours() {
        let mut v = Vocabulary::default();
        let id = v.intern("josip");
        let (mut close, mut fuzzy) = (Vec::new(), Vec::new());
        v.neighbours("yusuf", &veza_text::phonetic_key("yusuf"), &[], false, &mut close, &mut fuzzy);
        assert!(close.contains(&id));
    }
}
