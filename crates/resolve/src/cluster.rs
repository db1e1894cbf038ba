//! From scored pairs to entities, without chaining.
//!
//! Pairs at or above the threshold join records into connected components.
//! A component of more than two records is then rebuilt by average linkage:
//! its links are taken strongest first, and two groups merge only when the
//! mean evidence over *all* pairs between them (scored directly, not only
//! the linked ones) reaches the threshold's. Evidence is a pair's match
//! weight, log2 of its odds, bounded to ±[`EVIDENCE_CAP`] bits so that no
//! single pair outvotes the rest. So A~B strongly and B~C weakly while A
//! and C clearly differ keeps C apart: one bad link cannot chain two people
//! together; yet a record that clearly matches most of a group joins it
//! though a typo-ridden member scores low. Analyst labels are absolute: a
//! confirmed pair scores 1, a rejected pair 0 (and its groups never merge).

use rayon::prelude::*;

/// A scored pair of records (indices).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// One record.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// The match probability.
    pub probability: f64,
}

/// The most one pair counts for or against a merge, in bits (odds of 1000:1).
pub const EVIDENCE_CAP: f64 = 10.0;

/// A pair's evidence: log2 of its odds, bounded to ±[`EVIDENCE_CAP`].
pub fn evidence(probability: f64) -> f64 {
    let p = probability.clamp(1e-300, 1.0);
    if p >= 1.0 {
        return EVIDENCE_CAP;
    }
    (p / (1.0 - p)).log2().clamp(-EVIDENCE_CAP, EVIDENCE_CAP)
}

/// Components larger than this are not scored in full (see [`SAMPLE`]).
const MATRIX_LIMIT: usize = 600;
/// Members per group scored when a component is too big for a matrix.
const SAMPLE: usize = 8;

/// A disjoint-set forest over record indices.
pub struct Forest(Vec<u32>);

impl Forest {
    /// `n` singletons.
    pub fn new(n: usize) -> Forest {
        Forest((0..n as u32).collect())
    }

    /// The root of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let parent = self.0[x as usize];
            self.0[x as usize] = self.0[parent as usize];
            x = parent;
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb) as usize] = ra.min(rb);
        }
    }
}

/// Groups `members` (record indices) into clusters from `links` among them
/// (at or above `threshold`); `score(a, b)` gives the probability of any
/// pair, with labels applied. Returns groups of record indices.
pub fn split_component<F>(members: &[u32], links: &[Link], threshold: f64, score: &F) -> Vec<Vec<u32>>
where
    F: Fn(u32, u32) -> f64 + Sync,
{
    let k = members.len();
    if k <= 2 {
        if k == 2 && score(members[0], members[1]) < threshold {
            return vec![vec![members[0]], vec![members[1]]];
        }
        return vec![members.to_vec()];
    }
    let pos = |r: u32| members.binary_search(&r).expect("member");
    // Probabilities of every pair when small enough; otherwise only links.
    let matrix: Option<Vec<f64>> = (k <= MATRIX_LIMIT).then(|| {
        let mut m = vec![0.0; k * k];
        for i in 0..k {
            for j in i + 1..k {
                let p = score(members[i], members[j]);
                m[i * k + j] = p;
                m[j * k + i] = p;
            }
        }
        m
    });
    let needed = evidence(threshold);
    let mut sorted: Vec<&Link> = links.iter().filter(|l| l.probability >= threshold).collect();
    sorted.sort_by(|x, y| y.probability.total_cmp(&x.probability).then((x.a, x.b).cmp(&(y.a, y.b))));
    let mut group: Vec<usize> = (0..k).collect();
    let mut groups: Vec<Vec<usize>> = (0..k).map(|i| vec![i]).collect();
    for l in sorted {
        let (ga, gb) = (group[pos(l.a)], group[pos(l.b)]);
        if ga == gb {
            continue;
        }
        let mean = match &matrix {
            Some(m) => {
                let mut sum = 0.0;
                let mut vetoed = false;
                for &i in &groups[ga] {
                    for &j in &groups[gb] {
                        let p = m[i * k + j];
                        vetoed |= p == 0.0;
                        sum += evidence(p);
                    }
                }
                if vetoed { f64::NEG_INFINITY } else { sum / (groups[ga].len() * groups[gb].len()) as f64 }
            }
            // Too big for a matrix: score a bounded sample of cross pairs
            // directly, so a large component cannot chain either.
            None => {
                let a: Vec<u32> = groups[ga].iter().take(SAMPLE).map(|&i| members[i]).collect();
                let b: Vec<u32> = groups[gb].iter().take(SAMPLE).map(|&i| members[i]).collect();
                let mut sum = 0.0;
                let mut vetoed = false;
                for &x in &a {
                    for &y in &b {
                        let p = score(x, y);
                        vetoed |= p == 0.0;
                        sum += evidence(p);
                    }
                }
                if vetoed { f64::NEG_INFINITY } else { sum / (a.len() * b.len()) as f64 }
            }
        };
        if mean >= needed {
            let (keep, gone) = if groups[ga].len() >= groups[gb].len() { (ga, gb) } else { (gb, ga) };
            let moved = std::mem::take(&mut groups[gone]);
            for &i in &moved {
                group[i] = keep;
            }
            groups[keep].extend(moved);
        }
    }
    groups.into_iter().filter(|g| !g.is_empty()).map(|g| g.into_iter().map(|i| members[i]).collect()).collect()
}

/// Clusters `n` records: connected components of links at or above
/// `threshold`, each split by [`split_component`]. Returns the cluster
/// (a dense number from 0) of every record.
pub fn cluster<F>(n: usize, links: &[Link], threshold: f64, score: &F) -> Vec<u32>
where
    F: Fn(u32, u32) -> f64 + Sync,
{
    let mut forest = Forest::new(n);
    for l in links.iter().filter(|l| l.probability >= threshold) {
        forest.union(l.a, l.b);
    }
    let roots: Vec<u32> = (0..n as u32).map(|i| forest.find(i)).collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, &r) in roots.iter().enumerate() {
        members[r as usize].push(i as u32);
    }
    let mut component_links: Vec<Vec<Link>> = vec![Vec::new(); n];
    for l in links.iter().filter(|l| l.probability >= threshold) {
        component_links[roots[l.a as usize] as usize].push(*l);
    }
    let groups: Vec<Vec<Vec<u32>>> = members
        .par_iter()
        .zip(component_links.par_iter())
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, l)| split_component(m, l, threshold, score))
        .collect();
    let mut out = vec![0u32; n];
    for (next, g) in groups.into_iter().flatten().enumerate() {
        for r in g {
            out[r as usize] = next as u32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scorer(pairs: &'static [(u32, u32, f64)]) -> impl Fn(u32, u32) -> f64 + Sync {
        move |a, b| pairs.iter().find(|(x, y, _)| (*x, *y) == (a.min(b), a.max(b))).map(|p| p.2).unwrap_or(0.0001)
    }

    fn links(pairs: &[(u32, u32, f64)]) -> Vec<Link> {
        pairs.iter().map(|&(a, b, probability)| Link { a, b, probability }).collect()
    }

    #[test]
    fn a_weak_link_does_not_chain_two_people() {
        // A~B strongly, B~C just above the threshold, A and C clearly apart.
        const P: &[(u32, u32, f64)] = &[(0, 1, 0.999), (1, 2, 0.91), (0, 2, 0.0001)];
        let c = cluster(3, &links(P), 0.9, &scorer(P));
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
    }

    #[test]
    fn a_consistent_group_stays_together() {
        const P: &[(u32, u32, f64)] =
            &[(0, 1, 0.99), (1, 2, 0.95), (0, 2, 0.97), (2, 3, 0.93), (0, 3, 0.9), (1, 3, 0.92)];
        let c = cluster(5, &links(&P[..4]), 0.9, &scorer(P));
        assert!(c[..4].iter().all(|&x| x == c[0]));
        assert_ne!(c[4], c[0]);
    }

    #[test]
    fn a_rejected_pair_never_shares_a_cluster() {
        const P: &[(u32, u32, f64)] = &[(0, 1, 0.999), (1, 2, 0.999), (0, 2, 0.0)];
        let c = cluster(3, &links(P), 0.9, &scorer(P));
        assert!(c[0] != c[2]);
    }
}
