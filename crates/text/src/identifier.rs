//! Document and identifier numbers.
//!
//! Document numbers are written with spaces, dashes, dots or slashes in some
//! registers and without in others (ICAO 9303 allows only A–Z and 0–9 in the
//! MRZ document-number field), and in any case: [`normalise_identifier`]
//! keeps what identifies.
//!
//! Optical character recognition of the MRZ (OCR-B font) and hand keying
//! confuse letters and digits of similar shape. [`ocr_skeleton`] folds the
//! pairs that ICAO 9303 Part 3 (section 4.3, OCR-B) and the OCR literature
//! report as the frequent confusions: O/Q/D→0, I/L→1, Z→2, S→5, G→6, B→8.
//! It is a separate function so that a match through it is reported as such,
//! never mixed with an exact match.

/// Upper-case ASCII letters and digits only: `ab 12-345` → `AB12345`.
/// Letters with accents lose them; other scripts are transliterated first.
pub fn normalise_identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !c.is_ascii() {
            for f in crate::fold(&c.to_string()).chars() {
                if f.is_ascii_alphanumeric() {
                    out.push(f.to_ascii_uppercase());
                }
            }
        }
    }
    out
}

/// The identifier with the letters that OCR confuses with digits replaced by
/// those digits (O, Q, D → 0; I, L → 1; Z → 2; S → 5; G → 6; B → 8), after
/// [`normalise_identifier`]. Two numbers with the same skeleton may be the
/// same document read or keyed wrongly.
pub fn ocr_skeleton(text: &str) -> String {
    normalise_identifier(text)
        .chars()
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'Z' => '2',
            'S' => '5',
            'G' => '6',
            'B' => '8',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn separators_and_case_go() {
        assert_eq!(normalise_identifier("t36-505-32"), "T3650532");
        assert_eq!(normalise_identifier(" HR 219 209 256 "), "HR219209256");
        assert_eq!(normalise_identifier("č12"), "C12");
    }

    #[test]
    fn ocr_confusions_fold() {
        assert_eq!(ocr_skeleton("21259931O"), ocr_skeleton("212599310"));
        assert_eq!(ocr_skeleton("P2855632I"), ocr_skeleton("P28556321"));
        assert_eq!(ocr_skeleton("B5"), ocr_skeleton("8S"));
        assert_ne!(ocr_skeleton("P2855632I"), ocr_skeleton("P28556327"));
    }

    proptest! {
        #[test]
        fn normalised_is_upper_ascii_and_idempotent(s in "\\PC{0,30}") {
            let n = normalise_identifier(&s);
            prop_assert!(n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            prop_assert_eq!(normalise_identifier(&n), n.clone());
            prop_assert_eq!(ocr_skeleton(&ocr_skeleton(&s)), ocr_skeleton(&s));
        }
    }
}
