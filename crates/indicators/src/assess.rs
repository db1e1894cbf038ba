//! The ILO/EC combination rules applied to an interview's answers.
//!
//! Source: ILO and European Commission, "Operational indicators of
//! trafficking in human beings" (2009). A dimension is met when its observed
//! indicators reach one of four combinations ([`dimension_met`]); an element
//! of the definition is there when one of its dimensions is met; a person
//! shows indications of trafficking for a purpose when every element required
//! for their age group is there — recruitment and exploitation for a child,
//! and for an adult also the means (coercion or abuse of vulnerability at
//! destination). The outcome is advice, never a verdict.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, Purpose, Strength};

/// The person's age group, which decides the elements required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgeGroup {
    /// 18 or over.
    Adult,
    /// Under 18: no means of control is needed.
    Minor,
    /// Not known: assessed as an adult (the stricter rule), and said so.
    Unknown,
}

impl AgeGroup {
    /// The code (`adult`, `minor`, `unknown`), as Victim's `ageCategory` has it.
    pub fn code(self) -> &'static str {
        match self {
            AgeGroup::Adult => "adult",
            AgeGroup::Minor => "minor",
            AgeGroup::Unknown => "unknown",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<AgeGroup> {
        Some(match code {
            "adult" => AgeGroup::Adult,
            "minor" => AgeGroup::Minor,
            "unknown" => AgeGroup::Unknown,
            _ => return None,
        })
    }
}

/// The answer to one indicator's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// The sign is there.
    Yes,
    /// The sign is not there.
    No,
    /// Not asked, not answered, or the officer cannot tell.
    Unknown,
}

/// The answers of one interview.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Answers {
    /// The person's age group (`None` is [`AgeGroup::Unknown`]).
    pub age: Option<AgeGroup>,
    /// Answer per indicator code; a code left out is unknown.
    pub answers: BTreeMap<String, Answer>,
}

impl Answers {
    /// Answers where the given indicators were observed and nothing else asked.
    pub fn observed<'a>(age: AgeGroup, codes: impl IntoIterator<Item = &'a str>) -> Answers {
        Answers { age: Some(age), answers: codes.into_iter().map(|c| (c.to_owned(), Answer::Yes)).collect() }
    }

    fn says_yes(&self, code: &str) -> bool {
        self.answers.get(code) == Some(&Answer::Yes)
    }

    fn unanswered(&self, code: &str) -> bool {
        matches!(self.answers.get(code), None | Some(Answer::Unknown))
    }
}

/// Answers that name an indicator the catalogue does not have.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown indicator '{0}'")]
pub struct AnswerError(pub String);

/// What one dimension shows for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionFinding {
    /// The dimension's code.
    pub dimension: String,
    /// Observed indicators, by code.
    pub observed: Vec<String>,
    /// Observed strong indicators.
    pub strong: usize,
    /// Observed medium indicators.
    pub medium: usize,
    /// Observed weak indicators.
    pub weak: usize,
    /// Indicators of the dimension not answered.
    pub unanswered: usize,
    /// Whether the combination rule is met.
    pub met: bool,
}

/// Whether an element of the definition is there, for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementFinding {
    /// The element's code.
    pub element: String,
    /// Whether the person's age group needs it.
    pub required: bool,
    /// The dimensions that prove it (empty when it is not there).
    pub met_by: Vec<String>,
}

/// The assessment for one purpose of exploitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeFinding {
    /// The purpose.
    pub purpose: Purpose,
    /// Every dimension, in catalogue order.
    pub dimensions: Vec<DimensionFinding>,
    /// Every element, in catalogue order.
    pub elements: Vec<ElementFinding>,
    /// Whether every required element is there.
    pub indicated: bool,
}

/// One step of the reasoning, as data (faces word it in the reader's language;
/// [`Reason::describe`] words it in English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The age is unknown, so the adult rule (means required) was applied.
    AgeTreatedAsAdult,
    /// The person is a minor: no means of control is needed.
    MinorNeedsNoMeans,
    /// A dimension reached a combination of the rule.
    DimensionMet {
        /// Purpose.
        purpose: Purpose,
        /// Dimension code.
        dimension: String,
        /// Strong indicators observed.
        strong: usize,
        /// Medium indicators observed.
        medium: usize,
        /// Weak indicators observed.
        weak: usize,
    },
    /// A dimension has signs, but too few for the rule.
    DimensionShort {
        /// Purpose.
        purpose: Purpose,
        /// Dimension code.
        dimension: String,
        /// Strong indicators observed.
        strong: usize,
        /// Medium indicators observed.
        medium: usize,
        /// Weak indicators observed.
        weak: usize,
    },
    /// A required element is there.
    ElementMet {
        /// Purpose.
        purpose: Purpose,
        /// Element code.
        element: String,
    },
    /// A required element is missing; `unanswered` questions might still show it.
    ElementMissing {
        /// Purpose.
        purpose: Purpose,
        /// Element code.
        element: String,
        /// Questions of its dimensions not answered.
        unanswered: usize,
    },
    /// General (UNODC) signs observed: they support, but decide nothing.
    GeneralSigns {
        /// How many.
        count: usize,
    },
    /// Every required element is there for this purpose.
    Indicated {
        /// Purpose.
        purpose: Purpose,
    },
    /// The advice is for the officer, who records the decision.
    OfficerDecides,
}

impl Reason {
    /// The reason in English, with the catalogue's labels.
    pub fn describe(&self, catalogue: &Catalogue) -> String {
        let dim = |c: &str| catalogue.dimension(c).map_or(c.to_owned(), |d| d.label.clone());
        let el = |c: &str| catalogue.element(c).map_or(c.to_owned(), |e| e.label.clone());
        match self {
            Reason::AgeTreatedAsAdult => "Age unknown: assessed as an adult, so the means must be shown too.".into(),
            Reason::MinorNeedsNoMeans => {
                "A child: recruitment and exploitation suffice; no means of control is needed.".into()
            }
            Reason::DimensionMet { purpose, dimension, strong, medium, weak } => format!(
                "{} ({} exploitation): met with {strong} strong, {medium} medium, {weak} weak indicators.",
                dim(dimension),
                purpose.code()
            ),
            Reason::DimensionShort { purpose, dimension, strong, medium, weak } => format!(
                "{} ({} exploitation): {strong} strong, {medium} medium, {weak} weak indicators — not enough for the rule.",
                dim(dimension),
                purpose.code()
            ),
            Reason::ElementMet { purpose, element } => {
                format!("{} ({} exploitation): present.", el(element), purpose.code())
            }
            Reason::ElementMissing { purpose, element, unanswered } => format!(
                "{} ({} exploitation): not shown; {unanswered} of its questions unanswered.",
                el(element),
                purpose.code()
            ),
            Reason::GeneralSigns { count } => {
                format!("{count} general signs observed: they support the picture but decide nothing.")
            }
            Reason::Indicated { purpose } => {
                format!(
                    "Every required element is present: indications of trafficking for {} exploitation.",
                    purpose.code()
                )
            }
            Reason::OfficerDecides => "This is advice: the officer decides and records the decision.".into(),
        }
    }
}

/// The overall advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Advice {
    /// Indications of trafficking for these purposes of exploitation.
    Indications {
        /// The purposes, in catalogue order.
        purposes: Vec<Purpose>,
    },
    /// Insufficient indications; `observed` signs were seen.
    Insufficient {
        /// Indicators observed, of any dimension.
        observed: usize,
    },
}

impl Advice {
    /// The IndicatorAssessment schema's `result`: `possible_victim` for
    /// indications (advice, not an identification), `inconclusive` when signs
    /// were seen but too few, `no_indication` when none were.
    pub fn result_code(&self) -> &'static str {
        match self {
            Advice::Indications { .. } => "possible_victim",
            Advice::Insufficient { observed: 0 } => "no_indication",
            Advice::Insufficient { .. } => "inconclusive",
        }
    }
}

/// A reasoned assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The age group the rules were applied for.
    pub age: AgeGroup,
    /// Per purpose.
    pub purposes: Vec<PurposeFinding>,
    /// The advice.
    pub advice: Advice,
    /// The reasoning, in order; the last step is always [`Reason::OfficerDecides`].
    pub reasoning: Vec<Reason>,
    /// Observed indicator codes, in catalogue order.
    pub observed: Vec<String>,
    /// Dimensions (of the ILO/EC six) with at least one observed indicator.
    pub dimensions_observed: Vec<String>,
    /// The strongest observed indicator.
    pub strongest: Option<Strength>,
    /// Sum of the observed indicators' points (for ranking, not for deciding).
    pub score: u32,
}

/// The ILO/EC rule for one dimension: at least two strong indicators; or one
/// strong and one medium or weak; or three medium; or two medium and one weak.
/// Weak indicators alone never meet it.
pub fn dimension_met(strong: usize, medium: usize, weak: usize) -> bool {
    strong >= 2 || (strong >= 1 && medium + weak >= 1) || medium >= 3 || (medium >= 2 && weak >= 1)
}

/// Assesses the answers against the catalogue. Fails only when an answer
/// names an indicator the catalogue does not have.
pub fn assess(catalogue: &Catalogue, answers: &Answers) -> Result<Assessment, AnswerError> {
    if let Some(code) = answers.answers.keys().find(|c| catalogue.indicator(c).is_none()) {
        return Err(AnswerError(code.clone()));
    }
    let age = answers.age.unwrap_or(AgeGroup::Unknown);
    let rule_age = if age == AgeGroup::Minor { "minor" } else { "adult" };
    let mut reasoning = Vec::new();
    match age {
        AgeGroup::Unknown => reasoning.push(Reason::AgeTreatedAsAdult),
        AgeGroup::Minor => reasoning.push(Reason::MinorNeedsNoMeans),
        AgeGroup::Adult => {}
    }
    let observed: Vec<String> =
        catalogue.indicators.iter().filter(|i| answers.says_yes(&i.code)).map(|i| i.code.clone()).collect();
    let mut purposes = Vec::new();
    for purpose in Purpose::ALL {
        let mut dimensions = Vec::new();
        for d in &catalogue.dimensions {
            let mut f = DimensionFinding {
                dimension: d.code.clone(),
                observed: Vec::new(),
                strong: 0,
                medium: 0,
                weak: 0,
                unanswered: 0,
                met: false,
            };
            for i in catalogue.indicators_of(&d.code).filter(|i| i.purposes.contains(&purpose)) {
                if answers.says_yes(&i.code) {
                    f.observed.push(i.code.clone());
                    match i.strength {
                        Strength::Strong => f.strong += 1,
                        Strength::Medium => f.medium += 1,
                        Strength::Weak => f.weak += 1,
                    }
                } else if answers.unanswered(&i.code) {
                    f.unanswered += 1;
                }
            }
            // General signs decide nothing: only dimensions of an element can be met.
            f.met = d.element.is_some() && dimension_met(f.strong, f.medium, f.weak);
            if d.element.is_some() && !f.observed.is_empty() {
                let (dimension, strong, medium, weak) = (d.code.clone(), f.strong, f.medium, f.weak);
                reasoning.push(if f.met {
                    Reason::DimensionMet { purpose, dimension, strong, medium, weak }
                } else {
                    Reason::DimensionShort { purpose, dimension, strong, medium, weak }
                });
            }
            dimensions.push(f);
        }
        let mut elements = Vec::new();
        for e in &catalogue.elements {
            let required = e.required_for.iter().any(|g| g == rule_age);
            let of_element = |f: &&DimensionFinding| {
                catalogue.dimension(&f.dimension).and_then(|d| d.element.as_deref()) == Some(&e.code)
            };
            let met_by: Vec<String> =
                dimensions.iter().filter(of_element).filter(|f| f.met).map(|f| f.dimension.clone()).collect();
            if required {
                reasoning.push(if met_by.is_empty() {
                    let unanswered = dimensions.iter().filter(of_element).map(|f| f.unanswered).sum();
                    Reason::ElementMissing { purpose, element: e.code.clone(), unanswered }
                } else {
                    Reason::ElementMet { purpose, element: e.code.clone() }
                });
            }
            elements.push(ElementFinding { element: e.code.clone(), required, met_by });
        }
        let indicated = elements.iter().filter(|e| e.required).all(|e| !e.met_by.is_empty());
        if indicated {
            reasoning.push(Reason::Indicated { purpose });
        }
        purposes.push(PurposeFinding { purpose, dimensions, elements, indicated });
    }
    let general = catalogue
        .indicators
        .iter()
        .filter(|i| catalogue.dimension(&i.dimension).is_some_and(|d| d.element.is_none()) && answers.says_yes(&i.code))
        .count();
    if general > 0 {
        reasoning.push(Reason::GeneralSigns { count: general });
    }
    reasoning.push(Reason::OfficerDecides);
    let indicated: Vec<Purpose> = purposes.iter().filter(|p| p.indicated).map(|p| p.purpose).collect();
    let advice = if indicated.is_empty() {
        Advice::Insufficient { observed: observed.len() }
    } else {
        Advice::Indications { purposes: indicated }
    };
    let observed_indicators = observed.iter().filter_map(|c| catalogue.indicator(c));
    let strongest = observed_indicators.clone().map(|i| i.strength).max();
    let score = observed_indicators.clone().map(|i| i.strength.points()).sum();
    let mut dimensions_observed = Vec::new();
    for d in catalogue.dimensions.iter().filter(|d| d.element.is_some()) {
        if observed_indicators.clone().any(|i| i.dimension == d.code) {
            dimensions_observed.push(d.code.clone());
        }
    }
    Ok(Assessment { age, purposes, advice, reasoning, observed, dimensions_observed, strongest, score })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(age: AgeGroup, codes: &[&str]) -> Assessment {
        assess(Catalogue::builtin(), &Answers::observed(age, codes.iter().copied())).unwrap()
    }

    #[test]
    fn the_four_combinations_of_the_dimension_rule() {
        assert!(dimension_met(2, 0, 0));
        assert!(dimension_met(1, 1, 0));
        assert!(dimension_met(1, 0, 1));
        assert!(dimension_met(0, 3, 0));
        assert!(dimension_met(0, 2, 1));
        assert!(!dimension_met(1, 0, 0), "one strong alone");
        assert!(!dimension_met(0, 2, 0), "two medium alone");
        assert!(!dimension_met(0, 1, 5), "one medium with weak ones");
        assert!(!dimension_met(0, 0, 9), "weak ones alone");
    }

    #[test]
    fn an_adult_with_recruitment_exploitation_and_coercion_shows_indications_for_labour_and_sex() {
        let a = run(
            AgeGroup::Adult,
            &[
                "dr-nature-of-work",
                "dr-conditions",
                "ec-excessive-hours",
                "ec-no-pay",
                "cd-documents",
                "cd-confinement",
            ],
        );
        assert_eq!(a.advice, Advice::Indications { purposes: vec![Purpose::Labour, Purpose::Sexual] });
        assert_eq!(a.advice.result_code(), "possible_victim");
        assert_eq!(a.strongest, Some(Strength::Strong));
        assert_eq!(a.score, 3 + 2 + 3 + 2 + 3 + 3);
        assert_eq!(a.reasoning.last(), Some(&Reason::OfficerDecides));
        assert!(a.reasoning.contains(&Reason::Indicated { purpose: Purpose::Labour }));
    }

    #[test]
    fn an_adult_without_the_means_has_insufficient_indications_and_the_reasoning_names_what_is_missing() {
        let a = run(AgeGroup::Adult, &["dr-nature-of-work", "dr-conditions", "ec-excessive-hours", "ec-no-pay"]);
        assert_eq!(a.advice, Advice::Insufficient { observed: 4 });
        assert_eq!(a.advice.result_code(), "inconclusive");
        assert!(a.reasoning.iter().any(
            |r| matches!(r, Reason::ElementMissing { purpose: Purpose::Labour, element, .. } if element == "means")
        ));
    }

    #[test]
    fn a_child_needs_no_means() {
        let codes = ["dr-nature-of-work", "dr-conditions", "ec-excessive-hours", "ec-no-pay"];
        let a = run(AgeGroup::Minor, &codes);
        assert!(matches!(a.advice, Advice::Indications { .. }));
        assert_eq!(a.reasoning.first(), Some(&Reason::MinorNeedsNoMeans));
        let unknown = run(AgeGroup::Unknown, &codes);
        assert!(matches!(unknown.advice, Advice::Insufficient { .. }), "an unknown age is assessed as an adult");
        assert_eq!(unknown.reasoning.first(), Some(&Reason::AgeTreatedAsAdult));
    }

    #[test]
    fn sexual_only_indicators_do_not_count_for_labour() {
        let a = run(
            AgeGroup::Adult,
            &["dr-not-sex-work", "dr-conditions", "ec-forced-clients", "ec-no-pay", "cd-documents", "cd-threats"],
        );
        assert_eq!(a.advice, Advice::Indications { purposes: vec![Purpose::Sexual] });
    }

    #[test]
    fn general_signs_alone_decide_nothing() {
        let a = run(AgeGroup::Adult, &["gen-fear", "gen-scripted", "gen-no-address", "gen-injuries", "gen-distrust"]);
        assert_eq!(a.advice, Advice::Insufficient { observed: 5 });
        assert!(a.reasoning.contains(&Reason::GeneralSigns { count: 5 }));
        assert!(a.dimensions_observed.is_empty());
    }

    #[test]
    fn nothing_observed_is_no_indication() {
        let a = run(AgeGroup::Adult, &[]);
        assert_eq!(a.advice.result_code(), "no_indication");
        assert_eq!(a.strongest, None);
    }

    #[test]
    fn an_unknown_indicator_is_refused() {
        let answers = Answers::observed(AgeGroup::Adult, ["no-such"]);
        assert_eq!(assess(Catalogue::builtin(), &answers), Err(AnswerError("no-such".into())));
    }

    #[test]
    fn every_reason_has_english_words() {
        let a = run(AgeGroup::Unknown, &["dr-nature-of-work", "ec-no-pay", "gen-fear"]);
        for r in &a.reasoning {
            assert!(!r.describe(Catalogue::builtin()).is_empty());
        }
    }
}
