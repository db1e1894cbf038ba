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
    /// The chance that two records drawn at random are a match: the prior
    /// of every score, consistent with u (also drawn from random pairs), so
    /// a pair scores the same whichever blocking key compared it.
    pub match_share: f64,
    /// EM iterations run (all sessions).
    pub iterations: usize,
    /// The fields that together say where a record lives (street lines,
    /// locality, postcode): see [`Model::place_disagreement`].
    #[serde(default)]
    pub place_fields: Vec<usize>,
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
    /// Per pair (as in `vectors`), the blocking keys it agrees on: bit k
    /// for key k. Empty: one session over all pairs, nothing masked.
    pub agreed_keys: &'a [u64],
    /// Per blocking key, the fields it is made of.
    pub key_fields: &'a [Vec<usize>],
    /// How many compared pairs each vector stands for (vectors may be a sample).
    pub pair_weight: f64,
    /// Pairs of records there are in all, n(n−1)/2 (for the prior).
    pub all_pairs: f64,
    /// Comparison vectors of labelled pairs and whether each is a match.
    pub labelled: &'a [(Vec<u8>, bool)],
    /// The fields that describe one place (see [`Model::place_disagreement`]).
    pub place_fields: &'a [usize],
}

const FLOOR: f64 = 1e-6;
/// A session needs this many pairs to say anything about m.
const MIN_SESSION: f64 = 20.0;

/// What one EM session learnt: m per field (`None` where masked or never
/// seen) and its expected number of matches.
struct Session {
    m: Vec<Option<Vec<f64>>>,
    /// Expected matches with a value in each field (m's evidence).
    seen: Vec<f64>,
    /// The share of the session's pairs that are matches (λ of the session).
    purity: f64,
    matches: f64,
    iterations: usize,
}

impl Model {
    /// Trains m by EM and the prior, starting from u estimated on random
    /// pairs (`u_counts[f][l]`: how many random pairs had level l of field
    /// f) and `u_exact_random` per field.
    ///
    /// EM runs once per blocking key, over the pairs that agree on it, with
    /// the key's own fields masked: those agree by construction, so they
    /// would pass for evidence of a match (Splink's training sessions). A
    /// field's m is the mean of the sessions that saw it, weighted by their
    /// expected matches with a value there times their match share. The prior is then the share of matches among all
    /// n(n−1)/2 pairs: a fixed point of EM on that one parameter, counting
    /// the pairs no key compared as non-matches.
    pub fn train(t: &Training<'_>, u_counts: &[Vec<f64>], u_exact_random: &[f64], max_iterations: usize) -> Model {
        let f = t.fields.max(1);
        // One pseudo-pair spread over the levels: at a handful of records
        // (15 random pairs) add-one per level would put u(exact) near 5%
        // and make an exact name and birth date weak evidence.
        let u: Vec<Vec<f64>> = u_counts
            .iter()
            .map(|c| {
                let total: f64 = c.iter().sum::<f64>() + 1.0;
                let pseudo = 1.0 / c.len().max(1) as f64;
                c.iter().map(|x| ((x + pseudo) / total).max(FLOOR)).collect()
            })
            .collect();
        let pairs = t.vectors.len() / f;
        let masks: Vec<(u64, Vec<bool>)> = if t.agreed_keys.len() == pairs && !t.key_fields.is_empty() {
            t.key_fields
                .iter()
                .take(64)
                .enumerate()
                .map(|(k, fields)| (1u64 << k, (0..t.fields).map(|x| fields.contains(&x)).collect()))
                .collect()
        } else {
            vec![(0, vec![false; t.fields])]
        };
        let mut sessions: Vec<Session> = masks
            .iter()
            .filter_map(|(bit, masked)| {
                let mut patterns: HashMap<Vec<u8>, f64> = HashMap::new();
                for (i, v) in t.vectors.chunks_exact(f).enumerate() {
                    if *bit != 0 && t.agreed_keys[i] & bit == 0 {
                        continue;
                    }
                    let key: Vec<u8> = v.iter().zip(masked).map(|(&l, &x)| if x { MISSING } else { l }).collect();
                    *patterns.entry(key).or_default() += 1.0;
                }
                let labelled: Vec<(Vec<u8>, bool)> = t
                    .labelled
                    .iter()
                    .map(|(v, m)| (v.iter().zip(masked).map(|(&l, &x)| if x { MISSING } else { l }).collect(), *m))
                    .collect();
                let patterns: Vec<(&[u8], f64)> = patterns.iter().map(|(k, c)| (k.as_slice(), *c)).collect();
                let total: f64 = patterns.iter().map(|p| p.1).sum();
                (total >= MIN_SESSION || !labelled.is_empty())
                    .then(|| em(t.level_counts, &patterns, &labelled, &u, masked, max_iterations))
            })
            .collect();
        if sessions.iter().all(|s| s.matches <= 0.0) {
            // No key had pairs enough: one session over everything.
            let mut patterns: HashMap<&[u8], f64> = HashMap::new();
            for v in t.vectors.chunks_exact(f) {
                *patterns.entry(v).or_default() += 1.0;
            }
            let patterns: Vec<(&[u8], f64)> = patterns.into_iter().collect();
            sessions = vec![em(t.level_counts, &patterns, t.labelled, &u, &vec![false; t.fields], max_iterations)];
        }
        let iterations = sessions.iter().map(|s| s.iterations).sum();
        // Each field's m: the mean over the sessions that saw it, weighted
        // by the expected matches with a value there and by the session's
        // purity (sessions on a name's sound mix in namesakes).
        let mut evidence = vec![0.0; t.fields];
        let m: Vec<Vec<f64>> = (0..t.fields)
            .map(|x| {
                let mut acc = vec![0.0; t.level_counts[x]];
                for s in &sessions {
                    if let Some(mx) = &s.m[x] {
                        let w = s.seen[x] * s.purity;
                        acc.iter_mut().zip(mx).for_each(|(a, v)| *a += w * v);
                        evidence[x] += w;
                    }
                }
                if evidence[x] > 0.0 {
                    acc.iter().map(|a| (a / evidence[x]).max(FLOOR)).collect()
                } else {
                    start_m(acc.len())
                }
            })
            .collect();
        let mut patterns: HashMap<&[u8], f64> = HashMap::new();
        for v in t.vectors.chunks_exact(f) {
            *patterns.entry(v).or_default() += t.pair_weight;
        }
        let fields: Vec<FieldModel> = (0..t.fields)
            .map(|x| {
                let matches: Vec<f64> = m[x].iter().map(|p| p * evidence[x]).collect();
                let weights = smoothed_weights(&m[x], &u[x], &matches);
                FieldModel { m: m[x].clone(), u: u[x].clone(), weights, u_exact_random: u_exact_random[x] }
            })
            .collect();
        let patterns: Vec<(&[u8], f64)> = patterns.into_iter().collect();
        let mut model = Model { fields, match_share: 0.5, iterations, place_fields: t.place_fields.to_vec() };
        model.match_share = random_pair_prior(&model, &patterns, t.all_pairs, max_iterations);
        model
    }

    /// The sum of the level weights of a comparison vector (missing fields
    /// count nothing), without the prior and term-frequency adjustments.
    pub fn level_weights(&self, v: &[u8]) -> f64 {
        let w: f64 = v
            .iter()
            .enumerate()
            .filter(|(_, l)| **l != MISSING)
            .map(|(f, &l)| self.fields[f].weights[l as usize])
            .sum();
        w - self.place_discount(v)
    }

    /// When every place field of `v` (at least two present) is at its last
    /// level, "different", the one whose disagreement weighs most; the other
    /// place fields then count nothing.
    ///
    /// Why: street lines, locality and postcode are not independent
    /// witnesses. A person who moved, or a record that holds another of their
    /// addresses, differs on all of them at once; summing their disagreements
    /// counts one fact three or four times and outvotes an agreeing name,
    /// birth date and identifier. So a whole address that differs is one
    /// piece of evidence, as strong as its strongest part. Where some place
    /// fields agree, each still counts on its own (typos strike fields
    /// independently). A region is left out: it is coarse, and a move within
    /// it keeps it.
    pub fn place_disagreement(&self, v: &[u8]) -> Option<usize> {
        let mut present = 0;
        let mut strongest: Option<(usize, f64)> = None;
        for &f in &self.place_fields {
            let l = v[f];
            if l == MISSING {
                continue;
            }
            let weights = &self.fields[f].weights;
            if l as usize + 1 != weights.len() {
                return None;
            }
            present += 1;
            if strongest.is_none_or(|(_, w)| weights[l as usize] < w) {
                strongest = Some((f, weights[l as usize]));
            }
        }
        strongest.filter(|_| present >= 2).map(|(f, _)| f)
    }

    /// The weight the place fields other than the strongest disagreement
    /// would have added (negative), taken back: see [`Model::place_disagreement`].
    pub fn place_discount(&self, v: &[u8]) -> f64 {
        let Some(kept) = self.place_disagreement(v) else { return 0.0 };
        self.place_fields
            .iter()
            .filter(|&&f| f != kept && v[f] != MISSING)
            .map(|&f| self.fields[f].weights[v[f] as usize])
            .sum()
    }

    /// The prior weight in bits: log2 of the odds that two random records match.
    pub fn prior_weight(&self) -> f64 {
        (self.match_share / (1.0 - self.match_share)).log2()
    }
}

/// m at the start of EM: 0.9 on the first level, the rest halving level by level.
fn start_m(levels: usize) -> Vec<f64> {
    let v: Vec<f64> = (0..levels).map(|l| if l == 0 { 0.9 } else { 0.1 * 0.5f64.powi(l as i32) }).collect();
    let s: f64 = v.iter().sum();
    v.iter().map(|x| x / s).collect()
}

/// One EM session over `patterns` (vectors with their counts), fields in
/// `masked` left out.
fn em(
    level_counts: &[usize],
    patterns: &[(&[u8], f64)],
    labelled: &[(Vec<u8>, bool)],
    u: &[Vec<f64>],
    masked: &[bool],
    max_iterations: usize,
) -> Session {
    let mut m: Vec<Vec<f64>> = level_counts.iter().map(|&n| start_m(n)).collect();
    let mut lambda = 0.01;
    let mut iterations = 0;
    let mut seen = vec![0.0; level_counts.len()];
    let mut matched = 0.0;
    for _ in 0..max_iterations {
        iterations += 1;
        let mut m_acc: Vec<Vec<f64>> = level_counts.iter().map(|&n| vec![0.0; n]).collect();
        matched = 0.0;
        let mut total = 0.0;
        let add = |v: &[u8], weight: f64, m_acc: &mut Vec<Vec<f64>>| {
            for (f, &l) in v.iter().enumerate() {
                if l != MISSING {
                    m_acc[f][l as usize] += weight;
                }
            }
        };
        for (v, count) in patterns {
            let r = responsibility(v, &m, u, lambda);
            add(v, count * r, &mut m_acc);
            matched += count * r;
            total += count;
        }
        for (v, is_match) in labelled {
            add(v, if *is_match { 1.0 } else { 0.0 }, &mut m_acc);
        }
        let new_lambda = (matched / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (new_lambda - lambda).abs();
        for (f, acc) in m_acc.iter().enumerate() {
            let s: f64 = acc.iter().sum();
            if s <= 0.0 {
                continue;
            }
            seen[f] = s;
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
    let m = m.into_iter().enumerate().map(|(f, mf)| (seen[f] > 0.0 && !masked[f]).then_some(mf)).collect();
    Session { m, seen, purity: lambda, matches: matched, iterations }
}

/// The share of matches among all pairs: the fixed point of λ ← Σ P(match |
/// vector, λ) / all pairs over the compared pairs (the rest count as
/// non-matches), iterated down from its upper bound, compared / all.
fn random_pair_prior(model: &Model, patterns: &[(&[u8], f64)], all_pairs: f64, max_iterations: usize) -> f64 {
    let compared: f64 = patterns.iter().map(|p| p.1).sum();
    if compared <= 0.0 || all_pairs <= 0.0 {
        return 0.5;
    }
    let weights: Vec<(f64, f64)> = patterns.iter().map(|(v, c)| (model.level_weights(v), *c)).collect();
    let mut lambda = (compared / all_pairs).clamp(1e-12, 0.5);
    for _ in 0..max_iterations.max(50) {
        let prior = (lambda / (1.0 - lambda)).log2();
        let expected: f64 = weights.iter().map(|(w, c)| c * probability(prior + w)).sum();
        let next = (expected / all_pairs).clamp(1e-12, 0.5);
        let done = (next - lambda).abs() <= 1e-6 * lambda;
        lambda = next;
        if done {
            break;
        }
    }
    lambda
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

/// Weights from m and u. m is smoothed by the expected matches behind it:
/// one pseudo-match per level, spread as EM's starting m spreads them, so a
/// level the matches never showed gets a small m rather than the floor,
/// and a handful of records does not swing m (a tiny input keeps close to
/// the start: matches agree on the most similar level). The last level
/// ("different") never weighs more than any other level.
fn smoothed_weights(m: &[f64], u: &[f64], matches: &[f64]) -> Vec<f64> {
    let total: f64 = matches.iter().sum();
    let pseudo = m.len() as f64;
    let start = start_m(m.len());
    let mut weights: Vec<f64> = (0..m.len())
        .map(|l| (((matches[l] + pseudo * start[l]) / (total + pseudo)).max(FLOOR) / u[l]).log2())
        .collect();
    if let Some((last, rest)) = weights.split_last_mut() {
        *last = rest.iter().copied().fold(*last, f64::min);
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
        let t = Training {
            fields: 4,
            level_counts: &level_counts,
            vectors: &vectors,
            agreed_keys: &[],
            key_fields: &[],
            pair_weight: 1.0,
            all_pairs: 400_000.0,
            labelled: &[],
            place_fields: &[],
        };
        let model = Model::train(&t, &u_counts, &[0.02, 0.01, 0.05, 0.1], 200);
        // 8,000 matches among 400,000 pairs in all.
        assert!((model.match_share - share * 40_000.0 / 400_000.0).abs() < 0.002, "share {}", model.match_share);
        for f in 0..4 {
            for (l, want) in m_true[f].iter().enumerate() {
                let got = model.fields[f].m[l];
                assert!((got - want).abs() < 0.02, "m[{f}][{l}] = {got}, want {want}");
            }
        }
        assert!(model.fields[0].weights[0] > 5.0 && model.fields[0].weights[2] < -4.0);
    }

    #[test]
    fn agreement_on_the_blocking_key_is_not_taken_for_a_match() {
        // Every compared pair agrees on field 0, the blocking key; only 10%
        // are matches, told apart by fields 1 and 2. Unmasked, EM could take
        // "agrees on field 0" for the match class.
        let (m_true, u_true) = ([0.9, 0.1], [0.02, 0.98]);
        let mut state = 11u64;
        let (mut vectors, mut agreed, mut matches) = (Vec::new(), Vec::new(), 0.0);
        for _ in 0..20_000 {
            let is_match = lcg(&mut state) < 0.1;
            matches += if is_match { 1.0 } else { 0.0 };
            vectors.push(0);
            for _ in 0..2 {
                vectors.push(draw(if is_match { &m_true } else { &u_true }, &mut state));
            }
            agreed.push(1u64);
        }
        let u_counts = vec![vec![100.0, 9_900.0], vec![200.0, 9_800.0], vec![200.0, 9_800.0]];
        let t = Training {
            fields: 3,
            level_counts: &[2, 2, 2],
            vectors: &vectors,
            agreed_keys: &agreed,
            key_fields: &[vec![0]],
            pair_weight: 1.0,
            all_pairs: 1e7,
            labelled: &[],
            place_fields: &[],
        };
        let model = Model::train(&t, &u_counts, &[0.01, 0.02, 0.02], 200);
        for f in 1..3 {
            assert!((model.fields[f].m[0] - 0.9).abs() < 0.03, "m[{f}] = {:?}", model.fields[f].m);
        }
        // The prior counts the matches among all pairs, not among compared ones.
        let expected = model.match_share * 1e7;
        assert!((expected / matches - 1.0).abs() < 0.25, "{expected} expected matches, {matches} true");
    }

    #[test]
    fn a_level_matches_never_show_gets_a_small_finite_weight() {
        // Level 1 is common among random pairs but no match has it (FEBRL
        // has no swapped days); level 2 is good evidence of a match.
        let w = smoothed_weights(&[0.9, 0.0, 0.05, 0.05], &[0.001, 0.01, 0.001, 0.988], &[900.0, 0.0, 50.0, 50.0]);
        assert!(w[1] < 0.0 && w[1].is_finite(), "{w:?}");
        assert!(w[2] > 5.0, "{w:?}");
        // A disagreement never seen among matches is strong evidence against.
        let w = smoothed_weights(&[1.0, 0.0], &[0.01, 0.99], &[200.0, 0.0]);
        assert!(w[1] < -7.0, "{w:?}");
    }

    #[test]
    fn the_last_level_never_outweighs_another() {
        let w = smoothed_weights(&[0.5, 0.1, 0.4], &[0.01, 0.5, 0.49], &[50.0, 10.0, 40.0]);
        assert!(w[2] <= w[1] && w[2] <= w[0], "{w:?}");
    }

    #[test]
    fn a_whole_address_that_differs_counts_once_at_its_strongest_part() {
        let field = |weights: Vec<f64>| FieldModel { m: vec![], u: vec![], weights, u_exact_random: 0.0 };
        let model = Model {
            fields: vec![
                field(vec![8.0, -3.0]),
                field(vec![9.0, 4.0, -4.5]),
                field(vec![9.0, -3.4]),
                field(vec![9.0, 4.0, -5.0]),
            ],
            match_share: 0.001,
            iterations: 0,
            place_fields: vec![1, 2, 3],
        };
        // Name agrees; street, locality and postcode all differ: -5 once.
        assert_eq!(model.place_disagreement(&[0, 2, 1, 2]), Some(3));
        assert!((model.level_weights(&[0, 2, 1, 2]) - 3.0).abs() < 1e-9);
        // One place field agreeing (or close): each counts on its own.
        assert_eq!(model.place_disagreement(&[0, 2, 0, 2]), None);
        assert!((model.level_weights(&[0, 2, 0, 2]) - (8.0 - 4.5 + 9.0 - 5.0)).abs() < 1e-9);
        assert!((model.level_weights(&[0, 1, 1, 2]) - (8.0 + 4.0 - 3.4 - 5.0)).abs() < 1e-9);
        // Two differing place fields and one missing: still one address.
        assert!((model.level_weights(&[1, MISSING, 1, 2]) - (-3.0 - 5.0)).abs() < 1e-9);
        // A single place field present counts as it is.
        assert_eq!(model.place_disagreement(&[0, MISSING, 1, MISSING]), None);
        assert!((model.level_weights(&[0, MISSING, 1, MISSING]) - (8.0 - 3.4)).abs() < 1e-9);
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
