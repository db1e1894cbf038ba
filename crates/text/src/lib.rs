//! Text engine of Veza: folding, transliteration, MRZ forms, phonetic keys,
//! name parsing, known name variants, similarity and identifier
//! normalisation, for search and for screening names across scripts.
//!
//! Pure functions only: no I/O.
//!
//! ```
//! use veza_text::{fold, phonetic_key, mrz_name, transliterate, Table};
//! assert_eq!(fold("José"), "jose");
//! assert_eq!(fold("Petrović"), "petrovic");
//! assert_eq!(fold("Петровић"), "petrovic");
//! assert_eq!(fold("Đorđe"), "djordje");
//! assert_eq!(transliterate("Ђорђе", Table::Serbian), "Đorđe");
//! assert_eq!(mrz_name("Đorđe"), "DORDE");
//! assert_eq!(phonetic_key("djordje"), phonetic_key("dorde"));
//! ```

mod cyrillic;
mod distance;
mod fold;
mod identifier;
mod mrz;
mod names;
mod phonetic;
mod readings;
mod similarity;
mod translit;
mod variants;

pub use fold::{fold, fold_identifier, tokens};
pub use identifier::{normalise_identifier, ocr_skeleton};
pub use mrz::{mrz_field, mrz_name, parse_mrz_field};
pub use names::{
    ARTICLES, NameParts, PATRONYMIC_MARKERS, SURNAME_PARTICLES, name_tokens, parse_name, strip_apostrophes,
};
pub use phonetic::phonetic_key;
pub use readings::{has_other_readings, keys_meet, other_keys};
pub use similarity::{
    TokenRule, consonant_skeleton, edit_distance, has_joined_prefix, is_gender_pair, jaro_winkler,
    same_consonant_skeleton, spelling_may_reach, token_set_ratio, token_similarity, token_similarity_keyed,
    token_similarity_meet, without_joined_prefix,
};
pub use translit::{Table, has_arabic, has_cyrillic, has_greek, transliterate};
pub use variants::{same_name_variant, variant_group};

/// Every Latin reading of a name worth comparing, folded: the name itself,
/// and for Cyrillic, Greek or Arabic script one reading per national table
/// (duplicates removed). `Ђорђе` gives `djordje` (Serbian) and `dorde` (ICAO).
pub fn latin_readings(name: &str) -> Vec<String> {
    let mut out = vec![fold(&strip_apostrophes(name))];
    if has_cyrillic(name) {
        // Serbian (its table and the fold cover Macedonian letters too),
        // ICAO (= the Russian passport table) and Bulgarian: the others
        // differ from these only in ways the phonetic key absorbs.
        for t in [Table::Serbian, Table::Icao, Table::Bulgarian] {
            out.push(fold(&transliterate(name, t)));
        }
    }
    if has_greek(name) {
        out.push(fold(&transliterate(name, Table::Greek)));
    }
    if has_arabic(name) {
        out[0] = fold(&transliterate(&strip_apostrophes(name), Table::Arabic));
    }
    let mut seen = Vec::with_capacity(out.len());
    for o in out {
        if !seen.contains(&o) {
            seen.push(o);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn djordje_in_every_spelling_is_one_name() {
        let forms = ["Ђорђе", "Đorđe", "Djordje", "Dorde", "DORDE", "DJORDJE"];
        for a in forms {
            for b in forms {
                let ok = latin_readings(a)
                    .iter()
                    .any(|x| latin_readings(b).iter().any(|y| token_similarity(x, y, false).0 >= 0.9));
                assert!(ok, "{a} vs {b}");
            }
        }
        assert_eq!(phonetic_key(&fold("Ђорђе")), phonetic_key("dorde"));
    }

    #[test]
    fn readings_cover_the_national_tables() {
        let r = latin_readings("Джамбазов");
        assert!(r.contains(&"dzhambazov".to_string()));
        assert!(latin_readings("Ђорђе").contains(&"dorde".to_string()));
    }
}
