//! The resolution: records in, clusters, scored pairs, explanations and a
//! report out; new records and analyst labels later, without starting over.

use crate::blocking::{self, Budget, Key, Part, Take};
use crate::cluster::{self, Link};
use crate::compare;
use crate::explain::{ClusterExplanation, ClusterLink, FieldExplanation, PairExplanation};
use crate::model::{self, MISSING, Model, Training};
use crate::prepared::Prepared;
use crate::record::{Record, Schema};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How a resolution runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Pairs at or above this probability join a cluster.
    pub threshold: f64,
    /// Limits of the automatic blocking.
    pub budget: Budget,
    /// Random pairs drawn to estimate u.
    pub random_pairs: usize,
    /// At most this many EM iterations.
    pub max_iterations: usize,
    /// Seed of the random pairs (runs are reproducible).
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { threshold: 0.9, budget: Budget::default(), random_pairs: 200_000, max_iterations: 100, seed: 42 }
    }
}

/// An analyst's decision on a pair of records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// One record's id.
    pub id_l: String,
    /// The other's.
    pub id_r: String,
    /// Whether they are the same entity.
    pub is_match: bool,
}

/// Why records cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Two records share an id.
    DuplicateId(String),
    /// A record has a different number of values than the schema has fields.
    WrongArity {
        /// The record.
        id: String,
        /// Fields in the schema.
        expected: usize,
        /// Values in the record.
        found: usize,
    },
    /// A label names a record that is not in the resolution.
    UnknownRecord(String),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::DuplicateId(id) => write!(f, "record id '{id}' appears more than once; ids must be unique"),
            ResolveError::WrongArity { id, expected, found } => {
                write!(f, "record '{id}' has {found} values but the schema has {expected} fields")
            }
            ResolveError::UnknownRecord(id) => write!(f, "no record has the id '{id}'"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Where a long resolution has got, for a progress bar the caller draws.
pub trait Progress: Sync {
    /// A stage starts, with `total` units of work.
    fn stage(&self, _name: &str, _total: u64) {}
    /// `done` more units of the current stage are done.
    fn advance(&self, _done: u64) {}
}

/// A progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// A blocking key as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyReport {
    /// The parts: `field` for its value, `field~sound` for a name's phonetic key.
    /// Two fields a clerk may swap (given name and surname) match in either order.
    pub parts: Vec<String>,
    /// Pairs it compared when chosen (pairs also found by an earlier key are compared once).
    pub pairs: u64,
    /// Blocks over the size cap it left out.
    pub oversized_blocks: u64,
    /// The share of pairs scored as matches that agree on this key.
    pub match_coverage: f64,
}

/// What a resolution did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Records resolved.
    pub records: usize,
    /// Distinct pairs compared.
    pub pairs_compared: u64,
    /// Pairs with a match probability above 0.5.
    pub pairs_above_half: usize,
    /// Clusters formed (singletons included).
    pub clusters: usize,
    /// The blocking keys chosen. Every pair that agrees on all parts of one
    /// of them was compared, unless its block exceeded the cap.
    pub keys: Vec<KeyReport>,
    /// Estimated recall of the blocking: 1 − Π(1 − coverage) over the keys,
    /// assuming keys fail independently (an optimistic estimate).
    pub estimated_blocking_recall: f64,
    /// The trained model.
    pub model: Model,
}

/// What an incremental addition changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// Pairs compared for the new records.
    pub pairs_compared: u64,
    /// Clusters that now hold a new record or changed membership.
    pub clusters_touched: Vec<u32>,
}

/// Pairs kept for clustering and output: everything above this.
const KEEP: f64 = 0.5;

/// A resolution of records into entities. Holds what later additions and
/// labels need: prepared records, the model, the blocking index, the links.
pub struct Resolver {
    schema: Schema,
    settings: Settings,
    records: Vec<Record>,
    index: HashMap<String, u32>,
    prepared: Prepared,
    model: Model,
    keys: Vec<Key>,
    key_index: Vec<Vec<(u64, u32)>>,
    links: Vec<Link>,
    labels: HashMap<(u32, u32), bool>,
    training_sample: TrainingSample,
    clusters: Vec<u32>,
    next_cluster: u32,
    pairs_compared: u64,
    coverage: Vec<f64>,
}

impl Resolver {
    /// Resolves `records`: prepares them, estimates u on random pairs,
    /// chooses blocking keys, compares, trains m by EM, scores and clusters.
    pub fn resolve(
        schema: Schema,
        records: Vec<Record>,
        settings: Settings,
        progress: &dyn Progress,
    ) -> Result<Resolver, ResolveError> {
        let index = index_of(&schema, &records)?;
        let mut prepared = Prepared::new(&schema);
        progress.stage("preparing", records.len() as u64);
        prepared.extend(&schema, &records);
        progress.advance(records.len() as u64);
        let f = schema.fields.len();
        let level_counts: Vec<usize> = schema.fields.iter().map(|x| compare::levels(x.kind).len()).collect();

        progress.stage("estimating u on random pairs", 1);
        let u_counts = random_pair_levels(&schema, &prepared, settings.random_pairs, settings.seed);
        let u_exact = exact_agreement(&prepared);
        progress.advance(1);

        progress.stage("choosing blocking keys", 1);
        let names: Vec<bool> = schema.fields.iter().map(|x| x.kind.is_name()).collect();
        let keys = blocking::choose(&prepared, &names, settings.budget);
        let key_index: Vec<Vec<(u64, u32)>> = keys.iter().map(|k| blocking::sorted_keys(&prepared, &k.parts)).collect();
        progress.advance(1);

        let total: u64 = keys.iter().map(|k| k.pairs).sum();
        progress.stage("comparing pairs", total);
        let (pairs, vectors, agreed) =
            compare_blocks(&schema, &prepared, &keys, &key_index, settings.budget.max_block, progress);

        progress.stage("training (EM)", 1);
        let sample = TrainingSample::of(&vectors, &agreed, f, 2_000_000);
        let key_fields: Vec<Vec<usize>> = keys.iter().map(|k| k.parts.iter().map(|p| p.field).collect()).collect();
        let model = Model::train(
            &Training {
                fields: f,
                level_counts: &level_counts,
                vectors: &sample.vectors,
                agreed_keys: &sample.agreed,
                key_fields: &key_fields,
                pair_weight: sample.weight,
                all_pairs: all_pairs(prepared.len()),
                labelled: &[],
                place_fields: &place_fields(&schema),
            },
            &u_counts,
            &u_exact,
            settings.max_iterations,
        );
        drop(agreed);
        progress.advance(1);

        progress.stage("scoring", pairs.len() as u64);
        let threshold = settings.threshold.min(KEEP);
        let links: Vec<Link> = pairs
            .par_iter()
            .zip(vectors.par_chunks_exact(f.max(1)))
            .filter_map(|(&(a, b), v)| {
                let p = model::probability(match_weight(&model, &prepared, a as usize, b as usize, v));
                (p > threshold).then_some(Link { a, b, probability: p })
            })
            .collect();
        drop(vectors);
        progress.advance(pairs.len() as u64);
        let pairs_compared = pairs.len() as u64;
        drop(pairs);

        let mut r = Resolver {
            schema,
            settings,
            records,
            index,
            prepared,
            model,
            keys,
            key_index,
            links,
            labels: HashMap::new(),
            training_sample: sample,
            clusters: Vec::new(),
            next_cluster: 0,
            pairs_compared,
            coverage: Vec::new(),
        };
        progress.stage("clustering", 1);
        r.recluster_all();
        r.coverage = r.key_coverage();
        progress.advance(1);
        Ok(r)
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The records, in the order given.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The trained model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The cluster id of every record, in record order.
    pub fn cluster_ids(&self) -> &[u32] {
        &self.clusters
    }

    /// The cluster of the record with this id.
    pub fn cluster_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).map(|&i| self.clusters[i as usize])
    }

    /// Compared pairs above 0.5 (and above the threshold, if lower), as
    /// `(id_l, id_r, probability)`, labels applied.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str, f64)> {
        self.links
            .iter()
            .map(|l| (self.records[l.a as usize].id.as_str(), self.records[l.b as usize].id.as_str(), l.probability))
    }

    /// What the resolution did.
    pub fn report(&self) -> Report {
        let clusters = self.clusters.iter().collect::<HashSet<_>>().len();
        let keys: Vec<KeyReport> = self
            .keys
            .iter()
            .zip(&self.coverage)
            .map(|(k, &c)| KeyReport {
                parts: k.parts.iter().map(|p| self.part_name(*p)).collect(),
                pairs: k.pairs,
                oversized_blocks: k.oversized_blocks,
                match_coverage: c,
            })
            .collect();
        let missed: f64 = self.coverage.iter().map(|c| 1.0 - c).product();
        Report {
            records: self.records.len(),
            pairs_compared: self.pairs_compared,
            pairs_above_half: self.links.iter().filter(|l| l.probability > 0.5).count(),
            clusters,
            keys,
            estimated_blocking_recall: if self.coverage.is_empty() { 0.0 } else { 1.0 - missed },
            model: self.model.clone(),
        }
    }

    fn part_name(&self, p: Part) -> String {
        let name = &self.schema.fields[p.field].name;
        match p.take {
            Take::Value => name.clone(),
            Take::Sound => format!("{name}~sound"),
        }
    }

    /// Adds records and resolves them against the existing clusters: only
    /// the new records are compared (with the model and keys as trained),
    /// and only the clusters they touch are rebuilt.
    pub fn add(&mut self, records: Vec<Record>) -> Result<Update, ResolveError> {
        let start = self.records.len();
        let mut seen: HashSet<&str> = HashSet::new();
        for r in &records {
            if r.values.len() != self.schema.fields.len() {
                return Err(ResolveError::WrongArity {
                    id: r.id.clone(),
                    expected: self.schema.fields.len(),
                    found: r.values.len(),
                });
            }
            if self.index.contains_key(&r.id) || !seen.insert(&r.id) {
                return Err(ResolveError::DuplicateId(r.id.clone()));
            }
        }
        for (i, r) in records.iter().enumerate() {
            self.index.insert(r.id.clone(), (start + i) as u32);
        }
        self.prepared.extend(&self.schema, &records);
        self.records.extend(records);
        let end = self.records.len();

        // New records' keys, then the pairs they form with everyone.
        let kn = self.keys.len();
        let new_keys: Vec<u64> = (start..end)
            .flat_map(|i| self.keys.iter().map(move |k| (i, k)))
            .map(|(i, k)| blocking::key_hash(&self.prepared, i, &k.parts))
            .collect();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (k, sorted) in self.key_index.iter_mut().enumerate() {
            let mut added: Vec<(u64, u32)> =
                (start..end).map(|i| (new_keys[(i - start) * kn + k], i as u32)).filter(|e| e.0 != 0).collect();
            sorted.append(&mut added);
            sorted.sort_unstable();
        }
        for (k, sorted) in self.key_index.iter().enumerate() {
            for i in start..end {
                let h = new_keys[(i - start) * kn + k];
                if h == 0 {
                    continue;
                }
                let lo = sorted.partition_point(|e| e.0 < h);
                let hi = sorted.partition_point(|e| e.0 <= h);
                if hi - lo > self.settings.budget.max_block {
                    continue;
                }
                for &(_, j) in &sorted[lo..hi] {
                    let j = j as usize;
                    // Each pair once: by its newer record, at its first shared key.
                    if j == i || (j >= start && j > i) {
                        continue;
                    }
                    let earlier = (0..k).any(|e| {
                        let he = new_keys[(i - start) * kn + e];
                        he != 0
                            && blocking::key_hash(&self.prepared, j, &self.keys[e].parts) == he
                            && block_size(&self.key_index[e], he) <= self.settings.budget.max_block
                    });
                    if !earlier {
                        pairs.push((j as u32, i as u32));
                    }
                }
            }
        }
        let threshold = self.settings.threshold.min(KEEP);
        let new_links: Vec<Link> = pairs
            .par_iter()
            .filter_map(|&(a, b)| {
                let p = self.probability(a, b);
                (p > threshold).then_some(Link { a, b, probability: p })
            })
            .collect();
        self.clusters.extend((start..end).map(|_| u32::MAX));
        let mut affected: HashSet<u32> = (start as u32..end as u32).collect();
        let old_clusters: HashSet<u32> = new_links
            .iter()
            .flat_map(|l| [l.a, l.b])
            .filter(|&r| (r as usize) < start)
            .map(|r| self.clusters[r as usize])
            .collect();
        for (r, c) in self.clusters.iter().enumerate() {
            if old_clusters.contains(c) {
                affected.insert(r as u32);
            }
        }
        self.links.extend(new_links);
        let touched = self.recluster(&affected);
        Ok(Update { pairs_compared: pairs.len() as u64, clusters_touched: touched })
    }

    /// Takes analyst decisions: the model is retrained with them (labelled
    /// pairs held at their label in EM), every kept pair rescored, a
    /// labelled pair scores 1 or 0, and clusters are rebuilt.
    pub fn label(&mut self, labels: &[Label]) -> Result<(), ResolveError> {
        for l in labels {
            let a = *self.index.get(&l.id_l).ok_or_else(|| ResolveError::UnknownRecord(l.id_l.clone()))?;
            let b = *self.index.get(&l.id_r).ok_or_else(|| ResolveError::UnknownRecord(l.id_r.clone()))?;
            self.labels.insert((a.min(b), a.max(b)), l.is_match);
        }
        let f = self.schema.fields.len();
        let level_counts: Vec<usize> = self.schema.fields.iter().map(|x| compare::levels(x.kind).len()).collect();
        let labelled: Vec<(Vec<u8>, bool)> = self
            .labels
            .iter()
            .map(|(&(a, b), &m)| {
                let mut v = vec![MISSING; f];
                self.prepared.compare_into(&self.schema, a as usize, b as usize, &mut v);
                (v, m)
            })
            .collect();
        let u_counts: Vec<Vec<f64>> = self
            .model
            .fields
            .iter()
            .map(|fm| fm.u.iter().map(|u| u * self.settings.random_pairs as f64).collect())
            .collect();
        let u_exact: Vec<f64> = self.model.fields.iter().map(|fm| fm.u_exact_random).collect();
        let key_fields: Vec<Vec<usize>> = self.keys.iter().map(|k| k.parts.iter().map(|p| p.field).collect()).collect();
        self.model = Model::train(
            &Training {
                fields: f,
                level_counts: &level_counts,
                vectors: &self.training_sample.vectors,
                agreed_keys: &self.training_sample.agreed,
                key_fields: &key_fields,
                pair_weight: self.training_sample.weight,
                all_pairs: all_pairs(self.records.len()),
                labelled: &labelled,
                place_fields: &place_fields(&self.schema),
            },
            &u_counts,
            &u_exact,
            self.settings.max_iterations,
        );
        let mut known: HashSet<(u32, u32)> = HashSet::new();
        let links = std::mem::take(&mut self.links);
        let mut rescored: Vec<Link> =
            links.par_iter().map(|l| Link { a: l.a, b: l.b, probability: self.probability(l.a, l.b) }).collect();
        for l in &rescored {
            known.insert((l.a.min(l.b), l.a.max(l.b)));
        }
        for (&(a, b), &m) in &self.labels {
            if m && !known.contains(&(a, b)) {
                rescored.push(Link { a, b, probability: 1.0 });
            }
        }
        self.links = rescored;
        self.recluster_all();
        Ok(())
    }

    /// The match probability of two records (by index), labels applied.
    fn probability(&self, a: u32, b: u32) -> f64 {
        if let Some(&m) = self.labels.get(&(a.min(b), a.max(b))) {
            return if m { 1.0 } else { 0.0 };
        }
        let mut v = [MISSING; 64];
        let mut heap;
        let v: &mut [u8] = if self.schema.fields.len() <= 64 {
            &mut v[..self.schema.fields.len()]
        } else {
            heap = vec![MISSING; self.schema.fields.len()];
            &mut heap
        };
        self.prepared.compare_into(&self.schema, a as usize, b as usize, v);
        model::probability(match_weight(&self.model, &self.prepared, a as usize, b as usize, v))
    }

    fn recluster_all(&mut self) {
        let n = self.records.len();
        let t = self.settings.threshold;
        let score = |a: u32, b: u32| self.probability(a, b);
        let dense = cluster::cluster(n, &self.links, t, &score);
        self.clusters = dense;
        self.next_cluster = self.clusters.iter().max().map_or(0, |m| m + 1);
    }

    /// Rebuilds the clusters of `affected` records; returns the clusters
    /// that changed. Ids stay with the group holding most of the old cluster.
    fn recluster(&mut self, affected: &HashSet<u32>) -> Vec<u32> {
        let mut members: Vec<u32> = affected.iter().copied().collect();
        members.sort_unstable();
        let pos: HashMap<u32, u32> = members.iter().enumerate().map(|(i, &r)| (r, i as u32)).collect();
        let links: Vec<Link> = self
            .links
            .iter()
            .filter_map(|l| Some(Link { a: *pos.get(&l.a)?, b: *pos.get(&l.b)?, probability: l.probability }))
            .collect();
        let score = |a: u32, b: u32| self.probability(members[a as usize], members[b as usize]);
        let local = cluster::cluster(members.len(), &links, self.settings.threshold, &score);
        let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, &c) in local.iter().enumerate() {
            groups.entry(c).or_default().push(members[i]);
        }
        let mut groups: Vec<Vec<u32>> = groups.into_values().collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
        let mut taken: HashSet<u32> = HashSet::new();
        let mut touched = Vec::new();
        for g in groups {
            let mut votes: HashMap<u32, usize> = HashMap::new();
            for &r in &g {
                let c = self.clusters[r as usize];
                if c != u32::MAX && !taken.contains(&c) {
                    *votes.entry(c).or_default() += 1;
                }
            }
            let id = match votes.into_iter().max_by_key(|&(c, n)| (n, std::cmp::Reverse(c))) {
                Some((c, _)) => c,
                None => {
                    self.next_cluster += 1;
                    self.next_cluster - 1
                }
            };
            taken.insert(id);
            let changed = g.iter().any(|&r| self.clusters[r as usize] != id);
            for &r in &g {
                self.clusters[r as usize] = id;
            }
            if changed {
                touched.push(id);
            }
        }
        touched.sort_unstable();
        touched
    }

    fn key_coverage(&self) -> Vec<f64> {
        let matches: Vec<&Link> = self.links.iter().filter(|l| l.probability > 0.5).collect();
        self.keys
            .iter()
            .map(|k| {
                if matches.is_empty() {
                    return 0.0;
                }
                let hit = matches
                    .par_iter()
                    .filter(|l| {
                        let h = blocking::key_hash(&self.prepared, l.a as usize, &k.parts);
                        h != 0 && h == blocking::key_hash(&self.prepared, l.b as usize, &k.parts)
                    })
                    .count();
                hit as f64 / matches.len() as f64
            })
            .collect()
    }

    /// Explains the score of two records by id.
    pub fn explain_pair(&self, id_l: &str, id_r: &str) -> Option<PairExplanation> {
        let a = *self.index.get(id_l)? as usize;
        let b = *self.index.get(id_r)? as usize;
        let mut v = vec![MISSING; self.schema.fields.len()];
        self.prepared.compare_into(&self.schema, a, b, &mut v);
        let prior = self.model.prior_weight();
        let mut total = prior;
        let place_kept = self.model.place_disagreement(&v);
        let fields = self
            .schema
            .fields
            .iter()
            .enumerate()
            .map(|(f, field)| {
                let l = v[f];
                let fm = &self.model.fields[f];
                let (level, weight, tf, m, u) = if l == MISSING {
                    ("missing".to_owned(), 0.0, 0.0, None, None)
                } else {
                    let tf = if l == 0 { tf_adjustment(&self.model, &self.prepared, a, f) } else { 0.0 };
                    let li = l as usize;
                    // A differing address counts once, at its strongest part.
                    let counted = place_kept.is_none_or(|k| k == f || !self.model.place_fields.contains(&f));
                    let weight = if counted { fm.weights[li] } else { 0.0 };
                    (compare::levels(field.kind)[li].to_owned(), weight, tf, Some(fm.m[li]), Some(fm.u[li]))
                };
                total += weight + tf;
                FieldExplanation {
                    field: field.name.clone(),
                    kind: field.kind.name().to_owned(),
                    level,
                    weight,
                    term_frequency_adjustment: tf,
                    m,
                    u,
                }
            })
            .collect();
        let label = self.labels.get(&(a.min(b) as u32, a.max(b) as u32)).copied();
        let probability = match label {
            Some(true) => 1.0,
            Some(false) => 0.0,
            None => model::probability(total),
        };
        Some(PairExplanation {
            id_l: id_l.to_owned(),
            id_r: id_r.to_owned(),
            prior_weight: prior,
            fields,
            match_weight: total,
            probability,
            label,
        })
    }

    /// Explains a cluster: the strongest links that connect its members and
    /// its weakest pair.
    pub fn explain_cluster(&self, cluster_id: u32) -> Option<ClusterExplanation> {
        let members: Vec<u32> =
            (0..self.records.len() as u32).filter(|&i| self.clusters[i as usize] == cluster_id).collect();
        if members.is_empty() {
            return None;
        }
        let id = |i: u32| self.records[i as usize].id.clone();
        let mut all: Vec<(u32, u32, f64)> = Vec::new();
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                all.push((a, b, self.probability(a, b)));
            }
        }
        all.sort_by(|x, y| y.2.total_cmp(&x.2));
        let mut forest = cluster::Forest::new(self.records.len());
        let mut links = Vec::new();
        for &(a, b, p) in &all {
            if forest.find(a) != forest.find(b) {
                forest.union(a, b);
                links.push(ClusterLink { id_l: id(a), id_r: id(b), probability: p });
            }
        }
        let weakest = all.last().map(|&(a, b, p)| ClusterLink { id_l: id(a), id_r: id(b), probability: p });
        let mean = (!all.is_empty()).then(|| all.iter().map(|x| x.2).sum::<f64>() / all.len() as f64);
        Some(ClusterExplanation {
            cluster_id,
            members: members.iter().map(|&i| id(i)).collect(),
            links,
            weakest,
            mean_probability: mean,
        })
    }
}

fn block_size(sorted: &[(u64, u32)], h: u64) -> usize {
    sorted.partition_point(|e| e.0 <= h) - sorted.partition_point(|e| e.0 < h)
}

fn index_of(schema: &Schema, records: &[Record]) -> Result<HashMap<String, u32>, ResolveError> {
    let mut index = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if r.values.len() != schema.fields.len() {
            return Err(ResolveError::WrongArity {
                id: r.id.clone(),
                expected: schema.fields.len(),
                found: r.values.len(),
            });
        }
        if index.insert(r.id.clone(), i as u32).is_some() {
            return Err(ResolveError::DuplicateId(r.id.clone()));
        }
    }
    Ok(index)
}

/// The weight of a pair in bits: prior, each field's level weight, and the
/// term-frequency adjustment of exact agreements.
fn match_weight(model: &Model, prepared: &Prepared, a: usize, _b: usize, v: &[u8]) -> f64 {
    let mut w = model.prior_weight() + model.level_weights(v);
    for (f, &l) in v.iter().enumerate() {
        if l == 0 {
            w += tf_adjustment(model, prepared, a, f);
        }
    }
    w
}

/// The fields that say where a record lives: street lines, locality and
/// postcode (not the region: see [`Model::place_disagreement`]).
fn place_fields(schema: &Schema) -> Vec<usize> {
    use crate::record::FieldKind;
    (0..schema.fields.len())
        .filter(|&f| matches!(schema.fields[f].kind, FieldKind::Address | FieldKind::City | FieldKind::Postcode))
        .collect()
}

/// log2(u_exact / frequency of this value), bounded: a rare shared value
/// counts more than a common one.
fn tf_adjustment(model: &Model, prepared: &Prepared, a: usize, f: usize) -> f64 {
    let Some(freq) = prepared.frequency(a, f) else { return 0.0 };
    let n = prepared.filled[f].max(1) as f64;
    let u_exact = model.fields[f].u_exact_random.max(1.0 / n);
    (u_exact / freq.max(1.0 / n)).log2().clamp(-5.0, 5.0)
}

/// Probability that two random records agree exactly, per field: Σ share².
fn exact_agreement(prepared: &Prepared) -> Vec<f64> {
    prepared
        .counts
        .iter()
        .zip(&prepared.filled)
        .map(|(counts, &filled)| {
            let n = filled.max(1) as f64;
            counts.values().map(|&c| (c as f64 / n).powi(2)).sum()
        })
        .collect()
}

/// Level counts over random pairs (a reproducible sample).
fn random_pair_levels(schema: &Schema, prepared: &Prepared, wanted: usize, seed: u64) -> Vec<Vec<f64>> {
    let n = prepared.len();
    let f = schema.fields.len();
    let mut counts: Vec<Vec<f64>> = schema.fields.iter().map(|x| vec![0.0; compare::levels(x.kind).len()]).collect();
    if n < 2 {
        return counts;
    }
    let all = n as u128 * (n as u128 - 1) / 2;
    let wanted = (wanted as u128).min(all) as usize;
    let chunk = 10_000usize;
    let parts: Vec<Vec<Vec<f64>>> = (0..wanted.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let mut state = seed ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut local: Vec<Vec<f64>> = counts.clone();
            let mut v = vec![MISSING; f];
            for _ in 0..chunk.min(wanted - c * chunk) {
                let a = (splitmix(&mut state) % n as u64) as usize;
                let mut b = (splitmix(&mut state) % (n as u64 - 1)) as usize;
                if b >= a {
                    b += 1;
                }
                prepared.compare_into(schema, a, b, &mut v);
                for (fi, &l) in v.iter().enumerate() {
                    if l != MISSING {
                        local[fi][l as usize] += 1.0;
                    }
                }
            }
            local
        })
        .collect();
    for p in parts {
        for (fi, levels) in p.into_iter().enumerate() {
            for (l, c) in levels.into_iter().enumerate() {
                counts[fi][l] += c;
            }
        }
    }
    counts
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Pairs of records there are among `n`.
fn all_pairs(n: usize) -> f64 {
    n as f64 * (n as f64 - 1.0) / 2.0
}

/// The compared pairs EM trains on (every one, or an even sample of at
/// most a bound), kept for retraining with labels.
struct TrainingSample {
    /// Comparison vectors, flat.
    vectors: Vec<u8>,
    /// The keys each pair agrees on (bit per key).
    agreed: Vec<u64>,
    /// How many compared pairs each stands for.
    weight: f64,
}

impl TrainingSample {
    fn of(vectors: &[u8], agreed: &[u64], f: usize, max_pairs: usize) -> TrainingSample {
        let f = f.max(1);
        let pairs = vectors.len() / f;
        let step = pairs.div_ceil(max_pairs).max(1);
        TrainingSample {
            vectors: vectors.chunks_exact(f).step_by(step).flatten().copied().collect(),
            agreed: agreed.iter().step_by(step).copied().collect(),
            weight: step as f64,
        }
    }
}

/// Every pair that shares a block of some key, once (at the first key it
/// shares), with its comparison vector.
fn compare_blocks(
    schema: &Schema,
    prepared: &Prepared,
    keys: &[Key],
    key_index: &[Vec<(u64, u32)>],
    max_block: usize,
    progress: &dyn Progress,
) -> (Vec<(u32, u32)>, Vec<u8>, Vec<u64>) {
    let n = prepared.len();
    let kn = keys.len();
    let f = schema.fields.len();
    // Each record's hash per key, to tell whether an earlier key has the pair.
    // A record in a block over the cap keeps 0 there: that block compared nothing.
    let mut record_keys = vec![0u64; n * kn];
    for (k, sorted) in key_index.iter().enumerate() {
        for b in blocking::blocks(sorted) {
            if b.len() <= max_block {
                for &(h, i) in b {
                    record_keys[i as usize * kn + k] = h;
                }
            }
        }
    }
    let mut work: Vec<(usize, &[(u64, u32)])> = Vec::new();
    for (k, sorted) in key_index.iter().enumerate() {
        for b in blocking::blocks(sorted) {
            if b.len() > 1 && b.len() <= max_block {
                work.push((k, b));
            }
        }
    }
    // Big blocks first, so threads finish together.
    work.sort_by_key(|(_, b)| std::cmp::Reverse(b.len()));
    work.par_iter()
        .fold(
            || (Vec::new(), Vec::new(), Vec::new()),
            |(mut pairs, mut vectors, mut agreed): (Vec<(u32, u32)>, Vec<u8>, Vec<u64>), (k, block)| {
                let mut done = 0u64;
                for (x, &(_, a)) in block.iter().enumerate() {
                    let ka = &record_keys[a as usize * kn..a as usize * kn + *k];
                    for &(_, b) in &block[x + 1..] {
                        done += 1;
                        let kb = &record_keys[b as usize * kn..b as usize * kn + *k];
                        if ka.iter().zip(kb).any(|(p, q)| *p != 0 && p == q) {
                            continue;
                        }
                        let all_a = &record_keys[a as usize * kn..(a as usize + 1) * kn];
                        let all_b = &record_keys[b as usize * kn..(b as usize + 1) * kn];
                        let mask = all_a
                            .iter()
                            .zip(all_b)
                            .enumerate()
                            .filter(|(_, (p, q))| **p != 0 && p == q)
                            .fold(0u64, |m, (k, _)| m | 1u64.checked_shl(k as u32).unwrap_or(0));
                        agreed.push(mask);
                        let start = vectors.len();
                        vectors.resize(start + f, MISSING);
                        prepared.compare_into(schema, a as usize, b as usize, &mut vectors[start..]);
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
                progress.advance(done);
                (pairs, vectors, agreed)
            },
        )
        .reduce(
            || (Vec::new(), Vec::new(), Vec::new()),
            |(mut p1, mut v1, mut a1), (p2, v2, a2)| {
                p1.extend(p2);
                v1.extend(v2);
                a1.extend(a2);
                (p1, v1, a1)
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Field, FieldKind};

    #[test]
    fn an_explanation_counts_a_differing_address_once_and_adds_up() {
        let schema = Schema::new(vec![
            Field::new("given", FieldKind::GivenName),
            Field::new("surname", FieldKind::Surname),
            Field::new("street", FieldKind::Address),
            Field::new("town", FieldKind::City),
            Field::new("postcode", FieldKind::Postcode),
            Field::new("state", FieldKind::Region),
        ]);
        let people = [
            ("amber", "pamplin", "andrea place", "seven hills", "5045", "wa"),
            ("amber", "pamplin", "andrea palce", "seven hills", "5054", "wa"),
            ("amber", "pamplin", "sturt avenue", "thornlie", "6108", "wa"),
            ("jovan", "nikolic", "maltby street", "marsden", "3165", "nsw"),
            ("ana", "kovac", "goldfinch circuit", "cleveland", "2119", "qld"),
            ("dritan", "hoxha", "pridham street", "milton", "4064", "qld"),
            ("sara", "markovic", "wallaby place", "delmar", "2200", "sa"),
            ("ilir", "berisha", "bunya close", "lumeah", "2560", "nsw"),
        ];
        let records = people
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let v = [p.0, p.1, p.2, p.3, p.4, p.5];
                Record::new(i.to_string(), v.iter().map(|x| Some(x.to_string())).collect())
            })
            .collect();
        let r = Resolver::resolve(schema, records, Settings::default(), &Silent).unwrap();
        let why = r.explain_pair("0", "2").unwrap();
        let place: Vec<&FieldExplanation> = why.fields[2..5].iter().collect();
        assert!(place.iter().all(|f| f.level == "different"), "{place:?}");
        assert_eq!(place.iter().filter(|f| f.weight != 0.0).count(), 1, "{place:?}");
        // The one that counts is the strongest of the three disagreements.
        let counted: f64 = place.iter().map(|f| f.weight).sum();
        let strongest = (2..5).map(|f| *r.model().fields[f].weights.last().unwrap()).fold(f64::INFINITY, f64::min);
        assert_eq!(counted, strongest);
        // The region is no part of the address: it counts on its own.
        assert_eq!(why.fields[5].level, "exact");
        assert!(why.fields[5].weight != 0.0);
        let sum: f64 =
            why.prior_weight + why.fields.iter().map(|f| f.weight + f.term_frequency_adjustment).sum::<f64>();
        assert!((sum - why.match_weight).abs() < 1e-9);
        // Where part of the address agrees, every place field counts.
        let why = r.explain_pair("0", "1").unwrap();
        assert!(why.fields[2..5].iter().all(|f| f.weight != 0.0), "{:?}", why.fields);
    }
}
