//! The Fellegi–Sunter model: for each field and level, m (the chance of the
//! level among true matches) and u (among non-matches). u comes from random
//! pairs; m and the share of matches from EM over the compared pairs,
//! without labels; labelled pairs, when given, are held at their label.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A level that is absent in a comparison vector (a value is missing).
pub const MISSING: u8 = u8::MAX;

/// m and u of one field's levels, and the weights used for scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldModel {
    /// P(level | match), per level.
    pub m: Vec<f64>,
    /// P(level | non-match), per level.
    pub u: Vec<f64>,
    /// The weight of each level in bits: log2(m/u), smoothed so that levels
    /// seen too rarely to estimate borrow from the level before, and never
    /// above the level before (levels go from most to least similar).
    pub weights: Vec<f64>,
    /// P(exact agreement) between random records: the baseline for the
    /// term-frequency adjustment.
    pub u_exact_random: f64,
}

/// The trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// One per schema field.
    pub fields: Vec<FieldModel>,
    /// The share of matches among compared pairs (EM's lambda).
    pub match_share: f64,
    /// EM iterations run.
    pub iterations: usize,
}

/// The comparison vectors to train on: one level per field per pair, and
/// the label of the pairs an analyst judged.
pub struct Training<'a> {
    /// Number of fields.
    pub fields: usize,
    /// Level counts per field.
    pub level_counts: &'a [usize],
    /// Comparison vectors, `fields` levels per pair, flat.
    pub vectors: &'a [u8],
    /// Comparison vectors of labelled pairs and whether each is a match.
    pub labelled: &'a [(Vec<u8>, bool)],
}

const FLOOR: f64 = 1e-6;
const MIN_SUPPORT: f64 = 3.0;

impl Model {
    /// Trains m and the match share by EM, starting from u estimated on
    /// random pairs (`u_counts[f][l]`: how many random pairs had level l of
    /// field f) and `u_exact_random` per field.
    pub fn train(t: &Training<'_>, u_counts: &[Vec<f64>], u_exact_random: &[f64], max_iterations: usize) -> Model {
        // Identical comparison vectors are counted once: EM runs over
        // patterns, so its cost does not grow with the number of pairs.
        let mut patterns: HashMap<&[u8], f64> = HashMap::new();
        for v in t.vectors.chunks_exact(t.fields.max(1)) {
            *patterns.entry(v).or_default() += 1.0;
        }
        let patterns: Vec<(&[u8], f64)> = patterns.into_iter().collect();
        let u: Vec<Vec<f64>> = u_counts
            .iter()
            .map(|c| {
                let total: f64 = c.iter().sum::<f64>() + c.len() as f64;
                c.iter().map(|x| ((x + 1.0) / total).max(FLOOR)).collect()
            })
            .collect();
        // Start: matches agree on the most similar level most of the time.
        let mut m: Vec<Vec<f64>> = t
            .level_counts
            .iter()
            .map(|&n| {
                // 0.9 on the first level; the rest halves level by level.
                let mut v: Vec<f64> = (0..n).map(|l| if l == 0 { 0.9 } else { 0.1 * 0.5f64.powi(l as i32) }).collect();
                let s: f64 = v.iter().sum();
                v.iter_mut().for_each(|x| *x /= s);
                v
            })
            .collect();
        let mut lambda = 0.01;
        let mut iterations = 0;
        for _ in 0..max_iterations {
            iterations += 1;
            let mut m_acc: Vec<Vec<f64>> = t.level_counts.iter().map(|&n| vec![0.0; n]).collect();
            let mut matched = 0.0;
            let mut total = 0.0;
            let add = |v: &[u8], weight: f64, r: f64, m_acc: &mut Vec<Vec<f64>>| {
                for (f, &l) in v.iter().enumerate() {
                    if l != MISSING {
                        m_acc[f][l as usize] += weight * r;
                    }
                }
            };
            for (v, count) in &patterns {
                let r = responsibility(v, &m, &u, lambda);
                add(v, *count, r, &mut m_acc);
                matched += count * r;
                total += count;
            }
            for (v, is_match) in t.labelled {
                add(v, 1.0, if *is_match { 1.0 } else { 0.0 }, &mut m_acc);
            }
            let new_lambda = (matched / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
            let mut change = (new_lambda - lambda).abs();
            for (f, acc) in m_acc.iter().enumerate() {
                let s: f64 = acc.iter().sum();
                if s <= 0.0 {
                    continue;
                }
                for (l, a) in acc.iter().enumerate() {
                    let new = (a / s).max(FLOOR);
                    change = change.max((new - m[f][l]).abs());
                    m[f][l] = new;
                }
            }
            lambda = new_lambda;
            if change < 1e-7 {
                break;
            }
        }
        // How much evidence each level had, for the smoothing of weights.
        let mut support: Vec<Vec<f64>> = t.level_counts.iter().map(|&n| vec![0.0; n]).collect();
        for (v, count) in &patterns {
            for (f, &l) in v.iter().enumerate() {
                if l != MISSING {
                    support[f][l as usize] += count;
                }
            }
        }
        let fields = (0..t.fields)
            .map(|f| {
                let weights = smoothed_weights(&m[f], &u[f], &support[f], &u_counts[f]);
                FieldModel { m: m[f].clone(), u: u[f].clone(), weights, u_exact_random: u_exact_random[f] }
            })
            .collect();
        Model { fields, match_share: lambda, iterations }
    }

    /// The prior weight in bits: log2 of the odds of a match among compared pairs.
    pub fn prior_weight(&self) -> f64 {
        (self.match_share / (1.0 - self.match_share)).log2()
    }
}

fn responsibility(v: &[u8], m: &[Vec<f64>], u: &[Vec<f64>], lambda: f64) -> f64 {
    let mut log_odds = (lambda / (1.0 - lambda)).ln();
    for (f, &l) in v.iter().enumerate() {
        if l != MISSING {
            log_odds += (m[f][l as usize] / u[f][l as usize]).ln();
        }
    }
    1.0 / (1.0 + (-log_odds).exp())
}

/// The weight of each level, strongest agreement first, made monotone: a
/// level of more agreement never weighs less than one of less agreement
/// (exact ≥ transliteration-equal ≥ close …). First, a level seen too rarely
/// to estimate takes the weight of the next stronger level (the strongest
/// keeps its own estimate). Then, from the weakest level up, a level whose
/// weight falls below a weaker one's is raised to it. Raising, not lowering:
/// when the true pairs of a dataset agree only up to transliteration
/// (`KRASNIQI ARBEN` / `Arben Krasniqi`), an empty exact level must not pull
/// the level they do reach down with it.
fn smoothed_weights(m: &[f64], u: &[f64], support: &[f64], u_counts: &[f64]) -> Vec<f64> {
    let mut weights: Vec<f64> = Vec::with_capacity(m.len());
    for l in 0..m.len() {
        let seen = support[l] + u_counts[l];
        let raw = (m[l] / u[l]).log2();
        weights.push(if seen < MIN_SUPPORT && l > 0 { weights[l - 1] } else { raw });
    }
    for l in (0..weights.len().saturating_sub(1)).rev() {
        weights[l] = weights[l].max(weights[l + 1]);
    }
    weights
}

/// Converts a match weight in bits to a probability.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() { 1.0 } else { odds / (1.0 + odds) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic generator for the toy data.
    fn lcg(state: &mut u64) -> f64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    fn draw(p: &[f64], state: &mut u64) -> u8 {
        let x = lcg(state);
        let mut acc = 0.0;
        for (i, q) in p.iter().enumerate() {
            acc += q;
            if x < acc {
                return i as u8;
            }
        }
        (p.len() - 1) as u8
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn em_recovers_known_m_and_share_on_a_toy_set() {
        let m_true = [vec![0.9, 0.07, 0.03], vec![0.85, 0.1, 0.05], vec![0.8, 0.2], vec![0.95, 0.05]];
        let u_true = [vec![0.02, 0.08, 0.9], vec![0.01, 0.04, 0.95], vec![0.05, 0.95], vec![0.1, 0.9]];
        let share = 0.2;
        let mut state = 7u64;
        let mut vectors = Vec::new();
        for _ in 0..40_000 {
            let is_match = lcg(&mut state) < share;
            for f in 0..4 {
                let p = if is_match { &m_true[f] } else { &u_true[f] };
                vectors.push(draw(p, &mut state));
            }
        }
        let u_counts: Vec<Vec<f64>> = u_true.iter().map(|u| u.iter().map(|x| x * 100_000.0).collect()).collect();
        let level_counts = [3, 3, 2, 2];
        let t = Training { fields: 4, level_counts: &level_counts, vectors: &vectors, labelled: &[] };
        let model = Model::train(&t, &u_counts, &[0.02, 0.01, 0.05, 0.1], 200);
        assert!((model.match_share - share).abs() < 0.01, "share {}", model.match_share);
        for f in 0..4 {
            for (l, want) in m_true[f].iter().enumerate() {
                let got = model.fields[f].m[l];
                assert!((got - want).abs() < 0.02, "m[{f}][{l}] = {got}, want {want}");
            }
        }
        assert!(model.fields[0].weights[0] > 5.0 && model.fields[0].weights[2] < -4.0);
    }

    #[test]
    fn weights_never_rise_as_levels_get_less_similar() {
        let w = smoothed_weights(
            &[0.5, 0.001, 0.3, 0.199],
            &[0.01, 0.001, 0.001, 0.988],
            &[10.0, 0.0, 10.0, 10.0],
            &[10.0, 0.0, 10.0, 10.0],
        );
        assert!(w.windows(2).all(|p| p[1] <= p[0]), "{w:?}");
        assert_eq!(w[1], w[0], "an unseen level borrows the weight before it");
    }

    #[test]
    fn probability_is_bounded() {
        for w in [-2000.0, -10.0, 0.0, 10.0, 2000.0] {
            let p = probability(w);
            assert!((0.0..=1.0).contains(&p));
        }
        assert_eq!(probability(0.0), 0.5);
    }
}
