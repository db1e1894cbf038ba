//! Why a pair scored as it did, and why a cluster holds together: shapes
//! an app shows and serialises as they are.

use serde::{Deserialize, Serialize};

/// One field's part in a pair's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldExplanation {
    /// The field.
    pub field: String,
    /// Its kind (`given_name`, `date`, …).
    pub kind: String,
    /// The level the two values reached (`exact`, `close`, …), or `missing`.
    pub level: String,
    /// The level's weight in bits (log2 m/u); 0 when missing.
    pub weight: f64,
    /// The term-frequency adjustment in bits: positive for a rare shared
    /// value, negative for a common one; 0 unless the values agree exactly.
    pub term_frequency_adjustment: f64,
    /// m of the level (among matches).
    pub m: Option<f64>,
    /// u of the level (among non-matches).
    pub u: Option<f64>,
}

/// Why two records are (or are not) one entity: a waterfall of weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairExplanation {
    /// One record's id.
    pub id_l: String,
    /// The other's.
    pub id_r: String,
    /// The prior in bits: log2 of the odds of a match among compared pairs.
    pub prior_weight: f64,
    /// Each field's contribution.
    pub fields: Vec<FieldExplanation>,
    /// The sum: prior plus every field's weight and adjustment.
    pub match_weight: f64,
    /// The match probability from the weight (or the label, when given).
    pub probability: f64,
    /// An analyst's decision on this pair, which overrides the model.
    pub label: Option<bool>,
}

/// A link inside a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterLink {
    /// One record's id.
    pub id_l: String,
    /// The other's.
    pub id_r: String,
    /// Their match probability.
    pub probability: f64,
}

/// Why a cluster holds together: the strongest links that connect all its
/// members, and how weak its weakest pair is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterExplanation {
    /// The cluster.
    pub cluster_id: u32,
    /// Its members' ids.
    pub members: Vec<String>,
    /// A maximum spanning tree over all member pairs: the links that hold
    /// the cluster together (members − 1 of them).
    pub links: Vec<ClusterLink>,
    /// The least similar pair of members.
    pub weakest: Option<ClusterLink>,
    /// The mean probability over all member pairs.
    pub mean_probability: Option<f64>,
}
