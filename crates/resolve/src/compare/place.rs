//! Addresses, towns, regions and other text: folded, then equal, close or
//! different.

use strsim::jaro_winkler;

/// Levels of an address.
pub const ADDRESS_LEVELS: &[&str] = &["exact", "close", "similar", "different"];
/// Levels of a town or region.
pub const PLACE_LEVELS: &[&str] = &["exact", "close", "different"];
/// Levels of a categorical or exact value.
pub const EXACT_LEVELS: &[&str] = &["exact", "different"];

/// Folded text (`veza_text::fold`); `None` when empty.
pub fn prepare_text(text: &str) -> Option<String> {
    Some(veza_text::fold(text)).filter(|s| !s.is_empty())
}

fn jw(a: &str, b: &str) -> f64 {
    jaro_winkler(a, b).max(jaro_winkler(b, a))
}

fn squeezed_equal(a: &str, b: &str) -> bool {
    a.chars().filter(|c| *c != ' ').eq(b.chars().filter(|c| *c != ' '))
}

/// Level of two folded addresses.
pub fn address_level(a: &str, b: &str) -> u8 {
    if a == b {
        return 0;
    }
    let s = jw(a, b);
    if squeezed_equal(a, b) || s >= 0.92 {
        1
    } else if s >= 0.82 {
        2
    } else {
        3
    }
}

/// Level of two folded towns or regions.
pub fn place_level(a: &str, b: &str) -> u8 {
    if a == b {
        0
    } else if squeezed_equal(a, b) || jw(a, b) >= 0.9 {
        1
    } else {
        2
    }
}

/// Level of two folded categorical or exact values.
pub fn exact_level(a: &str, b: &str) -> u8 {
    if a == b { 0 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_levels() {
        assert_eq!(address_level("pridham street", "pridham street"), 0);
        assert_eq!(address_level("pridham street", "pridhamstreet"), 1);
        assert_eq!(address_level("hoseason street", "hoseasn street"), 1);
        assert_eq!(address_level("goldfinch circuit", "goldfinh cct"), 1);
        assert_eq!(address_level("goldfinch circuit", "maltby street"), 3);
    }

    #[test]
    fn place_and_exact_levels() {
        assert_eq!(place_level("cleveland", "cleveland"), 0);
        assert_eq!(place_level("cleveland", "clevelnd"), 1);
        assert_eq!(place_level("cleveland", "marsden"), 2);
        assert_eq!(exact_level("f", "f"), 0);
        assert_eq!(exact_level("f", "m"), 1);
    }
}
