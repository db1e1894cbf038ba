//! Vehicle look-ups: stolen or wanted vehicles, and the vehicles of a case,
//! by registration plate.
//!
//! A vehicle is its registration number after
//! [`veza_text::normalise_identifier`] (case, spaces, dashes and accents do
//! not matter: `SK 123-AB` is `SK123AB`) plus its registration country (ISO
//! 3166-1 alpha-2, may be unknown; an unknown country on either side matches
//! any). The look-up is exact; a plate that differs only in characters an
//! ANPR camera or an officer misreads (O/0, I/1, S/5, B/8 …) is a separate,
//! flagged match ([`VehicleMatchKind::OcrConfusion`]), never an exact one.
//! The keys and their packing are the document index's: a plate is an
//! identifier like a document number.

use crate::documents::{DocumentIndex, DocumentMatchKind};
use serde::Serialize;

/// How a registration matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleMatchKind {
    /// The same registration after normalisation.
    Exact,
    /// The same registration once letters confused with digits are folded:
    /// possibly the same plate misread, to be checked by eye.
    OcrConfusion,
}

/// A vehicle found by a look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VehicleMatch {
    /// The position of the record in the list (as added).
    pub record: u32,
    /// How it matched.
    pub kind: VehicleMatchKind,
}

/// Fewest letters and digits a registration needs to be looked up: shorter
/// ones (a `B 1` vanity plate, a fragment) would find too many vehicles.
pub const MIN_REGISTRATION_LEN: usize = 4;

/// An index of registration plates: exact and OCR-tolerant look-ups.
#[derive(Debug, Default)]
pub struct VehicleIndex {
    plates: DocumentIndex,
}

impl VehicleIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the vehicle `record` registered as `registration` in `country`.
    /// Registrations shorter than [`MIN_REGISTRATION_LEN`] after
    /// normalisation are ignored.
    pub fn insert(&mut self, registration: &str, country: Option<&str>, record: u32) {
        self.plates.insert(registration, country, record);
    }

    /// How many vehicles were added.
    pub fn len(&self) -> usize {
        self.plates.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.plates.is_empty()
    }

    /// An estimate of the bytes held.
    pub fn approximate_bytes(&self) -> usize {
        self.plates.approximate_bytes()
    }

    /// The vehicles registered as `registration` in `country`: exact
    /// matches first, then OCR-confusion matches that are not exact.
    pub fn find(&self, registration: &str, country: Option<&str>) -> Vec<VehicleMatch> {
        let mut out = Vec::new();
        self.find_into(registration, country, &mut out);
        out
    }

    /// [`find`](Self::find) into a buffer the caller reuses (appended to).
    pub fn find_into(&self, registration: &str, country: Option<&str>, out: &mut Vec<VehicleMatch>) {
        out.extend(self.plates.find(registration, country).into_iter().map(|m| VehicleMatch {
            record: m.record,
            kind: match m.kind {
                DocumentMatchKind::Exact => VehicleMatchKind::Exact,
                DocumentMatchKind::OcrConfusion => VehicleMatchKind::OcrConfusion,
            },
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> VehicleIndex {
        let mut v = VehicleIndex::new();
        v.insert("SK-1234-AB", Some("mk"), 0);
        v.insert("BG 987-OO", Some("RS"), 1);
        v.insert("TR 555", None, 2);
        v
    }

    fn exact(record: u32) -> VehicleMatch {
        VehicleMatch { record, kind: VehicleMatchKind::Exact }
    }

    #[test]
    fn plates_match_whatever_their_spacing_and_case() {
        let v = index();
        assert_eq!(v.find("sk 1234 ab", Some("MK")), vec![exact(0)]);
        assert_eq!(v.find("SK1234AB", None), vec![exact(0)], "an unknown country matches any");
        assert_eq!(v.find("tr-555", Some("al")), vec![exact(2)], "a record without country matches any");
    }

    #[test]
    fn the_same_plate_of_another_country_is_another_vehicle() {
        assert!(index().find("SK-1234-AB", Some("RS")).is_empty());
    }

    #[test]
    fn a_misread_plate_is_a_separate_flagged_match() {
        let v = index();
        // 0 read for O, 5 for S, 8 for B.
        assert_eq!(
            v.find("BG 987-00", Some("rs")),
            vec![VehicleMatch { record: 1, kind: VehicleMatchKind::OcrConfusion }]
        );
        assert_eq!(v.find("5K-1234-A8", Some("mk"))[0].kind, VehicleMatchKind::OcrConfusion);
    }

    #[test]
    fn a_near_miss_or_a_fragment_is_no_match() {
        let v = index();
        assert!(v.find("SK-1235-AB", None).is_empty());
        assert!(v.find("SK1", None).is_empty(), "too short to identify a vehicle");
        let mut short = VehicleIndex::new();
        short.insert("B 1", None, 0);
        assert!(short.is_empty(), "a plate too short is not indexed");
    }

    #[test]
    fn several_vehicles_may_share_a_plate() {
        let mut v = VehicleIndex::new();
        v.insert("NS-001-AA", Some("rs"), 0);
        v.insert("NS 001 AA", Some("rs"), 1);
        let found: Vec<u32> = v.find("ns001aa", Some("rs")).iter().map(|m| m.record).collect();
        assert_eq!(found, vec![0, 1]);
        assert_eq!(v.len(), 2);
    }

    proptest::proptest! {
        /// A plate is found exactly under any spacing, dashes and case, and
        /// another plate is never an exact match.
        #[test]
        fn exact_means_the_same_plate(a in "[A-Z0-9]{4,10}", b in "[A-Z0-9]{4,10}", gaps in proptest::collection::vec(0usize..3, 10)) {
            let mut v = VehicleIndex::new();
            v.insert(&a, Some("mk"), 7);
            let spaced: String = a
                .chars()
                .zip(gaps.iter().cycle())
                .map(|(c, g)| format!("{}{}", c.to_ascii_lowercase(), ["", " ", "-"][*g]))
                .collect();
            proptest::prop_assert_eq!(v.find(&spaced, Some("MK")), vec![VehicleMatch { record: 7, kind: VehicleMatchKind::Exact }]);
            let exact_b = v.find(&b, Some("mk")).iter().any(|m| m.kind == VehicleMatchKind::Exact);
            proptest::prop_assert_eq!(exact_b, a == b);
        }
    }
}
