//! Names: the one place where personal names are normalised and compared.
//! Everything name-specific (folding, phonetic key, similarity) goes through
//! here, so a better name engine can replace it in one module.

use strsim::jaro_winkler;

/// Comparison levels of a name, most similar first.
pub const LEVELS: &[&str] = &["exact", "transliteration_equal", "close", "similar", "phonetic", "different"];

/// A name made ready for comparison once per record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedName {
    /// Lower case as written, spaces collapsed: equal means exactly the same name.
    pub written: String,
    /// Folded (`veza_text::fold`): case, accents and script removed.
    pub folded: String,
    /// Folded tokens sorted, so `krasniqi arben` and `arben krasniqi` agree.
    pub sorted: String,
    /// A phonetic key of the folded name.
    pub phonetic: String,
}

/// Prepares a name; `None` when nothing is left after folding.
pub fn prepare(text: &str) -> Option<PreparedName> {
    let folded = veza_text::fold(text);
    if folded.is_empty() {
        return None;
    }
    let written = text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ");
    let mut tokens: Vec<&str> = folded.split(' ').collect();
    tokens.sort_unstable();
    let sorted = tokens.join(" ");
    let phonetic = tokens.iter().map(|t| phonetic_key(t)).collect::<Vec<_>>().join(" ");
    Some(PreparedName { written, folded, sorted, phonetic })
}

/// The level of two prepared names (an index into [`LEVELS`]). Symmetric.
pub fn level(a: &PreparedName, b: &PreparedName) -> u8 {
    if a.written == b.written {
        return 0;
    }
    if a.folded == b.folded || a.sorted == b.sorted {
        return 1;
    }
    let jw = similarity(a, b);
    if jw >= 0.94 {
        2
    } else if jw >= 0.86 {
        3
    } else if a.phonetic == b.phonetic {
        4
    } else {
        5
    }
}

/// Jaro-Winkler similarity of two names, in either token order; symmetric.
pub fn similarity(a: &PreparedName, b: &PreparedName) -> f64 {
    let direct = jw_sym(&a.folded, &b.folded);
    if a.folded.contains(' ') || b.folded.contains(' ') { direct.max(jw_sym(&a.sorted, &b.sorted)) } else { direct }
}

fn jw_sym(a: &str, b: &str) -> f64 {
    // strsim's Jaro-Winkler is symmetric in theory; take the larger of both
    // orders so floating point never makes a comparison depend on order.
    jaro_winkler(a, b).max(jaro_winkler(b, a))
}

/// A phonetic key of one folded token: the first letter, then consonant
/// classes with repeats and vowels dropped, at most six characters. Letters
/// the region's spellings swap (`c`/`k`/`q`, `v`/`w`, `s`/`z`, `j`/`y`/`i`)
/// fall in one class, and common digraphs (`sh`, `ch`, `zh`, `dj`, `ph`,
/// `th`, `ck`) are read as one sound.
pub fn phonetic_key(token: &str) -> String {
    let chars: Vec<char> = token.chars().filter(char::is_ascii_alphabetic).collect();
    let mut out = String::new();
    let mut last: Option<char> = None;
    let mut i = 0;
    while i < chars.len() && out.len() < 6 {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (class, step) = match (c, next) {
            ('s' | 'c' | 'z', Some('h')) => ('s', 2),
            ('d', Some('j' | 'z')) => ('j', 2),
            ('p', Some('h')) => ('f', 2),
            ('t', Some('h')) => ('t', 2),
            ('c', Some('k')) => ('k', 2),
            ('k', Some('h')) => ('k', 2),
            _ => (class_of(c), 1),
        };
        if out.is_empty() {
            out.push(if class == '.' { 'a' } else { class });
            last = Some(class);
        } else if class != '.' && Some(class) != last {
            out.push(class);
            last = Some(class);
        } else if class == '.' {
            last = None;
        }
        i += step;
    }
    out
}

fn class_of(c: char) -> char {
    match c {
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' => '.',
        'b' | 'p' => 'b',
        'f' | 'v' | 'w' => 'f',
        'c' | 'k' | 'q' | 'g' | 'x' => 'k',
        'd' | 't' => 't',
        's' | 'z' => 's',
        'j' => 'j',
        'l' => 'l',
        'm' | 'n' => 'n',
        'r' => 'r',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(a: &str, b: &str) -> &'static str {
        LEVELS[level(&prepare(a).unwrap(), &prepare(b).unwrap()) as usize]
    }

    #[test]
    fn the_same_name_in_any_case_is_exact() {
        assert_eq!(lv("Arben", "ARBEN"), "exact");
    }

    #[test]
    fn another_script_accents_or_order_is_transliteration_equal() {
        assert_eq!(lv("Petrović", "Petrovic"), "transliteration_equal");
        assert_eq!(lv("Петровић", "Petrovic"), "transliteration_equal");
        assert_eq!(lv("KRASNIQI ARBEN", "Arben Krasniqi"), "transliteration_equal");
    }

    #[test]
    fn a_typo_is_close_and_a_bigger_change_similar() {
        assert_eq!(lv("harrington", "harringtom"), "close");
        assert_eq!(lv("jovanovic", "jovanovska"), "similar");
    }

    #[test]
    fn names_that_sound_alike_but_are_spelled_apart_are_phonetic() {
        assert_eq!(phonetic_key("schmidt"), phonetic_key("shmit"));
        assert_eq!(lv("Katarina", "Catherine"), "phonetic");
    }

    #[test]
    fn unrelated_names_are_different() {
        assert_eq!(lv("Arben", "Milica"), "different");
    }

    #[test]
    fn a_name_of_punctuation_only_is_absent() {
        assert!(prepare(" - ").is_none());
    }
}
