//! Official Cyrillic–Latin tables of Serbian and Macedonian, as data.
//!
//! * **Serbian** — the Latin alphabet (*latinica*, Gaj's alphabet) that the
//!   Constitution of Serbia (art. 10) and the Law on the Official Use of
//!   Language and Scripts name beside Cyrillic, letter for letter as in
//!   *Pravopis srpskoga jezika* (Matica srpska): ђ → đ, ж → ž, ј → j, љ → lj,
//!   њ → nj, ћ → ć, ц → c, ч → č, џ → dž, ш → š, the rest as the Latin letter of the
//!   same sound. Latin→Cyrillic is the same table read backwards (the
//!   digraphs lj, nj, dž read as one letter).
//! * **Macedonian, official digraph system** — the romanisation adopted by the
//!   Government of North Macedonia in 2008 and printed in passports and on road
//!   signs: ѓ → gj, ж → zh, ѕ → dz, ј → j, ќ → kj, љ → lj, њ → nj, ц → c, ч → ch,
//!   џ → dj, ш → sh.
//! * **Macedonian, with diacritics** — the system of ISO 9:1995 as adapted by
//!   BGN/PCGN (2013) and the UN recommendation: ѓ → ǵ, ж → ž, ѕ → dz, ќ → ḱ,
//!   ч → č, џ → dž, ш → š (the others as in the digraph system). Older papers and
//!   Serbian or Croatian officers write Macedonian names this way.

/// Serbian Cyrillic letters (lower case) and their official Latin form.
pub const SERBIAN: &[(char, &str)] = &[
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('ђ', "đ"),
    ('е', "e"),
    ('ж', "ž"),
    ('з', "z"),
    ('и', "i"),
    ('ј', "j"),
    ('к', "k"),
    ('л', "l"),
    ('љ', "lj"),
    ('м', "m"),
    ('н', "n"),
    ('њ', "nj"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('ћ', "ć"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('ц', "c"),
    ('ч', "č"),
    ('џ', "dž"),
    ('ш', "š"),
];

/// Macedonian Cyrillic letters (lower case) and the official 2008 digraph form.
pub const MACEDONIAN_OFFICIAL: &[(char, &str)] = &[
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('ѓ', "gj"),
    ('е', "e"),
    ('ж', "zh"),
    ('з', "z"),
    ('ѕ', "dz"),
    ('и', "i"),
    ('ј', "j"),
    ('к', "k"),
    ('л', "l"),
    ('љ', "lj"),
    ('м', "m"),
    ('н', "n"),
    ('њ', "nj"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('ќ', "kj"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('ц', "c"),
    ('ч', "ch"),
    ('џ', "dj"),
    ('ш', "sh"),
];

/// Macedonian Cyrillic letters (lower case) in the diacritic system (ISO 9 / BGN/PCGN 2013).
pub const MACEDONIAN_DIACRITIC: &[(char, &str)] = &[
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('ѓ', "ǵ"),
    ('е', "e"),
    ('ж', "ž"),
    ('з', "z"),
    ('ѕ', "dz"),
    ('и', "i"),
    ('ј', "j"),
    ('к', "k"),
    ('л', "l"),
    ('љ', "lj"),
    ('м', "m"),
    ('н', "n"),
    ('њ', "nj"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('ќ', "ḱ"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('ц', "c"),
    ('ч', "č"),
    ('џ', "dž"),
    ('ш', "š"),
];

/// The Cyrillic capital of a lower-case letter of the tables.
fn cyrillic_upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

/// Transliterates Cyrillic `text` with `table`; other characters pass as
/// they are. A capital becomes a capital Latin letter, a digraph `Lj` — or
/// `LJ` inside an upper-case word.
pub fn to_latin(text: &str, table: &[(char, &str)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let Some((_, latin)) = table.iter().find(|(k, _)| *k == lower) else {
            out.push(c);
            continue;
        };
        if lower == c {
            out.push_str(latin);
            continue;
        }
        let next_upper = chars.get(i + 1).is_some_and(|n| n.is_uppercase());
        let prev_upper = i > 0 && chars[i - 1].is_uppercase();
        let whole_upper = next_upper || (prev_upper && chars.get(i + 1).is_none_or(|n| !n.is_alphabetic()));
        let mut letters = latin.chars();
        if let Some(first) = letters.next() {
            out.extend(first.to_uppercase());
        }
        for l in letters {
            if whole_upper {
                out.extend(l.to_uppercase());
            } else {
                out.push(l);
            }
        }
    }
    out
}

/// Serbian Latin `text` in Cyrillic, by the official table read backwards.
/// The digraphs lj, nj and dž are taken as one letter each.
pub fn serbian_to_cyrillic(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower = c.to_lowercase().next().unwrap_or(c);
        let next = chars.get(i + 1).map(|n| n.to_lowercase().next().unwrap_or(*n));
        let digraph = match (lower, next) {
            ('l', Some('j')) => Some('љ'),
            ('n', Some('j')) => Some('њ'),
            ('d', Some('ž')) => Some('џ'),
            _ => None,
        };
        let (cyr, width) = match digraph {
            Some(d) => (Some(d), 2),
            None => {
                let mut buf = [0u8; 4];
                let s: &str = lower.encode_utf8(&mut buf);
                (SERBIAN.iter().find(|(_, l)| *l == s).map(|(k, _)| *k), 1)
            }
        };
        match cyr {
            Some(k) if c.is_uppercase() => out.push(cyrillic_upper(k)),
            Some(k) => out.push(k),
            None => out.push(c),
        }
        i += width;
    }
    out
}

/// Whether `text` has a Cyrillic letter.
pub fn is_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// Letters with diacritics that records made on ASCII keyboards lose, and
/// what the officers type instead: the practice of Western Balkan border
/// systems and of ICAO Doc 9303's machine-readable zone (đ → dj is the
/// Serbian and Bosnian habit; the MRZ has d).
pub fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'đ' => out.push_str("dj"),
            'Đ' => out.push_str("Dj"),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'İ' => out.push('I'),
            'ǵ' => out.push('g'),
            'Ǵ' => out.push('G'),
            'ḱ' => out.push('k'),
            'Ḱ' => out.push('K'),
            _ => match fold_char(c) {
                Some(base) => out.push(base),
                None => out.push(c),
            },
        }
    }
    out
}

/// The base letter of a Latin letter with a diacritic used in the region's
/// names, or `None`.
fn fold_char(c: char) -> Option<char> {
    const PAIRS: &[(&str, char)] = &[
        ("čćç", 'c'),
        ("ČĆÇ", 'C'),
        ("šşș", 's'),
        ("ŠŞȘ", 'S'),
        ("žź", 'z'),
        ("ŽŹ", 'Z'),
        ("ëéèêēä", 'e'),
        ("ËÉÈÊĒ", 'E'),
        ("áàâăāã", 'a'),
        ("ÁÀÂĂĀÃÄ", 'A'),
        ("íìîï", 'i'),
        ("ÍÌÎÏ", 'I'),
        ("óòôöőõ", 'o'),
        ("ÓÒÔÖŐÕ", 'O'),
        ("úùûüű", 'u'),
        ("ÚÙÛÜŰ", 'U'),
        ("ţț", 't'),
        ("ŢȚ", 'T'),
        ("ğ", 'g'),
        ("Ğ", 'G'),
        ("ñ", 'n'),
    ];
    PAIRS.iter().find(|(set, _)| set.contains(c)).map(|(_, base)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_names_follow_the_official_table() {
        assert_eq!(to_latin("Ђорђевић", SERBIAN), "Đorđević");
        assert_eq!(to_latin("Љубомир Његовановић", SERBIAN), "Ljubomir Njegovanović");
        assert_eq!(to_latin("Џаковић", SERBIAN), "Džaković");
        assert_eq!(to_latin("ЉИЉАНА", SERBIAN), "LJILJANA");
        assert_eq!(to_latin("Шћекић Чолић Жарковић", SERBIAN), "Šćekić Čolić Žarković");
    }

    #[test]
    fn serbian_latin_reads_back_to_cyrillic() {
        for name in ["Ђорђевић", "Љубомир", "Његовановић", "Џаковић", "Шћекић", "Милица"]
        {
            assert_eq!(serbian_to_cyrillic(&to_latin(name, SERBIAN)), name);
        }
    }

    #[test]
    fn macedonian_has_two_official_forms() {
        assert_eq!(to_latin("Ѓорѓиевски", MACEDONIAN_OFFICIAL), "Gjorgjievski");
        assert_eq!(to_latin("Ѓорѓиевски", MACEDONIAN_DIACRITIC), "Ǵorǵievski");
        assert_eq!(to_latin("Ќосева", MACEDONIAN_OFFICIAL), "Kjoseva");
        assert_eq!(to_latin("Шапкаревски", MACEDONIAN_OFFICIAL), "Shapkarevski");
        assert_eq!(to_latin("Џамбазовски", MACEDONIAN_OFFICIAL), "Djambazovski");
        assert_eq!(to_latin("Џамбазовски", MACEDONIAN_DIACRITIC), "Džambazovski");
        assert_eq!(to_latin("Ѕвездовски Жежовски", MACEDONIAN_OFFICIAL), "Dzvezdovski Zhezhovski");
        assert_eq!(to_latin("Чавдаровска", MACEDONIAN_DIACRITIC), "Čavdarovska");
    }

    #[test]
    fn tables_cover_each_alphabet_once() {
        assert_eq!(SERBIAN.len(), 30);
        assert_eq!(MACEDONIAN_OFFICIAL.len(), 31);
        assert_eq!(MACEDONIAN_DIACRITIC.len(), 31);
    }

    #[test]
    fn ascii_fold_drops_diacritics_as_officers_do() {
        assert_eq!(ascii_fold("Đorđević"), "Djordjevic");
        assert_eq!(ascii_fold("Gëzim Çela"), "Gezim Cela");
        assert_eq!(ascii_fold("Yıldız Şahin"), "Yildiz Sahin");
        assert_eq!(ascii_fold("Țurcanu Sârbu"), "Turcanu Sarbu");
    }
}
