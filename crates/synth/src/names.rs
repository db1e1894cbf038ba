//! The name lists of `data/names/`, read once. Each culture has given names
//! by gender and family names (with their female form where the language
//! has one); each name has its forms: the native spelling first, then Latin
//! spellings for names written in another script.

use std::sync::OnceLock;

/// A naming culture: the language and script a person's names come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Culture {
    /// Serbian, Cyrillic (Latin by the official table).
    Serbian,
    /// Macedonian, Cyrillic (Latin by the official tables).
    Macedonian,
    /// Bosnian and Croatian, Latin.
    Bosnian,
    /// Montenegrin, Latin.
    Montenegrin,
    /// Albanian, Latin with ë and ç.
    Albanian,
    /// Turkish, Latin with ı and ş.
    Turkish,
    /// Arabic of the Levant and Iraq: Arabic script and Latin spellings.
    Arabic,
    /// Moroccan Arabic: Arabic script and French-style spellings.
    Moroccan,
    /// Pashto and Dari: Perso-Arabic script and Latin spellings.
    Afghan,
    /// Urdu and Punjabi: Urdu script and Latin spellings.
    Pakistani,
    /// Bengali names in Latin spellings.
    Bangladeshi,
    /// Ukrainian: Cyrillic and Latin spellings.
    Ukrainian,
    /// Moldovan Romanian, Latin with ș and ț.
    Moldovan,
    /// Nigerian, Latin.
    Nigerian,
    /// Bulgarian: Cyrillic and Latin.
    Bulgarian,
    /// Greek: Greek script and Latin.
    Greek,
    /// Hungarian, Latin (family name first).
    Hungarian,
    /// German and Austrian, Latin.
    German,
    /// Slovenian, Latin.
    Slovenian,
}

impl Culture {
    /// Every culture, in a fixed order.
    pub const ALL: [Culture; 19] = [
        Culture::Serbian,
        Culture::Macedonian,
        Culture::Bosnian,
        Culture::Montenegrin,
        Culture::Albanian,
        Culture::Turkish,
        Culture::Arabic,
        Culture::Moroccan,
        Culture::Afghan,
        Culture::Pakistani,
        Culture::Bangladeshi,
        Culture::Ukrainian,
        Culture::Moldovan,
        Culture::Nigerian,
        Culture::Bulgarian,
        Culture::Greek,
        Culture::Hungarian,
        Culture::German,
        Culture::Slovenian,
    ];

    /// The data file's text.
    fn source(self) -> &'static str {
        match self {
            Culture::Serbian => include_str!("../data/names/sr.txt"),
            Culture::Macedonian => include_str!("../data/names/mk.txt"),
            Culture::Bosnian => include_str!("../data/names/bs.txt"),
            Culture::Montenegrin => include_str!("../data/names/me.txt"),
            Culture::Albanian => include_str!("../data/names/sq.txt"),
            Culture::Turkish => include_str!("../data/names/tr.txt"),
            Culture::Arabic => include_str!("../data/names/ar.txt"),
            Culture::Moroccan => include_str!("../data/names/ma.txt"),
            Culture::Afghan => include_str!("../data/names/af.txt"),
            Culture::Pakistani => include_str!("../data/names/pk.txt"),
            Culture::Bangladeshi => include_str!("../data/names/bd.txt"),
            Culture::Ukrainian => include_str!("../data/names/uk.txt"),
            Culture::Moldovan => include_str!("../data/names/md.txt"),
            Culture::Nigerian => include_str!("../data/names/ng.txt"),
            Culture::Bulgarian => include_str!("../data/names/bg.txt"),
            Culture::Greek => include_str!("../data/names/el.txt"),
            Culture::Hungarian => include_str!("../data/names/hu.txt"),
            Culture::German => include_str!("../data/names/de.txt"),
            Culture::Slovenian => include_str!("../data/names/sl.txt"),
        }
    }

    /// Whether the native form is in another script than Latin and the
    /// further forms are Latin spellings.
    pub fn has_latin_spellings(self) -> bool {
        matches!(
            self,
            Culture::Arabic
                | Culture::Moroccan
                | Culture::Afghan
                | Culture::Pakistani
                | Culture::Ukrainian
                | Culture::Bulgarian
                | Culture::Greek
        )
    }

    /// The ISO 639-1 language of the culture.
    pub fn language(self) -> &'static str {
        match self {
            Culture::Serbian => "sr",
            Culture::Macedonian => "mk",
            Culture::Bosnian => "bs",
            Culture::Montenegrin => "sr",
            Culture::Albanian => "sq",
            Culture::Turkish => "tr",
            Culture::Arabic | Culture::Moroccan => "ar",
            Culture::Afghan => "ps",
            Culture::Pakistani => "ur",
            Culture::Bangladeshi => "bn",
            Culture::Ukrainian => "uk",
            Culture::Moldovan => "ro",
            Culture::Nigerian => "en",
            Culture::Bulgarian => "bg",
            Culture::Greek => "el",
            Culture::Hungarian => "hu",
            Culture::German => "de",
            Culture::Slovenian => "sl",
        }
    }

    /// The culture's lists.
    pub fn names(self) -> &'static NameList {
        static LISTS: OnceLock<Vec<NameList>> = OnceLock::new();
        let lists = LISTS.get_or_init(|| Culture::ALL.iter().map(|c| NameList::parse(c.source())).collect());
        &lists[Culture::ALL.iter().position(|c| *c == self).unwrap_or(0)]
    }
}

/// A name in its forms: `forms[0]` native, then other spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The forms, native first.
    pub forms: Vec<String>,
}

/// A family name: its forms for men and for women (the same where the
/// language does not mark gender).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyName {
    /// Forms for men, native first.
    pub male: Vec<String>,
    /// Forms for women, native first.
    pub female: Vec<String>,
}

/// The lists of one culture.
#[derive(Debug, Clone, Default)]
pub struct NameList {
    /// Given names of men.
    pub male: Vec<Name>,
    /// Given names of women.
    pub female: Vec<Name>,
    /// Family names.
    pub family: Vec<FamilyName>,
}

impl NameList {
    /// Reads the format described in `data/names/README.md`.
    pub fn parse(text: &str) -> NameList {
        let mut list = NameList::default();
        let mut section = "";
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = match s {
                    "male" => "male",
                    "female" => "female",
                    _ => "family",
                };
                continue;
            }
            let forms: Vec<&str> = line.split('|').map(str::trim).filter(|f| !f.is_empty()).collect();
            match section {
                "male" => list.male.push(Name { forms: forms.iter().map(|f| (*f).to_owned()).collect() }),
                "female" => list.female.push(Name { forms: forms.iter().map(|f| (*f).to_owned()).collect() }),
                _ => {
                    let mut male = Vec::new();
                    let mut female = Vec::new();
                    for f in forms {
                        let (m, w) = f.split_once('>').unwrap_or((f, f));
                        male.push(m.trim().to_owned());
                        female.push(w.trim().to_owned());
                    }
                    list.family.push(FamilyName { male, female });
                }
            }
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_culture_has_enough_names() {
        for c in Culture::ALL {
            let n = c.names();
            assert!(n.male.len() >= 10, "{c:?} male");
            assert!(n.female.len() >= 8, "{c:?} female");
            assert!(n.family.len() >= 10, "{c:?} family");
            if c.has_latin_spellings() {
                for name in n.male.iter().chain(&n.female) {
                    assert!(name.forms.len() >= 2, "{c:?}: {:?} has no Latin spelling", name.forms);
                }
            }
        }
    }

    #[test]
    fn cyrillic_lists_are_cyrillic() {
        for c in [Culture::Serbian, Culture::Macedonian] {
            for n in c.names().male.iter().chain(&c.names().female) {
                assert!(crate::script::is_cyrillic(&n.forms[0]), "{c:?}: {}", n.forms[0]);
            }
        }
    }

    #[test]
    fn gendered_family_names_have_a_female_form() {
        let f = &Culture::Macedonian.names().family[0];
        assert_eq!((f.male[0].as_str(), f.female[0].as_str()), ("Трајковски", "Трајковска"));
        let b = &Culture::Bulgarian.names().family[0];
        assert_eq!(b.female, vec!["Иванова", "Ivanova"]);
    }
}
