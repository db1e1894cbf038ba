//! Screening a person against a [`Watchlist`]: candidates, scores, hits.

use crate::documents::{DocumentMatch, DocumentMatchKind};
use crate::explain::Explanation;
use crate::forms::{NameForm, name_forms};
use crate::index::{Entry, NO_GROUP, Watchlist, country_bytes};
use crate::record::{Person, split_issuing_country};
use crate::score::{DateRule, DateTolerance, NameComparison, Weights, best_date, compare_gender, compare_names};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use veza_text::TokenRule;

/// Options of a screening.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScreenOptions {
    /// Results below this score are left out.
    pub threshold: f64,
    /// At most this many results, best first.
    pub limit: usize,
    /// Birth-date tolerance.
    pub dates: DateTolerance,
    /// Scorer weights.
    pub weights: Weights,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions { threshold: 0.7, limit: 5, dates: DateTolerance::default(), weights: Weights::default() }
    }
}

/// One result of a screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The entry's position in the watchlist.
    pub entry: usize,
    /// The entry's id.
    pub id: String,
    /// The score in [0, 1].
    pub score: f64,
    /// Whether the score reached the threshold (yente's `match`).
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Why, per feature.
    pub explanations: Explanation,
}

/// A query token found in at most this many entries is rare enough (a
/// surname, mostly) to propose its entries on its own, so that a name whose
/// other tokens are all misspelled is still found.
const RARE_POSTINGS: usize = 100;

/// At most this many name candidates are scored per query (document
/// matches come on top): the heaviest by the inverse frequency of the
/// tokens that found them.
const MAX_CANDIDATES: usize = 256;

/// Query token positions beyond this many are not used to find
/// candidates (they still count in the score).
const MAX_SLOTS: usize = 15;

/// Per entry, during candidate generation: bits 0–14 the slots found by
/// close tokens, 15–29 by fuzzy ones, and [`RARE_BIT`].
const SLOT_MASK: u32 = (1 << MAX_SLOTS) - 1;

/// Marks an entry found by a rare token.
const RARE_BIT: u32 = 1 << 31;

/// Work space reused between queries on one thread.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Per entry: the query slots that found it, and [`RARE_BIT`].
    slots: Vec<u32>,
    touched: Vec<u32>,
    docs: Vec<DocumentMatch>,
    /// Work done so far with this scratch: candidates scored.
    pub candidates_scored: u64,
    /// Work done so far with this scratch: posting entries read.
    pub postings_read: u64,
    /// Work done so far with this scratch: name candidates found (before
    /// the cap of the heaviest).
    pub candidates_found: u64,
}

struct PreparedQuery<'p> {
    person: &'p Person,
    forms: Vec<NameForm>,
    /// Distinct tokens across forms.
    tokens: Vec<String>,
    /// Phonetic keys of `tokens`.
    keys: Vec<String>,
    /// Form → indices into `tokens`.
    form_tokens: Vec<Vec<u16>>,
    /// Per token: its id in the watchlist's vocabulary, if there.
    vocabulary_ids: Vec<Option<u32>>,
    /// Per token: its known-variant group.
    groups: Vec<u16>,
    /// Per token: whether it starts with a joined article or `bin`/`ben`.
    prefixed: Vec<bool>,
    /// Per token: the ids of its primary key and of its other readings'
    /// keys in the watchlist's vocabulary (those it has).
    key_ids: Vec<Vec<u32>>,
    /// Per token: whether `key_ids` starts with its primary key.
    primary_known: Vec<bool>,
    nationalities: Vec<[u8; 2]>,
}

impl<'p> PreparedQuery<'p> {
    fn new(person: &'p Person, list: &Watchlist) -> Self {
        let forms: Vec<NameForm> = person.names.iter().flat_map(|n| name_forms(n)).collect();
        let mut tokens: Vec<String> = Vec::new();
        let mut form_tokens = Vec::with_capacity(forms.len());
        for f in &forms {
            let mut ix = Vec::with_capacity(f.tokens.len());
            for t in &f.tokens {
                let i = match tokens.iter().position(|x| x == t) {
                    Some(i) => i,
                    None => {
                        tokens.push(t.clone());
                        tokens.len() - 1
                    }
                };
                ix.push(i as u16);
            }
            form_tokens.push(ix);
        }
        let nationalities = person.nationalities.iter().filter_map(|c| country_bytes(c)).collect();
        let keys: Vec<String> = tokens.iter().map(|t| veza_text::phonetic_key(t)).collect();
        let vocabulary_ids = tokens.iter().map(|t| list.vocabulary.ids.get(t.as_str()).copied()).collect();
        let groups = tokens.iter().map(|t| veza_text::variant_group(t).unwrap_or(NO_GROUP)).collect();
        let prefixed = tokens.iter().map(|t| veza_text::has_joined_prefix(t)).collect();
        let key_ids = tokens
            .iter()
            .zip(&keys)
            .map(|(t, k): (&String, &String)| {
                std::iter::once(k.clone())
                    .chain(veza_text::other_keys(t, k))
                    .filter_map(|k| list.vocabulary.key_id_of(&k))
                    .collect()
            })
            .collect();
        let primary_known = keys.iter().map(|k: &String| list.vocabulary.key_id_of(k).is_some()).collect();
        PreparedQuery {
            primary_known,
            person,
            forms,
            tokens,
            keys,
            form_tokens,
            vocabulary_ids,
            groups,
            prefixed,
            key_ids,
            nationalities,
        }
    }
}

struct Scored {
    entry: u32,
    score: f64,
    name: Option<(usize, usize, f64, bool)>,
    date: (DateRule, f64, Option<(crate::BirthDate, crate::BirthDate)>),
    gender: Option<f64>,
    nationality: Option<f64>,
    document: Option<DocumentMatchKind>,
}

impl Watchlist {
    /// Screens one person; results at or above the threshold, best first,
    /// at most `limit`.
    pub fn screen(&self, query: &Person, options: &ScreenOptions) -> Vec<Hit> {
        self.screen_with(query, options, &mut Scratch::default())
    }

    /// Screens many persons on all cores (rayon), results in query order.
    pub fn screen_batch(&self, queries: &[Person], options: &ScreenOptions) -> Vec<Vec<Hit>> {
        use rayon::prelude::*;
        queries.par_iter().map_init(Scratch::default, |s, q| self.screen_with(q, options, s)).collect()
    }

    /// Screens one person with a [`Scratch`] the caller keeps per thread.
    pub fn screen_with(&self, query: &Person, options: &ScreenOptions, scratch: &mut Scratch) -> Vec<Hit> {
        let q = PreparedQuery::new(query, self);
        // Documents first: they are candidates whatever the name says.
        scratch.docs.clear();
        let mut doc_hits: FxHashMap<u32, DocumentMatchKind> = FxHashMap::default();
        for d in &query.documents {
            let (country, number) = split_issuing_country(d);
            let mut docs = std::mem::take(&mut scratch.docs);
            docs.clear();
            self.documents.find_into(number, country.as_deref(), &mut docs);
            for m in &docs {
                let e = doc_hits.entry(m.record).or_insert(m.kind);
                if m.kind == DocumentMatchKind::Exact {
                    *e = DocumentMatchKind::Exact;
                }
            }
            scratch.docs = docs;
        }
        let candidates = self.name_candidates(&q, scratch);
        let mut candidates = candidates;
        for &e in doc_hits.keys() {
            if !candidates.contains(&e) {
                candidates.push(e);
            }
        }
        // Score.
        scratch.candidates_scored += candidates.len() as u64;
        let mut memo: FxHashMap<(u16, u32, bool), f64> = FxHashMap::default();
        let mut scored: Vec<Scored> = Vec::new();
        for e in candidates {
            if let Some(s) = self.score_entry(&q, e, doc_hits.get(&e).copied(), options, &mut memo)
                && s.score >= options.threshold
            {
                scored.push(s);
            }
        }
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        scored.truncate(options.limit);
        scored.into_iter().map(|s| self.hit(&q, s, options)).collect()
    }

    /// The entries worth scoring for the query's names.
    ///
    /// Query tokens are counted per position ("slot") across the query's
    /// forms, so that two readings of one token count once. A slot finds
    /// vocabulary tokens close to its token (itself, same phonetic key, known
    /// variants) and fuzzy ones (one key edit away: a typo). An entry is a
    /// candidate when one form of its name holds close tokens of two slots,
    /// or close tokens of one and fuzzy tokens of another (so that a
    /// candidate always has one token found without a typo); or close tokens
    /// of a rare slot; a one-slot query needs one close slot.
    ///
    /// Two slots are looked up together in the index of key pairs, so that a
    /// common given name and a common surname find the few entries that
    /// hold both without reading either's long posting list.
    fn name_candidates(&self, q: &PreparedQuery, scratch: &mut Scratch) -> Vec<u32> {
        let n = self.entries.len();
        if scratch.slots.len() < n {
            scratch.slots.resize(n, 0);
        }
        let v = &self.vocabulary;
        let slots = q.form_tokens.iter().map(Vec::len).max().unwrap_or(0).min(MAX_SLOTS);
        let need = if slots <= 1 { 1 } else { 2 };
        let mut slot_weight = [0.0f64; MAX_SLOTS];
        // Per slot: the keys of its close and of its fuzzy tokens.
        let mut keys: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(slots);
        let mark = |scratch: &mut Scratch, e: u32, bit: u32| {
            let m = &mut scratch.slots[e as usize];
            if *m == 0 {
                scratch.touched.push(e);
            }
            *m |= bit;
        };
        for (slot, weight) in slot_weight.iter_mut().enumerate().take(slots) {
            let (mut close, mut fuzzy) = (Vec::new(), Vec::new());
            for (form, f) in q.forms.iter().zip(&q.form_tokens) {
                if let Some(&t) = f.get(slot) {
                    let (token, key) = (&q.tokens[t as usize], &q.keys[t as usize]);
                    let others = &q.key_ids[t as usize][q.primary_known[t as usize] as usize..];
                    v.neighbours(token, key, others, form.unvoweled, &mut close, &mut fuzzy);
                }
            }
            close.sort_unstable();
            close.dedup();
            let close_total: usize = close.iter().map(|&i| self.postings[i as usize].len()).sum();
            // inverse document frequency: rare tokens weigh more
            *weight = (1.0 + n as f64 / (1.0 + close_total as f64)).ln();
            if need == 1 || (close_total <= RARE_POSTINGS && !close.is_empty()) {
                // a one-token query, or a rare token: its entries are
                // candidates on their own
                let bit = 1u32 << slot | if need == 2 { RARE_BIT } else { 0 };
                scratch.postings_read += close_total as u64;
                for &id in &close {
                    for &e in &self.postings[id as usize] {
                        mark(scratch, e, bit);
                    }
                }
            }
            let mut close_keys: Vec<u32> = close.iter().map(|&t| v.key_of[t as usize]).collect();
            close_keys.sort_unstable();
            close_keys.dedup();
            let mut fuzzy_keys: Vec<u32> = fuzzy.iter().map(|&t| v.key_of[t as usize]).collect();
            fuzzy_keys.sort_unstable();
            fuzzy_keys.dedup();
            fuzzy_keys.retain(|k| close_keys.binary_search(k).is_err());
            keys.push((close_keys, fuzzy_keys));
        }
        for a in 0..slots {
            for b in a + 1..slots {
                let ((ca, fa), (cb, fb)) = (&keys[a], &keys[b]);
                let (close_a, close_b) = (1u32 << a, 1u32 << b);
                let (fuzzy_a, fuzzy_b) = (1u32 << (a + MAX_SLOTS), 1u32 << (b + MAX_SLOTS));
                let lookups = ca.iter().flat_map(|&x| {
                    cb.iter()
                        .map(move |&y| (x, y, close_a | close_b))
                        .chain(fb.iter().map(move |&y| (x, y, close_a | fuzzy_b)))
                });
                let lookups =
                    lookups.chain(fa.iter().flat_map(|&x| cb.iter().map(move |&y| (x, y, fuzzy_a | close_b))));
                for (x, y, bit) in lookups {
                    let found = self.pairs.get(crate::index::key_pair(x, y));
                    scratch.postings_read += 1 + found.len() as u64;
                    for &e in found {
                        mark(scratch, e, bit);
                    }
                }
            }
        }
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        for &e in &scratch.touched {
            let m = std::mem::take(&mut scratch.slots[e as usize]);
            let close = m & SLOT_MASK;
            if close == 0 {
                continue;
            }
            let all = close | (m >> MAX_SLOTS) & SLOT_MASK;
            if all.count_ones() as usize >= need || m & RARE_BIT != 0 {
                candidates.push((e, all));
            }
        }
        scratch.touched.clear();
        scratch.candidates_found += candidates.len() as u64;
        if candidates.len() > MAX_CANDIDATES {
            // Keep the candidates whose found tokens weigh most (rarest
            // tokens, most slots), as a search engine's top-k would.
            let weight = |m: u32| -> f64 { (0..slots).filter(|s| m & (1 << s) != 0).map(|s| slot_weight[s]).sum() };
            let mut weighed: Vec<(f64, u32)> = candidates.iter().map(|&(e, m)| (weight(m), e)).collect();
            weighed.select_nth_unstable_by(MAX_CANDIDATES, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            weighed.truncate(MAX_CANDIDATES);
            return weighed.into_iter().map(|(_, e)| e).collect();
        }
        candidates.into_iter().map(|(e, _)| e).collect()
    }

    fn score_entry(
        &self,
        q: &PreparedQuery,
        e: u32,
        document: Option<DocumentMatchKind>,
        options: &ScreenOptions,
        memo: &mut FxHashMap<(u16, u32, bool), f64>,
    ) -> Option<Scored> {
        let entry: &Entry = &self.entries[e as usize];
        let w = &options.weights;
        let date = best_date(&q.person.birth_dates, &entry.birth_dates, &options.dates, w);
        let gender = compare_gender(q.person.gender, entry.gender, w);
        let nationality = if q.nationalities.is_empty() || entry.nationalities.is_empty() {
            None
        } else if q.nationalities.iter().any(|c| entry.nationalities.contains(c)) {
            Some(w.nationality_same)
        } else {
            Some(0.0)
        };
        // Cut-off: with a perfect name the other features would still keep
        // the score below the threshold (a namesake born years apart), so
        // the names need not be compared.
        let others = date.1 + gender.unwrap_or(0.0) + nationality.unwrap_or(0.0);
        if document.is_none() && 1.0 + others < options.threshold {
            return None;
        }
        let mut best: Option<(usize, usize, f64, bool)> = None;
        for (qi, (qf, qt)) in q.forms.iter().zip(&q.form_tokens).enumerate() {
            for (ei, (e_unvoweled, et)) in entry.forms().enumerate() {
                let unvoweled = qf.unvoweled || e_unvoweled;
                let score = crate::score::name_score(qt.len(), et.len(), w, |i, j| {
                    let key = (qt[i], et[j], unvoweled);
                    *memo
                        .entry(key)
                        .or_insert_with(|| self.token_credit_similarity(q, qt[i] as usize, et[j], unvoweled))
                });
                if best.is_none_or(|b| score > b.2) {
                    best = Some((qi, ei, score, unvoweled));
                }
            }
        }
        let name_score = best.map_or(0.0, |b| b.2);
        let mut score = if best.is_some() { name_score + others } else { 0.0 };
        match document {
            Some(DocumentMatchKind::Exact) => score = score.max(w.document_exact),
            Some(DocumentMatchKind::OcrConfusion) => score = score.max(w.document_ocr),
            None => {}
        }
        Some(Scored { entry: e, score: score.clamp(0.0, 1.0), name: best, date, gender, nationality, document })
    }

    /// The similarity of query token `qi` and vocabulary token `ej` as the
    /// name score uses it: below 0.8 a pair brings no credit
    /// ([`crate::token_credit`]), so pairs that cannot reach 0.8 are 0
    /// without being compared letter by letter.
    fn token_credit_similarity(&self, q: &PreparedQuery, qi: usize, ej: u32, unvoweled: bool) -> f64 {
        let v = &self.vocabulary;
        let e = ej as usize;
        if q.vocabulary_ids[qi] == Some(ej) {
            return 1.0;
        }
        let (a, ka) = (&q.tokens[qi], &q.keys[qi]);
        let (b, kb) = (&*v.texts[e], &*v.key_texts[v.key_of[e] as usize]);
        // keys meet in some reading: one of the query token's keys is the
        // entry token's primary key or one of its others (two other
        // readings meeting is found through the entry's other keys too,
        // since the query's other keys are looked up as vocabulary keys)
        let qk = &q.key_ids[qi];
        let meet = qk.contains(&v.key_of[e]) || v.other_keys[e].iter().any(|k| qk.contains(k));
        let alike = (q.groups[qi] != NO_GROUP && q.groups[qi] == v.group_of[e])
            || meet
            || q.prefixed[qi]
            || v.prefixed[e]
            || (unvoweled && veza_text::same_consonant_skeleton(ka, kb))
            || veza_text::spelling_may_reach(a, b, 0.8);
        if !alike {
            return 0.0;
        }
        let s = veza_text::token_similarity_meet(a, ka, b, kb, unvoweled, Some(meet)).0;
        if s < 0.8 { 0.0 } else { s }
    }

    fn hit(&self, q: &PreparedQuery, s: Scored, options: &ScreenOptions) -> Hit {
        let entry = &self.entries[s.entry as usize];
        let mut ex = Explanation::default();
        if let Some((qi, ei, _, unvoweled)) = s.name {
            let qt = &q.forms[qi].tokens;
            let et: Vec<&str> = entry
                .forms()
                .nth(ei)
                .map(|(_, t)| t.iter().map(|&i| &*self.vocabulary.texts[i as usize]).collect())
                .unwrap_or_default();
            let c: NameComparison = compare_names(qt.len(), et.len(), &options.weights, |i, j| {
                veza_text::token_similarity(&qt[i], et[j], unvoweled)
            });
            let pairs: Vec<String> = c
                .pairs
                .iter()
                .filter(|p| p.2 >= 0.8)
                .map(|&(i, j, sim, rule)| format!("{}~{} {} {:.2}", qt[i], et[j], rule_word(rule), sim))
                .collect();
            let detail = format!(
                "{} of {} query tokens, {} candidate tokens: {}",
                pairs.len(),
                qt.len(),
                et.len(),
                pairs.join(", ")
            );
            ex.add("name", round(c.score), detail, Some(qt.join(" ")), Some(et.join(" ")));
        }
        let (rule, delta, pair) = s.date;
        if let Some((a, b)) = pair {
            ex.add("birth_date", round(delta), rule.words().to_owned(), Some(a.to_string()), Some(b.to_string()));
        }
        if let Some(g) = s.gender {
            let detail = if g >= 0.0 { "same gender" } else { "other gender" };
            ex.add(
                "gender",
                round(g),
                detail.to_owned(),
                q.person.gender.map(|g| g.letter().to_owned()),
                entry.gender.map(|g| g.letter().to_owned()),
            );
        }
        if let Some(n) = s.nationality {
            let detail = if n > 0.0 { "shared nationality" } else { "other nationality (may be another citizenship)" };
            let list =
                |v: &[[u8; 2]]| v.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(",");
            ex.add(
                "nationality",
                round(n),
                detail.to_owned(),
                Some(list(&q.nationalities)),
                Some(list(&entry.nationalities)),
            );
        }
        if let Some(kind) = s.document {
            let (score, detail) = match kind {
                DocumentMatchKind::Exact => (options.weights.document_exact, "document number matches exactly"),
                DocumentMatchKind::OcrConfusion => (
                    options.weights.document_ocr,
                    "document number matches with OCR-confusable characters (O/0, I/1, S/5, B/8 …): check the document",
                ),
            };
            ex.add("document", score, detail.to_owned(), Some(q.person.documents.join(",")), None);
        }
        Hit {
            entry: s.entry as usize,
            id: entry.id.to_string(),
            score: round(s.score),
            is_match: s.score >= options.threshold,
            explanations: ex,
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn rule_word(r: TokenRule) -> &'static str {
    match r {
        TokenRule::Exact => "exact",
        TokenRule::Variant => "known variant",
        TokenRule::Phonetic => "phonetic",
        TokenRule::Spelling => "spelling",
        TokenRule::GenderPair => "gender pair",
        TokenRule::Different => "different",
    }
}
