//! The name as a passport's machine-readable zone writes it (ICAO Doc 9303
//! Part 3, 8th edition, section 6: "Transliterations recommended for use by
//! States"): upper-case A–Z only, separators as `<`, surname and given names
//! split by `<<`.

use crate::translit::{Table, transliterate};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Latin letters with their own MRZ rendering (Doc 9303 Part 3, table A):
/// umlauts and ligatures expand, Đ becomes D, Þ becomes TH.
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'Ä' | 'ä' | 'Æ' | 'æ' => "AE",
        'Ö' | 'ö' | 'Ø' | 'ø' | 'Œ' | 'œ' => "OE",
        'Ü' | 'ü' => "UE",
        'Å' | 'å' => "AA",
        'ß' => "SS",
        'Đ' | 'đ' => "D",
        'Þ' | 'þ' => "TH",
        'Ĳ' | 'ĳ' => "IJ",
        'ı' => "I",
        'Ł' | 'ł' => "L",
        _ => return None,
    })
}

/// One name in MRZ characters: Cyrillic by the ICAO table, Latin letters by
/// table A, other accents dropped, every separator a single `<`.
pub fn mrz_name(name: &str) -> String {
    let latin = if crate::translit::has_cyrillic(name) { transliterate(name, Table::Icao) } else { name.to_owned() };
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        if let Some(s) = latin_special(c) {
            out.push_str(s);
            continue;
        }
        let mut pushed = false;
        for d in c.nfd() {
            if is_combining_mark(d) {
                continue;
            }
            if d.is_ascii_alphanumeric() {
                out.push(d.to_ascii_uppercase());
                pushed = true;
            }
        }
        if !pushed && !out.ends_with('<') && !out.is_empty() && !c.is_alphanumeric() {
            out.push('<');
        }
    }
    while out.ends_with('<') {
        out.pop();
    }
    out
}

/// The MRZ name field `SURNAME<<GIVEN<NAMES` for a surname and given names.
pub fn mrz_field(surname: &str, given: &str) -> String {
    let s = mrz_name(surname);
    let g = mrz_name(given);
    if g.is_empty() { s } else { format!("{s}<<{g}") }
}

/// Reads an MRZ name field (or a name typed with `<` fillers) back into
/// surname and given names, spaced: `MEMA<<BESNIK` → (`MEMA`, `BESNIK`).
/// `None` when the text has no `<`.
pub fn parse_mrz_field(field: &str) -> Option<(String, String)> {
    if !field.contains('<') {
        return None;
    }
    let trimmed = field.trim().trim_end_matches('<');
    let (surname, given) = match trimmed.split_once("<<") {
        Some((s, g)) => (s, g),
        None => (trimmed, ""),
    };
    let spaced = |s: &str| s.split('<').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    Some((spaced(surname), spaced(given)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_renders_serbian_letters() {
        assert_eq!(mrz_name("Đorđe Petrović"), "DORDE<PETROVIC");
        assert_eq!(mrz_name("Ђорђе"), "DORDE");
    }

    #[test]
    fn umlauts_expand() {
        assert_eq!(mrz_name("Şahin Ölmez"), "SAHIN<OELMEZ");
        assert_eq!(mrz_name("Müller-Lüdenscheidt"), "MUELLER<LUEDENSCHEIDT");
        assert_eq!(mrz_name("Straße"), "STRASSE");
    }

    #[test]
    fn cyrillic_by_the_icao_table() {
        assert_eq!(mrz_name("Митко Стевчевски"), "MITKO<STEVCHEVSKI");
        assert_eq!(mrz_name("Бойко Яворов"), "BOIKO<IAVOROV");
    }

    #[test]
    fn field_round_trip() {
        assert_eq!(mrz_field("Mema", "Besnik"), "MEMA<<BESNIK");
        assert_eq!(parse_mrz_field("MEMA<<BESNIK<<<<"), Some(("MEMA".into(), "BESNIK".into())));
        assert_eq!(parse_mrz_field("AL<SAYED<<AZAD<LUAY"), Some(("AL SAYED".into(), "AZAD LUAY".into())));
        assert_eq!(parse_mrz_field("Mema Besnik"), None);
    }
}
