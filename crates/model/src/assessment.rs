//! The needs assessment as data: a [`Questionnaire`] of statements rated
//! 0–4 per [`CapacityArea`], the scores per area (0–100), the gap to a
//! target, and the rules that turn gaps into a recommended training plan
//! ([`PlanRule`]: which course, for which target group, how many people).
//! The questionnaire and the rules are YAML files the app reads.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The capacity areas a country's agencies are assessed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityArea {
    /// Legal framework (Palermo Protocol, national law).
    LegalFramework,
    /// Investigative techniques.
    InvestigativeTechniques,
    /// Use of INTERPOL databases and notices.
    InterpolDatabases,
    /// Victim identification and referral.
    VictimIdentification,
    /// Gender-sensitive practice.
    GenderSensitivePractice,
    /// International cooperation.
    InternationalCooperation,
    /// Criminal analysis.
    CriminalAnalysis,
    /// Data protection.
    DataProtection,
}

impl CapacityArea {
    /// Every area, in the order reports show them.
    pub const ALL: [CapacityArea; 8] = [
        CapacityArea::LegalFramework,
        CapacityArea::InvestigativeTechniques,
        CapacityArea::InterpolDatabases,
        CapacityArea::VictimIdentification,
        CapacityArea::GenderSensitivePractice,
        CapacityArea::InternationalCooperation,
        CapacityArea::CriminalAnalysis,
        CapacityArea::DataProtection,
    ];

    /// The stored and wire code (`legal_framework`).
    pub fn code(self) -> &'static str {
        match self {
            CapacityArea::LegalFramework => "legal_framework",
            CapacityArea::InvestigativeTechniques => "investigative_techniques",
            CapacityArea::InterpolDatabases => "interpol_databases",
            CapacityArea::VictimIdentification => "victim_identification",
            CapacityArea::GenderSensitivePractice => "gender_sensitive_practice",
            CapacityArea::InternationalCooperation => "international_cooperation",
            CapacityArea::CriminalAnalysis => "criminal_analysis",
            CapacityArea::DataProtection => "data_protection",
        }
    }

    /// The area of a code.
    pub fn parse(code: &str) -> Option<CapacityArea> {
        CapacityArea::ALL.into_iter().find(|a| a.code() == code.trim())
    }
}

/// The highest rating of a statement (0 = not at all … 4 = fully).
pub const MAX_RATING: u8 = 4;

/// The questionnaire: statements about an agency's capacity, each in one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Score every area should reach (0–100); the gap is the distance to it.
    pub target: f64,
    /// The statements.
    pub items: Vec<Item>,
}

/// A statement the respondent rates 0–4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Key, unique (`lf1`).
    pub key: String,
    /// The area it measures.
    pub area: CapacityArea,
    /// The statement, in English (pages translate it by key).
    pub text: String,
}

/// Training recommended when an area's score is below `below`: `course`
/// for `target_group`, `people_per_agency` people of each agency assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRule {
    /// The area.
    pub area: CapacityArea,
    /// The score under which the rule applies.
    pub below: f64,
    /// The course's id.
    pub course: String,
    /// Who should take it.
    pub target_group: String,
    /// How many people per agency.
    pub people_per_agency: u32,
}

/// One line of a recommended training plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanLine {
    /// The area whose gap it closes.
    pub area: CapacityArea,
    /// The country's score there.
    pub score: f64,
    /// The course's id.
    pub course: String,
    /// Who should take it.
    pub target_group: String,
    /// How many people in all.
    pub people: u32,
}

impl Questionnaire {
    /// What is wrong with the questionnaire; empty when it can be used.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for i in &self.items {
            if !seen.insert(&i.key) {
                out.push(format!("items[{}]: the key is used twice", i.key));
            }
        }
        for a in CapacityArea::ALL {
            if !self.items.iter().any(|i| i.area == a) {
                out.push(format!("items: no statement measures {}", a.code()));
            }
        }
        if !(0.0..=100.0).contains(&self.target) {
            out.push("target: between 0 and 100".into());
        }
        out
    }

    /// Scores per area, 0–100: the mean rating of the area's statements
    /// over the highest rating. A statement left unrated counts 0; a rating
    /// above the highest counts as the highest.
    pub fn scores(&self, ratings: &BTreeMap<String, u8>) -> BTreeMap<CapacityArea, f64> {
        let mut sums: BTreeMap<CapacityArea, (f64, f64)> = BTreeMap::new();
        for i in &self.items {
            let r = ratings.get(&i.key).copied().unwrap_or(0).min(MAX_RATING);
            let e = sums.entry(i.area).or_default();
            e.0 += f64::from(r);
            e.1 += 1.0;
        }
        sums.into_iter().map(|(a, (sum, n))| (a, (sum / (n * f64::from(MAX_RATING)) * 1000.0).round() / 10.0)).collect()
    }
}

/// The mean of several agencies' scores per area (a country's score).
pub fn mean_scores(all: &[BTreeMap<CapacityArea, f64>]) -> BTreeMap<CapacityArea, f64> {
    let mut sums: BTreeMap<CapacityArea, (f64, f64)> = BTreeMap::new();
    for scores in all {
        for (a, s) in scores {
            let e = sums.entry(*a).or_default();
            e.0 += s;
            e.1 += 1.0;
        }
    }
    sums.into_iter().map(|(a, (sum, n))| (a, (sum / n * 10.0).round() / 10.0)).collect()
}

/// The recommended plan for a country: for each rule whose area scores
/// below its bound, the course for the target group, with
/// `people_per_agency` × `agencies` people; largest gaps first.
pub fn training_plan(rules: &[PlanRule], scores: &BTreeMap<CapacityArea, f64>, agencies: u32) -> Vec<PlanLine> {
    let mut out: Vec<PlanLine> = rules
        .iter()
        .filter_map(|r| {
            let score = *scores.get(&r.area)?;
            (score < r.below).then(|| PlanLine {
                area: r.area,
                score,
                course: r.course.clone(),
                target_group: r.target_group.clone(),
                people: r.people_per_agency * agencies.max(1),
            })
        })
        .collect();
    out.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.course.cmp(&b.course)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire() -> Questionnaire {
        let items = CapacityArea::ALL
            .iter()
            .flat_map(|a| {
                (0..2).map(move |i| Item { key: format!("{}{i}", a.code()), area: *a, text: "statement".into() })
            })
            .collect();
        Questionnaire { target: 75.0, items }
    }

    #[test]
    fn scores_are_mean_ratings_per_area_over_the_highest() {
        let q = questionnaire();
        assert!(q.problems().is_empty(), "{:?}", q.problems());
        let ratings: BTreeMap<String, u8> = [
            ("legal_framework0".to_owned(), 4),
            ("legal_framework1".to_owned(), 2),
            ("data_protection0".to_owned(), 9),
        ]
        .into();
        let s = q.scores(&ratings);
        assert_eq!(s[&CapacityArea::LegalFramework], 75.0);
        assert_eq!(s[&CapacityArea::DataProtection], 50.0, "an over-high rating counts as 4, a missing one as 0");
        assert_eq!(s[&CapacityArea::CriminalAnalysis], 0.0);
        assert_eq!(s.len(), 8);
    }

    #[test]
    fn the_plan_follows_the_rules_for_areas_below_their_bound() {
        let rules = vec![
            PlanRule {
                area: CapacityArea::InterpolDatabases,
                below: 60.0,
                course: "policing-capabilities".into(),
                target_group: "NCB staff".into(),
                people_per_agency: 5,
            },
            PlanRule {
                area: CapacityArea::GenderSensitivePractice,
                below: 60.0,
                course: "gender-transnational-crime".into(),
                target_group: "investigators".into(),
                people_per_agency: 3,
            },
        ];
        let scores: BTreeMap<CapacityArea, f64> =
            [(CapacityArea::InterpolDatabases, 40.0), (CapacityArea::GenderSensitivePractice, 80.0)].into();
        let plan = training_plan(&rules, &scores, 4);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].course, "policing-capabilities");
        assert_eq!(plan[0].people, 20);
        let mean = mean_scores(&[scores.clone(), [(CapacityArea::InterpolDatabases, 60.0)].into()]);
        assert_eq!(mean[&CapacityArea::InterpolDatabases], 50.0);
        assert_eq!(mean[&CapacityArea::GenderSensitivePractice], 80.0);
    }

    #[test]
    fn areas_round_trip() {
        for a in CapacityArea::ALL {
            assert_eq!(CapacityArea::parse(a.code()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.code()));
        }
    }
}
