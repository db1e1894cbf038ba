//! Values the store takes and returns.

use serde::{Deserialize, Serialize};
use veza_model::Entity;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A country (or INTERPOL's General Secretariat, `zz`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// Lower-case alpha-2 code.
    pub code: String,
    /// English name.
    pub name: String,
}

/// An agency: border police, criminal police, NCB, prosecution, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Short code, e.g. `rs-bp`.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// Kind: `border_police`, `criminal_police`, `thb_unit`, `ncb`, …
    pub kind: String,
}

/// A source: a dataset that entities come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Dataset name (unique).
    pub dataset: String,
    /// Human title.
    pub title: String,
    /// Kind: `import`, `api`, `demo`, …
    pub kind: String,
    /// Agency owning the dataset.
    pub owner_agency: String,
    /// When first created (RFC 3339).
    pub created_at: String,
    /// When last written (RFC 3339).
    pub updated_at: String,
}

/// How a write treats what an entity's dataset said before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// The dataset's values are now exactly these (a re-import drops what
    /// the source no longer says).
    Replace,
    /// These values are added to the dataset's values (fragments).
    Merge,
}

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WriteReport {
    /// Entities that did not exist before.
    pub created: u64,
    /// Entities that existed and were updated.
    pub updated: u64,
}

/// The outcome of looking an entity up.
#[derive(Debug, Clone, PartialEq)]
// One lookup per read, never stored in bulk: boxing the entity would only
// add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Lookup {
    /// The entity, visible to the caller.
    Found(Entity),
    /// The entity exists, the caller may not see it, and its owner lets its
    /// existence be known: whom to ask.
    Restricted {
        /// The entity's id.
        id: String,
        /// Its schema.
        schema: String,
        /// The owning agency to ask.
        owner_agency: String,
    },
    /// No such entity, or one whose existence is hidden from the caller.
    NotFound,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// Free text: names or identifiers, any case, accents or script.
    pub text: String,
    /// Only these schemata (already expanded to descendants); empty = all.
    pub schemata: Vec<String>,
    /// Page size (1–500).
    pub limit: u32,
    /// Offset into the results.
    pub offset: u32,
    /// Narrowing beyond the text and schemata.
    pub filters: SearchFilters,
}

/// What else a search may be narrowed by: the record's owner, the owner's
/// country, the source dataset and when the record last changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchFilters {
    /// Only records owned by this agency (code).
    pub owner: Option<String>,
    /// Only records owned by agencies of this country (ISO code, lower case).
    pub owner_country: Option<String>,
    /// Only records from this dataset.
    pub dataset: Option<String>,
    /// Only records changed at or after this time (microseconds).
    pub changed_from: Option<i64>,
    /// Only records changed before this time (microseconds).
    pub changed_to: Option<i64>,
}

impl SearchQuery {
    /// A first page of 20 for `text` across all schemata.
    pub fn text(text: &str) -> Self {
        SearchQuery { text: text.to_owned(), limit: 20, ..SearchQuery::default() }
    }
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// Number of matches, counted up to [`SearchPage::COUNT_CAP`].
    pub total: u64,
    /// False when there are more than `total` matches.
    pub total_is_exact: bool,
    /// True when results are ordered by relevance; false when there are
    /// too many matches to rank and they come newest first.
    pub ranked: bool,
    /// The entities of this page, best first.
    pub results: Vec<Entity>,
}

impl SearchPage {
    /// Matches are counted up to this number; beyond it `total_is_exact` is false.
    pub const COUNT_CAP: u64 = 1_000;
}

/// Which way a link points, seen from the entity asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the entity to the other end.
    Out,
    /// From the other end to the entity.
    In,
}

/// A link seen from one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkView {
    /// The entity that makes the link: a link schema (Family, Payment) or
    /// the entity whose property refers.
    pub via_id: String,
    /// Schema of `via_id`.
    pub via_schema: String,
    /// The referring property, for plain references; `None` for link schemata.
    pub prop: Option<String>,
    /// Which way it points.
    pub direction: Direction,
    /// The other end.
    pub other_id: String,
    /// Caption of the other end, when stored and visible.
    pub other_caption: Option<String>,
    /// Schema of the other end, when stored and visible.
    pub other_schema: Option<String>,
}

/// An entity due for retention review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionItem {
    /// The entity.
    pub id: String,
    /// Its schema.
    pub schema: String,
    /// Its caption.
    pub caption: String,
    /// The owning agency, who decides.
    pub owner_agency: String,
    /// The dataset it came from.
    pub dataset: String,
    /// When it is (or was) due for review.
    pub retention_review: String,
}

/// Counts of entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Stats {
    /// All entities the caller may see.
    pub entities: u64,
    /// By schema, largest first.
    pub by_schema: Vec<(String, u64)>,
    /// By source dataset, largest first.
    pub by_source: Vec<(String, u64)>,
    /// By owning agency, largest first.
    pub by_owner: Vec<(String, u64)>,
}

/// A part of the network the caller may see (see `Store::network`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NetworkSlice {
    /// Entities, seeds first, then by hop.
    pub nodes: Vec<NetworkNode>,
    /// Links between two of the nodes.
    pub edges: Vec<NetworkEdge>,
    /// True when `max_nodes` stopped the walk.
    pub truncated: bool,
}

/// An entity in a [`NetworkSlice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkNode {
    /// Entity id.
    pub id: String,
    /// Schema.
    pub schema: String,
    /// Caption.
    pub caption: String,
    /// Owning agency.
    pub owner_agency: String,
    /// Links from the nearest seed.
    pub hop: u32,
}

/// A link in a [`NetworkSlice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkEdge {
    /// The entity that makes the link (a Family, a Call; or the entity
    /// holding a reference, such as a passport for its holder).
    pub via_id: String,
    /// Its schema.
    pub via_schema: String,
    /// The referring property; `None` for a link schema.
    pub prop: Option<String>,
    /// One end.
    pub source: String,
    /// The other end.
    pub target: String,
}
