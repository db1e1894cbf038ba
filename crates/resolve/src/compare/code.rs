//! Identifiers, postcodes and phone numbers: compared after normalisation
//! (separators, case and script dropped; phones on their digits).

/// Levels of identifiers and postcodes.
pub const CODE_LEVELS: &[&str] = &["exact", "typo", "different"];
/// Levels of phone numbers.
pub const PHONE_LEVELS: &[&str] = &["exact", "same_subscriber", "typo", "different"];

/// An identifier or postcode without separators, folded (`AB 12-345` → `ab12345`).
pub fn prepare_code(text: &str) -> Option<String> {
    Some(veza_text::fold_identifier(text)).filter(|s| !s.is_empty())
}

/// A phone number's digits with leading zeros and `+` dropped.
pub fn prepare_phone(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    Some(digits.trim_start_matches('0').to_owned()).filter(|s| s.len() >= 4)
}

/// Level of two codes: equal, one edit apart (a typo), or different.
pub fn code_level(a: &str, b: &str) -> u8 {
    if a == b {
        0
    } else if a.len().min(b.len()) >= 3 && within_one_edit(a.as_bytes(), b.as_bytes()) {
        1
    } else {
        2
    }
}

/// Level of two phone numbers' digits: equal; the same last eight digits
/// (one written with a country or trunk code); one edit apart; different.
pub fn phone_level(a: &str, b: &str) -> u8 {
    if a == b {
        return 0;
    }
    let tail = |s: &str| s.len() >= 8;
    if tail(a) && tail(b) && (a.ends_with(b) || b.ends_with(a) || a[a.len() - 8..] == b[b.len() - 8..]) {
        return 1;
    }
    if within_one_edit(a.as_bytes(), b.as_bytes()) {
        return 2;
    }
    3
}

/// Whether `a` and `b` differ by at most one substitution, insertion,
/// deletion or transposition of neighbours. Linear, no allocation.
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let p = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if p == short.len() {
        return true;
    }
    if short.len() == long.len() {
        // Substitution at p, or a transposition of p and p + 1.
        short[p + 1..] == long[p + 1..]
            || (p + 1 < short.len()
                && short[p] == long[p + 1]
                && short[p + 1] == long[p]
                && short[p + 2..] == long[p + 2..])
    } else {
        // Deletion from the longer at p.
        short[p..] == long[p + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_compare_without_separators() {
        let a = prepare_code("AB 12-345").unwrap();
        let b = prepare_code("ab12345").unwrap();
        assert_eq!(code_level(&a, &b), 0);
        assert_eq!(code_level(&a, "ab12354"), 1);
        assert_eq!(code_level(&a, "zz99999"), 2);
    }

    #[test]
    fn phones_with_and_without_country_code_are_the_same_subscriber() {
        let a = prepare_phone("+381 64 123 4567").unwrap();
        let b = prepare_phone("064/123-4567").unwrap();
        assert_eq!(phone_level(&a, &b), 1);
        assert_eq!(phone_level(&a, &a), 0);
        assert_eq!(phone_level("641234567", "641234568"), 2);
        assert_eq!(phone_level("641234567", "659876543"), 3);
        assert_eq!(prepare_phone("12"), None);
    }

    #[test]
    fn one_edit_is_substitution_insertion_deletion_or_transposition() {
        for (a, b, want) in [
            ("4011", "4011", true),
            ("4011", "4012", true),
            ("4011", "401", true),
            ("4011", "0411", true),
            ("4011", "40111", true),
            ("4011", "4100", false),
            ("4011", "23", false),
            ("abcd", "badc", false),
        ] {
            assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), want, "{a} {b}");
            assert_eq!(within_one_edit(b.as_bytes(), a.as_bytes()), want, "{b} {a}");
        }
    }
}
