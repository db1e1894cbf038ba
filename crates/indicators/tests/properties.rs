//! The assessment as properties over random answers.

use proptest::prelude::*;
use veza_indicators::{Advice, AgeGroup, Answer, Answers, Catalogue, Reason, assess, dimension_met};

fn answers() -> impl Strategy<Value = Answers> {
    let n = Catalogue::builtin().indicators.len();
    (
        prop_oneof![Just(AgeGroup::Adult), Just(AgeGroup::Minor), Just(AgeGroup::Unknown)],
        proptest::collection::vec(
            prop_oneof![Just(None), Just(Some(Answer::Yes)), Just(Some(Answer::No)), Just(Some(Answer::Unknown))],
            n,
        ),
    )
        .prop_map(|(age, picks)| {
            let c = Catalogue::builtin();
            let answers = c.indicators.iter().zip(picks).filter_map(|(i, a)| a.map(|a| (i.code.clone(), a))).collect();
            Answers { age: Some(age), answers }
        })
}

proptest! {
    /// Saying yes to one more sign never takes an indication away.
    #[test]
    fn more_signs_never_weaken_the_advice(a in answers(), extra in 0usize..100) {
        let c = Catalogue::builtin();
        let before = assess(c, &a).unwrap();
        let mut more = a.clone();
        let code = c.indicators[extra % c.indicators.len()].code.clone();
        more.answers.insert(code, Answer::Yes);
        let after = assess(c, &more).unwrap();
        for (b, f) in before.purposes.iter().zip(&after.purposes) {
            prop_assert!(!b.indicated || f.indicated, "{:?} lost its indication", b.purpose);
        }
        prop_assert!(after.score >= before.score);
    }

    /// A child never needs more than an adult.
    #[test]
    fn a_child_is_indicated_whenever_an_adult_is(a in answers()) {
        let c = Catalogue::builtin();
        let adult = assess(c, &Answers { age: Some(AgeGroup::Adult), ..a.clone() }).unwrap();
        let minor = assess(c, &Answers { age: Some(AgeGroup::Minor), ..a }).unwrap();
        for (x, y) in adult.purposes.iter().zip(&minor.purposes) {
            prop_assert!(!x.indicated || y.indicated);
        }
    }

    /// The advice agrees with the findings, the reasoning ends with the
    /// officer's decision, and every met dimension follows the rule.
    #[test]
    fn the_advice_is_the_findings_and_always_leaves_the_decision_to_the_officer(a in answers()) {
        let out = assess(Catalogue::builtin(), &a).unwrap();
        prop_assert_eq!(out.reasoning.last(), Some(&Reason::OfficerDecides));
        let indicated = out.purposes.iter().any(|p| p.indicated);
        prop_assert_eq!(indicated, matches!(out.advice, Advice::Indications { .. }));
        for p in &out.purposes {
            for d in &p.dimensions {
                if d.met {
                    prop_assert!(dimension_met(d.strong, d.medium, d.weak));
                    prop_assert!(d.dimension != "general");
                }
            }
        }
        let yes = a.answers.values().filter(|v| **v == Answer::Yes).count();
        prop_assert_eq!(out.observed.len(), yes);
    }

    /// The rule is monotone in every count.
    #[test]
    fn the_dimension_rule_is_monotone(s in 0usize..4, m in 0usize..4, w in 0usize..4) {
        if dimension_met(s, m, w) {
            prop_assert!(dimension_met(s + 1, m, w) && dimension_met(s, m + 1, w) && dimension_met(s, m, w + 1));
        }
    }
}
