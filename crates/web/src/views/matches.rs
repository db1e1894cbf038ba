//! The review queue's pages: the list of proposed pairs and one pair side
//! by side with the resolver's explanation.

use super::Layout;
use crate::i18n::Tr;
use askama::Template;
use serde_json::Value;
use std::collections::BTreeSet;
use veza_app::MatchView;
use veza_model::{Entity, Model};

/// A time as the pages show it, in the reader's way (UTC).
pub(crate) fn when(tr: &Tr, micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros).map(|t| tr.datetime(t)).unwrap_or_default()
}

/// A review status in the reader's language.
pub(crate) fn status_label(tr: &Tr, code: &str) -> String {
    tr.t(&format!("match-status-{code}"))
}

/// One pair in a list.
pub(crate) struct MatchRow {
    pub(crate) id: i64,
    pub(crate) left_id: String,
    pub(crate) left_caption: String,
    pub(crate) right_id: String,
    pub(crate) right_caption: String,
    pub(crate) score: String,
    pub(crate) status: String,
    pub(crate) source: String,
    pub(crate) decided: Option<String>,
}

/// A pair as a row.
pub(crate) fn match_row(tr: &Tr, m: MatchView) -> MatchRow {
    let c = m.candidate;
    MatchRow {
        id: c.id,
        decided: c.decided_by.as_ref().map(|by| {
            let at = c.decided_at.map(|t| when(tr, t)).unwrap_or_default();
            tr.t3("match-decided-by", "who", by, "when", at, "reason", c.reason.clone().unwrap_or_default())
        }),
        left_id: c.left_id,
        left_caption: m.left_caption,
        right_id: c.right_id,
        right_caption: m.right_caption,
        score: format!("{:.3}", c.score),
        status: status_label(tr, c.status.code()),
        source: c.source,
    }
}

/// One property of both records: (property, left values, right values, same).
pub(crate) struct PropertyRow {
    pub(crate) property: String,
    pub(crate) left: String,
    pub(crate) right: String,
    pub(crate) same: bool,
}

/// Both records' properties, side by side, under their labels in the
/// reader's language.
pub(crate) fn property_rows(tr: &Tr, model: &Model, left: &Entity, right: &Entity) -> Vec<PropertyRow> {
    let props: BTreeSet<&String> = left.properties.keys().chain(right.properties.keys()).collect();
    let schema = model.schema(&left.schema).or_else(|_| model.schema(&right.schema)).ok();
    props
        .into_iter()
        .map(|p| {
            let l = left.values(p).join("; ");
            let r = right.values(p).join("; ");
            let property = schema.map(|s| tr.property_named(s, p)).unwrap_or_else(|| p.clone());
            PropertyRow { same: !l.is_empty() && l == r, property, left: l, right: r }
        })
        .collect()
}

/// One field of the resolver's explanation.
pub(crate) struct FieldRow {
    pub(crate) field: String,
    pub(crate) level: String,
    pub(crate) weight: String,
    pub(crate) positive: bool,
}

/// The resolver's person fields (`veza_app`'s matching) and the model
/// property each compares, so that the explanation reads in the model's
/// labels; `document` compares several identifiers and has its own word.
const FIELD_PROPERTIES: [(&str, &str); 5] = [
    ("name", "name"),
    ("birth_date", "birthDate"),
    ("gender", "gender"),
    ("nationality", "nationality"),
    ("phone", "phone"),
];

/// The resolver's comparison levels that have words in the catalogues
/// (`match-level-…`); another level shows as its code in words.
pub(crate) const LEVELS: [&str; 12] = [
    "exact",
    "transliteration_equal",
    "close",
    "similar",
    "phonetic",
    "different",
    "day_month_swapped",
    "typo",
    "year_only",
    "year_off_by_one",
    "same_subscriber",
    "missing",
];

/// A resolver field (`birth_date`) as the model's property label in the
/// reader's language (`датум на раѓање`), else the screening feature's word,
/// else the field's name.
pub(crate) fn field_label(tr: &Tr, model: &Model, field: &str) -> String {
    let property = FIELD_PROPERTIES.iter().find(|(f, _)| *f == field).map(|(_, p)| *p);
    if let (Some(property), Ok(person)) = (property, model.schema("Person"))
        && person.properties.contains_key(property)
    {
        return tr.property_named(person, property);
    }
    crate::views::screening_explain::feature_label(tr, field)
}

/// A comparison level (`day_month_swapped`) in the reader's language.
pub(crate) fn level_label(tr: &Tr, level: &str) -> String {
    if LEVELS.contains(&level) {
        tr.t(&format!("match-level-{}", level.replace('_', "-")))
    } else {
        level.replace('_', " ")
    }
}

/// The explanation's fields (level and weight in bits), named in the
/// reader's language.
pub(crate) fn field_rows(tr: &Tr, model: &Model, explanation: &Value) -> Vec<FieldRow> {
    let Some(fields) = explanation.get("fields").and_then(Value::as_array) else { return Vec::new() };
    fields
        .iter()
        .map(|f| {
            let w = f.get("weight").and_then(Value::as_f64).unwrap_or(0.0)
                + f.get("term_frequency_adjustment").and_then(Value::as_f64).unwrap_or(0.0);
            FieldRow {
                field: field_label(tr, model, f.get("field").and_then(Value::as_str).unwrap_or("")),
                level: level_label(tr, f.get("level").and_then(Value::as_str).unwrap_or("")),
                weight: format!("{w:+.1}"),
                positive: w > 0.0,
            }
        })
        .collect()
}

/// `/matches`.
#[derive(Template)]
#[template(path = "matches.html")]
pub(crate) struct MatchesPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) status: &'static str,
    pub(crate) rows: Vec<MatchRow>,
    pub(crate) datasets: Vec<String>,
}

/// `/matches/{id}`.
#[derive(Template)]
#[template(path = "match.html")]
pub(crate) struct MatchPage {
    pub(crate) layout: Layout,
    pub(crate) csrf: String,
    pub(crate) row: MatchRow,
    pub(crate) properties: Vec<PropertyRow>,
    pub(crate) fields: Vec<FieldRow>,
    /// (status, by, when, reason), oldest first.
    pub(crate) history: Vec<(String, String, String, String)>,
    /// The decisions the pair allows now.
    pub(crate) choices: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Tr};
    use serde_json::json;

    #[test]
    fn every_level_has_words_in_every_language() {
        for lang in Language::ALL {
            let tr = Tr::new(lang);
            for level in LEVELS {
                let key = format!("match-level-{}", level.replace('_', "-"));
                assert!(tr.has(&key), "{}: {key}", lang.tag());
            }
        }
    }

    #[test]
    fn the_explanation_reads_in_the_model_labels_of_the_reader() {
        let model = Model::builtin();
        let explanation = json!({"fields": [
            {"field": "birth_date", "level": "day_month_swapped", "weight": 2.5},
            {"field": "document", "level": "missing", "weight": 0.0},
            {"field": "mystery", "level": "odd_one", "weight": -1.0},
        ]});
        let en = field_rows(&Tr::new(Language::En), model, &explanation);
        let mk = field_rows(&Tr::new(Language::Mk), model, &explanation);
        assert_ne!(en[0].field, "birth_date", "a property label, not the resolver's field name");
        assert_ne!(mk[0].field, en[0].field, "in the reader's language");
        assert_eq!(mk[0].level, "заменети ден и месец");
        assert_eq!(en[1].field, "document");
        assert_eq!(mk[1].field, "документ");
        assert_eq!(
            (en[2].field.as_str(), en[2].level.as_str()),
            ("mystery", "odd one"),
            "unknown words show as they are"
        );
        assert!(en[0].positive && !en[2].positive);
    }
}
