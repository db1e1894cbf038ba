//! How an agency writes down a person: in its own script or another
//! transliteration, with or without diacritics, with the odd typo, names in
//! the other order, a partial or mistyped birth date. These are the
//! differences entity resolution must undo; each is a written rule.

use crate::dice::Dice;
use crate::names::Culture;
use crate::people::{BirthRecord, Person};
use crate::script::{self, MACEDONIAN_DIACRITIC, MACEDONIAN_OFFICIAL, SERBIAN};

/// A person's name and birth date as one record has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Given name as written.
    pub first: String,
    /// Family name as written.
    pub last: String,
    /// The full name as the record's name field has it.
    pub full: String,
    /// Birth date as recorded (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), if any.
    pub birth: Option<String>,
}

/// The Latin forms a name in another script has; for names written in Latin
/// natively, the name itself.
fn latin_forms(culture: Culture, forms: &[String]) -> Vec<String> {
    match culture {
        Culture::Serbian => vec![script::to_latin(&forms[0], SERBIAN)],
        Culture::Macedonian => {
            vec![script::to_latin(&forms[0], MACEDONIAN_OFFICIAL), script::to_latin(&forms[0], MACEDONIAN_DIACRITIC)]
        }
        c if c.has_latin_spellings() => forms[1..].to_vec(),
        _ => forms.to_vec(),
    }
}

/// Whether the agency's country writes a culture's names in that culture's
/// own non-Latin script.
fn writes_native(culture: Culture, agency_country: &str, dice: &mut Dice) -> bool {
    match (culture, agency_country) {
        (Culture::Serbian, "rs") => dice.chance(0.65),
        (Culture::Serbian, "ba") => dice.chance(0.3),
        (Culture::Serbian, "me") => dice.chance(0.1),
        (Culture::Macedonian, "mk") => dice.chance(0.75),
        (Culture::Bulgarian, "bg") => dice.chance(0.8),
        (Culture::Greek, "gr") => dice.chance(0.8),
        (Culture::Ukrainian, _) => dice.chance(0.05),
        (Culture::Arabic | Culture::Moroccan | Culture::Afghan | Culture::Pakistani, _) => dice.chance(0.04),
        _ => false,
    }
}

/// Picks the script and spelling of one name part. `spelling` is the index
/// of the Latin spelling this record uses (the same for given and family
/// name, as one officer wrote both).
fn write_part(culture: Culture, forms: &[String], native: bool, spelling: usize, agency_country: &str) -> String {
    if native {
        return forms[0].clone();
    }
    let latin = latin_forms(culture, forms);
    let mut out = latin[spelling % latin.len()].clone();
    // A Serbian officer writes Latin names of the former Yugoslavia in Cyrillic.
    if agency_country == "rs"
        && matches!(culture, Culture::Bosnian | Culture::Montenegrin)
        && spelling.is_multiple_of(3)
    {
        out = script::serbian_to_cyrillic(&out);
    }
    out
}

/// One typo of the kinds clerks make: two letters swapped, one dropped, one doubled.
pub fn typo(text: &str, dice: &mut Dice) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 4 {
        return text.to_owned();
    }
    let i = 1 + dice.below(chars.len() - 2);
    let mut out = chars.clone();
    match dice.below(3) {
        0 => out.swap(i, i + 1),
        1 => {
            out.remove(i);
        }
        _ => out.insert(i, chars[i]),
    }
    out.into_iter().collect()
}

/// How the birth date is written: mostly in full, sometimes the year or the
/// year and month only, now and then with day and month swapped; the
/// placeholder of undocumented people as 1 January, its year estimated.
fn write_birth(p: &Person, dice: &mut Dice) -> Option<String> {
    if dice.chance(0.03) {
        return None;
    }
    let (y, m, d) = p.birth;
    if p.birth_record == BirthRecord::Placeholder {
        let shift = if dice.chance(0.25) { if dice.chance(0.5) { 1 } else { -1i32 } } else { 0 };
        return Some(format!("{:04}-01-01", (y as i32 + shift) as u16));
    }
    Some(match dice.below(100) {
        0..=4 => format!("{y:04}"),
        5..=7 => format!("{y:04}-{m:02}"),
        8..=9 if d <= 12 && d != m => format!("{y:04}-{d:02}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// How an agency of `agency_country` writes `p`, with the variation rate of
/// its data (`care`: 0 careful, 1 sloppy).
pub fn write_person(p: &Person, agency_country: &str, care: f64, dice: &mut Dice) -> Written {
    let native = writes_native(p.culture, agency_country, dice);
    let spelling = dice.below(4);
    let mut first = write_part(p.culture, p.given_forms(), native, spelling, agency_country);
    let mut last = write_part(p.culture, p.family_forms(), native, spelling, agency_country);
    let own_country = p.nationality.code == agency_country;
    if !script::is_cyrillic(&first) && dice.chance(if own_country { 0.12 } else { 0.35 } * (0.5 + care)) {
        first = script::ascii_fold(&first);
        last = script::ascii_fold(&last);
    }
    if dice.chance(0.04 * (0.5 + care)) {
        if dice.chance(0.5) {
            first = typo(&first, dice);
        } else {
            last = typo(&last, dice);
        }
    }
    let family_first = p.culture == Culture::Hungarian || dice.chance(0.07 * (0.5 + care));
    let full = if family_first { format!("{last} {first}") } else { format!("{first} {last}") };
    Written { first, last, full, birth: write_birth(p, dice) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Origin;
    use crate::world::country;

    #[test]
    fn typos_change_one_letter_at_most() {
        let mut d = Dice::stream(3, 0, 0);
        for _ in 0..200 {
            let t = typo("Petrović", &mut d);
            let diff = (t.chars().count() as i32 - 8).abs();
            assert!(diff <= 1, "{t}");
            assert!(t.starts_with('P'));
        }
    }

    #[test]
    fn serbian_agencies_often_write_serbs_in_cyrillic_others_in_latin() {
        let mut d = Dice::stream(4, 0, 0);
        let rs = country("rs").unwrap();
        let mut cyr_rs = 0;
        let mut cyr_al = 0;
        for i in 0..300 {
            let p = Person::draw(&mut d, i, rs, None, (1960, 2000), Origin::Resident);
            if p.culture != Culture::Serbian {
                continue;
            }
            cyr_rs += script::is_cyrillic(&write_person(&p, "rs", 0.5, &mut d).full) as u32;
            cyr_al += script::is_cyrillic(&write_person(&p, "al", 0.5, &mut d).full) as u32;
        }
        assert!(cyr_rs > 100, "{cyr_rs}");
        assert_eq!(cyr_al, 0);
    }
}
