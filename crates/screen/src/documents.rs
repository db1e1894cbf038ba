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

/// An index of document numbers: exact and OCR-tolerant look-ups.
#[derive(Debug, Default)]
pub struct DocumentIndex {
    exact: FxHashMap<Box<str>, Vec<(Country, u32)>>,
    ocr: FxHashMap<Box<str>, Vec<(Country, u32)>>,
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
        let n = veza_text::normalise_identifier(number);
        if n.len() < 4 {
            return;
        }
        let c = country_key(country);
        let s = veza_text::ocr_skeleton(&n);
        self.exact.entry(n.into_boxed_str()).or_default().push((c, record));
        self.ocr.entry(s.into_boxed_str()).or_default().push((c, record));
        self.len += 1;
    }

    /// An estimate of the bytes held.
    pub fn approximate_bytes(&self) -> usize {
        let side = |m: &FxHashMap<Box<str>, Vec<(Country, u32)>>| -> usize {
            m.iter().map(|(k, v)| 16 + k.len() + 24 + 8 * v.capacity() + 8).sum()
        };
        side(&self.exact) + side(&self.ocr)
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
        let n = veza_text::normalise_identifier(number);
        if n.len() < 4 {
            return;
        }
        let c = country_key(country);
        let start = out.len();
        if let Some(hits) = self.exact.get(n.as_str()) {
            for &(hc, r) in hits {
                if countries_agree(c, hc) {
                    out.push(DocumentMatch { record: r, kind: DocumentMatchKind::Exact });
                }
            }
        }
        let s = veza_text::ocr_skeleton(&n);
        if let Some(hits) = self.ocr.get(s.as_str()) {
            for &(hc, r) in hits {
                if countries_agree(c, hc) && !out[start..].iter().any(|m| m.record == r) {
                    out.push(DocumentMatch { record: r, kind: DocumentMatchKind::OcrConfusion });
                }
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
    fn a_near_miss_is_no_match() {
        assert!(index().find("212599311", None).is_empty());
        assert!(index().find("P28556327", None).is_empty());
    }
}
