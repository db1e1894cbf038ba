//! The scorer: name similarity of two token lists, and the rules for birth
//! date, gender, nationality and documents. Each rule returns what it adds
//! to the score and the rule's name, for the explanation.

use crate::record::{BirthDate, Gender};
use serde::{Deserialize, Serialize};
use veza_text::TokenRule;

/// Which birth-date differences still count as the same date. All on by
/// default; each is a known source of error in registers and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateTolerance {
    /// A year (or year and month) on one side agrees with any date in it.
    pub year_only: bool,
    /// 1 January on one side stands for "year known only" (UNHCR practice).
    pub jan_first_placeholder: bool,
    /// Day and month swapped (US versus European order when keyed).
    pub day_month_swap: bool,
    /// One year apart, same day and month (age-based estimates, typing).
    pub plus_minus_one_year: bool,
}

impl Default for DateTolerance {
    fn default() -> Self {
        DateTolerance { year_only: true, jan_first_placeholder: true, day_month_swap: true, plus_minus_one_year: true }
    }
}

/// The weights of the scorer. The defaults were set on a labelled
/// development set of the region's names; see the crate README.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// Share of the name score from the query's tokens found (the rest
    /// from the candidate's tokens found), for names of two tokens or more.
    pub query_coverage: f64,
    /// Ceiling of the name score when either name has a single token.
    pub single_token_ceiling: f64,
    /// Taken per token left unmatched on both sides (a different name, not
    /// an omitted one): `Mitko Todorov Kirilov` is not `Canko Kirilov Todorov`.
    pub conflicting_token: f64,
    /// Added for the same full birth date.
    pub date_exact: f64,
    /// Added for a date that agrees through a tolerance rule.
    pub date_tolerated: f64,
    /// Added for dates one year apart (when tolerated).
    pub date_one_year: f64,
    /// Taken for the same year but another day.
    pub date_same_year_other_day: f64,
    /// Taken for dates 1–4 years apart (not tolerated).
    pub date_few_years: f64,
    /// Taken for dates 5 or more years apart.
    pub date_far: f64,
    /// Added for the same gender; taken (as a negative) for another.
    pub gender_same: f64,
    /// Taken for another gender.
    pub gender_other: f64,
    /// Added for a shared nationality.
    pub nationality_same: f64,
    /// The least score of an exact document match.
    pub document_exact: f64,
    /// The least score of an OCR-confusion document match.
    pub document_ocr: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            query_coverage: 0.65,
            single_token_ceiling: 0.62,
            conflicting_token: 0.15,
            date_exact: 0.1,
            date_tolerated: 0.05,
            date_one_year: 0.02,
            date_same_year_other_day: -0.1,
            date_few_years: -0.3,
            date_far: -0.45,
            gender_same: 0.02,
            gender_other: -0.3,
            nationality_same: 0.02,
            document_exact: 0.95,
            document_ocr: 0.8,
        }
    }
}

/// The credit a token pair brings to the name score: its similarity from
/// 0.88 up (variants, transliterations, one typo), less and less down to
/// 0.8, none below (close spellings there are more often other names:
/// Dragan/Dragiša).
pub fn token_credit(similarity: f64) -> f64 {
    if similarity >= 0.88 {
        similarity
    } else if similarity >= 0.8 {
        // a ramp from nothing at 0.8 to full credit at 0.88
        (similarity - 0.8) / 0.08 * 0.88
    } else {
        0.0
    }
}

/// The result of comparing two token lists.
#[derive(Debug, Clone, PartialEq)]
pub struct NameComparison {
    /// In [0, 1].
    pub score: f64,
    /// For each query token, the candidate token it was paired with, the
    /// similarity and the rule.
    pub pairs: Vec<(usize, usize, f64, TokenRule)>,
}

/// Scores a name given the similarity matrix of its `n` query tokens and
/// `m` candidate tokens (`sim(i, j)`): tokens are paired greedily, best
/// first, each at most once, and both sides' coverage counts.
pub fn compare_names(
    n: usize,
    m: usize,
    weights: &Weights,
    mut sim: impl FnMut(usize, usize) -> (f64, TokenRule),
) -> NameComparison {
    let mut all: Vec<(f64, usize, usize, TokenRule)> = Vec::with_capacity(n * m);
    for i in 0..n {
        for j in 0..m {
            let (s, r) = sim(i, j);
            all.push((s, i, j, r));
        }
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_q = 0u64;
    let mut used_e = 0u64;
    let mut pairs = Vec::with_capacity(n.min(m));
    let mut credit = 0.0;
    let mut matched = 0usize;
    for (s, i, j, r) in all {
        if i >= 64 || j >= 64 || used_q & (1 << i) != 0 || used_e & (1 << j) != 0 {
            continue;
        }
        used_q |= 1 << i;
        used_e |= 1 << j;
        let c = token_credit(s);
        if s >= 0.8 {
            matched += 1;
        }
        credit += c;
        pairs.push((i, j, s, r));
    }
    let (qcov, ecov) = (credit / n.max(1) as f64, credit / m.max(1) as f64);
    let conflicts = (n - matched.min(n)).min(m - matched.min(m)) as f64;
    let score = if n <= 1 || m <= 1 {
        weights.single_token_ceiling * qcov.max(ecov)
    } else {
        weights.query_coverage * qcov + (1.0 - weights.query_coverage) * ecov - weights.conflicting_token * conflicts
    };
    pairs.sort_by_key(|p| p.0);
    NameComparison { score: score.clamp(0.0, 1.0), pairs }
}

/// [`compare_names`]' score alone, without allocating: what every
/// candidate costs. Names of more than 64 token pairs take the long way.
pub fn name_score(n: usize, m: usize, weights: &Weights, mut sim: impl FnMut(usize, usize) -> f64) -> f64 {
    if n * m > 64 {
        return compare_names(n, m, weights, |i, j| (sim(i, j), TokenRule::Different)).score;
    }
    let mut all = [(0.0f64, 0u8, 0u8); 64];
    let mut k = 0;
    for i in 0..n {
        for j in 0..m {
            all[k] = (sim(i, j), i as u8, j as u8);
            k += 1;
        }
    }
    let all = &mut all[..k];
    all.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_q, mut used_e, mut credit, mut matched) = (0u64, 0u64, 0.0, 0usize);
    for &(s, i, j) in all.iter() {
        if used_q & (1 << i) != 0 || used_e & (1 << j) != 0 {
            continue;
        }
        used_q |= 1 << i;
        used_e |= 1 << j;
        if s >= 0.8 {
            matched += 1;
        }
        credit += token_credit(s);
    }
    let (qcov, ecov) = (credit / n.max(1) as f64, credit / m.max(1) as f64);
    let conflicts = (n - matched.min(n)).min(m - matched.min(m)) as f64;
    let score = if n <= 1 || m <= 1 {
        weights.single_token_ceiling * qcov.max(ecov)
    } else {
        weights.query_coverage * qcov + (1.0 - weights.query_coverage) * ecov - weights.conflicting_token * conflicts
    };
    score.clamp(0.0, 1.0)
}

/// Which birth-date rule applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    /// No date on one side.
    NotCompared,
    /// The same full date.
    Exact,
    /// A year or year-month on one side, agreeing.
    YearOnly,
    /// 1 January on one side in the same year.
    JanFirstPlaceholder,
    /// Day and month swapped.
    DayMonthSwap,
    /// One year apart, same day and month.
    PlusMinusOneYear,
    /// The same year, another day.
    SameYearOtherDay,
    /// Years apart.
    Conflict,
}

impl DateRule {
    /// The rule in words.
    pub fn words(self) -> &'static str {
        match self {
            DateRule::NotCompared => "not compared: missing on one side",
            DateRule::Exact => "same date",
            DateRule::YearOnly => "year-only date agrees",
            DateRule::JanFirstPlaceholder => "1 January placeholder in the same year",
            DateRule::DayMonthSwap => "day and month swapped",
            DateRule::PlusMinusOneYear => "one year apart, same day and month",
            DateRule::SameYearOtherDay => "same year, another day",
            DateRule::Conflict => "years apart",
        }
    }
}

/// Compares two birth dates under a tolerance; returns the rule and what it
/// adds to the score.
pub fn compare_dates(q: &BirthDate, e: &BirthDate, tol: &DateTolerance, w: &Weights) -> (DateRule, f64) {
    let diff = (q.year as i32 - e.year as i32).unsigned_abs();
    let partial = !q.is_full() || !e.is_full();
    let month_clash = matches!((q.month, e.month), (Some(a), Some(b)) if a != b);
    let placeholder = q.is_jan_first() || e.is_jan_first();
    if diff == 0 {
        if q == e && q.is_full() {
            return (DateRule::Exact, w.date_exact);
        }
        if partial && !month_clash && tol.year_only {
            return (DateRule::YearOnly, w.date_tolerated);
        }
        if partial && month_clash && tol.year_only && (q.day.is_none() && e.day.is_none()) {
            return (DateRule::SameYearOtherDay, w.date_same_year_other_day);
        }
        if placeholder && tol.jan_first_placeholder {
            return (DateRule::JanFirstPlaceholder, w.date_tolerated);
        }
        if tol.day_month_swap && q.is_full() && e.is_full() && q.month == e.day && q.day == e.month {
            return (DateRule::DayMonthSwap, w.date_tolerated);
        }
        if partial && tol.year_only {
            return (DateRule::YearOnly, w.date_tolerated);
        }
        return (DateRule::SameYearOtherDay, w.date_same_year_other_day);
    }
    if diff == 1 && tol.plus_minus_one_year && (partial || placeholder || (q.month == e.month && q.day == e.day)) {
        return (DateRule::PlusMinusOneYear, w.date_one_year);
    }
    (DateRule::Conflict, if diff >= 5 { w.date_far } else { w.date_few_years })
}

/// The best agreement among several dates on each side.
pub fn best_date(
    q: &[BirthDate],
    e: &[BirthDate],
    tol: &DateTolerance,
    w: &Weights,
) -> (DateRule, f64, Option<(BirthDate, BirthDate)>) {
    let mut best = (DateRule::NotCompared, 0.0, None);
    let mut first = true;
    for a in q {
        for b in e {
            let (r, s) = compare_dates(a, b, tol, w);
            if first || s > best.1 {
                best = (r, s, Some((*a, *b)));
                first = false;
            }
        }
    }
    best
}

/// What gender adds: the same, another, or unknown.
pub fn compare_gender(q: Option<Gender>, e: Option<Gender>, w: &Weights) -> Option<f64> {
    match (q, e) {
        (Some(a), Some(b)) => Some(if a == b { w.gender_same } else { w.gender_other }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> BirthDate {
        BirthDate::parse(s).unwrap()
    }

    fn rule(a: &str, b: &str) -> DateRule {
        compare_dates(&d(a), &d(b), &DateTolerance::default(), &Weights::default()).0
    }

    #[test]
    fn date_rules() {
        assert_eq!(rule("1990-05-07", "1990-05-07"), DateRule::Exact);
        assert_eq!(rule("1990", "1990-05-07"), DateRule::YearOnly);
        assert_eq!(rule("1990-01-01", "1990-05-07"), DateRule::JanFirstPlaceholder);
        assert_eq!(rule("1990-07-05", "1990-05-07"), DateRule::DayMonthSwap);
        assert_eq!(rule("1991-05-07", "1990-05-07"), DateRule::PlusMinusOneYear);
        assert_eq!(rule("1990-06-07", "1990-05-07"), DateRule::SameYearOtherDay);
        assert_eq!(rule("1975-05-07", "1990-05-07"), DateRule::Conflict);
    }

    #[test]
    fn tolerances_can_be_switched_off() {
        let strict = DateTolerance {
            year_only: false,
            jan_first_placeholder: false,
            day_month_swap: false,
            plus_minus_one_year: false,
        };
        let w = Weights::default();
        assert_eq!(compare_dates(&d("1991-05-07"), &d("1990-05-07"), &strict, &w).0, DateRule::Conflict);
        assert_eq!(compare_dates(&d("1990-07-05"), &d("1990-05-07"), &strict, &w).0, DateRule::SameYearOtherDay);
    }

    #[test]
    fn names_pair_tokens_once() {
        let w = Weights::default();
        let q = ["ana", "kovac"];
        let e = ["kovac", "ana", "marija"];
        let c =
            compare_names(
                2,
                3,
                &w,
                |i, j| if q[i] == e[j] { (1.0, TokenRule::Exact) } else { (0.0, TokenRule::Different) },
            );
        assert!(c.score > 0.85 && c.score < 1.0, "{}", c.score);
        assert_eq!(c.pairs.len(), 2);
        let fast = name_score(2, 3, &w, |i, j| if q[i] == e[j] { 1.0 } else { 0.0 });
        assert_eq!(fast, c.score);
    }
}
