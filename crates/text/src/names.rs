//! Parsing personal names into parts, and the tokens that matching compares.
//!
//! Conventions followed (each with its source):
//! - Arabic names: the article `al-`/`el-` (and its assimilated forms `ad-`,
//!   `ar-`, `as-`, `ash-`, `at-`, `az-`, `an-`, `ud-`, `ul-`) is written attached,
//!   detached or left out across registers (UNGEGN Arabic romanisation notes;
//!   French Maghreb practice writes `El`), so it does not count as a token.
//!   `Abd` + article + a divine name is one name (Abd al-Rahman = Abdul Rahman =
//!   Abdelrahman), as is `Abu` + name (a kunya), and a name followed by
//!   `Ullah`/`Allah` or `ud-Din` (Wali Ullah = Waliullah).
//!   `bin`, `ibn`, `bint`, `ben`, `ould` introduce the father's name.
//! - European particles `van`, `von`, `de`, `der`, `den`, `da`, `di`, `du`, `del`,
//!   `la`, `le`, `dos`, `das` belong to the surname and are often dropped in
//!   indexes (ICAO 9303 keeps them; many registers do not).
//! - Order: an MRZ field (`SURNAME<<GIVEN`) and a name whose leading words
//!   are in capitals while the rest are not (`HAKIMI Mir Jamshid`, the
//!   convention of French and INTERPOL notices) give the surname first;
//!   otherwise the surname is last.
//! - Patronymics: East Slavic `-ovich`/`-evich`/`-ovna`/`-evna`/`-ich`, and a
//!   Bulgarian or Macedonian middle name in `-ov`/`-ev`/`-ova`/`-eva`.

use crate::fold;

/// Particles that join a surname or mark the Arabic article.
pub const ARTICLES: &[&str] =
    &["al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ul", "ed", "es", "er", "ez"];
/// Words introducing a father's name.
pub const PATRONYMIC_MARKERS: &[&str] = &["bin", "ibn", "bint", "ben", "ould", "binti"];
/// European surname particles.
pub const SURNAME_PARTICLES: &[&str] =
    &["van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "dos", "das"];

/// A name split into its parts (all folded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    /// Given names, in order.
    pub given: Vec<String>,
    /// The father's name, when marked (bin X, -ovich, Bulgarian middle name).
    pub patronymic: Option<String>,
    /// Surname words, particles excluded.
    pub surname: Vec<String>,
    /// The particles found (al, bin, van …).
    pub particles: Vec<String>,
}

/// Splits a personal name into given names, patronymic and surname.
pub fn parse_name(name: &str) -> NameParts {
    let (surname_first, text) = match crate::mrz::parse_mrz_field(name) {
        Some((s, g)) => (true, format!("{s} {g}")),
        None => (leading_capitals(name), name.to_owned()),
    };
    let mut words: Vec<String> =
        fold(&strip_apostrophes(&text)).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let mut parts = NameParts::default();
    let mut surname_len = 1;
    if surname_first {
        // The surname is the capitalised run (or the MRZ primary identifier).
        surname_len = match crate::mrz::parse_mrz_field(name) {
            Some((s, _)) => fold(&s).split(' ').filter(|w| !w.is_empty()).count(),
            None => name.split_whitespace().take_while(|w| is_capitals(w)).count(),
        }
        .max(1);
        let len = words.len();
        words.rotate_left(surname_len.min(len));
    }
    let n = words.len();
    let mut i = 0;
    while i < n {
        let w = &words[i];
        let in_surname = i + surname_len >= n;
        if ARTICLES.contains(&w.as_str()) || SURNAME_PARTICLES.contains(&w.as_str()) {
            parts.particles.push(w.clone());
        } else if PATRONYMIC_MARKERS.contains(&w.as_str()) && i + 1 < n {
            parts.particles.push(w.clone());
            parts.patronymic = Some(words[i + 1].clone());
            i += 1;
        } else if in_surname {
            parts.surname.push(w.clone());
        } else if i > 0 && is_patronymic(w, n) {
            parts.patronymic = Some(w.clone());
        } else {
            parts.given.push(w.clone());
        }
        i += 1;
    }
    parts
}

fn is_patronymic(w: &str, words: usize) -> bool {
    ["ovich", "evich", "ovna", "evna", "ichna"].iter().any(|s| w.ends_with(s))
        || (words >= 3 && ["ov", "ev", "ova", "eva"].iter().any(|s| w.ends_with(s)))
}

fn is_capitals(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && w.chars().all(|c| !c.is_lowercase())
}

fn leading_capitals(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2 && is_capitals(words[0]) && words.iter().any(|w| !is_capitals(w))
}

/// Removes apostrophes and the Arabic ayn/hamza signs used in romanisations
/// (Sha'ar, Ma'mun, Qur’an): they mark a sound, not a word break.
pub fn strip_apostrophes(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\'' | '’' | 'ʿ' | 'ʾ' | '`' | 'ʼ' | '‘')).collect()
}

/// The tokens matching compares: folded words with articles and particles
/// left out and Arabic compounds joined (`Abd al-Rahman` → `abdalrahman`,
/// `Abu Bakr` → `abubakr`, `Wali Ullah` → `waliullah`).
pub fn name_tokens(name: &str) -> Vec<String> {
    let text = match crate::mrz::parse_mrz_field(name) {
        Some((s, g)) => format!("{s} {g}"),
        None => name.to_owned(),
    };
    let words: Vec<String> =
        fold(&strip_apostrophes(&text)).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if is_abd(w) || is_abu(w) {
            // Abd/Abu + optional article + name → one token.
            let mut j = i + 1;
            let mut joined = if is_abd(w) { String::from("abdal") } else { String::from("abu") };
            if w.len() > 3 && is_abd(w) && j >= words.len() {
                out.push(w.to_owned());
                i += 1;
                continue;
            }
            while j < words.len() && ARTICLES.contains(&words[j].as_str()) {
                j += 1;
            }
            // ʿAbd Allāh is the one name Abdullah (UNGEGN writes both).
            if is_abd(w) && j < words.len() && matches!(words[j].as_str(), "allah" | "ullah" | "llah" | "lah") {
                out.push("abdullah".to_owned());
                i = j + 1;
                continue;
            }
            if j < words.len() {
                joined.push_str(&words[j]);
                out.push(joined);
                i = j + 1;
                continue;
            }
            out.push(w.to_owned());
            i += 1;
            continue;
        }
        if matches!(w, "ullah" | "ulla" | "allah" | "ollah" | "din" | "uddin" | "eddin" | "eddine" | "addin" | "uddine")
            && !out.is_empty()
        {
            let last = out.len() - 1;
            let suffix = if w.contains("din") {
                "uddin"
            } else if w.ends_with('h') {
                "ullah"
            } else {
                "ulla"
            };
            out[last].push_str(suffix);
            i += 1;
            continue;
        }
        // bin/ben + name: joined, as Maghreb registers and the Arabic script
        // write it (Benali, بنعلي); similarity also tries it without.
        if matches!(w, "bin" | "ben") && i + 1 < words.len() && !ARTICLES.contains(&words[i + 1].as_str()) {
            out.push(format!("{w}{}", words[i + 1]));
            i += 2;
            continue;
        }
        // Two articles never follow each other: a word like one before an
        // article is a name (عز الدين read `az al-din` is ʿIzz ad-Din).
        let name_before_article = i + 1 < words.len() && ARTICLES.contains(&words[i + 1].as_str());
        if (ARTICLES.contains(&w) && !name_before_article)
            || PATRONYMIC_MARKERS.contains(&w)
            || SURNAME_PARTICLES.contains(&w)
        {
            i += 1;
            continue;
        }
        out.push(joined_abd(w));
        i += 1;
    }
    out
}

fn is_abd(w: &str) -> bool {
    matches!(
        w,
        "abd"
            | "abdul"
            | "abdel"
            | "abdal"
            | "abdil"
            | "abdol"
            | "abdu"
            | "abdur"
            | "abdus"
            | "abdou"
            | "abdi"
            | "abdoul"
    )
}

fn is_abu(w: &str) -> bool {
    matches!(w, "abu" | "abou" | "abo" | "ebu")
}

/// A one-word `Abd…` name (Abdelhalim, Abdulrahman, Abdurrahman) spelled as
/// the joined form `abdal…` so it meets `Abd al-Halim`.
fn joined_abd(w: &str) -> String {
    // The article assimilated to a sun letter of the name it joins (Arabic
    // grammar: al- before t th d dh r z s sh ṣ ḍ ṭ ẓ l n is pronounced as a
    // doubled consonant), as French and English spellings write it:
    // Abdessattar = Abd as-Sattar = Abd al-Sattar, Abderrahmane, Abdennour.
    for p in ["abde", "abda", "abdu", "abdou"] {
        if let Some(rest) = w.strip_prefix(p)
            && rest.len() >= 4
            && let [c, d, ..] = rest.as_bytes()
            && c == d
            && matches!(c, b't' | b'd' | b'r' | b'z' | b's' | b'n')
        {
            return format!("abdal{}", &rest[1..]);
        }
    }
    // ... ad-Din ("of the faith") joined to the name before it, with the
    // article assimilated or not (Nur ad-Din = Noureddine = Nuruddin =
    // Nouraldin): one spelling, as the detached `ud-Din` is joined above.
    for end in ["eddine", "eddin", "uddine", "uddin", "addine", "addin", "aldine", "aldin", "eldine", "eldin"] {
        if let Some(stem) = w.strip_suffix(end)
            && stem.len() >= 3
        {
            return format!("{stem}uddin");
        }
    }
    for p in ["abdul", "abdel", "abdal", "abdol", "abdil", "abdoul"] {
        if let Some(rest) = w.strip_prefix(p)
            && rest.len() >= 3
            && !matches!(rest, "lah" | "llah" | "la" | "lla")
        {
            return format!("abdal{rest}");
        }
    }
    for p in ["abdur", "abdus", "abdun", "abduz", "abdush"] {
        if let Some(rest) = w.strip_prefix(p)
            && rest.len() >= 3
        {
            // assimilated article: Abdurrahman = Abd ar-Rahman
            let consonant = &p[4..];
            return if rest.starts_with(consonant) {
                format!("abdal{rest}")
            } else {
                format!("abdal{consonant}{rest}")
            };
        }
    }
    w.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_and_compounds() {
        assert_eq!(name_tokens("Abdelhalim Rashid Al-Masri"), vec!["abdalhalim", "rashid", "masri"]);
        assert_eq!(name_tokens("Abd al-Halim Rashid al Masri"), vec!["abdalhalim", "rashid", "masri"]);
        assert_eq!(name_tokens("Abdul Halim El-Masri"), vec!["abdalhalim", "masri"]);
        assert_eq!(name_tokens("Abdurrahman"), name_tokens("Abd ar-Rahman"));
        assert_eq!(name_tokens("Abdessattar"), vec!["abdalsattar"]);
        assert_eq!(name_tokens("Abderrahmane"), vec!["abdalrahmane"]);
        assert_eq!(name_tokens("Noureddine Kirane"), name_tokens("Nouraldin Kirane"));
        assert_eq!(name_tokens("Nour Eddine"), vec!["nouruddin"]);
        assert_eq!(name_tokens("az al-din al-zrwali"), vec!["azuddin", "zrwali"]);
        assert_eq!(name_tokens("Salah ad-Din"), name_tokens("Salaheddine"));
        assert_eq!(name_tokens("Vali Ullah Zubayr"), vec!["valiullah", "zubayr"]);
        assert_eq!(name_tokens("Abdullah Khan"), vec!["abdullah", "khan"]);
        assert_eq!(name_tokens("Abd Allah Al Mohammad"), vec!["abdullah", "mohammad"]);
        assert_eq!(name_tokens("Asad Allah"), vec!["asadullah"]);
        assert_eq!(name_tokens("Najat Sha'ar"), vec!["najat", "shaar"]);
    }

    #[test]
    fn mrz_fields_are_read() {
        assert_eq!(name_tokens("MEMA<<BESNIK"), vec!["mema", "besnik"]);
    }

    #[test]
    fn parts_western_order() {
        let p = parse_name("Ana Marija van der Berg");
        assert_eq!(p.given, vec!["ana", "marija"]);
        assert_eq!(p.surname, vec!["berg"]);
        assert_eq!(p.particles, vec!["van", "der"]);
    }

    #[test]
    fn parts_surname_first() {
        let p = parse_name("HAKIMI Mir Jamshid");
        assert_eq!(p.surname, vec!["hakimi"]);
        assert_eq!(p.given, vec!["mir", "jamshid"]);
        let p = parse_name("MEMA<<BESNIK");
        assert_eq!(p.surname, vec!["mema"]);
        assert_eq!(p.given, vec!["besnik"]);
    }

    #[test]
    fn parts_patronymics() {
        let p = parse_name("Yoana Lyubomirova Pavlova");
        assert_eq!(p.patronymic.as_deref(), Some("lyubomirova"));
        let p = parse_name("Omar bin Laden Hassan");
        assert_eq!(p.patronymic.as_deref(), Some("laden"));
        let p = parse_name("Ivan Petrovich Sidorov");
        assert_eq!(p.patronymic.as_deref(), Some("petrovich"));
    }
}
