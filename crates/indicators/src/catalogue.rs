//! The indicator catalogue: elements, dimensions and indicators as data,
//! checked when loaded.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// How strongly an indicator points to trafficking (ILO/EC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Weak on its own; counts only beside others.
    Weak,
    /// Medium.
    Medium,
    /// Strong.
    Strong,
}

impl Strength {
    /// The code (`strong`, `medium`, `weak`), as the IndicatorAssessment schema has it.
    pub fn code(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Medium => "medium",
            Strength::Weak => "weak",
        }
    }

    /// Points for ranking assessments: strong 3, medium 2, weak 1.
    pub fn points(self) -> u32 {
        match self {
            Strength::Strong => 3,
            Strength::Medium => 2,
            Strength::Weak => 1,
        }
    }
}

/// The exploitation an indicator points to (the ILO/EC sets are per purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// Labour exploitation.
    Labour,
    /// Sexual exploitation.
    Sexual,
}

impl Purpose {
    /// Every purpose, in a fixed order.
    pub const ALL: [Purpose; 2] = [Purpose::Labour, Purpose::Sexual];

    /// The code (`labour`, `sexual`).
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Labour => "labour",
            Purpose::Sexual => "sexual",
        }
    }

    /// The exploitation type of the Victim and IndicatorAssessment schemata.
    pub fn exploitation_type(self) -> &'static str {
        match self {
            Purpose::Labour => "forced_labour",
            Purpose::Sexual => "sexual_exploitation",
        }
    }
}

/// An element of the trafficking definition the combination rule asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// Code (`recruitment`, `exploitation`, `means`).
    pub code: String,
    /// Label in English.
    pub label: String,
    /// Age groups (`adult`, `minor`) for which the element is required.
    pub required_for: Vec<String>,
}

/// A dimension of indicators (ILO/EC), belonging to an element or to none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Code, as the IndicatorAssessment schema's `dimension` has it.
    pub code: String,
    /// The element the dimension proves; `None` for general signs.
    #[serde(default)]
    pub element: Option<String>,
    /// Label in English.
    pub label: String,
}

/// One indicator: a sign, the question that tests it, its weight and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable code, stored in IndicatorAssessment's `indicator`.
    pub code: String,
    /// The dimension's code.
    pub dimension: String,
    /// Strength.
    pub strength: Strength,
    /// Purposes it points to.
    pub purposes: Vec<Purpose>,
    /// The sign, in plain words.
    pub sign: String,
    /// The question an officer asks (or, in brackets, what to observe).
    pub question: String,
    /// Where the indicator comes from.
    pub source: String,
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Elements of the definition.
    #[serde(rename = "element")]
    pub elements: Vec<Element>,
    /// Dimensions, in interview order.
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
    /// Indicators, in interview order.
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
}

/// Why a catalogue was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogueError {
    /// Not TOML of the catalogue's shape.
    #[error("indicator catalogue: {0}")]
    Syntax(String),
    /// A rule of the catalogue broken, with the item that breaks it.
    #[error("indicator catalogue: {item}: {reason}")]
    Invalid {
        /// The code of the element, dimension or indicator.
        item: String,
        /// What is wrong.
        reason: String,
    },
}

const BUILTIN: &str = include_str!("../data/indicators.toml");

impl Catalogue {
    /// The catalogue shipped with Veza (loaded once).
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::load(BUILTIN).expect("the built-in indicator catalogue is valid"))
    }

    /// Reads and checks a catalogue: codes unique, every reference known,
    /// every indicator with a purpose, a sign, a question and a source.
    pub fn load(text: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue = toml::from_str(text).map_err(|e| CatalogueError::Syntax(e.to_string()))?;
        catalogue.check()?;
        Ok(catalogue)
    }

    fn check(&self) -> Result<(), CatalogueError> {
        let invalid = |item: &str, reason: &str| CatalogueError::Invalid { item: item.into(), reason: reason.into() };
        let mut seen = HashSet::new();
        for e in &self.elements {
            if !seen.insert(e.code.as_str()) {
                return Err(invalid(&e.code, "code used twice"));
            }
            if let Some(g) = e.required_for.iter().find(|g| AGE_GROUPS.iter().all(|a| a != g)) {
                return Err(invalid(&e.code, &format!("unknown age group '{g}' (adult, minor)")));
            }
        }
        for d in &self.dimensions {
            if !seen.insert(d.code.as_str()) {
                return Err(invalid(&d.code, "code used twice"));
            }
            if let Some(el) = &d.element
                && self.element(el).is_none()
            {
                return Err(invalid(&d.code, &format!("unknown element '{el}'")));
            }
        }
        for e in &self.elements {
            if !self.dimensions.iter().any(|d| d.element.as_deref() == Some(e.code.as_str())) {
                return Err(invalid(&e.code, "no dimension proves this element"));
            }
        }
        for i in &self.indicators {
            if !seen.insert(i.code.as_str()) {
                return Err(invalid(&i.code, "code used twice"));
            }
            if self.dimension(&i.dimension).is_none() {
                return Err(invalid(&i.code, &format!("unknown dimension '{}'", i.dimension)));
            }
            if i.purposes.is_empty() {
                return Err(invalid(&i.code, "no purpose"));
            }
            for (field, value) in [("sign", &i.sign), ("question", &i.question), ("source", &i.source)] {
                if value.trim().is_empty() {
                    return Err(invalid(&i.code, &format!("empty {field}")));
                }
            }
        }
        Ok(())
    }

    /// An element by code.
    pub fn element(&self, code: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.code == code)
    }

    /// A dimension by code.
    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    /// An indicator by code.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The indicators of a dimension, in interview order.
    pub fn indicators_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.dimension == dimension)
    }
}

const AGE_GROUPS: [&str; 2] = ["adult", "minor"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_loads_with_every_ilo_dimension() {
        let c = Catalogue::builtin();
        for d in [
            "deceptive_recruitment",
            "coercive_recruitment",
            "abuse_of_vulnerability_at_recruitment",
            "exploitative_conditions",
            "coercion_at_destination",
            "abuse_of_vulnerability_at_destination",
        ] {
            assert!(c.dimension(d).is_some(), "{d}");
            assert!(c.indicators_of(d).count() >= 3, "{d} has too few indicators");
        }
        assert!(c.indicators_of("general").count() >= 3);
        assert!(c.indicators.iter().all(|i| !i.source.is_empty()));
    }

    #[test]
    fn a_catalogue_with_an_unknown_dimension_is_refused_naming_the_indicator() {
        let text =
            BUILTIN.replacen("dimension = \"deceptive_recruitment\"\nstrength", "dimension = \"nope\"\nstrength", 1);
        let err = Catalogue::load(&text).unwrap_err();
        assert_eq!(
            err,
            CatalogueError::Invalid { item: "dr-nature-of-work".into(), reason: "unknown dimension 'nope'".into() }
        );
    }

    #[test]
    fn a_duplicate_code_is_refused() {
        let text = BUILTIN.replacen("code = \"dr-not-sex-work\"", "code = \"dr-nature-of-work\"", 1);
        assert!(
            matches!(Catalogue::load(&text), Err(CatalogueError::Invalid { reason, .. }) if reason == "code used twice")
        );
    }

    #[test]
    fn a_strength_outside_the_scale_is_a_syntax_error() {
        let text = BUILTIN.replacen("strength = \"strong\"", "strength = \"huge\"", 1);
        assert!(matches!(Catalogue::load(&text), Err(CatalogueError::Syntax(_))));
    }
}
