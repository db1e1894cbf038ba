//! The forms under which a name is indexed and compared: one token list per
//! Latin reading of the name (each Cyrillic table, the Arabic-script
//! reading, the Turkish reading of `c`), with articles and particles left
//! out and Arabic compounds joined (see [`veza_text::name_tokens`]).

/// One reading of a name, as the tokens matching compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameForm {
    /// Folded tokens.
    pub tokens: Vec<String>,
    /// Read from a script that does not write short vowels (Arabic).
    pub unvoweled: bool,
}

/// Letters only Turkish orthography uses among the region's Latin
/// alphabets; a name that has one is read with Turkish values.
fn turkish_orthography(name: &str) -> bool {
    name.chars().any(|c| matches!(c, 'ş' | 'Ş' | 'ğ' | 'Ğ' | 'ı' | 'İ'))
}

/// Heads of Persian and Pashto compound given names (Shah Zobair, Mir
/// Wais, Sher Rasheed, Gul Ahmad, Jan Haroon), which Afghan and Pakistani
/// registers write as one word or two (Dari and Pashto practice; the
/// Afghan e-Tazkira writes both).
const COMPOUND_HEADS: &[&str] = &["shah", "mir", "sher", "gul", "jan"];

/// The tokens with a compound given name written the other way: joined if
/// written apart (`mir wais` → `mirwais`), apart if joined (`shahzobair` →
/// `shah zobair`); `None` when there is none. A joined head is split only
/// before at least four letters that are not a Slavic surname ending
/// (Janković is not Jan Ković).
fn compound_form(tokens: &[String]) -> Option<Vec<String>> {
    for (i, t) in tokens.iter().enumerate() {
        if COMPOUND_HEADS.contains(&t.as_str()) && i + 1 < tokens.len() {
            let mut out = tokens.to_vec();
            let next = out.remove(i + 1);
            out[i].push_str(&next);
            return Some(out);
        }
        for head in COMPOUND_HEADS {
            if let Some(rest) = t.strip_prefix(head)
                && rest.len() >= 4
                && !["ic", "ski", "ska", "ov", "ova", "ev", "eva"].iter().any(|e| rest.ends_with(e))
            {
                let mut out = tokens[..i].to_vec();
                out.push((*head).to_owned());
                out.push(rest.to_owned());
                out.extend_from_slice(&tokens[i + 1..]);
                return Some(out);
            }
        }
    }
    None
}

/// Every form of `name` worth comparing, duplicates removed.
pub fn name_forms(name: &str) -> Vec<NameForm> {
    let text = match veza_text::parse_mrz_field(name) {
        Some((s, g)) => format!("{s} {g}"),
        None => name.to_owned(),
    };
    let unvoweled = veza_text::has_arabic(&text);
    let mut out: Vec<NameForm> = Vec::with_capacity(3);
    let mut push = |tokens: Vec<String>| {
        if !tokens.is_empty() && !out.iter().any(|f| f.tokens == tokens) {
            out.push(NameForm { tokens, unvoweled });
        }
    };
    for reading in veza_text::latin_readings(&text) {
        let tokens = veza_text::name_tokens(&reading);
        let compound = compound_form(&tokens);
        push(tokens);
        if let Some(c) = compound {
            push(c);
        }
    }
    // Turkish `c` is /dʒ/ (Cemal = Jamal, Necat = Najat): TDK alphabet.
    if turkish_orthography(&text) {
        let turkish: String = text
            .chars()
            .map(|c| match c {
                'c' => 'j',
                'C' => 'J',
                c => c,
            })
            .collect();
        push(veza_text::name_tokens(&veza_text::fold(&turkish)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(name: &str) -> Vec<Vec<String>> {
        name_forms(name).into_iter().map(|f| f.tokens).collect()
    }

    #[test]
    fn serbian_cyrillic_has_its_national_and_icao_readings() {
        let t = tokens("Ђорђе Петровић");
        assert!(t.contains(&vec!["djordje".to_string(), "petrovic".to_string()]));
        assert!(t.contains(&vec!["dorde".to_string(), "petrovic".to_string()]));
    }

    #[test]
    fn mrz_fields_read_in_name_order() {
        assert_eq!(tokens("MEMA<<BESNIK"), vec![vec!["mema".to_string(), "besnik".to_string()]]);
    }

    #[test]
    fn arabic_script_is_unvoweled() {
        let f = name_forms("محمد المصري");
        assert!(f[0].unvoweled);
        assert_eq!(f[0].tokens[0], "mhmd");
        assert_eq!(f[0].tokens.len(), 2, "the article is left out: {:?}", f[0].tokens);
    }

    #[test]
    fn persian_compounds_are_read_joined_and_apart() {
        let t = tokens("Shahzobair Barakzai");
        assert!(t.contains(&vec!["shah".to_string(), "zobair".to_string(), "barakzai".to_string()]));
        let t = tokens("Mir Wais Waheed");
        assert!(t.contains(&vec!["mirwais".to_string(), "waheed".to_string()]));
        assert_eq!(tokens("Marko Janković").len(), 1);
    }

    #[test]
    fn turkish_c_is_also_read_as_j() {
        let t = tokens("Necat Şar");
        assert!(t.contains(&vec!["nejat".to_string(), "sar".to_string()]));
    }
}
