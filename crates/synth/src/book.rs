//! What a part of the generation produces: entities per agency (as FtM JSON
//! lines, or kept as values for the demo), truth rows, watchlist entries and
//! counts. Parts are made apart (in parallel) and appended in a fixed order.

use crate::dice::mix;
use crate::world::Agency;
use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use veza_model::{Entity, Handling, Owner, Provenance, SourceRef, Visibility};

/// Truth about a victim (a row of `truth/victims.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimTruth {
    /// The person.
    pub person: u64,
    /// The case entity id.
    pub case: String,
    /// Type of exploitation.
    pub exploitation: &'static str,
    /// Recruitment as it happened (`deceptive_job_offer`, `loverboy`, `debt_bondage`, …).
    pub recruitment: &'static str,
    /// Country the victim comes from.
    pub origin: &'static str,
}

/// A stolen or lost travel document (a row of `watchlists/stolen_documents.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StolenDocument {
    /// Id of the report (`SLTD-RS-000123`).
    pub document_id: String,
    /// Document number.
    pub document_number: String,
    /// passport or id_card.
    pub document_type: &'static str,
    /// Issuing country (lower-case alpha-2).
    pub issuing_country: &'static str,
    /// stolen, lost or stolen_blank.
    pub status: &'static str,
    /// Date reported.
    pub reported_date: String,
    /// Reporting country.
    pub reporting_country: &'static str,
}

/// What one part of the generation produced.
#[derive(Default)]
pub struct Book {
    /// FtM JSON lines per agency (index into the agency list).
    pub lines: Vec<Vec<u8>>,
    /// Entities per agency, when kept as values instead of lines.
    pub kept: Option<Vec<Entity>>,
    /// `truth/records.csv`: record id, person.
    pub records: Vec<(String, u64)>,
    /// `truth/ocg_members.csv`: person, OCG id, role.
    pub members: Vec<(u64, String, &'static str)>,
    /// `truth/victims.csv`.
    pub victims: Vec<VictimTruth>,
    /// `truth/watchlist_hits.csv`: record id, notice or document id.
    pub hits: Vec<(String, String)>,
    /// `watchlists/notices.jsonl`, one INTERPOL-shaped object each.
    pub notices: Vec<serde_json::Value>,
    /// `watchlists/stolen_documents.csv`.
    pub stolen: Vec<StolenDocument>,
    /// Entities by schema.
    pub counts: BTreeMap<&'static str, u64>,
}

impl Book {
    /// An empty book for `agencies` agencies; `keep` keeps entities as values.
    pub fn new(agencies: usize, keep: bool) -> Self {
        Book { lines: vec![Vec::new(); agencies], kept: keep.then(Vec::new), ..Book::default() }
    }

    /// Appends `other` after this book's content.
    pub fn append(&mut self, mut other: Book) {
        for (mine, theirs) in self.lines.iter_mut().zip(other.lines.iter_mut()) {
            mine.append(theirs);
        }
        if let (Some(mine), Some(theirs)) = (self.kept.as_mut(), other.kept.take()) {
            mine.extend(theirs);
        }
        self.records.append(&mut other.records);
        self.members.append(&mut other.members);
        self.victims.append(&mut other.victims);
        self.hits.append(&mut other.hits);
        self.notices.append(&mut other.notices);
        self.stolen.append(&mut other.stolen);
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
    }

    /// Adds an entity of `agency`, recorded at `at`.
    pub fn emit(&mut self, agencies: &[Agency], agency: usize, entity: Entity) {
        *self.counts.entry(schema_name(&entity.schema)).or_default() += 1;
        if let Some(kept) = self.kept.as_mut() {
            kept.push(entity);
            return;
        }
        let _ = agencies;
        write_ftm(&entity, &mut self.lines[agency]);
    }
}

/// The schema names the generator uses, as static strings for counting.
fn schema_name(s: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "Person",
        "Passport",
        "Identification",
        "Check",
        "Checkpoint",
        "Vehicle",
        "Call",
        "Payment",
        "BankAccount",
        "Ownership",
        "Address",
        "Organization",
        "Membership",
        "Family",
        "Associate",
        "UnknownLink",
        "Case",
        "Suspect",
        "Victim",
        "IndicatorAssessment",
        "Notice",
        "DocumentStatus",
        "HyperText",
    ];
    NAMES.iter().find(|n| **n == s).copied().unwrap_or("other")
}

/// Makes entities with the provenance and handling of their agency.
pub struct Maker<'a> {
    /// The agencies.
    pub agencies: &'a [Agency],
    /// The master seed (ids depend on it).
    pub seed: u64,
}

/// Kinds of entity, for ids.
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
pub enum Kind {
    /// Person records.
    Person = 1,
    /// Documents.
    Document,
    /// Checks.
    Check,
    /// Vehicles.
    Vehicle,
    /// Calls.
    Call,
    /// Payments.
    Payment,
    /// Bank accounts.
    Account,
    /// Links (membership, ownership, family, …).
    Link,
    /// Addresses.
    Address,
    /// Cases and their parts.
    Case,
    /// Advertisements.
    Ad,
    /// Notices and document statuses.
    Watch,
    /// Organisations.
    Group,
}

impl Maker<'_> {
    /// An opaque, unique id: the agency's code and 16 hex digits that are a
    /// bijection of (agency, kind, n), so two inputs never share an id and
    /// the id tells nothing of the person behind it. `n` < 2^48.
    pub fn id(&self, agency: usize, kind: Kind, n: u64) -> String {
        let key = ((agency as u64) << 56) | ((kind as u64) << 48) | (n & 0xFFFF_FFFF_FFFF);
        format!("{}-{:016x}", self.agencies[agency].code, mix(key ^ mix(self.seed)))
    }

    /// A new entity of `agency` with `schema`, recorded at `at`, seen as `visibility`.
    pub fn entity(&self, agency: usize, id: String, schema: &str, at: NaiveDateTime, visibility: Visibility) -> Entity {
        let a = &self.agencies[agency];
        let when: DateTime<Utc> = at.and_utc();
        let mut e = Entity::new(id.clone(), schema);
        let review = when.date_naive().checked_add_months(Months::new(Provenance::DEFAULT_RETENTION_MONTHS));
        e.provenance = Provenance {
            owner: Owner { agency: a.code.clone(), country: a.country.clone() },
            source: SourceRef { dataset: format!("synth-{}", a.code), record: Some(id) },
            created_at: when,
            changed_at: when,
            retention_review: review.unwrap_or(NaiveDate::MAX),
            exercise: None,
        };
        e.handling = Handling { visibility, ..Handling::default() };
        e
    }
}

/// Writes `e` as one FtM JSON line: the same object as [`Entity::to_ftm`],
/// serialised without building a `serde_json::Value` first.
pub fn write_ftm(e: &Entity, out: &mut Vec<u8>) {
    #[derive(Serialize)]
    struct Veza<'a> {
        owner: &'a Owner,
        source: &'a SourceRef,
        handling: &'a Handling,
        retention_review: String,
    }
    #[derive(Serialize)]
    struct Line<'a> {
        id: &'a str,
        schema: &'a str,
        properties: &'a BTreeMap<String, Vec<String>>,
        datasets: [&'a str; 1],
        first_seen: String,
        last_seen: String,
        veza: Veza<'a>,
    }
    let p = &e.provenance;
    let line = Line {
        id: &e.id,
        schema: &e.schema,
        properties: &e.properties,
        datasets: [&p.source.dataset],
        first_seen: p.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        last_seen: p.changed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        veza: Veza {
            owner: &p.owner,
            source: &p.source,
            handling: &e.handling,
            retention_review: p.retention_review.to_string(),
        },
    };
    // Serialising plain structs of strings cannot fail.
    let _ = serde_json::to_writer(&mut *out, &line);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_what_to_ftm_gives() {
        let agencies = crate::world::agencies(&["rs"]);
        let m = Maker { agencies: &agencies, seed: 9 };
        let at = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(8, 30, 0).unwrap();
        let mut e = m.entity(0, m.id(0, Kind::Person, 1), "Person", at, Visibility::Country);
        e.push("name", "Милица Петровић \"Mica\"".into());
        e.push("birthDate", "1990".into());
        let mut out = Vec::new();
        write_ftm(&e, &mut out);
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed, e.to_ftm());
        assert_eq!(out.last(), Some(&b'\n'));
    }

    #[test]
    fn ids_are_unique_and_carry_the_agency() {
        let agencies = crate::world::agencies(&["rs", "al"]);
        let m = Maker { agencies: &agencies, seed: 1 };
        let mut ids: Vec<String> = (0..1000)
            .flat_map(|n| [m.id(0, Kind::Person, n), m.id(4, Kind::Person, n), m.id(0, Kind::Call, n)])
            .collect();
        assert!(ids[0].starts_with("rs-bp-"));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3000);
    }
}
