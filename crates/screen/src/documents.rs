//! Document look-ups: lost and stolen travel documents, and the document
//! numbers of watchlist entries.
//!
//! A document is its number after [`veza_text::normalise_identifier`] plus
//! its issuing country (ISO 3166-1 alpha-2, may be unknown). A look-up is
//! exact on both (an unknown country on either side matches any). The
//! OCR-tolerant look-up compares [`veza_text::ocr_skeleton`]s and is
//! reported as its own kind, never as an exact match.

use rustc_hash::FxHashMap;
use serde::Serialize;

/// How a document number matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentMatchKind {
    /// The same number after normalisation (case, spaces, dashes).
    Exact,
    /// The same number once letters OCR confuses with digits are folded
    /// (O/0, I/1, S/5, B/8 …): possibly the same document misread.
    OcrConfusion,
}

/// A document found by a look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DocumentMatch {
    /// The position of the record in the list (as added).
    pub record: u32,
    /// How it matched.
    pub kind: DocumentMatchKind,
}

/// A country as two bytes, `[0, 0]` when unknown.
type Country = [u8; 2];

/// A record holding a document, with the document's issuing country.
type Holder = (Country, u32);

fn country_key(country: Option<&str>) -> Country {
    match country.map(str::trim) {
        Some(c) if c.len() == 2 && c.is_ascii() => {
            let b = c.as_bytes();
            [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]
        }
        _ => [0, 0],
    }
}

fn countries_agree(a: Country, b: Country) -> bool {
    a == [0, 0] || b == [0, 0] || a == b
}

/// A normalised document number packed into an integer: each of up to 24
/// characters (A–Z, 0–9) as a digit in base 37, 0 marking none, so that two
/// numbers are equal exactly when their keys are. A look-up hashes one
/// integer instead of comparing strings, and allocates nothing.
type NumberKey = u128;

/// Characters a [`NumberKey`] holds; longer numbers use the string maps.
const PACKED_LEN: usize = 24;

fn pack_char(c: u8) -> u128 {
    match c {
        b'0'..=b'9' => u128::from(c - b'0') + 1,
        _ => u128::from(c - b'A') + 11,
    }
}

/// The OCR skeleton of one normalised character (see
/// [`veza_text::ocr_skeleton`]).
fn ocr_char(c: u8) -> u8 {
    match c {
        b'O' | b'Q' | b'D' => b'0',
        b'I' | b'L' => b'1',
        b'Z' => b'2',
        b'S' => b'5',
        b'G' => b'6',
        b'B' => b'8',
        c => c,
    }
}

/// A document number, normalised ([`veza_text::normalise_identifier`]):
/// packed (exact and OCR skeleton) when short enough, else as strings.
enum Number {
    Packed { exact: NumberKey, ocr: NumberKey, len: usize },
    Long { exact: String, ocr: String },
}

impl Number {
    fn of(number: &str) -> Number {
        if number.is_ascii() {
            let (mut exact, mut ocr, mut len) = (0u128, 0u128, 0usize);
            for c in number.bytes().filter(u8::is_ascii_alphanumeric) {
                let c = c.to_ascii_uppercase();
                len += 1;
                if len > PACKED_LEN {
                    break;
                }
                exact = exact * 37 + pack_char(c);
                ocr = ocr * 37 + pack_char(ocr_char(c));
            }
            if len <= PACKED_LEN {
                return Number::Packed { exact, ocr, len };
            }
        }
        let exact = veza_text::normalise_identifier(number);
        if exact.len() <= PACKED_LEN {
            // non-ASCII letters folded to ASCII: pack the folded form
            return Number::of(&exact);
        }
        let ocr = veza_text::ocr_skeleton(&exact);
        Number::Long { exact, ocr }
    }

    fn len(&self) -> usize {
        match self {
            Number::Packed { len, .. } => *len,
            Number::Long { exact, .. } => exact.len(),
        }
    }
}

/// The records holding one number: one inline (most numbers), or several.
#[derive(Debug, Clone)]
enum Holders {
    One([(Country, u32); 1]),
    Many(Vec<(Country, u32)>),
}

impl Holders {
    fn push(&mut self, c: Country, r: u32) {
        match self {
            Holders::One([first]) => *self = Holders::Many(vec![*first, (c, r)]),
            Holders::Many(v) => v.push((c, r)),
        }
    }

    fn as_slice(&self) -> &[(Country, u32)] {
        match self {
            Holders::One(one) => one,
            Holders::Many(v) => v,
        }
    }
}

fn add(map: &mut FxHashMap<NumberKey, Holders>, key: NumberKey, c: Country, r: u32) {
    match map.get_mut(&key) {
        Some(h) => h.push(c, r),
        None => {
            map.insert(key, Holders::One([(c, r)]));
        }
    }
}

/// An index of document numbers: exact and OCR-tolerant look-ups.
#[derive(Debug, Default)]
pub struct DocumentIndex {
    exact: FxHashMap<NumberKey, Holders>,
    ocr: FxHashMap<NumberKey, Holders>,
    long_exact: FxHashMap<Box<str>, Vec<(Country, u32)>>,
    long_ocr: FxHashMap<Box<str>, Vec<(Country, u32)>>,
    len: usize,
}

impl DocumentIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the document `number` of `country` held by record `record`.
    /// Numbers shorter than 4 characters after normalisation are ignored:
    /// they identify nothing.
    pub fn insert(&mut self, number: &str, country: Option<&str>, record: u32) {
        let n = Number::of(number);
        if n.len() < 4 {
            return;
        }
        let c = country_key(country);
        match n {
            Number::Packed { exact, ocr, .. } => {
                add(&mut self.exact, exact, c, record);
                add(&mut self.ocr, ocr, c, record);
            }
            Number::Long { exact, ocr } => {
                self.long_exact.entry(exact.into_boxed_str()).or_default().push((c, record));
                self.long_ocr.entry(ocr.into_boxed_str()).or_default().push((c, record));
            }
        }
        self.len += 1;
    }

    /// An estimate of the bytes held.
    pub fn approximate_bytes(&self) -> usize {
        let packed = |m: &FxHashMap<NumberKey, Holders>| -> usize {
            m.capacity() * (std::mem::size_of::<(NumberKey, Holders)>() + 1)
                + m.values().map(|h| if let Holders::Many(v) = h { 8 * v.capacity() } else { 0 }).sum::<usize>()
        };
        let long = |m: &FxHashMap<Box<str>, Vec<(Country, u32)>>| -> usize {
            m.iter().map(|(k, v)| 16 + k.len() + 24 + 8 * v.capacity() + 8).sum()
        };
        packed(&self.exact) + packed(&self.ocr) + long(&self.long_exact) + long(&self.long_ocr)
    }

    /// How many documents were added.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The records holding document `number` of `country`: exact matches
    /// first, then OCR-confusion matches that are not exact.
    pub fn find(&self, number: &str, country: Option<&str>) -> Vec<DocumentMatch> {
        let mut out = Vec::new();
        self.find_into(number, country, &mut out);
        out
    }

    /// [`find`](Self::find) into a buffer the caller reuses.
    pub fn find_into(&self, number: &str, country: Option<&str>, out: &mut Vec<DocumentMatch>) {
        let n = Number::of(number);
        if n.len() < 4 {
            return;
        }
        let c = country_key(country);
        let (exact, ocr): (&[Holder], &[Holder]) = match &n {
            Number::Packed { exact, ocr, .. } => {
                (self.exact.get(exact).map_or(&[], Holders::as_slice), self.ocr.get(ocr).map_or(&[], Holders::as_slice))
            }
            Number::Long { exact, ocr } => (
                self.long_exact.get(exact.as_str()).map_or(&[], Vec::as_slice),
                self.long_ocr.get(ocr.as_str()).map_or(&[], Vec::as_slice),
            ),
        };
        let start = out.len();
        for &(hc, r) in exact {
            if countries_agree(c, hc) {
                out.push(DocumentMatch { record: r, kind: DocumentMatchKind::Exact });
            }
        }
        for &(hc, r) in ocr {
            if countries_agree(c, hc) && !out[start..].iter().any(|m| m.record == r) {
                out.push(DocumentMatch { record: r, kind: DocumentMatchKind::OcrConfusion });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> DocumentIndex {
        let mut d = DocumentIndex::new();
        d.insert("212599310", Some("RS"), 0);
        d.insert("P28556321", Some("AF"), 1);
        d.insert("T36-505-32", None, 2);
        d
    }

    #[test]
    fn exact_after_normalisation() {
        let d = index();
        assert_eq!(d.find("t36 505 32", None), vec![DocumentMatch { record: 2, kind: DocumentMatchKind::Exact }]);
        assert_eq!(d.find("212-599-310", Some("rs"))[0].kind, DocumentMatchKind::Exact);
    }

    #[test]
    fn another_country_is_another_document() {
        assert!(index().find("212599310", Some("HR")).is_empty());
    }

    #[test]
    fn ocr_confusion_is_flagged_separately() {
        let d = index();
        assert_eq!(d.find("21259931O", None), vec![DocumentMatch { record: 0, kind: DocumentMatchKind::OcrConfusion }]);
        assert_eq!(d.find("P2855632I", Some("AF"))[0].kind, DocumentMatchKind::OcrConfusion);
    }

    #[test]
    fn long_and_non_ascii_numbers_are_found_too() {
        let mut d = DocumentIndex::new();
        d.insert("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", None, 7);
        d.insert("Č123456", Some("HR"), 8);
        assert_eq!(d.find("abcdefghijklmnopqrstuvwxyz-0123", None)[0].kind, DocumentMatchKind::Exact);
        assert_eq!(d.find("ABCDEFGHIJKLMN0PQRSTUVWXYZ0123", None)[0].kind, DocumentMatchKind::OcrConfusion);
        assert_eq!(d.find("C123456", Some("HR")), vec![DocumentMatch { record: 8, kind: DocumentMatchKind::Exact }]);
    }

    proptest::proptest! {
        /// Packing keeps numbers apart: two numbers match exactly when their
        /// normalised forms are equal.
        #[test]
        fn packed_keys_are_exact(a in "[A-Z0-9]{4,26}", b in "[A-Z0-9]{4,26}") {
            let mut d = DocumentIndex::new();
            d.insert(&a, None, 1);
            let exact = d.find(&b, None).iter().any(|m| m.kind == DocumentMatchKind::Exact);
            proptest::prop_assert_eq!(exact, a == b);
        }
    }

    #[test]
    fn a_near_miss_is_no_match() {
        assert!(index().find("212599311", None).is_empty());
        assert!(index().find("P28556327", None).is_empty());
    }
}
