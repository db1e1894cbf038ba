//! The screening engine's explanations in the reader's language. The engine
//! explains a score in English, as yente does (its API output stays so);
//! here each feature's name and rule are mapped to catalogue keys, and the
//! values compared are shown as they are. A rule this module does not know
//! (a new engine wording) shows in English rather than not at all.

use crate::i18n::Tr;
use veza_screen::{DateRule, Explanation, Feature};

/// Every birth-date rule, for matching the engine's words.
const DATE_RULES: [DateRule; 8] = [
    DateRule::NotCompared,
    DateRule::Exact,
    DateRule::YearOnly,
    DateRule::JanFirstPlaceholder,
    DateRule::DayMonthSwap,
    DateRule::PlusMinusOneYear,
    DateRule::SameYearOtherDay,
    DateRule::Conflict,
];

fn date_key(rule: DateRule) -> &'static str {
    match rule {
        DateRule::NotCompared => "labels-date-not-compared",
        DateRule::Exact => "labels-date-exact",
        DateRule::YearOnly => "labels-date-year-only",
        DateRule::JanFirstPlaceholder => "labels-date-jan-first",
        DateRule::DayMonthSwap => "labels-date-day-month-swap",
        DateRule::PlusMinusOneYear => "labels-date-one-year",
        DateRule::SameYearOtherDay => "labels-date-same-year",
        DateRule::Conflict => "labels-date-conflict",
    }
}

/// The engine's fixed wordings of the other features' rules.
const RULES: [(&str, &str); 6] = [
    ("same gender", "labels-gender-same"),
    ("other gender", "labels-gender-other"),
    ("shared nationality", "labels-nationality-shared"),
    ("other nationality (may be another citizenship)", "labels-nationality-other"),
    ("document number matches exactly", "labels-document-exact"),
    (
        "document number matches with OCR-confusable characters (O/0, I/1, S/5, B/8 …): check the document",
        "labels-document-ocr",
    ),
];

/// The words for how two name tokens agree (`phonetic`).
const TOKEN_RULES: [(&str, &str); 6] = [
    ("exact", "labels-token-exact"),
    ("known variant", "labels-token-variant"),
    ("phonetic", "labels-token-phonetic"),
    ("spelling", "labels-token-spelling"),
    ("gender pair", "labels-token-gender-pair"),
    ("different", "labels-token-different"),
];

/// A feature's name (`birth_date`) in words.
pub(crate) fn feature_label(tr: &Tr, name: &str) -> String {
    let key = format!("labels-feature-{}", name.replace('_', "-"));
    if tr.has(&key) { tr.t(&key) } else { name.to_owned() }
}

/// A rule's detail in words; the engine's English when it is not known.
pub(crate) fn detail_label(tr: &Tr, feature: &str, detail: &str) -> String {
    if feature == "birth_date"
        && let Some(rule) = DATE_RULES.iter().find(|r| r.words() == detail)
    {
        return tr.t(date_key(*rule));
    }
    if let Some((_, key)) = RULES.iter().find(|(words, _)| *words == detail) {
        return tr.t(key);
    }
    if feature == "name"
        && let Some(words) = name_detail(tr, detail)
    {
        return words;
    }
    detail.to_owned()
}

/// `2 of 3 query tokens, 2 candidate tokens: ana~anna spelling 0.93, …`.
fn name_detail(tr: &Tr, detail: &str) -> Option<String> {
    let (counts, pairs) = detail.split_once(": ").unwrap_or((detail, ""));
    let (matched, rest) = counts.split_once(" of ")?;
    let (query, rest) = rest.split_once(" query tokens, ")?;
    let candidate = rest.strip_suffix(" candidate tokens")?;
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let (matched, query, candidate) = (number(matched)?, number(query)?, number(candidate)?);
    let head = tr.t3("labels-name-tokens", "matched", matched, "query", query, "candidate", candidate);
    let pairs: Vec<String> = pairs.split(", ").filter(|p| !p.is_empty()).map(|p| token_pair(tr, p)).collect();
    Some(if pairs.is_empty() { head } else { format!("{head}: {}", pairs.join(", ")) })
}

/// `ana~anna spelling 0.93` with the rule in words.
fn token_pair(tr: &Tr, pair: &str) -> String {
    for (words, key) in TOKEN_RULES {
        let needle = format!(" {words} ");
        if let Some(at) = pair.find(&needle) {
            let (tokens, score) = (&pair[..at], &pair[at + needle.len()..]);
            return format!("{tokens} {} {score}", tr.t(key));
        }
    }
    pair.to_owned()
}

/// One line per feature, as [`Explanation::lines`] writes them, in the
/// reader's language: `датум на раѓање +0.08 (ист датум): 1985-03-02 ↔ 1985-03-02`.
pub(crate) fn explanation_lines(tr: &Tr, explanation: &Explanation) -> Vec<String> {
    explanation.0.iter().map(|(name, f)| line(tr, name, f)).collect()
}

fn line(tr: &Tr, name: &str, f: &Feature) -> String {
    let value = if name == "name" { format!("{:.2}", f.score) } else { format!("{:+.2}", f.score) };
    let feature = feature_label(tr, name);
    let mut line = match &f.detail {
        Some(d) => format!("{feature} {value} ({})", detail_label(tr, name, d)),
        None => format!("{feature} {value}"),
    };
    match (&f.query, &f.candidate) {
        (Some(q), Some(c)) => line.push_str(&format!(": {q} ↔ {c}")),
        (Some(q), None) => line.push_str(&format!(": {q}")),
        _ => {}
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    fn explanation() -> Explanation {
        let mut ex = Explanation::default();
        ex.add(
            "name",
            0.93,
            "2 of 2 query tokens, 2 candidate tokens: ana~anna spelling 0.93, petrovic~petrović exact 1.00".into(),
            Some("ANA PETROVIC".into()),
            Some("ANNA PETROVIĆ".into()),
        );
        ex.add(
            "birth_date",
            0.05,
            DateRule::DayMonthSwap.words().into(),
            Some("1990-03-04".into()),
            Some("1990-04-03".into()),
        );
        ex.add("gender", -0.1, "other gender".into(), Some("f".into()), Some("m".into()));
        ex
    }

    #[test]
    fn english_reads_as_the_engine_writes_in_words() {
        let lines = explanation_lines(&Tr::default(), &explanation());
        assert_eq!(lines[0], "birth date +0.05 (day and month swapped): 1990-03-04 ↔ 1990-04-03");
        assert_eq!(lines[1], "gender -0.10 (other gender): f ↔ m");
        assert!(lines[2].starts_with("name 0.93 (2 of 2 query tokens, 2 candidate tokens: ana~anna spelling 0.93"));
    }

    #[test]
    fn macedonian_reads_macedonian() {
        let lines = explanation_lines(&Tr::new(Language::Mk), &explanation());
        let all = lines.join("\n");
        for english in ["birth_date", "day and month swapped", "other gender", "query tokens", "spelling"] {
            assert!(!all.contains(english), "{english} left in English: {all}");
        }
        assert!(all.contains("ANA PETROVIC ↔ ANNA PETROVIĆ"), "values as they are: {all}");
        assert!(all.contains("1990-03-04 ↔ 1990-04-03"), "{all}");
    }

    #[test]
    fn every_rule_has_words_in_every_language() {
        for lang in Language::ALL {
            let tr = Tr::new(lang);
            let keys = DATE_RULES
                .iter()
                .map(|r| date_key(*r))
                .chain(RULES.iter().map(|(_, k)| *k))
                .chain(TOKEN_RULES.iter().map(|(_, k)| *k));
            for key in keys {
                assert!(tr.has(key), "{}: {key}", lang.tag());
            }
            let tokens = tr.t3("labels-name-tokens", "matched", 1, "query", 2, "candidate", 3);
            assert!(tokens.contains('1') && tokens.contains('3'), "{}: {tokens}", lang.tag());
            for feature in ["name", "birth_date", "gender", "nationality", "document"] {
                assert!(tr.has(&format!("labels-feature-{}", feature.replace('_', "-"))), "{}: {feature}", lang.tag());
            }
        }
    }

    #[test]
    fn unknown_wording_stays_english() {
        let tr = Tr::new(Language::Hr);
        assert_eq!(detail_label(&tr, "birth_date", "a new rule"), "a new rule");
        assert_eq!(feature_label(&tr, "new_feature"), "new_feature");
    }
}
