//! Case, accent and script folding.

use crate::cyrillic::serbian_macedonian_latin;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for search and comparison: lower case, no diacritics, Serbian
/// and Macedonian Cyrillic romanised, other scripts transliterated to ASCII,
/// punctuation turned into single spaces, and surrounding space trimmed.
///
/// Latin letters that carry their own identity in the region's languages are
/// folded the way local spellings do: `đ` → `dj`, `ß` → `ss`, `ı` → `i`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
        // Fast path: ASCII letters and digits, most of every name in the region.
        if c.is_ascii_alphanumeric() {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let piece = fold_char(c);
        match piece {
            Folded::Skip => {}
            Folded::Space => pending_space = !out.is_empty(),
            Folded::Text(s) => {
                for f in s.chars() {
                    if f.is_alphanumeric() {
                        if pending_space {
                            out.push(' ');
                            pending_space = false;
                        }
                        out.extend(f.to_lowercase());
                    } else {
                        pending_space = !out.is_empty();
                    }
                }
            }
        }
    }
    out
}

/// Folds an identifier (document number, account number): like [`fold`] but
/// every separator is dropped, so `AB 12-345` and `ab12345` agree.
pub fn fold_identifier(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The folded tokens of a text, in order, duplicates kept.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text).split(' ').filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

enum Folded {
    Skip,
    Space,
    Text(std::borrow::Cow<'static, str>),
}

fn fold_char(c: char) -> Folded {
    if c.is_whitespace() {
        return Folded::Space;
    }
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Folded::Text(std::borrow::Cow::Owned(c.to_ascii_lowercase().to_string()))
        } else {
            Folded::Space
        };
    }
    if is_combining_mark(c) {
        return Folded::Skip;
    }
    if let Some(latin) = serbian_macedonian_latin(c) {
        return Folded::Text(latin.into());
    }
    match c {
        'đ' | 'Đ' => return Folded::Text("dj".into()),
        'ı' | 'İ' => return Folded::Text("i".into()),
        'ß' | 'ẞ' => return Folded::Text("ss".into()),
        'ë' | 'Ë' => return Folded::Text("e".into()),
        _ => {}
    }
    // Strip accents by decomposition first, so that the Latin base letter is
    // kept; transliterate what is left in other scripts.
    let mut base = String::new();
    for d in c.nfd() {
        if !is_combining_mark(d) {
            base.push(d);
        }
    }
    if base.is_ascii() {
        return Folded::Text(base.into());
    }
    let ascii = deunicode::deunicode(&base);
    if ascii.trim().is_empty() { Folded::Space } else { Folded::Text(ascii.into()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_and_case_are_ignored() {
        assert_eq!(fold("José MARÍA"), "jose maria");
        assert_eq!(fold("Petrović"), "petrovic");
        assert_eq!(fold("Çelik Şahin"), "celik sahin");
        assert_eq!(fold("Hoxhë"), "hoxhe");
    }

    #[test]
    fn serbian_cyrillic_meets_its_latin_spelling() {
        assert_eq!(fold("Ђорђе Петровић"), fold("Đorđe Petrović"));
        assert_eq!(fold("Љубица Њежић"), "ljubica njezic");
    }

    #[test]
    fn macedonian_letters_are_romanised() {
        assert_eq!(fold("Ѓорѓи Ќосев"), "gjorgji kjosev");
    }

    #[test]
    fn turkish_dotless_i_folds_to_i() {
        assert_eq!(fold("KILIÇ Yıldız"), "kilic yildiz");
    }

    #[test]
    fn arabic_script_is_transliterated_to_something_searchable() {
        let folded = fold("محمد");
        assert!(!folded.is_empty());
        assert!(folded.is_ascii());
    }

    #[test]
    fn punctuation_becomes_single_spaces() {
        assert_eq!(fold("  O'Neil -- Smith,  Jr. "), "o neil smith jr");
    }

    #[test]
    fn identifiers_lose_separators() {
        assert_eq!(fold_identifier("AB 12-345"), "ab12345");
    }

    #[test]
    fn tokens_split_on_spaces() {
        assert_eq!(tokens("Ana-Marija Kovač"), vec!["ana", "marija", "kovac"]);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn folded_text_is_lower_ascii_words(s in "\\PC{0,40}") {
            let f = fold(&s);
            prop_assert!(f.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '));
            prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
        }
    }
}
